import Advisories
import SalvageCore

/// Known vulnerabilities, offline: the lockfiles' resolved versions matched against OSV records the user
/// hands over (`--advisories PATH`), with each ecosystem's own version ordering. Without advisories the
/// area is "not assessed"; Salvage never fetches them.
public struct VulnerabilitiesAnalyzer: Analyzer {
  public let id = "vulnerabilities"
  public init() {}

  /// No rule file yet: the finding's severity is the advisory's (CVSS v3 rating, else v4.0, else the database's word).
  public struct Rules: Sendable {}

  public var inputs: [any ScanModel.Type] { [DependencyInventory.self] }

  public func compile(_ rules: RuleSet) throws -> Rules { Rules() }

  /// Only with advisories: the lockfiles' added lines tell when each vulnerable version arrived.
  public func historyObserver(_ rules: Rules, options: ScanOptions, classifier: PathClassifier) -> (any HistoryObserver)? {
    options.advisories == nil ? nil : PinObserver(options: options)
  }

  static let howToGet = "no advisories given: download OSV records for the ecosystems in use (osv.dev publishes one all.zip per ecosystem, "
    + "e.g. https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip) and scan with --advisories PATH (a zip or a folder of .json); "
    + "Salvage makes no network call"

  public func analyze(_ input: AnalysisInput, _ rules: Rules) throws -> Analysis<VulnerabilitiesOutput> {
    guard let path = input.context.options.advisories else { return Analysis(Self.notAssessed(Self.howToGet)) }
    let inventory = try input.model(DependencyInventory.self)
    let checks = Self.packages(inventory, snapshot: input.context.snapshot)
    // Reading 200,000 records takes seconds: not for a repository with nothing to check.
    guard !checks.list.isEmpty else {
      return Analysis(VulnerabilitiesOutput(
        status: "assessed", note: "no lockfile resolves a package of an ecosystem with advisories (\(Ecosystem.allCases.map(\.rawValue).joined(separator: ", ")))",
        advisories: nil, packagesChecked: 0, packagesVulnerable: 0, uncheckedEcosystems: checks.unchecked, severities: .init(), hits: []))
    }
    let index: AdvisoryIndex
    do {
      index = try AdvisoryLoader.load(path: path)
    } catch {
      return Analysis(Self.notAssessed(error.description))
    }
    let pins = input.observation as? PinHistory ?? PinHistory()
    let ages = Ages(pins: pins, index: index, history: input.context.history, now: input.context.now)
    let change = input.context.change
    var hits: [VulnerabilitiesOutput.Hit] = []
    var findings: [Finding] = []
    var severities = VulnerabilitiesOutput.Severities()
    var components: [String: [VulnerabilitiesOutput.Hit]] = [:]
    for check in checks.list {
      for hit in index.match([check.package]) {
        let lockfile = check.file.displayPath
        let key = PinHistory.Key(lockfile: lockfile, package: check.package.ecosystem.normalisedName(check.package.name))
        var introduced: Bool?
        if let change {
          // A version some commit outside the change pinned was there before it; one the lines never
          // showed counts as the change's when the change touched its lockfile.
          let commits = pins.versions[key]?[check.package.version] ?? []
          introduced = commits.isEmpty ? change.paths.contains(lockfile) : commits.allSatisfy { change.commits.contains(Int($0)) }
        }
        let h = VulnerabilitiesOutput.Hit(
          id: hit.id, aliases: hit.aliases, summary: hit.summary, severity: hit.severity.level, score: hit.severity.score,
          vector: hit.severity.vector, ecosystem: check.package.ecosystem.rawValue, package: check.package.name,
          version: check.package.version, range: hit.range, fixed: hit.fixed, direct: check.direct, lockfile: lockfile,
          vulnerableSince: ages.since(key, ecosystem: check.package.ecosystem, name: check.package.name, version: check.package.version,
                                      advisory: hit.id, range: hit.range),
          introducedByChange: introduced)
        hits.append(h)
        severities.count(h.severity)
        findings.append(Self.finding(h))
        // A direct dependency belongs to the components whose manifests declare it; a transitive one to
        // the lockfile's.
        let owners = check.declaredIn.isEmpty ? [check.file.path] : check.declaredIn
        for component in Set(owners.map { input.context.components.component(of: $0) }) { components[component, default: []].append(h) }
      }
    }
    let vulnerable = Set(hits.map { "\($0.ecosystem)\u{0}\($0.package)\u{0}\($0.version)" }).count
    let stats = index.stats
    let output = VulnerabilitiesOutput(
      status: "assessed", note: nil,
      advisories: .init(path: path, records: stats.records, withdrawn: stats.withdrawn, unreadable: stats.unreadable,
                        otherEcosystems: stats.otherEcosystems),
      packagesChecked: Set(checks.list.map(\.package)).count, packagesVulnerable: vulnerable,
      uncheckedEcosystems: checks.unchecked, severities: severities, hits: hits)
    var facts: [String: any AnalyzerOutput] = [:]
    for (component, list) in components {
      var counts = VulnerabilitiesOutput.Severities()
      for h in list { counts.count(h.severity) }
      facts[component] = VulnerabilitiesOutput.Component(
        hits: list.count, severities: counts, packages: Set(list.map { "\($0.package) \($0.version)" }).sorted())
    }
    return Analysis(output, findings: findings, components: facts)
  }

