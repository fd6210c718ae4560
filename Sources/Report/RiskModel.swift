import SalvageCore
import TOML

/// What the report concludes from a scan: area scores and grades, a remediation for every finding,
/// a verdict per component, and the executive summary. A pure function of the scan and the rules.
public struct Assessment: Sendable {
  public struct MeasureResult: Sendable {
    public let measure: RiskRules.Measure
    /// nil when the fact is unknown.
    public let value: Double?
    /// nil when the measure was skipped.
    public let score: Double?
  }

  public struct AreaResult: Sendable {
    public let area: RiskRules.Area
    /// Where the facts came from; nil when the area was not assessed.
    public let source: String?
    public let measures: [MeasureResult]
    public let score: Int?
    public let grade: String?
    /// Why the area has no grade, when it has none.
    public let notAssessed: String?
    public let facts: [String: Double]
  }

  /// A finding with what to do about it.
  public struct Advice: Sendable {
    public let finding: Finding
    public let remediation: RiskRules.Remediation
    public let effort: Effort
    public let horizon: Horizon
  }

  public struct Reason: Sendable {
    public let signal: String
    public let text: String
  }

  public struct ComponentResult: Sendable {
    public let path: String
    public let files: Int
    public let loc: Int
    public let verdict: Verdict
    /// The verdict rule's one-line explanation.
    public let summary: String
    public let reasons: [Reason]
    public let findings: [String]
    public let confidence: Confidence
    /// The signals that made the verdict rule match.
    public let decidedBy: [String]
    /// Present signals that raised the confidence, and those that lowered it.
    public let corroboratedBy: [String]
    public let against: [String]
  }

  public struct Risk: Sendable {
    public let title: String
    public let detail: String
    public let area: String
    public let priority: Int
    public let findings: [String]
  }

  public struct Action: Sendable {
    public let horizon: Horizon
    public let text: String
    public let effort: Effort
    public let findings: [String]
  }

  public let rules: RiskRules
  public let areas: [AreaResult]
  public let score: Int?
  public let grade: String?
  public let headline: String
  public let keepShare: Double?
  public let linesByVerdict: [Verdict: Int]
  public let caps: [String]
  /// Every finding in report order (most severe first), with its remediation.
  public let advice: [Advice]
  public let components: [ComponentResult]
  public let risks: [Risk]
  public let actions: [Action]
  /// What the reader must know about the scope: analyzers that did not run, rule problems, a cut history.
  public let notes: [String]

  public func area(_ id: String) -> AreaResult? { areas.first { $0.area.id == id } }
  public func advice(for id: String) -> Advice? { advice.first { $0.finding.id == id } }
  public func grade(of analyzer: String) -> (score: Int?, grade: String?) {
    guard let a = area(analyzer) else { return (nil, nil) }
    return (a.score, a.grade)
  }
}

public enum RiskModel {
  /// The assessment under the scan's own report rules.
  public static func assess(_ scan: ScanResult) throws(RuleError) -> Assessment {
    assess(scan, rules: try RiskRules(scan.context.rules))
  }

