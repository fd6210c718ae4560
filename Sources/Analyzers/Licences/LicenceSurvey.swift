import SalvageCore

/// One licences analysis over the tip: gathers the declarations and third-party items, decides the
/// product's licence and the risks, then finds when each risky item arrived.
struct LicenceSurvey {
  let context: ScanContext
  let text: LicenceText
  var rules: LicenceRules { text.rules }

  private var declarations: [LicencesOutput.Declaration] = []
  /// Licence files and manifests below the root, by component: the component's own licence.
  private var componentDeclared: [String: Set<String>] = [:]
  /// The licence fields of manifests below the root, by component (checked against the product's).
  private var manifestDeclared: [String: Set<String>] = [:]
  private var items: [Draft] = []
  private var headerCounts: [String: (kind: String, files: Int)] = [:]
  private var lockfiles: [LicencesOutput.Lockfile] = []
  private var packages: [LicencesOutput.Package] = []
  private var resolved = 0, withLicence = 0
  private var serviceMarkers: [String] = []
  private var serverPackages: [String] = []

  /// A third-party item before the product's licence is known.
  private struct Draft {
    let file: SnapshotFile
    let path: String
    let source: String
    let package: String?
    let id: String?
    let licence: Int?
    let kind: String
    let confidence: Double
  }

  init(context: ScanContext, text: LicenceText) {
    self.context = context
    self.text = text
  }

  private static func name(of path: [UInt8]) -> String {
    let slash = path.lastIndex(of: UInt8(ascii: "/"))
    return String(decoding: slash.map { path[($0 + 1)...] } ?? path[...], as: UTF8.self)
  }

  private static func folder(of display: String) -> String {
    display.lastIndex(of: "/").map { String(display[..<$0]) } ?? ""
  }

  private func isVendored(_ file: SnapshotFile) -> Bool { file.fileClass == .vendored }

  mutating func read(inventory: DependencyInventory) {
    var goVendor: SnapshotFile?
    for file in context.snapshot.files {
      let path = file.path
      if context.options.isExcluded(path) { continue }
      let name = Self.name(of: path)
      let atRoot = !path.contains(UInt8(ascii: "/"))
      if serviceMarkers.count < 5, rules.serviceMarkers.contains(where: { $0.matches(path) }) { serviceMarkers.append(file.displayPath) }
      if rules.isLicenceFile(name) {
        licenceFile(file, atRoot: atRoot)
        continue
      }
      if atRoot && rules.isReadme(name), let content = file.content {
        let m = text.readmeSection(content)
        if let m { declarations.append(.init(path: file.displayPath, source: "readme", id: m.id, kind: kind(m.licence), confidence: m.confidence)) }
        continue
      }
      if LicenceManifests.isManifest(name) {
        manifest(file, name: name, atRoot: atRoot)
        continue
      }
      if name == "METADATA" || name == "PKG-INFO", file.displayPath.contains(".dist-info/") || file.displayPath.contains(".egg-info/") {
        pythonMetadata(file)
        continue
      }
      if file.displayPath == "vendor/modules.txt" { goVendor = file }
      // Code only: documentation that talks about licences is no licence of the file.
      guard [.source, .test, .vendored, .generated].contains(file.fileClass) else { continue }
      header(file)
    }
    if let goVendor { goModules(goVendor) }
    dependencies(inventory)
    serverDependencies(inventory)
  }

  private func kind(_ licence: Int?) -> String { licence.map { rules.licences[$0].kind } ?? "unknown" }

  private mutating func licenceFile(_ file: SnapshotFile, atRoot: Bool) {
    guard let content = file.content else { return }
    let m = text.identify(content)
    if atRoot {
      declarations.append(.init(path: file.displayPath, source: "licence file", id: m?.id, kind: kind(m?.licence), confidence: m?.confidence ?? 0))
      return
    }
    let component = context.components.component(of: file.path)
    if !isVendored(file) { componentDeclared[component, default: []].insert(m?.id ?? "unknown") }
    items.append(Draft(file: file, path: file.displayPath, source: "licence file", package: nil, id: m?.id, licence: m?.licence,
                       kind: kind(m?.licence), confidence: m?.confidence ?? 0))
  }

