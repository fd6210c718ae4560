/// A path glob over the bytes of a repository-relative path with `/` separators, compiled once: the one
/// glob type of Salvage (rules, `.salvage.toml`, `--exclude`, the secret rules' paths). Syntax, in every
/// dialect: `*` and `?` stay within one folder, `**` as a whole segment crosses folders (inside a segment
/// it is a `*`), `[abc]`, `[a-z]` and `[!x]` are byte classes; a pattern ending in `/` matches everything
/// below a folder of that name; a leading `/` anchors a pattern at the repository root. Matched by
/// `GlobProgram`, in time linear in the path whatever the pattern.
///
/// Where the dialects of the callers differ, each says which it wants when it compiles a pattern:
/// - `Case`: `.sensitive`, or `.folded` (ASCII letters match whatever their case: the secret rules);
/// - `Anchoring`: what a `/` inside the pattern means. `.anyDepth`: nothing, the pattern still matches
///   from any folder (`src/test/` takes `app/src/test/x`; the built-in rules rely on it in monorepos);
///   `.gitignore`: the pattern matches the whole path from the root (`**/` for any depth), as in
///   `.gitignore`. A pattern without such a `/` matches at any depth in both.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
  public enum Case: Sendable, Hashable {
    case sensitive
    /// ASCII letters match whatever their case.
    case folded
  }

  public enum Anchoring: Sendable, Hashable {
    /// A pattern matches from any folder; only a leading `/` anchors it.
    case anyDepth
    /// A `/` at the start or inside the pattern anchors it at the root (a trailing one does not).
    case gitignore
  }

  /// Most patterns are one of a few plain shapes, matched without the automaton.
  enum Shape: Hashable, Sendable {
    /// `Makefile`: the file name is the literal.
    case name
    /// `*.ext`: the file name ends with the literal (any path when it is empty: `*`).
    case suffix
    /// `node_modules/`, `**/node_modules/**`: a folder of that name at any depth.
    case folder
    /// `/config/master.key`: the whole path is the literal.
    case path
    case general
  }

  /// What a glob matches, apart from how it was written: globs with the same key match the same paths.
  struct Key: Hashable {
    let shape: Shape
    /// The literal of a plain shape; for `general`, the pattern as matched.
    let bytes: [UInt8]
    let anchored: Bool
    let folded: Bool
  }

  /// The compiled pattern, behind one reference: rule sets hold and iterate many globs, and a copy costs
  /// one retain. Its bytes live in one allocation read through pointers, so matching touches no
  /// reference counts (paths are matched by the hundred thousand).
  final class Compiled: @unchecked Sendable {
    let pattern: String
    let letters: Case
    let anchoring: Anchoring
    let shape: Shape
    let anchored: Bool
    let folded: Bool
    /// The literal of a plain shape (0 for `general`).
    let literalCount: Int
    /// General patterns: matched against the file name alone (no `/`, no `**`: they cannot match one).
    let onName: Bool
    /// The literal bytes a matching subject must start with (anchored or on the name only) and end with
    /// (after the last wildcard or class), checked before the automaton runs.
    let head: Int
    let tail: Int
    /// `literal`, then the head, then the tail.
    let pool: UnsafeMutableBufferPointer<UInt8>
    let program: GlobProgram

    init(_ pattern: String, _ letters: Case, _ anchoring: Anchoring) {
      self.pattern = pattern
      self.letters = letters
      self.anchoring = anchoring
      let folded = letters == .folded
      let slash = Self.slash
      var p = Array(pattern.utf8)
      if folded { p = p.map(GlobProgram.fold) }
      // gitignore: a `/` at the start or in the middle anchors; a trailing one only says "folder".
      let slashInside = p.dropLast(p.last == slash ? 1 : 0).contains(slash)
      if p.last == slash { p += [Self.star, Self.star] }
      var anchored = anchoring == .gitignore && slashInside
      if p.first == slash {
        p.removeFirst()
        anchored = true
      }
      let special: Set<UInt8> = [Self.star, Self.question, Self.open, slash]
      let shape: Shape
      var literal: ArraySlice<UInt8> = []
      let folderEnd: [UInt8] = [slash, Self.star, Self.star], folderStart: [UInt8] = [Self.star, Self.star, slash]
      if !anchored, !p.isEmpty, !p.contains(where: special.contains) {
        (shape, literal) = (.name, p[...])
      } else if !anchored, p.first == Self.star, !p.dropFirst().contains(where: special.contains) {
        (shape, literal) = (.suffix, p.dropFirst())
      } else if p.count > 3, p.suffix(3).elementsEqual(folderEnd),
                case let inner: ArraySlice<UInt8> = !anchored ? p.dropLast(3)
                  : p.starts(with: folderStart) && p.count > 6 ? p.dropFirst(3).dropLast(3) : [],
                !inner.isEmpty, !inner.contains(where: special.contains)
      {
        (shape, literal) = (.folder, inner)
      } else if anchored, !p.contains(where: { special.contains($0) && $0 != slash }) {
        (shape, literal) = (.path, p[...])
      } else {
        shape = .general
      }
      onName = shape == .general && !anchored && !p.contains(slash) && !zip(p, p.dropFirst()).contains { $0 == Self.star && $1 == Self.star }
      let wildcards: Set<UInt8> = [Self.star, Self.question, Self.open, Self.close]
      var headBytes: ArraySlice<UInt8> = [], tailBytes: ArraySlice<UInt8> = []
      if shape == .general {
        if anchored || onName { headBytes = p.prefix { !wildcards.contains($0) } }
        tailBytes = p.suffix(from: (p.lastIndex(where: wildcards.contains) ?? -1) + 1)
        // `**/x` also takes `x`: the slash after it is not required.
        if tailBytes.first == slash { tailBytes = tailBytes.dropFirst() }
      }
      self.shape = shape
      self.anchored = anchored
      self.folded = folded
      literalCount = literal.count
      matched = p
      head = headBytes.count
      tail = tailBytes.count
      let bytes = Array(literal) + headBytes + tailBytes
      pool = .allocate(capacity: max(1, bytes.count))
      _ = pool.initialize(from: bytes)
      program = GlobProgram(p, foldCase: folded)
    }

    deinit { pool.deallocate() }

    /// The pattern as matched: folded, without a leading `/`, a trailing one followed by `**`.
    let matched: [UInt8]

    var key: Key {
      Key(shape: shape, bytes: shape == .general ? matched : Array(UnsafeBufferPointer(start: literal, count: literalCount)),
          anchored: anchored, folded: folded)
    }

    var literal: UnsafePointer<UInt8> { UnsafePointer(pool.baseAddress!) }

    /// The subject must start with the head and end with the tail, then the automaton decides: on the
    /// name alone, on the whole path (anchored) or from any folder. `fold`: the text is not folded yet.
    @inline(__always) func matchesGeneral(_ t: UnsafePointer<UInt8>, _ n: Int, name: Int, fold: Bool) -> Bool {
      let start = onName ? name : 0
      let count = n - start
      guard count >= head, count >= tail else { return false }
      let bytes = literal + literalCount
      guard Glob.equal(t + start, bytes, head, fold: fold), Glob.equal(t + n - tail, bytes + head, tail, fold: fold) else { return false }
      return program.matches(t + start, count, atAnySegment: !anchored && !onName)
    }

    static let star = UInt8(ascii: "*"), question = UInt8(ascii: "?"), slash = UInt8(ascii: "/")
    static let open = UInt8(ascii: "["), close = UInt8(ascii: "]")
  }

  let compiled: Compiled

  /// Compiles `pattern` in the dialect its caller states (see the type's comment).
  public init(_ pattern: String, case letters: Case, anchoring: Anchoring) {
    compiled = Compiled(pattern, letters, anchoring)
  }

  public var pattern: String { compiled.pattern }
  public var letters: Case { compiled.letters }
  public var anchoring: Anchoring { compiled.anchoring }
  public var description: String { pattern }

  public static func == (a: Glob, b: Glob) -> Bool {
    a.pattern == b.pattern && a.letters == b.letters && a.anchoring == b.anchoring
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(pattern)
    hasher.combine(letters)
    hasher.combine(anchoring)
  }

  public func matches<C: Collection>(_ path: C) -> Bool where C.Element == UInt8 {
    if let hit = path.withContiguousStorageIfAvailable({ matches($0) }) { return hit }
    return Array(path).withUnsafeBufferPointer { matches($0) }
  }

  public func matches(_ path: [UInt8]) -> Bool { path.withUnsafeBufferPointer { matches($0) } }

  public func matches(_ path: ArraySlice<UInt8>) -> Bool { path.withUnsafeBufferPointer { matches($0) } }

  public func matches(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
    let c = compiled
    let t = path.baseAddress ?? Self.emptyText, n = path.count
    let fold = c.folded
    let literal = c.literal, count = c.literalCount
    let name = Self.nameStart(t, n)
    switch c.shape {
    case .name: return n - name == count && Self.equal(t + name, literal, count, fold: fold)
    case .suffix: return n - name >= count && Self.equal(t + n - count, literal, count, fold: fold)
    case .path: return n == count && Self.equal(t, literal, count, fold: fold)
    case .general: return c.matchesGeneral(t, n, name: name, fold: fold)
    case .folder:
      // A folder of that name anywhere before the file name.
      var start = 0
      while start < name {
        var end = start
        while t[end] != Compiled.slash { end += 1 }
        if end - start == count, Self.equal(t + start, literal, count, fold: fold) { return true }
        start = end + 1
      }
      return false
    }
  }

  /// Stands for the bytes of an empty path (which has no base address).
  nonisolated(unsafe) static let emptyText: UnsafePointer<UInt8> = {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    p.initialize(to: 0)
    return UnsafePointer(p)
  }()

  /// `text` equals `literal` (folded already); with `fold`, once `text` is folded.
  @inline(__always) static func equal(_ text: UnsafePointer<UInt8>, _ literal: UnsafePointer<UInt8>, _ count: Int, fold: Bool) -> Bool {
    var i = 0
    if fold {
      while i < count {
        if GlobProgram.fold(text[i]) != literal[i] { return false }
        i += 1
      }
    } else {
      while i < count {
        if text[i] != literal[i] { return false }
        i += 1
      }
    }
    return true
  }

  /// Where the file name starts: after the last `/`.
  @inline(__always) static func nameStart(_ t: UnsafePointer<UInt8>, _ n: Int) -> Int {
    var i = n
    while i > 0 {
      if t[i - 1] == Compiled.slash { return i }
      i -= 1
    }
    return 0
  }
}
