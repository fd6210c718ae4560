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
      daysSinceLastCommit: liveness.daysSinceLastCommit, commits: h.count, weekly: activity.weekly, monthly: activity.monthly,
      trends: .init(last90Days: activity.windowFigures(activity.recent, now: h.now, flatBand: flat),
                    last12Months: activity.windowFigures(activity.year, now: h.now, flatBand: flat)),
      liveness: liveness.figures(h), releases: releases.releaseList(), releaseCadence: releases.cadence(h), kinds: work.kindCounts,
      wipCommits: work.wip.count, fixShare: work.fixTrend(h), fixShareByQuarter: work.quarterFixes, landing: landing.figures(h),
      team: team.figures(h), contributors: team.contributors(h, hours: hours), workingHours: hours.figures(h))
    var findings: [Finding] = []
    findings += liveness.findings(h)
    findings += activity.findings(h)
    findings += releases.findings(h)
    findings += work.findings(h)
    findings += landing.findings(h)
    findings += team.findings(h)
    findings += hours.findings(h)
    var analysis = Analysis(output, findings: findings)
    analysis.regexLimitHits = releases.regexLimitHits
    return analysis
  }
}

/// `analyzers.cadence`: delivery and team health over time: the series, trends, liveness, releases,
/// commit kinds, fix share, landing, team, contributors and working hours.
public struct CadenceOutput: AnalyzerOutput {
  /// One figure in a window against the window before.
  public struct TrendFigures: Encodable, Sendable {
    public let current: Int
    public let previous: Int
    /// Relative change; nil when the window before had none.
    public let change: Double?
    /// up, down, flat or none.
    public let direction: String
  }

  /// The last `days` against the `days` before.
  public struct Window: Encodable, Sendable {
    public let days: Int
    public let from: Timestamp
    public let to: Timestamp
    public let previousFrom: Timestamp
    public let commits: TrendFigures
    public let authors: TrendFigures
    public let linesChanged: TrendFigures
    /// False when the history starts inside the earlier window.
    public let comparable: Bool
    public let summary: String
  }

  public struct Trends: Encodable, Sendable {
    public let last90Days: Window
    public let last12Months: Window
  }

  /// Fix commits in the last `days` against the `days` before.
  /// How the work lands: merges, the main line, pull-request references, co-authors, dump commits.
  public struct Landing: Encodable, Sendable {
    public struct Dump: Encodable, Sendable {
      public let commit: String
      public let date: Timestamp
      public let author: String
      public let files: Int
      public let linesAdded: Int
      public let subject: String
    }
    public let commits: Int
    public let mergeCommits: Int
    public let mergeShare: Double
    public let mainlineDirectCommits: Int
    public let mainlineMerges: Int
    public let commitsViaMerges: Int
    public let viaMergesShare: Double
    public let pullRequestReferences: Int
    public let coAuthoredCommits: Int
    public let coAuthoredShare: Double
    public let dumpCommits: Int
    public let dumpRule: String
    /// The largest first, at most `dumps_listed`.
    public let dumps: [Dump]
  }

  /// One calendar quarter's commits and fixes (`fixShareByQuarter`).
  public struct QuarterFixes: Encodable, Sendable {
    public let quarter: String
    public let commits: Int
    public let fixes: Int
    /// nil for a quarter without commits.
    public let share: Double?
  }

  public struct FixShare: Encodable, Sendable {
    public let days: Int
    public let commits: Int
    public let fixes: Int
    public let share: Double?
    public let previousCommits: Int
    public let previousFixes: Int
    public let previousShare: Double?
  }

  /// One week (from its Monday, "2024-03-04") of the series.
  public struct Week: Encodable, Sendable {
    public let week: String
    public let commits: Int
    public let botCommits: Int
    public let authors: Int
    public let linesChanged: Int
    public let activeDays: Int
  }

  /// One month ("2024-03") of the series.
  public struct Month: Encodable, Sendable {
    public let month: String
    public let commits: Int
    public let authors: Int
  }

  /// A version tag.
  public struct Release: Encodable, Sendable {
    public let tag: String
    public let date: Timestamp
    public let commit: String
    /// feature, patch, prerelease or maintenance.
    public let kind: String
    public let annotated: Bool
  }

  public struct Interval: Encodable, Sendable {
    public let tag: String
    public let date: Timestamp
    public let daysSincePrevious: Int
  }

  public struct ReleaseCadence: Encodable, Sendable {
    public let releases: Int
    public let counted: String
    public let patchReleases: Int
    public let prereleases: Int
    public let maintenanceReleases: Int
    public let firstRelease: String?
    public let lastRelease: String?
    public let lastReleaseDate: Timestamp?
    public let daysSinceLastRelease: Int?
    public let recentMedianDays: Double?
    public let previousMedianDays: Double?
    /// slowing, speeding up, steady or unknown.
    public let direction: String
    public let rule: String
    public let intervals: [Interval]
  }

