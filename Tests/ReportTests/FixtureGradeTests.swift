import FixtureSupport
import Foundation
import Testing

/// Grades and verdicts of the real binary on fixture repositories, as a snapshot
/// (Goldens/fixture-grades.txt, re-recorded like the other goldens). With only the inventory analyzer
/// in the registry, the answers are worked out by hand from the file classes:
/// - basic: no test files at all, so test health fails (F) whatever the other areas say.
/// - demo: 220 test lines for about 1,060 source lines (ratio 0.21, 40 in the 0.10 band): D; billing/ has no
///   tests (stabilize), web/ has few (0.17, stabilize), api/ and core/ are tested (keep).
/// When more analyzers land, this snapshot changes on purpose: review the new grades, then re-record.
@Suite struct FixtureGradeTests {
  static func snapshot(_ fixture: String) throws -> String {
    let repo = try Fixture.build(fixture)
    let out = try Fixture.salvage(["scan", repo, "--format", "json"])
    guard out.status == 0 else { throw Fixture.Failure(description: "salvage failed on \(fixture): \(out.stderr)") }
    let doc = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    let summary = try #require(doc["summary"] as? [String: Any])
    var lines = ["\(fixture): \(summary["grade"] as? String ?? "-") \(summary["score"] as? Int ?? -1), keepShare \(summary["keepShare"] ?? "-")"]
    for area in summary["areas"] as? [[String: Any]] ?? [] {
      lines.append("  area \(area["id"] as? String ?? "?"): \(area["grade"] as? String ?? "not assessed") \(area["score"] as? Int ?? -1)")
    }
    for c in doc["components"] as? [[String: Any]] ?? [] {
      let reasons = (c["reasons"] as? [[String: Any]] ?? []).compactMap { $0["signal"] as? String }
      lines.append("  component \(c["path"] as? String ?? "?") (\(c["loc"] as? Int ?? 0) lines): \(c["verdict"] as? String ?? "?") [\(reasons.joined(separator: ", "))]")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  @Test func gradesOnFixtures() throws {
    let text = try Self.snapshot("basic") + Self.snapshot("demo")
    // Worked out by hand: basic has no test file at all, so its test health fails (F) whatever else runs.
    #expect(text.split(separator: "\n").prefix(8).contains { $0.hasPrefix("  area tests: F ") })
    try GoldenTests.check(text, "fixture-grades.txt")
  }
}
