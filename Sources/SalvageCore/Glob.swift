import GlobEngine

/// A gitignore-style glob over path bytes: `*` and `?` stay within one path segment, `**` crosses
/// segments (as a whole segment; inside one it is a `*`), `[abc]` and `[a-z]` are classes (`[!x]`
/// negates); matched by `GlobProgram`, in linear time. A pattern ending in `/` matches
/// everything below a folder of that name. A pattern matches at any folder depth (`src/test/` matches
/// `app/src/test/x`) unless it starts with `/`, which anchors it at the repository root.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
  /// Most rule patterns are one of three plain shapes; they are matched without the general matcher.
  enum Shape: Hashable, Sendable {
    case general
    /// `*.ext`: the file name ends with the literal.
    case suffix
    /// `Makefile`: the file name is the literal.
    case name
    /// `node_modules/`: a folder of that name at any depth.
    case folder
  }

  /// The compiled pattern, behind one reference: rule sets hold and iterate many globs, and a copy of
  /// a glob then costs one retain. Its bytes live in one allocation read through pointers, so matching
  /// touches no reference counts (paths are matched by the hundred thousand).
  final class Compiled: @unchecked Sendable {
    let pattern: String
    /// The pattern as matched: a trailing "/" gains "**", a leading "/" is dropped.
    let bytes: UnsafeMutableBufferPointer<UInt8>
    let anchored: Bool
    let shape: Shape
    /// Where the literal of a plain shape sits in `bytes`.
    let literal: Range<Int>
    /// How many bytes of literal the pattern ends with (after its last wildcard or class): a path that
    /// does not end with them cannot match, which rules most paths out before the general matcher runs.
    let tailCount: Int
    let program: GlobProgram

    init(_ pattern: String) {
      self.pattern = pattern
      let raw = Array(pattern.utf8)
      var p = raw
      if p.last == GlobMatcher.slash { p += Array("**".utf8) }
      if p.first == GlobMatcher.slash {
        p.removeFirst()
        anchored = true
      } else {
        anchored = false
      }
      let special: Set<UInt8> = [GlobMatcher.star, GlobMatcher.question, GlobMatcher.open, GlobMatcher.slash]
      if anchored {
        (shape, literal) = (.general, 0..<0)
      } else if raw.count > 1, raw[0] == GlobMatcher.star, !raw.dropFirst().contains(where: special.contains) {
        (shape, literal) = (.suffix, 1..<raw.count)
      } else if !raw.isEmpty, !raw.contains(where: special.contains) {
        (shape, literal) = (.name, 0..<raw.count)
      } else if raw.count > 1, raw.last == GlobMatcher.slash, !raw.dropLast().contains(where: special.contains) {
        (shape, literal) = (.folder, 0..<(raw.count - 1))
      } else {
        (shape, literal) = (.general, 0..<0)
      }
      let wildcards: Set<UInt8> = [GlobMatcher.star, GlobMatcher.question, GlobMatcher.open, GlobMatcher.close]
      var tail = p.suffix(from: (p.lastIndex(where: wildcards.contains) ?? -1) + 1)
      // `**/` also matches no folder at all: the slash after it is not required.
      if tail.first == GlobMatcher.slash { tail = tail.dropFirst() }
      tailCount = tail.count
      let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, p.count))
      _ = buffer.initialize(from: p)
      bytes = buffer
      bytesCount = p.count
      program = GlobProgram(p)
    }

    /// `bytes` may be larger than the pattern (an empty pattern still allocates one byte).
    let bytesCount: Int

    deinit { bytes.deallocate() }

    var base: UnsafePointer<UInt8> { UnsafePointer(bytes.baseAddress!) }
  }
  let compiled: Compiled
  var shape: Shape { compiled.shape }

  public var pattern: String { compiled.pattern }

  public init(_ pattern: String) { compiled = Compiled(pattern) }

  // Everything else follows from the pattern.
  public static func == (a: Glob, b: Glob) -> Bool { a.pattern == b.pattern }
  public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

  public var description: String { pattern }

  public func matches<C: Collection>(_ path: C) -> Bool where C.Element == UInt8 {
    if let hit = path.withContiguousStorageIfAvailable({ matches($0) }) { return hit }
    return Array(path).withUnsafeBufferPointer { matches($0) }
  }
  public func matches(_ path: [UInt8]) -> Bool { path.withUnsafeBufferPointer { matches($0) } }
  public func matches(_ text: ArraySlice<UInt8>) -> Bool { text.withUnsafeBufferPointer { matches($0) } }

  public func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    let c = compiled
    let t = text.baseAddress ?? GlobMatcher.emptyText, n = text.count
    let literal = c.base + c.literal.lowerBound, count = c.literal.count
    switch c.shape {
    case .general:
      return GlobMatcher.matchesGeneral(c.program, tail: c.base + c.bytesCount - c.tailCount, c.tailCount, anchored: c.anchored, t, n)
    case .suffix:
      let name = GlobMatcher.nameStart(t, n)
      return n - name >= count && GlobMatcher.equal(t + n - count, literal, count)
    case .name:
      let name = GlobMatcher.nameStart(t, n)
      return n - name == count && GlobMatcher.equal(t + name, literal, count)
    case .folder:
      // A folder segment of that name anywhere before the file name.
      var start = 0
      while start < n {
        var end = start
        while end < n, t[end] != GlobMatcher.slash { end += 1 }
        if end < n, end - start == count, GlobMatcher.equal(t + start, literal, count) { return true }
        start = end + 1
      }
      return false
    }
  }
}

