import SalvageCore

/// Who can still change the code: each file's main developer and fragmentation, the truck factor
/// (Avelino et al.), code whose main developer has left (knowledge loss), knowledge islands, and bots
/// counted apart. A pure function of the history and the tip snapshot.
public struct OwnershipAnalyzer: Analyzer {
  public let id = "ownership"
  public init() {}

  /// Its knowledge risk weighs files by the hotspot ranking.
  public var inputs: [any ScanModel.Type] { [HotspotAnalyzer.Model.self, TipPaths.self, SortedTip.self] }

  public func compile(_ rules: RuleSet) throws -> OwnershipRules { try OwnershipRules(rules) }

  public func analyze(_ input: AnalysisInput, _ rules: OwnershipRules) throws -> Analysis<OwnershipOutput> {
    let context = input.context
    let history = context.history
    let files = AnalyzedFiles(context, tip: try input.model(TipPaths.self), sorted: try input.model(SortedTip.self),
                              excludedClasses: rules.excludedClasses)
    let ledger = AuthorshipLedger(history: history, files: files, bots: rules.bots)
    let people = history.people
    let order: (Int32, Int32) -> Bool = { a, b in
      let pa = people[Int(a)], pb = people[Int(b)]
      if pa.email != pb.email { return pa.email < pb.email }
      if pa.name != pb.name { return pa.name < pb.name }
      return a < b
    }
    let formerBefore = context.now - Int64(rules.formerAfterDays) * 86400
    let isFormer: (Int32) -> Bool = { ledger.lastCommit[Int($0)] != .min && ledger.lastCommit[Int($0)] < formerBefore }

    let owners = (0..<files.count).map { f in
      FileOwnership(entries: ledger.entries(of: f), totalAdded: ledger.addedOfFile[f], totalRevisions: ledger.revisionsOfFile[f],
                    totalDeliveries: ledger.deliveriesOfFile[f], rules: rules, order: order)
    }
    let truckFactor = TruckFactor(authors: owners.map(\.authors), order: order, coverage: rules.coverage)

    let written = Self.linesByAuthor(context, files: files)
    let loss = KnowledgeLoss(files: files, owners: owners, written: written, rules: rules, isFormer: isFormer)
    let round = { (x: Double) in Figures.rounded(x) }
    let fileList = Self.fileList(files, owners, people: people, rules: rules, orphaned: loss.orphanedFile)
    let team = Self.team(history, ledger: ledger, owners: owners, order: order, isFormer: isFormer)

    let tf = OwnershipOutput.TruckFactorFigures(
      value: truckFactor.value,
      people: truckFactor.members.map { m in
        .init(name: people[Int(m.person)].name, email: people[Int(m.person)].email, files: m.files, former: isFormer(m.person))
      },
      files: truckFactor.files, coverageAfter: round(truckFactor.coverageAfter))

    let output = OwnershipOutput(
      thresholds: rules.echoed, analyzedFiles: files.count,
      excludedFiles: .init(byClass: files.excludedByClass, byAttributes: files.excludedByAttributes),
      truckFactor: tf, orphanedBasis: written == nil ? "files" : "lines", orphanedShare: round(loss.orphanedShare), orphanedLines: loss.orphanedLines,
      orphanedFiles: loss.orphanedFiles, totalLines: loss.totalLines,
      knowledgeIslands: .init(files: loss.islandFiles, lines: loss.islandLines, share: round(loss.islandShare)),
      contributors: team.humans, formerContributors: team.former, botCommits: ledger.botCommits, bots: team.bots, people: team.people, files: fileList,
      identities: history.identityMerges.map { merge in
        .init(name: people[Int(merge.person)].name, email: people[Int(merge.person)].email,
              aliases: merge.aliases.map { .init(name: $0.person.name, email: $0.person.email, reason: $0.reason.rawValue) })
      },
      suggestedMailmap: Mailmap.suggestion(history.identityMerges, people: people))

    let view = View(context: context, rules: rules, hotspots: try input.model(HotspotAnalyzer.Model.self), files: files, owners: owners,
                    truckFactor: truckFactor, isFormer: isFormer, order: order, orphanedShare: loss.orphanedShare, orphanedLines: loss.orphanedLines,
                    totalLines: loss.totalLines, orphanedFiles: loss.orphanedFiles, orphanedByPerson: loss.orphanedByPerson, written: written,
                    shown: PersonNames(context.history.people))
    return Analysis(output, findings: view.findings(id: id), components: view.components())
  }

