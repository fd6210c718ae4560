import CLibGit2

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
///   the history pass's `--renames`) continues the deleted file's lines; blame finds the same pairs for
///   a path its parent lacks. Without it a renamed file's lines are all new, where `git blame` (which
///   always follows renames) credits their authors: compare against `git blame` only files whose
///   history has no rename, or turn the detection on.
/// - Submodules are not tracked; nor are files whose blob cannot be read (a shallow or partial
///   snapshot); binary files are tracked (blame attributes their "lines" too) but never counted in
///   rework.
///
/// Rework: when a commit with one parent (or a root) deletes or replaces lines written less than
/// `reworkDays` days earlier (by author time, of the two commits), those lines count as reworked for
/// the commit that wrote them, once each even if two branches both delete them (at the same path). Lines dropped by a
/// merge are not counted (what a merge drops is a choice between branches, not work thrown away).
public struct LineTracker: Sendable {
  public struct Options: Sendable {
    public var detectRenames: Bool
    public var reworkDays: Int
    public init(detectRenames: Bool = false, reworkDays: Int = 21) {
      self.detectRenames = detectRenames
      self.reworkDays = max(0, reworkDays)
    }
  }

  public let repositoryPath: String
  public let commits: [ObjectID]
  public let tip: ObjectID
  public let options: Options

  /// `commits` are the commits to follow, in any order (origins name them by their index here); the
  /// tip must be one of them. A parent outside the list counts as missing, like a shallow boundary's.
  public init(repositoryPath: String, commits: [ObjectID], tip: ObjectID, options: Options = Options()) {
    self.repositoryPath = repositoryPath
    self.commits = commits
    self.tip = tip
    self.options = options
  }

  public func run() throws(GitError) -> LineHistory {
    let repo = try Repository(path: repositoryPath)
    let store = try repo.objects()
    let differ = TreeDiffer(repo: repo.handle, store: store)
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
      for parent in commit.parents {
        if let p = index[parent], !own.contains(p) {
          own.append(p)
          children[Int(p)] += 1
        }
      }
      parents.append(own)
      authors.append(commit.author.signature)
      times.append(commit.author.time)
    }

    var run = Run(store: store, differ: differ, renames: options.detectRenames,
                  window: Int64(options.reworkDays) * 86_400, times: times, commitCount: commits.count)

    // Kahn's order, the oldest ready commit first (the list's last): parents always before children.
    var waiting = parents.map { Int32($0.count) }
    var childLists = [[Int32]](repeating: [], count: commits.count)
    for (c, own) in parents.enumerated() { for p in own { childLists[Int(p)].append(Int32(c)) } }
    var ready = Heap()
    for c in 0..<commits.count where waiting[c] == 0 { ready.push(Int32(c)) }
    var states: [Int32: TreeLines] = [:]
    var left = children
    var tipState: TreeLines = [:]
    var peak = 0
    while let c = ready.pop() {
      let own = parents[Int(c)]
      var state: TreeLines
      if let first = own.first {
        state = left[Int(first)] == 1 ? (states.removeValue(forKey: first) ?? [:]) : (states[first] ?? [:])
      } else {
        state = [:]
      }
      do {
        try run.commit(c, tree: trees[Int(c)], parents: own.map { (trees[Int($0)], $0) }, state: &state, states: states)
      } catch {
        throw GitError(kind: error.kind, code: error.code, message: "cannot follow the lines of commit \(commits[Int(c)].hex): \(error.message)",
                       call: error.call)
      }
      for p in own {
        left[Int(p)] -= 1
        if left[Int(p)] == 0 { states[p] = nil }
      }
      if c == tipIndex { tipState = state }
      if children[Int(c)] > 0 { states[c] = state }
      peak = max(peak, states.count)
      for child in childLists[Int(c)] {
        waiting[Int(child)] -= 1
        if waiting[Int(child)] == 0 { ready.push(child) }
      }
    }
    var files: [[UInt8]: [LineRun]] = [:]
    for (path, file) in tipState { files[path] = file.runs }
    return LineHistory(commits: commits, authors: authors, authorTimes: times, tip: files,
                       added: run.added, reworked: run.reworked, reworkDays: options.reworkDays, peakLiveStates: peak)
  }
}

/// One file of a commit as the tracker holds it.
struct TrackedFile {
  var blob: ObjectID
  var runs: [LineRun]
}

typealias TreeLines = [[UInt8]: TrackedFile]

