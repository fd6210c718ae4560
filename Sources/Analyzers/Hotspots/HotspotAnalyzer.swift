import SalvageCore

/// Where the code hurts: files that change often and are complex (hotspots), files that keep
/// changing together (change coupling, code-maat's definition), and lines re-changed within weeks
/// (rework). A pure function of the history and the tip snapshot.
public struct HotspotAnalyzer: Analyzer {
  public let id = "hotspots"
  public init() {}

  public func compile(_ rules: RuleSet) throws -> HotspotRules { try HotspotRules(rules) }

  public var inputs: [any ScanModel.Type] { [Model.self] }

  /// Everything the analyzer computes, for the analyzer itself and for others that need the ranking:
  /// a model, read by the ownership analyzer too.
  struct Model: ScanModel {
    let rules: HotspotRules
    let files: AnalyzedFiles
    let activity: FileActivity
    let complexity: [IndentationComplexity?]
    let ranking: HotspotRanking

    static var inputs: [any ScanModel.Type] { [TipPaths.self, SortedTip.self] }

    static func compile(_ rules: RuleSet) throws -> HotspotRules { try HotspotRules(rules) }

    static func blobFactExtractors(_ rules: HotspotRules) -> [String: any BlobFactExtractor] {
      [IndentationComplexity.Extractor.name: IndentationComplexity.Extractor()]
    }

    static func make(_ context: ScanContext, rules: HotspotRules, models: Models) throws -> Model {
      Model(context, rules: rules, tip: try models(TipPaths.self), sorted: try models(SortedTip.self))
    }

    init(_ context: ScanContext, rules: HotspotRules, tip: TipPaths, sorted: SortedTip) {
      self.rules = rules
      files = AnalyzedFiles(context, tip: tip, sorted: sorted, excludedClasses: rules.excludedClasses)
      activity = FileActivity(history: context.history, files: files, now: context.now, rules: rules)
      complexity = files.files.map { IndentationComplexity($0, in: context.snapshot) }
      ranking = HotspotRanking(frequencies: activity.totals.map(\.windowRevisions), complexities: complexity.map { $0?.total ?? 0 },
                               eligible: files.files.map { rules.hotClasses.contains($0.fileClass) }, minShareOfTop: rules.hotMinShareOfTop)
    }

    func isHot(_ i: Int) -> Bool { ranking.hot[i] }
  }

  public func analyze(_ input: AnalysisInput, _ rules: HotspotRules) throws -> Analysis<HotspotsOutput> {
    let context = input.context
    let model = try input.model(Model.self)
    let coupling = ChangeCoupling(history: context.history, files: model.files, rules: rules)
    let files = model.files, activity = model.activity, ranking = model.ranking

    var fileList: [HotspotsOutput.File] = []
    fileList.reserveCapacity(files.count)
    let round = { (x: Double) in Figures.rounded(x) }
    for i in ranking.order {
      let file = files.files[i], t = activity.totals[i], c = model.complexity[i]
      let changed = t.revisions > 0
      fileList.append(HotspotsOutput.File(
        path: file.displayPath, component: files.components[i], fileClass: file.fileClass, rank: ranking.ranks[i], hot: model.isHot(i),
        score: round(ranking.scores[i]), revisions: t.revisions, added: t.added, deleted: t.deleted, authors: t.authors,
        firstChange: changed ? Timestamp(t.firstChange) : nil, lastChange: changed ? Timestamp(t.lastChange) : nil,
        ageMonths: changed ? monthsBetween(t.lastChange, context.now) : nil, lines: file.lines,
        loc: c?.loc, complexity: c?.total, maxNesting: c?.max, trend: HotspotsOutput.Trend(t),
        rework: .init(lines: t.reworkLines, share: round(t.reworkShare))))
    }

    let couplingList = coupling.pairs.map { pair in
      let ca = files.components[pair.a], cb = files.components[pair.b]
      return HotspotsOutput.Pair(
        a: files.files[pair.a].displayPath, b: files.files[pair.b].displayPath, shared: pair.shared, degree: pair.degree,
        revisionsA: pair.revisionsA, revisionsB: pair.revisionsB, averageRevisions: Figures.rounded(pair.averageRevisions, places: 1),
        componentA: ca, componentB: cb, crossComponent: ca != cb,
        expected: ca != cb ? rules.expectedCoupling.reason(files.files[pair.a], files.files[pair.b])?.rawValue : nil)
    }

    let output = HotspotsOutput(
      thresholds: rules.echoed, analyzedFiles: files.count,
      excludedFiles: .init(byClass: files.excludedByClass, byAttributes: files.excludedByAttributes),
      hotCount: ranking.hotCount, files: fileList, coupling: couplingList,
      couplingCommits: .init(considered: coupling.consideredCommits, skippedOverLimit: coupling.skippedCommits),
      rework: .init(changedLines: activity.changedLines, reworkLines: activity.reworkLines, share: round(activity.reworkShare)))
    return Analysis(output, findings: findings(model, coupling: coupling, context: context), components: components(model, coupling: coupling))
  }

