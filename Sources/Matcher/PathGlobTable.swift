import GlobEngine

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Every path glob of a rule set, compiled once and matched in one pass over a path: the rule set asks,
/// for every file of the tip and every path of history, which of some three hundred glob lists (a rule's
/// `paths`, its `allowPaths`, the test paths...) take it, and almost none do. Same answers as
/// `PathGlob.matches`, glob by glob:
/// - the path is case-folded once, into a stack buffer; the globs are folded already;
/// - plain names and plain whole paths are looked up in hash tables, `*suffix` names in buckets by last
///   byte, `**/folder/**` in a table of folder names walked once over the path's folders;
/// - the rest run the general matcher, after checking the literal bytes they must start and end with.
/// The answer is a bit per list, in a caller's buffer of `wordCount` words.
struct PathGlobTable: Sendable {
  /// The lists each distinct glob belongs to: `members[memberStart[g]..<memberStart[g + 1]]`.
  private let memberStart: [Int32]
  private let members: [Int32]
  private let names: ByteKeyTable
  private let wholePaths: ByteKeyTable
  private let folders: ByteKeyTable
  /// `*suffix` name globs by the suffix's last byte: `suffixes[suffixStart[b]..<suffixStart[b + 1]]`.
  private let suffixStart: [Int32]
  private let suffixes: [(bytes: [UInt8], glob: Int32)]
  /// Globs that take every path (`*`).
  private let universal: [Int32]
  private let general: [General]
  let listCount: Int
  let wordCount: Int

  private struct General: Sendable {
    let glob: Int32
    let program: GlobProgram
    let basenameOnly: Bool
    /// Literal bytes the subject must start and end with.
    let head: [UInt8]
    let tail: [UInt8]
  }

  init(lists: [[PathGlob]]) {
    listCount = lists.count
    wordCount = max(1, (lists.count + 63) / 64)
    // Distinct globs by what they match, each with the lists it is in.
    var index: [PathGlobKey: Int] = [:]
    var globs: [(key: PathGlobKey, lists: [Int32])] = []
    for (list, patterns) in lists.enumerated() {
      for glob in patterns {
        let key = PathGlobKey(glob)
        if let g = index[key] {
          if globs[g].lists.last != Int32(list) { globs[g].lists.append(Int32(list)) }
        } else {
          index[key] = globs.count
          globs.append((key, [Int32(list)]))
        }
      }
    }
    var memberStart: [Int32] = [0]
    var members: [Int32] = []
    var names: [([UInt8], Int32)] = [], wholePaths: [([UInt8], Int32)] = [], folders: [([UInt8], Int32)] = []
    var suffixes: [(bytes: [UInt8], glob: Int32)] = []
    var universal: [Int32] = []
    var general: [General] = []
    for (g, entry) in globs.enumerated() {
      members += entry.lists
      memberStart.append(Int32(members.count))
      let key = entry.key
      let id = Int32(g)
      switch key.kind {
      case .name: names.append((key.bytes, id))
      case .wholePath: wholePaths.append((key.bytes, id))
      case .folder: folders.append((key.bytes, id))
      case .suffix:
        if key.bytes.isEmpty { universal.append(id) } else { suffixes.append((key.bytes, id)) }
      case .general:
        general.append(General(glob: id, program: GlobProgram(key.bytes, foldCase: true), basenameOnly: key.basenameOnly,
                               head: PathGlobKey.head(key.bytes), tail: PathGlobKey.tail(key.bytes)))
      }
    }
    suffixes.sort { ($0.bytes.last!, $0.glob) < ($1.bytes.last!, $1.glob) }
    var suffixStart = [Int32](repeating: 0, count: 257)
    for suffix in suffixes { suffixStart[Int(suffix.bytes.last!) + 1] += 1 }
    for b in 0..<256 { suffixStart[b + 1] += suffixStart[b] }
    self.memberStart = memberStart
    self.members = members
    self.names = ByteKeyTable(names)
    self.wholePaths = ByteKeyTable(wholePaths)
    self.folders = ByteKeyTable(folders)
    self.suffixStart = suffixStart
    self.suffixes = suffixes
    self.universal = universal
    self.general = general
  }

