import CLibGit2
import Foundation

/// Follows every line of every file through a history, forward, so that at the tip each line's origin
/// (the commit that wrote it and its line there) is the one `git blame --line-porcelain` gives, and
/// counts the lines thrown away soon after they were written (rework).
///
/// How it emulates `git blame`, which walks back from the tip passing each line to the parent in whose
/// version the line is unchanged:
/// - Commits run parents first (oldest ready commit first); each commit's state, the runs of origins of
///   each of its files, lives until its last child has taken it (the last child takes it without a
///   copy; a branch point's other children get copy-on-write copies). Memory is the live states'
///   runs: about one state per branch open at a time.
/// - A commit with one parent: each file it changes is diffed against the parent's version as blame
///   diffs (`git diff -U0`'s hunks, `LineDiffer.hunks`); the lines between hunks keep the parent's
///   origins, the hunks' new lines are the commit's own. A file added, or whose type changed, is all
///   the commit's.
/// - A merge: a file the same as in some parent (first such parent, in parent order) takes that
///   parent's origins whole, as blame's `pass_whole_blame`. Otherwise every line takes its origin from
///   the first parent (in parent order) against whose version the line is unchanged, per the diff
///   against that parent, as blame's `pass_blame_to_parent` does parent after parent; only lines new
///   against every parent (a hand resolution, an "evil" line) are the merge's.
/// - Renames: with `detectRenames`, a path a parent lacks continues the lines of the file that parent's
///   diff deletes and blame's `find_rename` would pick (`RenameSearch`: git's rules and similarity, one
///   path at a time, so one deleted file may feed several new ones). Only where blame looks: in a merge
///   not for a path some parent has with the merge's blob (passed whole). Without detection a renamed
///   file's lines are all new, where `git blame` (which always follows renames) credits their authors.
/// - Submodules are not tracked; nor are files whose blob cannot be read (a shallow or partial
///   snapshot); binary files are tracked (blame attributes their "lines" too) but never counted in
///   rework.
/// - What each commit changed (tree diffs against every parent, blobs, hunks) needs no state: worker
///   threads work it out in the parents-first order, a few chunks ahead of the calling thread, which
///   applies it to the states.
///
/// Rework: when a commit with one parent (or a root) deletes or replaces lines written at most
/// `reworkDays` days earlier (by the author times of the two commits), those lines count as reworked
/// for the commit that wrote them, once each even if two branches both delete them (at the same
/// path). Lines a merge drops are not counted (what a merge drops is a choice between branches, not
/// work thrown away).
public struct LineTracker: Sendable {
  public struct Options: Sendable {
    public var detectRenames: Bool
    public var reworkDays: Int
    /// Threads that diff the commits (the states are updated on the calling thread).
    public var workers: Int
    /// The paths whose lines count in rework and in the census (all when nil); every path is followed.
    public var counts: (@Sendable ([UInt8]) -> Bool)?
    public var census: Census?
    public init(detectRenames: Bool = false, reworkDays: Int = 21, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                counts: (@Sendable ([UInt8]) -> Bool)? = nil, census: Census? = nil) {
      self.detectRenames = detectRenames
      self.reworkDays = max(0, reworkDays)
      self.workers = max(1, workers)
      self.counts = counts
      self.census = census
    }
  }

  /// Counts of the lines alive in some commits' trees by the band (a period, say) of the commits that
  /// wrote them: what a burndown chart draws. A sample is taken when its commit has been applied.
  public struct Census: Sendable {
    /// Per sample, the commit (index in `commits`) whose tree is counted; a commit may serve several.
    public var at: [Int32]
    /// Per commit (index in `commits`), the band its lines count in; negative: not counted.
    public var band: [Int32]
    public var bands: Int
    public init(at: [Int32], band: [Int32], bands: Int) {
      self.at = at
      self.band = band
      self.bands = max(0, bands)
    }
  }

  /// Where a run goes on from: an earlier run's state at commit `from` (of `commits`), whose ancestors
  /// it followed (`followed`, per commit of `commits`), and its counters, all in this run's commit
  /// indexes. Every commit not followed must have as parents only commits not followed or `from` (a new
  /// commit on a branch forked before `from` needs a state the checkpoint does not hold): the caller
  /// checks that (`LineTracker.canResume`).
  public struct Resume: Sendable {
    public var from: Int32
    public var followed: [Bool]
    public var checkpoint: LineCheckpoint
    public var added: [Int32]
    public var reworked: [Int32]
    public var addedAt: [[UInt8]: Int]
    public var reworkedAt: [[UInt8]: Int]
    public init(from: Int32, followed: [Bool], checkpoint: LineCheckpoint, added: [Int32], reworked: [Int32],
                addedAt: [[UInt8]: Int], reworkedAt: [[UInt8]: Int]) {
      self.from = from
      self.followed = followed
      self.checkpoint = checkpoint
      self.added = added
      self.reworked = reworked
      self.addedAt = addedAt
      self.reworkedAt = reworkedAt
    }
  }

