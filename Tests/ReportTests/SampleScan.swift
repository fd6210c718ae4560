@testable import Analyzers
import Foundation
import Report
@testable import SalvageCore

/// A scan built by hand from every analyzer's typed output (their internal initialisers, through
/// @testable), so that every section of the report has something to show. Fixed values only: the
/// goldens rendered from it never change unless the report does.
enum SampleScan {
  static let head = "0123456789abcdef0123456789abcdef01234567"

  static func context(path: String = "/work/acme-shop", empty: Bool = false, shallow: Bool = false) -> ScanContext {
    let rules = try! RuleSet.load()
    let repository = RepositoryInfo(
      path: path, head: empty ? nil : head, branch: "main", revision: nil, commitCount: empty ? 0 : 149,
      firstCommit: empty ? nil : UTC.parse("2023-01-02T10:00:00Z"), lastCommit: empty ? nil : UTC.parse("2024-03-27T12:00:00Z"),
      shallow: shallow, bare: false, empty: empty)
    return ScanContext(options: ScanOptions(path: path), rules: rules, classifier: try! PathClassifier(rules: rules), repository: repository,
                       history: History(), snapshot: Snapshot(files: []), components: ComponentMap(paths: []),
                       now: UTC.parse("2024-03-27T12:00:00Z")!)
  }

  /// The report of a hand-built scan (its rules are the built-in ones).
  static func report(_ scan: ScanResult) -> ReportModel {
    ReportModel(scan, assessment: RiskModel.assess(scan, rules: .builtin))
  }

  /// Every analyzer, in the registry's order, with findings of each kind.
  static func full(path: String = "/work/acme-shop", hostile: Bool = false) -> ScanResult {
    ScanResult(context: context(path: path), results: [
      ("inventory", inventory()), ("secrets", secrets()), ("hotspots", hotspots(hostile: hostile)), ("ownership", ownership(hostile: hostile)),
      ("lines", lines(hostile: hostile)), ("cadence", cadence()), ("tests", tests()), ("dependencies", dependencies()),
      ("vulnerabilities", vulnerabilities()), ("licences", licences()),
    ])
  }

  /// Only the foundation's analyzer: every other area is "not assessed".
  static func inventoryOnly() -> ScanResult {
    ScanResult(context: context(), results: [("inventory", inventory())])
  }

  static func ts(_ iso: String) -> Timestamp { Timestamp(UTC.parse(iso)!) }

  /// A result as the Scanner makes it: the typed output and the same encoded.
  static func result<Output: AnalyzerOutput>(_ output: Output, findings: [Finding] = [], components: [String: any AnalyzerOutput] = [:]) -> AnalyzerResult {
    try! AnalyzerResult(Analysis(output, findings: findings, components: components))
  }

  static func file(_ path: String, _ cls: FileClass, _ lines: Int, _ language: String?) -> InventoryOutput.File {
    .init(path: path, fileClass: cls, language: language, lines: lines, size: lines * 30, revisions: 1, added: lines, deleted: 0, authors: 1,
          lastChanged: ts("2024-03-27T12:00:00Z"))
  }

  static func inventory() -> AnalyzerResult {
    let files: [InventoryOutput.File] = [
      file(".github/workflows/ci.yml", .config, 12, "YAML"), file("README.md", .docs, 3, "Markdown"),
      file("api/config.py", .source, 3, "Python"), file("api/orders.py", .source, 260, "Python"),
      file("api/test_orders.py", .test, 120, "Python"), file("billing/invoices.py", .source, 150, "Python"),
      file("billing/ledger.py", .source, 326, "Python"), file("billing/settings.py", .source, 3, "Python"),
      file("core/money.py", .source, 80, "Python"), file("core/test_money.py", .test, 60, "Python"),
      file("docs/architecture.md", .docs, 4, "Markdown"), file("web/package.json", .config, 7, "JSON"),
      file("web/src/app.js", .source, 140, "JavaScript"), file("web/src/cart.js", .source, 90, "JavaScript"),
      file("web/src/cart.test.js", .test, 40, "JavaScript"),
    ]
    let output = InventoryOutput(
      commits: 149, mergeCommits: 0, authors: 5, firstCommit: ts("2023-01-02T10:00:00Z"), lastCommit: ts("2024-03-27T12:00:00Z"),
      tags: 5, totalFiles: 15, totalLines: 1298,
      classes: [.init(fileClass: .config, files: 2, lines: 19), .init(fileClass: .docs, files: 2, lines: 7),
                .init(fileClass: .source, files: 8, lines: 1052), .init(fileClass: .test, files: 3, lines: 220)],
      languages: [.init(language: "Python", files: 8, lines: 1002), .init(language: "JavaScript", files: 3, lines: 270)],
      files: files)
    func c(_ files: Int, _ lines: Int, _ loc: Int) -> InventoryOutput.Component { .init(files: files, lines: lines, loc: loc) }
    return result(output, components: [
      ".": c(1, 3, 0), ".github": c(1, 12, 0), "api": c(3, 383, 383), "billing": c(3, 479, 479), "core": c(2, 140, 140), "docs": c(1, 4, 0),
      "web": c(4, 277, 270),
    ])
  }

