import SalvageCore

/// Delivery cadence and team health: is the project alive, speeding up or stalling, and why. A pure
/// function of the history and its tags; every "how long ago" counts from the pinned "now".
public struct CadenceAnalyzer: Analyzer {
  static let identifier = "cadence"
  public let id = CadenceAnalyzer.identifier
  public init() {}

  /// Needs no added lines; asked before the history pass, it checks the rules so that a bad
  /// `cadence.toml` fails at once, as a rules error, not after a long pass over history.
  public func makeHistoryObserver(options: ScanOptions, rules: RuleSet) throws -> (any HistoryObserver)? {
    _ = try CadenceRules(rules: rules)
    return nil
  }

  public func analyze(_ context: ScanContext) throws -> AnalyzerResult {
    let rules = try CadenceRules(rules: context.rules)
    let h = CadenceHistory(history: context.history, rules: rules, now: context.now)
    let activity = ActivitySeries(h)
    let liveness = Liveness(h)
    let releases = try ReleaseCadence(h)
    let work = WorkMix(h)
    let landing = Landing(h, tip: context.repository.head, classifier: context.classifier, snapshot: context.snapshot, tipPaths: context.tipPaths)
    let team = Team(h)
    let hours = WorkingHours(h)
    let flat = rules.trend.flatBand

    let metrics: JSONValue = [
      "basis": .string("commit (committer) time in UTC for delivery; author time on the author's own clock for working hours"),
      "now": .string(UTC.iso(h.now)),
      "firstCommit": h.count == 0 ? .null : .string(UTC.iso(h.firstTime)),
      "lastCommit": h.count == 0 ? .null : .string(UTC.iso(h.lastTime)),
      "daysSinceLastCommit": liveness.daysSinceLastCommit.map(JSONValue.int) ?? .null,
      "commits": .int(h.count),
      "weekly": activity.weeklyJSON,
      "monthly": activity.monthlyJSON,
      "trends": [
        "last90Days": activity.windowJSON(activity.recent, now: h.now, flatBand: flat),
        "last12Months": activity.windowJSON(activity.year, now: h.now, flatBand: flat),
      ],
      "liveness": liveness.json(h),
      "releases": releases.releasesJSON(),
      "releaseCadence": releases.cadenceJSON(h),
      "kinds": work.kindsJSON,
      "wipCommits": .int(work.wip.count),
      "fixShare": work.fixTrendJSON(h),
      "fixShareByQuarter": work.fixShareJSON,
      "landing": landing.json(h),
      "team": team.json(h),
      "contributors": team.contributorsJSON(h, hours: hours),
      "workingHours": hours.json(h),
    ]
    var findings: [Finding] = []
    findings += liveness.findings(h)
    findings += activity.findings(h)
    findings += releases.findings(h)
    findings += work.findings(h)
    findings += landing.findings(h)
    findings += team.findings(h)
    findings += hours.findings(h)
    return AnalyzerResult(metrics: metrics, findings: findings)
  }
}