  // MARK: - Components

  private func components(_ model: Model, coupling: ChangeCoupling) -> [String: HotspotsOutput.Component] {
    struct Aggregate {
      var files = 0, revisions = 0, added = 0, deleted = 0, loc = 0, complexity = 0, hot = 0
      var changed = 0, rework = 0, pairs = 0, crossPairs = 0
      var top: Int?
    }
    var byComponent: [String: Aggregate] = [:]
    let files = model.files
    for i in 0..<files.count {
      let t = model.activity.totals[i]
      var a = byComponent[files.components[i], default: Aggregate()]
      a.files += 1
      a.revisions += t.revisions
      a.added += t.added
      a.deleted += t.deleted
      a.loc += model.complexity[i]?.loc ?? 0
      a.complexity += model.complexity[i]?.total ?? 0
      a.changed += t.churn
      a.rework += t.reworkLines
      if model.isHot(i) { a.hot += 1 }
      if a.top.map({ model.ranking.ranks[i] < model.ranking.ranks[$0] }) ?? true { a.top = i }
      byComponent[files.components[i]] = a
    }
    let expected = model.rules.expectedCoupling
    for pair in coupling.pairs {
      let ca = files.components[pair.a], cb = files.components[pair.b]
      byComponent[ca]?.pairs += 1
      if ca != cb {
        byComponent[cb]?.pairs += 1
        // Only coupling that is a risk: not a file and its own test, a schema and its code, or non-code.
        guard expected.reason(files.files[pair.a], files.files[pair.b]) == nil else { continue }
        byComponent[ca]?.crossPairs += 1
        byComponent[cb]?.crossPairs += 1
      }
    }
    var out: [String: HotspotsOutput.Component] = [:]
    for (name, a) in byComponent {
      out[name] = .init(
        files: a.files, revisions: a.revisions, added: a.added, deleted: a.deleted, loc: a.loc, complexity: a.complexity,
        hotFiles: a.hot, topHotspot: a.top.map { files.files[$0].displayPath }, topScore: a.top.map { Figures.rounded(model.ranking.scores[$0]) },
        reworkShare: Figures.rounded(a.changed > 0 ? Double(a.rework) / Double(a.changed) : 0), couplingPairs: a.pairs,
        crossComponentPairs: a.crossPairs)
    }
    return out
  }

  // MARK: - Findings

