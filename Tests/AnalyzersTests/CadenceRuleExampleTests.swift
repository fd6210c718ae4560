import Analyzers
import SalvageCore
import TOML
import Testing

/// Every example in `rules/cadence.toml` is a test: the commit kinds, work-in-progress messages and
/// version tags it states must come out as it says.
@Suite struct CadenceRuleExampleTests {
  static let ruleSet = try! RuleSet.load()
  static let rules = try! CadenceRules(rules: ruleSet)
  static var table: TOMLTable { ruleSet.table(CadenceRules.file)! }

  static func examples(_ section: String) -> [TOMLTable] {
    (table[section]?.table?["examples"]?.array ?? []).compactMap(\.table)
  }

  @Test(arguments: examples("kinds"))
  func kind(_ example: TOMLTable) {
    let subject = example["subject"]?.string ?? ""
    #expect(Self.rules.kinds.kind(subject: subject, isMerge: false).rawValue == example["kind"]?.string, "\(subject)")
  }

  @Test(arguments: examples("wip"))
  func wip(_ example: TOMLTable) {
    let subject = example["subject"]?.string ?? ""
    #expect(Self.rules.wip.matches(subject) == example["wip"]?.bool, "\(subject)")
  }

  @Test(arguments: examples("releases"))
  func release(_ example: TOMLTable) throws {
    let tag = example["tag"]?.string ?? ""
    let kind = try Self.rules.releases.kind(of: tag) ?? "none"
    #expect(kind == example["kind"]?.string, "\(tag)")
  }

  @Test func everySectionHasExamples() {
    for section in ["kinds", "wip", "releases"] { #expect(Self.examples(section).count >= 4, "\(section)") }
  }
}