  /// Each analyzed file's owners, as the output lists them.
  static func fileList(_ files: AnalyzedFiles, _ owners: [FileOwnership], people: [Person], rules: OwnershipRules,
                       orphaned: [Bool]) -> [OwnershipOutput.File] {
    let round = { (x: Double) in Figures.rounded(x) }
    var fileList: [OwnershipOutput.File] = []
    fileList.reserveCapacity(files.count)
    for f in 0..<files.count {
      let o = owners[f]
      fileList.append(OwnershipOutput.File(
        path: files.files[f].displayPath, component: files.components[f], lines: files.files[f].lines,
        mainDeveloper: o.mainDeveloper.map { people[Int($0)].name }, mainDeveloperEmail: o.mainDeveloper.map { people[Int($0)].email },
        share: round(o.share), contributors: o.contributors, minorContributors: o.minorContributors, fragmentation: round(o.fragmentation),
        authors: o.authors.map { people[Int($0)].name }, island: o.mainDeveloper != nil && rules.isIsland(share: o.share),
        orphaned: orphaned[f]))
    }
    return fileList
  }

  /// Who the team is: every person who authors a file or is a file's main developer, the bots, and how
  /// many people committed and have left.
  static func team(_ history: History, ledger: AuthorshipLedger, owners: [FileOwnership], order: (Int32, Int32) -> Bool,
                   isFormer: (Int32) -> Bool) -> (people: [OwnershipOutput.Contributor], bots: [OwnershipOutput.Bot], humans: Int, former: Int) {
    let people = history.people
    var authored: [Int32: Int] = [:], mainOf: [Int32: Int] = [:]
    for o in owners {
      for a in o.authors { authored[a, default: 0] += 1 }
      if let m = o.mainDeveloper { mainOf[m, default: 0] += 1 }
    }
    let listed = Set(authored.keys).union(mainOf.keys).sorted(by: order)
    let personList = listed.map { p in
      OwnershipOutput.Contributor(
        name: people[Int(p)].name, email: people[Int(p)].email, commits: ledger.commits[Int(p)],
        addedLines: Int(ledger.addedLines[Int(p)].rounded()), filesAuthored: authored[p] ?? 0, mainDeveloperOf: mainOf[p] ?? 0,
        lastCommit: ledger.lastCommit[Int(p)] == .min ? nil : Timestamp(ledger.lastCommit[Int(p)]), former: isFormer(p))
    }
    var botCommits: [Int32: Int] = [:]
    // By index: iterating would copy every commit (retaining its subject and lists) for its author.
    for n in history.commits.indices where ledger.isBot[Int(history.commits[n].author)] { botCommits[history.commits[n].author, default: 0] += 1 }
    let botList = botCommits.keys.sorted(by: order).map { p in
      OwnershipOutput.Bot(name: people[Int(p)].name, email: people[Int(p)].email, commits: botCommits[p]!)
    }
    var humans = 0, former = 0
    for p in 0..<people.count where !ledger.isBot[p] && ledger.lastCommit[p] != .min {
      humans += 1
      if isFormer(Int32(p)) { former += 1 }
    }
    return (personList, botList, humans, former)
  }

  /// Per analyzed file, the lines each person wrote (their origins, as `git blame` gives them); nil
  /// when the lines were not followed. A file the tracker does not hold (binary, a blob missing) has
  /// none.
  static func linesByAuthor(_ context: ScanContext, files: AnalyzedFiles) -> [[(PersonID, Int)]]? {
    guard let origins = context.lines else { return nil }
    var at: [[UInt8]: Int] = [:]
    for (i, file) in origins.files.enumerated() { at[file.path] = i }
    return files.files.map { file in
      guard let i = at[file.path] else { return [] }
      var lines: [PersonID: Int] = [:]
      for run in origins.files[i].runs { lines[context.history.commits[Int(run.commit)].author, default: 0] += Int(run.count) }
      return lines.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
  }
}

/// Knowledge loss and islands, in lines of the tip. With the line origins (`git blame`'s), a line is
/// lost knowledge when the person who wrote it left, and a file is orphaned when most of its lines are;
/// without them, every line of a file counts for its main developer.
private struct KnowledgeLoss {
  var totalLines = 0, orphanedLines = 0, orphanedFiles = 0, islandFiles = 0, islandLines = 0
  var orphanedByPerson: [Int32: Int] = [:]
  var orphanedFile: [Bool]

  var orphanedShare: Double { totalLines > 0 ? Double(orphanedLines) / Double(totalLines) : 0 }
  var islandShare: Double { totalLines > 0 ? Double(islandLines) / Double(totalLines) : 0 }

