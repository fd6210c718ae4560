@testable import Report
import Testing

/// The report's one number formatter; every expected string is written out by hand.
@Suite struct WordsTests {
  @Test func groupsThousands() {
    #expect(Words.grouped(0) == "0")
    #expect(Words.grouped(999) == "999")
    #expect(Words.grouped(1298) == "1,298")
    #expect(Words.grouped(24_046) == "24,046")
    #expect(Words.grouped(1_234_567) == "1,234,567")
    #expect(Words.grouped(-1234) == "-1,234")
  }

  @Test func countsWithTheRightNoun() {
    #expect(Words.count(1, "commit") == "1 commit")
    #expect(Words.count(2, "commit") == "2 commits")
    #expect(Words.count(1500, "line") == "1,500 lines")
  }

  @Test func percentages() {
    #expect(Words.percent(0.456) == "46%")
    #expect(Words.percent(0) == "0%")
    #expect(Words.percent(1) == "100%")
    // A small share never reads as none, whichever its sign.
    #expect(Words.percent(0.004) == "0.4%")
    #expect(Words.percent(-0.004) == "-0.4%")
    #expect(Words.percent(-0.25) == "-25%")
    #expect(Words.percent1(0.4567) == "45.7%")
    #expect(Words.percent1(1.0 / 3) == "33.3%")
  }

  @Test func decimals() {
    #expect(Words.ratio(0.4567) == "0.46")
    #expect(Words.ratio(2) == "2.00")
    #expect(Words.ratio(0.05) == "0.05")
    #expect(Words.format1(6.25) == "6.3")
    #expect(Words.format1(-0.45) == "-0.5")
    #expect(Words.format1(-12.34) == "-12.3")
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