  private mutating func manifest(_ file: SnapshotFile, name: String, atRoot: Bool) {
    guard let content = file.content, let declared = LicenceManifests.declared(name: name, content) else { return }
    let resolved = text.resolve(expression: declared.licence)
    if atRoot {
      declarations.append(.init(path: file.displayPath, source: "manifest", id: resolved.expression, kind: resolved.kind,
                                confidence: resolved.licence == nil ? 0 : 1))
    } else if isVendored(file) {
      items.append(Draft(file: file, path: file.displayPath, source: "package manifest", package: declared.package, id: resolved.expression,
                         licence: resolved.licence, kind: resolved.kind, confidence: resolved.licence == nil ? 0 : 1))
    } else {
      let component = context.components.component(of: file.path)
      componentDeclared[component, default: []].insert(resolved.expression)
      manifestDeclared[component, default: []].insert(resolved.expression)
    }
  }

  private mutating func pythonMetadata(_ file: SnapshotFile) {
    guard let content = file.content else { return }
    let meta = LicenceManifests.pythonMetadata(content)
    let resolved = meta.licence.map { text.resolve(expression: $0) }
    items.append(Draft(file: file, path: file.displayPath, source: "python metadata", package: meta.package, id: resolved?.expression,
                       licence: resolved?.licence, kind: resolved?.kind ?? "unknown", confidence: resolved?.licence == nil ? 0 : 1))
  }

  /// `vendor/modules.txt`: every vendored Go module, with the licence file found in its folder.
  private mutating func goModules(_ file: SnapshotFile) {
    guard let content = file.content else { return }
    let folders = Set(items.filter { $0.source == "licence file" }.map { Self.folder(of: $0.path) })
    for line in String(decoding: content, as: UTF8.self).split(separator: "\n") where line.hasPrefix("# ") {
      let parts = line.dropFirst(2).split(separator: " ")
      guard let module = parts.first, !module.hasPrefix("explicit") else { continue }
      // A module replaced by a local path ("=> ../x") is not vendored code of a third party.
      if parts.contains("=>") && parts.last.map({ $0.hasPrefix(".") || $0.hasPrefix("/") }) == true { continue }
      if folders.contains("vendor/\(module)") { continue }
      items.append(Draft(file: file, path: "vendor/\(module)", source: "go vendor", package: String(module), id: nil, licence: nil,
                         kind: "unknown", confidence: 0))
    }
  }

  /// A text file's header: an SPDX tag or a licence notice (as the tree read's extractor saw it).
  private mutating func header(_ file: SnapshotFile) {
    let extractor = LicenceHeaderFacts(text: text)
    guard let facts = context.snapshot.facts(of: file, named: LicencesAnalyzer.extractorName, extractor), let fact = facts.first else { return }
    var id: String?, licence: Int?, confidence = 0.0, source = "file header"
    if fact == LicenceHeaderFacts.spdx {
      guard let content = file.content else { return }
      let header = content.withUnsafeBufferPointer { LicenceHeaderFacts.header($0, lines: rules.headerLines, bytes: rules.headerBytes) }
      guard let expression = LicenceHeaderFacts.spdxLine(header) else { return }
      let resolved = text.resolve(expression: expression)
      (id, licence, confidence, source) = (resolved.expression, resolved.licence, resolved.licence == nil ? 0 : 1, "spdx tag")
    } else if let m = LicenceHeaderFacts.decode(fact, rules: rules) {
      (id, licence, confidence) = (m.id, m.licence, m.confidence)
    } else {
      return
    }
    let k = kind(licence)
    headerCounts[id ?? "unknown", default: (k, 0)].files += 1
    items.append(Draft(file: file, path: file.displayPath, source: source, package: nil, id: id, licence: licence, kind: k, confidence: confidence))
  }

