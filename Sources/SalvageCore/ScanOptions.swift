import Git
import GlobEngine

/// What the user asked the scan to do.
public struct ScanOptions: Sendable {
  public var path: String
  /// The tip to scan; HEAD when nil.
  public var revision: String?
  /// Leave out commits whose committer time is earlier (seconds since 1970).
  public var since: Int64?
  /// Paths matching these globs are left out of every figure.
  public var excludes: [Glob]
  public var detectRenames: Bool
  public var workers: Int
  /// The moment "now" stands for in every "how long ago" figure; the last commit's time when nil.
  public var now: Int64?
  /// A folder of rule files laid over the built-in ones.
  public var rulesDirectory: String?
  /// Only these analyzers (by id) run, when given.
  public var only: Set<String>?
  /// CI mode: report only what the commits in `merge-base(base, tip)..tip` introduce.
  public var base: String?
  /// Fingerprints (finding ids) of accepted findings: reported as suppressed.
  public var baseline: Set<String>
  /// Read the scanned repository's `.salvage.toml` (on by default).
  public var readRepoConfig: Bool
  /// Keep and reuse what the history pass learned per commit (see `HistoryCache`).
  public var useCache: Bool
  /// A blob missing from the object store fails the scan (exit 5) instead of being listed as a
  /// limitation of the report.
  public var strict: Bool
  /// Merge the identities one person committed under (see `IdentityResolver`); on by default.
  public var mergeIdentities: Bool
  /// OSV advisories to match the lockfiles against: a folder of `.json` records or a zip of them.
  public var advisories: String? = nil

  public init(path: String, revision: String? = nil, since: Int64? = nil, excludes: [Glob] = [], detectRenames: Bool = false,
              workers: Int = 0, now: Int64? = nil, rulesDirectory: String? = nil, only: Set<String>? = nil,
              base: String? = nil, baseline: Set<String> = [], readRepoConfig: Bool = true, useCache: Bool = false,
              strict: Bool = false, mergeIdentities: Bool = true) {
    self.path = path
    self.revision = revision
    self.since = since
    self.excludes = excludes
    self.detectRenames = detectRenames
    self.workers = workers
    self.now = now
    self.rulesDirectory = rulesDirectory
    self.only = only
    self.base = base
    self.baseline = baseline
    self.readRepoConfig = readRepoConfig
    self.useCache = useCache
    self.strict = strict
    self.mergeIdentities = mergeIdentities
  }

  public func isExcluded<C: Collection>(_ path: C) -> Bool where C.Element == UInt8 {
    guard !excludes.isEmpty else { return false }
    let bytes = Array(path)
    return excludes.contains { $0.matches(bytes) }
  }
}

/// What the report says about the repository itself.
public struct RepositoryInfo: Sendable {
  public var path: String
  /// The scanned tip's commit id; nil when there is no commit.
  public var head: String?
  public var branch: String?
  public var revision: String?
  public var commitCount: Int
  public var firstCommit: Int64?
  public var lastCommit: Int64?
  public var shallow: Bool
  public var bare: Bool
  /// True when there is no history to scan (an empty repository or an unborn HEAD).
  public var empty: Bool
  /// Blobs the object store lacks (a blobless or partial clone, a damaged copy), by path then commit:
  /// their files' lines are not counted. Empty unless the scan is not `strict`.
  public var missingBlobs: [MissingBlob] = []
}

/// Everything the analyzers read: immutable, gathered once.
public struct ScanContext: Sendable {
  public let options: ScanOptions
  public let rules: RuleSet
  public let classifier: PathClassifier
  public let repository: RepositoryInfo
  public let history: History
  public let snapshot: Snapshot
  public let components: ComponentMap
  /// "Now" for the analysis: the pinned `--now`, else the newest commit's time (0 with no history).
  public let now: Int64
  /// In CI mode (`--base`): the commits and paths of the change under review.
  public let change: ChangeSet?
  /// The repository's `.salvage.toml`, already folded into `options`, `rules` and `components`.
  public let config: RepoConfig
  /// Every tip line's origin and the line-level rework, when an analyzer asked for them (`lineTracking`).
  public let lines: LineOrigins?
  /// The tree of the root commit of the tip's first-parent line (`History.mainLineRoot`), nil when
  /// it cannot be read. The secrets analyzer keys its fingerprints with it: no output prints it.
  public let mainLineRootTree: ObjectID?

  public init(options: ScanOptions, rules: RuleSet, classifier: PathClassifier, repository: RepositoryInfo, history: History,
              snapshot: Snapshot, components: ComponentMap, now: Int64, change: ChangeSet? = nil, config: RepoConfig = RepoConfig(),
              lines: LineOrigins? = nil, mainLineRootTree: ObjectID? = nil) {
    self.options = options
    self.rules = rules
    self.classifier = classifier
    self.repository = repository
    self.history = history
    self.snapshot = snapshot
    self.components = components
    self.now = now
    self.change = change
    self.config = config
    self.lines = lines
    self.mainLineRootTree = mainLineRootTree
  }
}

/// The change a pull request brings: the commits in `merge-base(base, tip)..tip` and what they touch.
public struct ChangeSet: Sendable {
  /// The base as the user named it (`origin/main`).
  public let base: String
  public let baseCommit: ObjectID
  /// nil when the tip and the base share no history (then every commit of the tip is in the change).
  public let mergeBase: ObjectID?
  /// Indexes into `history.commits`.
  public let commits: Set<Int>
  public let commitIDs: Set<String>
  /// Every path a commit of the change touched, as printed.
  public let paths: Set<String>

  /// The change is every commit of the history that is not an ancestor of the merge base (worked out
  /// from the history's own parent links: no second walk over the repository).
  public init(base: String, baseCommit: ObjectID, mergeBase: ObjectID?, history: History) {
    let index = CommitIndex(history.commits)
    var behind = [Bool](repeating: false, count: history.commits.count)
    var stack = mergeBase.flatMap { index[$0] }.map { [$0] } ?? []
    while let i = stack.popLast() {
      guard !behind[i] else { continue }
      behind[i] = true
      for parent in history.commits[i].parents { if let p = index[parent], !behind[p] { stack.append(p) } }
    }
    self.init(base: base, baseCommit: baseCommit, mergeBase: mergeBase, history: history,
              commits: history.commits.indices.filter { !behind[$0] })
  }

  private init(base: String, baseCommit: ObjectID, mergeBase: ObjectID?, history: History, commits: [Int]) {
    self.base = base
    self.baseCommit = baseCommit
    self.mergeBase = mergeBase
    var ids = Set<String>(), paths = Set<String>()
    for index in commits {
      let commit = history.commits[index]
      ids.insert(commit.id.hex)
      for change in history.changes(of: commit) { paths.insert(history.paths.display(change.path)) }
    }
    self.commits = Set(commits)
    self.commitIDs = ids
    self.paths = paths
  }

  /// A finding is introduced by the change when the change's commits brought it, or it stands in a file
  /// the change touched; unless its analyzer decided (`evidence.introducedByChange`: a known
  /// vulnerability is the change's only when the change pinned that version, not when it touched the
  /// lockfile).
  public func introduced(_ finding: Finding) -> Bool {
    if let decided = finding.evidence.introducedByChange { return decided }
    if let commit = finding.location.commit, commitIDs.contains(commit) { return true }
    if let path = finding.location.path, paths.contains(path) { return true }
    return false
  }
}
