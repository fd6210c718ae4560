import Foundation
import Git
import GlobEngine
import TOML

/// Why a scan could not run, each with its own exit code at the edge.
public enum ScanError: Error, Sendable, CustomStringConvertible {
  case git(GitError)
  case rules(RuleError)
  case config(ConfigError)
  case analyzer(String, String)

  public var description: String {
    switch self {
    case let .git(error): return error.message
    case let .rules(error): return "bad rules: \(error)"
    case let .config(error): return "bad configuration: \(error)"
    case let .analyzer(id, message): return "analyzer \(id) failed: \(message)"
    }
  }
}

/// The outcome of a scan: the context the analyzers saw and what each of them said, in registry order.
public struct ScanResult: Sendable {
  public let context: ScanContext
  public let results: [(id: String, result: AnalyzerResult)]
  /// What each analyzer's history observer handed back, by analyzer id (what its `analyze` was given).
  public var observations: [String: any Sendable] = [:]

  public init(context: ScanContext, results: [(id: String, result: AnalyzerResult)], observations: [String: any Sendable] = [:]) {
    self.context = context
    self.results = results
    self.observations = observations
  }

  /// Every finding of the enabled rules, most severe first, then by id: a fixed order for a fixed input.
  public var allFindings: [Finding] {
    let disabled = Set(context.config.disabledRules)
    return results.flatMap(\.result.findings)
      .filter { !disabled.contains($0.rule) && !disabled.contains("\($0.analyzer).\($0.rule)") }
      .sorted { a, b in a.severity != b.severity ? a.severity > b.severity : a.id < b.id }
  }

  /// The findings the report shows: all of them, or in CI mode (`--base`) only those the change
  /// introduces. Accepted (baseline) findings are included; see `isSuppressed`.
  public var findings: [Finding] {
    guard let change = context.change else { return allFindings }
    return allFindings.filter(change.introduced)
  }

  /// Rule and configuration regex matches that PCRE2's limits stopped in this scan, all analyzers together.
  public var regexLimitHits: Int { results.reduce(0) { $0 + $1.result.regexLimitHits } }

  /// The typed output of the analyzer that produces `type`; nil when it did not run.
  public func output<Output: AnalyzerOutput>(_ type: Output.Type) -> Output? {
    for (_, result) in results { if let output = result.output(as: type) { return output } }
    return nil
  }

  /// True for a finding accepted in the baseline (by its id, or by an id an earlier version gave it).
  public func isSuppressed(_ finding: Finding) -> Bool {
    let baseline = context.options.baseline
    return baseline.contains(finding.id) || finding.formerIDs.contains { baseline.contains($0) }
  }

  /// The accepted findings the baseline names only by a former id: a baseline written by an earlier
  /// version, worth writing again.
  public var acceptedByFormerID: Int {
    let baseline = context.options.baseline
    return findings.filter { !baseline.contains($0.id) && $0.formerIDs.contains { baseline.contains($0) } }.count
  }

  /// The findings that count: shown and not accepted.
  public var activeFindings: [Finding] { findings.filter { !isSuppressed($0) } }
}

/// Gathers the context once (one pass over history, one over the tip's tree) and runs the analyzers.
public struct Scanner {
  public enum Phase: Sendable { case history, tree, analysis }

  public let analyzers: [AnyAnalyzer]
  /// Analyzer ids, the longest-running first: they are started in this order (the others after them),
  /// so that a long analyzer does not start last while the other cores have nothing left to do.
  public let startOrder: [String]
  public init(analyzers: [any Analyzer], startOrder: [String] = []) {
    self.analyzers = analyzers.map { AnyAnalyzer($0) }
    self.startOrder = startOrder
  }

  public func scan(_ requested: ScanOptions, progress: ((Phase, Int, Int) -> Void)? = nil) throws(ScanError) -> ScanResult {
    var options = requested
    let clock = PhaseClock()
    do {
      let repo = try Repository(path: options.path)
      // The history cache is written beside the analysis; the scan is not over before it is.
      let cacheSaved = DispatchGroup()
      defer { cacheSaved.wait() }
      var info = RepositoryInfo(path: options.path, head: nil, branch: repo.headBranch, revision: options.revision,
                                commitCount: 0, firstCommit: nil, lastCommit: nil, shallow: repo.isShallow, bare: repo.isBare,
                                empty: false)
      let tip = try Self.resolveTip(repo, options: options)
      let (config, extraRules) = try Self.readRepoConfig(repo, tip: tip, options: &options)
      let (rules, classifier, bots, active, models) = try compile(options: options, config: config, extraRules: extraRules)
      var gathered = Gathered()
      if let tip {
        info.head = tip.hex
        clock.mark("setup")
        gathered = try gather(repo, tip: tip, options: options, rules: rules, classifier: classifier, bots: bots, active: active, models: models,
                              saving: cacheSaved, progress: progress)
        info.missingBlobs = gathered.missingBlobs
      } else {
        info.empty = true
      }
      let history = gathered.history, snapshot = gathered.snapshot
      info.commitCount = history.commits.count
      info.firstCommit = history.firstCommitTime
      info.lastCommit = history.lastCommitTime
      let declared = config.components.map { ComponentMap.Declared(name: $0.name, paths: $0.paths.map { Glob($0, case: .sensitive, anchoring: .anyDepth) }) }
      let context = ScanContext(
        options: options, rules: rules, classifier: classifier, repository: info, history: history, snapshot: snapshot,
        components: ComponentMap(paths: snapshot.files.map(\.path), declared: declared),
        now: options.now ?? history.lastCommitTime ?? 0, change: gathered.change, config: config, lines: gathered.lines,
        mainLineRootTree: gathered.mainLineRootTree)
      progress?(.analysis, 0, active.count)
      let (results, observations) = try runAnalyzers(active, models: models, context,
                                                     observers: Dictionary(gathered.observers, uniquingKeysWith: { a, _ in a }))
      clock.mark("analysis")
      if let source = snapshot.source {
        if let error = source.error { throw error }
        PhaseClock.count("tree: blobs read on demand", source.count)
      }
      progress?(.analysis, active.count, active.count)
      return ScanResult(context: context, results: results, observations: observations)
    } catch let error as GitError {
      throw .git(error)
    } catch let error as ScanError {
      throw error
    } catch let error as ConfigError {
      throw .config(error)
    } catch {
      throw .analyzer("scanner", "\(error)")
    }
  }

