import FixtureSupport
import SalvageCore
import Testing

@testable import Analyzers

@Suite struct OwnershipBotsTests {
  @Test func botsAreCountedApartAndAliasesMerge() throws {
    let (_, scan) = try scanFixture("ownership-bots-mailmap", [OwnershipAnalyzer()])
    let result = try #require(scan.analyzer("ownership"))
    let m = result.metrics
    let botNames = Set(m["bots"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
    #expect(botNames == ["dependabot[bot]", "renovate"])
    #expect(m["botCommits"] == 2)
    // Ada under two addresses is one person; Grace came in by a Co-authored-by trailer.
    #expect(m["contributors"] == 2)
    let ada = try #require(m["people"]?.entry("name", "Ada Lovelace"))
    #expect(ada["commits"] == 3)
    #expect(m["people"]?.entry("email", "ada@old.example.com") == nil)
    // dependabot rewrote most of app.py, but a bot is never its main developer.
    let app = try #require(m["files"]?.entry("path", "src/app.py"))
    #expect(app["mainDeveloper"] == "Ada Lovelace")
    #expect(app["share"] == .double(1))
    #expect(app["contributors"] == 1)
    let truck = try #require(m["truckFactor"]?["people"]?.arrayValue)
    #expect(!truck.contains { ($0["name"]?.stringValue ?? "").contains("bot") || $0["name"] == "renovate" })
  }

  @Test func coAuthorsShareTheCredit() throws {
    let (_, scan) = try scanFixture("ownership-bots-mailmap", [OwnershipAnalyzer()])
    let pair = try #require(scan.analyzer("ownership")?.metrics["files"]?.entry("path", "src/pair.py"))
    #expect(pair["contributors"] == 2)
    #expect(pair["share"] == .double(0.5))
    #expect(pair["fragmentation"] == .double(0.5))
    #expect(pair["authors"] == ["Ada Lovelace", "Grace Hopper"])
  }

  @Test(arguments: ruleExamples())
  func botRuleExamples(_ example: BotExample) {
    let (name, email) = BotList.signature(example.signature)
    #expect(example.rules.isBot(name: name, email: email) == example.isBot, "\(example.signature)")
  }
}

struct BotExample: Sendable, CustomTestStringConvertible {
  let signature: String
  let isBot: Bool
  let rules: BotList
  var testDescription: String { "\(isBot ? "bot" : "human"): \(signature)" }
}

/// Every example of rules/bots.toml: the one bot list of every analyzer.
func ruleExamples() -> [BotExample] {
  guard let bots = try? BotList(RuleSet.load()) else { return [] }
  return bots.botExamples.map { BotExample(signature: $0, isBot: true, rules: bots) }
    + bots.humanExamples.map { BotExample(signature: $0, isBot: false, rules: bots) }
}
