import CDeflate
import CLibGit2
import Foundation
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import Synchronization

/// Reads objects straight out of the repository's pack files: the index and the pack are mapped once,
/// objects are inflated with libdeflate and delta chains resolved here, with a per-store cache of the
/// delta bases on the way (the history pass reads the same bases over and over; libgit2's shared
/// 16 MB base cache, its pack-window locks and its object cache cost twice git's own time).
/// Anything not in a pack we can read (loose objects, alternates, an old index format) is read
/// through libgit2, so every repository libgit2 opens reads the same here.
///
/// One store per thread: it owns its decompressor, scratch and cache.
extension git_oid {
  /// From the 20 id bytes where a raw tree or a pack index holds them.
  init(bytes: UnsafePointer<UInt8>) {
    self.init()
    withUnsafeMutableBytes(of: &id) { $0.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: 20)) }
  }
}

final class ObjectStore {
  enum Kind: UInt8 {
    case commit = 1, tree = 2, blob = 3, tag = 4
  }

  struct Object {
    let kind: Kind
    let data: [UInt8]
  }

  private let packs: [Pack]
  private let odb: OpaquePointer
  private let decompressor: OpaquePointer
  private var cache: BaseCache
  /// When given, where every base but trees is kept: the cache of several stores.
  private let shared: SharedBaseCache?
  /// The pack that answered last: consecutive reads usually hit the same one.
  private var lastPack = 0
  private var deltaScratch: [UInt8] = []
  /// What a read is counted as, at least, towards handing the pack's pages back: for reads all over
  /// the pack (the tip's files), the 64 KiB the kernel maps around each fault; 0 for the history pass,
  /// which reads the pack roughly in order.
  var pageFootprint = 0

  /// Reads the packs of `repository`'s object folder; `cacheBytes` bounds the delta-base cache.
  /// With `shared`, only trees are kept in the store's own cache (of `cacheBytes`), every other base
  /// in the shared one: in the history pass the trees of one commit's diff are read again by the
  /// next commit, which the same worker diffs, while both workers read the same stretch of history, so
  /// the same blob bases.
  init(repository: OpaquePointer, cacheBytes: Int = 32 << 20, shared: SharedBaseCache? = nil) throws(GitError) {
    var odb: OpaquePointer?
    try check(git_repository_odb(&odb, repository), "git_repository_odb")
    self.odb = odb!
    guard let decompressor = libdeflate_alloc_decompressor() else {
      git_odb_free(odb)
      throw GitError(kind: .other, message: "out of memory (decompressor)", call: "libdeflate_alloc_decompressor")
    }
    self.decompressor = decompressor
    cache = BaseCache(limit: cacheBytes)
    self.shared = shared
    let common = git_repository_commondir(repository).map { String(cString: $0) } ?? ""
    packs = Self.objectFolders(common + "objects").flatMap { Pack.all(in: $0 + "/pack") }
  }

  /// The object folder and those it borrows from (`info/alternates`, as a `git clone --shared` writes
  /// it: one folder a line, absolute or relative to the object folder; followed five deep, as git does).
  static func objectFolders(_ folder: String, depth: Int = 0) -> [String] {
    var out = [folder]
    guard depth < 5, let text = try? String(contentsOfFile: folder + "/info/alternates", encoding: .utf8) else { return out }
    for line in text.split(separator: "\n") where !line.isEmpty && !line.hasPrefix("#") {
      let path = line.hasPrefix("/") ? String(line) : folder + "/" + line
      out += objectFolders(path, depth: depth + 1)
    }
    return out
  }

  deinit {
    libdeflate_free_decompressor(decompressor)
    git_odb_free(odb)
  }

