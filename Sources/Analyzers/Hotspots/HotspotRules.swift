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

  /// The thresholds as the report echoes them.
  var echoed: HotspotsOutput.Thresholds {
    HotspotsOutput.Thresholds(
      excludeClasses: excludedClasses.sorted().map(\.rawValue), excludeAttributes: ["linguist-vendored", "linguist-generated"],
      scoreWindowDays: scoreWindowDays, trendDays: trendDays, minRevisionsForFinding: minRevisionsForFinding,
      coupling: .init(maxChangeset: maxChangeset, minShared: minShared, minAverageRevisions: minAverageRevisions, minDegree: minDegree,
                      maxDegree: maxDegree, findingClasses: couplingFindingClasses.sorted().map(\.rawValue)),
      rework: .init(windowDays: reworkWindowDays, fileShare: reworkFileShare, minChangedLines: reworkMinChangedLines,
                    repositoryShare: reworkRepositoryShare, repositoryMinChangedLines: reworkRepositoryMinChangedLines))
  }
}
