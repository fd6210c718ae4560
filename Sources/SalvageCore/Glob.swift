/// A gitignore-style glob over path bytes: `*` and `?` stay within one path segment, `**` crosses
/// segments, `[abc]` and `[a-z]` are classes (`[!x]` negates). A pattern ending in `/` matches
/// everything below a folder of that name. A pattern matches at any folder depth (`src/test/` matches
/// `app/src/test/x`) unless it starts with `/`, which anchors it at the repository root.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
  /// Most rule patterns are one of three plain shapes; they are matched without the general matcher.
  fileprivate enum Shape: Hashable, Sendable {
    case general
    /// `*.ext`: the file name ends with the literal.
    case suffix([UInt8])
    /// `Makefile`: the file name is the literal.
    case name([UInt8])
    /// `node_modules/`: a folder of that name at any depth.
    case folder([UInt8])
  }

  /// The compiled pattern, behind one reference: rule sets hold and iterate many globs, and a copy of
  /// a glob then costs one retain instead of one per buffer.
  private final class Compiled: Sendable {
    let pattern: String
    let bytes: [UInt8]
    let anchored: Bool
    let shape: Shape
    /// The literal bytes the pattern ends with (after its last wildcard or class): a path that does not
    /// end with them cannot match, which rules most paths out before the general matcher runs.
    let tail: [UInt8]

    init(_ pattern: String) {
      self.pattern = pattern
      var p = Array(pattern.utf8)
      if p.last == UInt8(ascii: "/") { p += Array("**".utf8) }
      if p.first == UInt8(ascii: "/") {
        p.removeFirst()
        anchored = true
      } else {
        anchored = false
      }
      bytes = p
      let special: Set<UInt8> = [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "/")]
      let raw = Array(pattern.utf8)
      if anchored {
        shape = .general
      } else if raw.count > 1, raw[0] == UInt8(ascii: "*"), !raw.dropFirst().contains(where: special.contains) {
        shape = .suffix(Array(raw.dropFirst()))
      } else if !raw.isEmpty, !raw.contains(where: special.contains) {
        shape = .name(raw)
      } else if raw.count > 1, raw.last == UInt8(ascii: "/"), !raw.dropLast().contains(where: special.contains) {
        shape = .folder(Array(raw.dropLast()))
      } else {
        shape = .general
      }
      let wildcards: Set<UInt8> = [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]")]
      var tail = p.suffix(from: (p.lastIndex(where: wildcards.contains) ?? -1) + 1)
      // `**/` also matches no folder at all: the slash after it is not required.
      if tail.first == UInt8(ascii: "/") { tail = tail.dropFirst() }
      self.tail = Array(tail)
    }
  }
  private let compiled: Compiled
  fileprivate var shape: Shape { compiled.shape }

  public var pattern: String { compiled.pattern }

  public init(_ pattern: String) { compiled = Compiled(pattern) }

  // Everything else follows from the pattern.
  public static func == (a: Glob, b: Glob) -> Bool { a.pattern == b.pattern }
  public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

  public var description: String { pattern }

  public func matches<C: Collection>(_ path: C) -> Bool where C.Element == UInt8 { matches(Array(path)[...]) }
  public func matches(_ path: [UInt8]) -> Bool { matches(path[...]) }

  public func matches(_ text: ArraySlice<UInt8>) -> Bool {
    switch compiled.shape {
    case .general: break
    case let .suffix(ending):
      let name = Self.fileName(text)
      return name.count >= ending.count && name.suffix(ending.count).elementsEqual(ending)
    case let .name(literal):
      return Self.fileName(text).elementsEqual(literal)
    case let .folder(folder):
      // A folder segment of that name anywhere before the file name.
      var start = text.startIndex
      while start < text.endIndex {
        var end = start
        while end < text.endIndex, text[end] != UInt8(ascii: "/") { end += 1 }
        if end < text.endIndex, end - start == folder.count, text[start..<end].elementsEqual(folder) { return true }
        start = end + 1
      }
      return false
    }
    let tail = compiled.tail
    guard text.count >= tail.count, text.suffix(tail.count).elementsEqual(tail) else { return false }
    let bytes = compiled.bytes
    if compiled.anchored { return Self.match(bytes[...], text) }
    // Unanchored: try the pattern against every suffix that starts a segment.
    if Self.match(bytes[...], text) { return true }
    var i = text.startIndex
    while i < text.endIndex {
      if text[i] == UInt8(ascii: "/"), Self.match(bytes[...], text[(i + 1)...]) { return true }
      i += 1
    }
    return false
  }

  private static func fileName(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    guard let slash = text.lastIndex(of: UInt8(ascii: "/")) else { return text }
    return text[(slash + 1)...]
  }

  private static let star = UInt8(ascii: "*"), question = UInt8(ascii: "?"), slash = UInt8(ascii: "/")
  private static let open = UInt8(ascii: "["), close = UInt8(ascii: "]")

  private static func match(_ p: ArraySlice<UInt8>, _ t: ArraySlice<UInt8>) -> Bool {
    var p = p, t = t
    while let c = p.first {
      if c == star {
        if p.dropFirst().first == star {
          // `**`: any number of whole segments, including none.
          var rest = p.dropFirst(2)
          if rest.first == slash { rest = rest.dropFirst() }
          if rest.isEmpty { return true }
          var s = t
          while true {
            if match(rest, s) { return true }
            guard let next = s.firstIndex(of: slash) else { return false }
            s = s[(next + 1)...]
          }
        }
        let rest = p.dropFirst()
        var s = t
        while true {
          if match(rest, s) { return true }
          guard let first = s.first, first != slash else { return false }
          s = s.dropFirst()
        }
      }
      guard let ch = t.first else { return false }
      if c == question {
        if ch == slash { return false }
      } else if c == open, let end = p.dropFirst().firstIndex(of: close) {
        var set = p[(p.startIndex + 1)..<end]
        var negate = false
        if set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^") { negate = true; set = set.dropFirst() }
        var hit = false
        var k = set.startIndex
        while k < set.endIndex {
          if k + 2 < set.endIndex, set[k + 1] == UInt8(ascii: "-") {
            if set[k] <= ch && ch <= set[k + 2] { hit = true }
            k += 3
          } else {
            if set[k] == ch { hit = true }
            k += 1
          }
        }
        if hit == negate || ch == slash { return false }
        p = p[(end + 1)...]
        t = t.dropFirst()
        continue
      } else if c != ch {
        return false
      }
      p = p.dropFirst()
      t = t.dropFirst()
    }
    return t.isEmpty
  }
}

