import Foundation
import Git

/// What the history pass learned per commit, kept between scans in the user's cache folder (never in the
/// scanned repository), so a second scan reads only the commits it has not seen. Keyed by the
/// repository's location, the rules' digest and the pass's options; a file that is corrupt, stale or of
/// another format is detected (a checksum over every byte) and rebuilt, never trusted.
public struct HistoryCache {
  /// Bumped whenever the record layout or the meaning of a record changes.
  static let format = "salvage-history-cache-5"

  /// One commit as the pass saw it: its metadata and its file deltas, paths in `pathBytes`.
  public struct Record: Sendable {
    public let meta: CommitMeta
    public let deltas: [FileDelta]
    public let pathBytes: [UInt8]
    /// What cacheable observers learned from this commit, by their cache key.
    public var observations: [String: [UInt8]] = [:]

    init(meta: CommitMeta, deltas: [FileDelta], pathBytes: [UInt8], observations: [String: [UInt8]] = [:]) {
      self.meta = meta
      self.deltas = deltas
      self.pathBytes = pathBytes
      self.observations = observations
    }

    /// One commit cut out of a chunk, with its own path buffer.
    init(chunk: HistoryChunk, meta: CommitMeta, deltas: ArraySlice<FileDelta>) {
      var bytes: [UInt8] = []
      var own: [FileDelta] = []
      own.reserveCapacity(deltas.count)
      for d in deltas {
        let start = Int32(bytes.count)
        bytes += chunk.path(d)
        var oldStart: Int32 = -1
        if let old = chunk.oldPath(d) {
          oldStart = Int32(bytes.count)
          bytes += old
        }
        own.append(FileDelta(pathStart: start, pathLength: d.pathLength, oldPathStart: oldStart, oldPathLength: d.oldPathLength,
                             added: d.added, deleted: d.deleted, status: d.status, binary: d.binary))
      }
      self.init(meta: meta, deltas: own, pathBytes: bytes)
    }
  }

  public let file: URL
  public private(set) var records: [ObjectID: Record] = [:]
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
  static let build: String = {
    var info = stat()
    guard stat("/proc/self/exe", &info) == 0 else { return "unknown" }
    return "\(info.st_size)-\(info.st_mtim.tv_sec)-\(info.st_mtim.tv_nsec)"
  }()

  /// Reads the file if it is there and sound.
  public mutating func load() {
    guard let bytes = Self.read(file.path) else { return }
    do {
      records = try Self.decode(bytes)
    } catch {
      records = [:]
      rejected = "\(error)"
    }
  }