  static func secrets() -> AnalyzerResult {
    let live = Finding(
      analyzer: "secrets", rule: "aws-access-key", key: "fp-aws", severity: .critical, title: "AWS access key",
      message: "An AWS access key id and its secret are in billing/settings.py, introduced by Dana Departed on 2023-03-03.",
      location: Location(path: "billing/settings.py", line: 1, commit: "1111111111111111111111111111111111111111"),
      evidence: secretEvidence(inHead: true, fingerprint: "sha256:7f3a", preview: "AKIA…(20 chars)", locations: [.init(path: "billing/settings.py", line: 1)]))
    let gone = Finding(
      analyzer: "secrets", rule: "github-pat", key: "fp-gh", severity: .high, title: "GitHub personal access token",
      message: "A GitHub token was committed to api/config.py and removed a week later; it survives in history.",
      location: Location(path: "api/config.py", line: 2, commit: "2222222222222222222222222222222222222222"),
      evidence: secretEvidence(inHead: false, fingerprint: "sha256:19be", preview: "ghp_…(40 chars)", locations: []))
    return result(secretsOutput(live: 1, historyOnly: 1), findings: [live, gone])
  }

  static func secretEvidence(inHead: Bool, fingerprint: String, preview: String, locations: [SecretEvidence.Place]) -> SecretEvidence {
    SecretEvidence(
      kind: "secret", inHead: inHead, tipUnscanned: false, fingerprint: fingerprint, preview: preview, occurrences: locations.count, commits: 1,
      locations: locations, introduced: nil, inTestPath: false, context: .live, verdict: "unchecked", reason: nil, ruleSeverity: "high",
      alsoMatchedBy: [], tags: inHead ? [] : ["history-only"])
  }

  static func secretsOutput(live: Int, historyOnly: Int) -> SecretsOutput {
    SecretsOutput(
      findings: live + historyOnly, secrets: live + historyOnly, sensitiveFiles: 0,
      bySeverity: NamedCounts(Severity.allCases.reversed()) { $0 == .critical || $0 == .high ? 1 : 0 },
      byRule: NamedCounts(sorting: ["aws-access-key": 1, "github-pat": 1]), live: live, historyOnly: historyOnly,
      byContext: NamedCounts(SecretContext.allCases) { $0 == .live ? live + historyOnly : 0 }, tipUnscanned: 0, inTestPaths: 0,
      oldestUnrotated: .init(findingId: "secret.gh", rule: "github-pat", fingerprint: "sha256:19be", preview: "ghp_…(40 chars)", inHead: false,
                             commit: "2222222222222222222222222222222222222222", author: "Dana Departed", date: ts("2023-02-11T15:00:00Z"),
                             path: "api/config.py", line: 2, ageDays: 410),
      rules: .init(patterns: 120, files: 8),
      scanned: .init(tipFiles: 15, tipBytes: 38_940, tipSkippedBinary: 0, tipSkippedLarge: 0, historyRuns: 300, historyBytes: 52_000,
                     historySkippedRuns: 0, droppedSecrets: 0, regexLimitHits: 0, longLines: 0, truncatedLines: 0, regexRuns: 640, regexBytes: 27_300),
      limits: .init(tipFileBytes: 1_048_576, historyRunBytes: 1_048_576, maxLocations: 20))
  }