  func read(_ id: git_oid) throws(GitError) -> Object {
    var oid = id
    return try withUnsafeBytes(of: &oid.id) { raw throws(GitError) in
      try read(raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }
  }

  /// The object with these 20 id bytes.
  func read(_ id: UnsafePointer<UInt8>) throws(GitError) -> Object {
    guard let (p, offset) = locate(id) else { return try readThroughLibGit2(id) }
    do {
      return try unpack(pack: p, offset: offset)
    } catch {
      throw GitError(kind: .unreadableObject, message: "cannot read object \(ObjectID(git_oid(bytes: id)).hex): \(error.message)",
                     call: "pack")
    }
  }

  /// Which of our packs holds the object, and where; the pack that answered last is asked first.
  /// The history pass asks for most trees and blobs twice (as a commit's new side, then as the next
  /// commit's old side): the answers of recent lookups are kept by id, so the second costs no search
  /// of the index.
  private func locate(_ id: UnsafePointer<UInt8>) -> (pack: Int, offset: Int)? {
    let key = Located(id)
    let slot = Int(truncatingIfNeeded: key.a) & (Located.slots - 1)
    if located[slot].pack >= 0, located[slot].same(key) { return (Int(located[slot].pack), located[slot].offset) }
    for step in 0..<packs.count {
      let p = (lastPack + step) % packs.count
      if let offset = packs[p].offset(of: id) {
        lastPack = p
        located[slot] = key.found(pack: p, offset: offset)
        return (p, offset)
      }
    }
    return nil
  }

  private var located = [Located](repeating: Located(), count: Located.slots)

  /// An id and where it was found; `pack` is -1 in an empty slot.
  private struct Located {
    static let slots = 4096
    var a: UInt64 = 0, b: UInt64 = 0, c: UInt32 = 0
    var pack: Int32 = -1
    var offset = 0

    init() {}

    init(_ id: UnsafePointer<UInt8>) {
      let raw = UnsafeRawPointer(id)
      a = raw.loadUnaligned(as: UInt64.self)
      b = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
      c = raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
    }

    func same(_ other: Located) -> Bool { a == other.a && b == other.b && c == other.c }

    func found(pack: Int, offset: Int) -> Located {
      var out = self
      out.pack = Int32(pack)
      out.offset = offset
      return out
    }
  }

  /// The size of an object without reading it whole: from the pack entry's header, or for a delta from
  /// the target size at the head of the (small) delta.
  func size(_ id: git_oid) throws(GitError) -> Int {
    var oid = id
    let found = withUnsafeBytes(of: &oid.id) { locate($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
    guard let (p, offset) = found else {
      var size = 0
      var type = GIT_OBJECT_ANY
      try check(git_odb_read_header(&size, &type, odb, &oid), "git_odb_read_header")
      return size
    }
    let pack = packs[p]
    let entry = try pack.entry(at: offset)
    guard entry.type == 6 || entry.type == 7 else { return entry.size }
    try inflate(pack, at: entry.dataStart, size: entry.size, into: &deltaScratch)
    var i = 0
    _ = Self.varint(deltaScratch, &i)
    guard let target = Self.varint(deltaScratch, &i) else { throw corrupt("delta header") }
    return target
  }

  /// A delta header's size: seven bits a byte, low bits first.
  private static func varint(_ bytes: [UInt8], _ i: inout Int) -> Int? {
    var value = 0, shift = 0
    while i < bytes.count {
      let c = bytes[i]
      i += 1
      value |= Int(c & 0x7f) << shift
      shift += 7
      if c & 0x80 == 0 { return value }
      if shift > 56 { return nil }
    }
    return nil
  }

  private func readThroughLibGit2(_ id: UnsafePointer<UInt8>) throws(GitError) -> Object {
    var oid = git_oid(bytes: id)
    var object: OpaquePointer?
    try check(git_odb_read(&object, odb, &oid), "git_odb_read")
    defer { git_odb_object_free(object) }
    guard let kind = Kind(rawValue: UInt8(clamping: git_odb_object_type(object).rawValue)) else {
      throw GitError(kind: .unreadableObject, message: "object \(ObjectID(oid).hex) has an unknown type", call: "git_odb_read")
    }
    let size = git_odb_object_size(object)
    guard size > 0, let data = git_odb_object_data(object) else { return Object(kind: kind, data: []) }
    return Object(kind: kind, data: Array(UnsafeRawBufferPointer(start: data, count: size)))
  }

  // MARK: - Packs

  private struct Link {
    let offset: Int
    let dataStart: Int
    let size: Int
  }

  private func corrupt(_ what: String) -> GitError {
    GitError(kind: .unreadableObject, message: "corrupt pack entry (\(what))", call: "pack")
  }

  /// Resolves the object at `offset`: walks its delta chain down to a cached or whole base, then applies
  /// the deltas upwards, caching each base it passes.
  private func unpack(pack p: Int, offset: Int) throws(GitError) -> Object {
    let pack = packs[p]
    var chain: [Link] = []
    var position = offset
    var base: Object
    while true {
      if let hit = cached(pack, position) {
        base = hit
        break
      }
      let entry = try pack.entry(at: position)
      switch entry.type {
      case 1...4:
        base = Object(kind: Kind(rawValue: entry.type)!, data: try inflate(pack, at: entry.dataStart, size: entry.size))
        if !chain.isEmpty || base.kind == .tree { keep(pack, position, base) }
      case 6:
        guard entry.baseOffset > 0, entry.baseOffset < position else { throw corrupt("delta base offset") }
        chain.append(Link(offset: position, dataStart: entry.dataStart, size: entry.size))
        position = entry.baseOffset
        continue
      case 7:
        chain.append(Link(offset: position, dataStart: entry.dataStart, size: entry.size))
        let baseID = pack.bytes + entry.dataStart - 20
        if let inPack = pack.offset(of: baseID) {
          position = inPack
          continue
        }
        base = try read(baseID)
      default:
        throw corrupt("type \(entry.type)")
      }
      break
    }
    for (n, link) in chain.enumerated().reversed() {
      try inflate(pack, at: link.dataStart, size: link.size, into: &deltaScratch)
      base = Object(kind: base.kind, data: try Self.apply(delta: deltaScratch, to: base.data))
      // Every base on the way is cached, as git does; the object asked for only when it is a tree
      // (each tree is read again as the parent of the next commit).
      if n > 0 || base.kind == .tree { keep(pack, link.offset, base) }
    }
    return base
  }

  /// A cached object: from this store's own cache, then the shared one.
  private func cached(_ pack: Pack, _ offset: Int) -> Object? {
    guard let key = BaseCache.key(pack: pack.serial, offset: offset) else { return nil }
    if let hit = cache.get(key) { return hit }
    return shared?.get(key)
  }

  /// Caches a base, or a tree: with a shared cache, trees stay in this store's own.
  private func keep(_ pack: Pack, _ offset: Int, _ object: Object) {
    guard let key = BaseCache.key(pack: pack.serial, offset: offset) else { return }
    if let shared, object.kind != .tree { shared.put(key, object) } else { cache.put(key, object) }
  }

  private func inflate(_ pack: Pack, at start: Int, size: Int) throws(GitError) -> [UInt8] {
    var out: [UInt8] = []
    try inflate(pack, at: start, size: size, into: &out)
    return out
  }

  private func inflate(_ pack: Pack, at start: Int, size: Int, into out: inout [UInt8]) throws(GitError) {
    guard start < pack.dataEnd else { throw corrupt("truncated") }
    // The entry's header states the size; deflate cannot expand more than 1032:1, so a larger size is a
    // corrupt header, not a buffer to allocate (a fuzzed pack asked for 437 GB).
    let (most, overflow) = (pack.dataEnd - start).multipliedReportingOverflow(by: 1032)
    guard size >= 0, overflow || size <= most + 1024 else { throw corrupt("size larger than its data can hold") }
    var failed = false
    out = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buffer, count in
      var consumed = 0
      let result = libdeflate_zlib_decompress_ex(decompressor, pack.bytes + start, pack.dataEnd - start,
                                                 buffer.baseAddress, size, &consumed, nil)
      failed = result != LIBDEFLATE_SUCCESS
      pack.read(max(consumed, pageFootprint))
      count = failed ? 0 : size
    }
    if failed { throw corrupt("bad deflate stream") }
  }

  /// git's patch-delta: a header of two sizes, then copy-from-base and insert instructions.
  static func apply(delta: [UInt8], to base: [UInt8]) throws(GitError) -> [UInt8] {
    let bad = GitError(kind: .unreadableObject, message: "corrupt delta", call: "pack")
    var i = 0
    guard let sourceSize = varint(delta, &i), sourceSize == base.count, let targetSize = varint(delta, &i) else { throw bad }
    // Each instruction byte yields at most a copy of 2^24 bytes of the base: a larger target is corrupt,
    // not a buffer to allocate.
    let (most, overflow) = delta.count.multipliedReportingOverflow(by: max(min(base.count, 0xff_ffff), 128))
    guard overflow || targetSize <= most else { throw bad }
    return try delta.withUnsafeBufferPointer { d throws(GitError) -> [UInt8] in
      var ok = true
      let out = [UInt8](unsafeUninitializedCapacity: max(targetSize, 1)) { target, count in
        base.withUnsafeBufferPointer { source in
          var written = 0
          while i < d.count {
            let op = d[i]
            i += 1
            if op & 0x80 != 0 {
              var offset = 0, length = 0
              for bit in 0..<4 where op & (1 << bit) != 0 {
                guard i < d.count else { ok = false; return }
                offset |= Int(d[i]) << (8 * bit)
                i += 1
              }
              for bit in 0..<3 where op & (0x10 << bit) != 0 {
                guard i < d.count else { ok = false; return }
                length |= Int(d[i]) << (8 * bit)
                i += 1
              }
              if length == 0 { length = 0x10000 }
              guard offset + length <= source.count, written + length <= targetSize else { ok = false; return }
              (target.baseAddress! + written).update(from: source.baseAddress! + offset, count: length)
              written += length
            } else if op != 0 {
              let length = Int(op)
              guard i + length <= d.count, written + length <= targetSize else { ok = false; return }
              (target.baseAddress! + written).update(from: d.baseAddress! + i, count: length)
              i += length
              written += length
            } else {
              ok = false
              return
            }
          }
          ok = ok && written == targetSize
          count = ok ? targetSize : 0
        }
      }
      guard ok else { throw bad }
      return out
    }
  }
}

/// One pack and its version-2 index, both mapped read-only.
/// Immutable after init but for an atomic counter: shared by the stores of every thread.
private final class Pack: @unchecked Sendable {
  struct Entry {
    let type: UInt8
    let size: Int
    let dataStart: Int
    /// For an offset delta, where its base starts.
    let baseOffset: Int
  }

  let bytes: UnsafePointer<UInt8>
  /// This mapping's number in the process: what cached objects are keyed by, with their offset (two
  /// stores may list their packs in another order, if one was added between).
  let serial: Int
  private static let serials = Atomic<Int>(0)
  /// Where object data ends (the 20-byte trailer follows).
  let dataEnd: Int
  private let packMapping: Mapping
  private let indexMapping: Mapping
  private let fanout: UnsafeRawPointer
  private let ids: UnsafePointer<UInt8>
  private let offsets: UnsafeRawPointer
  private let largeOffsets: UnsafeRawPointer
  private let count: Int

  /// Every pack of `folder` whose index we can read, by name (the order git lists them does not matter:
  /// an object is the same object in any pack). A pack already mapped for another store of this process
  /// is shared, so its pages count once.
  static func all(in folder: String) -> [Pack] {
    guard let dir = opendir(folder) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      if name.hasPrefix("pack-"), name.hasSuffix(".idx") { names.append(String(name.dropLast(4))) }
    }
    return names.sorted().compactMap { name in
      let path = "\(folder)/\(name)"
      return open.withLock { live in
        if let pack = live[path]?.pack { return pack }
        let pack = Pack(index: path + ".idx", pack: path + ".pack")
        live[path] = pack.map(WeakPack.init)
        return pack
      }
    }
  }

  private struct WeakPack {
    weak var pack: Pack?
  }

  private static let open = Mutex<[String: WeakPack]>([:])

  /// Compressed bytes read since the mapping's pages were last let go.
  private let touched = Atomic<Int>(0)

  /// Reading a pack touches all of it in time; what was read is rarely read again soon. Every 32 MiB
  /// read, the mapped pages are handed back (the kernel keeps them in its page cache), so resident
  /// memory stays bounded whatever the size of the pack.
  func read(_ bytes: Int) {
    let total = touched.add(bytes, ordering: .relaxed).newValue
    if total >= 32 << 20 {
      touched.store(0, ordering: .relaxed)
      packMapping.release()
    }
  }

  private init?(index indexPath: String, pack packPath: String) {
    guard let index = Mapping(path: indexPath), let pack = Mapping(path: packPath) else { return nil }
    let i = index.base, n = index.count
    // Version 2: magic, version, 256 fan-out counts, ids, CRCs, 4-byte offsets, 8-byte offsets, trailer.
    guard n >= 8 + 1024 + 40, i.loadUnaligned(as: UInt32.self).bigEndian == 0xff74_4f63,
          i.loadUnaligned(fromByteOffset: 4, as: UInt32.self).bigEndian == 2 else { return nil }
    let count = Int(i.loadUnaligned(fromByteOffset: 8 + 255 * 4, as: UInt32.self).bigEndian)
    guard n >= 8 + 1024 + count * 28 + 40 else { return nil }
    let p = pack.base
    guard pack.count >= 32, p.loadUnaligned(as: UInt32.self).bigEndian == 0x5041_434b,
          Int(p.loadUnaligned(fromByteOffset: 8, as: UInt32.self).bigEndian) == count else { return nil }
    indexMapping = index
    packMapping = pack
    self.count = count
    fanout = i + 8
    ids = (i + 8 + 1024).assumingMemoryBound(to: UInt8.self)
    offsets = i + 8 + 1024 + count * 24
    largeOffsets = i + 8 + 1024 + count * 28
    bytes = p.assumingMemoryBound(to: UInt8.self)
    dataEnd = pack.count - 20
    serial = Self.serials.add(1, ordering: .relaxed).newValue
  }

  /// Where the object with these id bytes starts in the pack, or nil when it is not in this pack.
  ///
  /// Ids are uniformly spread, so the position is first guessed from the id (between the fan-out
  /// bounds) and the binary search runs in a window around the guess, widened to the rest of the
  /// fan-out range when the window's edges show the id lies outside it. Ids are compared as three
  /// big-endian integers (memcmp's order, without a call per probe): the search over a whole fan-out
  /// range touched a dozen cache lines across tens of kilobytes of the index for every object read.
  func offset(of id: UnsafePointer<UInt8>) -> Int? {
    let first = Int(id[0])
    var low = first == 0 ? 0 : Int(fanout.loadUnaligned(fromByteOffset: (first - 1) * 4, as: UInt32.self).bigEndian)
    var high = Int(fanout.loadUnaligned(fromByteOffset: first * 4, as: UInt32.self).bigEndian)
    guard low < high else { return nil }
    let key = IDKey(id)
    let n = high - low
    if n > 32 {
      // The id's bits after the first byte, as a fraction of the range: the expected position.
      let fraction = UnsafeRawPointer(id).loadUnaligned(as: UInt64.self).bigEndian << 8
      let guess = low + Int(fraction.multipliedFullWidth(by: UInt64(n)).high)
      let radius = 1 << ((Int.bitWidth - n.leadingZeroBitCount + 1) / 2)  // about sqrt(n): several standard deviations
      let windowLow = max(low, guess - radius), windowHigh = min(high, guess + radius)
      if windowLow > low {
        let c = key.compare(ids + windowLow * 20)
        if c == 0 { return offset(at: windowLow) }
        if c < 0 { high = windowLow } else { low = windowLow + 1 }
      }
      if windowHigh < high, low < windowHigh {
        let c = key.compare(ids + windowHigh * 20)
        if c == 0 { return offset(at: windowHigh) }
        if c < 0 { high = windowHigh } else { low = windowHigh + 1 }
      }
    }
    while low < high {
      let mid = (low + high) / 2
      let c = key.compare(ids + mid * 20)
      if c == 0 { return offset(at: mid) }
      if c > 0 { low = mid + 1 } else { high = mid }
    }
    return nil
  }

  private func offset(at entry: Int) -> Int {
    let small = offsets.loadUnaligned(fromByteOffset: entry * 4, as: UInt32.self).bigEndian
    if small & 0x8000_0000 == 0 { return Int(small) }
    return Int(largeOffsets.loadUnaligned(fromByteOffset: Int(small & 0x7fff_ffff) * 8, as: UInt64.self).bigEndian)
  }

  /// An object id as three big-endian integers: compared in the order memcmp gives the bytes.
  private struct IDKey {
    let a: UInt64, b: UInt64, c: UInt32

    init(_ id: UnsafePointer<UInt8>) {
      let raw = UnsafeRawPointer(id)
      a = raw.loadUnaligned(as: UInt64.self).bigEndian
      b = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).bigEndian
      c = raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self).bigEndian
    }

