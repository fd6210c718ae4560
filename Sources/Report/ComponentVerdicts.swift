import Analyzers
import SalvageCore

/// One verdict per component (keep, stabilize, refactor, rewrite) from the signals the analyzers give
/// about it: hotspot load, test signals, orphaned code, rework, secrets, dependency state. The rules
/// that turn signals into a verdict live in `rules/report.toml`; every signal found becomes a reason.
struct ComponentVerdicts {
  let scan: ScanResult
  let facts: ScanFacts
  let rules: RiskRules

  /// Signals in the order their reasons are printed.
  static let order = [
    "no-code", "test-code", "hotspot-heavy", "hotspot", "complex", "rework", "untested", "low-tests", "tests-elsewhere", "tested",
    "well-tested", "orphaned", "partly-orphaned", "single-owner", "live-secret", "secret-in-history", "dependency-issues",
    "vulnerable-dependencies", "copyleft-code", "unknown-licence", "coupled",
    "hotspots-not-assessed", "ownership-not-assessed",
  ]

  func component(of path: String) -> String { scan.context.components.component(of: Array(path.utf8)) }

  func assess() -> [Assessment.ComponentResult] {
    var names = Set<String>()
    for (_, result) in scan.results { names.formUnion(result.components.keys) }
    let lines = codeLines()
    let testOnly = lines.filter { $0.value.production == 0 && $0.value.test > 0 }.keys.sorted()
    let testedBy = testPackages(testOnly)
    let hotFiles = hotspotFiles()
    // Findings and manifests by component, once: a monorepo has thousands of each and of components.
    var findingsOf: [String: [Finding]] = [:]
    for finding in scan.findings { if let path = finding.location.path { findingsOf[component(of: path), default: []].append(finding) } }
    var manifestsOf: [String: [DependenciesOutput.Manifest]] = [:]
    for manifest in facts.dependenciesOutput?.manifests ?? [] { manifestsOf[component(of: manifest.path), default: []].append(manifest) }
    return names.sorted().map { name in
      let findings = findingsOf[name] ?? []
      let inventory = facts.component(name, InventoryOutput.Component.self)
      let hotspots = facts.component(name, HotspotsOutput.Component.self)
      let loc = inventory?.loc ?? hotspots?.loc ?? facts.component(name, OwnershipOutput.Component.self)?.lines ?? 0
      let files = inventory?.files ?? hotspots?.files ?? 0
      var reasons: [String: String] = [:]
      let code = lines[name] ?? (0, 0)

      if loc == 0 {
        reasons["no-code"] = "no source code: documentation, configuration or assets only"
      } else if code.production == 0 && code.test > 0 {
        reasons["test-code"] = "test code only (\(Figures.grouped(code.test)) lines): it stands or falls with the code it tests"
      } else {
        hotspotReasons(name, hotFiles: hotFiles, into: &reasons)
        testReasons(code, plainTests: testedBy.plain.filter { $0 != name }, testPackages: testedBy.byComponent[name] ?? [], into: &reasons)
        ownershipReasons(name, into: &reasons)
        dependencyReasons(manifestsOf[name] ?? [], into: &reasons)
      }
      secretReasons(findings, into: &reasons)
      if let v = facts.component(name, VulnerabilitiesOutput.Component.self), v.hits > 0 {
        let shown = v.packages.prefix(3).joined(separator: ", ") + (v.packages.count > 3 ? " and \(v.packages.count - 3) more" : "")
        reasons["vulnerable-dependencies"] = "ships \(Words.count(v.packages.count, "dependency version")) with known vulnerabilities (\(shown))"
      }
      licenceReasons(name, into: &reasons)

      let decision = rules.decide(Set(reasons.keys))
      let ordered = Self.order.compactMap { s in reasons[s].map { Assessment.Reason(signal: s, text: $0) } }
      return Assessment.ComponentResult(path: name, files: files, loc: loc, verdict: decision?.verdict ?? .keep,
                                        summary: decision?.rule.summary ?? "", reasons: ordered, findings: findings.map(\.id),
                                        confidence: decision?.confidence ?? .low, decidedBy: decision?.decidedBy ?? [],
                                        corroboratedBy: decision?.corroboratedBy ?? [], against: decision?.against ?? [])
    }
  }

