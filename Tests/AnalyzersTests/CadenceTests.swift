import Analyzers
import FixtureSupport
import Foundation
import SalvageCore
import Testing

/// Every expected figure below was worked out by hand from the fixture scripts (dates, offsets, line
/// counts), or asked of git.
@Suite struct CadenceTests {
  @Test func weeklySeries() throws {
    let scan = try CadenceScan("cadence-weekly-series")
    let weeks = try #require(scan["weekly"]?.arrayValue)
    let expected: [(String, Int, Int, Int)] = [
      ("2024-12-23", 1, 1, 5),
      ("2024-12-30", 2, 2, 5),
      ("2025-01-06", 1, 1, 2),
      ("2025-01-13", 0, 0, 0),
      ("2025-01-20", 1, 1, 4),
      ("2025-01-27", 0, 0, 0), ("2025-02-03", 0, 0, 0), ("2025-02-10", 0, 0, 0), ("2025-02-17", 0, 0, 0),
      ("2025-02-24", 0, 0, 0), ("2025-03-03", 0, 0, 0), ("2025-03-10", 0, 0, 0), ("2025-03-17", 0, 0, 0),
      ("2025-03-24", 3, 1, 3),
      ("2025-03-31", 1, 1, 4),
    ]
    #expect(weeks.count == expected.count)
    for (week, (monday, commits, authors, lines)) in zip(weeks, expected) {
      #expect(week["week"]?.stringValue == monday)
      #expect(week["commits"]?.intValue == commits, "\(monday)")
      #expect(week["authors"]?.intValue == authors, "\(monday)")
      #expect(week["linesChanged"]?.intValue == lines, "\(monday)")
    }
    // 2025-03-29 and 2025-03-30 (twice) in UTC.
    #expect(scan.int("weekly.13.activeDays") == 2)
    let months = try #require(scan["monthly"]?.arrayValue)
    #expect(months.map { $0["month"]?.stringValue ?? "" } == ["2024-12", "2025-01", "2025-02", "2025-03"])
    #expect(months.map { $0["commits"]?.intValue ?? -1 } == [3, 2, 0, 4])
    #expect(months.map { $0["authors"]?.intValue ?? -1 } == [2, 1, 0, 1])
    #expect(scan.int("commits") == 9)
  }

  @Test func trendUp() throws {
    let scan = try CadenceScan("cadence-trend-up")
    #expect(scan.string("now") == "2024-06-30T12:00:00Z")
    #expect(scan.int("trends.last90Days.commits.current") == 12)
    #expect(scan.int("trends.last90Days.commits.previous") == 4)
    #expect(scan.double("trends.last90Days.commits.change") == 2.0)
    #expect(scan.string("trends.last90Days.commits.direction") == "up")
    #expect(scan.int("trends.last90Days.authors.current") == 3)
    #expect(scan.int("trends.last90Days.authors.previous") == 1)
    #expect(scan.string("trends.last90Days.authors.direction") == "up")
    #expect(scan.findings("stalling-delivery").isEmpty)
    // The quiet spell from 2024-02-26 to 2024-05-01 is 65 days and ended within the year.
    #expect(scan.int("liveness.longestGaps.0.days") == 65)
    #expect(scan.string("liveness.longestGaps.0.from") == "2024-02-26T12:00:00Z")
    #expect(scan.findings("long-gaps").count == 1)
    #expect(scan.int("daysSinceLastCommit") == 0)
    #expect(scan["liveness.maintained"]?.boolValue == true)
  }

  @Test func trendDown() throws {
    let scan = try CadenceScan("cadence-trend-down")
    #expect(scan.int("trends.last90Days.commits.current") == 4)
    #expect(scan.int("trends.last90Days.commits.previous") == 20)
    #expect(scan.double("trends.last90Days.commits.change") == -0.8)
    #expect(scan.string("trends.last90Days.commits.direction") == "down")
    #expect(scan.int("trends.last90Days.authors.current") == 1)
    #expect(scan.int("trends.last90Days.authors.previous") == 2)
    let stall = try #require(scan.findings("stalling-delivery").first)
    #expect(scan.findings("stalling-delivery").count == 1)
    #expect(stall.severity == .medium)
    #expect(stall.location.commit == (try Fixture.git(["rev-parse", "HEAD"], in: scan.repo)).trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(stall.evidenceJSON["commits"]?.intValue == 4)
    #expect(stall.evidenceJSON["previousCommits"]?.intValue == 20)
    #expect(stall.message.contains("2024-06-30"))
  }

  @Test func pinnedNowIsTheCommitsClockNotTheMachines() throws {
    let scan = try CadenceScan("cadence-trend-down", now: "2024-09-30T12:00:00Z")
    #expect(scan.string("now") == "2024-09-30T12:00:00Z")
    #expect(scan.int("daysSinceLastCommit") == 92)
    #expect(scan["liveness.maintained"]?.boolValue == false)
    let finding = try #require(scan.findings("not-maintained").first)
    #expect(finding.severity == .medium)
    #expect(finding.message.contains("92 days"))
    // 4 commits in the 90 days before the window: too few to call it a stall.
    #expect(scan.findings("stalling-delivery").isEmpty)
  }