  /// The whole file, read straight into one buffer; nil when it cannot be read.
  static func read(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
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

  /// Records written one at a time, in the scan's order, so a first scan never holds them all twice.
  public struct Writer {
    fileprivate var w = ByteWriter()
    /// Finished blocks of about 1 MiB, each a whole number of 64-bit words: the file is never one array
    /// that doubles as it grows (a 100k-commit cache is ~40 MB, and the copy on growth was the scan's peak).
    private var blocks: [[UInt8]] = []
    private var hash = HistoryCache.checksumSeed

    /// For exactly `count` records.
    public init(count: Int) {
      w.bytes(Array(HistoryCache.format.utf8))
      w.u32(UInt32(count))
    }

    private mutating func cutBlock() {
      let whole = w.out.count & ~7
      hash = HistoryCache.checksum(w.out[..<whole], from: hash)
      blocks.append(Array(w.out[..<whole]))
      w.out.removeSubrange(..<whole)
    }

    public mutating func append(_ r: Record) {
      let m = r.meta
      w.raw(m.id.bytes)
      w.u32(UInt32(m.parents.count))
      for p in m.parents { w.raw(p.bytes) }
      w.signature(m.author)
      w.i64(m.authorTime)
      w.i64(Int64(m.authorOffset))
      w.signature(m.committer)
      w.i64(m.committerTime)
      w.i64(Int64(m.committerOffset))
      w.bytes(m.subject)
      w.u32(UInt32(m.coAuthors.count))
      for c in m.coAuthors { w.signature(c) }
      w.bytes(r.pathBytes)
      w.u32(UInt32(r.deltas.count))
      for d in r.deltas {
        w.u32(UInt32(bitPattern: d.pathStart))
        w.u32(UInt32(bitPattern: d.pathLength))
        w.u32(UInt32(bitPattern: d.oldPathStart))
        w.u32(UInt32(bitPattern: d.oldPathLength))
        w.u32(UInt32(bitPattern: d.added))
        w.u32(UInt32(bitPattern: d.deleted))
        w.out.append(d.status.rawValue)
        w.out.append(d.binary ? 1 : 0)
      }
      w.u32(UInt32(r.observations.count))
      for key in r.observations.keys.sorted() {
        w.bytes(Array(key.utf8))
        w.bytes(r.observations[key]!)
      }
      if w.out.count >= 1 << 20 { cutBlock() }
    }

    /// The file's bytes: the records, then their checksum.
    /// The file's blocks: the records, then their checksum.
    public consuming func finish() -> [[UInt8]] {
      w.u64(HistoryCache.checksum(w.out[...], from: hash))
      return blocks + [w.out]
    }
  }

  /// Keeps the written records (the commits of the current scan) for next time. Failing to write a cache
  /// is not worth failing a scan for: the next scan just does the work again.
  public func save(_ writer: consuming Writer) {
    let blocks = writer.finish()
    let folder = file.deletingLastPathComponent()
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
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
  }

  /// FNV-1a over 64-bit words (then the last bytes): catches a corrupt or cut file at a small cost per
  /// megabyte, where byte-at-a-time FNV took a good part of a warm scan's load.
  static let checksumSeed: UInt64 = 0xcbf2_9ce4_8422_2325

  /// Continues a checksum (`from`) over more bytes; a run that is a whole number of words followed by
  /// another gives the same sum as the two run together.
  static func checksum(_ bytes: ArraySlice<UInt8>, from seed: UInt64 = checksumSeed) -> UInt64 {
    bytes.withUnsafeBytes { raw in
      var hash = seed
      let words = raw.count / 8
      for i in 0..<words { hash = (hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))) &* 0x100_0000_01b3 }
      for byte in raw[(words * 8)...] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
      return hash
    }
  }

  static func decode(_ bytes: [UInt8]) throws -> [ObjectID: Record] {
    guard bytes.count >= 8 else { throw ByteReader.Corrupt(description: "truncated") }
    let sum = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)) }
    guard checksum(bytes[0..<(bytes.count - 8)]) == sum else { throw ByteReader.Corrupt(description: "checksum mismatch") }
    var r = ByteReader(data: bytes, end: bytes.count - 8)
    guard try r.bytes() == Array(format.utf8) else { throw ByteReader.Corrupt(description: "another format") }
    let count = Int(try r.u32())
    var out: [ObjectID: Record] = [:]
    out.reserveCapacity(count)
    for _ in 0..<count {
      let id = try r.oid()
      var parents: [ObjectID] = []
      for _ in 0..<Int(try r.u32()) { parents.append(try r.oid()) }
      let author = try r.signature()
      let authorTime = try r.i64()
      let authorOffset = Int16(clamping: try r.i64())
      let committer = try r.signature()
      let committerTime = try r.i64()
      let committerOffset = Int16(clamping: try r.i64())
      let subject = try r.bytes()
      var coAuthors: [Signature] = []
      for _ in 0..<Int(try r.u32()) { coAuthors.append(try r.signature()) }
      let pathBytes = try r.bytes()
      let deltaCount = Int(try r.u32())
      var deltas: [FileDelta] = []
      deltas.reserveCapacity(deltaCount)
      for _ in 0..<deltaCount {
        let start = Int32(bitPattern: try r.u32()), length = Int32(bitPattern: try r.u32())
        let oldStart = Int32(bitPattern: try r.u32()), oldLength = Int32(bitPattern: try r.u32())
        let added = Int32(bitPattern: try r.u32()), deleted = Int32(bitPattern: try r.u32())
        guard let status = FileDelta.Status(rawValue: try r.u8()) else { throw ByteReader.Corrupt(description: "bad status") }
        let binary = try r.u8() == 1
        guard start >= 0, length >= 0, Int(start) + Int(length) <= pathBytes.count,
              oldStart < 0 || Int(oldStart) + Int(oldLength) <= pathBytes.count else { throw ByteReader.Corrupt(description: "bad path range") }
        deltas.append(FileDelta(pathStart: start, pathLength: length, oldPathStart: oldStart, oldPathLength: oldLength,
                                added: added, deleted: deleted, status: status, binary: binary))
      }
      var observations: [String: [UInt8]] = [:]
      for _ in 0..<Int(try r.u32()) {
        let key = String(decoding: try r.bytes(), as: UTF8.self)
        observations[key] = try r.bytes()
      }
      let meta = CommitMeta(id: id, parents: parents, author: author, authorTime: authorTime, authorOffset: authorOffset,
                            committer: committer, committerTime: committerTime, committerOffset: committerOffset,
                            subject: subject, coAuthors: coAuthors, deltaCount: deltaCount)
      out[id] = Record(meta: meta, deltas: deltas, pathBytes: pathBytes, observations: observations)
    }
    guard r.atEnd else { throw ByteReader.Corrupt(description: "trailing bytes") }
    return out
  }
}