  private func findings(_ model: Model, coupling: ChangeCoupling, context: ScanContext) -> [Finding] {
    var out: [Finding] = []
    let rules = model.rules, files = model.files, ranking = model.ranking
    let window = rules.scoreWindowDays > 0 ? " in the last \(rules.scoreWindowDays) days" : ""
    for i in ranking.hotOrder.filter({ model.activity.totals[$0].windowRevisions >= rules.minRevisionsForFinding }).prefix(rules.maxHotFindings) {
      let file = files.files[i], t = model.activity.totals[i], c = model.complexity[i] ?? IndentationComplexity()
      let rank = ranking.ranks[i]
      var message = "\(file.displayPath) is hotspot #\(rank) of \(files.count) files: it changed in \(Prose.count(t.windowRevisions, "commit"))\(window) "
        + "by \(Prose.count(t.authors, "person", "people")) and holds \(Prose.count(c.loc, "line")) of code with an indentation complexity of \(Figures.grouped(c.total)) "
        + "(nesting up to \(Prose.count(c.max, "level"))). Code that is both complex and changed this often is where defects and delays concentrate; "
        + "review and stabilise it before building on it."
      if t.recent > t.previous {
        message += " It is heating up: \(Prose.count(t.recent, "change")) in the last \(rules.trendDays) days against \(t.previous) in the \(rules.trendDays) before."
      }
      out.append(Finding(
        analyzer: id, rule: "hotspot", key: file.displayPath, severity: rank <= 3 ? .medium : .low,
        title: "Hotspot: \(file.displayPath)", message: message, location: Location(path: file.displayPath),
        evidence: HotspotsOutput.HotspotEvidence(
          rank: rank, score: Figures.rounded(ranking.scores[i]), revisions: t.revisions, authors: t.authors, loc: c.loc, complexity: c.total,
          maxNesting: c.max, trend: HotspotsOutput.Trend(t))))
    }

    var crossFindings = 0
    let expected = rules.expectedCoupling
    for pair in coupling.pairs where files.components[pair.a] != files.components[pair.b]
      && expected.reason(files.files[pair.a], files.files[pair.b]) == nil {
      guard crossFindings < rules.maxCouplingFindings else { break }
      crossFindings += 1
      let a = files.files[pair.a].displayPath, b = files.files[pair.b].displayPath
      let ca = files.components[pair.a], cb = files.components[pair.b]
      out.append(Finding(
        analyzer: id, rule: "cross-component-coupling", key: a + "\u{0}" + b, severity: pair.degree >= 50 ? .medium : .low,
        title: "Coupled across components: \(a) and \(b)",
        message: "\(a) (component \(ca)) and \(b) (component \(cb)) changed together in \(pair.shared) commits, \(pair.degree)% of their "
          + "average \(Figures.upToOneDecimal(pair.averageRevisions)) revisions. A change on one side of this boundary usually needs a change on the "
          + "other: the components cannot be kept, replaced or handed over separately until this dependency is made explicit.",
        location: Location(path: a),
        evidence: HotspotsOutput.CouplingEvidence(
          a: a, b: b, componentA: ca, componentB: cb, shared: pair.shared, degree: pair.degree, revisionsA: pair.revisionsA,
          revisionsB: pair.revisionsB)))
    }

    let activity = model.activity
    let days = rules.reworkWindowDays
    if rules.isReworked(changedLines: activity.changedLines, share: activity.reworkShare, repository: true) {
      out.append(Finding(
        analyzer: id, rule: "high-rework", key: "repository", severity: .medium, title: "High rework across the code base",
        message: "\(Figures.percent(activity.reworkShare)) of all changed lines (\(Figures.grouped(activity.reworkLines)) of \(Figures.grouped(activity.changedLines))) "
          + "went into files changed by another commit within the previous \(days) days. Work that is redone within weeks points to "
          + "unclear requirements, missing tests or code that is hard to get right.",
        evidence: HotspotsOutput.ReworkEvidence(
          changedLines: activity.changedLines, reworkLines: activity.reworkLines, share: Figures.rounded(activity.reworkShare))))
    }
    let thrashing = (0..<files.count).filter { i in
      let t = activity.totals[i]
      return rules.isReworked(changedLines: t.churn, share: t.reworkShare)
    }.sorted { activity.totals[$0].reworkLines != activity.totals[$1].reworkLines ? activity.totals[$0].reworkLines > activity.totals[$1].reworkLines : $0 < $1 }
    for i in thrashing.prefix(rules.maxReworkFindings) {
      let t = activity.totals[i], path = files.files[i].displayPath
      out.append(Finding(
        analyzer: id, rule: "file-rework", key: path, severity: model.isHot(i) ? .medium : .low, title: "Thrash in \(path)",
        message: "\(Figures.percent(t.reworkShare)) of the lines changed in \(path) (\(Figures.grouped(t.reworkLines)) of \(Figures.grouped(t.churn))) were changed "
          + "within \(days) days of a previous change to the file: it is being reworked again and again"
          + (model.isHot(i) ? ", and it is a hotspot." : "."),
        location: Location(path: path),
        evidence: HotspotsOutput.FileReworkEvidence(
          changedLines: t.churn, reworkLines: t.reworkLines, share: Figures.rounded(t.reworkShare), revisions: t.revisions)))
    }
    return out
  }
}
