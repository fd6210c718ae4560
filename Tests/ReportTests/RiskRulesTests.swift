import FixtureSupport
import Foundation
import Report
import SalvageCore
import TOML
import Testing

/// `report.toml` is compiled strictly: each broken file below must fail, naming the file, the line
/// of the broken key (found in the broken text itself) and the key.
@Suite struct RiskRulesTests {
  struct Breakage: Sendable, CustomTestStringConvertible {
    /// The built-in text to replace (its first occurrence) and what replaces it.
    let from: String
    let to: String
    /// The key the error must name; the line is where `to`'s line `key` stands.
    let key: String
    let says: String
    var testDescription: String { "\(key): \(says)" }
  }

  static let builtin = try! RuleSet.load().texts["report.toml"]!

  static let breakages: [Breakage] = [
    Breakage(from: "title = \"Leaked credentials\"\nquestion = \"Did credentials leak, and are they still in the code?\"\nweight = 2",
             to: "title = \"Leaked credentials\"\nquestion = \"Did credentials leak, and are they still in the code?\"\nweight = 200",
             key: "weight", says: "must be a number from 0 to 100"),
    Breakage(from: "otherwise = 0\nweight = 3", to: "otherwise = 0\nwieght = 3", key: "wieght", says: "is not a key of this table"),
    Breakage(from: "fact = \"live\"", to: "fact = \"alive\"", key: "fact", says: "is not a fact of the secrets area"),
    Breakage(from: "bands = [[0, 100], [1, 30], [3, 10]]", to: "bands = [[0, 100], [3, 10], [1, 30]]", key: "bands", says: "must have rising bounds"),
    Breakage(from: "bands = [[4, 100], [3, 80], [2, 55], [1, 30]]", to: "bands = [[4, 100], [3, 180], [2, 55], [1, 30]]", key: "bands",
             says: "must hold [value, score] pairs, each score from 0 to 100"),
    Breakage(from: "rework_share = 0.30", to: "rework_shares = 0.30", key: "rework_shares", says: "is not a key of this table"),
    Breakage(from: "orphaned_share = 0.50", to: "orphaned_share = 50", key: "orphaned_share", says: "must be a number from 0 to 1"),
    Breakage(from: "all = [\"hotspot-heavy\", \"untested\", \"orphaned\"]", to: "all = [\"hotspot-heavy\", \"untested\", \"orphan\"]",
             key: "all", says: "names 'orphan', which is no component signal"),
    Breakage(from: "minimum = 85", to: "minimum = \"85\"", key: "minimum", says: "must be a number from 0 to 100"),
    Breakage(from: "max_risks = 5", to: "max_risks = -1", key: "max_risks", says: "must be a whole number from 0 to 100"),
    Breakage(from: "effort = \"medium\"\nscale_by", to: "effort = \"huge\"\nscale_by", key: "effort", says: "is 'huge', none of small, medium, large"),
    Breakage(from: "scale_by = \"loc\"", to: "scale_by = \"lines\"", key: "scale_by",
             says: "names no evidence figure the report reads (daysSinceLastCommit, loc)"),
    Breakage(from: "unit = \"share\"", to: "unit = \"percent\"", key: "unit", says: "is 'percent', none of share"),
    Breakage(from: "high = \"before-deal\"", to: "hihg = \"before-deal\"", key: "hihg", says: "is not a key of this table"),
  ]

  static func line(of key: String, after marker: String, in text: String) -> Int {
    let start = text.range(of: marker)!.lowerBound
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var offset = text.distance(from: text.startIndex, to: start)
    var index = 0
    while offset > lines[index].count { offset -= lines[index].count + 1; index += 1 }
    while !lines[index].hasPrefix(key + " =") { index += 1 }
    return index + 1
  }

  @Test(arguments: breakages)
  func brokenFileIsAnErrorNamingFileLineAndKey(_ b: Breakage) throws {
    #expect(Self.builtin.contains(b.from), "the built-in text changed: update this example")
    let broken = Self.builtin.replacingOccurrences(of: b.from, with: b.to, options: [], range: Self.builtin.range(of: b.from))
    var texts = try RuleSet.load().texts
    texts["report.toml"] = broken
    let error = try #require(throws: RuleError.self) { try RiskRules(try RuleSet(texts: texts)) }
    #expect(error.file == "report.toml")
    #expect(error.line == Self.line(of: b.key, after: b.to, in: broken), "\(error)")
    #expect(error.message.hasPrefix("`\(b.key)` \(b.says)"), "\(error)")
  }

  /// A leading risk's `field` (an inline table) is checked as `scale_by` is: against the evidence
  /// figures the report reads.
  @Test func leadFieldMustBeAnEvidenceFigure() throws {
    var texts = try RuleSet.load().texts
    texts["report.toml"] = Self.builtin.replacingOccurrences(of: "field = \"daysSinceLastCommit\"", with: "field = \"daysSinceLast\"")
    #expect(texts["report.toml"] != Self.builtin)
    let error = try #require(throws: RuleError.self) { try RiskRules(try RuleSet(texts: texts)) }
    #expect(error.file == "report.toml")
    #expect(error.message.contains("`field` names no evidence figure the report reads"), "\(error)")
  }

  @Test func builtinRulesCompile() {
    let rules = RiskRules.builtin
    #expect(rules.areas.map(\.id) == ["secrets", "hotspots", "ownership", "cadence", "tests", "dependencies", "vulnerabilities", "licences"])
    #expect(rules.keepVerdicts == [.keep, .stabilize])
    #expect(rules.signals.untestedMinLines == 50)
  }

  /// The binary: a broken report.toml given with --rules is exit 7 before any git work (the path does
  /// not even exist), one line naming file, line and key.
  @Test func brokenReportRulesAreExit7BeforeTheScan() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("salvage-report-rules-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let broken = Self.builtin.replacingOccurrences(of: "rework_share = 0.30", with: "rework_share = 3")
    try Data(broken.utf8).write(to: folder.appendingPathComponent("report.toml"))
    let line = Self.line(of: "rework_share", after: "rework_share = 3", in: broken)
    let out = try Fixture.salvage(["scan", folder.appendingPathComponent("no-such-repository").path, "--rules", folder.path])
    #expect(out.status == 7)
    #expect(out.stderr == "salvage: report.toml:\(line): `rework_share` must be a number from 0 to 1\n")
    #expect(out.stdout.isEmpty)
  }

  /// A repository's .salvage.toml that lays a broken threshold over report.toml: exit 7 too.
  @Test func brokenThresholdFromTheRepositoryIsExit7() throws {
    let repo = try Fixture.build(script: """
      put ".salvage.toml" "[thresholds.\\"report.toml\\".summary]\\nmax_risks = 1000\\n"
      put "app.py" "print(1)\\n"
      commit "first"
      """, name: "report-threshold")
    let out = try Fixture.salvage(["scan", repo, "--format", "text"])
    #expect(out.status == 7, "\(out.stderr)")
    #expect(out.stderr.hasPrefix("salvage: report.toml"), "\(out.stderr)")
    #expect(out.stderr.contains("`max_risks` must be a whole number from 0 to 100"), "\(out.stderr)")
  }
}
