import Foundation
import Matcher
import SalvageCore

/// The secrets standing in the tip tree: every text file the snapshot kept (binary files and files over
/// `Snapshot.contentCap` are counted, not read), and every file sensitive by its name or content.
struct TipScan: Sendable {
  struct Place: Sendable {
    /// Index into `Snapshot.files` (sorted by path, so places sort by path then line).
    let file: Int
    let line: Int
  }

  struct Secret: Sendable {
    let rule: Int
    let preview: String
    /// A hash of the secret alone, to join the reports of several rules on the same bytes.
    let secretHash: UInt64
    var places: [Place] = []
    var allInTest = true
    var verdict: SecretVerdict = .unchecked
  }

  /// By fingerprint.
  var secrets: [String: Secret] = [:]
  /// (file rule index, snapshot file index) of every sensitive file.
  var files: [(rule: Int, file: Int)] = []
  var scannedFiles = 0
  var scannedBytes = 0
  var skippedBinary = 0
  var skippedLarge = 0
  var limitHits = 0
  var longLines = 0
  var truncatedLines = 0
  /// The regex work this scan did (files replayed from the cache did none).
  var regexRuns = 0
  var regexBytes = 0
  /// Text files scanned rather than replayed from the cache.
  var misses = 0
  /// What each text file gave, by blob id and path, when `run` was asked to keep it (in stripes:
  /// a warm scan that replayed every file never needs them as one table).
  var examinedStripes: [[(TipScanCache.Key, TipScanCache.Entry)]] = []
  var examinedCount: Int { examinedStripes.reduce(0) { $0 + $1.count } }
  var examined: [TipScanCache.Key: TipScanCache.Entry] {
    var table: [TipScanCache.Key: TipScanCache.Entry] = [:]
    table.reserveCapacity(examinedCount)
    for stripe in examinedStripes { for (key, entry) in stripe { table[key] = entry } }
    return table
  }

