import Analyzers
import FixtureSupport
import Foundation
import Report
import SalvageCore
import Testing

/// Adding an analyzer is writing it and listing it: nothing else in the engine, the report, the JSON
/// schema or the renderers needs to know it. The analyzer here counts merge commits (git is the oracle)
/// and raises one finding; it is handed to the Scanner beside the built-in list, as one registry line
/// would, and its output, its finding and a valid JSON document come out the other end.
@Suite struct NewAnalyzerTests {
  struct MergesOutput: AnalyzerOutput {
    let merges: Int
    let withoutMerges: Int
  }

  struct MergesAnalyzer: Analyzer {
    let id = "merges"
    /// Its one rule, compiled before any git work: the bot list every analyzer shares.
    func compile(_ rules: RuleSet) throws -> BotList { try BotList(rules) }

    func analyze(_ input: AnalysisInput, _ bots: BotList) throws -> Analysis<MergesOutput> {
      let commits = input.history.commits
      let merges = commits.filter(\.isMerge).count
      let finding = Finding(analyzer: id, rule: "merge-commits", key: "all", severity: .info, title: "\(merges) merge commits",
                            message: "The history holds \(merges) merge commits.")
      return Analysis(MergesOutput(merges: merges, withoutMerges: commits.count - merges), findings: [finding])
    }
  }

  @Test func oneMoreAnalyzerNeedsNoOtherChange() throws {
    let repo = try Fixture.build(script: """
      at 2024-01-01T10:00:00+0000; as "Ada <ada@x.org>"
      put a.txt 'a\\n'
      commit "a"
      git checkout -q -b side
      at 2024-01-02T10:00:00+0000
      put b.txt 'b\\n'
      commit "b"
      git checkout -q main
      at 2024-01-03T10:00:00+0000
      put c.txt 'c\\n'
      commit "c"
      at 2024-01-04T10:00:00+0000
      merge side "merge side"
      """, name: "one-merge")
    let merges = try Fixture.run("/usr/bin/env", ["git", "rev-list", "--merges", "--count", "HEAD"], in: repo)
    let all = try Fixture.run("/usr/bin/env", ["git", "rev-list", "--count", "HEAD"], in: repo)
    let expectedMerges = Int(merges.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    let expectedAll = Int(all.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(expectedMerges == 1)

    let scan = try SalvageCore.Scanner(analyzers: AnalyzerRegistry.all + [MergesAnalyzer()], startOrder: AnalyzerRegistry.startOrder)
      .scan(ScanOptions(path: repo, only: ["inventory", "merges"]))
    let output = try #require(scan.output(MergesOutput.self))
    #expect(output.merges == expectedMerges)
    #expect(output.merges + output.withoutMerges == expectedAll)

    let report = try ReportModel(scan)
    #expect(report.findings.contains { $0.finding.analyzer == "merges" && $0.finding.rule == "merge-commits" })
    let json = JSONRenderer().render(report, color: false)
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let object = try #require((doc["analyzers"] as? [String: Any])?["merges"] as? [String: Any])
    #expect(object["merges"] as? Int == expectedMerges)
    #expect(object["score"] is NSNull && object["grade"] is NSNull, "an area the risk model does not grade")
    let valid = try SchemaTests.validate(json)
    #expect(valid.status == 0, "\(valid.stderr)")
    for format in [OutputFormat.text, .md, .html, .sarif] {
      #expect(format.renderer.render(report, color: false).contains("merge commits"), "\(format)")
    }
  }
}
