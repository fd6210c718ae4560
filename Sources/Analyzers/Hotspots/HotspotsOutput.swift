import SalvageCore

/// `analyzers.hotspots`: every analyzed file ranked, change coupling and rework.
public struct HotspotsOutput: AnalyzerOutput {
  public struct ExcludedFiles: Encodable, Sendable {
    public let byClass: Int
    public let byAttributes: Int
  }

  /// Changes in the last `trend_days` against the `trend_days` before.
  public struct Trend: Encodable, Sendable {
    public enum Direction: String, Encodable, Sendable { case quiet, rising, falling, steady }
    public let recent: Int
    public let previous: Int
    public let direction: Direction

    init(_ t: FileActivity.Totals) {
      recent = t.recent
      previous = t.previous
      if t.recent == 0 && t.previous == 0 {
        direction = .quiet
      } else if t.recent > t.previous {
        direction = .rising
      } else if t.recent < t.previous {
        direction = .falling
      } else {
        direction = .steady
      }
    }
  }

  public struct Rework: Encodable, Sendable {
    public let lines: Int
    public let share: Double
  }

  /// One analyzed file, in ranking order.
  public struct File: Encodable, Sendable {
    public let path: String
    public let component: String
    public let fileClass: FileClass
    public let rank: Int
    public let hot: Bool
    public let score: Double
    public let revisions: Int
    public let added: Int
    public let deleted: Int
    public let authors: Int
    public let firstChange: Timestamp?
    public let lastChange: Timestamp?
    public let ageMonths: Int?
    public let lines: Int
    /// Nil when the file's bytes were not at hand (binary or too large).
    public let loc: Int?
    public let complexity: Int?
    public let maxNesting: Int?
    public let trend: Trend
    public let rework: Rework
    enum CodingKeys: String, CodingKey {
      case path, component, fileClass = "class", rank, hot, score, revisions, added, deleted, authors, firstChange, lastChange
      case ageMonths, lines, loc, complexity, maxNesting, trend, rework
    }
  }

  /// Two files that change together (code-maat's coupling).
  public struct Pair: Encodable, Sendable {
    public let a: String
    public let b: String
    public let shared: Int
    public let degree: Int
    public let revisionsA: Int
    public let revisionsB: Int
    public let averageRevisions: Double
    public let componentA: String
    public let componentB: String
    public let crossComponent: Bool
    /// Across components, why the two are expected to change together and so are no risk ("own-test":
    /// a file and its test, "schema": a schema and code implementing or using it, "not-code": a
    /// side that is not production code); nil when the coupling is a risk or within one component.
    public let expected: String?
  }

  public struct CouplingCommits: Encodable, Sendable {
    public let considered: Int
    public let skippedOverLimit: Int
  }

  public struct RepositoryRework: Encodable, Sendable {
    public let changedLines: Int
    public let reworkLines: Int
    public let share: Double
  }

  /// One component's files and history, its hotspots and coupling.
  public struct Component: Encodable, Sendable {
    public let files: Int
    public let revisions: Int
    public let added: Int
    public let deleted: Int
    public let loc: Int
    public let complexity: Int
    public let hotFiles: Int
    /// Its highest-ranked file.
    public let topHotspot: String?
    public let topScore: Double?
    public let reworkShare: Double
    public let couplingPairs: Int
    /// Coupled pairs with a file in another component that are a risk (`Pair.expected` is nil).
    public let crossComponentPairs: Int
  }

  /// The thresholds of `hotspots.toml` in force, echoed.
  public struct Thresholds: Encodable, Sendable {
    public struct Coupling: Encodable, Sendable {
      public let maxChangeset: Int
      public let minShared: Int
      public let minAverageRevisions: Int
      public let minDegree: Int
      public let maxDegree: Int
      public let findingClasses: [String]
      public let schemaFiles: [String]
      public let testPrefixes: [String]
      public let testSuffixes: [String]
    }
    public struct Rework: Encodable, Sendable {
      public let windowDays: Int
      public let fileShare: Double
      public let minChangedLines: Int
      public let repositoryShare: Double
      public let repositoryMinChangedLines: Int
    }
    public let excludeClasses: [String]
    public let excludeAttributes: [String]
    public let scoreWindowDays: Int
    public let trendDays: Int
    public let minRevisionsForFinding: Int
    public let hotClasses: [String]
    public let hotMinShareOfTop: Double
    public let coupling: Coupling
    public let rework: Rework
  }

  /// The rules in force, echoed.
  public let thresholds: Thresholds
  public let analyzedFiles: Int
  public let excludedFiles: ExcludedFiles
  public let hotCount: Int
  public let files: [File]
  public let coupling: [Pair]
  public let couplingCommits: CouplingCommits
  public let rework: RepositoryRework
}

extension HotspotsOutput {
  /// The evidence of a `hotspot` finding.
  public struct HotspotEvidence: FindingEvidence {
    public let rank: Int
    public let score: Double
    public let revisions: Int
    public let authors: Int
    /// Lines of code: `scale_by` of the hotspot remediation in `report.toml`.
    public let loc: Int
    public let complexity: Int
    public let maxNesting: Int
    public let trend: Trend
  }

  /// The evidence of a `cross-component-coupling` finding.
  public struct CouplingEvidence: FindingEvidence {
    public let a: String
    public let b: String
    public let componentA: String
    public let componentB: String
    public let shared: Int
    public let degree: Int
    public let revisionsA: Int
    public let revisionsB: Int
  }

  /// The evidence of the repository's `high-rework` finding.
  public struct ReworkEvidence: FindingEvidence {
    public let changedLines: Int
    public let reworkLines: Int
    public let share: Double
  }

  /// The evidence of a `file-rework` finding.
  public struct FileReworkEvidence: FindingEvidence {
    public let changedLines: Int
    public let reworkLines: Int
    public let share: Double
    public let revisions: Int
  }
}