/// The matching itself, on raw bytes.
enum GlobMatcher {
  static let star = UInt8(ascii: "*"), question = UInt8(ascii: "?"), slash = UInt8(ascii: "/")
  static let open = UInt8(ascii: "["), close = UInt8(ascii: "]")
  /// Stands for the bytes of an empty path (which has no base address).
  nonisolated(unsafe) static let emptyText: UnsafePointer<UInt8> = {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    p.initialize(to: 0)
    return UnsafePointer(p)
  }()

  @inline(__always) static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    while i < count {
      if a[i] != b[i] { return false }
      i += 1
    }
    return true
  }

  /// Where the file name starts: after the last "/".
  @inline(__always) static func nameStart(_ t: UnsafePointer<UInt8>, _ n: Int) -> Int {
    var i = n
    while i > 0 {
      if t[i - 1] == slash { return i }
      i -= 1
    }
    return 0
  }

  /// A general pattern: the path must end with the pattern's final literal, then the program runs on
  /// the whole path or, unanchored, on every suffix that starts a segment.
  static func matchesGeneral(_ program: GlobProgram, tail: UnsafePointer<UInt8>, _ tailCount: Int, anchored: Bool,
                             _ t: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    guard n >= tailCount, equal(t + n - tailCount, tail, tailCount) else { return false }
    return program.matches(t, n, atAnySegment: !anchored)
  }
}

/// Many globs matched as one: file names and folder names are looked up in hash tables, file-name
/// endings are compared among those that end with the same byte; only the other patterns run the
/// general matcher, and those without "/" or "**" on the file name alone (`*`, `?` and classes never
/// match a "/", so that is the only place they can match). Each glob carries a rank; the set answers
/// with the lowest rank among the globs that match (the first class of a classifier that claims a path).
final class GlobIndex: @unchecked Sendable {
  /// Literals and general patterns, all in one allocation.
  private let pool: UnsafeMutableBufferPointer<UInt8>
  private let names: ByteTable
  private let folders: ByteTable
  /// Endings grouped by their last byte: `suffixStart[b]..<suffixStart[b + 1]` index `suffixes`,
  /// lowest rank first.
  private let suffixStart: UnsafeMutableBufferPointer<Int32>
  private let suffixes: UnsafeMutableBufferPointer<Entry>
  /// General patterns, lowest rank first.
  private let generals: UnsafeMutableBufferPointer<General>
  let isEmpty: Bool

  private struct Entry {
    var offset: Int32
    var count: Int32
    var rank: Int32
  }

  private struct General {
    /// Where the pattern's final literal sits in the pool, and its length.
    var offset: Int32
    var tail: Int32
    var program: Int32
    var rank: Int32
    var anchored: Bool
    /// Matched against the file name alone.
    var onName: Bool
  }

