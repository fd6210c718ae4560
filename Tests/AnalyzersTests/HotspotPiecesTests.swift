import Git
import SalvageCore
import Testing

@testable import Analyzers

/// The small pure pieces of the hotspot analyzer, with answers worked out by hand.
@Suite struct HotspotPiecesTests {
  func file(_ path: String, _ content: String) -> SnapshotFile {
    SnapshotFile(path: Array(path.utf8), id: ObjectID(hex: String(repeating: "0", count: 40))!, mode: 0o100644, size: content.utf8.count,
                 lines: 0, language: nil, fileClass: .config, content: Array(content.utf8))
  }

  @Test func nestedGitattributesAreScopedToTheirFolderAndLaterLinesWin() {
    let snapshot = Snapshot(files: [
      file(".gitattributes", "*.pb.js linguist-generated\nassets/** linguist-vendored\n"),
      file("web/.gitattributes", "lib/* linguist-vendored\n*.min.js linguist-generated=true\nlib/own.js -linguist-vendored\n"),
    ])
    let attributes = LinguistAttributes(snapshot: snapshot)
    #expect(attributes.excludes(Array("deep/x.pb.js".utf8)))
    #expect(attributes.excludes(Array("assets/a/b.css".utf8)))
    #expect(attributes.excludes(Array("web/lib/dep.js".utf8)))
    #expect(!attributes.excludes(Array("lib/dep.js".utf8)))
    #expect(!attributes.excludes(Array("web/lib/own.js".utf8)))
    #expect(attributes.excludes(Array("web/a/b/c.min.js".utf8)))
    #expect(!attributes.excludes(Array("other/c.min.js".utf8)))
  }

  @Test func indentationCountsTabsAndFourSpacesAsOneLevel() {
    let c = IndentationComplexity(Array("a\n    b\n\tc\n\t    d\n      e\n   \n\n   f".utf8))
    // Levels 0, 1, 1, 2, 1 (6 spaces), blank, blank, 0 (3 spaces); no final newline.
    #expect(c == IndentationComplexity(total: 5, max: 2, loc: 6))
  }

  @Test func theDropOffIsWhereTheRankedCurveFlattens() {
    #expect(HotspotRanking.dropOff([1, 0.9, 0.1, 0.05, 0]) == 2)
    #expect(HotspotRanking.dropOff([1, 0.1, 0.08, 0.05, 0.02]) == 1)
    // A straight line has no knee: no file stands out.
    #expect(HotspotRanking.dropOff([1, 0.9, 0.8, 0.7]) == 0)
    #expect(HotspotRanking.dropOff([0, 0]) == 0)
    #expect(HotspotRanking.dropOff([]) == 0)
  }

  @Test func scoresAreNormalisedProducts() {
    let ranking = HotspotRanking(frequencies: [6, 2, 3], complexities: [12, 1, 0], eligible: [true, true, true], minShareOfTop: 0)
    #expect(ranking.scores == [1, 2.0 / 6 / 12, 0])
    #expect(ranking.order == [0, 1, 2])
  }

  /// Scores 1, 0.9, 0.3, 0.15, 0.12, 0.1, 0.02, 0.01 x3 (complexity 1 each). Over every file the knee is
  /// at 3 (the chord from (0, 1) to (1, 0) over 11 points is farthest above 0.15, the fourth). File 1
  /// is configuration: without it the curve is 1, 0.3, 0.15, ... and its knee is at 2 (files 0 and 2).
  /// A floor of half the top score leaves file 0 alone.
  @Test func onlyCodeIsHotAndOnlyWhatStandsOut() {
    let frequencies = [100, 90, 30, 15, 12, 10, 2, 1, 1, 1], complexities = [Int](repeating: 1, count: 10)
    let all = [Bool](repeating: true, count: 10)
    var code = all
    code[1] = false
    let every = HotspotRanking(frequencies: frequencies, complexities: complexities, eligible: all, minShareOfTop: 0)
    #expect(every.hotOrder == [0, 1, 2])
    let onlyCode = HotspotRanking(frequencies: frequencies, complexities: complexities, eligible: code, minShareOfTop: 0.2)
    #expect(onlyCode.hotOrder == [0, 2] && onlyCode.hotCount == 2)
    #expect(onlyCode.ranks[1] == 2, "the configuration file keeps its rank; it is only not hot")
    let floor = HotspotRanking(frequencies: frequencies, complexities: complexities, eligible: code, minShareOfTop: 0.5)
    #expect(floor.hotOrder == [0])
  }

  @Test func calendarMonths() {
    let t = { UTC.parse($0)! }
    #expect(monthsBetween(t("2024-06-01T10:00:00Z"), t("2024-07-15T10:00:00Z")) == 1)
    #expect(monthsBetween(t("2024-01-31"), t("2024-02-29")) == 0)
    #expect(monthsBetween(t("2023-03-01"), t("2024-03-01")) == 12)
  }
}