  public static func assess(_ scan: ScanResult, rules: RiskRules) -> Assessment {
    let facts = ScanFacts(scan: scan)
    var notes: [String] = []
    if scan.context.repository.shallow {
      notes.append("The repository is a shallow clone: history figures cover only the commits present.")
    }
    let missing = scan.context.repository.missingBlobs
    if !missing.isEmpty {
      var paths: [[UInt8]] = []
      for blob in missing where paths.last != blob.path { paths.append(blob.path) }  // sorted by path
      let files = paths.count
      let first = paths.prefix(3).map { PathText.display($0) }.joined(separator: ", ")
      notes.append("\(Words.count(missing.count, "object")) missing from the object store (a partial or damaged copy), "
        + "needed by \(Words.count(files, "file")) (\(first)\(files > 3 ? ", …" : "")): their lines are not counted. "
        + "The JSON lists them (repository.missingBlobs); --strict makes this an error.")
    }

    let clamped = scan.context.history.clampedTimes
    if clamped > 0 {
      notes.append("\(Words.count(clamped, "commit or tag date")) before 1970 or more than a year past the scan's date "
        + "\(clamped == 1 ? "was" : "were") moved into that range: time figures near those dates are approximate "
        + "(repository.clampedDates in the JSON).")
    }
    let stopped = scan.regexLimitHits
    if stopped > 0 {
      notes.append("\(Words.count(stopped, "regular-expression match", "regular-expression matches")) of the rules or .salvage.toml "
        + "stopped at PCRE2's work limit and \(stopped == 1 ? "was" : "were") taken as no match: a pattern backtracks too much "
        + "(repository.regexLimitHits in the JSON).")
    }

    let areas = rules.areas.map { area(for: $0, facts: facts, rules: rules) }
    for a in areas where a.notAssessed != nil { notes.append("\(a.area.title): not assessed (\(a.notAssessed!)).") }

    // Overall: the weighted mean of the assessed areas, then the caps.
    var weighted = 0.0, weights = 0.0
    for a in areas { if let s = a.score { weighted += Double(s) * a.area.weight; weights += a.area.weight } }
    var score: Double? = weights > 0 ? weighted / weights : nil
    var caps: [String] = []
    if var s = score {
      for cap in rules.caps {
        guard let value = areas.first(where: { $0.area.id == cap.area })?.facts[cap.fact], cap.applies(value), s > cap.maximum else { continue }
        s = cap.maximum
        caps.append(cap.reason)
      }
      score = s
    }
    let overall = score.map { Int($0.rounded()) }

    let advice = scan.findings.map { Self.advice(for: $0, rules: rules) }
    let components = ComponentVerdicts(scan: scan, facts: facts, rules: rules).assess()
    var byVerdict: [Verdict: Int] = [:]
    for c in components { byVerdict[c.verdict, default: 0] += c.loc }
    let totalLines = components.reduce(0) { $0 + $1.loc }
    let keepShare: Double? = totalLines > 0
      ? Double(components.filter { rules.keepVerdicts.contains($0.verdict) }.reduce(0) { $0 + $1.loc }) / Double(totalLines) : nil

    let summary = ExecutiveSummary(rules: rules, areas: areas, advice: advice, components: components, totalLines: totalLines)
    let risks = summary.risks()
    let actions = summary.actions()
    let grade = overall.map { rules.grade(Double($0)) }
    let headline = summary.headline(score: overall, grade: grade, keepShare: keepShare, risks: risks, empty: scan.context.repository.empty)

    return Assessment(rules: rules, areas: areas, score: overall, grade: grade, headline: headline, keepShare: keepShare,
                      linesByVerdict: byVerdict, caps: caps, advice: advice, components: components, risks: risks, actions: actions,
                      notes: notes)
  }

  static func area(for area: RiskRules.Area, facts: ScanFacts, rules: RiskRules) -> Assessment.AreaResult {
    guard let found = facts.area(area.id) else {
      let why = facts.notAssessed(area.id)
        ?? (facts.ran(area.id) ? "its analyzer wrote none of the figures this area is scored on" : "the \(area.id) analyzer did not run")
      return .init(area: area, source: nil, measures: area.measures.map { .init(measure: $0, value: nil, score: nil) }, score: nil,
                   grade: nil, notAssessed: why, facts: [:])
    }
    var results: [Assessment.MeasureResult] = []
    var weighted = 0.0, weights = 0.0
    for m in area.measures {
      let value = found.facts[m.fact]
      let score = value.map(m.score) ?? m.missing
      results.append(.init(measure: m, value: value, score: score))
      if let score { weighted += score * m.weight; weights += m.weight }
    }
    guard weights > 0 else {
      return .init(area: area, source: found.source, measures: results, score: nil, grade: nil,
                   notAssessed: "its analyzer wrote none of the figures this area is scored on", facts: found.facts)
    }
    let score = Int((weighted / weights).rounded())
    return .init(area: area, source: found.source, measures: results, score: score, grade: rules.grade(Double(score)),
                 notAssessed: nil, facts: found.facts)
  }

  static func advice(for finding: Finding, rules: RiskRules) -> Assessment.Advice {
    // A finding whose evidence says it is not live (a test, example, public or expired value) takes the
    // analyzer's `not-live` remediation when there is one, and its severity's horizon.
    let notLive = finding.secretContext != .live
    let rule = notLive && rules.remediations.contains { $0.analyzer == finding.analyzer && $0.rule == "not-live" } ? "not-live" : finding.rule
    let remediation = rules.remediation(analyzer: finding.analyzer, rule: rule) ?? RiskRules.Remediation(
      analyzer: "*", rule: "*", action: "Review the finding with the team", text: "Review the finding with the team that owns the code.",
      impact: "", effort: .small, scaleBy: nil, scale: [], horizon: nil)
    var effort = remediation.effort
    if let key = remediation.scaleBy, remediation.scale.count == 2, let size = finding.figure(key) {
      effort = size < remediation.scale[0] ? .small : size < remediation.scale[1] ? .medium : .large
    }
    let horizon = (notLive ? nil : remediation.horizon) ?? rules.horizons[finding.severity] ?? .later
    return .init(finding: finding, remediation: remediation, effort: effort, horizon: horizon)
  }
}
