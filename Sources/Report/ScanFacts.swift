import Analyzers
import SalvageCore

/// The facts the risk model scores, read from the analyzers' typed outputs: a renamed field is a compile
/// error here, not an area that quietly becomes "not assessed". An analyzer that did not run gives no
/// output, and its area says "not assessed" instead of guessing.
struct ScanFacts {
  let scan: ScanResult

  func ran(_ id: String) -> Bool { scan.results.contains { $0.id == id } }
  /// One component's typed facts from the analyzer that writes `Facts`; nil when it did not run or has none.
  func component<Facts: AnalyzerOutput>(_ path: String, _ type: Facts.Type) -> Facts? {
    for (_, result) in scan.results { if let facts = result.component(path, as: type) { return facts } }
    return nil
  }

  var inventory: InventoryOutput? { scan.output(InventoryOutput.self) }
  var secretsOutput: SecretsOutput? { scan.output(SecretsOutput.self) }
  var hotspotsOutput: HotspotsOutput? { scan.output(HotspotsOutput.self) }
  var ownershipOutput: OwnershipOutput? { scan.output(OwnershipOutput.self) }
  var linesOutput: LinesOutput? { scan.output(LinesOutput.self) }
  var cadenceOutput: CadenceOutput? { scan.output(CadenceOutput.self) }
  var testsOutput: TestsOutput? { scan.output(TestsOutput.self) }
  var dependenciesOutput: DependenciesOutput? { scan.output(DependenciesOutput.self) }
  var vulnerabilitiesOutput: VulnerabilitiesOutput? { scan.output(VulnerabilitiesOutput.self) }
  var licencesOutput: LicencesOutput? { scan.output(LicencesOutput.self) }

  /// The facts each area can be scored on, by area id: what `report.toml`'s measures may name.
  static let facts: [String: [String]] = [
    "secrets": ["live", "historyOnly"],
    "hotspots": ["hotCodeShare", "reworkShare", "lineReworkShare", "crossComponentCoupling"],
    "ownership": ["truckFactor", "orphanedShare", "islandShare"],
    "cadence": ["daysSinceLastCommit", "commitTrend90", "fixShare", "daysSinceLastRelease"],
    "tests": ["testRatio", "ciRunsTests", "lineCoverage"],
    "dependencies": ["scorecardAverage", "manifestsWithoutLockShare", "unpinnedShare"],
    "vulnerabilities": ["severeHits", "otherHits", "vulnerableShare", "criticalHits"],
    "licences": ["declaredLicence", "copyleftRisks", "ownCopyleft", "unknownLicences", "licenceConflicts"],
  ]

  /// The facts of one area and where they came from; nil when nothing is known about the area.
  func area(_ id: String) -> (facts: [String: Double], source: String)? {
    switch id {
    case "secrets": return secrets()
    case "hotspots": return hotspots()
    case "ownership": return ownership()
    case "cadence": return cadence()
    case "tests": return tests()
    case "dependencies": return dependencies()
    case "licences": return licences()
    case "vulnerabilities": return vulnerabilities()
    default: return nil
    }
  }

  /// Why an analyzer that ran gave its area nothing to score, in its own words (nil: no reason given).
  func notAssessed(_ id: String) -> String? {
    switch id {
    case "vulnerabilities": return vulnerabilitiesOutput.flatMap { $0.status == "assessed" ? nil : $0.note }
    default: return nil
    }
  }

  private func secrets() -> (facts: [String: Double], source: String)? {
    guard let s = secretsOutput else { return nil }
    return (["live": Double(s.live), "historyOnly": Double(s.historyOnly)], "analyzers.secrets")
  }

  private func hotspots() -> (facts: [String: Double], source: String)? {
    guard let h = hotspotsOutput else { return nil }
    var facts: [String: Double] = [:]
    var total = 0, hot = 0
    for file in h.files {
      total += file.loc ?? file.lines
      if file.hot { hot += file.loc ?? file.lines }
    }
    if total > 0 { facts["hotCodeShare"] = Double(hot) / Double(total) }
    // Line-level rework (lines deleted or replaced soon after they were written) when the lines were
    // followed; else the hotspots' file-level approximation. Two facts, each with its own bands: the
    // two figures are on different scales.
    if let lines = linesOutput {
      facts["lineReworkShare"] = lines.rework.overall.share
    } else {
      facts["reworkShare"] = h.rework.share
    }
    facts["crossComponentCoupling"] = Double(h.coupling.filter { $0.crossComponent && $0.expected == nil }.count)
    return (facts, linesOutput == nil ? "analyzers.hotspots" : "analyzers.hotspots, analyzers.lines (rework)")
  }

