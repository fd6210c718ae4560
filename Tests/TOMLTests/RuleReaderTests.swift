import Testing
import TOML

@Suite struct RuleReaderTests {
  @Test func numbersAreWrittenAsARuleFileWouldWriteThem() {
    #expect(RuleReader.plain(100) == "100")
    #expect(RuleReader.plain(0.25) == "0.25")
  }

  /// An error names the file, the line, the rule its table defines and the key, in one line.
  @Test func errorsNameFileLineRuleAndKey() throws {
    let table = try TOML.parse("[[rules]]\nid = \"x\"\nentropy = \"high\"\n")
    var reader = try #require(try RuleReader(file: "user.toml", table: table).tables("rules").first)
    reader.rule = "x"
    let error = try #require(throws: RuleError.self) { try reader.optionalNumber(reader.table, "entropy", in: 0...8) }
    #expect(error.key == "entropy")
    #expect(error.line == 3)
    #expect(error.description == "user.toml:3: rule 'x': `entropy` must be a number from 0 to 8")
  }
}
