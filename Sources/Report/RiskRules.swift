import SalvageCore
import TOML

/// The risk model's weights, bands, verdict rules and remediation texts, compiled from
/// `rules/report.toml` before any git work. The file is read strictly: a key it does not know, a value
/// of the wrong kind or out of its range, a fact, signal or area the report does not have, or bands that
/// leave one of them unreachable is a `RuleError` naming the file, the line and the key (exit 7).
public struct RiskRules: Sendable {
  public struct GradeStep: Sendable {
    public let grade: String
    public let minimum: Double
    public let meaning: String
    /// Scores that must get this grade (run by the test suite).
    public let examples: [Double]
  }

  public enum Better: String, Sendable, CaseIterable { case lower, higher }

  /// What a measure's value is, and so how it is printed.
  public enum Unit: String, Sendable, CaseIterable {
    case share, count, days, ratio, change, yesNo = "yes/no", score
  }

  /// One fact turned into a score by bands.
  public struct Measure: Sendable {
    public let fact: String
    public let title: String
    public let unit: Unit
    public let better: Better
    public let bands: [(bound: Double, score: Double)]
    public let otherwise: Double
    public let missing: Double?
    public let weight: Double
    /// Values and the score each must get (run by the test suite).
    public let examples: [(value: Double, score: Double)]

    public func score(_ value: Double) -> Double {
      for band in bands {
        switch better {
        case .lower where value <= band.bound: return band.score
        case .higher where value >= band.bound: return band.score
        default: continue
        }
      }
      return otherwise
    }
  }

  public struct Area: Sendable {
    public let id: String
    public let title: String
    public let question: String
    public let weight: Double
    public let measures: [Measure]
  }

  public struct Cap: Sendable {
    public let area: String
    public let fact: String
    public let above: Double?
    public let below: Double?
    public let maximum: Double
    public let reason: String

    public func applies(_ value: Double) -> Bool {
      if let above, value > above { return true }
      if let below, value < below { return true }
      return false
    }
  }

  /// One `[[verdicts]]` rule: it matches when every signal of `all` and at least `atLeast` of `any` are
  /// present. Its confidence starts at `confidence` and moves one step up for each signal of `any` past
  /// `atLeast` and each of `support` present, one step down for each of `against` and of the
  /// `[verdict_confidence] uncertain` signals present.
  public struct VerdictRule: Sendable {
    public let verdict: Verdict
    public let all: [String]
    public let any: [String]
    public let atLeast: Int
    public let support: [String]
    public let against: [String]
    public let confidence: Confidence
    public let summary: String

    public func matches(_ signals: Set<String>) -> Bool {
      all.allSatisfy(signals.contains) && any.filter(signals.contains).count >= atLeast
    }
  }

  /// What a verdict rule concluded from a component's signals.
  public struct Decision: Sendable {
    public let rule: VerdictRule
    /// The signals that made the rule match: its `all`, then the first `atLeast` of its `any` present.
    public let decidedBy: [String]
    /// Present signals that raised the confidence beyond the rule's own (`any` past `atLeast`, `support`).
    public let corroboratedBy: [String]
    /// Present signals that lowered it (`against`, uncertain ones).
    public let against: [String]
    public let confidence: Confidence
    public var verdict: Verdict { rule.verdict }
  }

  /// An example of `[[verdict_examples]]`: the signals, and the verdict and confidence they must give.
  public struct VerdictExample: Sendable {
    public let signals: [String]
    public let verdict: Verdict
    public let confidence: Confidence
    public let decidedBy: [String]?
  }

  /// The first verdict rule that matches `signals` (nil when none does: the last rule is usually a
  /// catch-all), with the signals that decided it and its confidence.
  public func decide(_ signals: Set<String>) -> Decision? {
    guard let rule = verdicts.first(where: { $0.matches(signals) }) else { return nil }
    let anyPresent = rule.any.filter(signals.contains)
    let corroborating = Array(anyPresent.dropFirst(rule.atLeast)) + rule.support.filter(signals.contains)
    let against = rule.against.filter(signals.contains) + uncertainSignals.filter { signals.contains($0) && !rule.against.contains($0) }
    let level = rule.confidence.level + corroborating.count - against.count
    return Decision(rule: rule, decidedBy: rule.all + anyPresent.prefix(rule.atLeast), corroboratedBy: corroborating, against: against,
                    confidence: Confidence(level: level))
  }