  /// `--rev`, else HEAD; nil for an empty repository or an unborn HEAD.
  private static func resolveTip(_ repo: Repository, options: ScanOptions) throws -> ObjectID? {
    if let revision = options.revision { return try repo.resolveCommit(revision) }
    if repo.isEmpty || repo.isHeadUnborn { return nil }
    return try repo.resolveCommit("HEAD")
  }

  /// The repository's own settings, from the scanned tip (so a bare clone and a work tree agree): its
  /// excludes and baseline folded into `options`, the extra rule files by name.
  private static func readRepoConfig(_ repo: Repository, tip: ObjectID?, options: inout ScanOptions) throws
    -> (RepoConfig, [String: String]) {
    var config = RepoConfig()
    var extraRules: [String: String] = [:]
    guard let tip, options.readRepoConfig, let bytes = try repo.file(RepoConfig.fileName, in: tip) else { return (config, extraRules) }
    // The files are read from the tree, where a symbolic link's blob is the path it names (`/etc/passwd`
    // read as TOML was a puzzling error); no link is followed, so none can loop or leave the tree.
    func refuseLink(_ path: String) throws {
      guard try repo.isSymbolicLink(path, in: tip) else { return }
      throw ConfigError(file: path, key: nil, line: nil, message: "is a symbolic link, which Salvage does not follow: commit the file itself")
    }
    try refuseLink(RepoConfig.fileName)
    config = try RepoConfig(text: String(decoding: bytes, as: UTF8.self))
    options.excludes += config.exclude.map { Glob($0, case: .sensitive, anchoring: .anyDepth) }
    if let folder = config.extraRules {
      let prefix = Array((folder.hasSuffix("/") ? folder : folder + "/").utf8)
      for entry in try repo.files(of: tip) where entry.path.starts(with: prefix) && entry.path.count > prefix.count {
        let name = String(decoding: entry.path[prefix.count...], as: UTF8.self)
        guard name.hasSuffix(".toml") else { continue }
        if entry.mode == 0o120000 { try refuseLink(String(decoding: entry.path, as: UTF8.self)) }
        extraRules[name] = String(decoding: try repo.blob(entry.id), as: UTF8.self)
      }
    }
    if let path = config.baseline, let bytes = try repo.file(path, in: tip) {
      try refuseLink(path)
      options.baseline.formUnion(try Baseline.parse(bytes, file: path))
    }
    return (config, extraRules)
  }

  /// The rules, the classifier, the bot list (identities of bots never merge by name), every active
  /// analyzer and the models they read, all compiled before any history is read: a bad value fails at
  /// once (exit 7).
  private func compile(options: ScanOptions, config: RepoConfig, extraRules: [String: String]) throws(ScanError)
    -> (RuleSet, PathClassifier, BotList, [CompiledAnalyzer], [CompiledModel]) {
    let rules: RuleSet
    let classifier: PathClassifier
    let bots: BotList
    do {
      rules = try RuleSet.load(overrides: options.rulesDirectory).overlaid(texts: extraRules, thresholds: config.thresholds)
      classifier = try PathClassifier(rules: rules)
      bots = try BotList(rules)
    } catch let error as RuleError {
      throw ScanError.rules(error)
    } catch let error as ConfigError {
      throw ScanError.config(error)
    } catch {
      throw ScanError.analyzer("scanner", "\(error)")
    }
    let active = try analyzers.filter { options.only?.contains($0.id) ?? true }.map { analyzer throws(ScanError) in
      do {
        return try analyzer.compile(rules)
      } catch let error as RuleError {
        throw ScanError.rules(error)
      } catch {
        throw ScanError.analyzer(analyzer.id, "\(error)")
      }
    }
    // The models they read, each compiled once, inputs first.
    do {
      return (rules, classifier, bots, active, try CompiledModel.graph(active.flatMap(\.inputs), rules: rules))
    } catch let error as RuleError {
      throw ScanError.rules(error)
    } catch {
      throw ScanError.analyzer("scanner", "\(error)")
    }
  }

  /// What the passes over a tip gather for the context.
  private struct Gathered {
    var history = History()
    var snapshot = Snapshot(files: [])
    var change: ChangeSet?
    var lines: LineOrigins?
    /// The tree of the main line's root commit: the key of the secrets' fingerprints.
    var mainLineRootTree: ObjectID?
    var observers: [(id: String, observer: any HistoryObserver)] = []
    var missingBlobs: [MissingBlob] = []
  }

