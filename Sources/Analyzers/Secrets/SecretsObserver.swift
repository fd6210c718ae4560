import Foundation
import Git
import Matcher
import SalvageCore

/// Takes the secrets analyzer into the history pass: one `HistorySecretVisitor` per worker thread,
/// each with its own `SecretScratch` and tally, merged once the pass is over.
final class SecretsObserver: HistoryObserver, @unchecked Sendable {
  let matcher: SecretMatcher
  let options: ScanOptions
  let classifier: PathClassifier
  private let lock = NSLock()
  // Written while workers start, read after the pass: the lock covers both.
  private var visitors: [HistorySecretVisitor] = []
  private var merged: HistoryTally?

  init(matcher: SecretMatcher, options: ScanOptions, classifier: PathClassifier) {
    self.matcher = matcher
    self.options = options
    self.classifier = classifier
  }

  func makeVisitor() -> any AddedLineVisitor {
    let visitor = HistorySecretVisitor(matcher: matcher, options: options, classifier: classifier)
    lock.withLock { visitors.append(visitor) }
    return visitor
  }

  /// The workers' tallies as one, merged on the first call. Call after the history pass.
  func collect() -> HistoryTally {
    lock.withLock {
      if let merged { return merged }
      var total = HistoryTally()
      for visitor in visitors { total.merge(visitor.finish()) }
      merged = total
      return total
    }
  }
}

/// Receives the added lines of the commits one worker diffs. Keeps fingerprints, previews, commit
/// indexes and places; the secrets themselves do not outlive the call that found them.
final class HistorySecretVisitor: AddedLineVisitor {
  private let matcher: SecretMatcher
  private let options: ScanOptions
  private let scratch: SecretScratch
  private let ruleIDs: [String]
  private let fileRules: SensitiveFileRules
  private var tally = HistoryTally()
  private var found: [SecretMatch] = []
  // The content-gated file rules whose globs match the last path seen (runs of a file come together).
  private var lastPath: [UInt8] = []
  private var lastContentRules: [Int] = []
  private var lastPathKnown = false

  init(matcher: SecretMatcher, options: ScanOptions, classifier: PathClassifier) {
    self.matcher = matcher
    self.options = options
    self.scratch = matcher.makeScratch()
    self.ruleIDs = matcher.rules.map(\.id)
    self.fileRules = SensitiveFileRules(matcher, classifier: classifier)
  }

  func addedLines(commit: Int, path: UnsafeBufferPointer<UInt8>, firstLine: Int, content: UnsafeBufferPointer<UInt8>) {
    guard content.count <= SecretsAnalyzer.historyRunCap else {
      tally.skippedRuns += 1
      return
    }
    tally.runs += 1
    tally.bytes += content.count
    let raw = UnsafeRawBufferPointer(content)
    found.removeAll(keepingCapacity: true)
    matcher.scan(raw, path: UnsafeRawBufferPointer(path), firstLine: firstLine, scratch: scratch) { found.append($0) }
    let contentRules = contentGatedRules(path)
    if found.isEmpty && contentRules.isEmpty { return }
    if options.isExcluded(path) { return }
    let pathID = tally.paths.intern(path)
    let index = Int32(commit)
    let pathInTest = fileRules.inTestPath(Array(path))
    for match in found {
      let fingerprint = Redaction.fingerprint(rule: ruleIDs[match.rule], secret: match.secret)
      let place = SecretPlace(path: pathID, line: Int32(clamping: match.line))
      if tally.secrets[fingerprint] == nil {
        guard tally.secrets.count < SecretsAnalyzer.maxSecretsPerWorker else {
          tally.droppedSecrets += 1
          continue
        }
        tally.secrets[fingerprint] = HistorySighting(
          rule: match.rule, preview: Redaction.preview(match.secret), secretHash: StableHash.value(match.secret))
      }
      tally.secrets[fingerprint]!.add(commit: index, place: place, inTest: match.inTestPath || pathInTest)
    }
    for rule in contentRules where matcher.fileRule(rule, matchesContent: raw, scratch: scratch) {
      let key = FileSightingKey(rule: rule, path: pathID)
      if tally.files[key] == nil { tally.files[key] = HistorySighting(rule: rule, preview: "", secretHash: 0) }
      tally.files[key]!.add(commit: index, place: SecretPlace(path: pathID, line: Int32(firstLine)),
                            inTest: pathInTest)
    }
  }

  private func contentGatedRules(_ path: UnsafeBufferPointer<UInt8>) -> [Int] {
    if lastPathKnown && lastPath.count == path.count && lastPath.elementsEqual(path) { return lastContentRules }
    lastPath = Array(path)
    lastPathKnown = true
    lastContentRules = fileRules.contentGated.isEmpty ? [] : fileRules.matching(lastPath, among: fileRules.contentGated)
    return lastContentRules
  }

  /// The tally, with the scratch's counters.
  func finish() -> HistoryTally {
    var result = tally
    result.limitHits = scratch.limitHits
    result.longLines = scratch.longLines
    result.truncatedLines = scratch.truncatedLines
    return result
  }
}

/// The sensitive-file rules, split by whether they need the file's content, and what a test path is.
struct SensitiveFileRules: Sendable {
  let rules: [SensitiveFileRule]
  let pathOnly: [Int]
  let contentGated: [Int]
  let testPaths: [PathGlob]
  let classifier: PathClassifier

  init(_ matcher: SecretMatcher, classifier: PathClassifier) {
    self.classifier = classifier
    let rules = matcher.fileRules
    self.rules = rules
    pathOnly = rules.indices.filter { rules[$0].contains == nil }
    contentGated = rules.indices.filter { rules[$0].contains != nil }
    testPaths = matcher.ruleSet.filters.testPaths
  }

  /// The rules among `candidates` whose globs take `path` (content not considered).
  func matching(_ path: [UInt8], among candidates: [Int]) -> [Int] {
    candidates.filter { index in
      rules[index].paths.contains { $0.matches(path) } && !rules[index].exclude.contains { $0.matches(path) }
    }
  }

  /// A test or fixture path for the secret rules (`testPaths` of their filters) or for the project's
  /// classification (`classify.toml`).
  func inTestPath(_ path: [UInt8]) -> Bool {
    testPaths.contains { $0.matches(path) } || classifier.classify(path) == .test
  }
}
