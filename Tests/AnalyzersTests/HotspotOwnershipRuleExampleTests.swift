@testable import Analyzers
import SalvageCore
import TOML
import Testing

/// Every example of `rules/hotspots.toml` is a test: which paths the excluded classes leave out, which
/// pairs are coupled and how strongly, which files and repositories are flagged for rework.
@Suite struct HotspotRuleExampleTests {
  static let ruleSet = try! RuleSet.load()
  static let rules = try! HotspotRules(ruleSet)
  static let classifier = try! PathClassifier(rules: ruleSet)
  static var table: TOMLTable { ruleSet.table(HotspotRules.file)! }

  static func examples(_ section: String?, key: String = "examples") -> [TOMLTable] {
    let holder = section.flatMap { table[$0]?.table } ?? table
    return (holder[key]?.array ?? []).compactMap(\.table)
  }

  @Test(arguments: examples(nil, key: "exclude_examples"))
  func excludedClass(_ example: TOMLTable) {
    let path = example["path"]?.string ?? ""
    #expect(Self.rules.excludedClasses.contains(Self.classifier.classify(Array(path.utf8))) == example["excluded"]?.bool, "\(path)")
  }

  @Test(arguments: examples("coupling"))
  func coupling(_ example: TOMLTable) throws {
    let revisions = (example["revisions"]?.array ?? []).compactMap { $0.int }
    try #require(revisions.count == 2)
    let degree = Self.rules.couplingDegree(shared: example["shared"]?.int ?? -1, revisionsA: revisions[0], revisionsB: revisions[1])
    #expect(degree == example["degree"]?.int, "\(example)")
  }

  @Test(arguments: examples("rework"))
  func rework(_ example: TOMLTable) throws {
    let changed = try #require(example["changed"]?.int), rework = try #require(example["rework"]?.int)
    let flagged = Self.rules.isReworked(changedLines: changed, share: Double(rework) / Double(changed),
                                        repository: example["repository"]?.bool ?? false)
    #expect(flagged == example["flagged"]?.bool, "\(example)")
  }

  @Test func everySectionHasExamples() {
    #expect(Self.examples(nil, key: "exclude_examples").count >= 4)
    for section in ["coupling", "rework"] { #expect(Self.examples(section).count >= 4, "\(section)") }
    // Both outcomes are stated, so an example list cannot pass by always answering the same.
    #expect(Set(Self.examples("coupling").map { $0["degree"] == nil }) == [true, false])
    #expect(Set(Self.examples("rework").compactMap { $0["flagged"]?.bool }) == [true, false])
  }
}

/// Every example of `rules/ownership.toml` is a test: minor contributors and knowledge islands by share,
/// the degree of authorship and who authors a file, the orphaned-code severity.
@Suite struct OwnershipRuleExampleTests {
  static let ruleSet = try! RuleSet.load()
  static let rules = try! OwnershipRules(ruleSet)
  static var table: TOMLTable { ruleSet.table(OwnershipRules.file)! }

  static func examples(_ section: String) -> [TOMLTable] {
    (table[section]?.table?["examples"]?.array ?? []).compactMap(\.table)
  }

  @Test(arguments: examples("ownership"))
  func shares(_ example: TOMLTable) throws {
    let share = try #require(example["share"]?.double)
    #expect(Self.rules.isMinor(share: share) == example["minor"]?.bool, "\(example)")
    #expect(Self.rules.isIsland(share: share) == example["island"]?.bool, "\(example)")
  }

  @Test(arguments: examples("truck_factor"))
  func degreeOfAuthorship(_ example: TOMLTable) throws {
    let first = example["first_author"]?.bool == true
    let deliveries = try #require(example["deliveries"]?.int), acceptances = try #require(example["acceptances"]?.int)
    let doa = Self.rules.doa.value(firstAuthor: first, deliveries: deliveries, acceptances: acceptances)
    let expected = try #require(example["doa"]?.double)
    #expect(abs(doa - expected) < 0.0005, "\(example): \(doa)")
    let best = try #require(example["best"]?.double)
    #expect(Self.rules.doa.isAuthor(doa: doa, best: max(best, doa), firstAuthor: first) == example["author"]?.bool, "\(example)")
  }

  @Test(arguments: examples("findings"))
  func orphanedSeverity(_ example: TOMLTable) throws {
    let share = try #require(example["orphaned_share"]?.double)
    let severity = Self.rules.orphanedSeverity(share: share)
    #expect((severity?.rawValue ?? "none") == example["severity"]?.string, "\(example)")
  }

  @Test func everySectionHasExamples() {
    for section in ["ownership", "truck_factor", "findings"] { #expect(Self.examples(section).count >= 4, "\(section)") }
    #expect(Set(Self.examples("truck_factor").compactMap { $0["author"]?.bool }) == [true, false])
  }
}
