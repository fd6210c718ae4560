import SalvageCore

/// `analyzers.lines`: every tip line followed back to the commit that wrote it (as `git blame` does),
/// and what that says: who wrote the code that is there today, how old it is, how much new code is
/// thrown away within weeks, and how long new code lives.
public struct LinesOutput: AnalyzerOutput {
  /// A person (after `.mailmap` and identity merging) and the tip lines they wrote.
  public struct Author: Encodable, Sendable {
    public let name: String
    public let email: String
    public let lines: Int
    /// Of the analyzed tip lines.
    public let share: Double
  }

  /// Lines written, and how many of them were deleted or replaced within the window.
  public struct Rework: Encodable, Sendable {
    public let added: Int
    public let reworked: Int
    /// Reworked lines as a share of lines added (0 when none were added).
    public let share: Double
  }

  public struct PersonRework: Encodable, Sendable {
    public let name: String
    public let email: String
    public let added: Int
    public let reworked: Int
    public let share: Double
  }

  /// By the quarter the lines were written in (author time, UTC).
  public struct QuarterRework: Encodable, Sendable {
    public let quarter: String
    public let added: Int
    public let reworked: Int
    public let share: Double
  }

  public struct ReworkFigures: Encodable, Sendable {
    public let days: Int
    public let overall: Rework
    public let byPerson: [PersonRework]
    public let byQuarter: [QuarterRework]
  }

  /// The tip's lines by the quarter they were written in.
  public struct Cohort: Encodable, Sendable {
    public let quarter: String
    public let lines: Int
  }

  /// Lines alive at each quarter's end (in the tip's first-parent line) by the quarter they were
  /// written in, as hercules draws a burndown: `alive[k][b]` is quarter `quarters[k]`'s count of lines
  /// written in quarter `quarters[b]` (rows hold `k + 1` entries).
  public struct Burndown: Encodable, Sendable {
    public let quarters: [String]
    public let alive: [[Int]]
  }

  public struct File: Encodable, Sendable {
    public let path: String
    public let component: String
    public let lines: Int
    public let medianAgeDays: Int?
    /// People who wrote its surviving lines.
    public let authors: Int
    /// Who wrote most of them.
    public let topAuthor: String?
  }

  /// One component's line-level facts.
  public struct Component: Encodable, Sendable {
    public let lines: Int
    public let medianAgeDays: Int?
    /// The top three by surviving lines.
    public let authors: [Author]
    /// Lines written at its paths and reworked there (where they were deleted).
    public let reworkAdded: Int
    public let reworked: Int
    public let reworkShare: Double
  }

  /// The rules in force, echoed.
  public let thresholds: LinesRules.Echoed
  public let analyzedFiles: Int
  public let totalLines: Int
  public let authors: [Author]
  public let medianAgeDays: Int?
  public let age: [Cohort]
  public let burndown: Burndown
  /// Days until half of the lines written are gone (product-limit estimate over the quarterly
  /// census, each cohort counted from its size at its quarter's end); nil while more than half survive.
  public let halfLifeDays: Int?
  public let rework: ReworkFigures
  public let files: [File]
}
