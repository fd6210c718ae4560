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