  /// Whether a run can go on from commit `from` when `followed` were followed already: every other
  /// commit's parents (indexes, those in the list) are unfollowed commits or `from` itself.
  public static func canResume(from: Int, followed: [Bool], parents: (Int) -> [Int]) -> Bool {
    guard followed.indices.contains(from), followed[from] else { return false }
    for c in followed.indices where !followed[c] {
      for p in parents(c) where p != from && followed[p] { return false }
    }
    return true
  }

  /// A line removed `elapsed` seconds after it was written is reworked when that is at most
  /// `reworkDays` days.
  @inline(__always)
  public static func isRework(elapsed: Int64, reworkDays: Int) -> Bool { elapsed <= Int64(reworkDays) * 86_400 }

  /// What the caller read of each commit already (the history pass), per commit of `commits`: its
  /// parents, author and author time, so that the tracker does not read the commits again.
  public struct Known: Sendable {
    public var parents: [[ObjectID]]
    public var authors: [Signature]
    public var times: [Int64]
    public init(parents: [[ObjectID]], authors: [Signature], times: [Int64]) {
      self.parents = parents
      self.authors = authors
      self.times = times
    }
  }

  public let repositoryPath: String
  public let commits: [ObjectID]
  public let tip: ObjectID
  public let options: Options
  public let boundary: Set<ObjectID>
  public let known: Known?

  /// `commits` are the commits to follow, in any order (origins name them by their index here); the
  /// tip must be one of them. A parent outside the list counts as missing, like a shallow boundary's.
  /// The `boundary` commits are followed as roots, whatever their parents: as `git blame A..B` keeps
  /// every older line at the range's boundary commits (`git rev-list --boundary`), which the list
  /// must then include.
  public init(repositoryPath: String, commits: [ObjectID], tip: ObjectID, boundary: Set<ObjectID> = [], options: Options = Options(),
              known: Known? = nil) {
    self.repositoryPath = repositoryPath
    self.commits = commits
    self.tip = tip
    self.boundary = boundary
    self.options = options
    self.known = known.flatMap { $0.parents.count == commits.count && $0.authors.count == commits.count && $0.times.count == commits.count ? $0 : nil }
  }

