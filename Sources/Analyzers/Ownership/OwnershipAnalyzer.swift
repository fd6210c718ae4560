import SalvageCore

/// Who can still change the code: each file's main developer and fragmentation, the truck factor
/// (Avelino et al.), code whose main developer has left (knowledge loss), knowledge islands, and bots
/// counted apart. A pure function of the history and the tip snapshot.
public struct OwnershipAnalyzer: Analyzer {
  public let id = "ownership"
  public init() {}

  public func makeHistoryObserver(options: ScanOptions, rules: RuleSet) throws -> (any HistoryObserver)? {
    _ = try OwnershipRules(rules)
    return nil
  }

  /// Its knowledge risk weighs files by the hotspot ranking, which needs their indentation profiles.
  public func makeBlobFactExtractors(rules: RuleSet) throws -> [String: any BlobFactExtractor] {
    try HotspotAnalyzer().makeBlobFactExtractors(rules: rules)
  }

  public func analyze(_ context: ScanContext) throws -> AnalyzerResult {
    let rules = try OwnershipRules(context.rules)
    let history = context.history
    let files = AnalyzedFiles(context, excludedClasses: rules.excludedClasses)
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

    // Knowledge loss and islands, in lines of the tip.
    var totalLines = 0, orphanedLines = 0, orphanedFiles = 0, islandFiles = 0, islandLines = 0
    var orphanedByPerson: [Int32: Int] = [:]
    for f in 0..<files.count {
      let lines = files.files[f].lines
      totalLines += lines
      guard let main = owners[f].mainDeveloper else { continue }
      if isFormer(main) {
        orphanedLines += lines
        orphanedFiles += 1
        orphanedByPerson[main, default: 0] += lines
      }
      if owners[f].share >= rules.islandShare {
        islandFiles += 1
        islandLines += lines
      }
    }
    let orphanedShare = totalLines > 0 ? Double(orphanedLines) / Double(totalLines) : 0

    let describe: (Int32) -> JSONValue = { p in
      ["name": .string(people[Int(p)].name), "email": .string(people[Int(p)].email)]
    }

    var fileList: [JSONValue] = []
    fileList.reserveCapacity(files.count)
    for f in 0..<files.count {
      let o = owners[f]
      fileList.append([
        "path": .string(files.files[f].displayPath),
        "component": .string(files.components[f]),
        "lines": .int(files.files[f].lines),
        "mainDeveloper": o.mainDeveloper.map { .string(people[Int($0)].name) } ?? .null,
        "mainDeveloperEmail": o.mainDeveloper.map { .string(people[Int($0)].email) } ?? .null,
        "share": .number(o.share),
        "contributors": .int(o.contributors),
        "minorContributors": .int(o.minorContributors),
        "fragmentation": .number(o.fragmentation),
        "authors": .array(o.authors.map { .string(people[Int($0)].name) }),
        "island": .bool(o.mainDeveloper != nil && o.share >= rules.islandShare),
        "orphaned": .bool(o.mainDeveloper.map(isFormer) ?? false),
      ])
    }

    // People: every person who authors a file or is a file's main developer, and the bots.
    var authored: [Int32: Int] = [:], mainOf: [Int32: Int] = [:]
    for o in owners {
      for a in o.authors { authored[a, default: 0] += 1 }
      if let m = o.mainDeveloper { mainOf[m, default: 0] += 1 }
    }
    let listed = Set(authored.keys).union(mainOf.keys).sorted(by: order)
    let personList: [JSONValue] = listed.map { p in
      var entry = describe(p)
      entry.set("commits", .int(ledger.commits[Int(p)]))
      entry.set("addedLines", .int(Int(ledger.addedLines[Int(p)].rounded())))
      entry.set("filesAuthored", .int(authored[p] ?? 0))
      entry.set("mainDeveloperOf", .int(mainOf[p] ?? 0))
      entry.set("lastCommit", ledger.lastCommit[Int(p)] == .min ? .null : .string(UTC.iso(ledger.lastCommit[Int(p)])))
      entry.set("former", .bool(isFormer(p)))
      return entry
    }
    var botCommits: [Int32: Int] = [:]
    // By index: iterating would copy every commit (retaining its subject and lists) for its author.
    for n in history.commits.indices where ledger.isBot[Int(history.commits[n].author)] { botCommits[history.commits[n].author, default: 0] += 1 }
    let botList: [JSONValue] = botCommits.keys.sorted(by: order).map { p in
      var entry = describe(p)
      entry.set("commits", .int(botCommits[p]!))
      return entry
    }
    var humans = 0, former = 0
    for p in 0..<people.count where !ledger.isBot[p] && ledger.lastCommit[p] != .min {
      humans += 1
      if isFormer(Int32(p)) { former += 1 }
    }

    let tfJSON: JSONValue = [
      "value": .int(truckFactor.value),
      "people": .array(truckFactor.members.map { m in
        var entry = describe(m.person)
        entry.set("files", .int(m.files))
        entry.set("former", .bool(isFormer(m.person)))
        return entry
      }),
      "files": .int(truckFactor.files),
      "coverageAfter": .number(truckFactor.coverageAfter),
    ]

    let metrics: JSONValue = [
      "thresholds": rules.json,
      "analyzedFiles": .int(files.count),
      "excludedFiles": ["byClass": .int(files.excludedByClass), "byAttributes": .int(files.excludedByAttributes)],
      "truckFactor": tfJSON,
      "orphanedShare": .number(orphanedShare),
      "orphanedLines": .int(orphanedLines),
      "orphanedFiles": .int(orphanedFiles),
      "totalLines": .int(totalLines),
      "knowledgeIslands": ["files": .int(islandFiles), "lines": .int(islandLines),
                           "share": .number(totalLines > 0 ? Double(islandLines) / Double(totalLines) : 0)],
      "contributors": .int(humans),
      "formerContributors": .int(former),
      "botCommits": .int(ledger.botCommits),
      "bots": .array(botList),
      "people": .array(personList),
      "files": .array(fileList),
      "identities": .array(history.identityMerges.map { merge in
        [
          "name": .string(people[Int(merge.person)].name), "email": .string(people[Int(merge.person)].email),
          "aliases": .array(merge.aliases.map { ["name": .string($0.person.name), "email": .string($0.person.email), "reason": .string($0.reason.rawValue)] }),
        ]
      }),
      "suggestedMailmap": .string(Mailmap.suggestion(history.identityMerges, people: people)),
    ]

    let view = View(context: context, rules: rules, files: files, owners: owners, truckFactor: truckFactor, isFormer: isFormer, order: order,
                    orphanedShare: orphanedShare, orphanedLines: orphanedLines, totalLines: totalLines, orphanedFiles: orphanedFiles,
                    orphanedByPerson: orphanedByPerson)
    return AnalyzerResult(metrics: metrics, findings: view.findings(id: id), components: view.components())
  }
}

