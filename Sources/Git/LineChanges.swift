import CLibGit2
import Synchronization
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One file of a commit as the tracker holds it.
public struct TrackedFile: Sendable, Hashable {
  public var blob: ObjectID
  public var runs: [LineRun]
  /// Either side of its last change was binary: its "lines" are followed (blame attributes them) but
  /// never counted.
  public var binary = false
  public init(blob: ObjectID, runs: [LineRun], binary: Bool = false) {
    self.blob = blob
    self.runs = runs
    self.binary = binary
  }
}

/// A commit's tracked files by path, kept per directory and each directory's files in 8 buckets: a
/// branch's copy of its parent's state shares every directory and bucket it does not change. (A flat
/// dictionary of a big tree's files was copied whole at every branch point: on git.git, with thousands
/// of files and of branches, more than its diffs cost; then whole directories were, t/ has 1,000 files.)
struct TreeLines: Sequence {
  /// By directory (the path up to its last "/", empty at the root), then by the rest of the path.
  private var directories: [PathPart: Directory] = [:]

  /// A directory's files by name, in buckets by the name's hash.
  private struct Directory {
    static let buckets = 8
    var buckets = [[PathPart: TrackedFile]](repeating: [:], count: Directory.buckets)
    var isEmpty: Bool { buckets.allSatisfy(\.isEmpty) }
  }

  init() {}

  init(_ files: [[UInt8]: TrackedFile]) {
    for (path, file) in files { self[path] = file }
  }

  /// Every file by its whole path.
  var files: [[UInt8]: TrackedFile] {
    var out: [[UInt8]: TrackedFile] = [:]
    for (path, file) in self { out[path] = file }
    return out
  }

  private static func split(_ path: [UInt8]) -> (directory: PathPart, name: PathPart, bucket: Int) {
    let slash = path.lastIndex(of: UInt8(ascii: "/"))
    let name = PathPart(path, from: slash.map { $0 + 1 } ?? 0, to: path.count)
    return (PathPart(path, from: 0, to: slash ?? 0), name, Int(truncatingIfNeeded: name.bits >> 29) & (Directory.buckets - 1))
  }

  subscript(path: [UInt8]) -> TrackedFile? {
    get {
      let (directory, name, bucket) = Self.split(path)
      return directories[directory]?.buckets[bucket][name]
    }
    set {
      if let newValue {
        let (directory, name, bucket) = Self.split(path)
        directories[directory, default: Directory()].buckets[bucket][name] = newValue
      } else {
        removeValue(forKey: path)
      }
    }
  }

  @discardableResult
  mutating func removeValue(forKey path: [UInt8]) -> TrackedFile? {
    let (directory, name, bucket) = Self.split(path)
    // Looked up first: removing through a shared state copies its bucket even when the file is not there.
    guard directories[directory]?.buckets[bucket][name] != nil,
          let file = directories[directory]?.buckets[bucket].removeValue(forKey: name) else { return nil }
    if directories[directory]!.isEmpty { directories[directory] = nil }
    return file
  }

  func makeIterator() -> AnyIterator<(key: [UInt8], value: TrackedFile)> {
    var outer = directories.values.makeIterator()
    var buckets: [[PathPart: TrackedFile]] = []
    var bucket = 0
    var inner: Dictionary<PathPart, TrackedFile>.Iterator?
    return AnyIterator {
      while true {
        if let (name, file) = inner?.next() { return (name.path, file) }
        if bucket < buckets.count {
          inner = buckets[bucket].makeIterator()
          bucket += 1
          continue
        }
        guard let next = outer.next() else { return nil }
        buckets = next.buckets
        bucket = 0
        inner = nil
      }
    }
  }
}

/// Bytes `from..<to` of a path, as a dictionary key that keeps the whole path instead of copying the
/// part (a state is looked up several times per changed file), its bytes mixed eight at a time.
struct PathPart: Hashable {
  let path: [UInt8]
  let from: Int
  let to: Int
  /// A hash of the bytes (not seeded: the dictionary's Hasher seeds it).
  let bits: UInt64