  /// The history (with the analyzers' observers), the line origins when asked for, the change under
  /// review (`--base`) and the tip's files.
  private func gather(_ repo: Repository, tip: ObjectID, options: ScanOptions, rules: RuleSet, classifier: PathClassifier, bots: BotList,
                      active: [CompiledAnalyzer], models: [CompiledModel], saving cacheSaved: DispatchGroup,
                      progress: ((Phase, Int, Int) -> Void)?) throws -> Gathered {
    let clock = PhaseClock()
    var out = Gathered()
    var extractorsByName: [String: any BlobFactExtractor] = [:]
    for analyzer in active {
      if let observer = analyzer.makeObserver(options, classifier) { out.observers.append((analyzer.id, observer)) }
      extractorsByName.merge(analyzer.extractors) { first, _ in first }
    }
    for model in models { extractorsByName.merge(model.extractors) { first, _ in first } }
    let extractors = extractorsByName.keys.sorted().map { (id: $0, extractor: extractorsByName[$0]!) }
    // With a history cache to replay (on one core), the tip's files are read beside it, on the other:
    // neither needs the other. A first scan's pass keeps every core busy, so there the tree waits,
    // and its files are not held in memory through the pass.
    let tree = Slots<Result<(Snapshot, [MissingBlob]), any Error>>(count: 1)
    let treeDone = DispatchGroup()
    let readTreeBeside = options.useCache && FileManager.default.fileExists(atPath: HistoryCache(
      gitDirectory: repo.gitDirectory, rulesVersion: rules.version, renames: options.detectRenames).file.path)
    let readTree: @Sendable () -> Void = { [options, extractors] in
      let started = Date()
      tree.set(0, Result {
        try Self.readTree(tip: tip, options: options, classifier: classifier, rulesVersion: rules.version, extractors: extractors,
                          saving: cacheSaved)
      })
      PhaseClock.note("tree read", Date().timeIntervalSince(started))
    }
    if readTreeBeside { DispatchQueue.global().async(group: treeDone, execute: readTree) }
    defer { treeDone.wait() }
    var missing: [MissingBlob] = []
    var walk: HistoryCache.WalkKey?
    let tracking = active.compactMap(\.lineTracking).first
    // The pass works out the line tracker's changes of the commits it diffs (none when it replays a cache).
    var lineChanges: [CommitLineChanges?]? = tracking != nil ? [] : nil
    out.history = try readHistory(repo, tip: tip, options: options, rules: rules, bots: bots, observers: out.observers.map(\.observer), saving: cacheSaved,
                                  missing: &missing, walk: &walk, lineChanges: &lineChanges, progress: progress)
    if let root = out.history.mainLineRoot(head: tip.hex) {
      // The key of the secrets' fingerprints; a commit that cannot be read (a cut history) leaves it unset.
      out.mainLineRootTree = try? repo.treeID(of: out.history.commits[root].id)
    }
    let tipTime = out.history.commits.first { $0.id == tip }?.committerTime
    out.history.clampedTimes = out.history.clampTimes(into: out.history.saneTimes(pinnedNow: options.now, tipTime: tipTime))
    clock.mark("history")
    if let tracking, let walk {
      out.lines = try Self.trackLines(repo, tip: tip, history: out.history, walk: walk, options: options, rules: rules, classifier: classifier,
                                      tracking: tracking, complete: missing.isEmpty, given: lineChanges.take() ?? [], saving: cacheSaved)
      clock.mark("lines")
    }
    if let base = options.base {
      let baseCommit = try repo.resolveCommit(base)
      let mergeBase = try repo.mergeBase(baseCommit, tip)
      clock.mark("merge base")
      out.change = ChangeSet(base: base, baseCommit: baseCommit, mergeBase: mergeBase, history: out.history)
      clock.mark("change set")
    }
    if readTreeBeside { treeDone.wait() } else { readTree() }
    let missingAtTip: [MissingBlob]
    (out.snapshot, missingAtTip) = try tree.get(0).get()
    out.missingBlobs = Set(missing + missingAtTip).sorted {
      $0.path != $1.path ? $0.path.lexicographicallyPrecedes($1.path) : $0.commit != $1.commit ? $0.commit < $1.commit : $0.blob < $1.blob
    }
    progress?(.tree, out.snapshot.files.count, out.snapshot.files.count)
    clock.mark("tree (waited for)")
    return out
  }

