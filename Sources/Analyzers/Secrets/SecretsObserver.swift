import Foundation
import Git
import Matcher
import SalvageCore

/// Takes the secrets analyzer into the history pass: one `HistorySecretVisitor` per worker thread,
/// each with its own `SecretScratch` and tally, merged once the pass is over.
///
/// It is cacheable: each visitor logs what it saw per commit (counters and the few matches, never a
/// secret), the history cache keeps that log, and a warm scan replays it instead of diffing again.
final class SecretsObserver: CacheableHistoryObserver, @unchecked Sendable {
  let matcher: SecretMatcher
  let options: ScanOptions
  let classifier: PathClassifier
  private let lock = NSLock()
  // Written while workers start, read after the pass: the lock covers both.
  private var visitors: [HistorySecretVisitor] = []
  private var merged: HistoryTally?
  /// What earlier scans saw in the commits this scan did not diff.
  private var restored = HistoryTally()

  /// Excluded paths leave no trace in the log, so records made under other excludes are not reused.
  /// (The rules are part of the whole cache's key.)
  var cacheKey: String {
    "secrets/2/" + StableHash.hex(options.excludes.map(\.pattern).joined(separator: "\u{0}"))
  }

  func cacheRecord(commit index: Int) -> [UInt8] {
    lock.withLock {
      for visitor in visitors { if let log = visitor.log(of: index) { return log.encoded() } }
      return CommitLog().encoded()
    }
  }

  func restore(commit index: Int, record: [UInt8]) {
    guard let log = CommitLog(decoding: record) else { return }
    lock.withLock { restored.replay(log, commit: Int32(index)) }
  }

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
  func collect() -> any Sendable { tally() }

  func tally() -> HistoryTally {
    lock.withLock {
      if let merged { return merged }
      var total = HistoryTally()
      for visitor in visitors { total.merge(visitor.finish()) }
      total.merge(restored)
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
  /// Per commit (walk index): what this visitor saw, for the history cache. A worker diffs a commit
  /// whole before the next, so the open commit's log is kept apart and filed when the commit changes.
  private var log: [Int: CommitLog] = [:]
  private var openCommit = -1
  private var openLog = CommitLog()

  /// What this visitor saw in one commit, nil when it did not diff it. Call after the pass.
  func log(of commit: Int) -> CommitLog? {
    commit == openCommit ? openLog : log[commit]
  }

  init(matcher: SecretMatcher, options: ScanOptions, classifier: PathClassifier) {
    self.matcher = matcher
    self.options = options
    self.scratch = matcher.makeScratch()
    self.ruleIDs = matcher.rules.map(\.id)
    self.fileRules = SensitiveFileRules(matcher, classifier: classifier)
  }

  func addedLines(commit: Int, path: UnsafeBufferPointer<UInt8>, firstLine: Int, content: UnsafeBufferPointer<UInt8>, file: UnsafeBufferPointer<UInt8>) {
    if commit != openCommit {
      if openCommit >= 0 { log[openCommit] = openLog }
      openCommit = commit
      openLog = log[commit] ?? CommitLog()
    }
    guard content.count <= SecretsAnalyzer.historyRunCap else {
      tally.skippedRuns += 1
      openLog.skippedRuns += 1
      return
    }
    tally.runs += 1
    tally.bytes += content.count
    openLog.runs += 1
    openLog.bytes += content.count
    let raw = UnsafeRawBufferPointer(content)
    found.removeAll(keepingCapacity: true)
    let before = (scratch.limitHits, scratch.longLines, scratch.truncatedLines)
    matcher.scan(raw, path: UnsafeRawBufferPointer(path), firstLine: firstLine, scratch: scratch) { found.append($0) }
    openLog.limitHits += scratch.limitHits - before.0
    openLog.longLines += scratch.longLines - before.1
    openLog.truncatedLines += scratch.truncatedLines - before.2
    let contentRules = matcher.contentFileRules(path: UnsafeRawBufferPointer(path), scratch: scratch)
    if found.isEmpty && contentRules.isEmpty { return }
    if options.isExcluded(path) { return }
    let pathBytes = Array(path)
    let pathInTest = fileRules.inTestPath(pathBytes)
    var events: [SightingEvent] = []
    for match in found {
      events.append(SightingEvent(
        kind: .secret, rule: match.rule, fingerprint: Redaction.fingerprint(rule: ruleIDs[match.rule], secret: match.secret),
        preview: Redaction.preview(match.secret), secretHash: StableHash.value(match.secret), path: pathBytes,
        line: Int32(clamping: match.line), inTest: match.inTestPath || pathInTest, verdict: match.verdict))
    }
    for rule in contentRules where matcher.fileRule(rule, matchesContent: raw, scratch: scratch) {
      events.append(SightingEvent(kind: .file, rule: rule, fingerprint: "", preview: "", secretHash: 0, path: pathBytes,
                                  line: Int32(firstLine), inTest: pathInTest))
    }
    for event in events { tally.apply(event, commit: Int32(commit)) }
    openLog.events += events
  }

  /// The tally, with the scratch's counters.
  func finish() -> HistoryTally {
    var result = tally
    result.limitHits = scratch.limitHits
    result.longLines = scratch.longLines
    result.truncatedLines = scratch.truncatedLines
    result.regexRuns = scratch.regexRuns
    result.regexBytes = scratch.regexBytes
    return result
  }
}

/// The sensitive-file rules, by whether they need the file's content, and what a test path is. (The
/// history pass asks the matcher for the content-gated rules of a path: it remembers them per path.)
struct SensitiveFileRules: Sendable {
  let matcher: SecretMatcher
  let rules: [SensitiveFileRule]
  /// By rule: it has a `contains` pattern.
  let needsContent: [Bool]
  let classifier: PathClassifier

  init(_ matcher: SecretMatcher, classifier: PathClassifier) {
    self.matcher = matcher
    self.classifier = classifier
    let rules = matcher.fileRules
    self.rules = rules
    needsContent = rules.map { $0.contains != nil }
  }

  /// The rules whose globs take `path` (content not considered), in rule order.
  func matching(_ path: [UInt8]) -> [Int] { matcher.sensitiveFileRules(path: path) }

  /// The rules that need no content among those whose globs take `path`.
  func matchingPathOnly(_ path: [UInt8]) -> [Int] {
    let all = matching(path)
    return all.isEmpty ? all : all.filter { !needsContent[$0] }
  }

  /// A test or fixture path for the secret rules (`testPaths` of their filters) or for the project's
  /// classification (`classify.toml`).
  func inTestPath(_ path: [UInt8]) -> Bool {
    matcher.isTestPath(path) || classifier.classify(path) == .test
  }
}
