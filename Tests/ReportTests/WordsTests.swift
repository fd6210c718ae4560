@testable import Report
import Testing
import SalvageCore

/// The report's words around its figures (`FiguresTests` has the numbers); every expected string is written out by hand.
@Suite struct WordsTests {
  @Test func countsWithTheRightNoun() {
    #expect(Words.count(1, "commit") == "1 commit")
    #expect(Words.count(2, "commit") == "2 commits")
    #expect(Words.count(1500, "line") == "1,500 lines")
  }

  @Test func barWidths() {
    #expect(Words.percent1(0.4567) == "45.7%")
    #expect(Words.percent1(1.0 / 3) == "33.3%")
  }

  @Test func valuesInTheirUnits() {
    #expect(Words.value(0.3, unit: .share) == "30%")
    #expect(Words.value(-0.3, unit: .change) == "-30%")
    #expect(Words.value(0.2, unit: .change) == "+20%")
    #expect(Words.value(1, unit: .days) == "1 day")
    #expect(Words.value(1, unit: .yesNo) == "yes")
    #expect(Words.value(6.5, unit: .score) == "6.5/10")
  }
}