  /// Every tip line's origin, the line-level rework and the quarterly census (`LineTracker`, over the
  /// same commits as the history, in its indexes), or the cached ones of this very walk; when the cache
  /// holds an older tip this one descends from, only the new commits are followed, from its state.
  /// Paths the scan excludes are followed but not counted. A history with missing blobs is not cached
  /// (as the history cache does not keep it).
  private static func trackLines(_ repo: Repository, tip: ObjectID, history: History, walk: HistoryCache.WalkKey, options: ScanOptions,
                                 rules: RuleSet, classifier: PathClassifier, tracking: LineTracking, complete: Bool,
                                 given: consuming [CommitLineChanges?], saving: DispatchGroup) throws -> LineOrigins? {
    guard let tipIndex = history.commits.firstIndex(where: { $0.id == tip }) else { return nil }
    let cache = options.useCache ? LineOriginsCache(gitDirectory: repo.gitDirectory, rulesVersion: rules.version, renames: options.detectRenames,
                                                    excludes: options.excludes.map(\.description), tracking: tracking) : nil
    let saved = cache?.load()
    if let saved, saved.isRun(of: walk, commits: history.commits) {
      return Self.origins(saved, options: options, followed: 0)
    }
    let plan = LineOrigins.censusPlan(history, tip: tipIndex)
    let workers = options.workers > 0 ? options.workers : ProcessInfo.processInfo.activeProcessorCount
    // Every path the history names, classified once by its name.
    var notCounted = Set<[UInt8]>()
    for path in history.paths.paths where options.isExcluded(path) || tracking.excludedClasses.contains(classifier.classify(path, content: nil)) {
      notCounted.insert(path)
    }
    var counts: (@Sendable ([UInt8]) -> Bool)?
    if !notCounted.isEmpty {
      let skip = notCounted
      counts = { @Sendable path in !skip.contains(path) }
    }
    let resumed = saved.flatMap { Self.resumption($0, history: history, walk: walk, plan: plan) }
    PhaseClock.count("lines: commits the history pass worked out", given.count { $0 != nil })
    // The commits as the history read them: the tracker does not read them again. One signature per
    // person, shared by their commits.
    let signatures = history.people.map { Signature(name: Array($0.name.utf8), email: Array($0.email.utf8)) }
    let known = LineTracker.Known(parents: history.commits.map(\.parents),
                                  authors: history.commits.map { signatures[Int($0.author)] }, times: history.commits.map(\.authorTime))
    let tracked = try LineTracker(repositoryPath: options.path, commits: history.commits.map(\.id), tip: tip,
                                  options: .init(detectRenames: options.detectRenames, reworkDays: tracking.reworkDays, workers: workers,
                                                 counts: counts, census: plan?.census), known: known)
      .run(resume: resumed?.resume, given: consume given)
    var census = tracked.census
    for (k, row) in resumed?.rows ?? [:] { census[k] = row }
    func sorted(_ table: [[UInt8]: Int]) -> [(path: [UInt8], lines: Int)] {
      table.map { ($0.key, $0.value) }.sorted { $0.path.lexicographicallyPrecedes($1.path) }
    }
    let run = LineOriginsCache.Saved(
      walk: walk, commitsDigest: LineOriginsCache.digest(history.commits.map(\.id)), reworkDays: tracking.reworkDays,
      added: tracked.added, reworked: tracked.reworked, addedAt: sorted(tracked.addedAt), reworkedAt: sorted(tracked.reworkedAt),
      firstQuarter: plan?.firstQuarter ?? 0, census: census,
      samples: plan?.census.at.map { $0 >= 0 ? history.commits[Int($0)].id : nil } ?? [], checkpoint: tracked.checkpoint)
    if let cache, complete {
      saving.enter()
      let thread = Thread {
        cache.save(run)
        saving.leave()
      }
      thread.start()
    }
    return Self.origins(run, options: options, followed: tracked.followed)
  }

  /// The origins of a tracking run: the tip's text files the scan does not exclude.
  private static func origins(_ run: LineOriginsCache.Saved, options: ScanOptions, followed: Int) -> LineOrigins {
    let files = run.checkpoint.files.compactMap { path, file -> LineOrigins.File? in
      options.isExcluded(path) || file.binary ? nil : LineOrigins.File(path: path, runs: file.runs)
    }.sorted { $0.path.lexicographicallyPrecedes($1.path) }
    return LineOrigins(reworkDays: run.reworkDays, files: files, added: run.added, reworked: run.reworked, addedAt: run.addedAt,
                       reworkedAt: run.reworkedAt, firstQuarter: run.firstQuarter, census: run.census, followedCommits: followed)
  }

  /// How to go on from a cached run of an older tip: when every commit it followed is in this history
  /// (the same walk order, cut and shallow boundary) and every new commit descends only from new
  /// commits or that tip, its state and counters in this history's indexes, and the census rows it
  /// counted that this plan keeps (same first quarter, same sample commits). Nil otherwise: follow all.
  static func resumption(_ saved: LineOriginsCache.Saved, history: History, walk: HistoryCache.WalkKey,
                         plan: (firstQuarter: Int, census: LineTracker.Census)?)
    -> (resume: LineTracker.Resume, rows: [Int: [Int]])? {
    guard saved.walk.since == walk.since, saved.walk.shallow == walk.shallow else { return nil }
    let index = CommitIndex(history.commits)
    guard let from = index[saved.walk.tip] else { return nil }
    // The old tip's ancestors here: the commits the cached run followed, if the walk agrees.
    var followed = [Bool](repeating: false, count: history.commits.count)
    var stack = [from]
    while let c = stack.popLast() {
      guard !followed[c] else { continue }
      followed[c] = true
      for parent in history.commits[c].parents { if let p = index[parent], !followed[p] { stack.append(p) } }
    }
    let old = followed.indices.filter { followed[$0] }
    guard old.count == saved.added.count, old.count == saved.reworked.count,
          LineOriginsCache.digest(old.map { history.commits[$0].id }) == saved.commitsDigest,
          LineTracker.canResume(from: from, followed: followed, parents: { c in history.commits[c].parents.compactMap { index[$0] } })
    else { return nil }
    // The census rows at old commits other than the old tip (which the tracker counts from the state).
    var rows: [Int: [Int]] = [:]
    if let plan {
      guard plan.firstQuarter == saved.firstQuarter || saved.census.isEmpty else { return nil }
      for (k, at) in plan.census.at.enumerated() where at >= 0 && followed[Int(at)] && Int(at) != from {
        guard k < saved.census.count, saved.samples[k] == history.commits[Int(at)].id, saved.census[k].count <= plan.census.bands
        else { return nil }
        rows[k] = saved.census[k] + [Int](repeating: 0, count: plan.census.bands - saved.census[k].count)
      }
    }
    func moved(_ c: Int32) -> Int32 { Int32(old[Int(c)]) }
    var files: [[UInt8]: TrackedFile] = [:]
    for (path, file) in saved.checkpoint.files {
      files[path] = TrackedFile(blob: file.blob, runs: file.runs.map { LineRun(count: $0.count, commit: moved($0.commit), line: $0.line) },
                                binary: file.binary)
    }
    var counted: [ReworkKey: [Range<Int32>]] = [:]
    for (key, ranges) in saved.checkpoint.counted { counted[ReworkKey(commit: moved(key.commit), path: key.path)] = ranges }
    var added = [Int32](repeating: 0, count: history.commits.count), reworked = added
    for (i, c) in old.enumerated() {
      added[c] = saved.added[i]
      reworked[c] = saved.reworked[i]
    }
    func table(_ t: [(path: [UInt8], lines: Int)]) -> [[UInt8]: Int] { Dictionary(t, uniquingKeysWith: +) }
    return (LineTracker.Resume(from: Int32(from), followed: followed, checkpoint: LineCheckpoint(files: files, counted: counted),
                               added: added, reworked: reworked, addedAt: table(saved.addedAt), reworkedAt: table(saved.reworkedAt)), rows)
  }