  static func hot(_ path: String, _ component: String, _ revisions: Int, _ loc: Int, _ complexity: Int, _ score: Double, _ hot: Bool,
                  rank: Int) -> HotspotsOutput.File {
    .init(path: path, component: component, fileClass: path.contains("test") ? .test : .source, rank: rank, hot: hot, score: score,
          revisions: revisions, added: loc + revisions * 3, deleted: revisions * 3, authors: 2, firstChange: ts("2023-01-02T10:00:00Z"),
          lastChange: ts("2024-03-20T10:00:00Z"), ageMonths: 14, lines: loc, loc: loc, complexity: complexity, maxNesting: 4,
          trend: .init(FileActivity.Totals()), rework: .init(lines: 0, share: 0))
  }

  static func hotspots(hostile: Bool) -> AnalyzerResult {
    let odd = hostile ? "web/src/<script>alert(\"x\")</script>.js" : "web/src/app.js"
    let files = [
      hot("billing/ledger.py", "billing", 32, 326, 1240, 1.0, true, rank: 1), hot("api/orders.py", "api", 48, 260, 690, 0.82, true, rank: 2),
      hot("billing/invoices.py", "billing", 16, 150, 410, 0.31, true, rank: 3), hot("web/src/cart.js", "web", 23, 90, 160, 0.12, false, rank: 4),
      hot(odd, "web", 5, 140, 190, 0.06, false, rank: 5), hot("api/test_orders.py", "api", 10, 120, 60, 0.03, false, rank: 6),
      hot("core/money.py", "core", 3, 80, 40, 0.01, false, rank: 7),
    ]
    let output = HotspotsOutput(
      thresholds: HotspotRules().echoed, analyzedFiles: 7, excludedFiles: .init(byClass: 8, byAttributes: 0), hotCount: 3,
      files: files,
      coupling: [.init(a: "api/orders.py", b: "billing/ledger.py", shared: 7, degree: 35, revisionsA: 48, revisionsB: 32, averageRevisions: 40,
                       componentA: "api", componentB: "billing", crossComponent: true, expected: nil)],
      couplingCommits: .init(considered: 149, skippedOverLimit: 0),
      rework: .init(changedLines: 2400, reworkLines: 744, share: 0.31))
    let findings = [
      Finding(analyzer: "hotspots", rule: "hotspot", key: "billing/ledger.py", severity: .medium, title: "Hotspot: billing/ledger.py",
              message: "billing/ledger.py is hotspot #1 of 7 files: it changed in 32 commits by 1 person and holds 326 lines of code with an indentation complexity of 1,240.",
              location: Location(path: "billing/ledger.py"), evidence: HotspotsOutput.HotspotEvidence(rank: 1, score: 1.0, revisions: 32, authors: 1, loc: 326, complexity: 1240, maxNesting: 4, trend: .init(FileActivity.Totals()))),
      Finding(analyzer: "hotspots", rule: "hotspot", key: "api/orders.py", severity: .medium, title: "Hotspot: api/orders.py",
              message: "api/orders.py is hotspot #2 of 7 files: it changed in 48 commits by 2 people.",
              location: Location(path: "api/orders.py"), evidence: HotspotsOutput.HotspotEvidence(rank: 2, score: 0.82, revisions: 48, authors: 2, loc: 260, complexity: 690, maxNesting: 4, trend: .init(FileActivity.Totals()))),
      Finding(analyzer: "hotspots", rule: "cross-component-coupling", key: "api/orders.py\u{0}billing/ledger.py", severity: .low,
              title: "Coupled across components: api/orders.py and billing/ledger.py",
              message: "api/orders.py and billing/ledger.py changed together in 7 commits, 35% of their average revisions.",
              location: Location(path: "api/orders.py"), evidence: HotspotsOutput.CouplingEvidence(
                a: "api/orders.py", b: "billing/ledger.py", componentA: "api", componentB: "billing", shared: 7, degree: 35, revisionsA: 48,
                revisionsB: 32)),
      Finding(analyzer: "hotspots", rule: "high-rework", key: "repository", severity: .medium, title: "High rework across the code base",
              message: "31% of all changed lines went into files changed by another commit within the previous 21 days.",
              evidence: HotspotsOutput.ReworkEvidence(changedLines: 2400, reworkLines: 744, share: 0.31)),
    ] + (hostile ? [Finding(analyzer: "hotspots", rule: "hotspot", key: odd, severity: .low, title: "Hotspot: \(odd)",
                            message: "Message with <img src=x onerror=alert(1)> and 'quotes' & \"double quotes\" and `ticks` | pipes [link](http://x) \u{1B}[31mred",
                            location: Location(path: odd), evidence: HotspotsOutput.HotspotEvidence(rank: 5, score: 0.1, revisions: 20, authors: 2, loc: 140, complexity: 300, maxNesting: 4, trend: .init(FileActivity.Totals())))] : [])
    func c(_ files: Int, _ loc: Int, _ hotFiles: Int, _ reworkShare: Double, _ crossComponentPairs: Int) -> HotspotsOutput.Component {
      .init(files: files, revisions: files * 10, added: loc, deleted: 0, loc: loc, complexity: loc * 3 / 2, hotFiles: hotFiles, topHotspot: nil,
            topScore: nil, reworkShare: reworkShare, couplingPairs: crossComponentPairs, crossComponentPairs: crossComponentPairs)
    }
    return result(output, findings: findings, components: [
      "api": c(2, 380, 1, 0.12, 1), "billing": c(2, 476, 2, 0.42, 1), "core": c(1, 80, 0, 0.0, 0), "web": c(2, 230, 0, 0.08, 0),
    ])
  }