/// The figures the findings and the per-component facts are written from.
private struct View {
  let context: ScanContext
  let rules: OwnershipRules
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

  var people: [Person] { context.history.people }

  func name(_ p: Int32) -> String { people[Int(p)].name }

  func components() -> [String: JSONValue] {
    var members: [String: [Int]] = [:]
    for f in 0..<files.count { members[files.components[f], default: []].append(f) }
    var out: [String: JSONValue] = [:]
    for (component, list) in members {
      let tf = TruckFactor(authors: list.map { owners[$0].authors }, order: order, coverage: rules.coverage)
      var lines = 0, orphaned = 0, islands = 0
      var mainOf: [Int32: Int] = [:]
      for f in list {
        lines += files.files[f].lines
        guard let main = owners[f].mainDeveloper else { continue }
        mainOf[main, default: 0] += 1
        if isFormer(main) { orphaned += files.files[f].lines }
        if owners[f].share >= rules.islandShare { islands += 1 }
      }
      let top = mainOf.keys.sorted { mainOf[$0]! != mainOf[$1]! ? mainOf[$0]! > mainOf[$1]! : order($0, $1) }.prefix(3)
      out[component] = [
        "files": .int(list.count),
        "lines": .int(lines),
        "truckFactor": .int(tf.value),
        "truckFactorPeople": .array(tf.members.map { .string(name($0.person)) }),
        "orphanedShare": .number(lines > 0 ? Double(orphaned) / Double(lines) : 0),
        "knowledgeIslands": .int(islands),
        "mainDevelopers": .array(top.map { p in ["name": .string(name(p)), "files": .int(mainOf[p]!), "former": .bool(isFormer(p))] }),
      ]
    }
    return out
  }

