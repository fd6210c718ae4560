import SalvageCore
import Testing

/// The one number and percentage formatter; every expected string is written out by hand.
@Suite struct FiguresTests {
  @Test func groupsThousands() {
    #expect(Figures.grouped(0) == "0")
    #expect(Figures.grouped(999) == "999")
    #expect(Figures.grouped(1298) == "1,298")
    #expect(Figures.grouped(24_046) == "24,046")
    #expect(Figures.grouped(1_234_567) == "1,234,567")
    #expect(Figures.grouped(-1234) == "-1,234")
  }

  @Test func percentages() {
    #expect(Figures.percent(0.456) == "46%")
    #expect(Figures.percent(0.4567) == "46%")
    #expect(Figures.percent(0.125) == "13%")
    #expect(Figures.percent(0) == "0%")
    #expect(Figures.percent(1) == "100%")
    #expect(Figures.percent(-0.25) == "-25%")
    // A small share never reads as none, whichever its sign; one that rounds to 1% reads so.
    #expect(Figures.percent(0.004) == "0.4%")
    #expect(Figures.percent(-0.004) == "-0.4%")
    #expect(Figures.percent(0.0094) == "0.9%")
    #expect(Figures.percent(0.0097) == "1%")
  }

  @Test func decimals() {
    #expect(Figures.ratio(0.4567) == "0.46")
    #expect(Figures.ratio(2) == "2.00")
    #expect(Figures.ratio(0.05) == "0.05")
    #expect(Figures.oneDecimal(6.25) == "6.3")
    #expect(Figures.oneDecimal(-0.45) == "-0.5")
    #expect(Figures.oneDecimal(-12.34) == "-12.3")
    #expect(Figures.oneDecimal(2) == "2.0")
    #expect(Figures.upToOneDecimal(2) == "2")
    #expect(Figures.upToOneDecimal(12.34) == "12.3")
    #expect(Figures.plain(100) == "100")
    #expect(Figures.plain(0.25) == "0.25")
  }

  @Test func rounding() {
    #expect(Figures.rounded(0.123456) == 0.1235)
    #expect(Figures.rounded(2.0 / 3, places: 2) == 0.67)
    #expect(Figures.rounded(-0.00004) == -0.0)
    #expect(Figures.rounded(.infinity) == .infinity)
    #expect(Figures.rounded(.nan).isNaN)
  }
}
