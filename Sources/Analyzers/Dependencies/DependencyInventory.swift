import Foundation
import SalvageCore

/// Every manifest and lockfile of the tip, parsed (in parallel: a monorepo has thousands).
struct DependencyInventory: ScanModel {
  struct File: Sendable {
    let path: [UInt8]
    let displayPath: String
    /// The folder it belongs to, as bytes without trailing slash ("" for the root).
    let folder: [UInt8]
    let entry: ManifestCatalog.Entry
    let parsed: ParsedManifest
    let problem: ManifestProblem?
  }

  let files: [File]

  var manifests: [File] { files.filter { $0.entry.kind == .manifest } }
  var lockfiles: [File] { files.filter { $0.entry.kind == .lockfile } }

  /// A model: the tests analyzer reads its manifests too.
  static func compile(_ rules: RuleSet) throws -> ManifestCatalog { try ManifestCatalog(rules: rules) }

  static func make(_ context: ScanContext, rules catalog: ManifestCatalog, models: Models) -> DependencyInventory {
    read(context, catalog: catalog)
  }

  private static func read(_ context: ScanContext, catalog: ManifestCatalog) -> DependencyInventory {
    var found: [(SnapshotFile, ManifestCatalog.Entry)] = []
    // Paths looked up in place, through a buffer pointer; only the few manifests and lockfiles are copied
    // out of the snapshot.
    let entries = context.snapshot.files.withUnsafeBufferPointer { files in
      files.indices.compactMap { n in catalog.entry(for: files[n].path).map { (file: n, entry: $0) } }
    }
    for (n, entry) in entries {
      let file = context.snapshot.files[n]
      // An Xcode project is a manifest only when it references Swift packages.
      if entry.parser == "project.pbxproj" {
        guard let content = file.content, content.withUnsafeBufferPointer({ Self.contains($0, "XCRemoteSwiftPackageReference") }) else { continue }
      }
      found.append((file, entry))
    }
    let work = found
    let slots = Slots<File>(count: work.count)
    DispatchQueue.concurrentPerform(iterations: min(work.count, 64)) { worker in
      var i = worker
      while i < work.count {
        let (file, entry) = work[i]
        var parsed = ParsedManifest()
        var problem: ManifestProblem?
        if let content = file.content, entry.parser != "binary" {
          do throws(ManifestProblem) { parsed = try ManifestParsers.parse(entry.parser, content) } catch { problem = error }
        } else {
          parsed.readable = false
        }
        slots.set(i, File(path: file.path, displayPath: file.displayPath,
                          folder: ManifestCatalog.folder(of: file.path, outsideBundle: entry.anchorOutsideBundle),
                          entry: entry, parsed: parsed, problem: problem))
        i += 64
      }
    }
    return DependencyInventory(files: slots.values.sorted { $0.displayPath < $1.displayPath })
  }

  static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: String) -> Bool {
    let n = Array(needle.utf8)
    guard haystack.count >= n.count, let first = n.first else { return false }
    var i = 0
    while i <= haystack.count - n.count {
      if haystack[i] == first, memcmp(haystack.baseAddress! + i, n, n.count) == 0 { return true }
      i += 1
    }
    return false
  }
}

/// Results written by parallel workers, one slot each.
final class Slots<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [T?]
  init(count: Int) { items = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ value: T) { lock.withLock { items[i] = value } }
  var values: [T] { lock.withLock { items.compactMap { $0 } } }
}