  /// Sets bit `l` of `bits` (`wordCount` words, cleared here) for every list `l` with a glob that takes
  /// `path`; returns false when no list does.
  func match(_ path: UnsafeBufferPointer<UInt8>, into bits: UnsafeMutableBufferPointer<UInt64>) -> Bool {
    for w in 0..<wordCount { bits[w] = 0 }
    var any = false
    if path.count <= 1024 {
      return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, path.count)) { folded in
        matchFolded(Self.fold(path, into: folded), bits, &any)
        return any
      }
    }
    let folded = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: path.count)
    defer { folded.deallocate() }
    matchFolded(Self.fold(path, into: folded), bits, &any)
    return any
  }

  private static func fold(_ path: UnsafeBufferPointer<UInt8>, into folded: UnsafeMutableBufferPointer<UInt8>)
    -> UnsafeBufferPointer<UInt8>
  {
    for i in 0..<path.count { folded[i] = PathGlob.fold(path[i]) }
    return UnsafeBufferPointer(start: folded.baseAddress, count: path.count)
  }

  private func matchFolded(_ path: UnsafeBufferPointer<UInt8>, _ bits: UnsafeMutableBufferPointer<UInt64>, _ any: inout Bool) {
    var slash = path.count - 1
    while slash >= 0 && path[slash] != UInt8(ascii: "/") { slash -= 1 }
    let name = UnsafeBufferPointer(rebasing: path[(slash + 1)...])

    func hit(_ glob: Int32) {
      any = true
      members.withUnsafeBufferPointer { members in
        for i in Int(memberStart[Int(glob)])..<Int(memberStart[Int(glob) + 1]) {
          let list = Int(members[i])
          bits[list >> 6] |= 1 << UInt64(list & 63)
        }
      }
    }

    for glob in universal { hit(glob) }
    if let glob = names.find(name) { hit(glob) }
    if !wholePaths.isEmpty, let glob = wholePaths.find(path) { hit(glob) }
    if let last = name.last {
      suffixes.withUnsafeBufferPointer { suffixes in
        for i in Int(suffixStart[Int(last)])..<Int(suffixStart[Int(last) + 1]) {
          let suffix = suffixes[i]
          if Self.hasSuffix(name, suffix.bytes) { hit(suffix.glob) }
        }
      }
    }
    if !folders.isEmpty {
      var start = 0
      while start < slash {
        var end = start
        while path[end] != UInt8(ascii: "/") { end += 1 }
        if let glob = folders.find(UnsafeBufferPointer(rebasing: path[start..<end])) { hit(glob) }
        start = end + 1
      }
    }
    general.withUnsafeBufferPointer { general in
      for entry in general {
        let subject = entry.basenameOnly ? name : path
        guard Self.hasPrefix(subject, entry.head), Self.hasSuffix(subject, entry.tail) else { continue }
        if entry.program.matches(subject) { hit(entry.glob) }
      }
    }
  }

  @inline(__always) private static func hasSuffix(_ subject: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
    guard subject.count >= suffix.count else { return false }
    return suffix.withUnsafeBufferPointer { suffix in
      let offset = subject.count - suffix.count
      for i in 0..<suffix.count where subject[offset + i] != suffix[i] { return false }
      return true
    }
  }

  @inline(__always) private static func hasPrefix(_ subject: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
    guard subject.count >= prefix.count else { return false }
    return prefix.withUnsafeBufferPointer { prefix in
      for i in 0..<prefix.count where subject[i] != prefix[i] { return false }
      return true
    }
  }
}

/// What one glob matches, for deduplication and dispatch: its kind and its folded bytes.
private struct PathGlobKey: Hashable {
  let kind: PathGlobKind
  let bytes: [UInt8]
  let basenameOnly: Bool

  init(_ glob: PathGlob) {
    basenameOnly = glob.basenameOnly
    let bytes = glob.bytes
    switch glob.shape {
    case .exact:
      kind = glob.basenameOnly ? .name : .wholePath
      self.bytes = bytes
    case .suffix:
      kind = .suffix
      self.bytes = Array(bytes.dropFirst())
    case .general:
      // `**/folder/**`: a folder of that name anywhere above the file.
      let special: Set<UInt8> = [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "/")]
      let opening = Array("**/".utf8), closing = Array("/**".utf8)
      if bytes.count > 6, bytes.starts(with: opening), bytes.suffix(3).elementsEqual(closing),
         !bytes[3..<(bytes.count - 3)].contains(where: special.contains)
      {
        kind = .folder
        self.bytes = Array(bytes[3..<(bytes.count - 3)])
      } else {
        kind = .general
        self.bytes = bytes
      }
    }
  }

  private static let wildcards: Set<UInt8> = [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]")]

  /// The literal bytes before the first wildcard or class: a matching subject starts with them.
  static func head(_ pattern: [UInt8]) -> [UInt8] {
    Array(pattern.prefix { !wildcards.contains($0) })
  }

  /// The literal bytes after the last wildcard or class: a matching subject ends with them. A slash
  /// right after `**` is not required (`**/x` takes `x`), so a leading slash is left out.
  static func tail(_ pattern: [UInt8]) -> [UInt8] {
    var tail = pattern.suffix(from: (pattern.lastIndex(where: wildcards.contains) ?? -1) + 1)
    if tail.first == UInt8(ascii: "/") { tail = tail.dropFirst() }
    return Array(tail)
  }
}

private enum PathGlobKind: Hashable {
  case name, wholePath, folder, suffix, general
}

/// Byte strings to values, open addressing on an FNV-1a hash: a lookup hashes and compares the bytes in
/// place, with no allocation.
struct ByteKeyTable: Sendable {
  private let keys: [[UInt8]]
  private let values: [Int32]
  /// Index into `keys` plus one, 0 for an empty slot.
  private let slots: [Int32]
  private let mask: Int

  init(_ entries: [([UInt8], Int32)]) {
    var capacity = 8
    while capacity < entries.count * 2 { capacity <<= 1 }
    var slots = [Int32](repeating: 0, count: capacity)
    for (i, entry) in entries.enumerated() {
      var slot = Int(truncatingIfNeeded: entry.0.withUnsafeBufferPointer(Self.hash)) & (capacity - 1)
      while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
      slots[slot] = Int32(i + 1)
    }
    keys = entries.map(\.0)
    values = entries.map(\.1)
    self.slots = slots
    mask = capacity - 1
  }

  var isEmpty: Bool { keys.isEmpty }

  @inline(__always) static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
  }

  func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
    if keys.isEmpty { return nil }
    return slots.withUnsafeBufferPointer { slots in
      var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
      while slots[slot] != 0 {
        let entry = Int(slots[slot] - 1)
        let equal = keys[entry].withUnsafeBufferPointer { stored in
          stored.count == key.count && (key.isEmpty || memcmp(stored.baseAddress!, key.baseAddress!, key.count) == 0)
        }
        if equal { return values[entry] }
        slot = (slot + 1) & mask
      }
      return nil
    }
  }
}
