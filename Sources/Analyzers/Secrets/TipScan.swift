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

  /// Scans the snapshot on all cores, in stripes of files, each with its own scratch; the stripes are
  /// merged in file order, so the outcome does not depend on scheduling.
  static func run(_ matcher: SecretMatcher, _ snapshot: Snapshot, classifier: PathClassifier) -> TipScan {
    let files = snapshot.files
    let stripes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, files.count / 64 + 1))
    let results = StripeResults(count: stripes)
    let fileRules = SensitiveFileRules(matcher, classifier: classifier)
    let ruleIDs = matcher.rules.map(\.id)
    DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
      let scratch = matcher.makeScratch()
      var part = TipScan()
      var index = stripe
      while index < files.count {
        part.scan(index, files[index], matcher, scratch, fileRules, ruleIDs)
        index += stripes
      }
      part.limitHits = scratch.limitHits
      part.longLines = scratch.longLines
      part.truncatedLines = scratch.truncatedLines
      results.set(stripe, part)
    }
    var total = TipScan()
    for stripe in 0..<stripes { total.merge(results.get(stripe)) }
    for key in total.secrets.keys { total.secrets[key]!.places.sort { ($0.file, $0.line) < ($1.file, $1.line) } }
    total.files.sort { ($0.file, $0.rule) < ($1.file, $1.rule) }
    return total
  }

  private mutating func scan(_ index: Int, _ file: SnapshotFile, _ matcher: SecretMatcher, _ scratch: SecretScratch,
                             _ fileRules: SensitiveFileRules, _ ruleIDs: [String]) {
    let content = file.content
    for rule in fileRules.matching(file.path) {
      let matches = content.map { bytes in
        bytes.withUnsafeBytes { matcher.fileRule(rule, matchesContent: $0, scratch: scratch) }
      } ?? (fileRules.rules[rule].contains == nil)
      if matches { files.append((rule, index)) }
    }
    guard let content else {
      if file.size > Snapshot.contentCap && file.lines > 0 { skippedLarge += 1 } else if file.size > 0 { skippedBinary += 1 }
      return
    }
    scannedFiles += 1
    scannedBytes += content.count
    content.withUnsafeBytes { bytes in
      file.path.withUnsafeBytes { path in
        matcher.scan(bytes, path: path, firstLine: 1, scratch: scratch) { match in
          let fingerprint = Redaction.fingerprint(rule: ruleIDs[match.rule], secret: match.secret)
          if secrets[fingerprint] == nil { secrets[fingerprint] = Secret(rule: match.rule, preview: Redaction.preview(match.secret), secretHash: StableHash.value(match.secret)) }
          secrets[fingerprint]!.places.append(Place(file: index, line: match.line))
          secrets[fingerprint]!.allInTest = secrets[fingerprint]!.allInTest && (match.inTestPath || file.fileClass == .test)
        }
      }
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
  }
}

private final class StripeResults: @unchecked Sendable {
  private let lock = NSLock()
  private var parts: [TipScan]
  init(count: Int) { parts = Array(repeating: TipScan(), count: count) }
  func set(_ index: Int, _ part: TipScan) { lock.withLock { parts[index] = part } }
  func get(_ index: Int) -> TipScan { lock.withLock { parts[index] } }
}
