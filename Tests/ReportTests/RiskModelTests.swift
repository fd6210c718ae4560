import Foundation
import Report
@testable import SalvageCore
import TOML
import Testing

/// The risk model on the hand-built scan, with every answer worked out by hand from rules/report.toml.
@Suite struct RiskModelTests {
  let a = RiskModel.assess(SampleScan.full(), rules: .builtin)

  /// secrets: live 1 -> 30 (x3), history-only 1 -> 70 (x1): 40 D.
  /// hotspots: hot code 736/1166 = 63% -> 25 (x2), line-level rework 31% -> 20 (past the last band; the
  /// file-level measure is not scored when the lines were followed), 1 cross pair -> 80: 37.5 -> 38 F.
  /// ownership: truck factor 2 -> 55 (x2), orphaned 37% -> 50 (x2), islands 45% -> 75: 57 C.
  /// cadence: 0 days -> 100 (x2), commits -60% -> 25, fixes 55% -> 50, release 10 days ago -> 100: 75 B.
  /// tests: ratio 220/1052 = 0.21 -> 40 (x3), CI on pull requests -> 100, no coverage report (skipped): 55 C.
  /// dependencies: scorecard mean 3 -> 25 (x2), 3/3 manifests without lockfile -> 25, 6/8 unpinned -> 25: 25 F.
  @Test func areaScoresAndGrades() {
    let expected: [(String, Int, String)] = [
      ("secrets", 40, "D"), ("hotspots", 38, "F"), ("ownership", 57, "C"), ("cadence", 75, "B"), ("tests", 55, "C"), ("dependencies", 25, "F"),
    ]
    for (id, score, grade) in expected {
      #expect(a.area(id)?.score == score, "\(id)")
      #expect(a.area(id)?.grade == grade, "\(id)")
    }
  }

  /// Rework is scored on the figure the scan has, each on its own bands: line level when the lines were
  /// followed (above), else the hotspots' file level (31% -> 60): (25*2 + 60 + 80) / 4 = 47.5 -> 48 D.
  @Test func reworkIsScoredOnTheFileLevelFigureWithoutTheLines() {
    let full = SampleScan.full()
    let withoutLines = RiskModel.assess(ScanResult(context: full.context, results: full.results.filter { $0.id != "lines" }), rules: .builtin)
    let area = withoutLines.area("hotspots")
    #expect(area?.facts["reworkShare"] == 0.31 && area?.facts["lineReworkShare"] == nil)
    #expect(area?.score == 48 && area?.grade == "D")
    #expect(a.area("hotspots")?.facts["lineReworkShare"] == 0.31 && a.area("hotspots")?.facts["reworkShare"] == nil)
  }

  /// One high hit (45, weight 3), no other (100, weight 1), 1 of 4 packages vulnerable (25%: 20, weight 1):
  /// (135 + 100 + 20) / 5 = 51: D.
  @Test func vulnerabilitiesAreaIsGraded() {
    let area = a.area("vulnerabilities")!
    #expect(area.facts == ["severeHits": 1, "otherHits": 0, "criticalHits": 0, "vulnerableShare": 0.25])
    #expect(area.score == 51 && area.grade == "D")
    #expect(a.advice.contains { $0.finding.analyzer == "vulnerabilities" && $0.horizon == .beforeDeal && $0.remediation.rule == "known-vulnerability" })
  }

  /// (40*2 + 38*2 + 57*2 + 75 + 55*2 + 25 + 51*2 + 97) / 13 = 52.2: D; the live-secret cap (69) does not bite.
  /// Licences: (100 + 100*3 + 100 + 80 + 100) / 7 = 97.1 (one unrecognised licence scores 80).
  @Test func overallGrade() {
    #expect(a.area("licences")?.score == 97)
    #expect(a.score == 52)
    #expect(a.grade == "D")
    #expect(a.caps.isEmpty)
    #expect(a.headline.hasPrefix("Overall grade D (52 of 100). 32% of the code, by lines, is worth keeping."))
  }