  private func ownership() -> (facts: [String: Double], source: String)? {
    guard let o = ownershipOutput else { return nil }
    return (["truckFactor": Double(o.truckFactor.value), "orphanedShare": o.orphanedShare, "islandShare": o.knowledgeIslands.share],
            "analyzers.ownership")
  }

  private func cadence() -> (facts: [String: Double], source: String)? {
    guard let c = cadenceOutput else { return nil }
    var facts: [String: Double] = [:]
    facts["daysSinceLastCommit"] = c.daysSinceLastCommit.map(Double.init)
    let window = c.trends.last90Days
    if window.comparable {
      if let change = window.commits.change {
        facts["commitTrend90"] = change
      } else if window.commits.current > 0 {
        facts["commitTrend90"] = 1  // up from none
      }
    }
    facts["fixShare"] = c.fixShare.share
    facts["daysSinceLastRelease"] = c.releaseCadence.daysSinceLastRelease.map(Double.init)
    return (facts, "analyzers.cadence")
  }

  private func tests() -> (facts: [String: Double], source: String)? {
    if let t = testsOutput {
      var facts: [String: Double] = [:]
      if t.counts.productionLines > 0 { facts["testRatio"] = Double(t.counts.testLines) / Double(t.counts.productionLines) }
      facts["ciRunsTests"] = t.ci.contains { $0.runsTestsOnPullRequests == true } ? 1 : 0
      if let best = coverageReports().map(\.share).max() { facts["lineCoverage"] = best }
      return (facts, "analyzers.tests")
    }
    // Until the tests analyzer runs, the file classifier's test and source lines give the ratio.
    guard let classes = inventory?.classes else { return nil }
    func lines(_ c: FileClass) -> Double { Double(classes.first { $0.fileClass == c }?.lines ?? 0) }
    let production = lines(.source)
    guard production > 0 else { return nil }
    return (["testRatio": lines(.test) / production], "analyzers.inventory (file classes; the tests analyzer did not run)")
  }

  private func dependencies() -> (facts: [String: Double], source: String)? {
    guard let d = dependenciesOutput else { return nil }
    var facts: [String: Double] = [:]
    let checks = d.scorecard.map(\.score).filter { $0 >= 0 }
    if !checks.isEmpty { facts["scorecardAverage"] = Double(checks.reduce(0, +)) / Double(checks.count) }
    if !d.manifests.isEmpty {
      facts["manifestsWithoutLockShare"] = Double(d.manifests.filter { $0.lockfile == nil }.count) / Double(d.manifests.count)
      let direct = d.manifests.flatMap(\.direct)
      if !direct.isEmpty { facts["unpinnedShare"] = Double(direct.filter { !$0.pinned }.count) / Double(direct.count) }
    }
    return (facts, "analyzers.dependencies")
  }

  private func vulnerabilities() -> (facts: [String: Double], source: String)? {
    // Without advisories there is nothing to score: "not assessed", never a clean bill.
    guard let v = vulnerabilitiesOutput, v.status == "assessed" else { return nil }
    let s = v.severities
    var facts = ["severeHits": Double(s.critical + s.high), "otherHits": Double(s.medium + s.low + s.unknown), "criticalHits": Double(s.critical)]
    if v.packagesChecked > 0 { facts["vulnerableShare"] = Double(v.packagesVulnerable) / Double(v.packagesChecked) }
    return (facts, "analyzers.vulnerabilities")
  }

  private func licences() -> (facts: [String: Double], source: String)? {
    guard let l = licencesOutput else { return nil }
    let own = l.licence.kind
    return ([
      "declaredLicence": own == "none" || own == "unknown" ? 0 : 1,
      "copyleftRisks": Double(l.counts.copyleft),
      "ownCopyleft": own == "strong-copyleft" || own == "network-copyleft" ? 1 : 0,
      "unknownLicences": Double(l.counts.unknown),
      "licenceConflicts": Double(l.counts.conflicts),
    ], "analyzers.licences")
  }

  /// The committed coverage reports that state a line coverage, as a share (reports write a share or a
  /// percentage).
  func coverageReports() -> [(path: String, share: Double, date: Timestamp?)] {
    (testsOutput?.coverageReports ?? []).compactMap { r in
      r.lineCoverage.map { (r.path, $0 > 1 ? $0 / 100 : $0, r.date) }
    }
  }
}
