import Foundation
import GlobEngine
import SalvageCore
import TOML

/// What the code stands on: every manifest and lockfile per folder and ecosystem, direct and resolved
/// packages, sprawl (several versions, several lockfile families, packages doing the same job,
/// vendored copies, manifest churn) and the supply-chain hygiene a clone can show (Scorecard checks).
public struct DependenciesAnalyzer: Analyzer {
  public let id = "dependencies"
  public init() {}

  /// `dependencies.toml` compiled: the manifest catalog and the thresholds, read strictly.
  public struct Rules: Sendable {
    let catalog: ManifestCatalog
    let scorecard: Scorecard.Config
    /// `[[group]]`: packages that do the same job, by ecosystem.
    let groups: [(job: String, ecosystem: String, packages: [String])]
    /// `[[vendored]]`: vendored folders by kind, first match wins.
    let vendoredKinds: [(glob: Glob, segment: [UInt8], what: String, severity: Severity)]
    let failingBelow: Int
    let largeVendoredShare: Double
  }

  public var inputs: [any ScanModel.Type] { [DependencyInventory.self] }

  public func compile(_ rules: RuleSet) throws -> Rules {
    let reader = try RuleReader(rules, file: "dependencies.toml")
    // `[[examples]]` are run by the suite; `[[file]]` entries are checked by the catalog.
    try reader.check(known: ["scan", "file", "group", "vendored", "vendoring", "scorecard", "examples"])
    try reader.check(known: ["skip"], in: "scan")
    try reader.check(known: ["large_share"], in: "vendoring")
    try reader.check(known: ["failing_below", "binary_extensions", "update_tools", "update_bots", "security_policies", "licenses",
                             "approved_license_markers", "untrusted_inputs", "not_assessed"], in: "scorecard")
    for (list, keys) in [("group", ["job", "ecosystem", "packages"]), ("vendored", ["path", "what", "severity"])] {
      for entry in try reader.tables(reader.table, list) { try reader.check(entry, known: keys) }
    }
    let groups = try reader.tables("group").map { g throws(RuleError) in
      (job: try g.string(nil, "job"), ecosystem: try g.string(nil, "ecosystem"), packages: try g.strings(nil, "packages"))
    }
    let kinds = try reader.tables("vendored").map { v throws(RuleError) in
      let path = try v.string(nil, "path"), severity = try v.string(nil, "severity", "medium")
      guard let level = Severity(rawValue: severity) else {
        throw v.error(nil, "severity", "is '\(severity)', none of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return (glob: Glob(path, case: .sensitive, anchoring: .anyDepth), segment: Array(path.utf8.dropLast()), what: try v.string(nil, "what"), severity: level)
    }
    return Rules(catalog: try ManifestCatalog(rules: rules), scorecard: try Scorecard.Config(reader), groups: groups, vendoredKinds: kinds,
                 failingBelow: try reader.int("scorecard", "failing_below", 8, min: 0, max: 11),
                 largeVendoredShare: try reader.double("vendoring", "large_share", 0.2, range: 0...1))
  }

  public func blobFactExtractors(_ rules: Rules) -> [String: any BlobFactExtractor] {
    [Scorecard.InstallTools.name: Scorecard.InstallTools()]
  }

  public func analyze(_ input: AnalysisInput, _ compiled: Rules) throws -> Analysis<DependenciesOutput> {
    let context = input.context, catalog = compiled.catalog
    let inventory = try input.model(DependencyInventory.self)
    var findings: [Finding] = []

    let lockfiles = inventory.lockfiles
    let manifests = inventory.manifests
    let lockOf = Self.lockfiles(of: manifests, among: lockfiles)
    let key = Self.packageKey

    let uniqueResolved: [Set<ResolvedPackage>] = lockfiles.map { Set($0.parsed.resolved) }

    let perManifest = ManifestFigures(manifests, lockfiles: lockfiles, lockOf: lockOf, uniqueResolved: uniqueResolved,
                                      components: context.components)
    let (manifestList, withoutLock, directNames) = (perManifest.list, perManifest.withoutLock, perManifest.directNames)

    let malformed = malformedFiles(inventory, findings: &findings)

    let mixed = mixedLockfiles(lockfiles, findings: &findings)

    requirementFindings(withoutLock: withoutLock, unpinnedNoLock: perManifest.unpinnedNoLock, moving: perManifest.moving, findings: &findings)

    let severalDirect = severalVersions(perManifest.directVersions, findings: &findings)
    var transitive: [String: Set<String>] = [:]
    for (i, lock) in lockfiles.enumerated() {
      for p in uniqueResolved[i] { transitive[lock.entry.ecosystem + "\u{0}" + key(lock.entry.ecosystem, p.name), default: []].insert(p.version) }
    }
    let resolvedSeveral = transitive.filter { $0.value.count >= 2 }
      .sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }

    let sameJob = sameJobPackages(compiled.groups, directNames: directNames, findings: &findings)

    // Vendored or copied-in dependencies.
    let vendoring = vendored(context, kinds: compiled.vendoredKinds, largeShare: compiled.largeVendoredShare, findings: &findings)

    // How often the manifests changed.
    let churn = manifestChurn(context, catalog: catalog)

    let checks = hygiene(context, config: compiled.scorecard, failingBelow: compiled.failingBelow,
                         findings: &findings)

    let totalDirect = manifests.reduce(0) { $0 + $1.parsed.direct.count }
    let totalResolved = uniqueResolved.reduce(0) { $0 + $1.count }

    let output = DependenciesOutput(
      ecosystems: Self.ecosystemTotals(manifests, lockfiles, uniqueResolved: uniqueResolved),
      totals: .init(manifests: manifests.count, lockfiles: lockfiles.count, direct: totalDirect, resolved: totalResolved,
                    transitiveAmplification: totalDirect > 0 && totalResolved > 0
                      ? Figures.rounded(Double(totalResolved) / Double(totalDirect), places: 2) : nil),
      manifests: manifestList,
      lockfiles: lockfiles.enumerated().map { i, l in
        .init(path: l.displayPath, ecosystem: l.entry.ecosystem, family: l.entry.family ?? "", resolved: uniqueResolved[i].count,
              readable: l.parsed.readable && l.problem == nil)
      },
      manifestsWithoutLockfile: withoutLock.values.flatMap { $0.map(\.path) }.sorted(),
      mixedLockfiles: mixed, severalVersions: severalDirect,
      resolvedWithSeveralVersions: .init(
        packages: resolvedSeveral.count,
        top: resolvedSeveral.prefix(20).map { item in
          let parts = item.key.split(separator: "\u{0}", maxSplits: 1).map(String.init)
          return .init(ecosystem: parts[0], name: parts[1], versions: item.value.sorted())
        }),
      sameJob: sameJob, vendored: vendoring, manifestChurn: churn, malformed: malformed,
      scorecard: checks.map { c in .init(check: c.name, score: c.score, reason: c.reason, risk: c.risk.isEmpty ? nil : c.risk) })
    var components: [String: DependenciesOutput.Component] = [:]
    for (name, c) in perManifest.byComponent {
      components[name] = .init(manifests: c.manifests, direct: c.direct, unpinned: c.unpinned, resolved: c.resolved,
                               ecosystems: c.ecosystems.sorted())
    }
    return Analysis(output, findings: findings, components: components)
  }

  /// Manifests, lockfiles, direct, unpinned and resolved dependencies per ecosystem.
  static func ecosystemTotals(_ manifests: [DependencyInventory.File], _ lockfiles: [DependencyInventory.File],
                              uniqueResolved: [Set<ResolvedPackage>]) -> [DependenciesOutput.Ecosystem] {
    var ecosystems: [String: (manifests: Int, lockfiles: Int, direct: Int, unpinned: Int, resolved: Int)] = [:]
    for m in manifests {
      ecosystems[m.entry.ecosystem, default: (0, 0, 0, 0, 0)].manifests += 1
      ecosystems[m.entry.ecosystem, default: (0, 0, 0, 0, 0)].direct += m.parsed.direct.count
      ecosystems[m.entry.ecosystem, default: (0, 0, 0, 0, 0)].unpinned += m.parsed.direct.filter { !$0.pinned }.count
    }
    for (i, l) in lockfiles.enumerated() {
      ecosystems[l.entry.ecosystem, default: (0, 0, 0, 0, 0)].lockfiles += 1
      ecosystems[l.entry.ecosystem, default: (0, 0, 0, 0, 0)].resolved += uniqueResolved[i].count
    }
    return ecosystems.keys.sorted().map { e in
      let v = ecosystems[e]!
      return .init(ecosystem: e, manifests: v.manifests, lockfiles: v.lockfiles, direct: v.direct, unpinned: v.unpinned, resolved: v.resolved)
    }
  }

  /// Each manifest's lockfile (an index into `lockfiles`): beside it, or up the tree for workspaces.
  static func lockfiles(of manifests: [DependencyInventory.File], among lockfiles: [DependencyInventory.File]) -> [Int?] {
    var locksByFolder: [[UInt8]: [Int]] = [:]
    for (i, lock) in lockfiles.enumerated() { locksByFolder[lock.folder, default: []].append(i) }
    var lockOf: [Int?] = []
    for manifest in manifests {
      var folder = manifest.folder
      var found: Int?
      while true {
        let candidates = (locksByFolder[folder] ?? []).filter {
          lockfiles[$0].entry.ecosystem == manifest.entry.ecosystem && manifest.entry.families.contains(lockfiles[$0].entry.family ?? "")
        }
        if let best = candidates.min(by: { a, b in
          let fa = manifest.entry.families.firstIndex(of: lockfiles[a].entry.family ?? "") ?? 99
          let fb = manifest.entry.families.firstIndex(of: lockfiles[b].entry.family ?? "") ?? 99
          return (fa, lockfiles[a].displayPath) < (fb, lockfiles[b].displayPath)
        }) {
          found = best
          break
        }
        guard manifest.entry.searchAncestors, !folder.isEmpty else { break }
        folder = folder.lastIndex(of: UInt8(ascii: "/")).map { Array(folder[..<$0]) } ?? []
      }
      lockOf.append(found)
    }
    return lockOf
  }

  /// A package's name as its ecosystem compares names.
  static func packageKey(_ ecosystem: String, _ name: String) -> String {
    switch ecosystem {
    case "PyPI": return name.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
    case "SwiftPM", "NuGet", "Packagist", "Hex", "Pub", "CocoaPods": return name.lowercased()
    default: return name
    }
  }

  /// Malformed manifests and lockfiles never stop the scan: each is a finding with file and line.
  private func malformedFiles(_ inventory: DependencyInventory, findings: inout [Finding]) -> [DependenciesOutput.Malformed] {
    var malformed: [DependenciesOutput.Malformed] = []
    for file in inventory.files {
      guard let problem = file.problem else { continue }
      malformed.append(.init(path: file.displayPath, line: problem.line, message: problem.message))
      findings.append(Finding(
        analyzer: id, rule: "malformed-manifest", key: file.displayPath, severity: .medium,
        title: "Unreadable \(file.entry.kind.rawValue): \(file.displayPath)",
        message: "\(file.displayPath)\(problem.line.map { " line \($0)" } ?? ""): \(problem.message). The package manager will fail on it too, and its dependencies could not be counted.",
        location: Location(path: file.displayPath, line: problem.line),
        evidence: DependenciesOutput.MalformedEvidence(ecosystem: file.entry.ecosystem, message: problem.message)))
    }
    return malformed
  }

  /// Two lockfile families for one ecosystem in one folder.
  private func mixedLockfiles(_ lockfiles: [DependencyInventory.File], findings: inout [Finding]) -> [DependenciesOutput.MixedLockfiles] {
    var mixed: [DependenciesOutput.MixedLockfiles] = []
    var lockGroups: [String: [Int]] = [:]
    for (i, lock) in lockfiles.enumerated() { lockGroups[PathText.display(lock.folder) + "\u{0}" + lock.entry.ecosystem, default: []].append(i) }
    for groupKey in lockGroups.keys.sorted() {
      let members = lockGroups[groupKey]!.map { lockfiles[$0] }
      let families = Set(members.compactMap(\.entry.family))
      guard families.count >= 2 else { continue }
      let folder = PathText.display(members[0].folder)
      let paths = members.map(\.displayPath).sorted()
      mixed.append(.init(folder: folder.isEmpty ? "." : folder, ecosystem: members[0].entry.ecosystem, lockfiles: paths))
      findings.append(Finding(
        analyzer: id, rule: "mixed-lockfiles", key: groupKey, severity: .medium,
        title: "Two package managers lock the same folder (\(folder.isEmpty ? "." : folder))",
        message: "\(paths.joined(separator: " and ")) are lockfiles of different \(members[0].entry.ecosystem) tools in one folder. Each developer or build may install a different set of versions depending on the tool they run; keep one.",
        location: Location(path: paths[0]), evidence: DependenciesOutput.LockfilesEvidence(lockfiles: paths)))
    }
    return mixed
  }

  typealias Requirement = (path: String, name: String, requirement: String, looseness: String)

  /// Manifests without a lockfile, unpinned requirements nothing locks, requirements that follow a
  /// moving reference: one finding per ecosystem each.
  private func requirementFindings(withoutLock: [String: [(path: String, unpinned: Int)]], unpinnedNoLock: [String: [Requirement]],
                                   moving: [String: [Requirement]], findings: inout [Finding]) {
    for eco in withoutLock.keys.sorted() {
      let list = withoutLock[eco]!.sorted { $0.path < $1.path }
      let floating = list.reduce(0) { $0 + $1.unpinned }
      findings.append(Finding(
        analyzer: id, rule: "manifest-without-lockfile", key: eco, severity: .medium,
        title: "\(list.count) \(eco) manifest\(list.count == 1 ? "" : "s") without a lockfile",
        message: "\(list.map(\.path).prefix(5).joined(separator: ", "))\(list.count > 5 ? " and \(list.count - 5) more" : "") \(list.count == 1 ? "has" : "have") no committed lockfile, so every install resolves the whole dependency tree afresh: builds are not reproducible\(floating > 0 ? ", and \(floating) direct requirement\(floating == 1 ? " is a range" : "s are ranges") that can move" : ""). Commit the lockfile (Scorecard's Pinned-Dependencies advice for applications).",
        location: Location(path: list[0].path),
        evidence: DependenciesOutput.NoLockfileEvidence(manifests: list.map(\.path), unpinnedDirect: floating)))
    }
    for eco in unpinnedNoLock.keys.sorted() {
      let list = unpinnedNoLock[eco]!.sorted { ($0.path, $0.name) < ($1.path, $1.name) }
      findings.append(Finding(
        analyzer: id, rule: "unpinned-requirements", key: eco, severity: .medium,
        title: "\(list.count) unpinned \(eco) requirement\(list.count == 1 ? "" : "s") with nothing locking them",
        message: "For example \(list[0].name) \(list[0].requirement.isEmpty ? "(no version)" : list[0].requirement) in \(list[0].path) (\(list[0].looseness)). Without a lockfile, each install may pick a newer version than the one that was tested, including a compromised one.",
        location: Location(path: list[0].path),
        evidence: DependenciesOutput.RequirementsEvidence(
          requirements: list.prefix(50).map { .init(path: $0.path, name: $0.name, requirement: $0.requirement, looseness: $0.looseness) })))
    }
    for eco in moving.keys.sorted() {
      let list = moving[eco]!.sorted { ($0.path, $0.name) < ($1.path, $1.name) }
      findings.append(Finding(
        analyzer: id, rule: "moving-requirements", key: eco, severity: .low,
        title: "\(list.count) \(eco) requirement\(list.count == 1 ? " follows" : "s follow") a branch, tag or any version",
        message: "For example \(list[0].name) \(list[0].requirement.isEmpty ? "(no version)" : list[0].requirement) in \(list[0].path) (\(list[0].looseness)). The lockfile holds them today, but the next update takes whatever that reference points to.",
        location: Location(path: list[0].path),
        evidence: DependenciesOutput.RequirementsEvidence(
          requirements: list.prefix(50).map { .init(path: $0.path, name: $0.name, requirement: $0.requirement, looseness: $0.looseness) })))
    }
  }

  /// The same package at several versions. One finding per package for the worst few (most versions),
  /// one summary per ecosystem for the rest, so a large monorepo's report stays readable.
  private func severalVersions(_ directVersions: [String: [String: Set<String>]], findings: inout [Finding]) -> [DependenciesOutput.SeveralVersions] {
    var severalDirect: [DependenciesOutput.SeveralVersions] = []
    let several = directVersions.keys.filter { directVersions[$0]!.count >= 2 }
    let worst = Set(several.sorted { a, b in
      let va = directVersions[a]!.count, vb = directVersions[b]!.count
      return va != vb ? va > vb : a < b
    }.prefix(20))
    var summarized: [String: [String]] = [:]
    for k in several.sorted() {
      let parts = k.split(separator: "\u{0}", maxSplits: 1).map(String.init)
      let versions = directVersions[k]!
      let names = versions.keys.sorted()
      let manifestsUsing = Set(versions.values.flatMap { $0 }).sorted()
      severalDirect.append(.init(ecosystem: parts[0], name: parts[1], versions: names, manifests: manifestsUsing))
      guard worst.contains(k) else {
        summarized[parts[0], default: []].append(parts[1])
        continue
      }
      findings.append(Finding(
        analyzer: id, rule: "several-versions", key: k, severity: manifestsUsing.count >= 2 ? .medium : .low,
        title: "\(parts[1]) is used at \(names.count) versions",
        message: "\(parts[0]) package \(parts[1]) is a direct dependency at versions \(names.joined(separator: ", ")) (in \(manifestsUsing.prefix(4).joined(separator: ", "))\(manifestsUsing.count > 4 ? ", …" : "")). Several versions of one library mean several sets of bugs and fixes to track; SIG's advice is one version per library.",
        location: Location(path: manifestsUsing.first), evidence: DependenciesOutput.VersionsEvidence(versions: names)))
    }
    for eco in summarized.keys.sorted() {
      let names = summarized[eco]!
      findings.append(Finding(
        analyzer: id, rule: "several-versions-more", key: eco, severity: .low,
        title: "\(names.count) more \(eco) packages are used at several versions",
        message: "Besides the packages reported one by one, \(names.prefix(10).joined(separator: ", "))\(names.count > 10 ? " and \(names.count - 10) more" : "") are direct dependencies at more than one version across the repository (see analyzers.dependencies.severalVersions).",
        evidence: DependenciesOutput.PackagesEvidence(packages: names)))
    }
    return severalDirect
  }

  /// Packages that do the same job side by side.
  private func sameJobPackages(_ groups: [(job: String, ecosystem: String, packages: [String])], directNames: [String: [String: Set<String>]],
                               findings: inout [Finding]) -> [DependenciesOutput.SameJob] {
    let key = Self.packageKey
    var sameJob: [DependenciesOutput.SameJob] = []
    for group in groups {
      let job = group.job, eco = group.ecosystem
      guard let names = directNames[eco] else { continue }
      var present: [(alternative: String, manifests: [String])] = []
      for alternative in group.packages {
        let aliases = alternative.split(separator: "|").map { key(eco, String($0)) }
        let used = aliases.filter { names[$0] != nil }
        guard !used.isEmpty else { continue }
        present.append((used.joined(separator: "+"), Set(used.flatMap { names[$0]! }).sorted()))
      }
      guard present.count >= 2 else { continue }
      sameJob.append(.init(ecosystem: eco, job: job, packages: present.map { .init(name: $0.alternative, manifests: $0.manifests) }))
      findings.append(Finding(
        analyzer: id, rule: "same-job-packages", key: eco + "\u{0}" + job, severity: .low,
        title: "\(present.count) \(job)s side by side (\(eco))",
        message: "\(present.map(\.alternative).joined(separator: ", ")) all do the same job (\(job)). Each one is code to update, audit and learn; settling on one cuts the surface.",
        location: Location(path: present[0].manifests.first),
        evidence: DependenciesOutput.PackagesEvidence(packages: present.map(\.alternative))))
    }
    return sameJob
  }

  /// Supply-chain hygiene: the workflows read, and the Scorecard checks that fail.
  private func hygiene(_ context: ScanContext, config scoreRules: Scorecard.Config, failingBelow: Int, findings: inout [Finding]) -> [Scorecard.Check] {
    var workflows: [Workflow] = []
    for file in context.snapshot.files where Workflow.isWorkflow(file.path) {
      guard let content = file.content else { continue }
      do throws(ManifestProblem) {
        workflows.append(try Workflow.parse(path: file.displayPath, bytes: content))
      } catch {
        findings.append(Finding(
          analyzer: id, rule: "malformed-workflow", key: file.displayPath, severity: .medium,
          title: "Unreadable workflow: \(file.displayPath)",
          message: "\(file.displayPath)\(error.line.map { " line \($0)" } ?? ""): \(error.message). GitHub will not run it.",
          location: Location(path: file.displayPath, line: error.line)))
      }
    }
    let checks = Scorecard(context: context, workflows: workflows, config: scoreRules).run()
    for check in checks where check.score >= 0 && check.score < failingBelow {
      let severity: Severity = ["Critical": .high, "High": .medium, "Medium": .low][check.risk] ?? .low
      findings.append(Finding(
        analyzer: id, rule: "scorecard-" + check.name.lowercased(), key: check.name, severity: severity,
        title: "Scorecard \(check.name): \(check.score)/10",
        message: "\(check.name) scores \(check.score) out of 10 (OpenSSF Scorecard's check, \(check.risk) risk): \(check.reason).",
        location: Location(path: check.location),
        evidence: DependenciesOutput.ScorecardEvidence(score: check.score, details: Array(check.details.prefix(50)))))
    }
    return checks
  }

  /// Vendored folders by kind, their files and lines, and their share of all text lines.
  private func vendored(_ context: ScanContext, kinds: [(glob: Glob, segment: [UInt8], what: String, severity: Severity)], largeShare large: Double,
                        findings: inout [Finding]) -> DependenciesOutput.Vendored {
    var totalLines = 0
    var byKind: [Int: [String: (files: Int, lines: Int)]] = [:]
    var vendoredLines = 0, vendoredFiles = 0
    // Read in place, through a buffer pointer: taking each file would retain and release it.
    context.snapshot.files.withUnsafeBufferPointer { files in
      for n in files.indices {
        let lines = files[n].lines
        totalLines += lines
        guard files[n].fileClass == .vendored else { continue }
        vendoredLines += lines
        vendoredFiles += 1
        let path = files[n].path
        let kind = kinds.firstIndex { $0.glob.matches(path) } ?? kinds.count
        let root = kind < kinds.count ? Self.root(of: path, segment: kinds[kind].segment) : "other"
        byKind[kind, default: [:]][root, default: (0, 0)].files += 1
        byKind[kind, default: [:]][root, default: (0, 0)].lines += lines
      }
    }
    let share = totalLines > 0 ? Double(vendoredLines) / Double(totalLines) : 0
    var kindFigures: [DependenciesOutput.Vendored.Kind] = []
    for kind in byKind.keys.sorted() {
      let folders = byKind[kind]!
      let what = kind < kinds.count ? kinds[kind].what : "other vendored code"
      let files = folders.values.reduce(0) { $0 + $1.files }, lines = folders.values.reduce(0) { $0 + $1.lines }
      let roots = folders.keys.sorted()
      kindFigures.append(.init(kind: what, files: files, lines: lines,
                               folders: roots.map { .init(path: $0, files: folders[$0]!.files, lines: folders[$0]!.lines) }))
      var severity = kind < kinds.count ? kinds[kind].severity : .low
      // Go's `go mod vendor` keeps a manifest of what it copied: the copy is managed, not hand-made.
      let goVendor = roots.allSatisfy { context.snapshot.file(at: Array(($0 + "/modules.txt").utf8)) != nil }
      if goVendor { severity = .low }
      let kindShare = totalLines > 0 ? Double(lines) / Double(totalLines) : 0
      if kindShare >= large, severity < .medium { severity = .medium }
      findings.append(Finding(
        analyzer: id, rule: "vendored-dependencies", key: what, severity: severity,
        title: "Committed \(what): \(files) files",
        message: "\(roots.prefix(3).joined(separator: ", "))\(roots.count > 3 ? " and \(roots.count - 3) more" : "") hold\(roots.count == 1 ? "s" : "") \(lines) lines of other people's code (\(Figures.percent(kindShare)) of all text lines)\(goVendor ? ", copied by `go mod vendor` with its modules.txt" : ""). Copied code gets no security updates unless someone copies again, and may have been edited locally.",
        location: Location(path: roots.first), evidence: DependenciesOutput.VendoredEvidence(files: files, lines: lines, share: Figures.rounded(kindShare))))
    }
    return .init(files: vendoredFiles, lines: vendoredLines, share: Figures.rounded(share), kinds: kindFigures)
  }

  /// The path up to and including the vendored folder (`web/node_modules`).
  static func root(of path: [UInt8], segment: [UInt8]) -> String {
    let parts = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
    if segment.first == UInt8(ascii: "*") {
      let suffix = Array(segment.dropFirst())
      if let i = parts.firstIndex(where: { $0.count >= suffix.count && $0.suffix(suffix.count).elementsEqual(suffix) }) {
        return PathText.display(Array(parts.prefix(i + 1).joined(separator: [UInt8(ascii: "/")])))
      }
    }
    let segs = segment.split(separator: UInt8(ascii: "/"))
    for i in parts.indices where i + segs.count <= parts.count {
      if zip(parts[i..<(i + segs.count)], segs).allSatisfy({ $0.elementsEqual($1) }) {
        return PathText.display(Array(parts.prefix(i + segs.count).joined(separator: [UInt8(ascii: "/")])))
      }
    }
    return PathText.display(path)
  }

  /// Commits that touched a manifest or lockfile, per year, and the last one.
  private func manifestChurn(_ context: ScanContext, catalog: ManifestCatalog) -> DependenciesOutput.ManifestChurn {
    let history = context.history
    var kind = [UInt8](repeating: 0, count: history.paths.count)  // 0 unknown, 1 none, 2 manifest or lockfile
    var commits = 0
    var perYear: [Int: Int] = [:]
    var last: Int64?
    var lockOnly = 0, manifestOnly = 0
    // By index: iterating would copy every commit, retaining its subject and lists.
    for n in history.commits.indices where !history.commits[n].isMerge {
      var touchedManifest = false, touchedLock = false
      for change in history.changes[history.commits[n].changes] {
        let p = Int(change.path)
        if kind[p] == 0 {
          let entry = catalog.entry(for: history.paths[change.path])
          kind[p] = entry == nil ? 1 : (entry!.kind == .manifest ? 2 : 3)
        }
        if kind[p] == 2 { touchedManifest = true } else if kind[p] == 3 { touchedLock = true }
      }
      guard touchedManifest || touchedLock else { continue }
      commits += 1
      if touchedLock && !touchedManifest { lockOnly += 1 }
      if touchedManifest && !touchedLock { manifestOnly += 1 }
      let time = history.commits[n].committerTime
      perYear[UTC.civil(day: UTC.day(of: time)).year, default: 0] += 1
      if last.map({ time > $0 }) ?? true { last = time }
    }
    let months: Double = {
      guard let first = history.firstCommitTime, let lastCommit = history.lastCommitTime else { return 0 }
      return max(1, Double(lastCommit - first) / (30.44 * 86400))
    }()
    return .init(
      commits: commits, perMonth: months > 0 ? Figures.rounded(Double(commits) / months, places: 2) : nil,
      manifestWithoutLockfileChange: manifestOnly, lockfileOnly: lockOnly, lastChange: last.map(Timestamp.init),
      byYear: perYear.keys.sorted().map { .init(year: $0, commits: perYear[$0]!) })
  }
}

/// The figures of each manifest: its output entry, and what the findings and the per-component facts
/// count (requirements without a lockfile or on a moving reference, versions and names of direct
/// dependencies).
private struct ManifestFigures {
  var list: [DependenciesOutput.Manifest] = []
  var withoutLock: [String: [(path: String, unpinned: Int)]] = [:]
  var unpinnedNoLock: [String: [DependenciesAnalyzer.Requirement]] = [:]
  var moving: [String: [DependenciesAnalyzer.Requirement]] = [:]
  var directVersions: [String: [String: Set<String>]] = [:]   // "eco\0key" -> version -> manifests
  var directNames: [String: [String: Set<String>]] = [:]      // eco -> key -> manifests
  var byComponent: [String: (manifests: Int, direct: Int, unpinned: Int, resolved: Int, ecosystems: Set<String>)] = [:]