  init(_ globs: [(glob: Glob, rank: Int)]) {
    var bytes: [UInt8] = []
    var names: [([UInt8], Int32)] = [], folders: [([UInt8], Int32)] = []
    var suffixes: [(last: UInt8, entry: Entry)] = []
    var generals: [General] = []
    var programs: [GlobProgram] = []
    for (glob, rank) in globs {
      let c = glob.compiled
      let literal = Array(UnsafeBufferPointer(start: c.base + c.literal.lowerBound, count: c.literal.count))
      switch c.shape {
      case .name: names.append((literal, Int32(rank)))
      case .folder: folders.append((literal, Int32(rank)))
      case .suffix:
        suffixes.append((literal.last!, Entry(offset: Int32(bytes.count), count: Int32(literal.count), rank: Int32(rank))))
        bytes += literal
      case .general:
        let onName = !glob.pattern.contains("/") && !glob.pattern.contains("**")
        generals.append(General(offset: Int32(bytes.count), tail: Int32(c.tailCount), program: Int32(programs.count), rank: Int32(rank),
                                anchored: c.anchored, onName: onName))
        programs.append(c.program)
        bytes += UnsafeBufferPointer(start: c.base + c.bytesCount - c.tailCount, count: c.tailCount)
      }
    }
    let pool = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, bytes.count))
    _ = pool.initialize(from: bytes)
    self.pool = pool
    self.names = ByteTable(names)
    self.folders = ByteTable(folders)
    // Stable sorts: among equal ranks the order of the rules stays.
    let sortedSuffixes = suffixes.enumerated().sorted { a, b in
      a.element.last != b.element.last ? a.element.last < b.element.last
        : a.element.entry.rank != b.element.entry.rank ? a.element.entry.rank < b.element.entry.rank : a.offset < b.offset
    }.map(\.element)
    let suffixStart = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 257)
    var at = 0
    for b in 0...256 {
      while at < sortedSuffixes.count, Int(sortedSuffixes[at].last) < b { at += 1 }
      suffixStart[b] = Int32(at)
    }
    self.suffixStart = suffixStart
    let entries = UnsafeMutableBufferPointer<Entry>.allocate(capacity: max(1, sortedSuffixes.count))
    _ = entries.initialize(from: sortedSuffixes.map(\.entry))
    self.suffixes = entries
    let sortedGenerals = generals.enumerated().sorted { a, b in
      a.element.rank != b.element.rank ? a.element.rank < b.element.rank : a.offset < b.offset
    }.map(\.element)
    let list = UnsafeMutableBufferPointer<General>.allocate(capacity: max(1, sortedGenerals.count))
    _ = list.initialize(from: sortedGenerals)
    self.generals = list
    self.programs = programs
    isEmpty = globs.isEmpty
    generalCount = sortedGenerals.count
  }

  private let generalCount: Int
  private let programs: [GlobProgram]

  deinit {
    pool.deallocate()
    suffixStart.deallocate()
    suffixes.deallocate()
    generals.deallocate()
  }

  /// The lowest rank of the globs that match the path, or nil.
  func firstMatch(_ path: UnsafeBufferPointer<UInt8>) -> Int? {
    let t = path.baseAddress ?? GlobMatcher.emptyText, n = path.count
    let name = GlobMatcher.nameStart(t, n)
    var best = Int32.max
    if let rank = names.value(t + name, n - name) { best = rank }
    if n > name {
      let last = Int(t[n - 1])
      var k = Int(suffixStart[last])
      let end = Int(suffixStart[last + 1])
      let base = UnsafePointer(pool.baseAddress!)
      while k < end {
        let e = suffixes[k]
        if e.rank >= best { break }
        let count = Int(e.count)
        if n - name >= count, GlobMatcher.equal(t + n - count, base + Int(e.offset), count) {
          best = e.rank
          break
        }
        k += 1
      }
    }
    if !folders.isEmpty, name > 0 {
      // The folder segments: every one before the file name.
      var start = 0
      while start < name, best > folders.minimum {
        var end = start
        while t[end] != GlobMatcher.slash { end += 1 }
        if let rank = folders.value(t + start, end - start), rank < best { best = rank }
        start = end + 1
      }
    }
    var g = 0
    let base = UnsafePointer(pool.baseAddress!)
    while g < generalCount {
      let general = generals[g]
      if general.rank >= best { break }
      let program = programs[Int(general.program)]
      let hit = general.onName
        ? GlobMatcher.matchesGeneral(program, tail: base + Int(general.offset), Int(general.tail), anchored: general.anchored, t + name, n - name)
        : GlobMatcher.matchesGeneral(program, tail: base + Int(general.offset), Int(general.tail), anchored: general.anchored, t, n)
      if hit {
        best = general.rank
        break
      }
      g += 1
    }
    return best == .max ? nil : Int(best)
  }
}

