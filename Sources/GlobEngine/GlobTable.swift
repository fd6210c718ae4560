/// Many lists of globs matched as one, in one pass over a path: the secret rules ask which of some three
/// hundred lists (a rule's `paths`, its `allowPaths`, the test paths...) take a path, the classifier
/// which is the first of its classes that claims it. Same answers as `Glob.matches`, glob by glob:
/// - globs that match the same paths are kept once, with the lists they are in; they are numbered in
///   the order of the lists, so a lower number never belongs to a later first list;
/// - file names and whole paths are looked up in hash tables, file-name endings among those ending with
///   the same byte, folder names in a table walked once over the path's folders;
/// - the rest run the automaton, after checking the literal bytes they must start and end with;
/// - a table of case-folded globs folds the path once.
public struct GlobTable: Sendable {
  private let storage: Storage
  public let listCount: Int
  /// Words of the caller's buffer for `lists(_:into:)`.
  public let wordCount: Int

  public init(lists: [[Glob]]) {
    storage = Storage(lists)
    listCount = lists.count
    wordCount = max(1, (lists.count + 63) / 64)
  }

  public var isEmpty: Bool { storage.globCount == 0 }

  /// Sets bit `l` of `bits` (`wordCount` words, cleared here) for every list `l` with a glob that takes
  /// `path`; returns false when no list does.
  public func lists(_ path: UnsafeBufferPointer<UInt8>, into bits: UnsafeMutableBufferPointer<UInt64>) -> Bool {
    for w in 0..<wordCount { bits[w] = 0 }
    var any = false
    let s = storage
    s.folding(path) { t, n in
      _ = s.scan(t, n, firstOnly: false) { glob in
        any = true
        for i in Int(s.memberStart[glob])..<Int(s.memberStart[glob + 1]) {
          let list = Int(s.members[i])
          bits[list >> 6] |= 1 << UInt64(list & 63)
        }
      }
    }
    return any
  }

  /// The first list with a glob that takes `path`, or nil.
  public func firstList(_ path: UnsafeBufferPointer<UInt8>) -> Int? {
    let s = storage
    let glob = s.folding(path) { t, n in s.scan(t, n, firstOnly: true) { _ in } }
    return glob == .max ? nil : Int(s.members[Int(s.memberStart[Int(glob)])])
  }

  final class Storage: @unchecked Sendable {
    let globCount: Int
    let folded: Bool
    /// The lists each glob is in: `members[memberStart[g]..<memberStart[g + 1]]`, lowest first.
    let memberStart: UnsafeMutableBufferPointer<Int32>
    let members: UnsafeMutableBufferPointer<Int32>
    let names: ByteTable
    let paths: ByteTable
    let folders: ByteTable
    /// `*suffix` globs by the suffix's last byte: `suffixes[suffixStart[b]..<suffixStart[b + 1]]`, in
    /// glob order; their bytes in `pool`.
    let suffixStart: UnsafeMutableBufferPointer<Int32>
    let suffixes: UnsafeMutableBufferPointer<Suffix>
    let pool: UnsafeMutableBufferPointer<UInt8>
    /// Globs that take every path (`*`), in glob order.
    let universal: [Int32]
    /// The general globs, in glob order.
    let generals: [(glob: Int32, compiled: Glob.Compiled)]

    struct Suffix {
      var offset: Int32
      var count: Int32
      var glob: Int32
    }

    init(_ lists: [[Glob]]) {
      var index: [Glob.Key: Int] = [:]
      var globs: [(compiled: Glob.Compiled, lists: [Int32])] = []
      for (list, patterns) in lists.enumerated() {
        for glob in patterns {
          let key = glob.compiled.key
          if let g = index[key] {
            if globs[g].lists.last != Int32(list) { globs[g].lists.append(Int32(list)) }
          } else {
            index[key] = globs.count
            globs.append((glob.compiled, [Int32(list)]))
          }
        }
      }
      globCount = globs.count
      let folded = globs.first?.compiled.folded ?? false
      precondition(globs.allSatisfy { $0.compiled.folded == folded }, "a glob table folds case for all its globs or none")
      self.folded = folded
      var memberStart: [Int32] = [0], members: [Int32] = []
      var names: [([UInt8], Int32)] = [], paths: [([UInt8], Int32)] = [], folders: [([UInt8], Int32)] = []
      var suffixes: [(last: UInt8, entry: Suffix)] = []
      var bytes: [UInt8] = []
      var universal: [Int32] = []
      var generals: [(glob: Int32, compiled: Glob.Compiled)] = []
      for (g, entry) in globs.enumerated() {
        members += entry.lists
        memberStart.append(Int32(members.count))
        let c = entry.compiled, id = Int32(g)
        let literal = Array(UnsafeBufferPointer(start: c.literal, count: c.literalCount))
        switch c.shape {
        case .name: names.append((literal, id))
        case .path: paths.append((literal, id))
        case .folder: folders.append((literal, id))
        case .general: generals.append((id, c))
        case .suffix:
          if literal.isEmpty {
            universal.append(id)
          } else {
            suffixes.append((literal.last!, Suffix(offset: Int32(bytes.count), count: Int32(literal.count), glob: id)))
            bytes += literal
          }
        }
      }
      self.memberStart = .allocate(capacity: memberStart.count)
      _ = self.memberStart.initialize(from: memberStart)
      self.members = .allocate(capacity: max(1, members.count))
      _ = self.members.initialize(from: members)
      self.names = ByteTable(names)
      self.paths = ByteTable(paths)
      self.folders = ByteTable(folders)
      suffixes.sort { ($0.last, $0.entry.glob) < ($1.last, $1.entry.glob) }
      var start = [Int32](repeating: 0, count: 257)
      for suffix in suffixes { start[Int(suffix.last) + 1] += 1 }
      for b in 0..<256 { start[b + 1] += start[b] }
      suffixStart = .allocate(capacity: 257)
      _ = suffixStart.initialize(from: start)
      self.suffixes = .allocate(capacity: max(1, suffixes.count))
      _ = self.suffixes.initialize(from: suffixes.map(\.entry))
      pool = .allocate(capacity: max(1, bytes.count))
      _ = pool.initialize(from: bytes)
      self.universal = universal
      self.generals = generals
    }