    /// Negative when this id sorts before the one at `other`, zero when they are equal.
    @inline(__always)
    func compare(_ other: UnsafePointer<UInt8>) -> Int {
      let o = IDKey(other)
      if a != o.a { return a < o.a ? -1 : 1 }
      if b != o.b { return b < o.b ? -1 : 1 }
      if c != o.c { return c < o.c ? -1 : 1 }
      return 0
    }
  }

  func entry(at offset: Int) throws(GitError) -> Entry {
    let bad = GitError(kind: .unreadableObject, message: "corrupt pack entry header", call: "pack")
    guard offset >= 12, offset < dataEnd else { throw bad }
    var i = offset
    var c = bytes[i]
    i += 1
    let type = (c >> 4) & 7
    var size = Int(c & 0x0f), shift = 4
    while c & 0x80 != 0 {
      guard i < dataEnd, shift < 57 else { throw bad }
      c = bytes[i]
      i += 1
      size |= Int(c & 0x7f) << shift
      shift += 7
    }
    var baseOffset = 0
    if type == 6 {
      guard i < dataEnd else { throw bad }
      c = bytes[i]
      i += 1
      var distance = Int(c & 0x7f)
      while c & 0x80 != 0 {
        guard i < dataEnd, distance < (1 << 55) else { throw bad }
        c = bytes[i]
        i += 1
        distance = ((distance + 1) << 7) | Int(c & 0x7f)
      }
      baseOffset = offset - distance
    } else if type == 7 {
      i += 20
      guard i < dataEnd else { throw bad }
    }
    return Entry(type: type, size: size, dataStart: i, baseOffset: baseOffset)
  }
}