  init(files: AnalyzedFiles, owners: [FileOwnership], written: [[(PersonID, Int)]]?, rules: OwnershipRules, isFormer: (Int32) -> Bool) {
    orphanedFile = [Bool](repeating: false, count: files.count)
    for f in 0..<files.count {
      let lines = files.files[f].lines
      totalLines += lines
      if owners[f].mainDeveloper != nil, rules.isIsland(share: owners[f].share) {
        islandFiles += 1
        islandLines += lines
      }
      if let written {
        var former = 0
        for (person, n) in written[f] where isFormer(person) {
          former += n
          orphanedByPerson[person, default: 0] += n
        }
        orphanedLines += former
        if 2 * former > lines {
          orphanedFiles += 1
          orphanedFile[f] = true
        }
      } else if let main = owners[f].mainDeveloper, isFormer(main) {
        orphanedLines += lines
        orphanedFiles += 1
        orphanedFile[f] = true
        orphanedByPerson[main, default: 0] += lines
      }
    }
  }
}

/// The figures the findings and the per-component facts are written from.
private struct View {
  let context: ScanContext
  let rules: OwnershipRules
  let hotspots: HotspotAnalyzer.Model
  let files: AnalyzedFiles
  let owners: [FileOwnership]
  let truckFactor: TruckFactor
  let isFormer: (Int32) -> Bool
  let order: (Int32, Int32) -> Bool
  let orphanedShare: Double
  let orphanedLines: Int
  let totalLines: Int
  let orphanedFiles: Int
  let orphanedByPerson: [Int32: Int]
  let written: [[(PersonID, Int)]]?

  /// How the findings' sentences name people: two of the same name told apart.
  let shown: PersonNames
  var people: [Person] { context.history.people }

  func name(_ p: Int32) -> String { people[Int(p)].name }

  func components() -> [String: OwnershipOutput.Component] {
    var members: [String: [Int]] = [:]
    for f in 0..<files.count { members[files.components[f], default: []].append(f) }
    var out: [String: OwnershipOutput.Component] = [:]
    for (component, list) in members {
      let tf = TruckFactor(authors: list.map { owners[$0].authors }, order: order, coverage: rules.coverage)
      var lines = 0, orphaned = 0, islands = 0
      var mainOf: [Int32: Int] = [:]
      for f in list {
        lines += files.files[f].lines
        if let written { orphaned += written[f].reduce(0) { $0 + (isFormer($1.0) ? $1.1 : 0) } }
        guard let main = owners[f].mainDeveloper else { continue }
        mainOf[main, default: 0] += 1
        if written == nil, isFormer(main) { orphaned += files.files[f].lines }
        if rules.isIsland(share: owners[f].share) { islands += 1 }
      }
      let top = mainOf.keys.sorted { mainOf[$0]! != mainOf[$1]! ? mainOf[$0]! > mainOf[$1]! : order($0, $1) }.prefix(3)
      out[component] = .init(
        files: list.count, lines: lines, truckFactor: tf.value, truckFactorPeople: tf.members.map { name($0.person) },
        orphanedShare: Figures.rounded(lines > 0 ? Double(orphaned) / Double(lines) : 0), knowledgeIslands: islands,
        mainDevelopers: top.map { p in .init(name: name(p), files: mainOf[p]!, former: isFormer(p)) })
    }
    return out
  }

