@testable import Analyzers
import SalvageCore
import TOML
import Testing

/// The examples each rule file states next to its rules, run as tests (as the secret rules' are): one
/// parameterised test per file, so that adding an example adds a test, and a failure names the example.
@Suite struct RuleFileExampleTests {
  static let rules = try! RuleSet.load()
  static let classifier = try! PathClassifier(rules: rules)

  /// `[examples] cases = [...]` of a rule file.
  static func cases(_ file: String) -> [RuleExample] {
    (rules.table(file)?["examples"]?.table?["cases"]?.array ?? []).compactMap(\.table).map { RuleExample(file: file, table: $0) }
  }

  @Test(arguments: cases("classify.toml"))
  func classify(_ example: RuleExample) {
    let path = Array(example.string("path").utf8)
    let text = Array(example.string("text").utf8)
    let content = text.withUnsafeBufferPointer { Self.classifier.signature(of: UnsafeRawBufferPointer($0)) }
    #expect(Self.classifier.classify(path, content: content).rawValue == example.string("class"), "\(example)")
  }

  @Test(arguments: cases("languages.toml"))
  func language(_ example: RuleExample) {
    #expect((Self.classifier.language(of: Array(example.string("path").utf8)) ?? "") == example.string("language"), "\(example)")
  }

  @Test(arguments: cases("tests.toml"))
  func testConvention(_ example: RuleExample) throws {
    let compiled = try TestsAnalyzer().compile(Self.rules)
    let tests = TestClassifier(compiled.classifier, ci: compiled.ci, snapshot: Snapshot(files: []))
    let path = Array(example.string("path").utf8)
    let role = tests.role(path: path, language: Self.classifier.language(of: path), fileClass: Self.classifier.classify(path))
    #expect("\(role)" == example.string("role"), "\(example)")
  }

  /// `[[examples]]` of dependencies.toml: a manifest's text and the direct dependencies it must give.
  static func manifests() -> [RuleExample] {
    (rules.table("dependencies.toml")?["examples"]?.array ?? []).compactMap(\.table).map { RuleExample(file: "dependencies.toml", table: $0) }
  }

  @Test(arguments: manifests())
  func manifest(_ example: RuleExample) throws {
    let catalog = try ManifestCatalog(rules: Self.rules)
    let entry = try #require(catalog.entry(for: Array(example.string("path").utf8)), "\(example): no catalog entry")
    let parsed = try ManifestParsers.parse(entry.parser, Array(example.string("text").utf8))
    let direct = parsed.direct.filter { !$0.local }
    #expect(direct.map(\.name).sorted() == example.strings("direct"), "\(example)")
    #expect(direct.filter(\.pinned).map(\.name).sorted() == example.strings("pinned"), "\(example)")
    // Requirements kept for others (go.mod's `// indirect`) are never direct.
    #expect(parsed.indirect.map(\.name).sorted() == example.strings("indirect"), "\(example)")
  }

  @Test func everyFileHasExamples() {
    #expect(Self.cases("classify.toml").count >= 10)
    #expect(Self.cases("languages.toml").count >= 5)
    #expect(Self.cases("tests.toml").count >= 5)
    #expect(Self.manifests().count >= 3)
  }
}

struct RuleExample: Sendable, CustomTestStringConvertible, CustomStringConvertible {
  let file: String
  let table: TOMLTable

  func string(_ key: String) -> String { table[key]?.string ?? "" }
  func strings(_ key: String) -> [String] { table[key]?.stringArray ?? [] }

  var description: String { "\(file): \(string("path"))" }
  var testDescription: String { description }
}