  static func ownership(hostile: Bool) -> AnalyzerResult {
    let dana = hostile ? "Dana \"<b>Departed</b>\"" : "Dana Departed"
    let output = ownershipOutput(truckFactor: 2, orphanedShare: 0.37, islandShare: 0.45, dana: dana)
    let findings = [
      Finding(analyzer: "ownership", rule: "orphaned-code", key: "repository", severity: .high,
              title: "37% of the code was mainly written by people who left",
              message: "479 of 1,298 lines are in files whose main developer has made no commit in the last 180 days: \(dana).",
              evidence: OwnershipOutput.OrphanedEvidence(
                orphanedLines: 479, totalLines: 1298, share: 0.37, files: 3, formerDevelopers: [.init(name: dana, lines: 479)])),
      Finding(analyzer: "ownership", rule: "hotspot-knowledge-island", key: "billing/ledger.py", severity: .high,
              title: "Hotspot known by one person: billing/ledger.py",
              message: "billing/ledger.py is hotspot #1 and 97% of its lines were written by \(dana), who has made no commit in the last 180 days.",
              location: Location(path: "billing/ledger.py"), evidence: OwnershipOutput.IslandEvidence(rank: 1, mainDeveloper: dana, share: 0.97, former: true)),
    ]
    func c(_ files: Int, _ lines: Int, _ people: [String], _ orphanedShare: Double) -> OwnershipOutput.Component {
      .init(files: files, lines: lines, truckFactor: people.count, truckFactorPeople: people, orphanedShare: orphanedShare, knowledgeIslands: 0,
            mainDevelopers: [])
    }
    return result(output, findings: findings, components: [
      "api": c(3, 383, ["Alice Founder", "Bob Builder"], 0.0), "billing": c(3, 479, [dana], 1.0), "core": c(2, 140, ["Alice Founder"], 0.0),
      "web": c(3, 270, ["Bob Builder"], 0.05),
    ])
  }

  /// Three quarters of history: the burndown, the authors of today's lines, line-level rework.
  static func lines(hostile: Bool) -> AnalyzerResult {
    let dana = hostile ? "Dana \"<b>Departed</b>\"" : "Dana Departed"
    let rework = LinesOutput.Rework(added: 2400, reworked: 744, share: 0.31)
    let output = LinesOutput(
      thresholds: .init(excludeClasses: [.vendored], reworkDays: 21), analyzedFiles: 11, totalLines: 1298,
      authors: [.init(name: "Alice Founder", email: "alice@acme.test", lines: 610, share: 0.47),
                .init(name: dana, email: "dana@acme.test", lines: 479, share: 0.37),
                .init(name: "Bo Builder", email: "bo@acme.test", lines: 150, share: 0.12),
                .init(name: "Cy Young", email: "cy@acme.test", lines: 59, share: 0.05)],
      medianAgeDays: 212, age: [.init(quarter: "2023-Q3", lines: 700), .init(quarter: "2023-Q4", lines: 380), .init(quarter: "2024-Q1", lines: 218)],
      burndown: .init(quarters: ["2023-Q3", "2023-Q4", "2024-Q1"], alive: [[900], [780, 500], [700, 380, 218]]),
      halfLifeDays: nil,
      rework: .init(days: 21, overall: rework, byPerson: [], byQuarter: [.init(quarter: "2024-Q1", added: 2400, reworked: 744, share: 0.31)]),
      files: [])
    return result(output, components: ["billing": LinesOutput.Component(lines: 479, medianAgeDays: 300, authors: [], reworkAdded: 900,
                                                                         reworked: 360, reworkShare: 0.4)])
  }

