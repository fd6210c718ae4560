/// What to do with a component, from best to worst.
public enum Verdict: String, Sendable, CaseIterable, Comparable {
  /// Healthy: keep it as it is.
  case keep
  /// Keep the code, add tests and spread the knowledge.
  case stabilize
  /// Valuable but costly to change: restructure it in place.
  case refactor
  /// Cheaper to rebuild than to learn and fix.
  case rewrite

  public static func < (a: Verdict, b: Verdict) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// How far a verdict can be trusted: how many independent signals agree with it, and whether any
/// points the other way or could not be assessed.
public enum Confidence: String, Sendable, CaseIterable, Comparable {
  case low, medium, high

  /// 0 low, 1 medium, 2 high.
  public var level: Int { Self.allCases.firstIndex(of: self)! }

  /// The confidence at `level`, clamped to low...high.
  public init(level: Int) { self = Self.allCases[min(max(level, 0), Self.allCases.count - 1)] }

  public static func < (a: Confidence, b: Confidence) -> Bool { a.level < b.level }
}

/// The size of a remediation. Always an estimate, and labelled so wherever it is printed.
public enum Effort: String, Sendable, CaseIterable, Comparable {
  /// Hours to a day.
  case small
  /// Days to two weeks.
  case medium
  /// Weeks or more.
  case large

  public var meaning: String {
    switch self {
    case .small: return "hours to a day"
    case .medium: return "days to two weeks"
    case .large: return "weeks or more"
    }
  }

  public static func < (a: Effort, b: Effort) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// When a remediation belongs, in a buyer's calendar.
public enum Horizon: String, Sendable, CaseIterable {
  case beforeDeal = "before-deal"
  case first90Days = "first-90-days"
  case later

  public var title: String {
    switch self {
    case .beforeDeal: return "Before the deal"
    case .first90Days: return "In the first 90 days"
    case .later: return "Later"
    }
  }
}