  /// The lockfiles' resolved packages; npm v2/v3 and Composer lockfiles record each one's licence.
  private mutating func dependencies(_ inventory: DependencyInventory) {
    for lock in inventory.lockfiles {
      guard !context.options.isExcluded(lock.path) else { continue }
      let file = context.snapshot.file(at: lock.path)
      if let content = file?.content, let locked = LicenceManifests.locked(parser: lock.entry.parser, content) {
        let known = locked.filter { $0.licence != nil }.count
        resolved += locked.count
        withLicence += known
        lockfiles.append(.init(path: lock.displayPath, ecosystem: lock.entry.ecosystem, packages: locked.count, withLicence: known,
                               note: known < locked.count ? "\(Prose.count(locked.count - known, "package")) \(locked.count - known == 1 ? "declares" : "declare") no licence" : nil))
        var seen = Set<String>()
        for p in locked where seen.insert("\(p.name)\u{0}\(p.version)").inserted {
          let r = p.licence.map { text.resolve(expression: $0) }
          packages.append(.init(lockfile: lock.displayPath, name: p.name, version: p.version, id: r?.expression ?? "none declared",
                                kind: r?.kind ?? "unknown", dev: p.dev, risk: nil))
        }
      } else {
        let count = Set(lock.parsed.resolved).count
        resolved += count
        lockfiles.append(.init(path: lock.displayPath, ecosystem: lock.entry.ecosystem, packages: count, withLicence: 0,
                               note: "\(lock.entry.parser) records no licences: the licences of its \(Prose.count(count, "package")) are unknown (not assessed)"))
      }
    }
  }

  /// Runtime dependencies that serve requests: a web or RPC framework declared by a manifest.
  private mutating func serverDependencies(_ inventory: DependencyInventory) {
    var found: [String] = []
    for manifest in inventory.manifests where !context.options.isExcluded(manifest.path) {
      for d in manifest.parsed.direct where d.scope == "runtime" && rules.servicePackages.contains(d.name) { found.append("\(manifest.displayPath): \(d.name)") }
    }
    serverPackages = Array(Set(found).sorted().prefix(5))
  }

  /// Why the product is taken for a network service, or not: always a guess from the files.
  private var serviceBasis: String {
    var signs: [String] = []
    if !serviceMarkers.isEmpty { signs.append("marker files (\(serviceMarkers.joined(separator: ", ")))") }
    if !serverPackages.isEmpty { signs.append("server dependencies (\(serverPackages.joined(separator: ", ")))") }
    return signs.isEmpty
      ? "a guess: no file that usually marks a network service (a Dockerfile, compose or platform file, a server framework among the dependencies) was found"
      : "a guess from " + signs.joined(separator: " and ") + ", not confirmed from the code or its deployment"
  }

  // MARK: - Conclusions

  /// The product's licence: the best licence file, else the README, else a manifest.
  private func ownLicence() -> (own: LicencesOutput.Own, licence: Int?) {
    let order = ["licence file", "readme", "manifest"]
    let known = declarations.filter { $0.id != nil && $0.kind != "unknown" }
      .sorted { (order.firstIndex(of: $0.source)!, -$0.confidence, $0.path) < (order.firstIndex(of: $1.source)!, -$1.confidence, $1.path) }
    if let best = known.first {
      // Several root licence files (LICENSE-MIT, LICENSE-APACHE) offer a choice.
      let files = known.filter { $0.source == "licence file" }
      let ids = Array(Set(files.compactMap(\.id))).sorted()
      let id = ids.count > 1 ? ids.joined(separator: " OR ") : best.id!
      let resolved = text.resolve(expression: id)
      return (.init(id: id, kind: resolved.licence.map { rules.licences[$0].kind } ?? best.kind, confidence: best.confidence, source: best.path),
              resolved.licence)
    }
    if let unrecognised = declarations.first {
      return (.init(id: unrecognised.id, kind: "unknown", confidence: 0, source: unrecognised.path), nil)
    }
    return (.init(id: nil, kind: "none", confidence: 0, source: nil), nil)
  }