  init(_ path: [UInt8], from: Int, to: Int) {
    self.path = path
    self.from = from
    self.to = to
    bits = path.withUnsafeBufferPointer { buffer in
      var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(to - from)
      var k = from
      while k < to {
        var w: UInt64 = 0
        let n = min(8, to - k)
        for j in 0..<n { w |= UInt64(buffer[k + j]) << UInt64(j * 8) }
        h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        k += n
      }
      return h
    }
  }

  static func == (a: PathPart, b: PathPart) -> Bool {
    let n = a.to - a.from
    guard n == b.to - b.from, a.bits == b.bits else { return false }
    if n == 0 { return true }
    return a.path.withUnsafeBufferPointer { pa in
      b.path.withUnsafeBufferPointer { pb in memcmp(pa.baseAddress! + a.from, pb.baseAddress! + b.from, n) == 0 }
    }
  }

  func hash(into hasher: inout Hasher) { hasher.combine(bits) }
}

/// Where a parent has a file of the commit, and the diff from that version.
struct PreparedSource: Sendable, Equatable {
  let path: [UInt8]
  let blob: ObjectID
  let lineCount: Int
  /// Against the commit's version; empty when the blobs are the same.
  let hunks: [LineHunk]
}

/// One path a commit changed against its first parent, with everything the states need.
struct PreparedFile: Sendable, Equatable {
  let path: [UInt8]
  /// The first parent's path it was renamed from.
  let renamedFrom: [UInt8]?
  /// Nil when the path is gone from the commit or not tracked (a submodule, a blob the store lacks).
  let blob: ObjectID?
  /// -1 for a merge's file passed whole from a parent (its blob not read: the parent's state has it).
  let lineCount: Int
  /// Either side binary: tracked, never counted in rework.
  let binary: Bool
  /// Per parent, in parent order: its version, when blame finds one (nil otherwise).
  let sources: [PreparedSource?]
  /// The first parent's version is binary (a deleted or type-changed file's lines are not counted).
  let oldBinary: Bool
}

struct PreparedCommit: Sendable {
  let commit: Int32
  let files: [PreparedFile]
}

/// What a commit with at most one parent changed, worked out by the history pass for the line tracker
/// (`HistoryWalk.Options.collectLineChanges`), which then neither reads its trees nor diffs its blobs
/// (`LineTracker.run(given:)`). Kept flat (a record per file, its paths and hunks in two buffers) while
/// the whole history waits for the tracker; `files` expands them.
public struct CommitLineChanges: Sendable {
  /// The parent it was diffed against (nil: against nothing, a root or a shallow boundary).
  public let parent: ObjectID?
  private let records: [Record]
  private let paths: [UInt8]
  /// Four numbers per hunk: old start, old count, new start, new count.
  private let hunks: [Int32]

  private struct Record {
    let pathEnd: Int32
    let hunkEnd: Int32
    let lineCount: Int32
    let oldLineCount: Int32
    let blob: ObjectID
    let old: ObjectID
    /// 1 the new side is tracked (`blob`), 2 binary, 4 a source (`old`), 8 the old side binary.
    let flags: UInt8
  }