  static func ownershipOutput(truckFactor: Int, orphanedShare: Double, islandShare: Double, dana: String = "Dana Departed") -> OwnershipOutput {
    OwnershipOutput(
      thresholds: OwnershipRules().echoed, analyzedFiles: 11, excludedFiles: .init(byClass: 4, byAttributes: 0),
      truckFactor: .init(value: truckFactor, people: [.init(name: "Alice Founder", email: "alice@acme.test", files: 6, former: false),
                                                      .init(name: dana, email: "dana@acme.test", files: 3, former: true)].prefix(truckFactor).map { $0 },
                         files: 11, coverageAfter: 0.45),
      orphanedBasis: "files", orphanedShare: orphanedShare, orphanedLines: 479, orphanedFiles: 3, totalLines: 1298,
      knowledgeIslands: .init(files: 5, lines: 590, share: islandShare), contributors: 4, formerContributors: 2, botCommits: 0, bots: [],
      people: [], files: [.init(path: "billing/ledger.py", component: "billing", lines: 326, mainDeveloper: dana, mainDeveloperEmail: "dana@acme.test",
                                share: 0.97, contributors: 1, minorContributors: 0, fragmentation: 0.03, authors: [dana], island: true, orphaned: true)],
      identities: [], suggestedMailmap: "")
  }

  static func cadence() -> AnalyzerResult {
    // 65 weeks from Monday 2 January 2023, a busy first half, a dip, a slower last quarter.
    var weeks: [CadenceOutput.Week] = []
    for w in 0..<65 {
      let day = UTC.days(year: 2023, month: 1, day: 2) + Int64(w * 7)
      let commits = w < 26 ? 3 + (w * 5) % 4 : w < 52 ? 1 + (w * 7) % 3 : (w % 3 == 0 ? 1 : 0)
      weeks.append(.init(week: UTC.date(day * 86400), commits: commits, botCommits: 0, authors: min(commits, 3), linesChanged: commits * 14,
                         activeDays: min(commits, 5)))
    }
    let output = cadenceOutput(
      daysSinceLastCommit: 0, daysSinceLastRelease: 10, weekly: weeks,
      last90Days: window(days: 90, commits: figures(8, 20), summary: "Commits down 60% (8 in the last 90 days against 20 in the 90 days before)."),
      fixShare: 0.55)
    let findings = [
      Finding(analyzer: "cadence", rule: "releases-slowing", key: "releases", severity: .low, title: "Releases are slowing down",
              message: "The last releases came 161 days apart, against 60 days before.", evidence: CadenceEvidence.ReleasesSlowing(
                recentMedianDays: 161, previousMedianDays: 60, recentReleases: [.init(tag: "v0.5.0", date: ts("2024-03-17T18:00:00Z"))],
                earlierReleases: [.init(tag: "v0.1.0", date: ts("2023-02-01T10:00:00Z"))])),
      Finding(analyzer: "cadence", rule: "stalling-delivery", key: "90d", severity: .medium, title: "Delivery is stalling",
              message: "Commits down 60% in the last 90 days against the 90 days before.", evidence: CadenceEvidence.Stall(
                window: "last 90 days", from: ts("2023-12-28T12:00:00Z"), to: ts("2024-03-27T12:00:00Z"), previousFrom: ts("2023-09-29T12:00:00Z"),
                commits: 8, previousCommits: 20, authors: 2, previousAuthors: 3, change: -0.6)),
    ]
    return result(output, findings: findings)
  }

  static func figures(_ current: Int, _ previous: Int) -> CadenceOutput.TrendFigures {
    .init(current: current, previous: previous, change: previous > 0 ? Double(current - previous) / Double(previous) : nil,
          direction: current < previous ? "down" : current > previous ? "up" : "flat")
  }

  static func window(days: Int, commits: CadenceOutput.TrendFigures, comparable: Bool = true, summary: String = "") -> CadenceOutput.Window {
    let to = ts("2024-03-27T12:00:00Z")
    return .init(days: days, from: Timestamp(to.seconds - Int64(days) * 86400), to: to, previousFrom: Timestamp(to.seconds - Int64(2 * days) * 86400),
                 commits: commits, authors: figures(0, 0), linesChanged: figures(0, 0), comparable: comparable, summary: summary)
  }

