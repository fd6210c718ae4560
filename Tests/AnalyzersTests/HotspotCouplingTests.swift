import Foundation
import FixtureSupport
import SalvageCore
import Testing

@testable import Analyzers

@Suite struct HotspotCouplingTests {
  @Test func pairsAtTheThresholdStayAndPairsUnderItGo() throws {
    let (_, scan) = try scanFixture("hotspots-coupling", [HotspotAnalyzer()])
    let metrics = try #require(scan.analyzer("hotspots")?.metrics)
    let pairs = try #require(metrics["coupling"]?.arrayValue)
    let keys = pairs.map { "\($0["a"]!.stringValue!)|\($0["b"]!.stringValue!)" }
    // p+q (degree 100) first, then a+b at exactly 30; c+d (29) and x+y (4 shared) are left out.
    #expect(keys == ["lib/p.py|lib/q.py", "api/a.py|core/b.py"])
    let ab = pairs[1]
    #expect(ab["shared"] == 6)
    #expect(ab["degree"] == 30)
    #expect(ab["revisionsA"] == 20)
    #expect(ab["revisionsB"] == 20)
    #expect(ab["crossComponent"] == true)
    let pq = pairs[0]
    #expect(pq["shared"] == 5)
    #expect(pq["degree"] == 100)
    #expect(pq["crossComponent"] == false)
  }

  @Test func aThirtyOneFileCommitIsIgnoredAndAThirtyFileOneIsNot() throws {
    let (repo, scan) = try scanFixture("hotspots-coupling", [HotspotAnalyzer()])
    let metrics = try #require(scan.analyzer("hotspots")?.metrics)
    // git agrees on the sizes of the two bulk commits.
    let sizes = try Fixture.git(["log", "--format=%s", "--name-only", "--grep=bulk"], in: repo)
      .split(separator: "\n", omittingEmptySubsequences: false)
    #expect(sizes.filter { $0.hasPrefix("lib/") || $0.hasPrefix("fill/") }.count == 61)
    #expect(metrics["couplingCommits"] == ["considered": 78, "skippedOverLimit": 1])
    // The ignored commit still counts as a revision of each file.
    let x = try #require(metrics["files"]?.entry("path", "lib/x.py"))
    #expect(x["revisions"] == 5)
  }

  @Test func crossComponentCouplingIsAFinding() throws {
    let (_, scan) = try scanFixture("hotspots-coupling", [HotspotAnalyzer()])
    let result = try #require(scan.analyzer("hotspots"))
    let cross = result.findings.filter { $0.rule == "cross-component-coupling" }
    #expect(cross.count == 1)
    #expect(cross.first?.evidenceJSON["a"] == "api/a.py")
    #expect(cross.first?.evidenceJSON["b"] == "core/b.py")
    #expect(cross.first?.message.contains("api") == true)
    #expect(result.components["api"]?["crossComponentPairs"] == 1)
    #expect(result.components["core"]?["crossComponentPairs"] == 1)
    #expect(result.components["lib"]?["couplingPairs"] == 1)
  }

  /// Three pairs, degree 100 each (7 shared of 7 revisions): a schema and its implementation, a file and its
  /// own test, and two pieces of production code. Only the last is a risk: in the findings, the
  /// components' crossComponentPairs and the pair's `expected`. The generated memo_service.pb.go is no
  /// analysed file, so it pairs with nothing.
  @Test func ownTestsAndSchemasAreNoCouplingRisk() throws {
    let (_, scan) = try scanFixture("hotspots-expected-coupling", [HotspotAnalyzer()])
    let result = try #require(scan.analyzer("hotspots"))
    let pairs = try #require(result.metrics["coupling"]?.arrayValue)
    let expected = Dictionary(uniqueKeysWithValues: pairs.map { ("\($0["a"]!.stringValue!)|\($0["b"]!.stringValue!)", $0["expected"]) })
    #expect(expected == [
      "e2e/parse_test.go|lib/parse.go": "own-test",
      "proto/memo_service.proto|server/memo_service.go": "schema",
      "server/handler.go|web/client.ts": .null,
    ])
    for pair in pairs { #expect(pair["degree"] == 100 && pair["shared"] == 7 && pair["crossComponent"] == true) }
    let cross = result.findings.filter { $0.rule == "cross-component-coupling" }
    #expect(cross.map { $0.evidenceJSON["a"] } == ["server/handler.go"])
    for (component, count) in ["proto": 0, "lib": 0, "e2e": 0, "server": 1, "web": 1] {
      #expect(result.components[component]?["crossComponentPairs"] == .int(count), "\(component)")
    }
  }

  @Test func revisionsEqualGitForEveryCoupledFile() throws {
    let (repo, scan) = try scanFixture("hotspots-coupling", [HotspotAnalyzer()])
    let files = try #require(scan.analyzer("hotspots")?.metrics["files"])
    for path in ["api/a.py", "core/b.py", "lib/c.py", "lib/d.py", "lib/x.py", "lib/p.py"] {
      let git = try gitTotals(path, in: repo)
      #expect(files.entry("path", path)?["revisions"] == .int(git.revisions), "\(path)")
      #expect(files.entry("path", path)?["added"] == .int(git.added), "\(path)")
    }
    #expect(files.entry("path", "lib/c.py")?["revisions"] == 20)
    #expect(files.entry("path", "lib/d.py")?["revisions"] == 21)
  }

  @Test func thresholdsComeFromTheRules() throws {
    let repo = try Fixture.build("hotspots-coupling")
    let rules = try Fixture.temporaryFolder("rules")
    try "[coupling]\nmin_degree = 29\n".write(toFile: rules + "/hotspots.toml", atomically: true, encoding: .utf8)
    let scan = try SalvageCore.Scanner(analyzers: [HotspotAnalyzer()]).scan(ScanOptions(path: repo, rulesDirectory: rules))
    let metrics = try #require(scan.analyzer("hotspots")?.metrics)
    #expect(metrics["thresholds"]?["coupling"]?["minDegree"] == 29)
    let cd = metrics["coupling"]?.arrayValue?.first { $0["a"] == "lib/c.py" && $0["b"] == "lib/d.py" }
    #expect(cd?["degree"] == 29)
    #expect(cd?["shared"] == 6)
  }

  @Test func aBadThresholdIsARulesError() throws {
    let repo = try Fixture.build("hotspots-coupling")
    let rules = try Fixture.temporaryFolder("rules")
    try "[coupling]\nmin_shared = \"five\"\n".write(toFile: rules + "/hotspots.toml", atomically: true, encoding: .utf8)
    #expect(throws: ScanError.self) {
      try SalvageCore.Scanner(analyzers: [HotspotAnalyzer()]).scan(ScanOptions(path: repo, rulesDirectory: rules))
    }
  }
}