  /// Files of one parent or none, without renames or copies (what `TreeDiffer` prepares).
  init(parent: ObjectID?, files: [PreparedFile]) {
    self.parent = parent
    var records: [Record] = [], paths: [UInt8] = [], hunks: [Int32] = []
    records.reserveCapacity(files.count)
    for file in files {
      paths += file.path
      let source = file.sources.first ?? nil
      for hunk in source?.hunks ?? [] {
        hunks.append(Int32(clamping: hunk.oldStart))
        hunks.append(Int32(clamping: hunk.oldCount))
        hunks.append(Int32(clamping: hunk.newStart))
        hunks.append(Int32(clamping: hunk.newCount))
      }
      let flags = (file.blob != nil ? 1 : 0) | (file.binary ? 2 : 0) | (source != nil ? 4 : 0) | (file.oldBinary ? 8 : 0)
      records.append(Record(pathEnd: Int32(paths.count), hunkEnd: Int32(hunks.count), lineCount: Int32(clamping: file.lineCount),
                            oldLineCount: Int32(clamping: source?.lineCount ?? 0), blob: file.blob ?? .zero, old: source?.blob ?? .zero,
                            flags: UInt8(flags)))
    }
    self.records = records
    self.paths = paths
    self.hunks = hunks
  }

  var files: [PreparedFile] {
    var out: [PreparedFile] = []
    out.reserveCapacity(records.count)
    var pathStart = 0, hunkStart = 0
    for r in records {
      let path = Array(paths[pathStart..<Int(r.pathEnd)])
      var source: PreparedSource?
      if r.flags & 4 != 0 {
        var list: [LineHunk] = []
        list.reserveCapacity((Int(r.hunkEnd) - hunkStart) / 4)
        for k in stride(from: hunkStart, to: Int(r.hunkEnd), by: 4) {
          list.append(LineHunk(oldStart: Int(hunks[k]), oldCount: Int(hunks[k + 1]), newStart: Int(hunks[k + 2]), newCount: Int(hunks[k + 3])))
        }
        source = PreparedSource(path: path, blob: r.old, lineCount: Int(r.oldLineCount), hunks: list)
      }
      let tracked = r.flags & 1 != 0
      out.append(PreparedFile(path: path, renamedFrom: nil, blob: tracked ? r.blob : nil, lineCount: Int(r.lineCount),
                              binary: r.flags & 2 != 0, sources: tracked ? [source] : [], oldBinary: r.flags & 8 != 0))
      pathStart = Int(r.pathEnd)
      hunkStart = Int(r.hunkEnd)
    }
    return out
  }
}

/// A merge's diffs of a file against a parent's version, by the two blobs, shared by the readers of
/// one run: the same pair comes back in later merges (git.git: 6,238 of its 66,087 merge diffs, a
/// topic merged into one branch, then the branch into another), and a hit needs neither blob read.
/// The last `capacity` pairs are kept.
final class MergeDiffCache: Sendable {
  struct Diff: Sendable {
    let oldLines: Int
    let newLines: Int
    let hunks: [LineHunk]
    let oldBinary: Bool
    let newBinary: Bool
  }

  private struct Key: Hashable {
    let old: ObjectID
    let new: ObjectID
  }

  private struct State {
    var diffs: [Key: Diff] = [:]
    var order: [Key] = []
    var next = 0
  }

  private let state = Mutex(State())
  let capacity: Int

  init(capacity: Int = 8192) { self.capacity = max(1, capacity) }

  func get(old: ObjectID, new: ObjectID) -> Diff? { state.withLock { $0.diffs[Key(old: old, new: new)] } }

  func put(old: ObjectID, new: ObjectID, _ diff: Diff) {
    let key = Key(old: old, new: new)
    state.withLock { state in
      guard state.diffs.updateValue(diff, forKey: key) == nil else { return }
      if state.order.count < capacity {
        state.order.append(key)
      } else {
        state.diffs[state.order[state.next]] = nil
        state.order[state.next] = key
        state.next = (state.next + 1) % capacity
      }
    }
  }
}

/// Works out what a commit changed, per file, against each parent: one per worker thread.
final class LineChangeReader {
  let store: ObjectStore
  let differ: TreeDiffer
  let renames: Bool
  let lines = LineDiffer()
  let repo: Repository
  let merges: MergeDiffCache?

