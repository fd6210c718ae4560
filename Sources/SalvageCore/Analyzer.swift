import Git

/// What an analyzer hands back: its figures for `analyzers.<id>`, its findings, and its facts per
/// component (keyed by component path) for `components`.
public struct AnalyzerResult: Sendable {
  public var metrics: JSONValue
  public var findings: [Finding]
  public var components: [String: JSONValue]

  public init(metrics: JSONValue, findings: [Finding] = [], components: [String: JSONValue] = [:]) {
    self.metrics = metrics
    self.findings = findings
    self.components = components
  }
}

/// Something an analyzer needs from the history pass beyond the per-file counts: it makes one visitor
/// per worker thread, which receives every added line. It is handed back through the context.
public protocol HistoryObserver: AnyObject, Sendable {
  func makeVisitor() -> any AddedLineVisitor
}

/// An observer whose findings per commit can be kept in the history cache, so that a warm scan does
/// not have to diff old commits again for it.
public protocol CacheableHistoryObserver: HistoryObserver {
  /// Names the observer and the version of its rules: records made under another key are not used.
  var cacheKey: String { get }
  /// What the observer learned from the commit at `index` of the history (after the pass).
  func cacheRecord(commit index: Int) -> [UInt8]
  /// Gives back what an earlier scan learned from the commit now at `index` (before `analyze`).
  func restore(commit index: Int, record: [UInt8])
}

/// One analysis: a pure function of the scan context. Analyzers never open the repository.
public protocol Analyzer: Sendable {
  /// The key of its object under `analyzers` in the JSON report.
  var id: String { get }
  /// Asked before the history pass: an observer when the analyzer wants the added lines.
  func makeHistoryObserver(options: ScanOptions, rules: RuleSet) throws -> (any HistoryObserver)?
  /// Asked before the tree read: what the analyzer draws from every text file's bytes, by name, when it
  /// wants that drawn once per blob and kept between scans (see `Snapshot.facts(of:named:_:)`). Analyzers
  /// that share facts name the same extractor.
  func makeBlobFactExtractors(rules: RuleSet) throws -> [String: any BlobFactExtractor]
  func analyze(_ context: ScanContext) throws -> AnalyzerResult
}

extension Analyzer {
  public func makeHistoryObserver(options: ScanOptions, rules: RuleSet) throws -> (any HistoryObserver)? { nil }
  public func makeBlobFactExtractors(rules: RuleSet) throws -> [String: any BlobFactExtractor] { [:] }
}