  static func notAssessed(_ note: String) -> VulnerabilitiesOutput {
    VulnerabilitiesOutput(status: "not assessed", note: note, advisories: nil, packagesChecked: 0, packagesVulnerable: 0,
                          uncheckedEcosystems: [], severities: .init(), hits: [])
  }

  /// A manifest that names a package, with the requirement it writes for it.
  struct Declared {
    let manifest: [UInt8]
    let ecosystem: String
    let requirements: [String]
    /// Whether the requirement lets the lockfile resolve `version` for this manifest: a workspace whose
    /// range excludes it (lodash ^4 beside a transitive 3.10) did not ask for it. Only npm ranges are
    /// read; a requirement that is no range (a tag, `workspace:`, a URL) and other ecosystems do not exclude.
    func admits(_ version: String) -> Bool {
      guard ecosystem == "npm", !requirements.isEmpty else { return true }
      return requirements.contains { NpmRange.admits($0, version) ?? true }
    }
  }

  struct Check {
    let package: PackageVersion
    let file: DependencyInventory.File
    /// The manifests that name the package themselves, with a requirement that admits its version (a
    /// monorepo's workspaces share one lockfile).
    let declaredIn: [[UInt8]]
    var direct: Bool { !declaredIn.isEmpty }
  }

  /// Every resolved package of the lockfiles, and for a manifest without a lockfile what it resolves
  /// itself and the direct dependencies it pins to one version (`pom.xml`, `requirements.txt`, `go.mod`);
  /// once per file, in path then name then version order.
  static func packages(_ inventory: DependencyInventory, snapshot: Snapshot) -> (list: [Check], unchecked: [String]) {
    let manifests = inventory.manifests, lockfiles = inventory.lockfiles
    let lockOf = DependenciesAnalyzer.lockfiles(of: manifests, among: lockfiles)
    // Package key -> the manifests that declare it, with the requirement they write, per lockfile.
    var declaredByLock: [Int: [String: [Declared]]] = [:]
    var sources: [(file: DependencyInventory.File, packages: [ResolvedPackage], declared: [String: [Declared]])] = []
    for (m, manifest) in manifests.enumerated() {
      var requirements: [String: [String]] = [:]
      for d in manifest.parsed.direct where d.scope != "indirect" {
        requirements[DependenciesAnalyzer.packageKey(manifest.entry.ecosystem, d.name), default: []].append(d.requirement)
      }
      let names = Set(requirements.keys)
      if let l = lockOf[m] {
        for name in names.sorted() {
          declaredByLock[l, default: [:]][name, default: []].append(Declared(manifest: manifest.path, ecosystem: manifest.entry.ecosystem,
                                                                              requirements: requirements[name] ?? []))
        }
      } else {
        let ecosystem = Ecosystem(osv: manifest.entry.ecosystem)
        let pinned = manifest.parsed.direct.compactMap { d -> ResolvedPackage? in
          guard d.pinned, !d.local, let ecosystem else { return nil }
          var v = Substring(d.requirement)
          while v.first == "=" || v.first == " " { v = v.dropFirst() }
          return ecosystem.isVersion(String(v)) ? ResolvedPackage(name: d.name, version: String(v)) : nil
        }
        if !manifest.parsed.resolved.isEmpty || !pinned.isEmpty {
          sources.append((manifest, manifest.parsed.resolved + pinned,
                          Dictionary(uniqueKeysWithValues: names.map { ($0, [Declared(manifest: manifest.path, ecosystem: "", requirements: [])]) })))
        }
      }
    }
    for (l, lock) in lockfiles.enumerated() { sources.append((lock, lock.parsed.resolved, declaredByLock[l] ?? [:])) }
    // Go's standard library is OSV's `stdlib` package: checked against the release a go.mod pins.
    for manifest in manifests where manifest.entry.ecosystem == "Go" && manifest.path.suffix(6).elementsEqual("go.mod".utf8) && (manifest.path.count == 6 || manifest.path[manifest.path.count - 7] == UInt8(ascii: "/")) {
      guard let content = snapshot.file(at: manifest.path)?.content, let version = goRelease(content) else { continue }
      sources.append((manifest, [ResolvedPackage(name: "stdlib", version: version)], ["stdlib": [Declared(manifest: manifest.path, ecosystem: "", requirements: [])]]))
    }
    var list: [Check] = []
    var unchecked = Set<String>()
    for (file, resolved, declared) in sources.sorted(by: { $0.file.displayPath < $1.file.displayPath }) {
      let eco = file.entry.ecosystem
      guard let ecosystem = Ecosystem(osv: eco) else {
        if !resolved.isEmpty { unchecked.insert(eco) }
        continue
      }
      for p in Set(resolved).sorted(by: { ($0.name, $0.version) < ($1.name, $1.version) }) {
        let declaring = declared[DependenciesAnalyzer.packageKey(eco, p.name)] ?? []
        list.append(Check(package: PackageVersion(ecosystem, p.name, p.version), file: file,
                          declaredIn: declaring.filter { $0.admits(p.version) }.map(\.manifest)))
      }
    }
    return (list, unchecked.sorted())
  }

