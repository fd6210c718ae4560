import Foundation
import Git

// The contract from analyzer to report, in two phases:
//
// 1. `compile(RuleSet) throws -> Rules`: every rule file the analyzer uses, read strictly (`RuleReader`),
//    before any git work. A bad value is a `RuleError`: exit 7, naming the file, the line and the key.
// 2. `analyze(AnalysisInput, Rules) throws -> Analysis<Output>`: a pure function of the scan's values.
//    `Output` is a typed `Encodable & Sendable` struct; the JSON report's `analyzers.<id>` object is
//    encoded from it (`JSONTree`: keys in declaration order, absent optionals as null), so the published
//    bytes follow the type.
//
// Typed access for the report: `scan.output(HotspotsOutput.self)` (or `result.output(as:)` on one
// `AnalyzerResult`) gives the analyzer's own value, nil when it did not run. `AnalyzerResult.metrics`
// is the same value encoded: what the JSON report writes, and nothing reads.
//
// The Scanner holds a heterogeneous list through `AnyAnalyzer`; `Scanner(analyzers:)` takes plain
// analyzers and boxes them.

/// An analyzer's typed figures, as the report reads them and the JSON encodes them.
public typealias AnalyzerOutput = Encodable & Sendable

/// What an analyzer hands back: its typed output, its findings, and its typed facts per component
/// (keyed by component path) for `components`.
public struct Analysis<Output: AnalyzerOutput>: Sendable {
  public var output: Output
  public var findings: [Finding]
  public var components: [String: any AnalyzerOutput]
  /// New contents for the analyzer's cache file (`Analyzer.cache`), when it changed: the Scanner writes it.
  public var cacheUpdate: [UInt8]?
  /// Matches of the analyzer's rule or configuration regexes that PCRE2's limits stopped (answered "no
  /// match"): the report lists them as a limitation (`repository.regexLimitHits`).
  public var regexLimitHits = 0

  public init(_ output: Output, findings: [Finding] = [], components: [String: any AnalyzerOutput] = [:]) {
    self.output = output
    self.findings = findings
    self.components = components
  }
}

/// One analyzer's result as the report holds it: the typed output, and the same encoded for
/// `analyzers.<id>`.
public struct AnalyzerResult: Sendable {
  public let output: any AnalyzerOutput
  /// `output` encoded (`JSONTree`): what the JSON report writes.
  public var metrics: JSONValue
  public var findings: [Finding]
  /// The typed facts per component.
  public let componentOutputs: [String: any AnalyzerOutput]
  /// `componentOutputs` encoded: what the JSON report writes under `components[].analyzers.<id>`.
  public var components: [String: JSONValue]
  /// Regex matches stopped by PCRE2's limits during the analysis (`Analysis.regexLimitHits`).
  public var regexLimitHits = 0

  /// A result whose output is JSON already (tests of the report build these by hand).
  public init(metrics: JSONValue, findings: [Finding] = [], components: [String: JSONValue] = [:]) {
    output = metrics
    self.metrics = metrics
    self.findings = findings
    componentOutputs = components
    self.components = components
  }

  public init<Output: AnalyzerOutput>(_ analysis: Analysis<Output>) throws {
    output = analysis.output
    metrics = try JSONTree.encode(analysis.output)
    findings = analysis.findings
    componentOutputs = analysis.components
    components = try analysis.components.mapValues { try JSONTree.encode($0) }
    regexLimitHits = analysis.regexLimitHits
  }

  /// The typed output, when it is of this type.
  public func output<Output: AnalyzerOutput>(as type: Output.Type) -> Output? { output as? Output }

  /// The typed facts of one component, when they are of this type.
  public func component<Facts: AnalyzerOutput>(_ path: String, as type: Facts.Type) -> Facts? { componentOutputs[path] as? Facts }
}

/// Something an analyzer needs from the history pass beyond the per-file counts: it makes one visitor
/// per worker thread, which receives every added line. After the pass the Scanner asks it for what it
/// learned (`collect`) and hands that value to the analyzer (`AnalysisInput.observation`).
public protocol HistoryObserver: AnyObject, Sendable {
  func makeVisitor() -> any AddedLineVisitor
  /// What the pass found, merged over the workers (and over what a cache restored). Called once.
  func collect() -> any Sendable
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

/// What one analyzer reads: the scan's context, the models it declared, and what its own history
/// observer learned.
public struct AnalysisInput: Sendable {
  public let context: ScanContext
  /// The value the analyzer's history observer collected; nil when it has none (or there is no history).
  public let observation: (any Sendable)?
  /// The bytes of the analyzer's cache file (`Analyzer.cache`) as the Scanner read them: nil when the
  /// cache is off, or the file is missing or unreadable. The analyzer checks their soundness itself.
  public let cached: [UInt8]?
  private let models: Models

  public init(context: ScanContext, models: Models = Models(), observation: (any Sendable)? = nil, cached: [UInt8]? = nil) {
    self.context = context
    self.models = models
    self.observation = observation
    self.cached = cached
  }

  /// A model the analyzer declared in `inputs`, computed by the Scanner.
  public func model<M: ScanModel>(_ type: M.Type) throws -> M { try models(type) }

