import Advisories
import SalvageCore

/// Known vulnerabilities, offline: the lockfiles' resolved versions matched against OSV records the user
/// hands over (`--advisories PATH`), with each ecosystem's own version ordering. Without advisories the
/// area is "not assessed"; Salvage never fetches them.
public struct VulnerabilitiesAnalyzer: Analyzer {
  public let id = "vulnerabilities"
  public init() {}

  /// No rule file yet: the finding's severity is the advisory's (CVSS v3 rating, else the database's word).
  public struct Rules: Sendable {}

  public var inputs: [any ScanModel.Type] { [DependencyInventory.self] }

  public func compile(_ rules: RuleSet) throws -> Rules { Rules() }

  static let howToGet = "no advisories given: download OSV records for the ecosystems in use (osv.dev publishes one all.zip per ecosystem, "
    + "e.g. https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip) and scan with --advisories PATH (a zip or a folder of .json); "
    + "Salvage makes no network call"

  public func analyze(_ input: AnalysisInput, _ rules: Rules) throws -> Analysis<VulnerabilitiesOutput> {
    guard let path = input.context.options.advisories else { return Analysis(Self.notAssessed(Self.howToGet)) }
    let inventory = try input.model(DependencyInventory.self)
    let checks = Self.packages(inventory)
    // Reading 200,000 records takes seconds: not for a repository with nothing to check.
    guard !checks.list.isEmpty else {
      return Analysis(VulnerabilitiesOutput(
        status: "assessed", note: "no lockfile resolves a package of an ecosystem with advisories (\(Ecosystem.allCases.map(\.rawValue).joined(separator: ", ")))",
        advisories: nil, packagesChecked: 0, packagesVulnerable: 0, uncheckedEcosystems: checks.unchecked, hits: []))
    }
    let index: AdvisoryIndex
    do {
      index = try AdvisoryLoader.load(path: path)
    } catch {
      return Analysis(Self.notAssessed(error.description))
    }
    var hits: [VulnerabilitiesOutput.Hit] = []
    var findings: [Finding] = []
    var components: [String: [String: Int]] = [:]
    for check in checks.list {
      for hit in index.match([check.package]) {
        let h = VulnerabilitiesOutput.Hit(
          id: hit.id, aliases: hit.aliases, summary: hit.summary, severity: hit.severity.level, score: hit.severity.score,
          vector: hit.severity.vector, ecosystem: check.package.ecosystem.rawValue, package: check.package.name,
          version: check.package.version, range: hit.range, fixed: hit.fixed, direct: check.direct, lockfile: check.file.displayPath)
        hits.append(h)
        findings.append(Self.finding(h))
        components[input.context.components.component(of: check.file.path), default: [:]][h.severity, default: 0] += 1
      }
    }
    let vulnerable = Set(hits.map { "\($0.ecosystem)\u{0}\($0.package)\u{0}\($0.version)" }).count
    let stats = index.stats
    let output = VulnerabilitiesOutput(
      status: "assessed", note: nil,
      advisories: .init(path: path, records: stats.records, withdrawn: stats.withdrawn, unreadable: stats.unreadable,
                        otherEcosystems: stats.otherEcosystems),
      packagesChecked: Set(checks.list.map(\.package)).count, packagesVulnerable: vulnerable,
      uncheckedEcosystems: checks.unchecked, hits: hits)
    var facts: [String: JSONValue] = [:]
    for (component, counts) in components {
      facts[component] = .object(counts.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int($0.value)) })
    }
    return Analysis(output, findings: findings, components: facts)
  }

  static func notAssessed(_ note: String) -> VulnerabilitiesOutput {
    VulnerabilitiesOutput(status: "not assessed", note: note, advisories: nil, packagesChecked: 0, packagesVulnerable: 0,
                          uncheckedEcosystems: [], hits: [])
  }

  struct Check {
    let package: PackageVersion
    let direct: Bool
    let file: DependencyInventory.File
  }

  /// Every resolved package of the lockfiles, and for a manifest without a lockfile what it resolves
  /// itself and the direct dependencies it pins to one version (`pom.xml`, `requirements.txt`, `go.mod`);
  /// once per file, in path then name then version order.
  static func packages(_ inventory: DependencyInventory) -> (list: [Check], unchecked: [String]) {
    let manifests = inventory.manifests, lockfiles = inventory.lockfiles
    let lockOf = DependenciesAnalyzer.lockfiles(of: manifests, among: lockfiles)
    var directByLock: [Int: Set<String>] = [:]
    var sources: [(file: DependencyInventory.File, packages: [ResolvedPackage], direct: Set<String>)] = []
    for (m, manifest) in manifests.enumerated() {
      let names = Set(manifest.parsed.direct.filter { $0.scope != "indirect" }
        .map { DependenciesAnalyzer.packageKey(manifest.entry.ecosystem, $0.name) })
      if let l = lockOf[m] {
        directByLock[l, default: []].formUnion(names)
      } else {
        let ecosystem = Ecosystem(osv: manifest.entry.ecosystem)
        let pinned = manifest.parsed.direct.compactMap { d -> ResolvedPackage? in
          guard d.pinned, !d.local, let ecosystem else { return nil }
          var v = Substring(d.requirement)
          while v.first == "=" || v.first == " " { v = v.dropFirst() }
          return ecosystem.isVersion(String(v)) ? ResolvedPackage(name: d.name, version: String(v)) : nil
        }
        if !manifest.parsed.resolved.isEmpty || !pinned.isEmpty { sources.append((manifest, manifest.parsed.resolved + pinned, names)) }
      }
    }
    for (l, lock) in lockfiles.enumerated() { sources.append((lock, lock.parsed.resolved, directByLock[l] ?? [])) }
    var list: [Check] = []
    var unchecked = Set<String>()
    for (file, resolved, direct) in sources.sorted(by: { $0.file.displayPath < $1.file.displayPath }) {
      let eco = file.entry.ecosystem
      guard let ecosystem = Ecosystem(osv: eco) else {
        if !resolved.isEmpty { unchecked.insert(eco) }
        continue
      }
      for p in Set(resolved).sorted(by: { ($0.name, $0.version) < ($1.name, $1.version) }) {
        list.append(Check(package: PackageVersion(ecosystem, p.name, p.version),
                          direct: direct.contains(DependenciesAnalyzer.packageKey(eco, p.name)), file: file))
      }
    }
    return (list, unchecked.sorted())
  }

  static func finding(_ h: VulnerabilitiesOutput.Hit) -> Finding {
    let severity: SalvageCore.Severity = switch h.severity {
    case "critical": .critical
    case "high": .high
    case "low", "none": .low
    // A record without a score is not taken as harmless.
    default: .medium
    }
    let known = ([h.id] + h.aliases).joined(separator: ", ")
    let fix = h.fixed.map { "fixed in \($0)" } ?? "no fixed version recorded"
    let score = h.score.map { " (CVSS \($0))" } ?? ""
    let title = "\(h.package) \(h.version) has a known vulnerability: \(h.id)"
    let message = "\(h.package) \(h.version) (\(h.direct ? "direct" : "transitive") dependency, \(h.ecosystem), \(h.lockfile)) is in the "
      + "affected range \(h.range) of \(known), severity \(h.severity)\(score); \(fix)." + (h.summary.isEmpty ? "" : " \(h.summary)")
    let evidence: JSONValue = [
      "id": .string(h.id), "aliases": .array(h.aliases.map(JSONValue.string)), "severity": .string(h.severity),
      "score": h.score.map(JSONValue.double) ?? .null, "ecosystem": .string(h.ecosystem), "package": .string(h.package),
      "version": .string(h.version), "range": .string(h.range), "fixed": h.fixed.map(JSONValue.string) ?? .null, "direct": .bool(h.direct),
    ]
    return Finding(analyzer: "vulnerabilities", rule: "known-vulnerability",
                   key: "\(h.lockfile)\u{0}\(h.ecosystem)\u{0}\(h.package)\u{0}\(h.version)\u{0}\(h.id)",
                   severity: severity, title: title, message: message, location: Location(path: h.lockfile), evidence: evidence)
  }
}