  init(_ manifests: [DependencyInventory.File], lockfiles: [DependencyInventory.File], lockOf: [Int?], uniqueResolved: [Set<ResolvedPackage>],
       components: ComponentMap) {
    let key = DependenciesAnalyzer.packageKey
      for (i, manifest) in manifests.enumerated() {
        let eco = manifest.entry.ecosystem
        let lock = lockOf[i].map { lockfiles[$0] }
        let resolved = lockOf[i].map { uniqueResolved[$0].count } ?? Set(manifest.parsed.resolved).count
        var versionsInLock: [String: Set<String>] = [:]
        if let l = lockOf[i] { for p in uniqueResolved[l] { versionsInLock[key(eco, p.name), default: []].insert(p.version) } }
        let direct = manifest.parsed.direct.sorted { ($0.name, $0.scope) < ($1.name, $1.scope) }
        var unpinned = 0
        for d in direct where !d.local {
          let k = key(eco, d.name)
          directNames[eco, default: [:]][k, default: []].insert(manifest.displayPath)
          if !d.pinned { unpinned += 1 }
          let versions = versionsInLock[k] ?? (d.pinned && !d.requirement.isEmpty && d.requirement != "managed" ? [d.requirement] : [])
          for v in versions { directVersions[eco + "\u{0}" + k, default: [:]][v, default: []].insert(manifest.displayPath) }
          if !d.pinned, let why = d.looseness {
            if lock == nil {
              unpinnedNoLock[eco, default: []].append((manifest.displayPath, d.name, d.requirement, why))
            } else if why != "range" {
              moving[eco, default: []].append((manifest.displayPath, d.name, d.requirement, why))
            }
          }
        }
        if lock == nil, manifest.entry.lockfileExpected, manifest.problem == nil, direct.contains(where: { !$0.local }) {
          withoutLock[eco, default: []].append((manifest.displayPath, unpinned))
        }
        let component = components.component(of: manifest.path)
        var c = byComponent[component] ?? (0, 0, 0, 0, [])
        c.manifests += 1
        c.direct += direct.count
        c.unpinned += unpinned
        c.resolved += resolved
        c.ecosystems.insert(eco)
        byComponent[component] = c
        list.append(DependenciesOutput.Manifest(
          path: manifest.displayPath, ecosystem: eco, package: manifest.parsed.package, scriptTargets: manifest.parsed.scriptTargets,
          lockfile: lock?.displayPath,
          direct: direct.map { d in .init(name: d.name, requirement: d.requirement, pinned: d.pinned, scope: d.scope, looseness: d.looseness) },
          indirect: manifest.parsed.indirect.count,
          indirectDependencies: manifest.parsed.indirect.sorted { $0.name < $1.name }.map { .init(name: $0.name, requirement: $0.requirement) },
          resolved: resolved, error: manifest.problem.map { .init(line: $0.line, message: $0.message) }))
      }
  }
}
