import SalvageCore

/// Delivery cadence and team health: is the project alive, speeding up or stalling, and why. A pure
/// function of the history and its tags; every "how long ago" counts from the pinned "now".
public struct CadenceAnalyzer: Analyzer {
  static let identifier = "cadence"
  public let id = CadenceAnalyzer.identifier
  public init() {}

  public var inputs: [any ScanModel.Type] { [TipPaths.self] }

  public func compile(_ rules: RuleSet) throws -> CadenceRules { try CadenceRules(rules: rules) }

  public func analyze(_ input: AnalysisInput, _ rules: CadenceRules) throws -> Analysis<CadenceOutput> {
    let context = input.context
    let h = CadenceHistory(history: context.history, rules: rules, now: context.now)
    let activity = ActivitySeries(h)
    let liveness = Liveness(h)
    let releases = try ReleaseCadence(h)
    let work = WorkMix(h)
    let landing = Landing(h, tip: context.repository.head, classifier: context.classifier, snapshot: context.snapshot, tipPaths: try input.model(TipPaths.self))
    let team = Team(h)
    let hours = WorkingHours(h)
    let flat = rules.trend.flatBand

    let output = CadenceOutput(
      now: Timestamp(h.now), firstCommit: h.count == 0 ? nil : Timestamp(h.firstTime), lastCommit: h.count == 0 ? nil : Timestamp(h.lastTime),
      daysSinceLastCommit: liveness.daysSinceLastCommit, commits: h.count, weekly: activity.weeklyJSON, monthly: activity.monthlyJSON,
      trends: .init(last90Days: activity.windowJSON(activity.recent, now: h.now, flatBand: flat),
                    last12Months: activity.windowJSON(activity.year, now: h.now, flatBand: flat)),
      liveness: liveness.json(h), releases: releases.releasesJSON(), releaseCadence: releases.cadenceJSON(h), kinds: work.kindsJSON,
      wipCommits: work.wip.count, fixShare: work.fixTrendJSON(h), fixShareByQuarter: work.fixShareJSON, landing: landing.json(h),
      team: team.json(h), contributors: team.contributorsJSON(h, hours: hours), workingHours: hours.json(h))
    var findings: [Finding] = []
    findings += liveness.findings(h)
    findings += activity.findings(h)
    findings += releases.findings(h)
    findings += work.findings(h)
    findings += landing.findings(h)
    findings += team.findings(h)
    findings += hours.findings(h)
    return Analysis(output, findings: findings)
  }
}

/// `analyzers.cadence`: delivery and team health over time. The parts below the top level are still
/// written as JSON by their own types (`ActivitySeries`, `Liveness`, ...); the keys here are typed.
public struct CadenceOutput: AnalyzerOutput {
  public struct Trends: Encodable, Sendable {
    public let last90Days: JSONValue
    public let last12Months: JSONValue
  }

  public let basis = "commit (committer) time in UTC for delivery; author time on the author's own clock for working hours"
  public let now: Timestamp
  public let firstCommit: Timestamp?
  public let lastCommit: Timestamp?
  public let daysSinceLastCommit: Int?
  public let commits: Int
  public let weekly: JSONValue
  public let monthly: JSONValue
  public let trends: Trends
  public let liveness: JSONValue
  public let releases: JSONValue
  public let releaseCadence: JSONValue
  public let kinds: JSONValue
  public let wipCommits: Int
  public let fixShare: JSONValue
  public let fixShareByQuarter: JSONValue
  public let landing: JSONValue
  public let team: JSONValue
  public let contributors: JSONValue
  public let workingHours: JSONValue
}
