import SalvageCore

/// The evidence of each cadence finding, by rule.
public enum CadenceEvidence {
  /// `not-maintained`; `daysSinceLastCommit` is what `report.toml`'s `[summary] lead` reads.
  public struct NotMaintained: FindingEvidence {
    public let lastCommit: String
    public let lastCommitDate: Timestamp
    public let daysSinceLastCommit: Int
    public let now: Timestamp
  }

  /// `bots-only`.
  public struct BotsOnly: FindingEvidence {
    public let botCommits: Int
    public let lastHumanCommit: String
    public let lastHumanCommitDate: Timestamp
    public let daysSinceLastHumanCommit: Int
  }

  /// `long-gaps`: the quiet spells of the last 12 months.
  public struct Gaps: FindingEvidence {
    public let gaps: [CadenceOutput.Liveness.Gap]
  }

  /// `stalling-delivery`.
  public struct Stall: FindingEvidence {
    public let window: String
    public let from: Timestamp
    public let to: Timestamp
    public let previousFrom: Timestamp
    public let commits: Int
    public let previousCommits: Int
    public let authors: Int
    public let previousAuthors: Int
    public let change: Double
  }

  /// `dump-commits`.
  public struct Dumps: FindingEvidence {
    public struct Dump: Encodable, Sendable {
      public let commit: String
      public let date: Timestamp
      public let files: Int
      public let linesAdded: Int
    }

    public let count: Int
    public let share: Double
    public let lastTwelveMonths: Int
    public let largest: [Dump]
  }

  public struct Tag: Encodable, Sendable {
    public let tag: String
    public let date: Timestamp
  }

  /// `releases-slowing`.
  public struct ReleasesSlowing: FindingEvidence {
    public let recentMedianDays: Double
    public let previousMedianDays: Double
    public let recentReleases: [Tag]
    public let earlierReleases: [Tag]
  }

  /// `release-overdue`.
  public struct ReleaseOverdue: FindingEvidence {
    public let lastRelease: String
    public let lastReleaseDate: Timestamp
    public let daysSinceLastRelease: Int
    public let recentMedianDays: Double
  }

  /// `no-releases`: the tags there are (none a version).
  public struct Tags: FindingEvidence {
    public let tags: Int
  }

  /// `rising-fix-share`.
  public struct RisingFixes: FindingEvidence {
    public let from: Timestamp
    public let to: Timestamp
    public let commits: Int
    public let fixes: Int
    public let share: Double
    public let previousCommits: Int
    public let previousFixes: Int
    public let previousShare: Double
    public let examples: [String]
  }

  /// `uninformative-messages`.
  public struct Uninformative: FindingEvidence {
    public let commits: Int
    public let of: Int
    public let share: Double
    public let examples: [String]
  }

  /// `short-stay-contributors`.
  public struct ShortStay: FindingEvidence {
    public struct Person: Encodable, Sendable {
      public let name: String
      public let email: String
      public let first: Timestamp
      public let last: Timestamp
      public let commits: Int
      public let tenureDays: Int
      public let lastCommit: String
    }

    public let share: Double
    public let commits: Int
    public let of: Int
    public let people: [Person]
  }

  /// `off-hours-work`.
  public struct OffHours: FindingEvidence {
    public let commits: Int
    public let nightCommits: Int
    public let nightShare: Double
    public let weekendCommits: Int
    public let weekendShare: Double
    public let zeroOffsetShare: Double
  }

  /// `off-hours-shift`.
  public struct OffHoursShift: FindingEvidence {
    public let name: String
    public let recentCommits: Int
    public let recentOffHours: Int
    public let earlierCommits: Int
    public let earlierOffHours: Int
  }
}
