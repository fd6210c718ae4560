import Analyzers
import FixtureSupport
import SalvageCore
import Testing

@Suite struct TestsSignalsTests {
  @Test func noTests() throws {
    let (m, findings) = try Scan.run("tests-none", [TestsAnalyzer()])
    #expect(m["testFiles"] == 0)
    #expect(m["productionLines"] == 40)
    let rules = Set(findings.map(\.rule))
    #expect(rules.contains("no-tests"))
    #expect(rules.contains("no-ci"))
    #expect(!rules.contains("low-test-ratio"), "no tests at all is its own finding")
    #expect(findings.first { $0.rule == "no-tests" }?.severity == .high)
  }

  @Test func coEvolution() throws {
    let (m, findings) = try Scan.run("tests-coevolution", [TestsAnalyzer()])
    #expect(m["coEvolution"] == [
      "productionCommits": 5, "withTests": 2, "share": .number(0.4),
      "byYear": [["year": 2024, "productionCommits": 3, "withTests": 1, "share": .number(1.0 / 3.0)],
                 ["year": 2025, "productionCommits": 2, "withTests": 1, "share": .number(0.5)]],
    ])
    #expect(m["hotspots"] == [
      ["path": "src/billing.py", "revisions": 4, "lines": 40, "score": 160, "test": nil],
      ["path": "src/users.py", "revisions": 3, "lines": 30, "score": 90, "test": "tests/test_users.py"],
    ])
    let untested = findings.filter { $0.rule == "untested-hotspot" }
    #expect(untested.map(\.location.path) == ["src/billing.py"])
    #expect(untested.first?.message.contains("such as test_billing.py or billing_test.py") == true)
    // 8 test lines for 70 production lines: 11.4%, under the 20% floor.
    #expect(findings.contains { $0.rule == "low-test-ratio" })
  }

  @Test func testRatioAboveFloorIsNoFinding() throws {
    let (_, findings) = try Scan.run("tests-conventions", [TestsAnalyzer()])
    #expect(!findings.contains { $0.rule == "low-test-ratio" || $0.rule == "no-tests" })
  }
}