  /// `bases`: the delta-base cache the readers of one run share (each keeps its trees in 8 MiB of its
  /// own); `merges`: the merges' diffs they share.
  init(repositoryPath: String, renames: Bool, bases: SharedBaseCache? = nil, merges: MergeDiffCache? = nil) throws(GitError) {
    self.merges = merges
    repo = try Repository(path: repositoryPath)
    // Small caches: the tracker runs while the whole history is held, and the scan's peak memory stays
    // under `git log`'s. Alone, 20 MiB; in a tracker run the readers share 30 MiB and keep 8 MiB of
    // trees each: a merge reads three versions of each directory on its changed paths (its own, then
    // each parent's), and a tree is read as a delta on one of them, so 2 MiB (one version of git.git's
    // t/ is 61 KB) resolved two deltas per tree read and 8 MiB one (git.git: 1 s of CPU less). A
    // merge's blobs lie all over the pack: each read counts as the pages the kernel maps around it, so
    // they are handed back in time.
    store = bases == nil ? try ObjectStore(repository: repo.handle, cacheBytes: 20 << 20)
                         : try ObjectStore(repository: repo.handle, cacheBytes: 8 << 20, shared: bases)
    store.pageFootprint = 64 << 10
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

  /// `given`: the history pass's changes of the commit, against the parent followed.
  func commit(_ job: LineTracker.Job, given: CommitLineChanges? = nil) throws(GitError) -> PreparedCommit {
    if let given { return PreparedCommit(commit: job.commit, files: given.files) }
    do {
      return try prepare(job)
    } catch {
      throw GitError(kind: error.kind, code: error.code, message: "cannot follow the lines of commit \(job.id.hex): \(error.message)",
                     call: error.call)
    }
  }

  private func prepare(_ job: LineTracker.Job) throws(GitError) -> PreparedCommit {
    let tree = try HistoryWalk.commit(job.id, store: store).tree
    var parentTrees: [ObjectID] = []
    for parent in job.parents { parentTrees.append(try HistoryWalk.commit(parent, store: store).tree) }
    let (changes, others) = renames ? try diffsFollowingRenames(tree: tree, parents: parentTrees)
                                    : try diffsAtChangedPaths(tree: tree, parents: parentTrees)
    var files: [PreparedFile] = []
    files.reserveCapacity(changes.count)
    for (change, renamedFrom) in changes {
      var oldBinary = false
      let sameKind = change.oldID != nil && change.newID != nil && Self.kind(change.oldMode) == Self.kind(change.newMode)
      if let old = change.oldID, !sameKind, change.oldMode != Self.submodule, let bytes = try blob(ObjectID(old)) {
        oldBinary = Self.binary(bytes)
      }
      // Gone from the commit, a submodule, or a blob the store lacks: not tracked.
      func untracked() -> PreparedFile {
        PreparedFile(path: change.path, renamedFrom: renamedFrom, blob: nil, lineCount: 0, binary: false, sources: [], oldBinary: oldBinary)
      }
      guard let newID = change.newID, change.newMode != Self.submodule else {
        files.append(untracked())
        continue
      }
      let newBlob = ObjectID(newID)
      // Each parent's version, when blame finds one.
      var wanted: [(path: [UInt8], blob: ObjectID)?] = [sameKind ? change.oldID.map { (renamedFrom ?? change.path, ObjectID($0)) } : nil]
      for map in others {
        if let entry = map[change.path] { wanted.append(entry) } else { wanted.append((change.path, newBlob)) }
      }
      // A version the same as the commit's (a merge taking one side's file, say) is passed whole, as
      // blame's pass_whole_blame does, whatever the other parents hold: no diff is needed then, nor the
      // blob (the parent's state has its lines; line count -1). Most files a merge changes against its
      // first parent are the other side's, untouched.
      if job.parents.count > 1, wanted.contains(where: { $0?.blob == newBlob }) {
        files.append(PreparedFile(path: change.path, renamedFrom: renamedFrom, blob: newBlob, lineCount: -1, binary: false,
                                  sources: wanted.map { entry in
                                    entry.flatMap { $0.blob == newBlob ? PreparedSource(path: $0.path, blob: newBlob, lineCount: -1, hunks: []) : nil }
                                  },
                                  oldBinary: oldBinary))
        continue
      }
      // A merge's diffs done before (the same two blobs) are not done again; when all are, neither
      // blob is read.
      let cache = job.parents.count > 1 ? merges : nil
      var hits: [ObjectID: MergeDiffCache.Diff] = [:]
      var needed = 0
      for case let entry? in wanted where entry.blob != newBlob && hits[entry.blob] == nil {
        needed += 1
        if let hit = cache?.get(old: entry.blob, new: newBlob) { hits[entry.blob] = hit }
      }
      var newBytes: [UInt8]?
      if needed == 0 || hits.count < needed {
        guard let bytes = try blob(newBlob) else {
          files.append(untracked())
          continue
        }
        newBytes = bytes
      }
      let newBinary = newBytes.map(Self.binary) ?? hits.first!.value.newBinary
      var binary = newBinary
      var sources: [PreparedSource?] = []
      var newLines: Int?
      var diffed: [ObjectID: (count: Int, hunks: [LineHunk])] = [:]
      for entry in wanted {
        guard let entry else {
          sources.append(nil)
          continue
        }
        if entry.blob == newBlob {
          sources.append(PreparedSource(path: entry.path, blob: entry.blob, lineCount: -1, hunks: []))
          continue
        }
        if diffed[entry.blob] == nil {
          if let hit = hits[entry.blob] {
            if hit.oldBinary { binary = true }
            diffed[entry.blob] = (hit.oldLines, hit.hunks)
            newLines = hit.newLines
          } else {
            guard let newBytes, let oldBytes = try blob(entry.blob) else {
              sources.append(nil)
              continue
            }
            let oldBinary = Self.binary(oldBytes)
            if oldBinary { binary = true }
            let d = oldBytes.withUnsafeBytes { o in newBytes.withUnsafeBytes { n in lines.hunksAndLines(old: o, new: n) } }
            diffed[entry.blob] = (d.oldLines, d.hunks)
            newLines = d.newLines
            cache?.put(old: entry.blob, new: newBlob, MergeDiffCache.Diff(oldLines: d.oldLines, newLines: d.newLines, hunks: d.hunks,
                                                                          oldBinary: oldBinary, newBinary: newBinary))
          }
        }
        let d = diffed[entry.blob]!
        sources.append(PreparedSource(path: entry.path, blob: entry.blob, lineCount: d.count, hunks: d.hunks))
      }
      guard let count = newLines ?? newBytes.map(Self.lineCount) else {
        files.append(untracked())
        continue
      }
      sources = sources.map { source in
        guard let source, source.lineCount < 0 else { return source }
        return PreparedSource(path: source.path, blob: source.blob, lineCount: count, hunks: [])
      }
      files.append(PreparedFile(path: change.path, renamedFrom: renamedFrom, blob: newBlob, lineCount: count,
                                binary: binary, sources: sources, oldBinary: oldBinary))
    }
    return PreparedCommit(commit: job.commit, files: files)
  }

  /// The commit's changes against its first parent, and per other parent where it has each changed
  /// path, with which blob (nil: blame finds no version there).
  typealias ParentViews = (changes: [(change: TreeDiffer.Change, renamedFrom: [UInt8]?)], others: [[[UInt8]: (path: [UInt8], blob: ObjectID)?]])

  /// Without renames: the first parent's diff, and each other parent looked up at the paths that diff
  /// names (blame's find_origin: the same path, or no version when the parent lacks it) instead of
  /// diffed whole.
  private func diffsAtChangedPaths(tree: ObjectID, parents: [ObjectID]) throws(GitError) -> ParentViews {
    let changes = try differ.changedFiles(old: parents.first?.raw, new: tree.raw)
    let named = changes.filter { $0.newID != nil }
    var others: [[[UInt8]: (path: [UInt8], blob: ObjectID)?]] = []
    for parent in parents.dropFirst() {
      let found = try differ.entries(at: named.map(\.path), in: parent.raw)
      var map: [[UInt8]: (path: [UInt8], blob: ObjectID)?] = [:]
      for (change, entry) in zip(named, found) {
        if let entry, Self.kind(entry.mode) == Self.kind(change.newMode) {
          map[change.path] = (change.path, ObjectID(entry.id))
        } else {
          map[change.path] = .some(nil)
        }
      }
      others.append(map)
    }
    return (changes.map { ($0, nil) }, others)
  }

  /// The commit's changes against its first parent, each with the path it was renamed from, and per
  /// other parent where it has each changed path (nil: blame finds no version there). A path absent
  /// from a parent takes a rename source there (`RenameSearch`) only as blame would look for one: with
  /// `renames`, and in a merge only when no parent has the path with the commit's blob (then blame
  /// passes the file whole and looks no further).
  private func diffsFollowingRenames(tree: ObjectID, parents: [ObjectID]) throws(GitError) -> ParentViews {
    let first = try differ.changedFiles(old: parents.first?.raw, new: tree.raw)
    var otherDiffs: [[TreeDiffer.Change]] = []
    var otherIndex: [[[UInt8]: Int]] = []
    for parent in parents.dropFirst() {
      let diff = try differ.changedFiles(old: parent.raw, new: tree.raw)
      var index: [[UInt8]: Int] = [:]
      for (i, change) in diff.enumerated() { index[change.path] = i }
      otherDiffs.append(diff)
      otherIndex.append(index)
    }
    // Which parent diff's added file takes which deleted file of the same diff: per diff, by index.
    var sources = [[Int: Int]](repeating: [:], count: otherDiffs.count + 1)
    if renames {
      // The searches asked for, per diff (destination indexes), before any is run: their count bounds them.
      var asked = [[Int]](repeating: [], count: otherDiffs.count + 1)
      for (i, change) in first.enumerated() {
        guard let newID = change.newID, change.newMode != Self.submodule else { continue }
        let unchanged = change.oldID.map { git_oid_equal([$0], [newID]) == 1 && Self.kind(change.oldMode) == Self.kind(change.newMode) } ?? false
        let passedWhole = unchanged || otherDiffs.indices.contains { k in
          guard let j = otherIndex[k][change.path] else { return true }
          let other = otherDiffs[k][j]
          return other.oldID.map { git_oid_equal([$0], [newID]) == 1 && Self.kind(other.oldMode) == Self.kind(change.newMode) } ?? false
        }
        if passedWhole { continue }
        if change.oldID == nil { asked[0].append(i) }
        for k in otherDiffs.indices {
          if let j = otherIndex[k][change.path], otherDiffs[k][j].oldID == nil { asked[k + 1].append(j) }
        }
      }
      for (d, destinations) in asked.enumerated() where !destinations.isEmpty {
        let diff = d == 0 ? first : otherDiffs[d - 1]
        var search = RenameSearch(changes: diff, destinations: destinations.count)
        if search.isEmpty { continue }
        for j in destinations {
          if let s = try search.source(for: diff[j], size: blobSize, read: blob) { sources[d][j] = s }
        }
      }
    }
    // A source's deletion is the rename's: it leaves the list (the rename removes its old path).
    let used = Set(sources[0].values)
    var changes: [(change: TreeDiffer.Change, renamedFrom: [UInt8]?)] = []
    changes.reserveCapacity(first.count)
    for (i, change) in first.enumerated() where !used.contains(i) {
      if let s = sources[0][i] {
        let from = first[s]
        changes.append((TreeDiffer.Change(path: change.path, oldID: from.oldID, oldMode: from.oldMode, newID: change.newID,
                                          newMode: change.newMode), from.path))
      } else {
        changes.append((change, nil))
      }
    }
    var others: [[[UInt8]: (path: [UInt8], blob: ObjectID)?]] = []
    for (k, diff) in otherDiffs.enumerated() {
      var map: [[UInt8]: (path: [UInt8], blob: ObjectID)?] = [:]
      for (j, change) in diff.enumerated() {
        guard change.newID != nil else { continue }
        if let old = change.oldID, Self.kind(change.oldMode) == Self.kind(change.newMode) {
          map[change.path] = (change.path, ObjectID(old))
        } else if change.oldID == nil, let s = sources[k + 1][j], let old = diff[s].oldID {
          map[change.path] = (diff[s].path, ObjectID(old))
        } else {
          map[change.path] = .some(nil)
        }
      }
      others.append(map)
    }
    return (changes, others)
  }

  /// A blob's size, or nil when the object store lacks it.
  private func blobSize(_ id: ObjectID) throws(GitError) -> Int? {
    do {
      return try store.size(id.raw)
    } catch where error.code == GIT_ENOTFOUND.rawValue {
      return nil
    }
  }
}

/// Applies the prepared commits to the states, parents first, and keeps the rework counters.
struct LineApplier {
  let reworkDays: Int
  let times: [Int64]
  var added: [Int32]
  var reworked: [Int32]
  /// The same counts per path (where the lines were written; where they were deleted), for the paths
  /// `counts` takes.
  var addedAt: [[UInt8]: Int] = [:]
  var reworkedAt: [[UInt8]: Int] = [:]
  /// Which paths' lines count in rework (all when nil).
  var counts: (@Sendable ([UInt8]) -> Bool)?
  /// The origin lines already counted as reworked, per origin commit and path they were deleted at,
  /// as sorted disjoint ranges (line numbers are per file: a commit's line 0 of two files are two lines).
  var counted: [ReworkKey: [Range<Int32>]] = [:]

