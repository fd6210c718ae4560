@testable import Analyzers
import SalvageCore
import Testing

/// Rule tables the tests and dependencies analyzers once read at analysis time, leniently (an entry
/// with a mistyped key was skipped, a misspelt severity became "medium"): they are compiled now, and a
/// broken value is a `RuleError` naming the file, the line and the key.
@Suite struct StrictRuleReadingTests {
  struct Breakage: Sendable, CustomTestStringConvertible {
    let file: String
    let from: String
    let to: String
    let says: String
    var testDescription: String { "\(file): \(says)" }
  }

  static let breakages: [Breakage] = [
    Breakage(file: "tests.toml", from: "languages = [\"Go\"]\ntests = [\"{stem}_test.go\"]", to: "language = [\"Go\"]\ntests = [\"{stem}_test.go\"]",
             says: "`languages` is missing"),
    Breakage(file: "tests.toml", from: "\"pyproject.toml:[tool.coverage\"", to: "\"pyproject.toml [tool.coverage\"",
             says: "`coverage.config_markers` holds 'pyproject.toml [tool.coverage', not file-glob:text"),
    Breakage(file: "tests.toml", from: "{ glob = \"lcov.info\", format = \"lcov\" }", to: "{ glob = \"lcov.info\", fromat = \"lcov\" }",
             says: "`format` is missing"),
    Breakage(file: "dependencies.toml", from: "what = \"installed npm packages (node_modules)\"\nseverity = \"high\"",
             to: "what = \"installed npm packages (node_modules)\"\nseverity = \"hihg\"", says: "`severity` is 'hihg', none of info, low, medium, high, critical"),
    Breakage(file: "dependencies.toml", from: "job = \"HTTP client\"\necosystem = \"npm\"", to: "job = \"HTTP client\"\necosystem = 3",
             says: "`ecosystem` must be a string"),
    Breakage(file: "dependencies.toml", from: "{ check = \"Branch-Protection\", reason", to: "{ name = \"Branch-Protection\", reason",
             says: "`check` is missing"),
    Breakage(file: "dependencies.toml", from: "update_bots = [", to: "update_bots = \"dependabot[bot]\"\nformer_update_bots = [",
             says: "`scorecard.update_bots` must be a list of strings"),
  ]

  @Test(arguments: breakages)
  func brokenEntryIsARuleError(_ b: Breakage) throws {
    var texts = try RuleSet.load().texts
    let text = try #require(texts[b.file])
    #expect(text.contains(b.from), "the built-in text changed: update this example")
    texts[b.file] = text.replacingOccurrences(of: b.from, with: b.to)
    let rules = try RuleSet(texts: texts)
    let error = try #require(throws: RuleError.self) {
      if b.file == "tests.toml" { _ = try TestsAnalyzer().compile(rules) } else { _ = try DependenciesAnalyzer().compile(rules) }
    }
    #expect(error.file == b.file)
    #expect(error.line != nil, "\(error)")
    #expect(error.message.hasPrefix(b.says), "\(error)")
  }

  @Test func builtinRulesCompile() throws {
    let rules = try RuleSet.load()
    let tests = try TestsAnalyzer().compile(rules)
    #expect(tests.naming["Go"]?.tests == ["{stem}_test.go"])
    let dependencies = try DependenciesAnalyzer().compile(rules)
    #expect(dependencies.vendoredKinds.first?.what == "installed npm packages (node_modules)")
    #expect(dependencies.vendoredKinds.first?.severity == .high)
    #expect(dependencies.groups.first?.job == "HTTP client")
    #expect(dependencies.scorecard.updateBots.contains("dependabot[bot]"))
    #expect(dependencies.scorecard.notAssessed.first?.check == "Branch-Protection")
  }
}