  static func cadenceOutput(daysSinceLastCommit: Int, daysSinceLastRelease: Int, weekly: [CadenceOutput.Week] = [],
                            last90Days: CadenceOutput.Window = window(days: 90, commits: figures(0, 0), comparable: false),
                            fixShare: Double? = nil) -> CadenceOutput {
    CadenceOutput(
      now: ts("2024-03-27T12:00:00Z"), firstCommit: ts("2023-01-02T10:00:00Z"), lastCommit: ts("2024-03-27T12:00:00Z"),
      daysSinceLastCommit: daysSinceLastCommit, commits: 149, weekly: weekly, monthly: [],
      trends: .init(last90Days: last90Days, last12Months: window(days: 365, commits: figures(0, 0), comparable: false)),
      liveness: .init(daysSinceLastCommit: daysSinceLastCommit, daysSinceLastHumanCommit: daysSinceLastCommit, lastCommit: head, maintained: true,
                      maintainedRule: "OpenSSF Scorecard: at least one commit in the last 90 days", windowDays: 90, commitsInWindow: 20,
                      humanCommitsInWindow: 20, activeDaysPerWeek: 1.5, activeDaysPerWeekInWindow: 1.2, longestGaps: []),
      releases: [("v0.1.0", "2023-02-01T10:00:00Z"), ("v0.2.0", "2023-04-02T18:00:00Z"), ("v0.3.0", "2023-06-01T18:00:00Z"),
                 ("v0.4.0", "2023-10-09T18:00:00Z"), ("v0.5.0", "2024-03-17T18:00:00Z")].map { tag, date in
        CadenceOutput.Release(tag: tag, date: ts(date), commit: String(repeating: "5", count: 40), kind: "feature", annotated: true)
      },
      releaseCadence: .init(releases: 5, counted: "version tags", patchReleases: 0, prereleases: 0, maintenanceReleases: 0, firstRelease: "v0.1.0",
                            lastRelease: "v0.5.0", lastReleaseDate: ts("2024-03-17T18:00:00Z"), daysSinceLastRelease: daysSinceLastRelease,
                            recentMedianDays: 161, previousMedianDays: 60, direction: "slowing", rule: "semver tags", intervals: []),
      kinds: NamedCounts(CommitKind.allCases) { ["fix": 80, "feature": 40, "chore": 3, "docs": 2][$0.rawValue] ?? 0 }, wipCommits: 0,
      fixShare: .init(days: 90, commits: 20, fixes: fixShare.map { Int($0 * 20) } ?? 0, share: fixShare, previousCommits: 20, previousFixes: 8,
                      previousShare: fixShare == nil ? nil : 0.4),
      fixShareByQuarter: [],
      landing: .init(commits: 0, mergeCommits: 0, mergeShare: 0, mainlineDirectCommits: 0, mainlineMerges: 0, commitsViaMerges: 0, viaMergesShare: 0,
                     pullRequestReferences: 0, coAuthoredCommits: 0, coAuthoredShare: 0, dumpCommits: 0, dumpRule: "", dumps: []),
      team: .init(people: 4, bots: 0, humanCommits: 149, botCommits: 0, medianTenureDays: 210, peopleWithOneCommit: 0,
                  leftRule: "no commit in the last 90 days",
                  shortStay: .init(rule: "active less than 30 days, at least 3 commits, gone for 90 days", people: 0, commits: 0, share: 0), quarters: []),
      contributors: [.init(name: "Alice Founder", email: "alice@acme.example", first: ts("2023-01-02T10:00:00Z"), last: ts("2024-03-27T18:00:00Z"),
                           commits: 70, bot: false, tenureDays: 450, left: false, shortStay: false, nightShare: 0.1, weekendShare: 0.05)],
      workingHours: .init(basis: "author time in the author's own UTC offset; people only", night: "22:00 to 6:00", commits: 149, nightCommits: 15,
                          nightShare: 0.1007, weekendCommits: 7, weekendShare: 0.047, zeroOffsetCommits: 0, zeroOffsetShare: 0,
                          byHour: Array(repeating: 0, count: 24), byWeekday: Array(repeating: 0, count: 7), shifted: []))
  }