/// Many globs matched as one: file names are looked up, file-name endings compared without the general
/// matcher, folders found in one walk over the path's segments; only the other patterns are tried one by
/// one, and those without "/" or "**" on the file name alone (`*`, `?` and classes never match a "/",
/// so that is the only place they can match). Matches a path when any of the globs does.
public struct GlobSet: Sendable {
  private let names: Set<ArraySlice<UInt8>>
  private let suffixes: [[UInt8]]
  private let folders: Set<ArraySlice<UInt8>>
  private let nameGlobs: [Glob]
  private let pathGlobs: [Glob]

  public init(_ globs: [Glob]) {
    var names = Set<ArraySlice<UInt8>>(), suffixes: [[UInt8]] = [], folders = Set<ArraySlice<UInt8>>()
    var nameGlobs: [Glob] = [], pathGlobs: [Glob] = []
    for glob in globs {
      switch glob.shape {
      case let .name(literal): names.insert(literal[...])
      case let .suffix(ending): suffixes.append(ending)
      case let .folder(folder): folders.insert(folder[...])
      case .general:
        if glob.pattern.contains("/") || glob.pattern.contains("**") { pathGlobs.append(glob) } else { nameGlobs.append(glob) }
      }
    }
    self.names = names
    self.suffixes = suffixes
    self.folders = folders
    self.nameGlobs = nameGlobs
    self.pathGlobs = pathGlobs
  }

  public init(_ patterns: [String]) { self.init(patterns.map(Glob.init)) }

  public var isEmpty: Bool { names.isEmpty && suffixes.isEmpty && folders.isEmpty && nameGlobs.isEmpty && pathGlobs.isEmpty }

  public func matches(_ path: [UInt8]) -> Bool { matches(path[...]) }

  public func matches(_ path: ArraySlice<UInt8>) -> Bool {
    let slash = path.lastIndex(of: UInt8(ascii: "/"))
    let name = slash.map { path[($0 + 1)...] } ?? path
    if names.contains(name) { return true }
    for ending in suffixes where name.count >= ending.count && name.suffix(ending.count).elementsEqual(ending) { return true }
    if !folders.isEmpty, let slash {
      var start = path.startIndex
      while start < slash {
        var end = start
        while end < slash, path[end] != UInt8(ascii: "/") { end += 1 }
        if folders.contains(path[start..<end]) { return true }
        start = end + 1
      }
    }
    return nameGlobs.contains { $0.matches(name) } || pathGlobs.contains { $0.matches(path) }
  }
}
