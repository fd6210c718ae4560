import SalvageCore
import TOML

/// The risk model's weights, bands, verdict rules and remediation texts, read from `rules/report.toml`.
/// A user's file that cannot be read falls back to the built-in one and the report says so: a report
/// is never lost to a typo in a threshold.
public struct RiskRules: Sendable {
  public struct GradeStep: Sendable {
    public let grade: String
    public let minimum: Double
    public let meaning: String
  }

  public enum Better: String, Sendable { case lower, higher }

  /// One fact turned into a score by bands.
  public struct Measure: Sendable {
    public let fact: String
    public let title: String
    public let unit: String
    public let better: Better
    public let bands: [(bound: Double, score: Double)]
    public let otherwise: Double
    public let missing: Double?
    public let weight: Double

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

  public struct VerdictRule: Sendable {
    public let verdict: Verdict
    public let all: [String]
    public let any: [String]
    public let summary: String

    public func matches(_ signals: Set<String>) -> Bool {
      all.allSatisfy(signals.contains) && (any.isEmpty || any.contains(where: signals.contains))
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
  public let signals: [String: Double]
  public let verdicts: [VerdictRule]
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

  public func signal(_ name: String, _ fallback: Double) -> Double { signals[name] ?? fallback }

  /// The remediation of a finding: its analyzer and rule, else its analyzer's "*", else the catch-all.
  public func remediation(analyzer: String, rule: String) -> Remediation? {
    remediations.first { $0.analyzer == analyzer && $0.rule == rule }
      ?? remediations.first { $0.analyzer == analyzer && $0.rule == "*" }
      ?? remediations.first { $0.analyzer == "*" }
  }

  /// The rules in force for a scan, and the problem with the user's file when it had to be replaced.
  public static func load(_ rules: RuleSet) -> (rules: RiskRules, problem: String?) {
    if let table = rules.table(fileName) {
      do {
        return (try RiskRules(table), nil)
      } catch {
        return (builtin, "\(fileName): \(error.message); the built-in report rules were used instead")
      }
    }
    return (builtin, nil)
  }

  public static let fileName = "report.toml"

  /// The rules compiled into the binary; a broken built-in file is a build defect the tests catch.
  public static let builtin: RiskRules = {
    guard let set = try? RuleSet.load(), let table = set.table(fileName), let rules = try? RiskRules(table) else {
      fatalError("the built-in rules/report.toml cannot be read")
    }
    return rules
  }()

  public struct Problem: Error, Sendable {
    public let message: String
  }

  public init(_ table: TOMLTable) throws(Problem) {
    func fail(_ message: String, _ line: Int? = nil) -> Problem {
      Problem(message: (line.map { "line \($0): " } ?? "") + message)
    }
    func tables(_ key: String, in table: TOMLTable) -> [TOMLTable] {
      table[key]?.array?.compactMap(\.table) ?? []
    }
    func number(_ t: TOMLTable, _ key: String) throws(Problem) -> Double {
      guard let v = t[key]?.double else { throw fail("'\(key)' must be a number", t.line(of: key) ?? t.line) }
      return v
    }
    func text(_ t: TOMLTable, _ key: String) throws(Problem) -> String {
      guard let v = t[key]?.string else { throw fail("'\(key)' must be a string", t.line(of: key) ?? t.line) }
      return v
    }

    var grades: [GradeStep] = []
    for g in tables("grades", in: table) {
      grades.append(GradeStep(grade: try text(g, "grade"), minimum: try number(g, "minimum"), meaning: g["meaning"]?.string ?? ""))
    }
    guard !grades.isEmpty else { throw fail("no [[grades]]") }
    self.grades = grades.sorted { $0.minimum > $1.minimum }

    var areas: [Area] = []
    for a in tables("areas", in: table) {
      var measures: [Measure] = []
      for m in tables("measures", in: a) {
        guard let better = Better(rawValue: m["better"]?.string ?? "lower") else { throw fail("'better' is lower or higher", m.line) }
        var bands: [(Double, Double)] = []
        for band in m["bands"]?.array ?? [] {
          guard let pair = band.array, pair.count == 2, let bound = pair[0].double, let score = pair[1].double else {
            throw fail("'bands' holds [bound, score] pairs", m.line(of: "bands") ?? m.line)
          }
          bands.append((bound, score))
        }
        measures.append(Measure(
          fact: try text(m, "fact"), title: try text(m, "title"), unit: m["unit"]?.string ?? "", better: better, bands: bands,
          otherwise: m["otherwise"]?.double ?? 0, missing: m["missing"]?.double, weight: m["weight"]?.double ?? 1))
      }
      areas.append(Area(id: try text(a, "id"), title: try text(a, "title"), question: a["question"]?.string ?? "",
                        weight: a["weight"]?.double ?? 1, measures: measures))
    }
    self.areas = areas

    var caps: [Cap] = []
    for c in tables("caps", in: table) {
      caps.append(Cap(area: try text(c, "area"), fact: try text(c, "fact"), above: c["above"]?.double, below: c["below"]?.double,
                      maximum: try number(c, "maximum"), reason: c["reason"]?.string ?? ""))
    }
    self.caps = caps

    var signals: [String: Double] = [:]
    for (key, value) in table["signals"]?.table?.entries ?? [] {
      if let d = value.double { signals[key] = d }
    }
    self.signals = signals

    var verdicts: [VerdictRule] = []
    for v in tables("verdicts", in: table) {
      guard let verdict = Verdict(rawValue: try text(v, "verdict")) else {
        throw fail("'verdict' is one of \(Verdict.allCases.map(\.rawValue).joined(separator: ", "))", v.line)
      }
      verdicts.append(VerdictRule(verdict: verdict, all: v["all"]?.stringArray ?? [], any: v["any"]?.stringArray ?? [],
                                  summary: v["summary"]?.string ?? ""))
    }
    guard !verdicts.isEmpty else { throw fail("no [[verdicts]]") }
    self.verdicts = verdicts
    keepVerdicts = Set((table["keep_verdicts"]?.stringArray ?? ["keep", "stabilize"]).compactMap(Verdict.init(rawValue:)))

    var horizons: [Severity: Horizon] = [:]
    for (key, value) in table["horizons"]?.table?.entries ?? [] {
      guard let severity = Severity(rawValue: key), let name = value.string, let horizon = Horizon(rawValue: name) else {
        throw fail("[horizons] maps a severity to before-deal, first-90-days or later", table["horizons"]?.table?.line(of: key))
      }
      horizons[severity] = horizon
    }
    self.horizons = horizons

    var remediations: [Remediation] = []
    for r in tables("remediations", in: table) {
      guard let effort = Effort(rawValue: try text(r, "effort")) else { throw fail("'effort' is small, medium or large", r.line) }
      var horizon: Horizon?
      if let name = r["horizon"]?.string {
        guard let h = Horizon(rawValue: name) else { throw fail("'horizon' is before-deal, first-90-days or later", r.line) }
        horizon = h
      }
      remediations.append(Remediation(
        analyzer: try text(r, "analyzer"), rule: try text(r, "rule"), action: try text(r, "action"), text: try text(r, "text"),
        impact: r["impact"]?.string ?? "", effort: effort, scaleBy: r["scale_by"]?.string,
        scale: r["scale"]?.array?.compactMap(\.double) ?? [], horizon: horizon))
    }
    self.remediations = remediations

    let summary = table["summary"]?.table
    maxRisks = summary?["max_risks"]?.int ?? 5
    minRisks = summary?["min_risks"]?.int ?? 3
    maxActions = summary?["max_actions"]?.int ?? 6
    leadingRisks = (summary?["lead"]?.array ?? []).compactMap { value in
      guard let entry = value.table, let rule = entry["rule"]?.string, let field = entry["field"]?.string,
            let least = entry["at_least"]?.double else { return nil }
      return (rule, field, least)
    }
  }
}
