#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The facts of paths by path bytes: open addressing on an FNV-1a hash, looked up in place with no
/// allocation. A matcher keeps one for every path it was asked about, shared by its threads under a
/// lock (a scan meets the same paths in each history worker, then in the tip scan and the report, and
/// matching a path against every glob of the rules costs more than scanning a typical run of added
/// lines); each scratch keeps one of the paths it met, so the history pass takes that lock only on a
/// path's first sight in a worker. Paths whose facts are equal share one `PathInfo`.
struct PathFactsTable {
  /// Per slot: the entry's index plus one in the low 32 bits (0: empty), the high half of its path's
  /// hash in the high 32 bits, so a probe compares hashes without reading the entry.
  private var slots: [UInt64] = [UInt64](repeating: 0, count: 1024)
  private var paths: [[UInt8]] = []
  private var hashes: [UInt64] = []
  private var infos: [SecretMatcher.PathInfo] = []
  private var distinct: [SecretMatcher.PathInfo] = []
  /// A long history changes tens of thousands of paths (100,000 commits of the synthetic history: about
  /// 33,000); past this many the table starts again rather than grow without bound.
  static let limit = 1 << 18
  static let distinctLimit = 64

  static func hash(_ path: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in path { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
  }

  func find(_ path: UnsafeRawBufferPointer, hash: UInt64) -> SecretMatcher.PathInfo? {
    slots.withUnsafeBufferPointer { slots in
      let mask = slots.count - 1
      let high = hash >> 32
      var slot = Int(truncatingIfNeeded: hash) & mask
      while slots[slot] != 0 {
        if slots[slot] >> 32 == high {
          let entry = Int(slots[slot] & 0xFFFF_FFFF) - 1
          if Self.same(paths[entry], path) { return infos[entry] }
        }
        slot = (slot + 1) & mask
      }
      return nil
    }
  }

  /// Remembers `info` for `path` (unless it is known already) and returns what is remembered.
  mutating func insert(_ path: UnsafeRawBufferPointer, hash: UInt64, _ info: SecretMatcher.PathInfo) -> SecretMatcher.PathInfo {
    if let known = find(path, hash: hash) { return known }
    if paths.count >= Self.limit { self = PathFactsTable() }
    if (paths.count + 1) * 2 > slots.count { grow() }
    let shared = distinct.first { $0 == info } ?? info
    if shared === info && distinct.count < Self.distinctLimit { distinct.append(info) }
    paths.append(Array(path))
    hashes.append(hash)
    infos.append(shared)
    place(paths.count - 1, hash: hash)
    return shared
  }

  private mutating func grow() {
    let old = slots
    slots = [UInt64](repeating: 0, count: old.count * 2)
    for value in old where value != 0 {
      let entry = Int(value & 0xFFFF_FFFF) - 1
      place(entry, hash: hashes[entry])
    }
  }

  private mutating func place(_ entry: Int, hash: UInt64) {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] != 0 { slot = (slot + 1) & mask }
    slots[slot] = (hash >> 32) << 32 | UInt64(entry + 1)
  }

  static func same(_ known: [UInt8], _ path: UnsafeRawBufferPointer) -> Bool {
    known.count == path.count && known.withUnsafeBytes { path.isEmpty || memcmp($0.baseAddress!, path.baseAddress!, path.count) == 0 }
  }
}