  @Test func verdictsPerComponent() {
    let verdicts = Dictionary(uniqueKeysWithValues: a.components.map { ($0.path, $0.verdict) })
    #expect(verdicts == [".": .keep, ".github": .keep, "api": .refactor, "billing": .rewrite, "core": .keep, "docs": .keep, "web": .stabilize])
    let billing = a.components.first { $0.path == "billing" }!
    #expect(Set(billing.reasons.map(\.signal)).isSuperset(of: ["hotspot-heavy", "untested", "orphaned", "rework", "live-secret", "dependency-issues", "vulnerable-dependencies", "single-owner"]))
    #expect(billing.findings.count == 4, "the live key, the ledger hotspot, its knowledge island and the vulnerable requests pin")
    let api = a.components.first { $0.path == "api" }!
    #expect(api.reasons.map(\.signal) == ["hotspot-heavy", "tested", "secret-in-history", "dependency-issues", "coupled"])
    // api: the second rule (hotspot-heavy and one of complex, rework, untested, low-tests, orphaned, coupled): coupled only,
    // so medium. billing: the rewrite rule, medium raised twice by its support (rework 42%, coupled): high.
    #expect(api.confidence == .medium && api.decidedBy == ["hotspot-heavy", "coupled"] && api.against.isEmpty)
    #expect(billing.confidence == .high && billing.decidedBy == ["hotspot-heavy", "untested", "orphaned"])
    #expect(billing.corroboratedBy == ["rework", "coupled"])
    // keep + stabilize: core 140 + web 270 of 1,272 lines of code.
    #expect(abs((a.keepShare ?? 0) - 410.0 / 1272.0) < 1e-9)
    #expect(a.linesByVerdict[.rewrite] == 479 && a.linesByVerdict[.refactor] == 383)
  }

