import FixtureSupport
import SalvageCore
import Testing

@testable import Analyzers

@Suite struct HotspotRankTests {
  @Test func theHotspotRanksFirstAndAloneAboveTheDropOff() throws {
    let (_, scan) = try scanFixture("hotspots-rank", [HotspotAnalyzer()])
    let metrics = try #require(scan.analyzer("hotspots")?.metrics)
    let files = try #require(metrics["files"]?.arrayValue)
    #expect(files.first?["path"] == "src/engine.py")
    #expect(files.first?["rank"] == 1)
    #expect(files.first?["score"] == .double(1))
    #expect(metrics["hotCount"] == 1)
    #expect(files.filter { $0["hot"] == true }.count == 1)
    // small.py: 2/6 of the top change frequency times 1/12 of the top complexity.
    let small = try #require(metrics["files"]?.entry("path", "src/small.py"))
    #expect(small["rank"] == 2)
    #expect(small["score"] == .double(0.0278))
    #expect(small["hot"] == false)
  }

  @Test func engineFiguresWorkedOutByHand() throws {
    let (_, scan) = try scanFixture("hotspots-rank", [HotspotAnalyzer()])
    let engine = try #require(scan.analyzer("hotspots")?.metrics["files"]?.entry("path", "src/engine.py"))
    #expect(engine["revisions"] == 6)
    #expect(engine["added"] == 10)
    #expect(engine["deleted"] == 0)
    #expect(engine["authors"] == 2)
    #expect(engine["firstChange"] == "2024-01-01T10:00:00Z")
    #expect(engine["lastChange"] == "2024-06-01T10:00:00Z")
    // 2024-06-01 to 2024-07-15: one whole month.
    #expect(engine["ageMonths"] == 1)
    #expect(engine["lines"] == 10)
    // Levels 0,1,2,3,1 + 1 (4 spaces) + 1 (tab) + 2 (8 spaces) + 1 (6 spaces); the blank line is not code.
    #expect(engine["loc"] == 9)
    #expect(engine["complexity"] == 12)
    #expect(engine["maxNesting"] == 3)
    // Last 90 days (after 2024-04-16T10:00): May 1, Jun 1. The 90 before (after 2024-01-17): Feb, Mar, Apr.
    #expect(engine["trend"] == ["recent": 2, "previous": 3, "direction": "falling"])
    let util = try #require(scan.analyzer("hotspots")?.metrics["files"]?.entry("path", "src/util.py"))
    #expect(util["ageMonths"] == 4)
    #expect(util["complexity"] == 0)
  }

  @Test func gitattributesAndClassesLeaveFilesOut() throws {
    let (_, scan) = try scanFixture("hotspots-rank", [HotspotAnalyzer()])
    let metrics = try #require(scan.analyzer("hotspots")?.metrics)
    let paths = Set(try #require(metrics["files"]?.arrayValue).compactMap { $0["path"]?.stringValue })
    #expect(paths == [".gitattributes", "README.md", "src/engine.py", "src/small.py", "src/util.py", "third/keep.py"])
    #expect(metrics["excludedFiles"] == ["byClass": 1, "byAttributes": 2])
  }

  @Test func perFileTotalsEqualGitLogNumstat() throws {
    let (repo, scan) = try scanFixture("hotspots-rank", [HotspotAnalyzer()])
    let files = try #require(scan.analyzer("hotspots")?.metrics["files"]?.arrayValue)
    #expect(files.count == 6)
    for file in files {
      let path = try #require(file["path"]?.stringValue)
      let git = try gitTotals(path, in: repo)
      #expect(file["revisions"] == .int(git.revisions), "\(path)")
      #expect(file["added"] == .int(git.added), "\(path)")
      #expect(file["deleted"] == .int(git.deleted), "\(path)")
    }
  }

  @Test func theHotspotIsAFindingAndItsComponentCarriesIt() throws {
    let (_, scan) = try scanFixture("hotspots-rank", [HotspotAnalyzer()])
    let result = try #require(scan.analyzer("hotspots"))
    let hot = result.findings.filter { $0.rule == "hotspot" }
    #expect(hot.map(\.location.path) == ["src/engine.py"])
    #expect(hot.first?.message.contains("6 commits by 2 people") == true)
    let src = try #require(result.components["src"])
    #expect(src["hotFiles"] == 1)
    #expect(src["topHotspot"] == "src/engine.py")
    #expect(src["files"] == 3)
    #expect(src["revisions"] == 10)
  }

  @Test func thresholdsAreEchoed() throws {
    let (_, scan) = try scanFixture("hotspots-rank", [HotspotAnalyzer()])
    let thresholds = try #require(scan.analyzer("hotspots")?.metrics["thresholds"])
    guard case let .object(coupling)? = thresholds["coupling"] else { Issue.record("no coupling thresholds"); return }
    #expect(coupling.map(\.0) == ["maxChangeset", "minShared", "minAverageRevisions", "minDegree", "maxDegree", "findingClasses",
                                  "schemaFiles", "testPrefixes", "testSuffixes"])
    #expect(thresholds["coupling"]?["maxChangeset"] == 30 && thresholds["coupling"]?["minDegree"] == 30)
    #expect(thresholds["coupling"]?["findingClasses"] == ["source"])
    #expect(thresholds["coupling"]?["schemaFiles"]?.arrayValue?.first == "*.proto")
    #expect(thresholds["hotClasses"] == ["source", "test"] && thresholds["hotMinShareOfTop"] == 0.2)
    #expect(thresholds["rework"]?["windowDays"] == 21)
    #expect(thresholds["trendDays"] == 90)
  }
}