  static func tests() -> AnalyzerResult {
    let output = TestsOutput(
      counts: .init(TestsAnalyzer.Counts(testFiles: 3, testLines: 220, productionFiles: 8, productionLines: 1052)), languages: [],
      declaredTestFolders: [],
      frameworks: [.init(name: "pytest", language: "Python", evidence: ["api/test_orders.py"]),
                   .init(name: "jest", language: "JavaScript", evidence: ["web/package.json"])],
      ci: [.init(path: ".github/workflows/ci.yml", system: "GitHub Actions", runsTests: true, testCommands: ["pytest"],
                 runsTestsOnPullRequests: true, basis: "on: pull_request")],
      coverageConfig: [], coverageReports: [], coEvolution: .init(productionCommits: 100, withTests: 30, share: 0.3, byYear: []), hotspots: [])
    func c(_ testLines: Int, _ productionLines: Int) -> TestsOutput.CodeCounts {
      .init(TestsAnalyzer.Counts(testFiles: testLines > 0 ? 1 : 0, testLines: testLines, productionFiles: 2, productionLines: productionLines))
    }
    return result(output, components: ["api": c(120, 263), "billing": c(0, 479), "core": c(60, 80), "web": c(40, 230)])
  }

  static func dependencies() -> AnalyzerResult {
    func direct(_ name: String, _ requirement: String, _ pinned: Bool) -> DependenciesOutput.Direct {
      .init(name: name, requirement: requirement, pinned: pinned, scope: "runtime", looseness: pinned ? nil : "range")
    }
    let manifests: [DependenciesOutput.Manifest] = [
      .init(path: "api/pyproject.toml", ecosystem: "pypi", package: nil, scriptTargets: [], lockfile: nil, direct: [direct("flask", "==3.0.0", true), direct("sqlalchemy", "==2.0.25", true)],
            indirect: 0, indirectDependencies: [], resolved: 0, error: nil),
      .init(path: "billing/requirements.txt", ecosystem: "pypi", package: nil, scriptTargets: [], lockfile: nil, direct: [direct("stripe", ">=2.0", false), direct("requests", "", false)],
            indirect: 0, indirectDependencies: [], resolved: 0, error: nil),
      .init(path: "web/package.json", ecosystem: "npm", package: nil, scriptTargets: [], lockfile: nil,
            direct: [direct("react", "^18.2.0", false), direct("axios", "^1.6.0", false), direct("moment", "*", false), direct("jest", "^29.0.0", false)],
            indirect: 0, indirectDependencies: [], resolved: 0, error: nil),
    ]
    let output = DependenciesOutput(
      ecosystems: [.init(ecosystem: "npm", manifests: 1, lockfiles: 0, direct: 4, unpinned: 4, resolved: 0),
                   .init(ecosystem: "pypi", manifests: 2, lockfiles: 0, direct: 4, unpinned: 2, resolved: 0)],
      totals: .init(manifests: 3, lockfiles: 0, direct: 8, resolved: 0, transitiveAmplification: nil), manifests: manifests, lockfiles: [],
      manifestsWithoutLockfile: manifests.map(\.path), mixedLockfiles: [], severalVersions: [], resolvedWithSeveralVersions: .init(packages: 0, top: []), sameJob: [],
      vendored: .init(files: 0, lines: 0, share: 0, kinds: []),
      manifestChurn: .init(commits: 0, perMonth: nil, manifestWithoutLockfileChange: 0, lockfileOnly: 0, lastChange: nil, byYear: []), malformed: [],
      scorecard: [
        .init(check: "Binary-Artifacts", score: 10, reason: "no binaries found", risk: "High"),
        .init(check: "Dependency-Update-Tool", score: 0, reason: "no update tool configuration", risk: "High"),
        .init(check: "Pinned-Dependencies", score: 2, reason: "6 of 8 dependencies not pinned", risk: "Medium"),
        .init(check: "Security-Policy", score: 0, reason: "no SECURITY.md", risk: "Medium"),
        .init(check: "Token-Permissions", score: -1, reason: "not assessed: no workflow permissions to read", risk: nil),
      ])
    let findings = [
      Finding(analyzer: "dependencies", rule: "no-lockfile", key: "web/package.json", severity: .medium, title: "No lockfile for web/package.json",
              message: "web/package.json declares 4 dependencies with ranges and no lockfile: every install may resolve different versions.",
              location: Location(path: "web/package.json", line: 1), evidence: DependenciesOutput.NoLockfileEvidence(manifests: ["web/package.json"], unpinnedDirect: 4)),
    ]
    return result(output, findings: findings)
  }