    deinit {
      memberStart.deallocate()
      members.deallocate()
      suffixStart.deallocate()
      suffixes.deallocate()
      pool.deallocate()
    }

    /// Runs `body` on the path, folded first when the globs are.
    @inline(__always) func folding<R>(_ path: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
      let n = path.count
      guard folded, n > 0 else { return body(path.baseAddress ?? Glob.emptyText, n) }
      func fold(_ into: UnsafeMutableBufferPointer<UInt8>) -> R {
        for i in 0..<n { into[i] = GlobProgram.fold(path[i]) }
        return body(UnsafePointer(into.baseAddress!), n)
      }
      if n <= 1024 { return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n, fold) }
      let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: n)
      defer { buffer.deallocate() }
      return fold(buffer)
    }

    /// Calls `hit` with every glob that takes the path (folded as the globs are), or with `firstOnly`
    /// returns the lowest-numbered one (`Int32.max` for none) and skips what cannot be lower.
    @inline(__always) func scan(_ t: UnsafePointer<UInt8>, _ n: Int, firstOnly: Bool, _ hit: (Int) -> Void) -> Int32 {
      var best = Int32.max
      @inline(__always) func found(_ glob: Int32) {
        if firstOnly {
          best = min(best, glob)
        } else {
          hit(Int(glob))
        }
      }
      let name = Glob.nameStart(t, n)
      for glob in universal {
        found(glob)
        if firstOnly { break }
      }
      if let glob = names.value(t + name, n - name) { found(glob) }
      if let glob = paths.value(t, n) { found(glob) }
      if n > name {
        let last = Int(t[n - 1])
        let base = UnsafePointer(pool.baseAddress!)
        for k in Int(suffixStart[last])..<Int(suffixStart[last + 1]) {
          let suffix = suffixes[k]
          if suffix.glob >= best { break }
          let count = Int(suffix.count)
          if n - name >= count, Glob.equal(t + n - count, base + Int(suffix.offset), count, fold: false) {
            found(suffix.glob)
            if firstOnly { break }
          }
        }
      }
      if !folders.isEmpty {
        // Every folder before the file name.
        var start = 0
        while start < name, best > folders.minimum {
          var end = start
          while t[end] != Glob.Compiled.slash { end += 1 }
          if let glob = folders.value(t + start, end - start) { found(glob) }
          start = end + 1
        }
      }
      for (glob, compiled) in generals {
        if glob >= best { break }
        if compiled.matchesGeneral(t, n, name: name, fold: false) {
          found(glob)
          if firstOnly { break }
        }
      }
      return best
    }
  }
}

/// Many globs matched as one (a `GlobTable` of one list): matches a path when any of the globs does.
public struct GlobSet: Sendable {
  private let table: GlobTable

  public init(_ globs: [Glob]) { table = GlobTable(lists: [globs]) }

  /// The patterns compiled in one dialect.
  public init(_ patterns: [String], case letters: Glob.Case, anchoring: Glob.Anchoring) {
    self.init(patterns.map { Glob($0, case: letters, anchoring: anchoring) })
  }

  public var isEmpty: Bool { table.isEmpty }

  public func matches(_ path: [UInt8]) -> Bool { path.withUnsafeBufferPointer { table.firstList($0) != nil } }

  public func matches(_ path: ArraySlice<UInt8>) -> Bool { path.withUnsafeBufferPointer { table.firstList($0) != nil } }

  public func matches(_ path: UnsafeBufferPointer<UInt8>) -> Bool { table.firstList(path) != nil }
}

/// An immutable open-addressing hash table from byte strings to a value (the lowest given for a key): a
/// lookup hashes and compares the bytes in place, with no allocation.
public struct ByteTable: @unchecked Sendable {
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
  public let isEmpty: Bool
  /// The lowest value of all keys.
  public let minimum: Int32

  public init(_ entries: [([UInt8], Int32)]) {
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
      var i = key.withUnsafeBufferPointer { Self.hash($0.baseAddress ?? Glob.emptyText, $0.count) } & (size - 1)
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

  public func value(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
    if isEmpty { return nil }
    let s = storage
    var i = Self.hash(p, n) & s.mask
    let keys = UnsafePointer(s.keys.baseAddress!)
    while true {
      let slot = s.slots[i]
      if slot.count < 0 { return nil }
      if Int(slot.count) == n, Glob.equal(keys + Int(slot.offset), p, n, fold: false) { return slot.value }
      i = (i + 1) & s.mask
    }
  }
}
