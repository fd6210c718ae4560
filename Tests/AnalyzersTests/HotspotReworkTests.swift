import FixtureSupport
import SalvageCore
import Testing

@testable import Analyzers

@Suite struct HotspotReworkTests {
  @Test func changesWithinTwentyOneDaysAreReworkAndLaterOnesAreNot() throws {
    let (repo, scan) = try scanFixture("hotspots-rework", [HotspotAnalyzer()])
    let metrics = try #require(scan.analyzer("hotspots")?.metrics)
    let r = try #require(metrics["files"]?.entry("path", "src/r.py"))
    let s = try #require(metrics["files"]?.entry("path", "src/s.py"))
    // r.py: +2 after 14 days and -3 after exactly 21 days are rework; +1 after 25 days is not.
    #expect(r["rework"] == ["lines": 5, "share": .number(5.0 / 16)])
    // s.py: its second change came 22 days after the first.
    #expect(s["rework"] == ["lines": 0, "share": .double(0)])
    #expect(metrics["rework"] == ["changedLines": 24, "reworkLines": 5, "share": .number(5.0 / 24)])
    // The denominators are git's own line counts.
    let gr = try gitTotals("src/r.py", in: repo), gs = try gitTotals("src/s.py", in: repo)
    #expect(gr.added + gr.deleted == 16)
    #expect(gs.added + gs.deleted == 8)
  }
}