  /// The thresholds of the component signals (`[signals]`), each with its default.
  public struct Signals: Sendable {
    /// hotspot-heavy: hot files hold at least this share of the component's code.
    public var hotspotHeavyShare = 0.30
    /// untested: at least this many production lines and no test code.
    public var untestedMinLines = 50.0
    /// low-tests: test/production line ratio under this.
    public var lowTestRatio = 0.20
    public var orphanedShare = 0.50
    public var partlyOrphanedShare = 0.20
    /// rework: the hotspots' file-level share (changed lines in files changed again within the window).
    public var reworkShare = 0.30
    /// rework when the lines were followed: the share of the lines written that were deleted or replaced
    /// within the window (a different, smaller scale: `rules/report.toml` says how it was set).
    public var lineReworkShare = 0.30
    /// well-tested: test/production line ratio at least this.
    public var wellTestedRatio = 1.0
    /// complex: indentation complexity per line of code at least this, over at least complexMinLines lines.
    public var complexPerLine = 2.0
    public var complexMinLines = 200.0

    static var keys: [(key: String, path: WritableKeyPath<Signals, Double>, range: ClosedRange<Double>)] {
      [("hotspot_heavy_share", \.hotspotHeavyShare, 0...1), ("untested_min_lines", \.untestedMinLines, 0...1_000_000_000),
       ("low_test_ratio", \.lowTestRatio, 0...1000), ("well_tested_ratio", \.wellTestedRatio, 0...1000),
       ("orphaned_share", \.orphanedShare, 0...1), ("partly_orphaned_share", \.partlyOrphanedShare, 0...1),
       ("rework_share", \.reworkShare, 0...1), ("line_rework_share", \.lineReworkShare, 0...1), ("complex_per_line", \.complexPerLine, 0...1000),
       ("complex_min_lines", \.complexMinLines, 0...1_000_000_000)]
    }
  }

  public struct Remediation: Sendable {
    public let analyzer: String
    public let rule: String
    public let action: String
    public let text: String
    public let impact: String
    public let effort: Effort
    public let scaleBy: String?
    public let scale: [Double]
    public let horizon: Horizon?
  }

  public let grades: [GradeStep]
  public let areas: [Area]
  public let caps: [Cap]
  public let signals: Signals
  public let verdicts: [VerdictRule]
  /// Signals that make any verdict less certain (an analyzer that did not run).
  public let uncertainSignals: [String]
  public let verdictExamples: [VerdictExample]
  public let keepVerdicts: Set<Verdict>
  public let horizons: [Severity: Horizon]
  public let remediations: [Remediation]
  public let maxRisks: Int
  public let minRisks: Int
  public let maxActions: Int
  /// Findings that lead the risks whatever their score: (analyzer.rule, an evidence field and the least
  /// value of it that makes the finding lead). A project nobody has touched for months is the first
  /// thing a buyer must hear, before anything its code says.
  public let leadingRisks: [(rule: String, field: String, atLeast: Double)]

  public func grade(_ score: Double) -> String {
    grades.first { score >= $0.minimum }?.grade ?? "F"
  }

  /// The remediation of a finding: its analyzer and rule, else its analyzer's "*", else the catch-all.
  public func remediation(analyzer: String, rule: String) -> Remediation? {
    remediations.first { $0.analyzer == analyzer && $0.rule == rule }
      ?? remediations.first { $0.analyzer == analyzer && $0.rule == "*" }
      ?? remediations.first { $0.analyzer == "*" }
  }

  public static let fileName = "report.toml"

  /// The rules compiled into the binary; a broken built-in file is a build defect the tests catch.
  public static let builtin: RiskRules = {
    do {
      return try RiskRules(try RuleSet.load())
    } catch {
      fatalError("the built-in rules/report.toml cannot be read: \(error)")
    }
  }()