/// The per-commit work of the tracker, with the counters it keeps.
private struct Run {
  let store: ObjectStore
  let differ: TreeDiffer
  let renames: Bool
  let window: Int64
  let times: [Int64]
  let lines = LineDiffer()
  var added: [Int32]
  var reworked: [Int32]
  /// The origin lines already counted as reworked, per origin commit and path they were deleted at,
  /// as sorted disjoint ranges (line numbers are per file: a commit's line 0 of two files are two lines).
  var counted: [CountedKey: [Range<Int32>]] = [:]

  struct CountedKey: Hashable {
    let commit: Int32
    let path: [UInt8]
  }

  init(store: ObjectStore, differ: TreeDiffer, renames: Bool, window: Int64, times: [Int64], commitCount: Int) {
    self.store = store
    self.differ = differ
    self.renames = renames
    self.window = window
    self.times = times
    added = [Int32](repeating: 0, count: commitCount)
    reworked = [Int32](repeating: 0, count: commitCount)
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

  mutating func commit(_ c: Int32, tree: ObjectID, parents: [(tree: ObjectID, index: Int32)], state: inout TreeLines,
                       states: [Int32: TreeLines]) throws(GitError) {
    let changes = try changedFiles(old: parents.first?.tree, new: tree)
    let copies = exactSources(changes)
    if parents.count <= 1 {
      // The copies' sources as they were before the commit (a source may be renamed or deleted by it).
      var copied: [[UInt8]: TrackedFile] = [:]
      for (path, source) in copies { copied[path] = state[source] }
      for (change, renamedFrom) in changes {
        if let file = copied[change.path], let newID = change.newID {
          state[change.path] = TrackedFile(blob: ObjectID(newID), runs: file.runs)
        } else {
          try single(c, change, renamedFrom: renamedFrom, state: &state)
        }
      }
      return
    }
    // A merge: where each parent has each path the merge changed against the first parent (blame's
    // find_origin: the same path unless the parent lacks it, then a rename's source) and its blob.
    var sources: [[[UInt8]: (path: [UInt8], blob: ObjectID)]] = []
    for parent in parents.dropFirst() {
      let diff = try changedFiles(old: parent.tree, new: tree)
      let exact = exactSources(diff)
      var map: [[UInt8]: (path: [UInt8], blob: ObjectID)] = [:]
      for (change, renamedFrom) in diff {
        guard let newID = change.newID else { continue }
        if let old = change.oldID {
          if Self.kind(change.oldMode) == Self.kind(change.newMode) { map[change.path] = (renamedFrom ?? change.path, ObjectID(old)) }
        } else if let source = exact[change.path] {
          map[change.path] = (source, ObjectID(newID))
        }
      }
      sources.append(map)
    }
    // Worked out against the parents' states first, applied after: a path renamed away is still
    // another change's source.
    var results: [(path: [UInt8], file: TrackedFile?)] = []
    var gone: [[UInt8]] = []
    for (change, renamedFrom) in changes {
      if let from = renamedFrom { gone.append(from) }
      guard let newID = change.newID, change.newMode != Self.submodule else {
        gone.append(change.path)
        continue
      }
      let newBlob = ObjectID(newID)
      // Each parent's version in parent order: (its runs, its blob).
      var versions: [(runs: [LineRun], blob: ObjectID)] = []
      let firstSource: [UInt8]?
      if change.oldID != nil {
        firstSource = Self.kind(change.oldMode) == Self.kind(change.newMode) ? (renamedFrom ?? change.path) : nil
      } else {
        firstSource = copies[change.path]
      }
      if let path = firstSource, let file = state[path] { versions.append((file.runs, file.blob)) }
      for (k, parent) in parents.dropFirst().enumerated() {
        guard let parentState = states[parent.index] else { continue }
        if let source = sources[k][change.path] {
          if let file = parentState[source.path], file.blob == source.blob { versions.append((file.runs, file.blob)) }
        } else if let file = parentState[change.path], file.blob == newBlob {
          versions.append((file.runs, file.blob))
        }
      }
      // The same file as a parent's, first such parent first: blame passes it whole.
      if let same = versions.first(where: { $0.blob == newBlob }) {
        results.append((change.path, TrackedFile(blob: newBlob, runs: same.runs)))
        continue
      }
      guard let newBytes = try blob(newBlob) else {
        results.append((change.path, nil))
        continue
      }
      var inputs: [(runs: [LineRun], hunks: [LineHunk])] = []
      var seen: [ObjectID] = []
      for version in versions where !seen.contains(version.blob) {
        seen.append(version.blob)
        guard let oldBytes = try blob(version.blob) else { continue }
        inputs.append((version.runs, hunks(oldBytes, newBytes)))
      }
      let count = newBytes.withUnsafeBytes { GitText.lineCount($0) }
      let runs = LineRuns.merge(newCount: count, commit: c, parents: inputs)
      if !Self.binary(newBytes) {
        for run in runs where run.commit == c { added[Int(c)] += run.count }
      }
      results.append((change.path, TrackedFile(blob: newBlob, runs: runs)))
    }
    for path in gone { state[path] = nil }
    for (path, file) in results { state[path] = file }
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

  /// The tree diff; without renames when their detection needs a blob the store lacks (libgit2 reads
  /// every candidate's size), as if the pair were not similar.
  private func changedFiles(old: ObjectID?, new: ObjectID) throws(GitError) -> [(change: TreeDiffer.Change, renamedFrom: [UInt8]?)] {
    do {
      return try differ.changedFiles(old: old?.raw, new: new.raw, renames: renames)
    } catch where renames && error.code == GIT_ENOTFOUND.rawValue {
      return try differ.changedFiles(old: old?.raw, new: new.raw, renames: false)
    }
  }

  private func hunks(_ old: [UInt8], _ new: [UInt8]) -> [LineHunk] {
    old.withUnsafeBytes { o in new.withUnsafeBytes { n in lines.hunks(old: o, new: n) } }
  }

  /// One file changed by a commit with at most one parent.
  private mutating func single(_ c: Int32, _ change: TreeDiffer.Change, renamedFrom: [UInt8]?, state: inout TreeLines) throws(GitError) {
    let oldPath = renamedFrom ?? change.path
    let previous = state.removeValue(forKey: oldPath)
    guard let newID = change.newID, change.newMode != Self.submodule else {
      if let previous, let bytes = try blob(previous.blob), !Self.binary(bytes) {
        for run in previous.runs { rework(run, by: c, at: oldPath) }
      }
      return
    }
    let newBlob = ObjectID(newID)
    guard let newBytes = try blob(newBlob) else { return }
    let binaryNew = Self.binary(newBytes)
    if let previous, change.oldID != nil, Self.kind(change.oldMode) == Self.kind(change.newMode),
       let oldBytes = try blob(previous.blob) {
      let counted = !binaryNew && !Self.binary(oldBytes)
      let oldCount = oldBytes.withUnsafeBytes { GitText.lineCount($0) }
      let hunks = hunks(oldBytes, newBytes)
      var deleted: [LineRun] = []
      if let runs = LineRuns.apply(hunks, to: previous.runs, oldCount: oldCount, commit: c, deleted: { deleted.append($0) }) {
        if counted {
          for run in deleted { rework(run, by: c, at: oldPath) }
          for hunk in hunks { added[Int(c)] += Int32(hunk.newCount) }
        }
        state[change.path] = TrackedFile(blob: newBlob, runs: runs)
        return
      }
    } else if let previous, let oldBytes = try blob(previous.blob), !Self.binary(oldBytes) {
      // A type change: the old lines are gone.
      for run in previous.runs { rework(run, by: c, at: oldPath) }
    }
    let count = newBytes.withUnsafeBytes { GitText.lineCount($0) }
    if !binaryNew { added[Int(c)] += Int32(count) }
    state[change.path] = TrackedFile(blob: newBlob, runs: count > 0 ? [LineRun(count: Int32(count), commit: c, line: 0)] : [])
  }

  private static func binary(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { GitText.isBinary($0) } }

  /// Lines of `run` deleted by commit `c`: reworked if written within the window before, once each.
  private mutating func rework(_ run: LineRun, by c: Int32, at path: [UInt8]) {
    guard run.commit != c, times[Int(c)] - times[Int(run.commit)] <= window else { return }
    let range = run.line..<(run.line + run.count)
    let key = CountedKey(commit: run.commit, path: path)
    var ranges = counted[key] ?? []
    var fresh = run.count
    var merged = range
    var kept: [Range<Int32>] = []
    kept.reserveCapacity(ranges.count + 1)
    for r in ranges {
      if r.upperBound < merged.lowerBound || r.lowerBound > merged.upperBound {
        kept.append(r)
      } else {
        fresh -= max(0, min(r.upperBound, range.upperBound) - max(r.lowerBound, range.lowerBound))
        merged = min(r.lowerBound, merged.lowerBound)..<max(r.upperBound, merged.upperBound)
      }
    }
    kept.append(merged)
    kept.sort { $0.lowerBound < $1.lowerBound }
    ranges = kept
    counted[key] = ranges
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
