import FixtureSupport
import SalvageCore
import Testing

@testable import Analyzers

@Suite struct OwnershipKnowledgeLossTests {
  @Test func aFormerContributorsFilesAreOrphaned() throws {
    let (_, scan) = try scanFixture("ownership-orphaned", [OwnershipAnalyzer()])
    let result = try #require(scan.analyzer("ownership"))
    let m = result.metrics
    #expect(m["totalLines"] == 266)
    #expect(m["orphanedLines"] == 195)
    #expect(m["orphanedFiles"] == 2)
    #expect(m["orphanedShare"] == .number(195.0 / 266))
    #expect(m["contributors"] == 3)
    #expect(m["formerContributors"] == 1)
    let files = try #require(m["files"])
    #expect(files.entry("path", "src/old.py")?["orphaned"] == true)
    #expect(files.entry("path", "src/mixed.py")?["orphaned"] == true)
    #expect(files.entry("path", "src/mixed.py")?["mainDeveloper"] == "Fred Former")
    #expect(files.entry("path", "src/mixed.py")?["share"] == .number(90.0 / 95))
    // Bea's only commit is exactly 180 days old: she still counts as active.
    #expect(files.entry("path", "src/bea.py")?["orphaned"] == false)
    #expect(m["people"]?.entry("name", "Bea Border")?["former"] == false)
    #expect(m["people"]?.entry("name", "Fred Former")?["former"] == true)
    let finding = try #require(result.findings.first { $0.rule == "orphaned-code" })
    #expect(finding.severity == .high)
    #expect(finding.message.contains("195 of 266 lines"))
    #expect(finding.message.contains("Fred Former"))
  }

  @Test func knowledgeIslandsAreFilesAtLeastNinetyFivePercentOnePerson() throws {
    let (_, scan) = try scanFixture("ownership-orphaned", [OwnershipAnalyzer()])
    let m = try #require(scan.analyzer("ownership")?.metrics)
    let files = try #require(m["files"])
    #expect(files.entry("path", "src/old.py")?["island"] == true)
    #expect(files.entry("path", "src/new.py")?["island"] == true)
    #expect(files.entry("path", "src/bea.py")?["island"] == true)
    // 90 of 95 lines is 94.7%: not an island.
    #expect(files.entry("path", "src/mixed.py")?["island"] == false)
    #expect(files.entry("path", "src/mixed.py")?["minorContributors"] == 0)
    #expect(m["knowledgeIslands"]?["files"] == 3)
    #expect(m["knowledgeIslands"]?["lines"] == 171)
  }

  @Test func componentFigures() throws {
    let (_, scan) = try scanFixture("ownership-orphaned", [OwnershipAnalyzer()])
    let src = try #require(scan.analyzer("ownership")?.components["src"])
    #expect(src["files"] == 4)
    #expect(src["orphanedShare"] == .number(195.0 / 266))
    // Authors: Fred (old, mixed), Ada (mixed, new), Bea (bea). Ada goes first (tie broken by e-mail),
    // leaving 3/4; then Fred, leaving 1/4.
    #expect(src["truckFactor"] == 2)
    #expect(src["truckFactorPeople"] == ["Ada Lovelace", "Fred Former"])
  }
}