  /// Follows the lines. `given` (per commit of `commits`, or empty) holds what the history pass worked
  /// out of commits with at most one parent (`HistoryWalk.Options.collectLineChanges`): such a commit
  /// is neither read nor diffed again when it was diffed against the parent it is followed from.
  /// Each is released once its commit is worked out: the caller should hand over its only reference
  /// (git.git: the scan's peak, at the end of the run, 447 MB instead of 465 MB).
  public func run(resume: Resume? = nil, given: consuming [CommitLineChanges?] = []) throws(GitError) -> LineHistory {
    let repo = try Repository(path: repositoryPath)
    let store = try repo.objects()
    var index: [ObjectID: Int32] = [:]
    index.reserveCapacity(commits.count)
    for (i, id) in commits.enumerated() { index[id] = Int32(i) }
    guard let tipIndex = index[tip] else {
      throw GitError(kind: .other, message: "the tip \(tip.hex) is not among the commits to follow", call: "LineTracker")
    }

    // Every commit's parents (those in the list, once each) and author.
    var parents: [[Int32]] = []
    var authors: [Signature] = []
    var times: [Int64] = []
    parents.reserveCapacity(commits.count)
    var children = [Int32](repeating: 0, count: commits.count)
    if let resume {
      guard resume.followed.count == commits.count, resume.added.count == commits.count, resume.reworked.count == commits.count,
            resume.followed.indices.contains(Int(resume.from)) else {
        throw GitError(kind: .other, message: "the checkpoint does not fit the commits to follow", call: "LineTracker")
      }
    }
    if let known {
      authors = known.authors
      times = known.times
    } else {
      authors.reserveCapacity(commits.count)
      times.reserveCapacity(commits.count)
    }
    for (c, id) in commits.enumerated() {
      let commitParents: [ObjectID]
      if let known {
        commitParents = known.parents[c]
      } else {
        let commit = try HistoryWalk.commit(id, store: store)
        commitParents = commit.parents
        authors.append(commit.author.signature)
        times.append(commit.author.time)
      }
      var own: [Int32] = []
      // A resumed run follows only the commits not followed yet, from the checkpoint's state.
      let skip = boundary.contains(id) || resume?.followed[c] == true
      for parent in skip ? [] : commitParents {
        if let p = index[parent], !own.contains(p) {
          if let resume, resume.followed[Int(p)], p != resume.from {
            throw GitError(kind: .other, message: "commit \(id.hex) has a parent older than the checkpoint", call: "LineTracker")
          }
          own.append(p)
          children[Int(p)] += 1
        }
      }
      parents.append(own)
    }

    // Kahn's order, the oldest ready commit first (the list's last): parents always before children.
    var order: [Int32] = []
    order.reserveCapacity(commits.count)
    do {
      // A resumed run's checkpoint commit is done: its children wait only for their other parents.
      var waiting = parents.map { own in Int32(own.filter { resume?.followed[Int($0)] != true }.count) }
      var childLists = [[Int32]](repeating: [], count: commits.count)
      for (c, own) in parents.enumerated() { for p in own { childLists[Int(p)].append(Int32(c)) } }
      var ready = Heap()
      for c in 0..<commits.count where waiting[c] == 0 && resume?.followed[c] != true { ready.push(Int32(c)) }
      while let c = ready.pop() {
        order.append(c)
        for child in childLists[Int(c)] {
          waiting[Int(child)] -= 1
          if waiting[Int(child)] == 0 { ready.push(child) }
        }
      }
    }

    // What each commit changed does not depend on any state: worked out by all cores, in order, while
    // this thread applies it to the states.
    var apply = LineApplier(reworkDays: options.reworkDays, times: times, commitCount: commits.count, counts: options.counts)
    var samplesOf: [Int32: [Int]] = [:]
    if let census = options.census {
      for (k, c) in census.at.enumerated() where c >= 0 && Int(c) < commits.count { samplesOf[c, default: []].append(k) }
    }
    var census = [[Int]](repeating: [], count: options.census?.at.count ?? 0)
    var states: [Int32: TreeLines] = [:]
    var left = children
    var tipState = TreeLines()
    var peak = 0
    if let resume {
      apply.added = resume.added
      apply.reworked = resume.reworked
      apply.addedAt = resume.addedAt
      apply.reworkedAt = resume.reworkedAt
      apply.counted = resume.checkpoint.counted
      let state = TreeLines(resume.checkpoint.files)
      if resume.from == tipIndex { tipState = state }
      if children[Int(resume.from)] > 0 { states[resume.from] = state }
      if let samples = samplesOf[resume.from], let spec = options.census {
        let counts = Self.count(state, spec, counts: options.counts)
        for k in samples { census[k] = counts }
      }
    }
    var taken: [CommitLineChanges?] = []
    taken.reserveCapacity(order.count)
    let jobs = order.map { c in
      let own = parents[Int(c)].map { commits[Int($0)] }
      // The history pass's changes, when it diffed the commit against the parent followed here.
      let changes = Int(c) < given.count ? given[Int(c)] : nil
      taken.append(changes.flatMap { own.count <= 1 && $0.parent == own.first ? $0 : nil })
      return Job(commit: c, id: commits[Int(c)], parents: own)
    }
    given = []
    let slots = GivenSlots(taken)
    taken = []
    let clock = ContinuousClock()
    var applying = Duration.zero
    try prepareInParallel(jobs, given: slots) { (prepared: PreparedCommit) throws(GitError) in
      let started = clock.now
      defer { applying += clock.now - started }
      let c = prepared.commit
      let own = parents[Int(c)]
      var state: TreeLines
      if let first = own.first {
        state = left[Int(first)] == 1 ? (states.removeValue(forKey: first) ?? TreeLines()) : (states[first] ?? TreeLines())
      } else {
        state = TreeLines()
      }
      apply.commit(prepared, parents: own, state: &state, states: states)
      for p in own {
        left[Int(p)] -= 1
        if left[Int(p)] == 0 { states[p] = nil }
      }
      if c == tipIndex { tipState = state }
      if let samples = samplesOf[c], let spec = options.census {
        let counts = Self.count(state, spec, counts: options.counts)
        for k in samples { census[k] = counts }
      }
      if children[Int(c)] > 0 { states[c] = state }
      peak = max(peak, states.count)
    }
    var files: [[UInt8]: [LineRun]] = [:]
    var binary = Set<[UInt8]>()
    for (path, file) in tipState {
      files[path] = file.runs
      if file.binary { binary.insert(path) }
    }
    return LineHistory(commits: commits, authors: authors, authorTimes: times, tip: files,
                       added: apply.added, reworked: apply.reworked, reworkDays: options.reworkDays, peakLiveStates: peak,
                       applyTime: applying, addedAt: apply.addedAt, reworkedAt: apply.reworkedAt, binaryAtTip: binary, census: census,
                       checkpoint: LineCheckpoint(files: tipState.files, counted: apply.counted), followed: order.count)
  }