  init(reworkDays: Int, times: [Int64], commitCount: Int, counts: (@Sendable ([UInt8]) -> Bool)? = nil) {
    self.reworkDays = reworkDays
    self.counts = counts
    self.times = times
    added = [Int32](repeating: 0, count: commitCount)
    reworked = [Int32](repeating: 0, count: commitCount)
  }

  mutating func commit(_ prepared: PreparedCommit, parents: [Int32], state: inout TreeLines, states: [Int32: TreeLines]) {
    let c = prepared.commit
    if parents.count <= 1 {
      // The renames' sources as they were before the commit: one may be the source of several files.
      var sources: [[UInt8]: TrackedFile] = [:]
      for file in prepared.files { if let from = file.renamedFrom { sources[from] = state.removeValue(forKey: from) ?? sources[from] } }
      for file in prepared.files { single(c, file, previous: file.renamedFrom.flatMap { sources[$0] }, state: &state) }
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
      var versions: [(runs: [LineRun], source: PreparedSource, binary: Bool)] = []
      for (k, source) in file.sources.enumerated() {
        guard let source, k < parents.count else { continue }
        let parentFile = k == 0 ? state[source.path] : states[parents[k]]?[source.path]
        if let parentFile, parentFile.blob == source.blob { versions.append((parentFile.runs, source, parentFile.binary)) }
      }
      // The same file as a parent's, first such parent first: blame passes it whole (with the
      // parent's binary mark when the blob was not read: the same blob).
      if let k = versions.firstIndex(where: { $0.source.blob == blob }) {
        results.append((file.path, TrackedFile(blob: blob, runs: versions[k].runs, binary: file.lineCount < 0 ? versions[k].binary : file.binary)))
        continue
      }
      // Passed whole from a parent whose state does not hold the file: its blob could not be read
      // there, nor here.
      if file.lineCount < 0 {
        gone.append(file.path)
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
        var own: Int32 = 0
        for run in runs where run.commit == c { own += run.count }
        add(own, by: c, at: file.path)
      }
      results.append((file.path, TrackedFile(blob: blob, runs: runs, binary: file.binary)))
    }
    for path in gone { state[path] = nil }
    for (path, file) in results { state[path] = file }
  }