  @Test func releasesSlowing() throws {
    let scan = try CadenceScan("cadence-releases-slowing")
    let releases = try #require(scan["releases"]?.arrayValue)
    #expect(releases.map { $0["tag"]?.stringValue ?? "" } == [
      "v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0", "v1.4.0", "v1.5.0", "v1.2.1", "v1.6.0", "v1.7.0", "v1.8.0", "v1.9.0-rc1", "v1.9.0", "v1.9.1",
    ])
    #expect(releases.map { $0["kind"]?.stringValue ?? "" } == [
      "release", "release", "release", "release", "release", "release", "maintenance", "release", "release", "release", "prerelease",
      "release", "patch",
    ])
    // The annotated tag carries its own date, a day after its commit.
    #expect(releases[11]["date"]?.stringValue == "2024-06-15T12:00:00Z")
    #expect(releases[11]["annotated"]?.boolValue == true)
    #expect(releases[0]["date"]?.stringValue == "2023-01-15T12:00:00Z")
    // Gaps: 31 28 31 30 31 | 92 91 91 92 days; the last four against the four before.
    #expect(scan.int("releaseCadence.releases") == 10)
    #expect(scan.double("releaseCadence.recentMedianDays") == 91.5)
    #expect(scan.double("releaseCadence.previousMedianDays") == 30.5)
    #expect(scan.string("releaseCadence.direction") == "slowing")
    #expect(scan.int("releaseCadence.daysSinceLastRelease") == 5)
    let finding = try #require(scan.findings("releases-slowing").first)
    #expect(finding.severity == .medium)
    #expect(finding.message.contains("v1.9.0 (2024-06-15)"))
    #expect(scan.findings("release-overdue").isEmpty)
  }

  @Test func fixesRising() throws {
    let scan = try CadenceScan("cadence-fixes-rising")
    #expect(scan.int("kinds.fix") == 12)
    #expect(scan.int("kinds.feature") == 27)
    #expect(scan.int("kinds.revert") == 1)
    #expect(scan.int("kinds.merge") == 0)
    #expect(scan.int("kinds.other") == 0)
    #expect(scan.int("fixShare.commits") == 20)
    #expect(scan.int("fixShare.fixes") == 10)
    #expect(scan.double("fixShare.share") == 0.5)
    #expect(scan.int("fixShare.previousCommits") == 20)
    #expect(scan.int("fixShare.previousFixes") == 2)
    let quarters = try #require(scan["fixShareByQuarter"]?.arrayValue)
    #expect(quarters.map { $0["quarter"]?.stringValue ?? "" } == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"])
    #expect(quarters.map { $0["fixes"]?.intValue ?? -1 } == [2, 0, 0, 10])
    #expect(quarters[0]["share"]?.doubleValue == 0.1)
    #expect(quarters[1]["share"] == .null)
    let finding = try #require(scan.findings("rising-fix-share").first)
    #expect(finding.severity == .medium)
    #expect(finding.location.commit == (try scan.commit(subject: "Fix crash on save (10)")))
    #expect(finding.message.contains("10 of 20 commits were fixes (50%)"))
  }

  @Test func dumpCommit() throws {
    let scan = try CadenceScan("cadence-dump-commit")
    #expect(scan.int("landing.dumpCommits") == 1)
    let billing = try scan.commit(subject: "Billing module")
    #expect(scan.string("landing.dumps.0.commit") == billing)
    #expect(scan.int("landing.dumps.0.files") == 60)
    #expect(scan.int("landing.dumps.0.linesAdded") == 2400)
    let finding = try #require(scan.findings("dump-commits").first)
    #expect(finding.location.commit == billing)
    #expect(finding.message.contains("Bob Dumper"))
  }

  @Test func contributorWhoStayedTwoWeeks() throws {
    let scan = try CadenceScan("cadence-short-stay")
    let people = try #require(scan["contributors"]?.arrayValue)
    #expect(people.map { $0["name"]?.stringValue ?? "" } == ["Ada Lovelace", "Bob Temp", "dependabot[bot]", "Carol New"])
    #expect(people.map { $0["commits"]?.intValue ?? -1 } == [37, 12, 5, 3])
    #expect(people.map { $0["bot"]?.boolValue ?? false } == [false, false, true, false])
    #expect(people.map { $0["shortStay"]?.boolValue ?? false } == [false, true, false, false])
    #expect(people[1]["first"]?.stringValue == "2024-03-01T11:00:00Z")
    #expect(people[1]["last"]?.stringValue == "2024-03-15T11:00:00Z")
    #expect(people[1]["tenureDays"]?.intValue == 14)
    #expect(people[0]["first"]?.stringValue == "2024-01-01T10:00:00Z")
    #expect(people[0]["last"]?.stringValue == "2024-12-01T10:00:00Z")
    #expect(scan.int("team.people") == 3)
    #expect(scan.int("team.bots") == 1)
    #expect(scan.int("team.shortStay.commits") == 12)
    let quarters = try #require(scan["team.quarters"]?.arrayValue)
    #expect(quarters.map { $0["joined"]?.intValue ?? -1 } == [2, 0, 0, 1])
    #expect(quarters.map { $0["left"]?.intValue ?? -1 } == [1, 0, 0, 0])
    #expect(quarters.map { $0["active"]?.intValue ?? -1 } == [2, 1, 1, 2])
    // Bots apart in the weekly series: Ada on Mondays, dependabot from Saturday 2024-06-01.
    let weeks = try #require(scan["weekly"]?.arrayValue)
    let may27 = try #require(weeks.first { $0["week"]?.stringValue == "2024-05-27" })
    #expect(may27["commits"]?.intValue == 3)
    #expect(may27["botCommits"]?.intValue == 2)
    #expect(may27["authors"]?.intValue == 1)
    let finding = try #require(scan.findings("short-stay-contributors").first)
    #expect(finding.severity == .medium)
    #expect(finding.message.contains("Bob Temp (12 commits from 2024-03-01 to 2024-03-15, 14 days)"))
    #expect(finding.message.contains("12 of 52 commits"))
    #expect(finding.location.commit == (try scan.commit(subject: "Bob day 15")))
  }

  @Test func nightWorkInIndia() throws {
    let scan = try CadenceScan("cadence-night-offset")
    #expect(scan.int("workingHours.commits") == 40)
    #expect(scan.int("workingHours.nightCommits") == 20)
    #expect(scan.int("workingHours.weekendCommits") == 0)
    #expect(scan.int("workingHours.zeroOffsetCommits") == 20)
    #expect(scan.int("workingHours.byHour.2") == 20)
    #expect(scan.int("workingHours.byHour.14") == 20)
    #expect(scan.int("workingHours.byHour.20") == 0)
    #expect(scan.int("workingHours.byWeekday.0") == 20)
    #expect(scan.int("workingHours.byWeekday.1") == 20)
    #expect(scan.int("workingHours.byWeekday.6") == 0)
    let ravi = try #require(scan["contributors"]?.arrayValue?.first { $0["name"]?.stringValue == "Ravi Kumar" })
    #expect(ravi["nightShare"]?.doubleValue == 1)
    #expect(ravi["weekendShare"]?.doubleValue == 0)
    // Weeks stay UTC: Ravi's first commit is Sunday 2024-03-10 20:30 UTC, in the week of 2024-03-04.
    #expect(scan.string("weekly.0.week") == "2024-03-04")
    let finding = try #require(scan.findings("off-hours-work").first)
    #expect(finding.message.contains("+0000"))
    #expect(finding.evidenceJSON["nightCommits"]?.intValue == 20)
  }

  @Test func offHoursAgainstOwnPattern() throws {
    let scan = try CadenceScan("cadence-off-hours-shift")
    let shifts = scan.findings("off-hours-shift")
    #expect(shifts.count == 1)
    let finding = try #require(shifts.first)
    #expect(finding.title.hasPrefix("Ada Lovelace"))
    #expect(finding.evidenceJSON["recentCommits"]?.intValue == 15)
    #expect(finding.evidenceJSON["recentOffHours"]?.intValue == 15)
    #expect(finding.evidenceJSON["earlierCommits"]?.intValue == 20)
    #expect(finding.evidenceJSON["earlierOffHours"]?.intValue == 0)
    #expect(finding.location.commit == (try scan.commit(subject: "Ada night 15")))
  }

  @Test func landingAgainstGit() throws {
    let scan = try CadenceScan("basic")
    func count(_ args: [String]) throws -> Int {
      Int(try Fixture.git(["rev-list", "--count"] + args + ["HEAD"], in: scan.repo).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
    let direct = try count(["--first-parent", "--no-merges"])
    #expect(scan.int("landing.mainlineDirectCommits") == direct)
    #expect(scan.int("landing.mainlineMerges") == (try count(["--first-parent", "--merges"])))
    #expect(scan.int("landing.commitsViaMerges") == (try count(["--no-merges"])) - direct)
    #expect(scan.int("landing.mergeCommits") == (try count(["--merges"])))
    #expect(scan.int("kinds.merge") == (try count(["--merges"])))
    #expect(scan.int("landing.coAuthoredCommits") == 1)
  }

  @Test func emptyRepository() throws {
    let scan = try CadenceScan(path: try Fixture.build(script: "", name: "cadence-empty"))
    #expect(scan["weekly"]?.arrayValue?.isEmpty == true)
    #expect(scan["daysSinceLastCommit"] == .null)
    #expect(scan.findings.isEmpty)
  }

  @Test func sameInputSameOutput() throws {
    let repo = try Fixture.build("cadence-short-stay")
    let a = try CadenceScan(path: repo), b = try CadenceScan(path: repo)
    #expect(a.metrics.serialized() == b.metrics.serialized())
    #expect(a.findings.map(\.id) == b.findings.map(\.id))
  }
}
