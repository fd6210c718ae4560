import FixtureSupport
import SalvageCore
import Testing

@testable import Analyzers

@Suite struct OwnershipTruckFactorTests {
  func truckFactor(_ fixture: String) throws -> JSONValue {
    let (_, scan) = try scanFixture(fixture, [OwnershipAnalyzer()])
    return try #require(scan.analyzer("ownership")?.metrics["truckFactor"])
  }

  func names(_ tf: JSONValue) -> [String] { tf["people"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [] }

  @Test func truckFactorOfOne() throws {
    let tf = try truckFactor("ownership-truck-factor-1")
    #expect(tf["value"] == 1)
    #expect(names(tf) == ["Ada"])
    #expect(tf["files"] == 10)
    #expect(tf["coverageAfter"] == .number(0.4))
  }

  @Test func truckFactorOfTwoWithASharedFile() throws {
    let (_, scan) = try scanFixture("ownership-truck-factor-2", [OwnershipAnalyzer()])
    let result = try #require(scan.analyzer("ownership"))
    let tf = try #require(result.metrics["truckFactor"])
    #expect(tf["value"] == 2)
    #expect(names(tf) == ["Ada", "Bob"])
    #expect(tf["people"]?.arrayValue?.map { $0["files"] } == [5, 3])
    let shared = try #require(result.metrics["files"]?.entry("path", "src/shared.py"))
    #expect(shared["authors"] == ["Cy", "Di"])
    #expect(shared["mainDeveloper"] == "Cy")
    // Cy added 10 of 11 lines.
    #expect(shared["share"] == .number(10.0 / 11))
    let finding = try #require(result.findings.first { $0.rule == "truck-factor" })
    #expect(finding.severity == .medium)
    #expect(finding.message.contains("Ada and Bob"))
  }

  @Test func truckFactorOfThree() throws {
    let tf = try truckFactor("ownership-truck-factor-3")
    #expect(tf["value"] == 3)
    #expect(names(tf) == ["Ada", "Bob", "Cy"])
    #expect(tf["coverageAfter"] == .number(0.4))
  }

  @Test func degreeOfAuthorshipByHand() {
    let doa = DegreeOfAuthorship()
    // Added the file, nothing else: 3.293 + 1.098.
    #expect(abs(doa.value(firstAuthor: true, deliveries: 0, acceptances: 0) - 4.391) < 1e-9)
    // Added it, then one change by someone else: 4.391 - 0.321 ln 2.
    let creator = doa.value(firstAuthor: true, deliveries: 0, acceptances: 1)
    #expect(abs(creator - 4.16850) < 1e-4)
    // That one change: 3.293 + 0.164 = 3.457, normalised 0.829: an author.
    let editor = doa.value(firstAuthor: false, deliveries: 1, acceptances: 0)
    #expect(abs(editor - 3.457) < 1e-9)
    #expect(doa.isAuthor(doa: editor, best: creator, firstAuthor: false))
    // One change against five by the creator: 3.457 - 0.321 ln 6 = 2.882: not an author.
    let late = doa.value(firstAuthor: false, deliveries: 1, acceptances: 5)
    #expect(abs(late - 2.88185) < 1e-4)
    #expect(!doa.isAuthor(doa: late, best: doa.value(firstAuthor: true, deliveries: 5, acceptances: 1), firstAuthor: false))
  }

  @Test func removalGoesOnWhileExactlyHalfTheFilesKeepAnAuthor() {
    // Person 0 authors files 0-4, person 1 files 5-8, person 2 file 9. Without 0, 5/10 keep an
    // author: not yet more than half orphaned, so 1 goes too.
    let authors: [[Int32]] = (0..<10).map { f in f < 5 ? [0] : f < 9 ? [1] : [2] }
    let tf = TruckFactor(authors: authors, order: { $0 < $1 })
    #expect(tf.value == 2)
    #expect(tf.members.map(\.person) == [0, 1])
    #expect(tf.coverageAfter == 0.1)
  }
}

/// Configuration-only packages hold no knowledge worth a risk (fixture ownership-config-only.sh).
@Suite struct OwnershipConfigOnlyTests {
  @Test func onlyComponentsWithCodeAreReportedAsSingleOwner() throws {
    let (_, scan) = try scanFixture("ownership-config-only", [OwnershipAnalyzer()])
    let findings = try #require(scan.analyzer("ownership")).findings.filter { $0.rule == "component-truck-factor" }
    // packages/core: 12 source files and a package.json, all Ada's. packages/tsconfig: 13 files, all Ada's,
    // but configuration.
    #expect(findings.map { $0.evidenceJSON["component"] } == ["packages/core"])
    #expect(findings.first?.evidenceJSON["files"] == 13)
  }
}