  /// One file changed by a commit with at most one parent; a renamed file's `previous` is its source's.
  private mutating func single(_ c: Int32, _ file: PreparedFile, previous renamed: TrackedFile?, state: inout TreeLines) {
    let oldPath = file.renamedFrom ?? file.path
    let previous = file.renamedFrom == nil ? state.removeValue(forKey: oldPath) : renamed
    guard let blob = file.blob else {
      if let previous, !file.oldBinary, !(file.sources.first.map { $0 != nil } ?? false) {
        for run in previous.runs { rework(run, by: c, at: oldPath) }
      }
      return
    }
    if let source = file.sources.first ?? nil, let previous, previous.blob == source.blob {
      var deleted: [LineRun] = []
      if let runs = LineRuns.apply(source.hunks, to: previous.runs, oldCount: source.lineCount, commit: c, deleted: { deleted.append($0) }) {
        if !file.binary {
          for run in deleted { rework(run, by: c, at: oldPath) }
          var own: Int32 = 0
          for hunk in source.hunks { own += Int32(hunk.newCount) }
          add(own, by: c, at: file.path)
        }
        state[file.path] = TrackedFile(blob: blob, runs: runs, binary: file.binary)
        return
      }
    } else if let previous, !file.oldBinary, file.sources.first.map({ $0 == nil }) ?? true {
      // A type change: the old lines are gone.
      for run in previous.runs { rework(run, by: c, at: oldPath) }
    }
    if !file.binary { add(Int32(file.lineCount), by: c, at: file.path) }
    state[file.path] = TrackedFile(blob: blob, runs: file.lineCount > 0 ? [LineRun(count: Int32(file.lineCount), commit: c, line: 0)] : [],
                                   binary: file.binary)
  }