  /// The models and the analyzers, side by side: each waits for the models it declared, which come
  /// before it in the order (a model just before its first reader, the analyzers in `startOrder`).
  /// Threads take the steps in that order, so a step only ever waits for one already running.
  private func runAnalyzers(_ active: [CompiledAnalyzer], models compiled: [CompiledModel], _ context: ScanContext,
                            observers: [String: any HistoryObserver]) throws(ScanError)
    -> (results: [(id: String, result: AnalyzerResult)], observations: [String: any Sendable]) {
    enum Step { case model(Int), analyzer(Int) }
    let modelAt = Dictionary(uniqueKeysWithValues: compiled.enumerated().map { ($1.id, $0) })
    var steps: [Step] = []
    var placed = Set<Int>()
    func place(_ id: ObjectIdentifier) {
      guard let m = modelAt[id], placed.insert(m).inserted else { return }
      for input in compiled[m].inputs { place(input) }
      steps.append(.model(m))
    }
    let rank = { (id: String) in startOrder.firstIndex(of: id) ?? startOrder.count }
    for a in active.indices.sorted(by: { (rank(active[$0].id), $0) < (rank(active[$1].id), $1) }) {
      for input in active[a].inputs { place(ObjectIdentifier(input)) }
      steps.append(.analyzer(a))
    }

    let models = Models()
    let made = compiled.map { _ in DispatchGroup() }
    for group in made { group.enter() }
    let modelFailures = Slots<String?>(count: compiled.count)
    /// Waits for the models; the first failure among them, if any.
    @Sendable func waitFor(_ inputs: [ObjectIdentifier]) -> String? {
      for id in inputs {
        let m = modelAt[id]!
        made[m].wait()
        if let failure = modelFailures.get(m) { return failure }
      }
      return nil
    }
    let slots = Slots<Result<AnalyzerResult, ScanError>>(count: active.count)
    let observed = Slots<(any Sendable)?>(count: active.count)
    let order = steps
    DispatchQueue.concurrentPerform(iterations: order.count) { turn in
      switch order[turn] {
      case let .model(m):
        var failure = waitFor(compiled[m].inputs)
        if failure == nil {
          let started = Date()
          do {
            models.set(compiled[m].id, try compiled[m].make(context, models))
          } catch {
            failure = "\(error)"
          }
          PhaseClock.note("model \(compiled[m].name)", Date().timeIntervalSince(started))
        }
        modelFailures.set(m, failure)
        made[m].leave()
      case let .analyzer(index):
        let analyzer = active[index]
        if let failure = waitFor(analyzer.inputs.map { ObjectIdentifier($0) }) {
          observed.set(index, nil)
          slots.set(index, .failure(ScanError.analyzer(analyzer.id, failure)))
          return
        }
        do {
          let started = Date()
          // The observer's workers' tallies are merged here, on the analyzer's own thread.
          let observation = observers[analyzer.id]?.collect()
          observed.set(index, observation)
          let cacheFile = context.options.useCache ? analyzer.cache?.file(repository: context.repository.path) : nil
          let input = AnalysisInput(context: context, models: models, observation: observation,
                                    cached: cacheFile.flatMap { HistoryCache.read($0.path) })
          let (result, update) = try analyzer.run(input)
          if let cacheFile, let update { HistoryCache.replace(cacheFile, with: [update]) }
          slots.set(index, .success(result))
          PhaseClock.note("analyzer \(analyzer.id)", Date().timeIntervalSince(started))
        } catch {
          slots.set(index, .failure(ScanError.analyzer(analyzer.id, "\(error)")))
        }
      }
    }
    var out: [(id: String, result: AnalyzerResult)] = []
    var observations: [String: any Sendable] = [:]
    for (index, analyzer) in active.enumerated() {
      switch slots.get(index) {
      case let .success(result): out.append((analyzer.id, result))
      case let .failure(error): throw error
      }
      if let observation = observed.get(index) { observations[analyzer.id] = observation }
    }
    return (out, observations)
  }