  /// Scans the snapshot on all cores, in stripes of files, each with its own scratch; the stripes are
  /// merged in file order, so the outcome does not depend on scheduling. A text file found in `cache`
  /// (by blob id and path) is replayed from it instead of scanned; with `keep`, `examined` holds what
  /// each text file gave, for the next scan's cache.
  static func run(_ matcher: SecretMatcher, _ snapshot: Snapshot, classifier: PathClassifier,
                  cache: [TipScanCache.Key: TipScanCache.Entry]? = nil, keep: Bool = false) -> TipScan {
    let files = snapshot.files
    let stripes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, files.count / 64 + 1))
    let results = StripeResults(count: stripes)
    let fileRules = SensitiveFileRules(matcher, classifier: classifier)
    let ruleIDs = matcher.rules.map(\.id)
    DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
      let scratch = matcher.makeScratch()
      var part = TipScan()
      var entries: [(TipScanCache.Key, TipScanCache.Entry)] = []
      var index = stripe
      while index < files.count {
        let file = files[index]
        if file.hasContent, cache != nil || keep {
          let key = TipScanCache.Key(id: file.id, path: file.path)
          let entry: TipScanCache.Entry
          if let known = cache?[key], Self.fits(known, matcher) {
            entry = known
          } else {
            entry = Self.examine(file, matcher, scratch, fileRules, ruleIDs)
            part.misses += 1
          }
          part.add(index, file, entry)
          if keep { entries.append((key, entry)) }
        } else {
          part.add(index, file, Self.examine(file, matcher, scratch, fileRules, ruleIDs))
        }
        index += stripes
      }
      part.regexRuns = scratch.regexRuns
      part.regexBytes = scratch.regexBytes
      results.set(stripe, part, entries)
    }
    var total = TipScan()
    for stripe in 0..<stripes {
      let (part, entries) = results.get(stripe)
      total.merge(part)
      if keep { total.examinedStripes.append(entries) }
    }
    for key in total.secrets.keys { total.secrets[key]!.places.sort { ($0.file, $0.line) < ($1.file, $1.line) } }
    total.files.sort { ($0.file, $0.rule) < ($1.file, $1.rule) }
    return total
  }

  /// A cached entry names rules of this rule set only (the cache is keyed by its digest; this guards
  /// against a file that is sound but not ours).
  private static func fits(_ entry: TipScanCache.Entry, _ matcher: SecretMatcher) -> Bool {
    entry.fileRules.allSatisfy { $0 >= 0 && $0 < matcher.fileRules.count }
      && entry.matches.allSatisfy { $0.rule >= 0 && $0.rule < matcher.rules.count }
  }

  /// What the matcher says of one file: its sensitive-file rules and, for a text file, its secrets, with
  /// the scratch's counters as they moved.
  private static func examine(_ file: SnapshotFile, _ matcher: SecretMatcher, _ scratch: SecretScratch,
                              _ fileRules: SensitiveFileRules, _ ruleIDs: [String]) -> TipScanCache.Entry {
    var entry = TipScanCache.Entry()
    let before = (scratch.limitHits, scratch.longLines, scratch.truncatedLines)
    let content = file.content
    for rule in fileRules.matching(file.path) {
      let matches = content.map { bytes in
        bytes.withUnsafeBytes { matcher.fileRule(rule, matchesContent: $0, scratch: scratch) }
      } ?? (fileRules.rules[rule].contains == nil)
      if matches { entry.fileRules.append(rule) }
    }
    content?.withUnsafeBytes { bytes in
      file.path.withUnsafeBytes { path in
        matcher.scan(bytes, path: path, firstLine: 1, scratch: scratch) { match in
          entry.matches.append(TipScanCache.Match(
            rule: match.rule, line: match.line, fingerprint: Redaction.fingerprint(rule: ruleIDs[match.rule], secret: match.secret),
            preview: Redaction.preview(match.secret), secretHash: StableHash.value(match.secret), inTestPath: match.inTestPath,
            verdict: match.verdict))
        }
      }
    }
    entry.limitHits = scratch.limitHits - before.0
    entry.longLines = scratch.longLines - before.1
    entry.truncatedLines = scratch.truncatedLines - before.2
    return entry
  }

  private mutating func add(_ index: Int, _ file: SnapshotFile, _ entry: TipScanCache.Entry) {
    for rule in entry.fileRules { files.append((rule, index)) }
    limitHits += entry.limitHits
    longLines += entry.longLines
    truncatedLines += entry.truncatedLines
    guard file.hasContent else {
      if file.size > Snapshot.contentCap && file.lines > 0 { skippedLarge += 1 } else if file.size > 0 { skippedBinary += 1 }
      return
    }
    scannedFiles += 1
    // The whole blob: its bytes are kept whole or not at all.
    scannedBytes += file.size
    for match in entry.matches {
      let fingerprint = match.fingerprint
      if secrets[fingerprint] == nil {
        secrets[fingerprint] = Secret(rule: match.rule, preview: match.preview, secretHash: match.secretHash, verdict: match.verdict)
      }
      secrets[fingerprint]!.places.append(Place(file: index, line: match.line))
      secrets[fingerprint]!.allInTest = secrets[fingerprint]!.allInTest && (match.inTestPath || file.fileClass == .test)
    }
  }

  private mutating func merge(_ other: TipScan) {
    for (fingerprint, secret) in other.secrets {
      if secrets[fingerprint] == nil {
        secrets[fingerprint] = secret
      } else {
        secrets[fingerprint]!.places += secret.places
        secrets[fingerprint]!.allInTest = secrets[fingerprint]!.allInTest && secret.allInTest
      }
    }
    files += other.files
    scannedFiles += other.scannedFiles
    scannedBytes += other.scannedBytes
    skippedBinary += other.skippedBinary
    skippedLarge += other.skippedLarge
    limitHits += other.limitHits
    longLines += other.longLines
    truncatedLines += other.truncatedLines
    regexRuns += other.regexRuns
    regexBytes += other.regexBytes
    misses += other.misses
  }
}

private final class StripeResults: @unchecked Sendable {
  private let lock = NSLock()
  private var parts: [(TipScan, [(TipScanCache.Key, TipScanCache.Entry)])]
  init(count: Int) { parts = Array(repeating: (TipScan(), []), count: count) }
  func set(_ index: Int, _ part: TipScan, _ entries: [(TipScanCache.Key, TipScanCache.Entry)]) { lock.withLock { parts[index] = (part, entries) } }
  func get(_ index: Int) -> (TipScan, [(TipScanCache.Key, TipScanCache.Entry)]) { lock.withLock { parts[index] } }
}