  /// The families the declarations name, without `-or-later` and the like, for the conflict check.
  private func family(_ id: String?) -> String? {
    guard let id, let r = text.resolve(expression: id).licence else { return nil }
    return rules.licences[r].id
  }

  /// The risk an item or package under `licence` (of `kind`) raises in this product.
  private func risk(licence: Int?, kind: String, own: Int?, service: Bool) -> String? {
    guard let k = rules.kinds[kind] else { return nil }
    if let licence, let own {
      let ownID = rules.licences[own].id
      if ownID == rules.licences[licence].id || rules.licences[licence].compatibleWith.contains(ownID) { return nil }
      // Weak copyleft under a copyleft product is no concern.
      if kind == "weak-copyleft" && rules.rank(of: rules.licences[own].kind) >= rules.rank(of: "strong-copyleft") { return nil }
    }
    return service ? (k.serviceRisk ?? k.risk) : k.risk
  }

  func analysis() -> Analysis<LicencesOutput> {
    let (own, ownLicence) = ownLicence()
    let service = !serviceMarkers.isEmpty || !serverPackages.isEmpty
    var findings: [Finding] = []
    let ownFamily = family(own.id)

    func finding(_ rule: String, key: String, title: String, message: String, path: String?, commit: String? = nil, evidence: any FindingEvidence) -> Finding {
      let r = rules.risks[rule]!
      return Finding(analyzer: "licences", rule: rule, key: key, severity: r.severity, title: title, message: message + " " + r.explanation,
                     location: Location(path: path, commit: commit), evidence: evidence)
    }

    // The product's own licence.
    if own.id == nil {
      findings.append(finding("no-licence", key: "", title: rules.risks["no-licence"]!.title, message: "No licence statement was found at the root.",
                              path: nil, evidence: LicencesOutput.NoLicenceEvidence(declarations: declarations.count)))
    } else if own.kind == "unknown" {
      findings.append(finding("unknown-licence", key: own.source ?? "", title: "The repository's licence text is not recognised",
                              message: "\(own.source ?? "The licence file") states a licence Salvage does not recognise.",
                              path: own.source, evidence: LicencesOutput.UnknownOwnEvidence(kind: "unknown")))
    } else if rules.rank(of: own.kind) >= rules.rank(of: "strong-copyleft"), rules.rank(of: own.kind) <= rules.rank(of: "network-copyleft") {
      let bots = context.history.people.filter(rules.bots.isBot).count
      let people = context.history.people.count - bots
      let network = own.kind == "network-copyleft" && service ? " It looks like a network service (\(serviceBasis)), so the network clause would apply to its users." : ""
      let botNote = bots > 0 ? " (\(Prose.count(bots, "bot")) not counted)" : ""
      findings.append(finding("own-copyleft", key: own.id!, title: "The product is licensed under \(own.id!)",
                              message: "The product's own licence is \(own.id!) (\(own.source ?? "")).\(network) \(Prose.count(people, "person", "people")) committed to it\(botNote).",
                              path: own.source, evidence: LicencesOutput.OwnCopyleftEvidence(id: own.id!, kind: own.kind, networkService: service,
                                                                                              networkServiceBasis: serviceBasis, committers: people, bots: bots)))
    }
    let families = Set(declarations.compactMap { family($0.id) })
    var conflicts = 0
    if families.count > 1 {
      // Several root licence files offering a choice are no conflict; a manifest or README naming another licence is.
      let listed = declarations.filter { $0.id != nil }.map { "\($0.path): \($0.id!)" }.joined(separator: "; ")
      let fileFamilies = Set(declarations.filter { $0.source == "licence file" }.compactMap { family($0.id) })
      if !families.subtracting(fileFamilies).isEmpty || fileFamilies.isEmpty {
        conflicts = 1
        findings.append(finding("licence-conflict", key: families.sorted().joined(separator: ","), title: rules.risks["licence-conflict"]!.title,
                                message: "The declarations name \(families.sorted().joined(separator: ", ")): \(listed).",
                                path: declarations.first { $0.source == "manifest" }?.path ?? own.source,
                                evidence: LicencesOutput.ConflictEvidence(licences: families.sorted())))
      }
    }

    // Third-party items: those under the product's own licence are its own code.
    var listed: [(draft: Draft, risk: String?)] = []
    // A folder's licence file or package manifest speaks for the files below it: their headers are not
    // listed again when they say the same (a library of 300 GPL files is one item, not 301), nor at all
    // in vendored code.
    var packageFolders: [String: String?] = [:]
    for d in items where d.source == "licence file" || d.source == "package manifest" { packageFolders[Self.folder(of: d.path)] = family(d.id) }
    func coveredByPackage(_ d: Draft) -> Bool {
      guard d.source == "file header" || d.source == "spdx tag" else { return false }
      let own = family(d.id)
      var folder = Self.folder(of: d.path)
      while !folder.isEmpty {
        if let f = packageFolders[folder], isVendored(d.file) || (f != nil && f == own) { return true }
        folder = Self.folder(of: folder)
      }
      return false
    }
    for item in items where !coveredByPackage(item) {
      // The product's own licence on its own files; vendored code stays third-party whatever its licence.
      if let l = item.licence, let ownFamily, rules.licences[l].id == ownFamily, !isVendored(item.file) { continue }
      if item.kind == "permissive" || item.kind == "public-domain", item.source == "file header" || item.source == "spdx tag", !isVendored(item.file),
         ownLicence == nil {
        // A permissive header in a product without a licence is most likely its own.
        listed.append((item, nil))
        continue
      }
      listed.append((item, risk(licence: item.licence, kind: item.kind, own: ownLicence, service: service)))
    }
    // Packages: development-only ones ship nothing.
    var risked: [LicencesOutput.Package] = []
    var packageRisks = 0, packageWeak = 0, packageUnknown = 0
    var parties: [LicenceCombinations.Party] = []
    for p in packages {
      let licence = p.id == "none declared" ? nil : text.resolve(expression: p.id).licence
      let r = p.dev || p.id == "none declared" ? nil : risk(licence: licence, kind: p.kind, own: ownLicence, service: service)
      if !p.dev, let stated = text.stated(p.id, licence: licence) {
        parties.append(.init(component: context.components.component(of: Array(p.lockfile.utf8)), stated: stated,
                             place: "\(p.lockfile): \(p.name) \(p.version)", path: p.lockfile, own: false, risked: r != nil))
      }
      guard r != nil || (p.kind == "unknown" && p.id != "none declared") else { continue }
      risked.append(.init(lockfile: p.lockfile, name: p.name, version: p.version, id: p.id, kind: p.kind, dev: p.dev, risk: r))
      switch r {
      case "copyleft-in-product", "network-copyleft": packageRisks += 1
      case "weak-copyleft": packageWeak += 1
      case "unknown-licence": packageUnknown += 1
      default: break
      }
      if let r, r != "weak-copyleft", r != "unknown-licence" {
        let rr = rules.risks[r]!
        findings.append(finding(r, key: "\(p.lockfile)\u{0}\(p.name)\u{0}\(p.version)", title: "\(p.name) \(p.version): \(rr.title.lowercased()) (\(p.id))",
                                message: "\(p.lockfile) resolves \(p.name) \(p.version), declared \(p.id) (\(p.kind)); the product is under \(own.id ?? "no licence").\(r == "network-copyleft" ? " The product looks like a network service: \(serviceBasis)." : "")",
                                path: p.lockfile, evidence: LicencesOutput.PackageEvidence(package: p.name, version: p.version, licence: p.id, kind: p.kind)))
      }
    }

    // Unrecognised licences of packages: one finding per lockfile, not one per package.
    for (lockfile, list) in Dictionary(grouping: risked.filter { $0.risk == "unknown-licence" }, by: \.lockfile).sorted(by: { $0.key < $1.key }) {
      let names = list.map { "\($0.name) \($0.version) (\($0.id))" }
      findings.append(finding("unknown-licence", key: lockfile, title: "\(Prose.count(list.count, "package")) in \(lockfile) \(list.count == 1 ? "declares a licence" : "declare licences") Salvage does not recognise",
                              message: "\(lockfile) records licences that are no SPDX id Salvage knows: \(names.prefix(10).joined(separator: ", "))\(names.count > 10 ? " and \(names.count - 10) more" : "").",
                              path: lockfile, evidence: LicencesOutput.UnknownPackagesEvidence(packages: list.count)))
    }
    // Components whose manifests declare another licence than the product's.
    if let ownFamily {
      var differing: [String] = []
      for (component, ids) in manifestDeclared.sorted(by: { $0.key < $1.key }) {
        for id in ids.sorted() { if let f = family(id), f != ownFamily { differing.append("\(component) (\(id))") } }
      }
      if !differing.isEmpty {
        conflicts += 1
        findings.append(finding("licence-conflict", key: "components", title: "Components declare other licences than the product's \(own.id!)",
                                message: "The product is under \(own.id!) but \(Prose.count(differing.count, "component declaration")) \(differing.count == 1 ? "names" : "name") another licence: \(differing.prefix(10).joined(separator: ", "))\(differing.count > 10 ? " and \(differing.count - 10) more" : "").",
                                path: nil, evidence: LicencesOutput.ComponentsEvidence(components: differing.count)))
      }
    }

    // When and by whom the listed items arrived.
    let arrivals = Self.arrivals(of: listed.map(\.draft.file.path), history: context.history)
    var out: [LicencesOutput.Item] = []
    var componentFacts: [String: (thirdParty: Int, copyleft: Int, unknown: Int)] = [:]
    var itemRisks = 0, itemWeak = 0, itemUnknown = 0
    for (n, (d, r)) in listed.enumerated() {
      let component = context.components.component(of: d.file.path)
      componentFacts[component, default: (0, 0, 0)].thirdParty += 1
      switch r {
      case "copyleft-in-product", "network-copyleft": itemRisks += 1; componentFacts[component]!.copyleft += 1
      case "weak-copyleft": itemWeak += 1
      case "unknown-licence": itemUnknown += 1; componentFacts[component]!.unknown += 1
      default: break
      }
      let arrived = arrivals[n].map { a in
        LicencesOutput.Arrival(commit: a.commit.id.hex, date: UTC.date(a.commit.authorTime), author: context.history.people[Int(a.commit.author)].name)
      }
      out.append(.init(path: d.path, source: d.source, package: d.package, id: d.id, kind: d.kind, confidence: d.confidence,
                       vendored: isVendored(d.file), component: component, risk: r, arrived: arrived))
      if let stated = text.stated(d.id, licence: d.licence) {
        parties.append(.init(component: component, stated: stated, place: d.path, path: d.path, own: false, risked: r != nil))
      }
      if let r {
        let rr = rules.risks[r]!
        let what = d.package.map { "\($0) (\(d.path))" } ?? d.path
        let when = arrived.map { " It arrived on \($0.date) in commit \($0.commit.prefix(12)), by \($0.author)." } ?? ""
        findings.append(finding(r, key: d.path, title: "\(rr.title): \(what) (\(d.id ?? "unrecognised"))",
                                message: "\(what) is under \(d.id ?? "a licence Salvage does not recognise") (\(d.kind), from its \(d.source)); the product is under \(own.id ?? "no licence").\(when)\(r == "network-copyleft" ? " The product looks like a network service: \(serviceBasis)." : "")",
                                path: d.path, commit: arrived?.commit,
                                evidence: LicencesOutput.ItemEvidence(
                                  licence: d.id, kind: d.kind, source: d.source, vendored: isVendored(d.file), arrived: arrived?.date)))
      }
    }
    for p in risked where p.risk == "copyleft-in-product" || p.risk == "network-copyleft" || p.risk == "unknown-licence" {
      let component = context.components.component(of: Array(p.lockfile.utf8))
      componentFacts[component, default: (0, 0, 0)].thirdParty += 1
      if p.risk == "unknown-licence" { componentFacts[component]!.unknown += 1 } else { componentFacts[component]!.copyleft += 1 }
    }

    // Licences combined in one component that no licence lets anyone ship together; the product's own
    // code is in every component.
    if let ownStated = text.stated(own.id, licence: ownLicence) {
      for component in Set(parties.map(\.component)) {
        parties.append(.init(component: component, stated: ownStated, place: "the product's own licence (\(own.source ?? "declared"))",
                             path: own.source, own: true, risked: false))
      }
    }
    let incompatible = LicenceCombinations.conflicts(parties, rules: rules)
    for (c, path) in incompatible {
      let (a, b) = (c.sides[0], c.sides[1])
      func places(_ side: LicencesOutput.Incompatible.Side) -> String {
        side.places.joined(separator: ", ") + (side.count > side.places.count ? " and \(side.count - side.places.count) more" : "")
      }
      findings.append(finding("incompatible-licences", key: "\(c.component)\u{0}\(a.licence)\u{0}\(b.licence)",
                              title: "\(a.licence) and \(b.licence) cannot be combined in \(c.component == "." ? "the root component" : c.component)",
                              message: "\(c.component == "." ? "The root component" : c.component) ships code under \(a.licence) (\(places(a))) with code under \(b.licence) (\(places(b))). \(c.why)",
                              path: path,
                              evidence: LicencesOutput.IncompatibleEvidence(component: c.component, licences: [a.licence, b.licence], places: [a.count, b.count])))
    }

    // Risky items first, then by path; the list is capped, the counts are not.
    let ordered = out.sorted { (($0.risk == nil ? 1 : 0), $0.path) < (($1.risk == nil ? 1 : 0), $1.path) }
    let output = LicencesOutput(
      licence: own, declarations: declarations.sorted { ($0.source, $0.path) < ($1.source, $1.path) }, networkService: service,
      serviceMarkers: serviceMarkers + serverPackages, networkServiceBasis: serviceBasis, fileHeaders: headerCounts.map { .init(id: $0.key, kind: $0.value.kind, files: $0.value.files) }
        .sorted { ($1.files, $0.id) < ($0.files, $1.id) },
      thirdParty: Array(ordered.prefix(rules.listLimit)), thirdPartyCount: out.count,
      dependencies: .init(lockfiles: lockfiles, packages: Array(risked.prefix(rules.listLimit)), resolved: resolved, withLicence: withLicence,
                          unknown: resolved - withLicence),
      incompatible: incompatible.map(\.output),
      counts: .init(copyleft: itemRisks + packageRisks, weakCopyleft: itemWeak + packageWeak, unknown: itemUnknown + packageUnknown + (own.kind == "unknown" ? 1 : 0),
                    conflicts: conflicts + incompatible.count))
    var components: [String: any AnalyzerOutput] = [:]
    for name in Set(componentFacts.keys).union(componentDeclared.keys) {
      let f = componentFacts[name] ?? (0, 0, 0)
      components[name] = LicencesOutput.Component(declared: (componentDeclared[name] ?? []).sorted(), thirdParty: f.thirdParty, copyleft: f.copyleft, unknown: f.unknown)
    }
    return Analysis(output, findings: findings, components: components)
  }

  /// For each path, the commit that first added it (the oldest addition; else its oldest change), from
  /// the history the pass already read: one walk over the changes, only when there is something to date.
  static func arrivals(of paths: [[UInt8]], history: History) -> [(commit: Commit, added: Bool)?] {
    guard !paths.isEmpty else { return [] }
    var wanted: [PathID: [Int]] = [:]
    for (n, path) in paths.enumerated() { if let id = history.paths.id(of: path) { wanted[id, default: []].append(n) } }
    var found = [(commit: Commit, added: Bool)?](repeating: nil, count: paths.count)
    guard !wanted.isEmpty else { return found }
    // Newest first: the last addition seen is the oldest.
    for commit in history.commits {
      for change in history.changes(of: commit) {
        guard let slots = wanted[change.path] else { continue }
        let added = change.status == .added
        for n in slots where added || found[n]?.added != true { found[n] = (commit, added) }
      }
    }
    return found
  }
}
