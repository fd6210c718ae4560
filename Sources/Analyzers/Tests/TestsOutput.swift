import SalvageCore

/// `analyzers.tests`: test against production code, frameworks, CI, coverage reports, co-evolution and
/// the riskiest files without a test.
public struct TestsOutput: AnalyzerOutput {
  /// Test and production files and lines (by the test conventions), and their ratio.
  public struct CodeCounts: Encodable, Sendable {
    public let testFiles: Int
    public let testLines: Int
    public let productionFiles: Int
    public let productionLines: Int
    /// Test lines over production lines; nil without production code.
    public let testRatio: Double?

    init(_ c: TestsAnalyzer.Counts) {
      testFiles = c.testFiles
      testLines = c.testLines
      productionFiles = c.productionFiles
      productionLines = c.productionLines
      testRatio = c.ratio.map { Figures.rounded($0) }
    }
  }

  public struct Language: Encodable, Sendable {
    public let language: String
    public let counts: CodeCounts

    private enum CodingKeys: String, CodingKey { case language }
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(language, forKey: .language)
      try counts.encode(to: encoder)
    }
  }

  public struct DeclaredFolder: Encodable, Sendable {
    public let path: String
    public let source: String
  }

  public struct Framework: Encodable, Sendable {
    public let name: String
    public let language: String
    public let evidence: [String]
  }

  public struct CI: Encodable, Sendable {
    public let path: String
    public let system: String
    public let runsTests: Bool
    public let testCommands: [String]
    /// Nil when the configuration does not say when it runs.
    public let runsTestsOnPullRequests: Bool?
    public let basis: String
  }

  public struct CoverageReport: Encodable, Sendable {
    public let path: String
    public let format: String
    /// As the report states it: a share (0...1) or a percentage.
    public let lineCoverage: Double?
    public let linesCovered: Int?
    public let linesValid: Int?
    public let date: Timestamp?
    public let ageDays: Int?
    public let productionCommitsSince: Int?
    public let error: String?
  }

  public struct Year: Encodable, Sendable {
    public let year: Int
    public let productionCommits: Int
    public let withTests: Int
    public let share: Double
  }

  public struct CoEvolution: Encodable, Sendable {
    public let productionCommits: Int
    public let withTests: Int
    public let share: Double?
    public let byYear: [Year]
  }

  public struct Hotspot: Encodable, Sendable {
    public let path: String
    public let revisions: Int
    public let lines: Int
    public let score: Int
    /// The test file found for it by naming convention.
    public let test: String?
  }

  /// Written at the top level of the object, before the other keys.
  public let counts: CodeCounts
  public let coverageProxy = "test lines / production lines; SIG reads 100% as roughly 80% coverage. A proxy, not measured coverage."
  public let languages: [Language]
  public let declaredTestFolders: [DeclaredFolder]
  public let frameworks: [Framework]
  public let ci: [CI]
  public let coverageConfig: [String]
  public let coverageReports: [CoverageReport]
  public let coEvolution: CoEvolution
  public let hotspots: [Hotspot]

  private enum CodingKeys: String, CodingKey {
    case coverageProxy, languages, declaredTestFolders, frameworks, ci, coverageConfig, coverageReports, coEvolution, hotspots
  }

  public func encode(to encoder: any Encoder) throws {
    try counts.encode(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(coverageProxy, forKey: .coverageProxy)
    try c.encode(languages, forKey: .languages)
    try c.encode(declaredTestFolders, forKey: .declaredTestFolders)
    try c.encode(frameworks, forKey: .frameworks)
    try c.encode(ci, forKey: .ci)
    try c.encode(coverageConfig, forKey: .coverageConfig)
    try c.encode(coverageReports, forKey: .coverageReports)
    try c.encode(coEvolution, forKey: .coEvolution)
    try c.encode(hotspots, forKey: .hotspots)
  }
}

extension TestsOutput {
  /// The evidence of an `untested-hotspot` finding: the hotspot analyzer's rank and lines of code when
  /// it ranks the file (both left out otherwise).
  public struct UntestedHotspotEvidence: FindingEvidence {
    public let revisions: Int
    public let lines: Int
    public var rank: Int?
    /// `scale_by` of the hotspot remediations in `report.toml`.
    public var loc: Int?

    private enum Keys: String, CodingKey { case revisions, lines, rank, loc }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: Keys.self)
      try c.encode(revisions, forKey: .revisions)
      try c.encode(lines, forKey: .lines)
      if let rank { try c.encode(rank, forKey: .rank) }
      if let loc { try c.encode(loc, forKey: .loc) }
    }
  }

  /// The evidence of a `stale-coverage-report` finding.
  public struct StaleCoverageEvidence: FindingEvidence {
    public let lineCoverage: Double?
    public let date: Timestamp
    public let ageDays: Int
  }

  /// The evidence of a `no-tests` finding.
  public struct NoTestsEvidence: FindingEvidence {
    public let productionFiles: Int
    public let productionLines: Int
  }

  /// The evidence of a `low-test-ratio` finding.
  public struct TestRatioEvidence: FindingEvidence {
    public let testLines: Int
    public let productionLines: Int
    public let ratio: Double
  }

  /// The evidence of a `ci-no-tests-on-pull-requests` finding: the CI files.
  public struct CIEvidence: FindingEvidence {
    public let ci: [String]
  }

  /// The evidence of a `low-co-evolution` finding.
  public struct CoEvolutionEvidence: FindingEvidence {
    public let productionCommits: Int
    public let withTests: Int
  }
}