  /// For each component, the test-only components that may cover it: a plain test folder (Rails' test/,
  /// no manifest of its own) covers every component; a test package (documenso's app-tests) only the
  /// workspace packages it reaches: those its manifest depends on or its scripts run by name
  /// (`npm run start -w @documenso/remix`), and what those depend on in turn.
  private func testPackages(_ testOnly: [String]) -> (plain: [String], byComponent: [String: [String]]) {
    let manifests = facts.dependenciesOutput?.manifests ?? []
    var componentOf: [String: String] = [:]
    var packaged = Set<String>()
    for m in manifests {
      packaged.insert(component(of: m.path))
      if let package = m.package { componentOf[package] = component(of: m.path) }
    }
    var reaches: [String: [String]] = [:]
    for m in manifests {
      let from = component(of: m.path)
      for name in m.direct.map(\.name) + m.scriptTargets { if let c = componentOf[name], c != from { reaches[from, default: []].append(c) } }
    }
    var out: [String: [String]] = [:]
    for tests in testOnly where packaged.contains(tests) {
      var seen: Set<String> = [tests], queue = [tests]
      while let next = queue.popLast() {
        for c in reaches[next] ?? [] where seen.insert(c).inserted {
          queue.append(c)
          out[c, default: []].append(tests)
        }
      }
    }
    return (testOnly.filter { !packaged.contains($0) }, out)
  }

  /// Production and test lines per component: the tests analyzer's when it ran, else the file classifier's.
  private func codeLines() -> [String: (production: Int, test: Int)] {
    var out: [String: (production: Int, test: Int)] = [:]
    if let components = scan.results.first(where: { $0.id == "tests" })?.result.componentOutputs, !components.isEmpty {
      for (name, value) in components {
        guard let counts = value as? TestsOutput.CodeCounts else { continue }
        out[name] = (counts.productionLines, counts.testLines)
      }
      return out
    }
    for file in facts.inventory?.files ?? [] {
      let name = component(of: file.path)
      switch file.fileClass {
      case .source: out[name, default: (0, 0)].production += file.lines
      case .test: out[name, default: (0, 0)].test += file.lines
      default: break
      }
    }
    return out
  }

  private struct HotFile {
    let path: String
    let loc: Int
    let hot: Bool
  }

  private func hotspotFiles() -> [String: [HotFile]]? {
    guard let files = facts.hotspotsOutput?.files else { return nil }
    var out: [String: [HotFile]] = [:]
    for file in files { out[file.component, default: []].append(HotFile(path: file.path, loc: file.loc ?? file.lines, hot: file.hot)) }
    return out
  }

  private func hotspotReasons(_ name: String, hotFiles: [String: [HotFile]]?, into reasons: inout [String: String]) {
    guard let hotFiles else {
      reasons["hotspots-not-assessed"] = "hotspot load not assessed (the hotspots analyzer did not run)"
      return
    }
    let files = hotFiles[name] ?? []
    let hot = files.filter(\.hot)
    let total = files.reduce(0) { $0 + $1.loc }
    let hotLoc = hot.reduce(0) { $0 + $1.loc }
    if !hot.isEmpty {
      let share = total > 0 ? Double(hotLoc) / Double(total) : 0
      let names = hot.prefix(3).map(\.path).joined(separator: ", ") + (hot.count > 3 ? " and \(hot.count - 3) more" : "")
      let text = "\(Words.count(hot.count, "hot file")) (\(names)) holding \(Figures.percent(share)) of its code"
      if share >= rules.signals.hotspotHeavyShare {
        reasons["hotspot-heavy"] = "heavy hotspot load: " + text
      } else {
        reasons["hotspot"] = "hotspot load: " + text
      }
    }
    if let c = facts.component(name, HotspotsOutput.Component.self) {
      if let rework = reworkShare(name, c), rework.share >= (rework.lineLevel ? rules.signals.lineReworkShare : rules.signals.reworkShare) {
        reasons["rework"] = rework.lineLevel
          ? "\(Figures.percent(rework.share)) of the lines written in it were deleted or replaced within weeks"
          : "\(Figures.percent(rework.share)) of its changed lines were reworked within weeks of a previous change"
      }
      if c.loc >= Int(rules.signals.complexMinLines), Double(c.complexity) / Double(max(c.loc, 1)) >= rules.signals.complexPerLine {
        reasons["complex"] = "deeply nested code: an indentation complexity of \(Figures.ratio(Double(c.complexity) / Double(c.loc))) per line over its \(Figures.grouped(c.loc)) lines"
      }
      if c.crossComponentPairs > 0 {
        reasons["coupled"] = "changes together with other components (\(Words.count(c.crossComponentPairs, "coupled file pair")))"
      }
    }
  }

  /// The one figure the `rework` signal reads: line-level when the lines were followed (the share of
  /// the lines written in the component that were deleted or replaced within the window), else the
  /// hotspots' file-level share of changed lines that were rework (nil when unknown).
  private func reworkShare(_ name: String, _ c: HotspotsOutput.Component) -> (share: Double, lineLevel: Bool)? {
    if let lines = facts.component(name, LinesOutput.Component.self) { return (lines.reworkShare, true) }
    return (c.reworkShare, false)
  }