  private func readHistory(_ repo: Repository, tip: ObjectID, options: ScanOptions, rules: RuleSet, bots: BotList, observers: [any HistoryObserver],
                           saving: DispatchGroup, missing: inout [MissingBlob], walk walkOut: inout HistoryCache.WalkKey?,
                           lineChanges: inout [CommitLineChanges?]?, progress: ((Phase, Int, Int) -> Void)?) throws -> History {
    let clock = PhaseClock()
    var cache: HistoryCache?
    if options.useCache {
      cache = HistoryCache(gitDirectory: repo.gitDirectory, rulesVersion: rules.version, renames: options.detectRenames)
      cache?.load()
      clock.mark("history: cache load")
    }
    let cached = cache?.history ?? RawHistory()
    let walkKey = HistoryCache.WalkKey(tip: tip, since: options.since, shallow: repo.shallowBoundary())
    walkOut = walkKey
    let plan = try Self.planWalk(repo, tip: tip, options: options, walkKey: walkKey, cacheWalk: cache?.walk, cached: cached)
    let ids = plan.ids, fastForward = plan.fastForward
    var cachedAt = plan.cachedAt
    clock.mark("history: walk (\(cached.commits.count) cached)")
    let cacheable = observers.compactMap { $0 as? any CacheableHistoryObserver }
    let cacheKeys = cacheable.map(\.cacheKey)
    let cachedRecords = cacheKeys.map { cached.observations[$0] }
    Self.keepOnlyFullyCached(&cachedAt, observers: observers.count, cacheable: cacheable.count, records: cachedRecords)
    let todoIndexes = cachedAt.indices.filter { cachedAt[$0] == nil }
    let todo = todoIndexes.map { ids[$0] }
    let workers = options.workers > 0 ? options.workers : ProcessInfo.processInfo.activeProcessorCount
    var passOptions = HistoryWalk.Options(workers: workers, detectRenames: options.detectRenames, tolerateMissingBlobs: !options.strict,
                                          collectLineChanges: lineChanges != nil)
    // While the pass also holds the line tracker's changes, its caches stay at the 64 MiB they always
    // took (56 shared, 4 of trees per worker), so the scan's peak stays under git log's.
    if lineChanges != nil { passOptions.sharedCacheBytes = 56 << 20 }
    let walk = HistoryWalk(repositoryPath: options.path, commits: todo, options: passOptions, reportedIndexes: todoIndexes)
    if lineChanges != nil { lineChanges = [CommitLineChanges?](repeating: nil, count: ids.count) }
    let makeVisitor: (@Sendable () -> any AddedLineVisitor)?
    switch observers.count {
    case 0: makeVisitor = nil
    case 1:
      let only = observers[0]
      makeVisitor = { only.makeVisitor() }
    default:
      makeVisitor = { FanOutVisitor(observers.map { $0.makeVisitor() }) }
    }
    var done = ids.count - todo.count
    progress?(.history, done, ids.count)
    // A cache made for this walk and missing nothing is the history as it is. Otherwise the history is
    // built in walk order: cached commits as they come, fresh ones as the pass hands them over.
    var raw: RawHistory
    let unchanged = todo.isEmpty && cache?.walk == walkKey
    if unchanged {
      raw = cached
    } else {
      var builder = fastForward ? RawHistory.Builder(extending: cached) : RawHistory.Builder()
      func addCached(upTo end: Int) {
        while builder.count < end, let at = cachedAt[builder.count] { builder.add(at, of: cached) }
      }
      try walk.run(makeVisitor: makeVisitor) { chunk in
        var at = 0
        for (n, meta) in chunk.commits.enumerated() {
          addCached(upTo: todoIndexes[chunk.firstIndex + n])
          builder.add(meta, deltas: chunk.deltas[at..<(at + meta.deltaCount)], pathBytes: chunk.pathBytes)
          at += meta.deltaCount
          if n < chunk.lineChanges.count { lineChanges?[todoIndexes[chunk.firstIndex + n]] = chunk.lineChanges[n] }
        }
        missing += chunk.missingBlobs
        done += chunk.commits.count
        progress?(.history, done, ids.count)
      }
      addCached(upTo: ids.count)
      // Observers' records: fresh ones from the observers, the rest (also of observers not run now) kept.
      let observations = cache == nil ? [:] : Self.observationRecords(cached: cached, cachedAt: cachedAt, cacheable: cacheable)
      raw = builder.finish(observations: observations)
    }
    clock.mark("history: diff \(todo.count) commits")
    for (observer, records) in zip(cacheable, cachedRecords) {
      guard let records else { continue }
      for (index, at) in cachedAt.enumerated() {
        if let at { observer.restore(commit: index, record: records[at]!) }
      }
    }
    let mailmap = repo.mailmap()
    let history = History(raw, mailmap: { mailmap.resolve($0) }, excluded: { options.isExcluded($0) }, tags: (try? repo.tags()) ?? [],
                          mergeIdentities: options.mergeIdentities, bots: bots)
    clock.mark("history: build")
    // A history with missing blobs is not kept: its line counts are incomplete, and a later scan of a
    // repaired copy must not reuse them (nor must a warm scan forget to report them).
    if let cache, !unchanged, missing.isEmpty {
      // Written on a thread of its own while the scan goes on; the scan waits for it before it returns.
      let finished = raw
      saving.enter()
      let thread = Thread {
        let started = Date()
        cache.save(finished, walk: walkKey)
        PhaseClock.note("history: cache save (beside)", Date().timeIntervalSince(started))
        saving.leave()
      }
      thread.start()
    }
    return history
  }

