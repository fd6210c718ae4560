import Foundation

/// Why the advisories could not be read at all (a single unreadable record is counted, not fatal).
public struct AdvisoryError: Error, Sendable, Equatable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// Reads OSV records from a folder of `*.json` files (searched recursively) or from a zip of them (the
/// `all.zip` osv.dev publishes per ecosystem), and indexes them.
public enum AdvisoryLoader {
  public static func load(path: String) throws(AdvisoryError) -> AdvisoryIndex {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw AdvisoryError("advisories: no such file or folder: \(path)")
    }
    if isFolder.boolValue { return try load(folder: path) }
    guard let data = FileManager.default.contents(atPath: path) else { throw AdvisoryError("advisories: cannot read \(path)") }
    if data.starts(with: [0x50, 0x4B]) {
      let entries = try ZipArchive.jsonEntries(data, name: path)
      return index(documents: entries)
    }
    return index(documents: [(path, data)])
  }

  static func load(folder: String) throws(AdvisoryError) -> AdvisoryIndex {
    let root = URL(fileURLWithPath: folder)
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
      throw AdvisoryError("advisories: cannot list \(folder)")
    }
    var files: [URL] = []
    for case let url as URL in walker where url.pathExtension == "json" { files.append(url) }
    files.sort { $0.path < $1.path }
    var documents: [(String, Data)] = []
    documents.reserveCapacity(files.count)
    for url in files {
      guard let data = FileManager.default.contents(atPath: url.path) else { continue }
      documents.append((String(url.path.dropFirst(root.path.count + 1)), data))
    }
    return index(documents: documents)
  }

  /// Decodes the documents (in parallel) and indexes the records, in the order given.
  public static func index(documents: [(name: String, data: Data)]) -> AdvisoryIndex {
    let (advisories, stats) = decode(documents: documents)
    return AdvisoryIndex(advisories, stats: stats)
  }

  /// The advisories of the documents (decoded in parallel), in the order given, and what was skipped.
  public static func decode(documents: [(name: String, data: Data)]) -> ([Advisory], AdvisoryIndex.Stats) {
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    let results = Results(count: documents.count)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let decoder = JSONDecoder()
      var i = worker
      while i < documents.count {
        results.set(i, try? decoder.decode(OSVRecord.self, from: documents[i].data))
        i += workers
      }
    }
    var stats = AdvisoryIndex.Stats()
    var advisories: [Advisory] = []
    advisories.reserveCapacity(documents.count)
    for (n, record) in results.values.enumerated() {
      guard let record else {
        stats.unreadable += 1
        if stats.unreadableExamples.count < 3 { stats.unreadableExamples.append(documents[n].name) }
        continue
      }
      stats.records += 1
      if record.withdrawn != nil {
        stats.withdrawn += 1
        continue
      }
      let advisory = Advisory(record)
      stats.otherEcosystems += (record.affected?.count ?? 0) - advisory.affected.count
      advisories.append(advisory)
    }
    return (advisories, stats)
  }
}

/// Decoded records written by parallel workers, one slot each.
private final class Results: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [OSVRecord?]
  init(count: Int) { items = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ value: OSVRecord?) {
    lock.lock()
    items[i] = value
    lock.unlock()
  }
  var values: [OSVRecord?] { lock.withLock { items } }
}
