import FixtureSupport
import Foundation
import Testing

/// A due-diligence report is dated: "now" is the day of the scan unless pinned, and a project nobody
/// has touched for half a year says so first.
@Suite struct AsOfTests {
  static func report(_ arguments: [String], environment: [String: String] = [:], unpinned: Bool = false) throws -> [String: Any] {
    let out = try Fixture.salvage(arguments + ["--format", "json"], environment: environment, unpinned: unpinned)
    #expect(out.status == 0, "\(out.stderr)")
    return try #require(JSONSerialization.jsonObject(with: out.data) as? [String: Any])
  }

  /// The last second of the UTC day `time` falls in, as ISO 8601.
  static func endOfDay(_ time: Date) -> String {
    let day = floor(time.timeIntervalSince1970 / 86400) * 86400 + 86399
    let format = ISO8601DateFormatter()
    format.timeZone = TimeZone(identifier: "UTC")
    return format.string(from: Date(timeIntervalSince1970: day))
  }

  @Test func nowIsTheDayOfTheScanUnlessPinned() throws {
    let repo = try Fixture.build("basic")
    let before = Date()
    let unpinned = try Self.report(["scan", repo], unpinned: true)
    let after = Date()
    let asOf = (unpinned["repository"] as? [String: Any])?["asOf"] as? String
    #expect([Self.endOfDay(before), Self.endOfDay(after)].contains(asOf ?? ""), "\(asOf ?? "nil")")

    // The fixture's last commit is 2024-01-13T09:00:00Z (fixtures/basic.sh).
    let lastCommit = try Self.report(["scan", repo, "--now", "last-commit"])
    #expect((lastCommit["repository"] as? [String: Any])?["asOf"] as? String == "2024-01-13T09:00:00Z")
    let pinned = try Self.report(["scan", repo, "--now", "2025-02-01"])
    #expect((pinned["repository"] as? [String: Any])?["asOf"] as? String == "2025-02-01T00:00:00Z")
    // SOURCE_DATE_EPOCH, the reproducible-builds convention, pins it too (1700000000 = 2023-11-14T22:13:20Z).
    let epoch = try Self.report(["scan", repo], environment: ["SOURCE_DATE_EPOCH": "1700000000"], unpinned: true)
    #expect((epoch["repository"] as? [String: Any])?["asOf"] as? String == "2023-11-14T22:13:20Z")

    let text = try Fixture.salvage(["scan", repo, "--now", "2025-02-01", "--format", "text"])
    #expect(text.stdout.split(separator: "\n").first?.hasSuffix(", as of 2025-02-01") == true, "\(text.stdout.prefix(200))")
    let bad = try Fixture.salvage(["scan", repo, "--now", "yesterday"])
    #expect(bad.status == 64)
  }

  /// Inactivity: 200 days (and 15 hours) after the last commit the project leads the risks with it; 60 days after, it
  /// is no finding at all (the maintained window is 90 days, rules/cadence.toml).
  @Test func inactivityLeadsTheRisks() throws {
    let repo = try Fixture.build("basic")
    let idle = try Self.report(["scan", repo, "--now", "2024-08-01"])
    let risks = try #require((idle["summary"] as? [String: Any])?["risks"] as? [[String: Any]])
    #expect((risks.first?["title"] as? String)?.hasPrefix("No commit in the last 200 days") == true, "\(risks.first ?? [:])")
    let headline = (idle["summary"] as? [String: Any])?["headline"] as? String ?? ""
    #expect(headline.contains("Most pressing: No commit in the last 200 days"), "\(headline)")

    let recent = try Self.report(["scan", repo, "--now", "2024-03-13"])
    let recentRisks = try #require((recent["summary"] as? [String: Any])?["risks"] as? [[String: Any]])
    #expect(!recentRisks.contains { ($0["title"] as? String)?.hasPrefix("No commit") == true })
  }
}