/// A file mapped read-only for the life of the object.
private final class Mapping: @unchecked Sendable {
  let base: UnsafeRawPointer
  let count: Int

  init?(path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_size > 0 else { return nil }
    let count = Int(info.st_size)
    guard let base = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
    self.base = UnsafeRawPointer(base)
    self.count = count
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: base), count) }

  /// Drops the pages from this process's resident set; the next read faults them back in.
  func release() {
    #if os(Linux)
      madvise(UnsafeMutableRawPointer(mutating: base), count, MADV_DONTNEED)
    #else
      // Elsewhere only a hint (glibc makes posix_madvise's DONTNEED a no-op, hence madvise above).
      _ = posix_madvise(UnsafeMutableRawPointer(mutating: base), count, POSIX_MADV_DONTNEED)
    #endif
  }
}

/// A delta-base cache that the stores of several threads share: the history pass's workers read the
/// same stretch of history, so the same bases, and each keeps no copy of its own.
final class SharedBaseCache: Sendable {
  private let state: Mutex<BaseCache>
  /// `limit`: the bytes the cached objects may hold.
  init(limit: Int) { state = Mutex(BaseCache(limit: limit)) }
  /// Drops every object (a finished pass empties the cache before the heap is trimmed: the cache
  /// itself may outlive the trim by a few references).
  func removeAll() { state.withLock { $0 = BaseCache(limit: $0.limit) } }
  fileprivate func get(_ key: UInt64) -> ObjectStore.Object? { state.withLock { $0.get(key) } }
  fileprivate func put(_ key: UInt64, _ object: ObjectStore.Object) { state.withLock { $0.put(key, object) } }
}

