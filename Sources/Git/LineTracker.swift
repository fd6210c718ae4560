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
/// - Renames: with `detectRenames`, a file added with a similar file deleted (libgit2's detection, as
///   the history pass's `--renames`) continues the deleted file's lines, and so does a file added with
///   the very blob of a file deleted or renamed away (blame looks for a rename into each path on its
///   own, so a source git pairs with another path still counts). libgit2's similarity is not git's: it
///   pairs some small or much-edited files git leaves apart, the one known source of lines that differ
///   from `git blame` (about 0.5% on real histories). Without detection a renamed file's lines are all
///   new, where `git blame` (which always follows renames) credits their authors: compare against
///   `git blame` only files whose history has no rename, or turn the detection on.
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
    public init(detectRenames: Bool = false, reworkDays: Int = 21, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
      self.detectRenames = detectRenames
      self.reworkDays = max(0, reworkDays)
      self.workers = max(1, workers)
    }
  }

  public let repositoryPath: String
  public let commits: [ObjectID]
  public let tip: ObjectID
  public let options: Options
  public let boundary: Set<ObjectID>

  /// `commits` are the commits to follow, in any order (origins name them by their index here); the
  /// tip must be one of them. A parent outside the list counts as missing, like a shallow boundary's.
  /// The `boundary` commits are followed as roots, whatever their parents: as `git blame A..B` keeps
  /// every older line at the range's boundary commits (`git rev-list --boundary`), which the list
  /// must then include.
  public init(repositoryPath: String, commits: [ObjectID], tip: ObjectID, boundary: Set<ObjectID> = [], options: Options = Options()) {
    self.repositoryPath = repositoryPath
    self.commits = commits
    self.tip = tip
    self.boundary = boundary
    self.options = options
  }

  public func run() throws(GitError) -> LineHistory {
    let repo = try Repository(path: repositoryPath)
    let store = try repo.objects()
    var index: [ObjectID: Int32] = [:]
    index.reserveCapacity(commits.count)
    for (i, id) in commits.enumerated() { index[id] = Int32(i) }
    guard let tipIndex = index[tip] else {
      throw GitError(kind: .other, message: "the tip \(tip.hex) is not among the commits to follow", call: "LineTracker")
    }

    // Every commit's tree, parents (those in the list, once each) and author.
    var trees: [ObjectID] = []
    var parents: [[Int32]] = []
    var authors: [Signature] = []
    var times: [Int64] = []
    trees.reserveCapacity(commits.count)
    parents.reserveCapacity(commits.count)
    var children = [Int32](repeating: 0, count: commits.count)
    for id in commits {
      let commit = try HistoryWalk.commit(id, store: store)
      trees.append(commit.tree)
      var own: [Int32] = []
      for parent in boundary.contains(id) ? [] : commit.parents {
        if let p = index[parent], !own.contains(p) {
          own.append(p)
          children[Int(p)] += 1
        }
      }
      parents.append(own)
      authors.append(commit.author.signature)
      times.append(commit.author.time)
    }

    // Kahn's order, the oldest ready commit first (the list's last): parents always before children.
    var order: [Int32] = []
    order.reserveCapacity(commits.count)
    do {
      var waiting = parents.map { Int32($0.count) }
      var childLists = [[Int32]](repeating: [], count: commits.count)
      for (c, own) in parents.enumerated() { for p in own { childLists[Int(p)].append(Int32(c)) } }
      var ready = Heap()
      for c in 0..<commits.count where waiting[c] == 0 { ready.push(Int32(c)) }
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
    var apply = Apply(window: Int64(options.reworkDays) * 86_400, times: times, commitCount: commits.count)
    var states: [Int32: TreeLines] = [:]
    var left = children
    var tipState: TreeLines = [:]
    var peak = 0
    let jobs = order.map { c in Job(commit: c, id: commits[Int(c)], tree: trees[Int(c)], parents: parents[Int(c)].map { trees[Int($0)] }) }
    try prepareInParallel(jobs) { (prepared: PreparedCommit) throws(GitError) in
      let c = prepared.commit
      let own = parents[Int(c)]
      var state: TreeLines
      if let first = own.first {
        state = left[Int(first)] == 1 ? (states.removeValue(forKey: first) ?? [:]) : (states[first] ?? [:])
      } else {
        state = [:]
      }
      apply.commit(prepared, parents: own, state: &state, states: states)
      for p in own {
        left[Int(p)] -= 1
        if left[Int(p)] == 0 { states[p] = nil }
      }
      if c == tipIndex { tipState = state }
      if children[Int(c)] > 0 { states[c] = state }
      peak = max(peak, states.count)
    }
    var files: [[UInt8]: [LineRun]] = [:]
    for (path, file) in tipState { files[path] = file.runs }
    return LineHistory(commits: commits, authors: authors, authorTimes: times, tip: files,
                       added: apply.added, reworked: apply.reworked, reworkDays: options.reworkDays, peakLiveStates: peak)
  }

  struct Job: Sendable {
    let commit: Int32
    let id: ObjectID
    let tree: ObjectID
    let parents: [ObjectID]
  }

  /// Runs `jobs` through `Prepare` on worker threads, a chunk at a time, and hands the results to
  /// `consume` in order on this thread. Workers stay at most a few chunks ahead of it.
  private func prepareInParallel(_ jobs: [Job], consume: (PreparedCommit) throws(GitError) -> Void) throws(GitError) {
    let chunkSize = 16
    let chunks = (jobs.count + chunkSize - 1) / chunkSize
    guard chunks > 0 else { return }
    let workers = min(options.workers, chunks)
    let handoff = Handoff(chunks: chunks, ahead: 4 * workers)
    let group = DispatchGroup()
    for _ in 0..<workers {
      let path = repositoryPath, renames = options.detectRenames
      group.enter()
      let thread = Thread {
        defer { group.leave() }
        let prepare: Prepare
        do {
          prepare = try Prepare(repositoryPath: path, renames: renames)
        } catch {
          handoff.fail(error)
          return
        }
        while let chunk = handoff.next() {
          var out: [PreparedCommit] = []
          for job in jobs[(chunk * chunkSize)..<min(jobs.count, (chunk + 1) * chunkSize)] {
            do {
              out.append(try prepare.commit(job))
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

/// One file of a commit as the tracker holds it.
struct TrackedFile {
  var blob: ObjectID
  var runs: [LineRun]
}

typealias TreeLines = [[UInt8]: TrackedFile]

/// Where a parent has a file of the commit, and the diff from that version.
struct PreparedSource: Sendable {
  let path: [UInt8]
  let blob: ObjectID
  let lineCount: Int
  /// Against the commit's version; empty when the blobs are the same.
  let hunks: [LineHunk]
}

/// One path a commit changed against its first parent, with everything the states need.
struct PreparedFile: Sendable {
  let path: [UInt8]
  /// The first parent's path it was renamed from.
  let renamedFrom: [UInt8]?
  /// Nil when the path is gone from the commit or not tracked (a submodule, a blob the store lacks).
  let blob: ObjectID?
  let lineCount: Int
  /// Either side binary: tracked, never counted in rework.
  let binary: Bool
  /// Per parent, in parent order: its version, when blame finds one (nil otherwise).
  let sources: [PreparedSource?]
  /// A commit with one parent: the first parent's file the path takes whole (an exact copy of a file
  /// deleted or renamed away).
  let copyOf: [UInt8]?
  /// The first parent's version is binary (a deleted or type-changed file's lines are not counted).
  let oldBinary: Bool
}

struct PreparedCommit: Sendable {
  let commit: Int32
  let files: [PreparedFile]
}

/// Hand-off between the preparing workers and the applying thread, chunks taken in order.
private final class Handoff: @unchecked Sendable {
  private let condition = NSCondition()
  private var slots: [[PreparedCommit]?]
  private var nextChunk = 0
  private var taken = 0
  private let ahead: Int
  private var failure: GitError?
  private var cancelled = false

  init(chunks: Int, ahead: Int) {
    slots = Array(repeating: nil, count: chunks)
    self.ahead = max(1, ahead)
  }

  func next() -> Int? {
    condition.lock()
    defer { condition.unlock() }
    while !cancelled, failure == nil, nextChunk < slots.count, nextChunk - taken >= ahead { condition.wait() }
    guard !cancelled, failure == nil, nextChunk < slots.count else { return nil }
    defer { nextChunk += 1 }
    return nextChunk
  }

  func put(_ index: Int, _ chunk: [PreparedCommit]) {
    condition.lock()
    slots[index] = chunk
    condition.broadcast()
    condition.unlock()
  }

  func fail(_ error: any Error) {
    condition.lock()
    if failure == nil { failure = error as? GitError ?? GitError(kind: .other, message: "\(error)", call: "LineTracker") }
    condition.broadcast()
    condition.unlock()
  }

  func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
  }

  func take(_ index: Int) throws(GitError) -> [PreparedCommit] {
    condition.lock()
    defer { condition.unlock() }
    while slots[index] == nil {
      if let failure { throw failure }
      condition.wait()
    }
    let chunk = slots[index]!
    slots[index] = nil
    taken = index + 1
    condition.broadcast()
    return chunk
  }
}

/// Works out what a commit changed, per file, against each parent: one per worker thread.
private final class Prepare {
  let store: ObjectStore
  let differ: TreeDiffer
  let renames: Bool
  let lines = LineDiffer()
  let repo: Repository

  init(repositoryPath: String, renames: Bool) throws(GitError) {
    repo = try Repository(path: repositoryPath)
    store = try repo.objects()
    differ = TreeDiffer(repo: repo.handle, store: store)
    self.renames = renames
  }

  private static func kind(_ mode: UInt32) -> UInt32 { mode & 0o170000 }
  private static let submodule: UInt32 = 0o160000

  /// The blob's bytes, or nil when the object store lacks it (a snapshot without its largest blobs).
  private func blob(_ id: ObjectID) throws(GitError) -> [UInt8]? {
    do {
      return try store.read(id.raw).data
    } catch where error.code == GIT_ENOTFOUND.rawValue {
      return nil
    }
  }

  private static func binary(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { GitText.isBinary($0) } }
  private static func lineCount(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBytes { GitText.lineCount($0) } }

  func commit(_ job: LineTracker.Job) throws(GitError) -> PreparedCommit {
    do {
      return try prepare(job)
    } catch {
      throw GitError(kind: error.kind, code: error.code, message: "cannot follow the lines of commit \(job.id.hex): \(error.message)",
                     call: error.call)
    }
  }

  private func prepare(_ job: LineTracker.Job) throws(GitError) -> PreparedCommit {
    let changes = try changedFiles(old: job.parents.first, new: job.tree)
    let copies = exactSources(changes)
    // Where each other parent has each path (blame's find_origin: the same path unless the parent
    // lacks it, then a rename's source), and with which blob.
    var others: [[[UInt8]: (path: [UInt8], blob: ObjectID)?]] = []
    for parent in job.parents.dropFirst() {
      let diff = try changedFiles(old: parent, new: job.tree)
      let exact = exactSources(diff)
      var map: [[UInt8]: (path: [UInt8], blob: ObjectID)?] = [:]
      for (change, renamedFrom) in diff {
        guard let newID = change.newID else { continue }
        if let old = change.oldID, Self.kind(change.oldMode) == Self.kind(change.newMode) {
          map[change.path] = (renamedFrom ?? change.path, ObjectID(old))
        } else if change.oldID == nil, let source = exact[change.path] {
          map[change.path] = (source, ObjectID(newID))
        } else {
          map[change.path] = .some(nil)
        }
      }
      others.append(map)
    }
    var files: [PreparedFile] = []
    files.reserveCapacity(changes.count)
    for (change, renamedFrom) in changes {
      var oldBinary = false
      let sameKind = change.oldID != nil && change.newID != nil && Self.kind(change.oldMode) == Self.kind(change.newMode)
      if let old = change.oldID, !sameKind, change.oldMode != Self.submodule, let bytes = try blob(ObjectID(old)) {
        oldBinary = Self.binary(bytes)
      }
      guard let newID = change.newID, change.newMode != Self.submodule, let newBytes = try blob(ObjectID(newID)) else {
        files.append(PreparedFile(path: change.path, renamedFrom: renamedFrom, blob: nil, lineCount: 0, binary: false, sources: [],
                                  copyOf: nil, oldBinary: oldBinary))
        continue
      }
      let newBlob = ObjectID(newID)
      var binary = Self.binary(newBytes)
      // Each parent's version, when blame finds one.
      var wanted: [(path: [UInt8], blob: ObjectID)?] = []
      if sameKind, let old = change.oldID {
        wanted.append((renamedFrom ?? change.path, ObjectID(old)))
      } else if change.oldID == nil, let source = copies[change.path] {
        wanted.append((source, newBlob))
      } else {
        wanted.append(nil)
      }
      for map in others {
        if let entry = map[change.path] { wanted.append(entry) } else { wanted.append((change.path, newBlob)) }
      }
      var sources: [PreparedSource?] = []
      var diffed: [ObjectID: (count: Int, hunks: [LineHunk])] = [newBlob: (Self.lineCount(newBytes), [])]
      for entry in wanted {
        guard let entry else {
          sources.append(nil)
          continue
        }
        if diffed[entry.blob] == nil {
          guard let oldBytes = try blob(entry.blob) else {
            sources.append(nil)
            continue
          }
          if Self.binary(oldBytes) { binary = true }
          let hunks = oldBytes.withUnsafeBytes { o in newBytes.withUnsafeBytes { n in lines.hunks(old: o, new: n) } }
          diffed[entry.blob] = (Self.lineCount(oldBytes), hunks)
        }
        let d = diffed[entry.blob]!
        sources.append(PreparedSource(path: entry.path, blob: entry.blob, lineCount: d.count, hunks: d.hunks))
      }
      files.append(PreparedFile(path: change.path, renamedFrom: renamedFrom, blob: newBlob, lineCount: diffed[newBlob]!.count,
                                binary: binary, sources: sources,
                                copyOf: job.parents.count <= 1 && change.oldID == nil ? copies[change.path] : nil, oldBinary: oldBinary))
    }
    return PreparedCommit(commit: job.commit, files: files)
  }

  /// The tree diff; without renames when their detection needs a blob the store lacks (libgit2 reads
  /// every candidate's size), as if the pair were not similar.
  private func changedFiles(old: ObjectID?, new: ObjectID) throws(GitError) -> [(change: TreeDiffer.Change, renamedFrom: [UInt8]?)] {
    do {
      return try differ.changedFiles(old: old?.raw, new: new.raw, renames: renames)
    } catch where renames && error.code == GIT_ENOTFOUND.rawValue {
      return try differ.changedFiles(old: old?.raw, new: new.raw, renames: false)
    }
  }

  /// For files a diff adds without a rename source: a file the diff deletes or renames away with the
  /// very same blob, as the source git blame finds (it looks for a rename into each path on its own,
  /// so a source already paired with another path still counts). By new path, the source's path.
  private func exactSources(_ changes: [(change: TreeDiffer.Change, renamedFrom: [UInt8]?)]) -> [[UInt8]: [UInt8]] {
    guard renames else { return [:] }
    var left: [ObjectID: [UInt8]] = [:]
    for (change, renamedFrom) in changes {
      guard let old = change.oldID else { continue }
      if change.newID == nil {
        if left[ObjectID(old)] == nil { left[ObjectID(old)] = change.path }
      } else if let renamedFrom, left[ObjectID(old)] == nil {
        left[ObjectID(old)] = renamedFrom
      }
    }
    guard !left.isEmpty else { return [:] }
    var out: [[UInt8]: [UInt8]] = [:]
    for (change, renamedFrom) in changes where change.oldID == nil && renamedFrom == nil && change.newMode != Self.submodule {
      if let newID = change.newID, let source = left[ObjectID(newID)] { out[change.path] = source }
    }
    return out
  }
}

/// Applies the prepared commits to the states, parents first, and keeps the rework counters.
private struct Apply {
  let window: Int64
  let times: [Int64]
  var added: [Int32]
  var reworked: [Int32]
  /// The origin lines already counted as reworked, per origin commit and path they were deleted at,
  /// as sorted disjoint ranges (line numbers are per file: a commit's line 0 of two files are two lines).
  var counted: [CountedKey: [Range<Int32>]] = [:]

  struct CountedKey: Hashable {
    let commit: Int32
    let path: [UInt8]
  }

  init(window: Int64, times: [Int64], commitCount: Int) {
    self.window = window
    self.times = times
    added = [Int32](repeating: 0, count: commitCount)
    reworked = [Int32](repeating: 0, count: commitCount)
  }

  mutating func commit(_ prepared: PreparedCommit, parents: [Int32], state: inout TreeLines, states: [Int32: TreeLines]) {
    let c = prepared.commit
    if parents.count <= 1 {
      // The copies' sources as they were before the commit (a source may be renamed or deleted by it).
      var copied: [[UInt8]: TrackedFile] = [:]
      for file in prepared.files { if let source = file.copyOf { copied[file.path] = state[source] } }
      for file in prepared.files { single(c, file, copied: copied[file.path], state: &state) }
      return
    }
    // A merge: worked out against the parents' states first, applied after (a path renamed away is
    // still another change's source).
    var results: [(path: [UInt8], file: TrackedFile?)] = []
    var gone: [[UInt8]] = []
    for file in prepared.files {
      if let from = file.renamedFrom { gone.append(from) }
      guard let blob = file.blob else {
        gone.append(file.path)
        continue
      }
      // Each parent's version that the states hold, in parent order.
      var versions: [(runs: [LineRun], source: PreparedSource)] = []
      for (k, source) in file.sources.enumerated() {
        guard let source, k < parents.count else { continue }
        let parentFile = k == 0 ? state[source.path] : states[parents[k]]?[source.path]
        if let parentFile, parentFile.blob == source.blob { versions.append((parentFile.runs, source)) }
      }
      // The same file as a parent's, first such parent first: blame passes it whole.
      if let same = versions.first(where: { $0.source.blob == blob }) {
        results.append((file.path, TrackedFile(blob: blob, runs: same.runs)))
        continue
      }
      var inputs: [(runs: [LineRun], hunks: [LineHunk])] = []
      var seen: [ObjectID] = []
      for version in versions where !seen.contains(version.source.blob) {
        seen.append(version.source.blob)
        inputs.append((version.runs, version.source.hunks))
      }
      let runs = LineRuns.merge(newCount: file.lineCount, commit: c, parents: inputs)
      if !file.binary {
        for run in runs where run.commit == c { added[Int(c)] += run.count }
      }
      results.append((file.path, TrackedFile(blob: blob, runs: runs)))
    }
    for path in gone { state[path] = nil }
    for (path, file) in results { state[path] = file }
  }

  /// One file changed by a commit with at most one parent.
  private mutating func single(_ c: Int32, _ file: PreparedFile, copied: TrackedFile?, state: inout TreeLines) {
    let oldPath = file.renamedFrom ?? file.path
    let previous = state.removeValue(forKey: oldPath)
    guard let blob = file.blob else {
      if let previous, !file.oldBinary, !(file.sources.first.map { $0 != nil } ?? false) {
        for run in previous.runs { rework(run, by: c, at: oldPath) }
      }
      return
    }
    if let copied {
      state[file.path] = TrackedFile(blob: blob, runs: copied.runs)
      return
    }
    if let source = file.sources.first ?? nil, let previous, previous.blob == source.blob {
      var deleted: [LineRun] = []
      if let runs = LineRuns.apply(source.hunks, to: previous.runs, oldCount: source.lineCount, commit: c, deleted: { deleted.append($0) }) {
        if !file.binary {
          for run in deleted { rework(run, by: c, at: oldPath) }
          for hunk in source.hunks { added[Int(c)] += Int32(hunk.newCount) }
        }
        state[file.path] = TrackedFile(blob: blob, runs: runs)
        return
      }
    } else if let previous, !file.oldBinary, file.sources.first.map({ $0 == nil }) ?? true {
      // A type change: the old lines are gone.
      for run in previous.runs { rework(run, by: c, at: oldPath) }
    }
    if !file.binary { added[Int(c)] += Int32(file.lineCount) }
    state[file.path] = TrackedFile(blob: blob, runs: file.lineCount > 0 ? [LineRun(count: Int32(file.lineCount), commit: c, line: 0)] : [])
  }

  /// Lines of `run` deleted by commit `c`: reworked if written within the window before, once each.
  private mutating func rework(_ run: LineRun, by c: Int32, at path: [UInt8]) {
    guard run.commit != c, times[Int(c)] - times[Int(run.commit)] <= window else { return }
    let range = run.line..<(run.line + run.count)
    let key = CountedKey(commit: run.commit, path: path)
    var fresh = run.count
    var merged = range
    var kept: [Range<Int32>] = []
    for r in counted[key] ?? [] {
      if r.upperBound < merged.lowerBound || r.lowerBound > merged.upperBound {
        kept.append(r)
      } else {
        fresh -= max(0, min(r.upperBound, range.upperBound) - max(r.lowerBound, range.lowerBound))
        merged = min(r.lowerBound, merged.lowerBound)..<max(r.upperBound, merged.upperBound)
      }
    }
    kept.append(merged)
    kept.sort { $0.lowerBound < $1.lowerBound }
    counted[key] = kept
    reworked[Int(run.commit)] += fresh
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

/// What the line tracker hands back: the tip's lines by origin and the rework counters.
public struct LineHistory: Sendable {
  /// The commits as given to the tracker; a `LineRun.commit` indexes these arrays.
  public let commits: [ObjectID]
  public let authors: [Signature]
  public let authorTimes: [Int64]
  /// Every tracked file of the tip, by path, as runs of origins.
  public let tip: [[UInt8]: [LineRun]]
  /// Per commit: the lines it wrote (tracked text files; a merge's own lines only).
  public let added: [Int32]
  /// Per commit: how many of the lines it wrote a later commit deleted or replaced within `reworkDays`.
  public let reworked: [Int32]
  public let reworkDays: Int
  /// The most commit states held at once (a measure of the memory the branches took).
  public let peakLiveStates: Int

  public struct Rework: Hashable, Sendable {
    public var added: Int
    public var reworked: Int
    public init(added: Int, reworked: Int) {
      self.added = added
      self.reworked = reworked
    }
    /// Reworked lines as a share of lines added (0 when none were added).
    public var share: Double { added == 0 ? 0 : Double(reworked) / Double(added) }
  }

  /// Rework summed over the commits that share a key (an author, a period), by the commit that wrote
  /// the lines. Commits whose key is nil are left out.
  public func rework<Key: Hashable>(by key: (Int) -> Key?) -> [Key: Rework] {
    var out: [Key: Rework] = [:]
    for c in 0..<commits.count {
      guard added[c] > 0 || reworked[c] > 0, let k = key(c) else { continue }
      out[k, default: Rework(added: 0, reworked: 0)].added += Int(added[c])
      out[k, default: Rework(added: 0, reworked: 0)].reworked += Int(reworked[c])
    }
    return out
  }

  /// Rework per author (name and email as recorded; identity merging is the caller's).
  public func reworkByAuthor() -> [Signature: Rework] { rework { authors[$0] } }

  /// Rework per UTC calendar month of the writing commit's author time, keyed "YYYY-MM".
  public func reworkByMonth() -> [String: Rework] {
    rework { c in
      let (y, m) = Self.civilMonth(authorTimes[c])
      return "\(y)-\(m < 10 ? "0" : "")\(m)"
    }
  }

  /// The tip's lines per key of the commit that wrote them (an author, a period).
  public func survivingLines<Key: Hashable>(by key: (Int) -> Key?) -> [Key: Int] {
    var out: [Key: Int] = [:]
    for runs in tip.values {
      for run in runs {
        if let k = key(Int(run.commit)) { out[k, default: 0] += Int(run.count) }
      }
    }
    return out
  }

  /// Year and month (1-12) of a Unix time, UTC (days to civil, proleptic Gregorian).
  static func civilMonth(_ time: Int64) -> (Int64, Int64) {
    let days = (time >= 0 ? time : time - 86_399) / 86_400
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m)
  }
}