  /// `plainTests`: test-only folders without a manifest; `testPackages`: test packages that reach this one.
  private func testReasons(_ code: (production: Int, test: Int), plainTests: [String], testPackages: [String], into reasons: inout [String: String]) {
    guard code.production > 0 else { return }
    let ratio = Double(code.test) / Double(code.production)
    if code.test == 0 {
      if !testPackages.isEmpty {
        reasons["tests-elsewhere"] = "no test code inside it; the tests in \(testPackages.prefix(3).joined(separator: ", ")) reach it through the workspace and may cover it"
      } else if !plainTests.isEmpty {
        reasons["tests-elsewhere"] = "no test code inside it; the tests in \(plainTests.prefix(3).joined(separator: ", ")) may cover it"
      } else if code.production >= Int(rules.signals.untestedMinLines) {
        reasons["untested"] = "no test code for its \(Figures.grouped(code.production)) production lines"
      }
    } else if ratio < rules.signals.lowTestRatio {
      reasons["low-tests"] = "few tests: \(Figures.grouped(code.test)) test lines for \(Figures.grouped(code.production)) production lines (ratio \(Figures.ratio(ratio)))"
    } else {
      let text = "\(Figures.grouped(code.test)) test lines for \(Figures.grouped(code.production)) production lines (ratio \(Figures.ratio(ratio)))"
      if ratio >= rules.signals.wellTestedRatio {
        reasons["well-tested"] = "well tested: " + text
      } else {
        reasons["tested"] = "tests present: " + text
      }
    }
  }

  private func ownershipReasons(_ name: String, into reasons: inout [String: String]) {
    guard facts.ran("ownership") else {
      reasons["ownership-not-assessed"] = "knowledge loss not assessed (the ownership analyzer did not run)"
      return
    }
    guard let c = facts.component(name, OwnershipOutput.Component.self) else { return }
    if c.orphanedShare >= rules.signals.orphanedShare {
      reasons["orphaned"] = "knowledge lost: \(Figures.percent(c.orphanedShare)) of its lines were mainly written by people who left"
    } else if c.orphanedShare >= rules.signals.partlyOrphanedShare {
      reasons["partly-orphaned"] = "\(Figures.percent(c.orphanedShare)) of its lines were mainly written by people who left"
    }
    if c.truckFactor == 1 {
      let people = c.truckFactorPeople
      reasons["single-owner"] = "one person holds most of its knowledge" + (people.isEmpty ? "" : " (\(people.joined(separator: ", ")))")
    }
  }

  /// `manifests`: the component's, from the dependencies analyzer's figures.
  private func dependencyReasons(_ manifests: [DependenciesOutput.Manifest], into reasons: inout [String: String]) {
    var problems: [String] = []
    for manifest in manifests {
      if manifest.lockfile == nil { problems.append("\(manifest.path) has no lockfile") }
      let unpinned = manifest.direct.filter { !$0.pinned }.count
      if unpinned > 0 { problems.append("\(unpinned) of \(manifest.direct.count) direct dependencies in \(manifest.path) are not pinned") }
    }
    if !problems.isEmpty { reasons["dependency-issues"] = "dependency hygiene: " + problems.joined(separator: "; ") }
  }

  /// Third-party code under copyleft or unrecognised licences inside the component (its own files or
  /// its lockfiles' packages).
  private func licenceReasons(_ name: String, into reasons: inout [String: String]) {
    guard let c = facts.component(name, LicencesOutput.Component.self) else { return }
    if c.copyleft > 0 { reasons["copyleft-code"] = "\(Words.count(c.copyleft, "copyleft item")) under terms the product does not meet (see the licence findings)" }
    if c.unknown > 0 { reasons["unknown-licence"] = "\(Words.count(c.unknown, "third-party item")) under an unrecognised licence" }
  }

  /// `findings`: the component's (those with a path in it).
  private func secretReasons(_ findings: [Finding], into reasons: inout [String: String]) {
    // Test, example, public and expired values are not leaked credentials.
    let secrets = findings.filter { $0.analyzer == "secrets" && $0.secretContext == .live }
    let live = secrets.filter(\.inHead).count
    if live > 0 { reasons["live-secret"] = "\(Words.count(live, "leaked credential")) still in its code" }
    if secrets.count > live { reasons["secret-in-history"] = "\(Words.count(secrets.count - live, "leaked credential")) in its history (removed, still to rotate)" }
  }
}