  public var history: History { context.history }
  public var snapshot: Snapshot { context.snapshot }
  public var now: Int64 { context.now }
}

/// One analysis: compiled rules first, then a pure function of the scan's values. Analyzers never open
/// the repository.
public protocol Analyzer: Sendable {
  associatedtype Rules: Sendable
  associatedtype Output: AnalyzerOutput

  /// The key of its object under `analyzers` in the JSON report.
  var id: String { get }
  /// The shared models it reads (`AnalysisInput.model`): the Scanner computes them first, once.
  var inputs: [any ScanModel.Type] { get }
  /// Reads and checks every rule file the analyzer uses. Called before any git work.
  func compile(_ rules: RuleSet) throws -> Rules
  /// Asked before the history pass: an observer when the analyzer wants the added lines.
  func historyObserver(_ rules: Rules, options: ScanOptions, classifier: PathClassifier) -> (any HistoryObserver)?
  /// Asked before the tree read: what the analyzer draws from every text file's bytes, by name, when it
  /// wants that drawn once per blob and kept between scans (see `Snapshot.facts(of:named:_:)`). Analyzers
  /// that share facts name the same extractor.
  func blobFactExtractors(_ rules: Rules) -> [String: any BlobFactExtractor]
  /// A file the analyzer keeps between scans in the user's cache folder: the Scanner reads it before
  /// (`AnalysisInput.cached`) and writes what it hands back (`Analysis.cacheUpdate`). The analyzer
  /// itself never touches a file.
  func cache(_ rules: Rules) -> AnalyzerCache?
  /// What to count when the analyzer reads the lines followed through the history
  /// (`ScanContext.lines`); nil (the default) when it does not. Any analyzer asking turns the tracking
  /// on; the first one's request decides.
  func lineTracking(_ rules: Rules) -> LineTracking?
  func analyze(_ input: AnalysisInput, _ rules: Rules) throws -> Analysis<Output>
}

extension Analyzer {
  public var inputs: [any ScanModel.Type] { [] }
  public func historyObserver(_ rules: Rules, options: ScanOptions, classifier: PathClassifier) -> (any HistoryObserver)? { nil }
  public func blobFactExtractors(_ rules: Rules) -> [String: any BlobFactExtractor] { [:] }
  public func cache(_ rules: Rules) -> AnalyzerCache? { nil }
  public func lineTracking(_ rules: Rules) -> LineTracking? { nil }

  /// Compiles `rules`, makes the models it declares and runs on `context`, with what its observer
  /// collected: for tests that run one analyzer on a context they hold.
  public func run(_ context: ScanContext, rules: RuleSet? = nil, observation: (any Sendable)? = nil) throws -> AnalyzerResult {
    let rules = rules ?? context.rules
    let models = Models()
    for model in try CompiledModel.graph(inputs, rules: rules) { models.set(model.id, try model.make(context, models)) }
    return try AnalyzerResult(analyze(AnalysisInput(context: context, models: models, observation: observation), compile(rules)))
  }
}

/// An analyzer of any rule and output types, for the Scanner's list.
public struct AnyAnalyzer: Sendable {
  public let id: String
  private let compileRules: @Sendable (RuleSet) throws -> CompiledAnalyzer

  public init<A: Analyzer>(_ analyzer: A) {
    id = analyzer.id
    compileRules = { rules in
      let compiled = try analyzer.compile(rules)
      return CompiledAnalyzer(
        id: analyzer.id, inputs: analyzer.inputs,
        extractors: analyzer.blobFactExtractors(compiled),
        makeObserver: { options, classifier in analyzer.historyObserver(compiled, options: options, classifier: classifier) },
        cache: analyzer.cache(compiled),
        lineTracking: analyzer.lineTracking(compiled),
        run: { input in
          let analysis = try analyzer.analyze(input, compiled)
          let started = Date()
          defer { PhaseClock.note("encode \(analyzer.id)", Date().timeIntervalSince(started)) }
          return (try AnalyzerResult(analysis), analysis.cacheUpdate)
        })
    }
  }

  public func compile(_ rules: RuleSet) throws -> CompiledAnalyzer { try compileRules(rules) }
}

/// An analyzer with its rules compiled: ready for a scan.
public struct CompiledAnalyzer: Sendable {
  public let id: String
  let inputs: [any ScanModel.Type]
  public let extractors: [String: any BlobFactExtractor]
  let makeObserver: @Sendable (ScanOptions, PathClassifier) -> (any HistoryObserver)?
  let cache: AnalyzerCache?
  public let lineTracking: LineTracking?
  let run: @Sendable (AnalysisInput) throws -> (AnalyzerResult, [UInt8]?)
}

/// Names an analyzer's cache file: `<name>-<hash>.cache` in the cache folder, the hash over `key`, the
/// repository's real location and this build of Salvage (a new build may analyze differently).
public struct AnalyzerCache: Sendable {
  public let name: String
  /// What the contents depend on besides the repository and the build (the analyzer's rules, its format).
  public let key: String

  public init(name: String, key: String) {
    self.name = name
    self.key = key
  }

  func file(repository: String) -> URL {
    let real = URL(fileURLWithPath: repository).resolvingSymlinksInPath().standardizedFileURL.path
    let hash = StableHash.hex("\(key)\u{0}\(HistoryCache.build)\u{0}\(real)")
    return HistoryCache.folder().appendingPathComponent("\(name)-\(hash).cache")
  }
}