  public let basis = "commit (committer) time in UTC for delivery; author time on the author's own clock for working hours"
  public let now: Timestamp
  public let firstCommit: Timestamp?
  public let lastCommit: Timestamp?
  public let daysSinceLastCommit: Int?
  public let commits: Int
  public let weekly: [Week]
  public let monthly: [Month]
  public let trends: Trends
  public let liveness: Liveness
  public let releases: [Release]
  public let releaseCadence: ReleaseCadence
  /// Commits by kind, every kind in `CommitKind`'s order.
  public let kinds: NamedCounts
  public let wipCommits: Int
  public let fixShare: FixShare
  public let fixShareByQuarter: [QuarterFixes]
  public let landing: Landing
  public let team: Team
  /// People and bots, most commits first.
  public let contributors: [Contributor]
  public let workingHours: WorkingHours
}

extension CadenceOutput {
  /// Is anyone still working here. Three keys name the rule's window (`commitsInLast90Days`), so the
  /// window is kept beside the figures and the keys are made when written.
  public struct Liveness: Encodable, Sendable {
    public struct Gap: Encodable, Sendable {
      public let from: Timestamp
      public let to: Timestamp
      public let days: Int
      public let commitBefore: String
      public let commitAfter: String
    }

    public let daysSinceLastCommit: Int?
    public let daysSinceLastHumanCommit: Int?
    public let lastCommit: String?
    public let maintained: Bool
    public let maintainedRule: String
    /// `maintained_days` of `cadence.toml`: the window of the three figures below.
    public let windowDays: Int
    public let commitsInWindow: Int
    public let humanCommitsInWindow: Int
    public let activeDaysPerWeek: Double
    public let activeDaysPerWeekInWindow: Double
    /// Longest first.
    public let longestGaps: [Gap]

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: FieldName.self)
      try c.encodeIfPresent(daysSinceLastCommit, forKey: FieldName("daysSinceLastCommit"))
      try c.encodeIfPresent(daysSinceLastHumanCommit, forKey: FieldName("daysSinceLastHumanCommit"))
      try c.encodeIfPresent(lastCommit, forKey: FieldName("lastCommit"))
      try c.encode(maintained, forKey: FieldName("maintained"))
      try c.encode(maintainedRule, forKey: FieldName("maintainedRule"))
      try c.encode(commitsInWindow, forKey: FieldName("commitsInLast\(windowDays)Days"))
      try c.encode(humanCommitsInWindow, forKey: FieldName("humanCommitsInLast\(windowDays)Days"))
      try c.encode(activeDaysPerWeek, forKey: FieldName("activeDaysPerWeek"))
      try c.encode(activeDaysPerWeekInWindow, forKey: FieldName("activeDaysPerWeekLast\(windowDays)Days"))
      try c.encode(longestGaps, forKey: FieldName("longestGaps"))
    }
  }

  public struct Team: Encodable, Sendable {
    public struct ShortStay: Encodable, Sendable {
      public let rule: String
      public let people: Int
      public let commits: Int
      public let share: Double
    }

    public struct Quarter: Encodable, Sendable {
      public let quarter: String
      public let joined: Int
      public let left: Int
      public let active: Int
    }

    public let people: Int
    public let bots: Int
    public let humanCommits: Int
    public let botCommits: Int
    public let medianTenureDays: Double?
    /// Explains a median tenure of 0 in open projects: most people send one change and go.
    public let peopleWithOneCommit: Int
    public let leftRule: String
    public let shortStay: ShortStay
    public let quarters: [Quarter]
  }

  public struct Contributor: Encodable, Sendable {
    public let name: String
    public let email: String
    public let first: Timestamp
    public let last: Timestamp
    public let commits: Int
    public let bot: Bool
    public let tenureDays: Int
    public let left: Bool
    public let shortStay: Bool
    /// nil for someone with no commit counted in the working hours (a bot).
    public let nightShare: Double?
    public let weekendShare: Double?
  }

  public struct WorkingHours: Encodable, Sendable {
    /// Someone whose off-hours share rose against their own past.
    public struct Shift: Encodable, Sendable {
      public let name: String
      public let email: String
      public let recentCommits: Int
      public let recentOffHoursShare: Double
      public let earlierCommits: Int
      public let earlierOffHoursShare: Double
    }

    public let basis: String
    public let night: String
    public let commits: Int
    public let nightCommits: Int
    public let nightShare: Double
    public let weekendCommits: Int
    public let weekendShare: Double
    public let zeroOffsetCommits: Int
    public let zeroOffsetShare: Double
    /// Commits by local hour, 0 to 23, and by weekday, Monday first.
    public let byHour: [Int]
    public let byWeekday: [Int]
    public let shifted: [Shift]
  }
}