  /// Compiles `report.toml` of `rules` (the built-in file when the set has none).
  public init(_ rules: RuleSet) throws(RuleError) {
    guard let table = rules.table(Self.fileName) else { throw RuleError(file: Self.fileName, message: "missing") }
    let reader = RuleReader(file: Self.fileName, table: table)
    try reader.check(table, known: ["grades", "areas", "caps", "signals", "verdicts", "verdict_confidence", "verdict_examples", "keep_verdicts",
                                    "horizons", "summary", "remediations"])

    var grades: [GradeStep] = []
    for g in try reader.tables(table, "grades", required: true) {
      try reader.check(g, known: ["grade", "minimum", "meaning", "examples"])
      grades.append(GradeStep(grade: try reader.string(g, "grade"), minimum: try reader.number(g, "minimum", in: 0...100),
                              meaning: try reader.string(g, "meaning", default: ""),
                              examples: try reader.numbers(g, "examples", in: 0...100)))
    }
    self.grades = grades.sorted { $0.minimum > $1.minimum }

    var areas: [Area] = []
    for a in try reader.tables(table, "areas", required: true) {
      try reader.check(a, known: ["id", "title", "question", "weight", "measures"])
      let id = try reader.string(a, "id")
      guard let facts = ScanFacts.facts[id] else {
        throw reader.error(a, "id", "names no area the report assesses (known: \(ScanFacts.facts.keys.sorted().joined(separator: ", ")))")
      }
      var measures: [Measure] = []
      for m in try reader.tables(a, "measures", required: true) {
        try reader.check(m, known: ["fact", "title", "unit", "better", "bands", "otherwise", "missing", "weight", "examples"])
        let fact = try reader.string(m, "fact")
        guard facts.contains(fact) else {
          throw reader.error(m, "fact", "is not a fact of the \(id) area (known: \(facts.joined(separator: ", ")))")
        }
        let unit = try reader.choice(m, "unit", Unit.self)
        let better = try reader.choice(m, "better", Better.self)
        let bands = try reader.pairs(m, "bands", second: 0...100)
        let bounds = bands.map(\.0)
        // A band whose bound is not past the one before can never be reached.
        if zip(bounds, bounds.dropFirst()).contains(where: { better == .lower ? $0 >= $1 : $0 <= $1 }) {
          throw reader.error(m, "bands", better == .lower ? "must have rising bounds (better = \"lower\")" : "must have falling bounds (better = \"higher\")")
        }
        measures.append(Measure(
          fact: fact, title: try reader.string(m, "title"), unit: unit, better: better, bands: bands.map { ($0.0, $0.1) },
          otherwise: try reader.number(m, "otherwise", in: 0...100), missing: try reader.optionalNumber(m, "missing", in: 0...100),
          weight: try reader.number(m, "weight", in: 0...100, default: 1),
          examples: try reader.pairs(m, "examples", second: 0...100, required: false).map { ($0.0, $0.1) }))
      }
      areas.append(Area(id: id, title: try reader.string(a, "title"), question: try reader.string(a, "question", default: ""),
                        weight: try reader.number(a, "weight", in: 0...100, default: 1), measures: measures))
    }
    self.areas = areas

    var caps: [Cap] = []
    for c in try reader.tables(table, "caps") {
      try reader.check(c, known: ["area", "fact", "above", "below", "maximum", "reason"])
      let area = try reader.string(c, "area"), fact = try reader.string(c, "fact")
      guard let measures = areas.first(where: { $0.id == area })?.measures else {
        throw reader.error(c, "area", "names no [[areas]] entry (known: \(areas.map(\.id).joined(separator: ", ")))")
      }
      guard measures.contains(where: { $0.fact == fact }) || ScanFacts.facts[area]?.contains(fact) == true else {
        throw reader.error(c, "fact", "is not a fact of the \(area) area")
      }
      let above = try reader.optionalNumber(c, "above", in: -1e12...1e12), below = try reader.optionalNumber(c, "below", in: -1e12...1e12)
      if above == nil && below == nil { throw reader.error(c, "maximum", "needs `above` or `below` beside it", line: c.line) }
      caps.append(Cap(area: area, fact: fact, above: above, below: below, maximum: try reader.number(c, "maximum", in: 0...100),
                      reason: try reader.string(c, "reason")))
    }
    self.caps = caps

    var signals = Signals()
    if let t = try reader.optionalTable(table, "signals") {
      try reader.check(t, known: Signals.keys.map(\.key))
      for (key, path, range) in Signals.keys { signals[keyPath: path] = try reader.number(t, key, in: range, default: signals[keyPath: path]) }
    }
    self.signals = signals

    var verdicts: [VerdictRule] = []
    for v in try reader.tables(table, "verdicts", required: true) {
      try reader.check(v, known: ["verdict", "all", "any", "at_least", "support", "against", "confidence", "summary"])
      let all = try reader.signals(v, "all"), any = try reader.signals(v, "any")
      let atLeast = try reader.int(v, "at_least", in: any.isEmpty ? 0...0 : 1...any.count, default: any.isEmpty ? 0 : 1)
      verdicts.append(VerdictRule(verdict: try reader.choice(v, "verdict", Verdict.self), all: all, any: any, atLeast: atLeast,
                                  support: try reader.signals(v, "support"), against: try reader.signals(v, "against"),
                                  confidence: try reader.optionalChoice(v, "confidence", Confidence.self) ?? .medium,
                                  summary: try reader.string(v, "summary", default: "")))
    }
    self.verdicts = verdicts
    let confidence = try reader.optionalTable(table, "verdict_confidence") ?? TOMLTable()
    try reader.check(confidence, known: ["uncertain"])
    uncertainSignals = try reader.signals(confidence, "uncertain")
    verdictExamples = try reader.tables(table, "verdict_examples").map { e throws(RuleError) in
      try reader.check(e, known: ["signals", "verdict", "confidence", "decided_by"])
      return VerdictExample(signals: try reader.signals(e, "signals"), verdict: try reader.choice(e, "verdict", Verdict.self),
                            confidence: try reader.choice(e, "confidence", Confidence.self),
                            decidedBy: e["decided_by"] == nil ? nil : try reader.signals(e, "decided_by"))
    }
    keepVerdicts = Set(try reader.strings(table, "keep_verdicts", default: ["keep", "stabilize"]).map { name throws(RuleError) in
      guard let verdict = Verdict(rawValue: name) else {
        throw reader.error(table, "keep_verdicts", "holds '\(name)', which is none of \(Verdict.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return verdict
    })

    var horizons: [Severity: Horizon] = [:]
    if let t = try reader.optionalTable(table, "horizons") {
      try reader.check(t, known: Severity.allCases.map(\.rawValue))
      for (key, _) in t.entries { horizons[Severity(rawValue: key)!] = try reader.choice(t, key, Horizon.self) }
    }
    self.horizons = horizons

    var remediations: [Remediation] = []
    for r in try reader.tables(table, "remediations") {
      try reader.check(r, known: ["analyzer", "rule", "action", "text", "impact", "effort", "scale_by", "scale", "horizon"])
      let scale = try reader.numbers(r, "scale", in: 0...1e12)
      if !scale.isEmpty && (scale.count != 2 || scale[0] >= scale[1]) {
        throw reader.error(r, "scale", "must be two rising bounds: under the first small, under the second medium, else large")
      }
      remediations.append(Remediation(
        analyzer: try reader.string(r, "analyzer"), rule: try reader.string(r, "rule"), action: try reader.string(r, "action"),
        text: try reader.string(r, "text"), impact: try reader.string(r, "impact", default: ""), effort: try reader.choice(r, "effort", Effort.self),
        scaleBy: try Self.evidenceFigure(reader, r, "scale_by"), scale: scale, horizon: try reader.optionalChoice(r, "horizon", Horizon.self)))
    }
    self.remediations = remediations

    let summary = try reader.optionalTable(table, "summary") ?? TOMLTable()
    try reader.check(summary, known: ["max_risks", "min_risks", "max_actions", "lead"])
    maxRisks = try reader.int(summary, "max_risks", in: 0...100, default: 5)
    minRisks = try reader.int(summary, "min_risks", in: 0...maxRisks, default: min(3, maxRisks))
    maxActions = try reader.int(summary, "max_actions", in: 0...100, default: 6)
    leadingRisks = try reader.tables(summary, "lead").map { lead throws(RuleError) in
      try reader.check(lead, known: ["rule", "field", "at_least"])
      let rule = try reader.string(lead, "rule")
      guard rule.split(separator: ".").count == 2 else { throw reader.error(lead, "rule", "must be analyzer.rule (e.g. cadence.not-maintained)") }
      // `string` first: a missing field is an error of its own.
      _ = try reader.string(lead, "field")
      let field = try Self.evidenceFigure(reader, lead, "field") ?? ""
      return (rule, field, try reader.number(lead, "at_least", in: -1e12...1e12))
    }
  }

  /// A figure of a finding's evidence the report can read (`EvidenceFigures`), named by `key`.
  private static func evidenceFigure(_ reader: RuleReader, _ table: TOMLTable, _ key: String) throws(RuleError) -> String? {
    guard let name = try reader.optionalString(table, key) else { return nil }
    guard EvidenceFigures.all[name] != nil else {
      throw reader.error(table, key, "names no evidence figure the report reads (\(EvidenceFigures.all.keys.sorted().joined(separator: ", ")))")
    }
    return name
  }
}

extension RuleReader {
  /// A list of component signal names (`ComponentVerdicts.order`).
  fileprivate func signals(_ t: TOMLTable, _ key: String) throws(RuleError) -> [String] {
    let list = try strings(t, key)
    if let unknown = list.first(where: { !ComponentVerdicts.order.contains($0) }) {
      throw error(t, key, "names '\(unknown)', which is no component signal (known: \(ComponentVerdicts.order.joined(separator: ", ")))")
    }
    return list
  }
}
