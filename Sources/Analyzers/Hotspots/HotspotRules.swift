import GlobEngine
import SalvageCore
import TOML

/// The thresholds of `rules/hotspots.toml`, read once per scan.
public struct HotspotRules: Sendable {
  static let file = "hotspots.toml"

  var excludedClasses: Set<FileClass> = [.vendored, .generated, .lockfile, .binary, .translation]
  var scoreWindowDays = 0
  var trendDays = 90
  var maxHotFindings = 10
  var minRevisionsForFinding = 5
  var maxChangeset = 30
  var minShared = 5
  var minAverageRevisions = 5
  var minDegree = 30
  var maxDegree = 100
  var maxCouplingFindings = 20
  /// Cross-component coupling becomes a finding only between files of these classes (code and its
  /// tests or docs changing together is expected).
  var couplingFindingClasses: Set<FileClass> = [.source]
  /// Schemas, and the affixes that tie a test to its subject by file name.
  var schemaFiles = ["*.proto", "*.graphql", "*.graphqls", "*.gql", "*.thrift", "*.avsc", "*.fbs", "*.prisma", "openapi.*", "swagger.*",
                     "*.openapi.*", "*.swagger.*"]
  var testPrefixes = ["test_", "tests_", "test"]
  var testSuffixes = ["_test", "_tests", "_spec", "-test", "-spec", "test", "tests", "spec", "it"]
  /// Hot files: only files of these classes, before the knee of the ranked curve and scoring at least
  /// this share of the top file's score.
  var hotClasses: Set<FileClass> = [.source, .test]
  var hotMinShareOfTop = 0.2
  var reworkWindowDays = 21
  var reworkFileShare = 0.5
  var reworkMinChangedLines = 200
  var reworkRepositoryShare = 0.25
  var reworkRepositoryMinChangedLines = 1000
  var maxReworkFindings = 10

  init() {}

  init(_ rules: RuleSet) throws(RuleError) {
    guard let table = rules.table(Self.file) else { return }
    let reader = RuleReader(file: Self.file, table: table)
    // `exclude_examples` and each section's `examples` are run by the suite.
    try reader.check(known: ["exclude_classes", "exclude_examples", "score", "coupling", "rework"])
    try reader.check(known: ["window_days", "trend_days", "hot_classes", "hot_min_share_of_top", "max_findings", "min_revisions_for_finding"],
                     in: "score")
    try reader.check(known: ["max_changeset", "min_shared", "min_average_revisions", "min_degree", "max_degree", "finding_classes", "schema_files",
                             "test_prefixes", "test_suffixes", "max_findings", "examples"], in: "coupling")
    try reader.check(known: ["window_days", "file_share", "min_changed_lines", "repository_share", "repository_min_changed_lines", "max_findings",
                             "examples"], in: "rework")
    excludedClasses = try FileClass.set(try reader.strings("exclude_classes"), file: Self.file, default: excludedClasses)
    scoreWindowDays = try reader.int("score", "window_days", scoreWindowDays, min: 0)
    trendDays = try reader.int("score", "trend_days", trendDays, min: 1)
    maxHotFindings = try reader.int("score", "max_findings", maxHotFindings, min: 0)
    minRevisionsForFinding = try reader.int("score", "min_revisions_for_finding", minRevisionsForFinding, min: 0)
    maxChangeset = try reader.int("coupling", "max_changeset", maxChangeset, min: 2)
    minShared = try reader.int("coupling", "min_shared", minShared, min: 1)
    minAverageRevisions = try reader.int("coupling", "min_average_revisions", minAverageRevisions, min: 1)
    minDegree = try reader.int("coupling", "min_degree", minDegree, min: 0)
    maxDegree = try reader.int("coupling", "max_degree", maxDegree, min: 0)
    maxCouplingFindings = try reader.int("coupling", "max_findings", maxCouplingFindings, min: 0)
    couplingFindingClasses = try FileClass.set(try reader.strings("finding_classes", section: "coupling"), file: Self.file,
                                               default: couplingFindingClasses)
    schemaFiles = try reader.strings("schema_files", section: "coupling") ?? schemaFiles
    testPrefixes = try reader.strings("test_prefixes", section: "coupling") ?? testPrefixes
    testSuffixes = try reader.strings("test_suffixes", section: "coupling") ?? testSuffixes
    hotClasses = try FileClass.set(try reader.strings("hot_classes", section: "score"), file: Self.file, default: hotClasses)
    hotMinShareOfTop = try reader.double("score", "hot_min_share_of_top", hotMinShareOfTop)
    reworkWindowDays = try reader.int("rework", "window_days", reworkWindowDays, min: 0)
    reworkFileShare = try reader.double("rework", "file_share", reworkFileShare)
    reworkMinChangedLines = try reader.int("rework", "min_changed_lines", reworkMinChangedLines, min: 0)
    reworkRepositoryShare = try reader.double("rework", "repository_share", reworkRepositoryShare)
    reworkRepositoryMinChangedLines = try reader.int("rework", "repository_min_changed_lines", reworkRepositoryMinChangedLines, min: 0)
    maxReworkFindings = try reader.int("rework", "max_findings", maxReworkFindings, min: 0)
  }