  /// One high advisory on a pinned requirement, pinned for 420 days.
  static func vulnerabilities() -> AnalyzerResult {
    let hit = VulnerabilitiesOutput.Hit(
      id: "GHSA-x84v-xcm2-53pg", aliases: ["CVE-2018-18074"], summary: "Insufficiently Protected Credentials in Requests", severity: "high",
      score: 7.5, vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", ecosystem: "PyPI", package: "requests", version: "2.19.0",
      range: "< 2.20.0", fixed: "2.20.0", direct: true, lockfile: "billing/requirements.txt",
      vulnerableSince: .init(commit: "89abcdef0123456789abcdef0123456789abcdef", date: "2023-02-01", days: 420, version: "2.19.0"),
      introducedByChange: nil)
    var severities = VulnerabilitiesOutput.Severities()
    severities.count("high")
    let output = VulnerabilitiesOutput(
      status: "assessed", note: nil, advisories: .init(path: "/data/osv/PyPI.zip", records: 14_310, withdrawn: 12, unreadable: 0, otherEcosystems: 0),
      packagesChecked: 4, packagesVulnerable: 1, uncheckedEcosystems: [], severities: severities, hits: [hit])
    return result(output, findings: [VulnerabilitiesAnalyzer.finding(hit)],
                  components: ["billing": VulnerabilitiesOutput.Component(hits: 1, severities: severities, packages: ["requests 2.19.0"])])
  }

  /// An MIT product with a vendored LGPL library and one vendored file whose licence is not recognised.
  static func licences() -> AnalyzerResult {
    let arrived = LicencesOutput.Arrival(commit: "3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d", date: "2023-06-01", author: "Jane Doe")
    let output = LicencesOutput(
      licence: .init(id: "MIT", kind: "permissive", confidence: 1, source: "LICENSE"),
      declarations: [.init(path: "LICENSE", source: "licence file", id: "MIT", kind: "permissive", confidence: 1),
                     .init(path: "web/package.json", source: "manifest", id: "MIT", kind: "permissive", confidence: 1)],
      networkService: true, serviceMarkers: ["Dockerfile"],
      networkServiceBasis: "a guess from marker files (Dockerfile), not confirmed from the code or its deployment", fileHeaders: [.init(id: "LGPL-2.1-or-later", kind: "weak-copyleft", files: 1)],
      thirdParty: [
        .init(path: "web/vendor/chartlib.js", source: "file header", package: nil, id: "LGPL-2.1-or-later", kind: "weak-copyleft", confidence: 0.9,
              vendored: true, component: "web", risk: "weak-copyleft", arrived: arrived),
        .init(path: "web/vendor/oddlib/LICENSE", source: "licence file", package: nil, id: nil, kind: "unknown", confidence: 0,
              vendored: true, component: "web", risk: "unknown-licence", arrived: arrived),
      ],
      thirdPartyCount: 2,
      dependencies: .init(lockfiles: [], packages: [], resolved: 0, withLicence: 0, unknown: 0), incompatible: [],
      counts: .init(copyleft: 0, weakCopyleft: 1, unknown: 1, conflicts: 0))
    let findings = [
      Finding(analyzer: "licences", rule: "weak-copyleft", key: "web/vendor/chartlib.js", severity: .low,
              title: "Weak copyleft code in the product: web/vendor/chartlib.js (LGPL-2.1-or-later)",
              message: "web/vendor/chartlib.js is under LGPL-2.1-or-later (weak-copyleft, from its file header); the product is under MIT.",
              location: Location(path: "web/vendor/chartlib.js", commit: arrived.commit), evidence: LicencesOutput.ItemEvidence(
                licence: "LGPL-2.1-or-later", kind: "weak-copyleft", source: "file header", vendored: true, arrived: "2023-06-01")),
      Finding(analyzer: "licences", rule: "unknown-licence", key: "web/vendor/oddlib/LICENSE", severity: .low,
              title: "Third-party code under an unrecognised licence: web/vendor/oddlib/LICENSE (unrecognised)",
              message: "web/vendor/oddlib/LICENSE is under a licence Salvage does not recognise (unknown, from its licence file); the product is under MIT.",
              location: Location(path: "web/vendor/oddlib/LICENSE", commit: arrived.commit), evidence: LicencesOutput.ItemEvidence(licence: nil, kind: "unknown", source: "licence file", vendored: true, arrived: "2023-06-01")),
    ]
    return result(output, findings: findings, components: ["web": LicencesOutput.Component(declared: ["MIT"], thirdParty: 2, copyleft: 0, unknown: 1)])
  }
}
