import Foundation
import Git

/// What the history pass learned, kept between scans in the user's cache folder (never in the scanned
/// repository), so a second scan reads only the commits it has not seen. Keyed by the repository's
/// location, the rules' digest and the pass's options; a file that is corrupt, stale or of another
/// format is detected (a checksum over every byte) and rebuilt, never trusted.
///
/// The file holds a `RawHistory` column by column (signatures, paths, commits, deltas, observers'
/// records), and the walk it was made for: a scan of the same tip takes the file's commit order as its
/// walk and reads no commit object at all.
public struct HistoryCache: Sendable {
  /// Bumped whenever the layout or the meaning of a record changes.
  static let format = "salvage-history-cache-6"

  /// What a walk depends on: where it starts, the `--since` cut, and the shallow boundary (a deepened
  /// shallow clone has more history behind the same tip).
  public struct WalkKey: Equatable, Sendable {
    public let tip: ObjectID
    public let since: Int64?
    public let shallow: UInt64

    public init(tip: ObjectID, since: Int64?, shallow: Set<ObjectID>) {
      self.tip = tip
      self.since = since
      self.shallow = StableHash.value(shallow.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) }.joined())
    }

    init(tip: ObjectID, since: Int64?, shallowDigest: UInt64) {
      self.tip = tip
      self.since = since
      self.shallow = shallowDigest
    }
  }

  public let file: URL
  /// What the file held, once loaded and found sound.
  public private(set) var history: RawHistory?
  /// The walk that made it.
  public private(set) var walk: WalkKey?
  /// Why the file was not used, when it existed but was refused (for tests and `--verbose` output).
  public private(set) var rejected: String?

  /// The cache folder: `$SALVAGE_CACHE_DIR`, else `$XDG_CACHE_HOME/salvage`, else `~/.cache/salvage`.
  public static func folder() -> URL {
    let env = ProcessInfo.processInfo.environment
    if let dir = env["SALVAGE_CACHE_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
    if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("salvage") }
    return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/salvage")
  }

  /// The cache of one repository (its git folder, resolved) for one set of rules and pass options,
  /// made by this very build of Salvage: records hold analyzers' results (the secrets log), and a new
  /// build may compute them differently, so another build never reads them.
  public init(gitDirectory: String, rulesVersion: String, renames: Bool) {
    let real = URL(fileURLWithPath: gitDirectory).resolvingSymlinksInPath().standardizedFileURL.path
    let key = StableHash.hex("\(Self.format)\u{0}\(Self.build)\u{0}\(real)\u{0}\(rulesVersion)\u{0}\(renames)")
    file = Self.folder().appendingPathComponent("history-\(key).bin")
  }

  /// The running executable's size and modification time: changes with every build.
  public static let build: String = {
    #if os(Linux)
      let executable = "/proc/self/exe"
    #else
      let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
    #endif
    var info = stat()
    guard stat(executable, &info) == 0 else { return "unknown" }
    let modified = modificationTime(info)
    return "\(info.st_size)-\(modified.tv_sec)-\(modified.tv_nsec)"
  }()

  /// `stat`'s modification time: `st_mtim` in glibc and musl, `st_mtimespec` on Darwin.
  static func modificationTime(_ info: stat) -> timespec {
    #if canImport(Darwin)
      return info.st_mtimespec
    #else
      return info.st_mtim
    #endif
  }

  /// Reads the file if it is there and sound.
  public mutating func load() {
    guard let bytes = Self.read(file.path) else { return }
    do {
      (walk, history) = try Self.decode(bytes)
    } catch {
      rejected = "\(error)"
    }
  }

  /// The whole file, read straight into one buffer; nil when it cannot be read. Its modification time
  /// becomes now: a cache file in use is never pruned (see `prune`). Only a regular file is read: a FIFO
  /// or a device in its place would block the scan on open or read; it is taken as no cache (a
  /// symbolic link too), and the next save puts a file in its place.
  public static func read(_ path: String) -> [UInt8]? {
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
    _ = futimens(fd, nil)
    let size = Int(info.st_size)
    var complete = true
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      while count < size {
        let n = Foundation.read(fd, buffer.baseAddress! + count, size - count)
        if n <= 0 { complete = n == 0 && count == size; break }
        count += n
      }
    }
    return complete ? bytes : nil
  }

  /// The file's bytes, cut into blocks of about 1 MiB, each a whole number of 64-bit words: the file is
  /// never one array that doubles as it grows (the copy on growth was once a first scan's peak).
  struct BlockWriter {
    var w = ByteWriter()
    private(set) var blocks: [[UInt8]] = []
    private var hash = HistoryCache.checksumSeed

    mutating func cutIfFull() {
      guard w.out.count >= 1 << 20 else { return }
      let whole = w.out.count & ~7
      hash = HistoryCache.checksum(w.out[..<whole], from: hash)
      blocks.append(Array(w.out[..<whole]))
      w.out.removeSubrange(..<whole)
    }

    /// The blocks, then the checksum of them all.
    consuming func finish() -> [[UInt8]] {
      w.u64(HistoryCache.checksum(w.out[...], from: hash))
      return blocks + [w.out]
    }
  }

  static func encode(_ raw: RawHistory, walk: WalkKey) -> [[UInt8]] {
    var b = BlockWriter()
    b.w.bytes(Array(format.utf8))
    b.w.raw(walk.tip.bytes)
    b.w.u8(walk.since == nil ? 0 : 1)
    b.w.i64(walk.since ?? 0)
    b.w.u64(walk.shallow)
    b.w.u32(UInt32(raw.signatures.count))
    for s in raw.signatures {
      b.w.signature(s)
      b.cutIfFull()
    }
    b.w.u32(UInt32(raw.paths.count))
    for p in raw.paths {
      b.w.bytes(p)
      b.cutIfFull()
    }
    b.w.u32(UInt32(raw.commits.count))
    b.w.u32(UInt32(raw.deltas.count))
    for c in raw.commits {
      b.w.raw(c.id.bytes)
      b.w.u32(UInt32(c.parents.count))
      for p in c.parents { b.w.raw(p.bytes) }
      b.w.u32(UInt32(c.author))
      b.w.i64(c.authorTime)
      b.w.i64(Int64(c.authorOffset))
      b.w.u32(UInt32(c.committer))
      b.w.i64(c.committerTime)
      b.w.i64(Int64(c.committerOffset))
      b.w.bytes(c.subject)
      b.w.u32(UInt32(c.coAuthors.count))
      for a in c.coAuthors { b.w.u32(UInt32(a)) }
      b.w.u32(UInt32(c.deltaCount))
      b.cutIfFull()
    }
    for d in raw.deltas {
      b.w.u32(UInt32(d.path))
      b.w.u32(UInt32(bitPattern: d.oldPath))
      b.w.u32(UInt32(bitPattern: d.added))
      b.w.u32(UInt32(bitPattern: d.deleted))
      b.w.u8(d.status.rawValue)
      b.w.u8(d.binary ? 1 : 0)
      b.cutIfFull()
    }
    b.w.u32(UInt32(raw.observations.count))
    for key in raw.observations.keys.sorted() {
      b.w.bytes(Array(key.utf8))
      for record in raw.observations[key]! {
        if let record {
          b.w.u32(UInt32(record.count) + 1)
          b.w.raw(record)
        } else {
          b.w.u32(0)
        }
        b.cutIfFull()
      }
    }
    return b.finish()
  }

  /// Keeps the history of the current scan for next time. Failing to write a cache is not worth failing
  /// a scan for: the next scan just does the work again.
  public func save(_ raw: RawHistory, walk: WalkKey) {
    Self.replace(file, with: Self.encode(raw, walk: walk))
  }

  /// Writes `blocks` to a temporary file beside `file`, then renames it into place, so a reader never
  /// sees half a file; on any failure the temporary file is removed and `file` is left as it was.
  public static func replace(_ file: URL, with blocks: [[UInt8]]) {
    let folder = file.deletingLastPathComponent()
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    // A new file of our own: never through a link or into a FIFO someone left at that name.
    unlink(temporary.path)
    let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return }
    var complete = true
    for block in blocks where complete {
      block.withUnsafeBytes { raw in
        var written = 0
        while written < raw.count {
          let n = write(fd, raw.baseAddress! + written, raw.count - written)
          if n <= 0 { complete = false; return }
          written += n
        }
      }
    }
    close(fd)
    if !complete || rename(temporary.path, file.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
    prune(folder)
  }

  /// Days a cache file may go unread before a scan that writes the cache removes it.
  public static let unusedDays = 30

  /// Removes Salvage's cache files (and temporary files left by a scan that was killed) that no scan has
  /// read or written for `unusedDays`: each Salvage build and each set of rules has files of its own, and
  /// the folder would otherwise only grow. Other files in the folder are left alone.
  static func prune(_ folder: URL) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
    let cutoff = time(nil) - unusedDays * 86400
    for name in names {
      let ours = ["history-", "secrets-tip-", "tip-facts-", "lines-"].contains { name.hasPrefix($0) || name.hasPrefix("." + $0) && name.hasSuffix(".tmp") }
      var info = stat()
      let path = folder.appendingPathComponent(name).path
      guard ours, stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, modificationTime(info).tv_sec < cutoff else { continue }
      unlink(path)
    }
  }

  /// FNV-1a over 64-bit words (then the last bytes): catches a corrupt or cut file at a small cost per
  /// megabyte, where byte-at-a-time FNV took a good part of a warm scan's load.
  public static let checksumSeed: UInt64 = 0xcbf2_9ce4_8422_2325

  /// Continues a checksum (`from`) over more bytes; a run that is a whole number of words followed by
  /// another gives the same sum as the two run together.
  public static func checksum(_ bytes: ArraySlice<UInt8>, from seed: UInt64 = checksumSeed) -> UInt64 {
    bytes.withUnsafeBytes { raw in
      var hash = seed
      let words = raw.count / 8
      for i in 0..<words { hash = (hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))) &* 0x100_0000_01b3 }
      for byte in raw[(words * 8)...] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
      return hash
    }
  }

  static func decode(_ bytes: [UInt8]) throws -> (WalkKey, RawHistory) {
    func corrupt(_ why: String) -> ByteReader.Corrupt { ByteReader.Corrupt(description: why) }
    var r = try ByteReader(sealed: bytes, format: format)
    let tip = try r.oid()
    let hasSince = try r.u8() == 1
    let since = try r.i64()
    let walk = WalkKey(tip: tip, since: hasSince ? since : nil, shallowDigest: try r.u64())
    var raw = RawHistory()
    let signatureCount = Int(try r.u32())
    raw.signatures.reserveCapacity(min(signatureCount, bytes.count))
    for _ in 0..<signatureCount { raw.signatures.append(try r.signature()) }
    let pathCount = Int(try r.u32())
    raw.paths.reserveCapacity(min(pathCount, bytes.count))
    for _ in 0..<pathCount { raw.paths.append(try r.bytes()) }
    let commitCount = Int(try r.u32()), deltaCount = Int(try r.u32())
    func person() throws -> Int32 {
      let i = try r.u32()
      guard i < signatureCount else { throw corrupt("bad signature index") }
      return Int32(i)
    }
    raw.commits.reserveCapacity(min(commitCount, bytes.count))
    var deltaStart = 0
    for _ in 0..<commitCount {
      let id = try r.oid()
      var parents: [ObjectID] = []
      for _ in 0..<Int(try r.u32()) { parents.append(try r.oid()) }
      let author = try person()
      let authorTime = try r.i64()
      let authorOffset = Int16(clamping: try r.i64())
      let committer = try person()
      let committerTime = try r.i64()
      let committerOffset = Int16(clamping: try r.i64())
      let subject = try r.bytes()
      var coAuthors: [Int32] = []
      for _ in 0..<Int(try r.u32()) { coAuthors.append(try person()) }
      let count = Int(try r.u32())
      guard count <= deltaCount - deltaStart else { throw corrupt("bad delta count") }
      raw.commits.append(RawHistory.Commit(
        id: id, parents: parents, author: author, authorTime: authorTime, authorOffset: authorOffset, committer: committer,
        committerTime: committerTime, committerOffset: committerOffset, subject: subject, coAuthors: coAuthors,
        deltaStart: Int32(deltaStart), deltaCount: Int32(count)))
      deltaStart += count
    }
    guard deltaStart == deltaCount else { throw corrupt("bad delta count") }
    // The deltas are fixed-size rows: checked for room once, then loaded in place.
    let row = 18
    let table = try r.take(deltaCount * row)
    raw.deltas = try table.withUnsafeBytes { (rows: UnsafeRawBufferPointer) throws -> [RawHistory.Delta] in
      var out: [RawHistory.Delta] = []
      out.reserveCapacity(deltaCount)
      for i in 0..<deltaCount {
        let at = i * row
        func u32(_ offset: Int) -> UInt32 { UInt32(littleEndian: rows.loadUnaligned(fromByteOffset: at + offset, as: UInt32.self)) }
        let path = u32(0), old = Int32(bitPattern: u32(4))
        guard path < pathCount, old >= -1, old < pathCount, let status = FileDelta.Status(rawValue: rows[at + 16]), rows[at + 17] <= 1 else {
          throw corrupt("bad delta")
        }
        out.append(RawHistory.Delta(path: Int32(path), oldPath: old, added: Int32(bitPattern: u32(8)),
                                    deleted: Int32(bitPattern: u32(12)), status: status, binary: rows[at + 17] == 1))
      }
      return out
    }
    for _ in 0..<Int(try r.u32()) {
      let key = String(decoding: try r.bytes(), as: UTF8.self)
      var records: [[UInt8]?] = []
      records.reserveCapacity(commitCount)
      for _ in 0..<commitCount {
        let length = Int(try r.u32())
        records.append(length == 0 ? nil : Array(try r.take(length - 1)))
      }
      raw.observations[key] = records
    }
    guard r.atEnd else { throw corrupt("trailing bytes") }
    return (walk, raw)
  }
}