  /// The lines of a tree by the band of the commit that wrote them (binary files and paths `counts`
  /// refuses left out).
  static func count(_ state: TreeLines, _ census: Census, counts: (@Sendable ([UInt8]) -> Bool)?) -> [Int] {
    var out = [Int](repeating: 0, count: census.bands)
    for (path, file) in state where !file.binary && (counts?(path) ?? true) {
      for run in file.runs {
        let band = Int(census.band[Int(run.commit)])
        if band >= 0 && band < out.count { out[band] += Int(run.count) }
      }
    }
    return out
  }

  struct Job: Sendable {
    let commit: Int32
    let id: ObjectID
    /// The parents followed (commit ids, in parent order).
    let parents: [ObjectID]
  }

  /// The history pass's changes per job, each taken (and so released) by the one worker that works
  /// its job out.
  final class GivenSlots: @unchecked Sendable {
    private let base: UnsafeMutablePointer<CommitLineChanges?>
    private let count: Int

    init(_ changes: [CommitLineChanges?]) {
      count = changes.count
      base = .allocate(capacity: max(1, changes.count))
      base.initialize(from: changes, count: changes.count)
    }

    deinit {
      base.deinitialize(count: count)
      base.deallocate()
    }

    /// Job `i`'s changes, left empty: only the worker of that job may ask.
    func take(_ i: Int) -> CommitLineChanges? { i < count ? base[i].take() : nil }
  }

  /// Runs `jobs` through a `LineChangeReader` on worker threads, a chunk at a time, and hands the results to
  /// `consume` in order on this thread. Workers stay at most a few chunks ahead of it.
  private func prepareInParallel(_ jobs: [Job], given: GivenSlots, consume: (PreparedCommit) throws(GitError) -> Void) throws(GitError) {
    // 64 commits a chunk: with 16, following git.git took 0.6 s longer for the same CPU (the merges,
    // a quarter of its commits, are nearly all of the readers' work, and they come in bunches).
    let chunkSize = 64
    let chunks = (jobs.count + chunkSize - 1) / chunkSize
    guard chunks > 0 else { return }
    let workers = min(options.workers, chunks)
    let handoff = OrderedHandoff<[PreparedCommit]>(chunks: chunks, ahead: 4 * workers, call: "LineTracker")
    // The workers read neighbouring commits, so the same bases: one cache for both.
    let bases = SharedBaseCache(limit: 30 << 20)
    let merges = MergeDiffCache()
    let group = DispatchGroup()
    for _ in 0..<workers {
      let path = repositoryPath, renames = options.detectRenames
      group.enter()
      let thread = Thread {
        defer { group.leave() }
        let prepare: LineChangeReader
        do {
          prepare = try LineChangeReader(repositoryPath: path, renames: renames, bases: bases, merges: merges)
        } catch {
          handoff.fail(error)
          return
        }
        while let chunk = handoff.next() {
          var out: [PreparedCommit] = []
          for i in (chunk * chunkSize)..<min(jobs.count, (chunk + 1) * chunkSize) {
            do {
              out.append(try prepare.commit(jobs[i], given: given.take(i)))
            } catch {
              handoff.fail(error)
              return
            }
          }
          handoff.put(chunk, out)
        }
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
    defer {
      handoff.cancel()
      group.wait()
    }
    for chunk in 0..<chunks {
      let prepared = try handoff.take(chunk)
      for commit in prepared { try consume(commit) }
    }
  }
}


/// A max-heap of commit indexes: the list is newest first, so the largest ready index is the oldest.
private struct Heap {
  private var items: [Int32] = []

  mutating func push(_ x: Int32) {
    items.append(x)
    var i = items.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      guard items[parent] < items[i] else { break }
      items.swapAt(parent, i)
      i = parent
    }
  }

  mutating func pop() -> Int32? {
    guard let top = items.first else { return nil }
    let last = items.removeLast()
    if !items.isEmpty {
      items[0] = last
      var i = 0
      while true {
        let l = 2 * i + 1, r = l + 1
        var best = i
        if l < items.count, items[l] > items[best] { best = l }
        if r < items.count, items[r] > items[best] { best = r }
        if best == i { break }
        items.swapAt(i, best)
        i = best
      }
    }
    return top
  }
}