/// Least-recently-used objects by pack position, bounded in bytes.
private struct BaseCache {
  private struct Slot {
    var key: UInt64
    var object: ObjectStore.Object
    var newer: Int32
    var older: Int32
  }

  private var slots: [Slot] = []
  private var free: [Int32] = []
  private var index = SlotTable()
  private var newest: Int32 = -1
  private var oldest: Int32 = -1
  private var bytes = 0
  let limit: Int

  init(limit: Int) { self.limit = limit }

  /// The pack's serial (modulo 2^24: the packs one store lists are mapped together) and the offset;
  /// nil past the first TiB of a pack, whose objects are not cached.
  static func key(pack: Int, offset: Int) -> UInt64? {
    offset < 1 << 40 ? UInt64(truncatingIfNeeded: pack & 0xFF_FFFF) << 40 | UInt64(offset) : nil
  }

  mutating func get(_ key: UInt64) -> ObjectStore.Object? {
    guard let slot = index[key] else { return nil }
    unlink(slot)
    pushNewest(slot)
    return slots[Int(slot)].object
  }

  mutating func put(_ key: UInt64, _ object: ObjectStore.Object) {
    let size = object.data.count + 64
    guard size <= limit / 4, index[key] == nil else { return }
    while bytes + size > limit, oldest >= 0 {
      let victim = oldest
      unlink(victim)
      index.remove(slots[Int(victim)].key)
      bytes -= slots[Int(victim)].object.data.count + 64
      slots[Int(victim)].object = ObjectStore.Object(kind: .blob, data: [])
      free.append(victim)
    }
    let slot: Int32
    if let reused = free.popLast() {
      slot = reused
      slots[Int(slot)] = Slot(key: key, object: object, newer: -1, older: -1)
    } else {
      slot = Int32(slots.count)
      slots.append(Slot(key: key, object: object, newer: -1, older: -1))
    }
    index.insert(key, slot)
    bytes += size
    pushNewest(slot)
  }