/// An immutable open-addressing hash table from byte strings to a rank (the lowest given for a key).
struct ByteTable: @unchecked Sendable {
  private final class Storage: @unchecked Sendable {
    let keys: UnsafeMutableBufferPointer<UInt8>
    /// Per slot: key offset, key length (-1 for an empty slot), value.
    let slots: UnsafeMutableBufferPointer<(offset: Int32, count: Int32, value: Int32)>
    let mask: Int

    init(keys: [UInt8], slots: [(offset: Int32, count: Int32, value: Int32)]) {
      let k = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, keys.count))
      _ = k.initialize(from: keys)
      self.keys = k
      let s = UnsafeMutableBufferPointer<(offset: Int32, count: Int32, value: Int32)>.allocate(capacity: slots.count)
      _ = s.initialize(from: slots)
      self.slots = s
      mask = slots.count - 1
    }

    deinit {
      keys.deallocate()
      slots.deallocate()
    }
  }

  private let storage: Storage
  let isEmpty: Bool
  /// The lowest value of all keys.
  let minimum: Int32

  init(_ entries: [([UInt8], Int32)]) {
    var unique: [[UInt8]: Int32] = [:]
    var order: [[UInt8]] = []
    for (key, value) in entries {
      if let old = unique[key] {
        unique[key] = min(old, value)
      } else {
        unique[key] = value
        order.append(key)
      }
    }
    var size = 8
    while size < unique.count * 3 { size <<= 1 }
    var slots = [(offset: Int32, count: Int32, value: Int32)](repeating: (0, -1, 0), count: size)
    var keys: [UInt8] = []
    for key in order {
      var i = key.withUnsafeBufferPointer { Self.hash($0.baseAddress ?? GlobMatcher.emptyText, $0.count) } & (size - 1)
      while slots[i].count >= 0 { i = (i + 1) & (size - 1) }
      slots[i] = (Int32(keys.count), Int32(key.count), unique[key]!)
      keys += key
    }
    storage = Storage(keys: keys, slots: slots)
    isEmpty = unique.isEmpty
    minimum = unique.values.min() ?? .max
  }

  @inline(__always) static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    var i = 0
    while i < n {
      h = (h ^ UInt64(p[i])) &* 0x100_0000_01b3
      i += 1
    }
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }

  func value(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
    if isEmpty { return nil }
    let s = storage
    var i = Self.hash(p, n) & s.mask
    let keys = UnsafePointer(s.keys.baseAddress!)
    while true {
      let slot = s.slots[i]
      if slot.count < 0 { return nil }
      if Int(slot.count) == n, GlobMatcher.equal(keys + Int(slot.offset), p, n) { return slot.value }
      i = (i + 1) & s.mask
    }
  }
}

/// Many globs matched as one (see `GlobIndex`): matches a path when any of the globs does.
public struct GlobSet: Sendable {
  private let index: GlobIndex

  public init(_ globs: [Glob]) { index = GlobIndex(globs.map { ($0, 0) }) }

  public init(_ patterns: [String]) { self.init(patterns.map(Glob.init)) }

  public var isEmpty: Bool { index.isEmpty }

  public func matches(_ path: [UInt8]) -> Bool { path.withUnsafeBufferPointer { index.firstMatch($0) != nil } }

  public func matches(_ path: ArraySlice<UInt8>) -> Bool { path.withUnsafeBufferPointer { index.firstMatch($0) != nil } }

  public func matches(_ path: UnsafeBufferPointer<UInt8>) -> Bool { index.firstMatch(path) != nil }
}
