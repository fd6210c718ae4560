import Foundation
import Git

/// What an analyzer draws from the bytes of each text file of the tip (an indentation profile, which
/// imports a test file has), so that those bytes need not be read again: the facts are kept per blob
/// between scans. They must depend on the bytes alone (and on the rules the extractor was made with).
public protocol BlobFactExtractor: Sendable {
  func facts(of content: UnsafeBufferPointer<UInt8>) -> [UInt64]
}

/// What the tree read learned of one blob: its size, what classifying it needs of its bytes, git's line
/// count, and each analyzer's facts. Depends on the bytes (and the rules) only, never on a path.
struct BlobRecord: Equatable, Sendable {
  var size: Int
  var content: ContentSignature
  /// Lines as git counts them (0 for a binary blob).
  var lines: Int
  /// One list per extractor, in the scan's order; none for a binary blob or one too large to keep.
  var facts: [[UInt64]]
}

/// The tip's blobs as the last scan's tree read knew them, kept in the user's cache folder (never in
/// the scanned repository), so that a rescan reads only the files that changed. It holds sizes, line
/// counts and analyzers' facts per blob id: never a file's content, so never a secret. Keyed by the
/// repository's location, the rules' digest, the extractors and this very build; a file that is
/// corrupt, cut, stale or of another format is detected (a checksum over every byte) and rebuilt,
/// never trusted.
struct TipFactsCache {
  /// Bumped whenever the layout or the meaning of a record changes.
  static let format = "salvage-tip-facts-2"

  let file: URL
  let extractorCount: Int
  private(set) var records: [ObjectID: BlobRecord] = [:]
  /// Why the file was not used, when it existed but was refused.
  private(set) var rejected: String?

  init(gitDirectory: String, rulesVersion: String, extractors: [String]) {
    let real = URL(fileURLWithPath: gitDirectory).resolvingSymlinksInPath().standardizedFileURL.path
    let key = StableHash.hex(([Self.format, HistoryCache.build, real, rulesVersion] + extractors).joined(separator: "\u{0}"))
    file = HistoryCache.folder().appendingPathComponent("tip-facts-\(key).cache")
    extractorCount = extractors.count
  }

  /// Reads the file if it is there and sound.
  mutating func load() {
    guard let bytes = HistoryCache.read(file.path) else { return }
    do {
      records = try Self.decode(bytes, extractors: extractorCount)
    } catch {
      records = [:]
      rejected = "\(error)"
    }
  }

  /// Keeps `records` (the blobs of this scan's tip) for next time; failing to write is not worth
  /// failing a scan for.
  static func save(_ records: [ObjectID: BlobRecord], extractors: Int, to file: URL) {
    HistoryCache.replace(file, with: [encode(records, extractors: extractors)])
  }

  static func encode(_ records: [ObjectID: BlobRecord], extractors: Int) -> [UInt8] {
    var w = ByteWriter(format: format)
    w.u32(UInt32(extractors))
    w.u32(UInt32(records.count))
    // Sorted, so the same tip gives the same file.
    for id in records.keys.sorted() {
      let record = records[id]!
      w.raw(id.bytes)
      w.u64(UInt64(record.size))
      // Bit 0: binary; bit 1: long lines (minified).
      w.u8((record.content.isBinary ? 1 : 0) | (record.content.longLines ? 2 : 0))
      w.u64(record.content.markers)
      w.u64(UInt64(record.lines))
      w.u8(record.facts.isEmpty ? 0 : 1)
      for facts in record.facts {
        w.u32(UInt32(facts.count))
        for word in facts { w.u64(word) }
      }
    }
    return w.sealed()
  }

  static func decode(_ bytes: [UInt8], extractors: Int) throws -> [ObjectID: BlobRecord] {
    func corrupt(_ why: String) -> ByteReader.Corrupt { ByteReader.Corrupt(description: why) }
    var r = try ByteReader(sealed: bytes, format: format)
    guard Int(try r.u32()) == extractors else { throw corrupt("another set of extractors") }
    let count = Int(try r.u32())
    var records: [ObjectID: BlobRecord] = [:]
    records.reserveCapacity(min(count, bytes.count / 40))
    for _ in 0..<count {
      let id = try r.oid()
      let size = Int(try r.u64())
      let flags = try r.u8()
      let markers = try r.u64()
      let lines = Int(try r.u64())
      let hasFacts = try r.u8()
      guard flags <= 3, hasFacts <= 1, size >= 0, lines >= 0 else { throw corrupt("bad record") }
      var facts: [[UInt64]] = []
      if hasFacts == 1 {
        facts.reserveCapacity(extractors)
        for _ in 0..<extractors {
          let n = Int(try r.u32())
          guard n <= bytes.count / 8 else { throw corrupt("bad record") }
          var words: [UInt64] = []
          words.reserveCapacity(n)
          for _ in 0..<n { words.append(try r.u64()) }
          facts.append(words)
        }
      }
      records[id] = BlobRecord(size: size, content: ContentSignature(isBinary: flags & 1 != 0, markers: markers, longLines: flags & 2 != 0), lines: lines, facts: facts)
    }
    guard r.atEnd else { throw corrupt("trailing bytes") }
    return records
  }
}

/// Reads the bytes of tip files on demand, for the files whose facts came from the cache: the few an
/// analyzer opens (manifests, workflows, configuration) are read when asked for, once each. Safe to
/// use from the analyzers' threads, which read side by side (one repository handle each, kept for
/// the next read); a failed read is kept and fails the scan after the analysis.
public final class BlobSource: @unchecked Sendable {
  private let path: String
  private let lock = NSLock()
  private var idle: [Repository] = []
  private var read: [ObjectID: [UInt8]] = [:]
  private var failure: GitError?

  public init(repositoryPath: String) { path = repositoryPath }

  func bytes(_ id: ObjectID) -> [UInt8]? {
    if let known = lock.withLock({ read[id] }) { return known }
    do throws(GitError) {
      let repo: Repository
      if let open = lock.withLock({ idle.popLast() }) { repo = open } else { repo = try Repository(path: path) }
      defer { lock.withLock { idle.append(repo) } }
      let bytes = try repo.blob(id)
      lock.withLock { read[id] = bytes }
      return bytes
    } catch {
      lock.withLock { failure = failure ?? error }
      return nil
    }
  }

  /// How many blobs were read on demand.
  public var count: Int { lock.withLock { read.count } }

  /// The first read that failed, if any.
  public var error: GitError? { lock.withLock { failure } }
}