  private mutating func unlink(_ slot: Int32) {
    // The two links only: copying the whole slot retained and released its object's bytes.
    let newer = slots[Int(slot)].newer, older = slots[Int(slot)].older
    if newer >= 0 { slots[Int(newer)].older = older } else { newest = older }
    if older >= 0 { slots[Int(older)].newer = newer } else { oldest = newer }
  }

  private mutating func pushNewest(_ slot: Int32) {
    slots[Int(slot)].newer = -1
    slots[Int(slot)].older = newest
    if newest >= 0 { slots[Int(newest)].newer = slot }
    newest = slot
    if oldest < 0 { oldest = slot }
  }
}

/// The cache's slots by key: open addressing with linear probing and deletion by backward shift. Every
/// object read asks it at least once; the standard dictionary's hashing was a few percent of the pass.
private struct SlotTable {
  private var keys: [UInt64]
  /// -1 for an empty place.
  private var values: [Int32]
  private var shift: UInt64
  private var count = 0

  init() {
    keys = [UInt64](repeating: 0, count: 1024)
    values = [Int32](repeating: -1, count: 1024)
    shift = 64 - 10
  }

  private var mask: Int { values.count - 1 }

  /// Fibonacci hashing: keys are pack offsets, whose low bits are far from uniform.
  @inline(__always)
  private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) >> shift) }

  subscript(key: UInt64) -> Int32? {
    var i = home(key)
    while values[i] >= 0 {
      if keys[i] == key { return values[i] }
      i = (i + 1) & mask
    }
    return nil
  }

  /// Adds a key that is not in the table.
  mutating func insert(_ key: UInt64, _ value: Int32) {
    if (count + 1) * 2 > values.count { grow() }
    var i = home(key)
    while values[i] >= 0 { i = (i + 1) & mask }
    keys[i] = key
    values[i] = value
    count += 1
  }

  mutating func remove(_ key: UInt64) {
    var i = home(key)
    while values[i] >= 0, keys[i] != key { i = (i + 1) & mask }
    guard values[i] >= 0 else { return }
    // Entries after the hole that could sit in it move back, so no probe stops short of its key.
    var j = i
    while true {
      j = (j + 1) & mask
      guard values[j] >= 0 else { break }
      let h = home(keys[j])
      let stays = i <= j ? (i < h && h <= j) : (i < h || h <= j)
      if !stays {
        keys[i] = keys[j]
        values[i] = values[j]
        i = j
      }
    }
    values[i] = -1
    count -= 1
  }

  private mutating func grow() {
    let oldKeys = keys, oldValues = values
    keys = [UInt64](repeating: 0, count: oldValues.count * 2)
    values = [Int32](repeating: -1, count: oldValues.count * 2)
    shift -= 1
    count = 0
    for n in oldValues.indices where oldValues[n] >= 0 { insert(oldKeys[n], oldValues[n]) }
  }
}
