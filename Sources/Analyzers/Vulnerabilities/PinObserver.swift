import Advisories
import Foundation
import Git
import SalvageCore

/// One (package, version) a lockfile's added lines pinned in one commit.
struct LockPin: Sendable, Hashable {
  let path: [UInt8]
  let name: String
  let version: String
}

/// Every version of every package the lockfiles' added lines pinned, and the commits that added it:
/// how long a vulnerable version has been in the history, and whether a change brought it.
struct PinHistory: Sendable {
  struct Key: Hashable {
    let lockfile: String
    /// `Ecosystem.normalisedName`.
    let package: String
  }

  /// Per lockfile (as printed) and package: each version seen, with the walk indexes of the commits
  /// whose added lines pinned it (newest first, so the last is the oldest).
  var versions: [Key: [String: [Int32]]] = [:]

  mutating func add(_ pin: LockPin, commit: Int32) {
    guard let ecosystem = pin.path.withUnsafeBufferPointer({ LockfileLines.kind(of: $0) })?.ecosystem else { return }
    let key = Key(lockfile: PathText.display(pin.path), package: ecosystem.normalisedName(pin.name))
    versions[key, default: [:]][pin.version, default: []].append(commit)
  }

  /// Commit lists sorted newest first, duplicates removed (workers and the cache add in any order).
  mutating func settle() {
    for (key, byVersion) in versions {
      versions[key] = byVersion.mapValues { Array(Set($0)).sorted() }
    }
  }
}

/// Takes the vulnerabilities analyzer into the history pass (only with `--advisories`): each worker's
/// visitor reads the added lines of lockfiles (`LockfileLines`) and keeps the pins per commit; the
/// history cache keeps them, so a warm scan does not diff old commits again.
final class PinObserver: CacheableHistoryObserver, @unchecked Sendable {
  let options: ScanOptions
  private let lock = NSLock()
  // Written while workers start, read after the pass: the lock covers both.
  private var visitors: [PinVisitor] = []
  private var restored: [Int: [LockPin]] = [:]
  private var merged: PinHistory?

  init(options: ScanOptions) { self.options = options }

  /// Excluded paths leave no pins, so records made under other excludes are not reused; version 2 reads
  /// the lines above a run (version-line bumps, pom.xml).
  var cacheKey: String {
    "pins/2/" + StableHash.hex(options.excludes.map(\.pattern).joined(separator: "\u{0}"))
  }

  func makeVisitor() -> any AddedLineVisitor {
    let visitor = PinVisitor(options: options)
    lock.withLock { visitors.append(visitor) }
    return visitor
  }

  func cacheRecord(commit index: Int) -> [UInt8] {
    lock.withLock {
      for visitor in visitors { if let pins = visitor.pins[index] { return Self.encode(pins) } }
      return Self.encode([])
    }
  }

  func restore(commit index: Int, record: [UInt8]) {
    guard let pins = Self.decode(record) else { return }
    lock.withLock { restored[index] = pins }
  }

  func collect() -> any Sendable { history() }

  func history() -> PinHistory {
    lock.withLock {
      if let merged { return merged }
      var out = PinHistory()
      for visitor in visitors {
        for (commit, pins) in visitor.pins { for pin in pins { out.add(pin, commit: Int32(commit)) } }
      }
      for (commit, pins) in restored { for pin in pins { out.add(pin, commit: Int32(commit)) } }
      out.settle()
      merged = out
      return out
    }
  }

  static func encode(_ pins: Set<LockPin>) -> [UInt8] {
    var w = ByteWriter()
    w.i64(Int64(pins.count))
    // Sorted: the same commit gives the same bytes.
    for pin in pins.sorted(by: { a, b in a.path != b.path ? a.path.lexicographicallyPrecedes(b.path) : (a.name, a.version) < (b.name, b.version) }) {
      w.bytes(pin.path)
      w.bytes(Array(pin.name.utf8))
      w.bytes(Array(pin.version.utf8))
    }
    return w.out
  }

  /// nil for bytes that are not a record (never trap on a cache).
  static func decode(_ data: [UInt8]) -> [LockPin]? {
    var r = ByteReader(data: data)
    do {
      let count = try r.i64()
      guard count >= 0, count <= Int64(data.count) else { return nil }
      var out: [LockPin] = []
      for _ in 0..<count {
        let path = try r.bytes()
        let name = String(decoding: try r.bytes(), as: UTF8.self)
        let version = String(decoding: try r.bytes(), as: UTF8.self)
        out.append(LockPin(path: path, name: name, version: version))
      }
      return r.atEnd ? out : nil
    } catch {
      return nil
    }
  }
}

/// One worker's view: the pins of the lockfile runs it was handed, per commit.
final class PinVisitor: AddedLineVisitor {
  private let options: ScanOptions
  /// Per commit (walk index), the pins its added lines show.
  private(set) var pins: [Int: Set<LockPin>] = [:]

  init(options: ScanOptions) { self.options = options }

  /// The lines above the run name the package of a bump that rewrote only its version line.
  func addedLines(commit: Int, path: UnsafeBufferPointer<UInt8>, firstLine: Int, content: UnsafeBufferPointer<UInt8>, file: UnsafeBufferPointer<UInt8>) {
    guard let (kind, _) = LockfileLines.kind(of: path), !options.isExcluded(path) else { return }
    let bytes = Array(path)
    // Moved out and back: a copy left in the dictionary would make each insert copy the whole set.
    var found = pins.removeValue(forKey: commit) ?? []
    LockfileLines.pins(kind, content, in: file) { name, version in
      found.insert(LockPin(path: bytes, name: String(name), version: String(version)))
    }
    pins[commit] = found
  }
}

/// How long each vulnerable version has been in the history: the oldest commit whose lockfile lines
/// pinned a version of the package in the same affected interval of the same advisory (a later bump
/// within the interval does not reset it; a version of another interval, 3.x for a 5.x hit, does not count).
struct Ages {
  let pins: PinHistory
  let index: AdvisoryIndex
  let history: History
  let now: Int64

  func since(_ key: PinHistory.Key, ecosystem: Ecosystem, name: String, version current: String, advisory: String,
             range: String) -> VulnerabilitiesOutput.Since? {
    guard let versions = pins.versions[key] else { return nil }
    var best: (commit: Int32, version: String)?
    for (version, commits) in versions {
      guard let oldest = commits.last, Int(oldest) < history.commits.count else { continue }
      // The walk is newest first: the larger index is the older commit. Ties (one commit pinning two
      // versions: go.mod's go and toolchain lines) go to the version in use, then the lower text.
      if let b = best, oldest < b.commit || (oldest == b.commit && (b.version == current || (version != current && version > b.version))) { continue }
      guard index.match([PackageVersion(ecosystem, name, version)]).contains(where: { $0.id == advisory && $0.range == range }) else { continue }
      best = (oldest, version)
    }
    guard let best else { return nil }
    let commit = history.commits[Int(best.commit)]
    return .init(commit: commit.id.hex, date: UTC.date(commit.committerTime), days: Int(max(0, now - commit.committerTime) / 86_400),
                 version: best.version)
  }
}