  /// The Go release a go.mod pins (`toolchain go1.22.1`, else `go 1.22.1`), nil when it names only a minimum.
  static func goRelease(_ content: [UInt8]) -> String? {
    var found: Substring?
    for line in String(decoding: content, as: UTF8.self).split(whereSeparator: \.isNewline) {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard let version = LockfileLines.toolchain(fields) else { continue }
      if fields[0] == "toolchain" { return String(version) }  // the toolchain line wins over the go line
      found = version
    }
    return found.map(String.init)
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
    let fix = h.fixed.map { "upgrade \(h.package) to \($0) or later" } ?? "no fixed version is recorded: replace the package or confirm the vulnerable code is not reachable"
    let score = h.score.map { " (CVSS \($0))" } ?? ""
    let since = h.vulnerableSince.map { s in
      " An affected version (\(s.version)) has been pinned since \(s.date), \(Prose.count(s.days, "day")) before the scan (commit \(s.commit.prefix(12)))."
    } ?? ""
    let title = "\(h.package) \(h.version) has a known vulnerability: \(h.id)"
    let message = "\(h.package) \(h.version) (\(h.direct ? "direct" : "transitive") dependency, \(h.ecosystem), \(h.lockfile)) is in the "
      + "affected range \(h.range) of \(known), severity \(h.severity)\(score); \(fix).\(since)" + (h.summary.isEmpty ? "" : " \(h.summary)")
    let evidence = VulnerabilityEvidence(hit: h)
    return Finding(analyzer: "vulnerabilities", rule: "known-vulnerability",
                   key: "\(h.lockfile)\u{0}\(h.ecosystem)\u{0}\(h.package)\u{0}\(h.version)\u{0}\(h.id)",
                   severity: severity, title: title, message: message, location: Location(path: h.lockfile), evidence: evidence)
  }
}