  @Test func everyFindingHasARemediation() {
    #expect(a.advice.count == SampleScan.full().findings.count)
    for advice in a.advice { #expect(!advice.remediation.text.isEmpty) }
    let ledger = a.advice.first { $0.finding.title == "Hotspot: billing/ledger.py" }!
    #expect(ledger.effort == .medium, "326 lines: between the 300 and 1,000 line bounds")
    #expect(a.advice.first { $0.finding.title == "Hotspot: api/orders.py" }!.effort == .small, "260 lines")
    #expect(a.advice.first { $0.finding.rule == "aws-access-key" }!.horizon == .beforeDeal)
    #expect(a.advice.first { $0.finding.rule == "releases-slowing" }!.horizon == .first90Days)
  }

  /// Priorities: critical 50, high 40, medium 30 plus the area's weight; a rewrite of 20% or more 45.
  @Test func risksAndActions() {
    #expect(a.risks.map(\.title) == [
      "AWS access key", "38% of the code needs a rewrite (billing)", "37% of the code was mainly written by people who left",
      "GitHub personal access token", "Hotspot known by one person: billing/ledger.py",
    ])
    let before = a.actions.filter { $0.horizon == .beforeDeal }.map(\.text)
    #expect(before.contains("Rotate and revoke every leaked credential, then purge it from the code (2 findings)"))
    #expect(before.contains { $0.hasPrefix("Price in the replacement of billing (479 lines)") })
    #expect(a.actions.contains { $0.horizon == .first90Days && $0.text.hasPrefix("Refactor api (383 lines)") })
  }

  @Test func inventoryOnlyLeavesAreasNotAssessed() {
    let only = RiskModel.assess(SampleScan.inventoryOnly(), rules: .builtin)
    #expect(only.areas.filter { $0.score != nil }.map(\.area.id) == ["tests"], "the test ratio comes from the file classes")
    #expect(only.area("tests")?.source?.hasPrefix("analyzers.inventory") == true)
    #expect(only.area("secrets")?.notAssessed == "the secrets analyzer did not run")
    #expect(only.notes.contains { $0.hasPrefix("Leaked credentials: not assessed") })
    #expect(only.components.first { $0.path == "billing" }?.reasons.map(\.signal) == ["untested", "hotspots-not-assessed", "ownership-not-assessed"])
  }

  /// The risk model reads typed outputs: a result that carries some other value (here, loose JSON of the
  /// right look) gives its area nothing, so the area is not assessed, and every format still renders.
  @Test func untypedAnalyzerOutputIsNotAssessed() {
    let scan = ScanResult(context: SampleScan.context(), results: [
      ("hotspots", AnalyzerResult(metrics: ["files": "oops", "rework": 3], components: ["x": "not an object"])),
      ("ownership", AnalyzerResult(metrics: ["truckFactor": ["value": 2]])),
      ("secrets", AnalyzerResult(metrics: ["live": 1, "historyOnly": 0])),
      ("cadence", AnalyzerResult(metrics: .null)),
      ("tests", AnalyzerResult(metrics: ["testLines": 10, "productionLines": 20])),
      ("dependencies", AnalyzerResult(metrics: ["manifests": [], "scorecard": [["score": 5]]])),
    ])
    let m = RiskModel.assess(scan, rules: .builtin)
    for area in ["hotspots", "ownership", "secrets", "cadence", "tests", "dependencies"] {
      #expect(m.area(area)?.score == nil, "\(area)")
      #expect(m.area(area)?.notAssessed == "its analyzer wrote none of the figures this area is scored on", "\(area)")
    }
    for format in OutputFormat.allCases { _ = format.renderer.render(SampleScan.report(scan), color: false) }
  }

  @Test func emptyRepository() {
    let m = RiskModel.assess(ScanResult(context: SampleScan.context(empty: true), results: []), rules: .builtin)
    #expect(m.score == nil && m.grade == nil && m.keepShare == nil)
    #expect(m.headline == "No history to assess: the repository has no commits yet.")
  }

  @Test func capsLimitTheOverallGrade() throws {
    // Nothing but a clean history and one live key: the areas average high, the cap holds it at 69.
    let live = SampleScan.result(SampleScan.secretsOutput(live: 1, historyOnly: 0))
    let cadence = SampleScan.result(SampleScan.cadenceOutput(daysSinceLastCommit: 1, daysSinceLastRelease: 5))
    let scan = ScanResult(context: SampleScan.context(), results: [("secrets", live), ("cadence", cadence)])
    let m = RiskModel.assess(scan, rules: .builtin)
    // secrets (30*3 + 100)/4 = 47.5 -> 48 (x2); cadence 100 (x1): (96 + 100)/3 = 65.3: under the cap.
    #expect(m.score == 65 && m.caps.isEmpty)
    let ownership = SampleScan.result(SampleScan.ownershipOutput(truckFactor: 6, orphanedShare: 0, islandShare: 0))
    let clean = RiskModel.assess(ScanResult(context: SampleScan.context(), results: [("secrets", live), ("ownership", ownership), ("cadence", cadence)]),
                                 rules: .builtin)
    // (96 + 200 + 100) / 5 = 79.2, capped to 69 by the live key.
    #expect(clean.score == 69)
    #expect(clean.grade == "C")
    #expect(clean.caps.count == 1)
  }

  /// The scan's own report.toml is the one in force: a user's file laid over the built-in one changes the
  /// grade, and a broken one is an error, never a silent fallback.
  @Test func theScansReportRulesAreInForce() throws {
    var texts = try RuleSet.load().texts
    // C from 50 instead of 55: the sample's 52 (a D under the built-in rules) becomes a C.
    texts["report.toml"] = texts["report.toml"]!.replacingOccurrences(of: "grade = \"C\"\nminimum = 55", with: "grade = \"C\"\nminimum = 50")
    let base = SampleScan.context()
    func scan(_ rules: RuleSet) -> ScanResult {
      ScanResult(context: ScanContext(options: base.options, rules: rules, classifier: base.classifier, repository: base.repository,
                                      history: base.history, snapshot: base.snapshot, components: base.components, now: base.now),
                 results: SampleScan.full().results)
    }
    let laid = try RiskModel.assess(scan(try RuleSet(texts: texts)))
    #expect(laid.score == 52 && laid.grade == "C")
    texts["report.toml"] = "[[grades]]\ngrade = 1\n"
    #expect(throws: RuleError.self) { try ReportModel(scan(try RuleSet(texts: texts))) }
  }

  @Test func builtinRulesParse() {
    let rules = RiskRules.builtin
    #expect(rules.areas.map(\.id) == ["secrets", "hotspots", "ownership", "cadence", "tests", "dependencies", "vulnerabilities", "licences"])
    #expect(rules.grades.map(\.grade) == ["A", "B", "C", "D", "F"])
    #expect(rules.verdicts.last?.verdict == .keep)
  }

  /// Each Scorecard check a finding can come from has a remediation of its own: "commit a lockfile"
  /// (the dependencies catch-all) answers none of them.
  @Test(arguments: ["token-permissions", "dangerous-workflow", "security-policy", "binary-artifacts", "license"])
  func scorecardFindingsGetTheirOwnRemediation(check: String) {
    let rules = RiskRules.builtin
    let own = rules.remediation(analyzer: "dependencies", rule: "scorecard-" + check)
    #expect(own?.rule == "scorecard-" + check)
    #expect(own?.text.contains("lockfile") == false)
    #expect(rules.remediation(analyzer: "dependencies", rule: "unpinned-requirements")?.rule == "*")
  }
}
