@testable import Analyzers
import SalvageCore
import Testing

/// Rule tables the tests and dependencies analyzers once read at analysis time, leniently (an entry
/// with a mistyped key was skipped, a misspelt severity became "medium"): they are compiled now, and a
/// broken value is a `RuleError` naming the file, the line and the key. A misspelt key of any rule file
/// is one too, where it once kept its default silently (report.toml's are in `RiskRulesTests`).
@Suite struct StrictRuleReadingTests {
  struct Breakage: Sendable, CustomTestStringConvertible {
    let file: String
    let from: String
    let to: String
    let says: String
    var testDescription: String { "\(file): \(says)" }
  }

  static let breakages: [Breakage] = [
    Breakage(file: "tests.toml", from: "languages = [\"Go\"]\ntests = [\"{stem}_test.go\"]", to: "tests = [\"{stem}_test.go\"]",
             says: "`languages` is missing"),
    Breakage(file: "tests.toml", from: "\"pyproject.toml:[tool.coverage\"", to: "\"pyproject.toml [tool.coverage\"",
             says: "`coverage.config_markers` holds 'pyproject.toml [tool.coverage', not file-glob:text"),
    Breakage(file: "tests.toml", from: "{ glob = \"lcov.info\", format = \"lcov\" }", to: "{ glob = \"lcov.info\" }",
             says: "`format` is missing"),
    Breakage(file: "dependencies.toml", from: "what = \"installed npm packages (node_modules)\"\nseverity = \"high\"",
             to: "what = \"installed npm packages (node_modules)\"\nseverity = \"hihg\"", says: "`severity` is 'hihg', none of info, low, medium, high, critical"),
    Breakage(file: "dependencies.toml", from: "job = \"HTTP client\"\necosystem = \"npm\"", to: "job = \"HTTP client\"\necosystem = 3",
             says: "`ecosystem` must be a string"),
    Breakage(file: "dependencies.toml", from: "{ check = \"Branch-Protection\", reason", to: "{ reason",
             says: "`check` is missing"),
    Breakage(file: "dependencies.toml", from: "update_bots = [", to: "update_bots = [1, ",
             says: "`scorecard.update_bots` must be a list of strings"),
    // Misspelt keys, one per rule file and kind of table: a top-level section, an entry of a list.
    Breakage(file: "tests.toml", from: "languages = [\"Go\"]\ntests = [\"{stem}_test.go\"]", to: "language = [\"Go\"]\ntests = [\"{stem}_test.go\"]",
             says: "`language` is not a key of this table"),
    Breakage(file: "tests.toml", from: "{ glob = \"lcov.info\", format = \"lcov\" }", to: "{ glob = \"lcov.info\", fromat = \"lcov\" }",
             says: "`fromat` is not a key of this table"),
    Breakage(file: "hotspots.toml", from: "trend_days = ", to: "trend_dayz = ", says: "`score.trend_dayz` is not a key of [score]"),
    Breakage(file: "ownership.toml", from: "minor_share = ", to: "minor_shares = ", says: "`ownership.minor_shares` is not a key of [ownership]"),
    Breakage(file: "lines.toml", from: "days = 21", to: "dayz = 21", says: "`rework.dayz` is not a key of [rework]"),
    Breakage(file: "lines.toml", from: "exclude_classes = ", to: "exclude_class = ", says: "`exclude_class` is not a key of this table"),
    Breakage(file: "bots.toml", from: "email_prefixes = ", to: "email_prefix = ", says: "`bots.email_prefix` is not a key of [bots]"),
    Breakage(file: "cadence.toml", from: "maintained_days = ", to: "maintained_dayz = ", says: "`liveness.maintained_dayz` is not a key of [liveness]"),
    Breakage(file: "classify.toml", from: "long_lines = ", to: "long_line = ", says: "`long_line` is not a key of this table"),
    Breakage(file: "languages.toml", from: "[code]\nlanguages = ", to: "[code]\nlanguage = ", says: "`code.language` is not a key of [code]"),
    Breakage(file: "licences.toml", from: "header_lines = ", to: "header_line = ", says: "`scan.header_line` is not a key of [scan]"),
    Breakage(file: "licences.toml", from: "service_risk = ", to: "service_risks = ", says: "`service_risks` is not a key of this table"),
    Breakage(file: "tests.toml", from: "stale_days = ", to: "stale_dayz = ", says: "`counting.stale_dayz` is not a key of [counting]"),
    Breakage(file: "tests.toml", from: "scan_all = true", to: "scanall = true", says: "`scanall` is not a key of this table"),
    Breakage(file: "dependencies.toml", from: "large_share = ", to: "large_shares = ", says: "`vendoring.large_shares` is not a key of [vendoring]"),
    Breakage(file: "dependencies.toml", from: "lockfile_expected = ", to: "lockfile_expect = ", says: "`lockfile_expect` is not a key of this table"),
    Breakage(file: "dependencies.toml", from: "{ check = \"Branch-Protection\", reason", to: "{ check = \"Branch-Protection\", reasons",
             says: "`reasons` is not a key of this table"),
    // Values the analysis read leniently (a wrong kind was skipped): now errors when compiled.
    Breakage(file: "tests.toml", from: "scan_all = true", to: "scan_all = \"yes\"", says: "`scan_all` must be true or false"),
    Breakage(file: "tests.toml", from: "\"tox.ini:[pytest]\"", to: "\"tox.ini [pytest]\"", says: "`markers` holds 'tox.ini [pytest]', not file-glob:text"),
    Breakage(file: "classify.toml", from: "long_lines = [\"*.js\"", to: "long_lines = [1, \"*.js\"", says: "`long_lines` must be a list of strings"),
    Breakage(file: "dependencies.toml", from: "lockfile_expected = false", to: "lockfile_expected = \"no\"",
             says: "`lockfile_expected` must be true or false"),
    Breakage(file: "licences.toml", from: "or_later = true", to: "or_later = 1", says: "`or_later` must be true or false"),
    Breakage(file: "cadence.toml", from: "[kinds.keywords]\nrevert = ", to: "[kinds.keywords]\nrevrt = ", says: "`kinds.keywords.revrt` must be a kind"),
  ]

  /// Compiles what reads every rule file of this module: the path classifier and each analyzer.
  static func compileAll(_ rules: RuleSet) throws {
    _ = try PathClassifier(rules: rules)
    for analyzer in AnalyzerRegistry.all { _ = try analyzer.compile(rules) }
  }

  @Test(arguments: breakages)
  func brokenEntryIsARuleError(_ b: Breakage) throws {
    var texts = try RuleSet.load().texts
    let text = try #require(texts[b.file])
    #expect(text.contains(b.from), "the built-in text changed: update this example")
    texts[b.file] = text.replacingOccurrences(of: b.from, with: b.to)
    let rules = try RuleSet(texts: texts)
    let error = try #require(throws: RuleError.self) {
      try Self.compileAll(rules)
    }
    #expect(error.file == b.file)
    #expect(error.line != nil, "\(error)")
    #expect(error.message.hasPrefix(b.says), "\(error)")
  }

  @Test func builtinRulesCompile() throws {
    let rules = try RuleSet.load()
    try Self.compileAll(rules)
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
