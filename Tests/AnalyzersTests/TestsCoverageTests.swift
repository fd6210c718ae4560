import Analyzers
import FixtureSupport
import SalvageCore
import Testing

@Suite struct TestsCoverageTests {
  @Test func reportsAndStaleness() throws {
    let (m, findings) = try Scan.run("tests-coverage", [TestsAnalyzer()])
    let reports = m["coverageReports"]?.arrayValue ?? []
    // Worked out from the fixture: lcov merges src/a.js line 2 across its two test sections (3 of 5);
    // the second Cobertura file has no totals and lists a.py:2 twice (2 of 3 lines).
    let expected: [(String, String, Int, Int)] = [
      ("build/logs/clover.xml", "clover", 10, 40), ("cover.out", "go", 7, 10), ("coverage.xml", "cobertura", 150, 200),
      ("coverage/lcov.info", "lcov", 3, 5), ("legacy/cobertura.xml", "cobertura", 2, 3), ("target/site/jacoco/jacoco.xml", "jacoco", 65, 100),
    ]
    #expect(reports.count == expected.count)
    for (report, (path, format, covered, valid)) in zip(reports, expected) {
      #expect(report["path"]?.stringValue == path)
      #expect(report["format"]?.stringValue == format, "\(path)")
      #expect(report["linesCovered"]?.intValue == covered, "\(path)")
      #expect(report["linesValid"]?.intValue == valid, "\(path)")
      #expect(report["lineCoverage"] == .number(Double(covered) / Double(valid)), "\(path)")
      #expect(report["date"] == "2023-01-01T10:00:00Z")
      #expect(report["ageDays"] == 365)
      #expect(report["productionCommitsSince"] == 2)
    }
    #expect(m["coverageConfig"] == [".codecov.yml"])
    let stale = findings.filter { $0.rule == "stale-coverage-report" }
    #expect(stale.count == 6)
    let lcov = try #require(stale.first { $0.location.path == "coverage/lcov.info" })
    #expect(lcov.message == "coverage/lcov.info says 60% of lines are covered, but it was last committed on 2023-01-01, 365 days before 2024-01-01; 2 commits have changed production code since. Treat its figure as history, not as today's coverage.")
  }
}