  /// The commits of this walk in walk order, and where each is in the cache (nil: not there). A cache
  /// made for this very walk is its own walk: no commit is read. When this walk is the cached one plus
  /// newer commits (`fastForward`), every cached commit stays and only the new ones are read.
  private static func planWalk(_ repo: Repository, tip: ObjectID, options: ScanOptions, walkKey: HistoryCache.WalkKey,
                               cacheWalk: HistoryCache.WalkKey?, cached: RawHistory) throws -> (ids: [ObjectID], cachedAt: [Int?], fastForward: Bool) {
    // The commits in walk order, and where each is in the cache (nil: not there). A cache made for this
    // very walk is its own walk: no commit is read.
    let ids: [ObjectID]
    var cachedAt: [Int?]
    // When this walk is the cached one plus newer commits, every cached commit stays.
    var fastForward = false
    var index: [ObjectID: Int] = [:]
    func indexCache() {
      index.reserveCapacity(cached.commits.count)
      for (i, c) in cached.commits.enumerated() { index[c.id] = i }
    }
    if cacheWalk == walkKey {
      ids = cached.commits.map(\.id)
      cachedAt = Array(0..<ids.count)
    } else if let old = cacheWalk, old.since == nil, options.since == nil, old.shallow == walkKey.shallow,
              case (let new, let reached) = try { indexCache(); return try repo.commits(from: tip, until: { index[$0] != nil }) }(),
              reached.contains(old.tip) {
      // The cached walk's tip is behind this one: its history is all still there (everything reachable
      // from it, and the cache holds exactly that), and only the new commits were read. Both lists are in
      // walk order already (newest first, then by id): merged, they are this walk.
      var merged: [ObjectID] = [], at: [Int?] = []
      merged.reserveCapacity(cached.commits.count + new.count)
      at.reserveCapacity(cached.commits.count + new.count)
      var i = 0, j = 0
      while i < cached.commits.count || j < new.count {
        let takeNew: Bool
        if i == cached.commits.count {
          takeNew = true
        } else if j == new.count {
          takeNew = false
        } else {
          let c = cached.commits[i], n = new[j]
          takeNew = n.time != c.committerTime ? n.time > c.committerTime : n.id.bytes.lexicographicallyPrecedes(c.id.bytes)
        }
        if takeNew {
          merged.append(new[j].id)
          at.append(nil)
          j += 1
        } else {
          merged.append(cached.commits[i].id)
          at.append(i)
          i += 1
        }
      }
      ids = merged
      cachedAt = at
      fastForward = true
    } else {
      if index.isEmpty { indexCache() }
      let known = index.mapValues { Repository.KnownCommit(time: cached.commits[$0].committerTime, parents: cached.commits[$0].parents) }
      ids = try repo.commitIDs(from: tip, since: options.since, known: known)
      cachedAt = ids.map { index[$0] }
    }
    return (ids, cachedAt, fastForward)
  }

  /// A commit is read again unless the cache has it and every observer's record of it; an observer
  /// that cannot be cached makes every commit be read again.
  private static func keepOnlyFullyCached(_ cachedAt: inout [Int?], observers: Int, cacheable: Int, records cachedRecords: [[[UInt8]?]?]) {
    if cacheable != observers || cachedRecords.contains(where: { $0 == nil }) {
      cachedAt = Array(repeating: nil, count: cachedAt.count)
    }
    for (index, at) in cachedAt.enumerated() {
      if let at, cachedRecords.contains(where: { $0![at] == nil }) { cachedAt[index] = nil }
    }
  }

  /// Per cache key, each commit's record: from the cache where the commit was not read again, else
  /// from the observer that read it.
  private static func observationRecords(cached: RawHistory, cachedAt: [Int?], cacheable: [any CacheableHistoryObserver]) -> [String: [[UInt8]?]] {
    let cacheKeys = cacheable.map(\.cacheKey)
    var observations: [String: [[UInt8]?]] = [:]
    for key in Set(cached.observations.keys).union(cacheKeys) {
      let old = cached.observations[key]
      let observer = cacheKeys.firstIndex(of: key).map { cacheable[$0] }
      observations[key] = (0..<cachedAt.count).map { index in
        if let at = cachedAt[index] { return old?[at] }
        return observer?.cacheRecord(commit: index)
      }
    }
    return observations
  }