  /// The coupling degree of two files changed together in `shared` commits, of their `revisionsA` and
  /// `revisionsB` (code-maat's: 100 × shared / average revisions, truncated), or nil when the pair is
  /// under a threshold. `[coupling] examples` of the rule file are run against it.
  func couplingDegree(shared: Int, revisionsA: Int, revisionsB: Int) -> Int? {
    // average >= min  <=>  ra + rb >= 2 * min, in integers.
    guard shared >= minShared, revisionsA + revisionsB >= 2 * minAverageRevisions else { return nil }
    let degree = 200 * shared / (revisionsA + revisionsB)
    return degree >= minDegree && degree <= maxDegree ? degree : nil
  }

  /// A file is flagged for rework with enough changed lines of which enough are rework; the
  /// repository likewise, by its own thresholds. `[rework] examples` are run against it.
  func isReworked(changedLines: Int, share: Double, repository: Bool = false) -> Bool {
    repository
      ? changedLines >= max(1, reworkRepositoryMinChangedLines) && share >= reworkRepositoryShare
      : changedLines >= max(1, reworkMinChangedLines) && share >= reworkFileShare
  }

  var expectedCoupling: ExpectedCoupling {
    ExpectedCoupling(riskClasses: couplingFindingClasses, schemas: GlobSet(schemaFiles, case: .sensitive, anchoring: .anyDepth), testPrefixes: testPrefixes.map { $0.lowercased() },
                     testSuffixes: testSuffixes.map { $0.lowercased() })
  }

  /// The thresholds as the report echoes them.
  var echoed: HotspotsOutput.Thresholds {
    HotspotsOutput.Thresholds(
      excludeClasses: excludedClasses.sorted().map(\.rawValue), excludeAttributes: ["linguist-vendored", "linguist-generated"],
      scoreWindowDays: scoreWindowDays, trendDays: trendDays, minRevisionsForFinding: minRevisionsForFinding,
      hotClasses: hotClasses.sorted().map(\.rawValue), hotMinShareOfTop: hotMinShareOfTop,
      coupling: .init(maxChangeset: maxChangeset, minShared: minShared, minAverageRevisions: minAverageRevisions, minDegree: minDegree,
                      maxDegree: maxDegree, findingClasses: couplingFindingClasses.sorted().map(\.rawValue),
                      schemaFiles: schemaFiles, testPrefixes: testPrefixes, testSuffixes: testSuffixes),
      rework: .init(windowDays: reworkWindowDays, fileShare: reworkFileShare, minChangedLines: reworkMinChangedLines,
                    repositoryShare: reworkRepositoryShare, repositoryMinChangedLines: reworkRepositoryMinChangedLines))
  }
}