  /// Lines commit `c` wrote at `path`.
  private mutating func add(_ n: Int32, by c: Int32, at path: [UInt8]) {
    guard n > 0, counts?(path) ?? true else { return }
    added[Int(c)] += n
    addedAt[path, default: 0] += Int(n)
  }

  /// Lines of `run` deleted by commit `c`: reworked if written within the window before, once each.
  private mutating func rework(_ run: LineRun, by c: Int32, at path: [UInt8]) {
    guard run.commit != c, LineTracker.isRework(elapsed: times[Int(c)] - times[Int(run.commit)], reworkDays: reworkDays),
          counts?(path) ?? true else { return }
    let fresh = Self.cover(&counted[ReworkKey(commit: run.commit, path: path), default: []], run.line..<(run.line + run.count))
    reworked[Int(run.commit)] += fresh
    if fresh > 0 { reworkedAt[path, default: 0] += Int(fresh) }
  }

  /// Adds `range` to sorted disjoint `ranges` (touching ones merged); returns how many of its lines
  /// were not in them yet. A binary search and one replacement: a commit whose lines go in many pieces
  /// costs no more than the pieces.
  static func cover(_ ranges: inout [Range<Int32>], _ range: Range<Int32>) -> Int32 {
    // The first range that ends at or after the new one's start.
    var lo = 0, hi = ranges.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if ranges[mid].upperBound < range.lowerBound { lo = mid + 1 } else { hi = mid }
    }
    var end = lo
    var merged = range
    var fresh = Int32(range.count)
    while end < ranges.count, ranges[end].lowerBound <= range.upperBound {
      let r = ranges[end]
      fresh -= max(0, min(r.upperBound, range.upperBound) - max(r.lowerBound, range.lowerBound))
      merged = min(r.lowerBound, merged.lowerBound)..<max(r.upperBound, merged.upperBound)
      end += 1
    }
    ranges.replaceSubrange(lo..<end, with: CollectionOfOne(merged))
    return fresh
  }
}