  /// Every file of the tip, classified and counted, split across the cores (one repository handle per
  /// worker). Blobs the tip-facts cache knows are not read (their bytes are read on demand, by the
  /// analyzers that open them); the others are read here, and the cache is rewritten (beside the
  /// analysis) with the blobs of this tip.
  private static func readTree(tip: ObjectID, options: ScanOptions, classifier: PathClassifier, rulesVersion: String,
                               extractors: [(id: String, extractor: any BlobFactExtractor)], saving: DispatchGroup) throws
    -> (Snapshot, [MissingBlob])
  {
    let repo = try Repository(path: options.path)
    var cache: TipFactsCache?
    if options.useCache {
      var made = TipFactsCache(gitDirectory: repo.gitDirectory, rulesVersion: rulesVersion, extractors: extractors.map(\.id))
      made.load()
      cache = made
    }
    let known = cache?.records ?? [:]
    let entries = try repo.files(of: tip, knownSize: { known[$0]?.size }, tolerateMissingBlobs: !options.strict)
      .filter { !options.isExcluded($0.path) }
    let source = BlobSource(repositoryPath: options.path)
    let workers = max(1, min(options.workers > 0 ? options.workers : ProcessInfo.processInfo.activeProcessorCount, entries.count / 64))
    let slots = Slots<Result<(files: [SnapshotFile], read: [(ObjectID, BlobRecord)], missing: [MissingBlob]), any Error>>(count: workers)
    let path = options.path
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      do {
        let handle = try Repository(path: path)
        var files: [SnapshotFile] = []
        var read: [(ObjectID, BlobRecord)] = []
        var missing: [MissingBlob] = []
        var n = worker
        while n < entries.count {
          do {
            files.append(try Self.readFile(entries[n], repo: handle, classifier: classifier, extractors: extractors, known: known,
                                           source: source, read: &read))
          } catch let error as GitError where !options.strict && error.isMissingObject {
            // Listed, with no content: its lines are unknown, and no analyzer reads it on demand.
            let entry = entries[n]
            missing.append(MissingBlob(blob: entry.id, path: entry.path, commit: tip))
            files.append(SnapshotFile(path: entry.path, id: entry.id, mode: entry.mode, size: entry.size, lines: 0,
                                      language: classifier.language(of: entry.path), fileClass: classifier.classify(entry.path),
                                      content: nil))
          }
          n += workers
        }
        slots.set(worker, .success((files, read, missing)))
      } catch {
        slots.set(worker, .failure(error))
      }
    }
    // Worker w read entries w, w + workers, ...: interleave them back into tree order.
    var perWorker: [[SnapshotFile]] = []
    var read: [ObjectID: BlobRecord] = [:]
    var missing: [MissingBlob] = []
    for w in 0..<workers {
      let done = try slots.get(w).get()
      perWorker.append(done.files)
      for (id, record) in done.read { read[id] = record }
      missing += done.missing
    }
    var files: [SnapshotFile] = []
    files.reserveCapacity(entries.count)
    for n in 0..<entries.count { files.append(perWorker[n % workers][n / workers]) }
    PhaseClock.count("tree: blobs read (of \(entries.count) files; \(known.count) blobs known)", read.count)
    if let cache {
      var held: [ObjectID: BlobRecord] = [:]
      for entry in entries { if let record = read[entry.id] ?? known[entry.id] { held[entry.id] = record } }
      // Rewritten when this tip has blobs the file lacks, or the file has blobs this tip no longer holds.
      if !read.isEmpty || held.count != known.count {
        saving.enter()
        let file = cache.file, count = extractors.count, records = held
        Thread {
          TipFactsCache.save(records, extractors: count, to: file)
          saving.leave()
        }.start()
      }
    }
    return (Snapshot(files: files, factNames: extractors.map(\.id), source: source), missing)
  }

  private static func readFile(_ entry: TreeEntry, repo: Repository, classifier: PathClassifier,
                               extractors: [(id: String, extractor: any BlobFactExtractor)], known: [ObjectID: BlobRecord],
                               source: BlobSource, read: inout [(ObjectID, BlobRecord)]) throws -> SnapshotFile {
    let language = classifier.language(of: entry.path)
    if entry.isGitlink || entry.size > Snapshot.readCap {
      return SnapshotFile(path: entry.path, id: entry.id, mode: entry.mode, size: entry.size, lines: 0, language: language,
                          fileClass: entry.isGitlink ? .other : classifier.classify(entry.path), content: nil)
    }
    var bytes: [UInt8]?
    let record: BlobRecord
    if let known = known[entry.id] {
      record = known
    } else {
      let blob = try repo.blob(entry.id)
      record = blob.withUnsafeBufferPointer { raw in
        let content = classifier.signature(of: UnsafeRawBufferPointer(raw))
        // Facts of every text blob a file may keep, whatever its path: the record is the blob's.
        let facts = content.isBinary || raw.count > Snapshot.lockfileCap ? [] : extractors.map { $0.extractor.facts(of: raw) }
        return BlobRecord(size: raw.count, content: content, lines: content.isBinary ? 0 : GitText.lineCount(UnsafeRawBufferPointer(raw)),
                          facts: facts)
      }
      read.append((entry.id, record))
      bytes = blob
    }
    let fileClass = classifier.classify(entry.path, content: record.content)
    let binary = fileClass == .binary || record.content.isBinary
    // Lockfiles are kept whole up to a larger cap: real npm and Yarn lockfiles pass 1 MB.
    let keep = !binary && record.size <= (fileClass == .lockfile ? Snapshot.lockfileCap : Snapshot.contentCap)
    return SnapshotFile(path: entry.path, id: entry.id, mode: entry.mode, size: entry.size, lines: binary ? 0 : record.lines,
                        language: language, fileClass: fileClass, hasContent: keep, stored: keep ? bytes : nil,
                        source: bytes == nil ? source : nil, facts: keep ? record.facts : [])
  }
}

/// Results handed from worker threads to the thread that waits for them, one slot each.
private final class Slots<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Value?]
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }
  func get(_ index: Int) -> Value { lock.withLock { slots[index]! } }
}

private final class FanOutVisitor: AddedLineVisitor {
  let visitors: [any AddedLineVisitor]
  init(_ visitors: [any AddedLineVisitor]) { self.visitors = visitors }
  func addedLines(commit: Int, path: UnsafeBufferPointer<UInt8>, firstLine: Int, content: UnsafeBufferPointer<UInt8>, file: UnsafeBufferPointer<UInt8>) {
    for visitor in visitors { visitor.addedLines(commit: commit, path: path, firstLine: firstLine, content: content, file: file) }
  }
}

/// `SALVAGE_TIMING=1` prints how long each phase took, on stderr (for benchmarks, never in reports).
public final class PhaseClock {
  private static let on = ProcessInfo.processInfo.environment["SALVAGE_TIMING"] == "1"
  private let enabled = PhaseClock.on

  public init() {}

  static func note(_ what: String, _ seconds: Double) {
    guard on else { return }
    FileHandle.standardError.write(Data(String(format: "timing: %@ %.3f s\n", what, seconds).utf8))
  }
  /// A count rather than a time.
  static func count(_ what: String, _ n: Int) {
    guard on else { return }
    FileHandle.standardError.write(Data("timing: \(what) \(n)\n".utf8))
  }

  private var last = Date()

  /// Prints the time since the previous mark (or since the clock was made).
  public func mark(_ phase: String) {
    guard enabled else { return }
    let now = Date()
    FileHandle.standardError.write(Data(String(format: "timing: %@ %.3f s\n", phase, now.timeIntervalSince(last)).utf8))
    last = now
  }
}