  func findings(id: String) -> [Finding] {
    var out: [Finding] = []
    let tf = truckFactor
    let names = tf.members.map { m in shown[m.person] + (isFormer(m.person) ? " (already gone)" : "") }
    if tf.value == 1 || tf.value == 2 {
      out.append(Finding(
        analyzer: id, rule: "truck-factor", key: "repository", severity: tf.value == 1 ? .high : .medium,
        title: "Truck factor of \(tf.value)",
        message: "If \(Prose.list(names)) left, more than half of the \(tf.files) analysed files would have no remaining author who "
          + "knows them (truck factor \(tf.value), Avelino et al.'s degree-of-authorship model). The project's knowledge sits with "
          + (tf.value == 1 ? "one person" : "two people") + ": plan a handover or retention before relying on the code.",
        evidence: OwnershipOutput.TruckFactorEvidence(
          value: tf.value, people: tf.members.map { name($0.person) }, files: tf.files, coverageAfter: Figures.rounded(tf.coverageAfter))))
    } else if tf.value == 0, tf.files > 0 {
      out.append(Finding(
        analyzer: id, rule: "truck-factor", key: "repository", severity: .medium, title: "No clear authors",
        message: "Fewer than half of the \(tf.files) analysed files have an author by the degree-of-authorship model (imported code, "
          + "bots or squashed history): nobody in the history can be named as knowing most of the code.",
        evidence: OwnershipOutput.NoAuthorsEvidence(value: 0, files: tf.files)))
    }

    if totalLines > 0, let severity = rules.orphanedSeverity(share: orphanedShare) {
      let leavers = orphanedByPerson.keys.sorted { orphanedByPerson[$0]! != orphanedByPerson[$1]! ? orphanedByPerson[$0]! > orphanedByPerson[$1]! : order($0, $1) }
      out.append(Finding(
        analyzer: id, rule: "orphaned-code", key: "repository", severity: severity,
        title: written == nil ? "\(Figures.percent(orphanedShare)) of the code was mainly written by people who left"
          : "\(Figures.percent(orphanedShare)) of the code was written by people who left",
        message: written == nil
          ? "\(Figures.grouped(orphanedLines)) of \(Figures.grouped(totalLines)) lines (\(Figures.percent(orphanedShare)), \(Prose.count(orphanedFiles, "file"))) "
            + "are in files whose main developer has made no commit in the last \(rules.formerAfterDays) days: "
            + "\(Prose.list(leavers.prefix(5).map { shown[$0] }))\(leavers.count > 5 ? " and others" : ""). "
            + "Whoever takes over will have to relearn this code without its author."
          : "\(Figures.grouped(orphanedLines)) of the \(Figures.grouped(totalLines)) lines of today's code (\(Figures.percent(orphanedShare))) were written, "
            + "as git blame attributes them, by people who have made no commit in the last \(rules.formerAfterDays) days: "
            + "\(Prose.list(leavers.prefix(5).map { shown[$0] }))\(leavers.count > 5 ? " and others" : ""); "
            + "\(Prose.count(orphanedFiles, "file")) are mostly theirs. Whoever takes over will have to relearn this code without its authors.",
        evidence: OwnershipOutput.OrphanedEvidence(
          orphanedLines: orphanedLines, totalLines: totalLines, share: Figures.rounded(orphanedShare), files: orphanedFiles,
          formerDevelopers: leavers.prefix(10).map { p in .init(name: name(p), lines: orphanedByPerson[p]!) })))
    }

    // Knowledge islands in hot files: the riskiest places to lose a person.
    do {
      let model = hotspots
      var islands = 0
      for i in model.ranking.hotOrder {
        guard islands < rules.maxFindings, let pid = context.history.paths.id(of: model.files.files[i].path) else { continue }
        let f = files.index(of: pid)
        guard f >= 0, let main = owners[f].mainDeveloper, rules.isIsland(share: owners[f].share) else { continue }
        islands += 1
        let path = files.files[f].displayPath, gone = isFormer(main)
        out.append(Finding(
          analyzer: id, rule: "hotspot-knowledge-island", key: path, severity: gone ? .high : .medium,
          title: "Hotspot known by one person: \(path)",
          message: "\(path) is hotspot #\(model.ranking.ranks[i]) and \(Figures.percent(owners[f].share)) of its lines were written by "
            + "\(shown[main])" + (gone ? ", who has made no commit in the last \(rules.formerAfterDays) days. " : ". ")
            + "The code that changes most depends on a single person's knowledge.",
          location: Location(path: path),
          evidence: OwnershipOutput.IslandEvidence(
            rank: model.ranking.ranks[i], mainDeveloper: name(main), share: Figures.rounded(owners[f].share), former: gone)))
      }
    }

    var componentFindings = 0
    var members: [String: [Int]] = [:]
    for f in 0..<files.count { members[files.components[f], default: []].append(f) }
    for component in members.keys.sorted() {
      let list = members[component]!
      // Only code counts towards the size: configuration (a shared tsconfig, a Tailwind preset, Rails'
      // binstubs) holds no knowledge worth a risk.
      let code = list.filter { [.source, .test].contains(files.files[$0].fileClass) }.count
      guard componentFindings < rules.maxFindings, code >= rules.componentMinFiles else { continue }
      let ctf = TruckFactor(authors: list.map { owners[$0].authors }, order: order, coverage: rules.coverage)
      guard ctf.value == 1, let only = ctf.members.first else { continue }
      componentFindings += 1
      out.append(Finding(
        analyzer: id, rule: "component-truck-factor", key: component, severity: isFormer(only.person) ? .high : .medium,
        title: "Component \(component) depends on one person",
        message: "In \(component) (\(list.count) files), \(shown[only.person]) authors \(only.files) files; without them more than half of the "
          + "component's files have no remaining author" + (isFormer(only.person) ? ", and they have already stopped committing." : "."),
        location: Location(path: component),
        evidence: OwnershipOutput.ComponentEvidence(
          component: component, person: name(only.person), files: list.count, authored: only.files, former: isFormer(only.person))))
    }
    return out
  }
}