  func findings(id: String) -> [Finding] {
    var out: [Finding] = []
    let tf = truckFactor
    let names = tf.members.map { m in name(m.person) + (isFormer(m.person) ? " (already gone)" : "") }
    if tf.value == 1 || tf.value == 2 {
      out.append(Finding(
        analyzer: id, rule: "truck-factor", key: "repository", severity: tf.value == 1 ? .high : .medium,
        title: "Truck factor of \(tf.value)",
        message: "If \(Prose.list(names)) left, more than half of the \(tf.files) analysed files would have no remaining author who "
          + "knows them (truck factor \(tf.value), Avelino et al.'s degree-of-authorship model). The project's knowledge sits with "
          + (tf.value == 1 ? "one person" : "two people") + ": plan a handover or retention before relying on the code.",
        evidence: ["value": .int(tf.value), "people": .array(tf.members.map { .string(name($0.person)) }), "files": .int(tf.files),
                   "coverageAfter": .number(tf.coverageAfter)]))
    } else if tf.value == 0, tf.files > 0 {
      out.append(Finding(
        analyzer: id, rule: "truck-factor", key: "repository", severity: .medium, title: "No clear authors",
        message: "Fewer than half of the \(tf.files) analysed files have an author by the degree-of-authorship model (imported code, "
          + "bots or squashed history): nobody in the history can be named as knowing most of the code.",
        evidence: ["value": 0, "files": .int(tf.files)]))
    }

    if totalLines > 0, orphanedShare >= rules.orphanedMedium {
      let leavers = orphanedByPerson.keys.sorted { orphanedByPerson[$0]! != orphanedByPerson[$1]! ? orphanedByPerson[$0]! > orphanedByPerson[$1]! : order($0, $1) }
      out.append(Finding(
        analyzer: id, rule: "orphaned-code", key: "repository", severity: orphanedShare >= rules.orphanedHigh ? .high : .medium,
        title: "\(Prose.percent(orphanedShare)) of the code was mainly written by people who left",
        message: "\(Prose.grouped(orphanedLines)) of \(Prose.grouped(totalLines)) lines (\(Prose.percent(orphanedShare)), \(Prose.count(orphanedFiles, "file"))) "
          + "are in files whose main developer has made no commit in the last \(rules.formerAfterDays) days: "
          + "\(Prose.list(leavers.prefix(5).map(name)))\(leavers.count > 5 ? " and others" : ""). "
          + "Whoever takes over will have to relearn this code without its author.",
        evidence: ["orphanedLines": .int(orphanedLines), "totalLines": .int(totalLines), "share": .number(orphanedShare),
                   "files": .int(orphanedFiles),
                   "formerDevelopers": .array(leavers.prefix(10).map { p in ["name": .string(name(p)), "lines": .int(orphanedByPerson[p]!)] })]))
    }

    // Knowledge islands in hot files: the riskiest places to lose a person.
    if let hotRules = try? HotspotRules(context.rules) {
      let model = HotspotAnalyzer.Model.shared(context, rules: hotRules)
      var islands = 0
      for i in model.ranking.order.prefix(model.ranking.hotCount) {
        guard islands < rules.maxFindings, let pid = context.history.paths.id(of: model.files.files[i].path) else { continue }
        let f = files.index(of: pid)
        guard f >= 0, let main = owners[f].mainDeveloper, owners[f].share >= rules.islandShare else { continue }
        islands += 1
        let path = files.files[f].displayPath, gone = isFormer(main)
        out.append(Finding(
          analyzer: id, rule: "hotspot-knowledge-island", key: path, severity: gone ? .high : .medium,
          title: "Hotspot known by one person: \(path)",
          message: "\(path) is hotspot #\(model.ranking.ranks[i]) and \(Prose.percent(owners[f].share)) of its lines were written by "
            + "\(name(main))" + (gone ? ", who has made no commit in the last \(rules.formerAfterDays) days. " : ". ")
            + "The code that changes most depends on a single person's knowledge.",
          location: Location(path: path),
          evidence: ["rank": .int(model.ranking.ranks[i]), "mainDeveloper": .string(name(main)), "share": .number(owners[f].share),
                     "former": .bool(gone)]))
      }
    }

    var componentFindings = 0
    var members: [String: [Int]] = [:]
    for f in 0..<files.count { members[files.components[f], default: []].append(f) }
    for component in members.keys.sorted() {
      let list = members[component]!
      guard componentFindings < rules.maxFindings, list.count >= rules.componentMinFiles else { continue }
      let ctf = TruckFactor(authors: list.map { owners[$0].authors }, order: order, coverage: rules.coverage)
      guard ctf.value == 1, let only = ctf.members.first else { continue }
      componentFindings += 1
      out.append(Finding(
        analyzer: id, rule: "component-truck-factor", key: component, severity: isFormer(only.person) ? .high : .medium,
        title: "Component \(component) depends on one person",
        message: "In \(component) (\(list.count) files), \(name(only.person)) authors \(only.files) files; without them more than half of the "
          + "component's files have no remaining author" + (isFormer(only.person) ? ", and they have already stopped committing." : "."),
        location: Location(path: component),
        evidence: ["component": .string(component), "person": .string(name(only.person)), "files": .int(list.count),
                   "authored": .int(only.files), "former": .bool(isFormer(only.person))]))
    }
    return out
  }
}
