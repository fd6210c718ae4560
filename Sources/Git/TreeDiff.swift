import CLibGit2
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Diffs one commit against its first parent with our own tree walk: subtrees whose ids are equal are
/// skipped without being read (libgit2's tree-to-tree diff expands them all, 5x slower on big trees),
/// objects come from our pack reader and line counts from `LineDiffer` (git's xdiff algorithm).
/// Matches `git log --numstat --no-renames` record for record.
final class TreeDiffer {
  private let repo: OpaquePointer
  private var changes: [Change] = []
  private var path: [UInt8] = []
  /// How many trees deep the walk is.
  private var depth = 0
  /// Receives the added lines, when an analyzer asks for them.
  var visitor: (any AddedLineVisitor)?
  var commitIndex = 0
  /// See `HistoryWalk.Options.tolerateMissingBlobs`; the blobs found missing, with their paths, until
  /// the walk takes them.
  var tolerateMissingBlobs = false
  var missingBlobs: [(ObjectID, [UInt8])] = []
  private let store: ObjectStore
  /// git's line diff (xdiff's algorithm), with its scratch kept between files.
  private let lines = LineDiffer()
  /// When set, `diff` also works out what the line tracker needs of each file change (`PreparedFile`,
  /// as `LineChangeReader` would for a commit with one parent and no rename detection) from the same
  /// blobs and diffs, into `lineFiles`; `lineFilesComplete` turns false when a blob was missing (the
  /// tracker then works that commit out itself).
  var collectLines = false
  var lineFiles: [PreparedFile] = []
  var lineFilesComplete = true
  /// The diff being emitted looks for renames: then a commit that adds a path is left to the tracker,
  /// whose own search (git blame's) may find it a source this diff's does not.
  private var followingRenames = false
  /// What the counting learnt of the change being emitted, for `lineFiles`.
  private var side = LineSide()

  private struct LineSide {
    var oldRead = false, newRead = false
    var oldBinary = false, newBinary = false
    var oldLines = 0, newLines = 0
    var hunks: [LineHunk] = []
  }

  struct Change {
    var path: [UInt8]
    var oldID: git_oid?
    var oldMode: UInt32
    var newID: git_oid?
    var newMode: UInt32
  }

  init(repo: OpaquePointer, store: ObjectStore) {
    self.repo = repo
    self.store = store
  }

  /// Appends the commit's file deltas to `chunk`; returns how many it appended.
  func diff(old: git_oid?, new: git_oid, renames: Bool, into chunk: inout HistoryChunk) throws(GitError) -> Int {
    followingRenames = renames
    changes.removeAll(keepingCapacity: true)
    path.removeAll(keepingCapacity: true)
    depth = 0
    try walk(try old.map { (id) throws(GitError) in try tree(id) }, try tree(new), id: new)
    var pairs: [(old: Int, new: Int)] = []
    if renames, changes.contains(where: { $0.newID == nil }), changes.contains(where: { $0.oldID == nil }) {
      do {
        pairs = try renamePairs(old: old, new: new)
      } catch where tolerateMissingBlobs && error.isMissingObject {
        // A blob the store lacks cannot be compared: this commit's added and deleted files stay apart
        // (the missing blob is listed when its file's lines are counted, as without renames).
        pairs = []
      }
    }
    let pairedOld = Set(pairs.map(\.old)), pairedNew = Set(pairs.map(\.new))
    var count = 0
    // Records keep the tree walk's order, which is git's; a rename takes the new path's place.
    for (index, change) in changes.enumerated() where !pairedOld.contains(index) {
      if pairedNew.contains(index), let pair = pairs.first(where: { $0.new == index }) {
        let from = changes[pair.old]
        let merged = Change(path: change.path, oldID: from.oldID, oldMode: from.oldMode, newID: change.newID, newMode: change.newMode)
        try emit(merged, renamedFrom: from.path, into: &chunk)
      } else {
        try emit(change, renamedFrom: nil, into: &chunk)
      }
      count += 1
    }
    return count
  }

  /// The files that differ between two trees, in the tree walk's order, without line counts or
  /// renames: for the line-origin tracker, which diffs the blobs and looks for renames itself.
  func changedFiles(old: git_oid?, new: git_oid) throws(GitError) -> [Change] {
    changes.removeAll(keepingCapacity: true)
    path.removeAll(keepingCapacity: true)
    depth = 0
    try walk(try old.map { (id) throws(GitError) in try tree(id) }, try tree(new), id: new)
    return changes
  }

  /// The entries of a tree at some paths (mode and id), nil where it has none or has a tree there:
  /// `git blame`'s find_origin looks a path up in a merge's other parents so, rather than diffing whole
  /// trees (a merge's second parent often differs from it in hundreds of files, its first in a few).
  func entries(at paths: [[UInt8]], in root: git_oid) throws(GitError) -> [(mode: UInt32, id: git_oid)?] {
    var out = [(mode: UInt32, id: git_oid)?](repeating: nil, count: paths.count)
    try look(for: Array(paths.indices), of: paths, from: 0, in: root, depth: 0, into: &out)
    return out
  }

  /// Finds the `wanted` paths (indexes into `paths`), whose components before byte `from` all name the
  /// tree `id`, in one scan of its entries (a merge's changed paths share their directories: reading
  /// each tree once per path scanned the root's hundreds of entries again for every path).
  private func look(for wanted: [Int], of paths: [[UInt8]], from: Int, in id: git_oid, depth: Int,
                    into out: inout [(mode: UInt32, id: git_oid)?]) throws(GitError) {
    guard depth < RawCursor.maximumDepth else { throw RawCursor.tooDeep(ObjectID(id)) }
    // The paths by their component at this level: where it ends, the paths that end with it, the paths
    // that go on below it.
    struct Name {
      let path: Int
      let end: Int
      var leaves: [Int] = []
      var below: [Int] = []
      var found: (mode: UInt32, id: git_oid)?
    }
    var names: [Name] = []
    var byName: [ArraySlice<UInt8>: Int] = [:]
    var byLength: [Int: [Int]] = [:]
    for i in wanted {
      let path = paths[i]
      guard from < path.count else { continue }
      let end = path[from...].firstIndex(of: UInt8(ascii: "/")) ?? path.count
      let key = path[from..<end]
      let n: Int
      if let known = byName[key] {
        n = known
      } else {
        n = names.count
        names.append(Name(path: i, end: end))
        byName[key] = n
        byLength[end - from, default: []].append(n)
      }
      if end == path.count { names[n].leaves.append(i) } else { names[n].below.append(i) }
    }
    guard !names.isEmpty else { return }
    var left = names.count
    try tree(id).withUnsafeBufferPointer { (bytes) throws(GitError) in
      var cursor = RawCursor(bytes)
      while left > 0, let e = try cursor.next() {
        guard let candidates = byLength[e.nameLength] else { continue }
        for n in candidates where names[n].found == nil {
          let matches = paths[names[n].path].withUnsafeBufferPointer { memcmp(e.name, $0.baseAddress! + from, e.nameLength) == 0 }
          if matches {
            names[n].found = (e.mode, e.oid)
            left -= 1
            break
          }
        }
      }
    }
    for name in names {
      guard let entry = name.found else { continue }
      if Self.isTree(entry.mode) {
        if !name.below.isEmpty { try look(for: name.below, of: paths, from: name.end + 1, in: entry.id, depth: depth + 1, into: &out) }
      } else {
        for i in name.leaves { out[i] = entry }
      }
    }
  }

  // MARK: - Tree walk, on the raw tree objects (no parse into libgit2's entry arrays)

  private static func isTree(_ mode: UInt32) -> Bool { mode == 0o040000 }

  /// git's `base_name_compare`: a tree sorts as if its name ended with "/".
  @inline(__always)
  private static func compare(_ a: RawEntry, _ b: RawEntry) -> Int {
    let n = min(a.nameLength, b.nameLength)
    if n > 0 {
      let c = memcmp(a.name, b.name, n)
      if c != 0 { return Int(c) }
    }
    let ca: UInt8 = a.nameLength > n ? a.name[n] : (isTree(a.mode) ? UInt8(ascii: "/") : 0)
    let cb: UInt8 = b.nameLength > n ? b.name[n] : (isTree(b.mode) ? UInt8(ascii: "/") : 0)
    return Int(ca) - Int(cb)
  }

  private func tree(_ id: git_oid) throws(GitError) -> [UInt8] {
    let object = try store.read(id)
    guard object.kind == .tree else {
      throw GitError(kind: .unreadableObject, message: "object \(ObjectID(id).hex) is not a tree", call: "tree")
    }
    return object.data
  }

  /// Walks two raw trees side by side (either may be missing: a whole side added or deleted), no
  /// deeper than `RawCursor.maximumDepth`.
  private func walk(_ old: [UInt8]?, _ new: [UInt8]?, id: git_oid) throws(GitError) {
    depth += 1
    defer { depth -= 1 }
    guard depth <= RawCursor.maximumDepth else { throw RawCursor.tooDeep(ObjectID(id)) }
    try (old ?? []).withUnsafeBufferPointer { (o: UnsafeBufferPointer<UInt8>) throws(GitError) in
      try (new ?? []).withUnsafeBufferPointer { (n: UnsafeBufferPointer<UInt8>) throws(GitError) in
        try walk(RawCursor(o), RawCursor(n))
      }
    }
  }

  private func walk(_ oldCursor: RawCursor, _ newCursor: RawCursor) throws(GitError) {
    var o = oldCursor
    var n = newCursor
    // Most entries of two versions of a tree are the same bytes: skip those without parsing them.
    RawCursor.skipIdentical(&o, &n)
    var oe = try o.next(), ne = try n.next()
    while oe != nil || ne != nil {
      let order: Int
      if let a = oe, let b = ne { order = Self.compare(a, b) } else { order = oe == nil ? 1 : -1 }
      if order < 0 {
        try side(oe!, deleted: true)
        oe = try o.next()
      } else if order > 0 {
        try side(ne!, deleted: false)
        ne = try n.next()
      } else {
        let a = oe!, b = ne!
        if !(a.mode == b.mode && RawEntry.sameID(a, b)) {
          let mark = path.count
          path.append(contentsOf: UnsafeBufferPointer(start: b.name, count: b.nameLength))
          if Self.isTree(a.mode) {
            path.append(UInt8(ascii: "/"))
            try walk(try tree(a.oid), try tree(b.oid), id: b.oid)
          } else {
            changes.append(Change(path: path, oldID: a.oid, oldMode: a.mode, newID: b.oid, newMode: b.mode))
          }
          path.removeSubrange(mark...)
        }
        RawCursor.skipIdentical(&o, &n)
        oe = try o.next()
        ne = try n.next()
      }
    }
  }

  private func side(_ entry: RawEntry, deleted: Bool) throws(GitError) {
    let mark = path.count
    path.append(contentsOf: UnsafeBufferPointer(start: entry.name, count: entry.nameLength))
    defer { path.removeSubrange(mark...) }
    if Self.isTree(entry.mode) {
      path.append(UInt8(ascii: "/"))
      let tree = try tree(entry.oid)
      if deleted { try walk(tree, nil, id: entry.oid) } else { try walk(nil, tree, id: entry.oid) }
    } else if deleted {
      changes.append(Change(path: path, oldID: entry.oid, oldMode: entry.mode, newID: nil, newMode: 0))
    } else {
      changes.append(Change(path: path, oldID: nil, oldMode: 0, newID: entry.oid, newMode: entry.mode))
    }
  }

  // MARK: - Line counts

  private struct Counts {
    var added: Int32 = 0
    var deleted: Int32 = 0
    var binary = false
  }

  private static func kind(_ mode: UInt32) -> UInt32 { mode & 0o170000 }

  /// The path of the change being counted, for the visitor.
  private var visiting: [UInt8] = []

  private func emit(_ change: Change, renamedFrom: [UInt8]?, into chunk: inout HistoryChunk) throws(GitError) {
    var counts = Counts()
    visiting = change.path
    if collectLines { side = LineSide() }
    let status: FileDelta.Status
    switch (change.oldID, change.newID) {
    case (nil, let new?):
      status = .added
      try whole(new, mode: change.newMode, adding: true, counts: &counts)
    case (let old?, nil):
      status = .deleted
      try whole(old, mode: change.oldMode, adding: false, counts: &counts)
    case (let old?, let new?):
      if Self.kind(change.oldMode) != Self.kind(change.newMode) {
        // git shows a type change as one record: all old lines deleted, all new lines added.
        status = .typeChanged
        try whole(old, mode: change.oldMode, adding: false, counts: &counts)
        var addedSide = Counts()
        try whole(new, mode: change.newMode, adding: true, counts: &addedSide)
        counts.added = addedSide.added
        counts.binary = counts.binary || addedSide.binary
        if counts.binary { counts.added = 0; counts.deleted = 0 }
      } else {
        status = renamedFrom == nil ? .modified : .renamed
        if change.newMode == 0o160000 {
          counts.added = 1
          counts.deleted = 1
        } else if git_oid_equal([old], [new]) != 1 {
          try patch(old, new, counts: &counts)
        } else if collectLines {
          // A mode change: the same lines.
          if let data = try blob(new) { note(data, adding: true) }
          side.oldRead = side.newRead
          side.oldLines = side.newLines
        }
      }
    case (nil, nil):
      return
    }
    if collectLines { lineFiles.append(prepared(change, renamed: renamedFrom != nil)) }
    let start = Int32(chunk.pathBytes.count)
    chunk.pathBytes.append(contentsOf: change.path)
    var oldStart: Int32 = -1, oldLength: Int32 = 0
    if let renamedFrom {
      oldStart = Int32(chunk.pathBytes.count)
      oldLength = Int32(renamedFrom.count)
      chunk.pathBytes.append(contentsOf: renamedFrom)
    }
    chunk.deltas.append(FileDelta(pathStart: start, pathLength: Int32(change.path.count), oldPathStart: oldStart,
                                  oldPathLength: oldLength, added: counts.added, deleted: counts.deleted,
                                  status: status, binary: counts.binary))
  }

  /// A file added or deleted whole: count its lines ourselves, as git would, without building a patch.
  private func whole(_ id: git_oid, mode: UInt32, adding: Bool, counts: inout Counts) throws(GitError) {
    if mode == 0o160000 {
      // A submodule's "Subproject commit <id>" line.
      if adding { counts.added += 1 } else { counts.deleted += 1 }
      return
    }
    guard let data = try blob(id) else {
      counts.binary = true
      return
    }
    if collectLines { note(data, adding: adding) }
    data.withUnsafeBytes { bytes in
      guard !bytes.isEmpty else { return }
      if GitText.isBinary(bytes) {
        counts.binary = true
        return
      }
      // Against nothing: every line added (with its runs for the visitor) or deleted.
      let nothing = UnsafeRawBufferPointer(start: nil, count: 0)
      var all = Counts()
      if adding { patch(nothing, bytes, counts: &all, tracked: false) } else { patch(bytes, nothing, counts: &all, tracked: false) }
      counts.added += all.added
      counts.deleted += all.deleted
    }
  }

  /// A blob's bytes; nil when it is missing and the walk tolerates that (the path is noted).
  private func blob(_ id: git_oid) throws(GitError) -> [UInt8]? {
    do throws(GitError) {
      return try store.read(id).data
    } catch where tolerateMissingBlobs && error.isMissingObject {
      missingBlobs.append((ObjectID(id), visiting))
      return nil
    }
  }

  private func patch(_ old: git_oid, _ new: git_oid, counts: inout Counts) throws(GitError) {
    // Either side missing: no line counts, as for a binary file (both sides are noted).
    let oldData = try blob(old), newData = try blob(new)
    guard let oldData, let newData else {
      counts.binary = true
      return
    }
    oldData.withUnsafeBytes { oldBytes in
      newData.withUnsafeBytes { newBytes in
        // git's rule for "binary" holds if either side is.
        if GitText.isBinary(oldBytes) || GitText.isBinary(newBytes) {
          counts.binary = true
          if collectLines {
            // The tracker follows a binary file's "lines" too.
            let d = lines.hunksAndLines(old: oldBytes, new: newBytes)
            side = LineSide(oldRead: true, newRead: true, oldBinary: GitText.isBinary(oldBytes), newBinary: GitText.isBinary(newBytes),
                            oldLines: d.oldLines, newLines: d.newLines, hunks: d.hunks)
          }
        } else {
          patch(oldBytes, newBytes, counts: &counts, tracked: collectLines)
        }
      }
    }
  }

  /// `tracked`: a modified file whose hunks the line tracker takes (`collectLines`).
  private func patch(_ oldBytes: UnsafeRawBufferPointer, _ newBytes: UnsafeRawBufferPointer, counts: inout Counts, tracked: Bool) {
    let result: (added: Int, deleted: Int)
    if tracked {
      // Modified: the counts, the tracker's hunks and the visitor's runs from one analysis.
      let commit = commitIndex, visitor = visitor
      let file = newBytes.assumingMemoryBound(to: UInt8.self)
      let d = visiting.withUnsafeBufferPointer { pathBuffer in
        lines.diffAndHunks(old: oldBytes, new: newBytes, addedRuns: visitor.map { visitor in
          { firstLine, range in
            let run = UnsafeRawBufferPointer(rebasing: newBytes[range]).assumingMemoryBound(to: UInt8.self)
            visitor.addedLines(commit: commit, path: pathBuffer, firstLine: firstLine, content: run, file: file)
          }
        })
      }
      side = LineSide(oldRead: true, newRead: true, oldLines: d.oldLines, newLines: d.newLines, hunks: d.hunks)
      result = (d.added, d.deleted)
    } else if let visitor {
      let commit = commitIndex
      let file = newBytes.assumingMemoryBound(to: UInt8.self)
      result = visiting.withUnsafeBufferPointer { pathBuffer in
        lines.diff(old: oldBytes, new: newBytes) { firstLine, range in
          let run = UnsafeRawBufferPointer(rebasing: newBytes[range]).assumingMemoryBound(to: UInt8.self)
          visitor.addedLines(commit: commit, path: pathBuffer, firstLine: firstLine, content: run, file: file)
        }
      }
    } else {
      result = lines.diff(old: oldBytes, new: newBytes, addedRuns: nil)
    }
    counts.added = Int32(clamping: result.added)
    counts.deleted = Int32(clamping: result.deleted)
  }

  /// A blob added or deleted whole, as the tracker sees it: its line count and whether it is binary.
  private func note(_ data: [UInt8], adding: Bool) {
    data.withUnsafeBytes { bytes in
      let binary = GitText.isBinary(bytes), count = GitText.lineCount(bytes)
      if adding {
        side.newRead = true
        side.newBinary = binary
        side.newLines = count
      } else {
        side.oldRead = true
        side.oldBinary = binary
        side.oldLines = count
      }
    }
  }

  /// The tracker's view of the change just counted (`LineChangeReader.prepare` for one parent, without
  /// rename detection).
  private func prepared(_ change: Change, renamed: Bool) -> PreparedFile {
    let submodule: UInt32 = 0o160000
    let sameKind = change.oldID != nil && change.newID != nil && Self.kind(change.oldMode) == Self.kind(change.newMode)
    if renamed || (followingRenames && change.oldID == nil && change.newID != nil)
      || (change.oldID != nil && change.oldMode != submodule && !side.oldRead)
      || (change.newID != nil && change.newMode != submodule && !side.newRead) {
      // A missing blob, or a rename (which this view does not carry) or an added path that blame may
      // see as one: the tracker reads the commit itself.
      lineFilesComplete = false
    }
    let oldBinary = !sameKind && change.oldID != nil && change.oldMode != submodule && side.oldBinary
    guard let newID = change.newID, change.newMode != submodule else {
      return PreparedFile(path: change.path, renamedFrom: nil, blob: nil, lineCount: 0, binary: false, sources: [],
                          oldBinary: oldBinary)
    }
    var source: PreparedSource?
    if sameKind, let old = change.oldID {
      source = PreparedSource(path: change.path, blob: ObjectID(old), lineCount: side.oldLines, hunks: side.hunks)
    }
    return PreparedFile(path: change.path, renamedFrom: nil, blob: ObjectID(newID), lineCount: side.newLines,
                        binary: side.newBinary || (sameKind && side.oldBinary), sources: [source], oldBinary: oldBinary)
  }

  // MARK: - Renames (only behind the flag: git's similarity detection, through libgit2, for this commit)

  private func renamePairs(old: git_oid?, new: git_oid) throws(GitError) -> [(old: Int, new: Int)] {
    var oldTree: OpaquePointer?, newTree: OpaquePointer?
    var newID = new
    try check(git_tree_lookup(&newTree, repo, &newID), "git_tree_lookup")
    defer { git_tree_free(newTree) }
    if var oldID = old { try check(git_tree_lookup(&oldTree, repo, &oldID), "git_tree_lookup") }
    defer { git_tree_free(oldTree) }
    var diff: OpaquePointer?
    try check(git_diff_tree_to_tree(&diff, repo, oldTree, newTree, nil), "git_diff_tree_to_tree")
    defer { git_diff_free(diff) }
    var find = git_diff_find_options()
    git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION))
    find.flags = GIT_DIFF_FIND_RENAMES.rawValue
    try check(git_diff_find_similar(diff, &find), "git_diff_find_similar")
    var byPath: [[UInt8]: Int] = [:]
    for (index, change) in changes.enumerated() { byPath[change.path] = index }
    var pairs: [(old: Int, new: Int)] = []
    for d in 0..<git_diff_num_deltas(diff) {
      guard let delta = git_diff_get_delta(diff, d), delta.pointee.status == GIT_DELTA_RENAMED,
            let oldPath = delta.pointee.old_file.path, let newPath = delta.pointee.new_file.path,
            let o = byPath[Array(oldPath.bytes())], let n = byPath[Array(newPath.bytes())],
            changes[o].newID == nil, changes[n].oldID == nil else { continue }
      pairs.append((o, n))
    }
    return pairs
  }
}

/// One entry of a raw tree; its pointers live as long as the tree.
struct RawEntry {
  let name: UnsafePointer<UInt8>
  let nameLength: Int
  /// Normalised as git does (legacy 100664 and the like become 100644).
  let mode: UInt32
  let id: UnsafePointer<UInt8>

  var oid: git_oid { git_oid(bytes: id) }

  @inline(__always)
  static func sameID(_ a: RawEntry, _ b: RawEntry) -> Bool {
    let x = UnsafeRawPointer(a.id), y = UnsafeRawPointer(b.id)
    return x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self)
      && x.loadUnaligned(fromByteOffset: 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
      && x.loadUnaligned(fromByteOffset: 16, as: UInt32.self) == y.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
  }
}

struct RawCursor {
  /// How deep trees may nest. The tree walks recurse once per level, and a crafted history of 20,000
  /// nested trees overflowed a worker's stack; a path that deep cannot be checked out anyway (4,096
  /// bytes is Linux's longest path, and git itself refuses trees deeper than its `core.maxTreeDepth`).
  static let maximumDepth = 1024

  static func tooDeep(_ id: ObjectID) -> GitError {
    GitError(kind: .unreadableObject, message: "tree \(id.hex) nests deeper than \(maximumDepth) levels", call: "tree")
  }

  var at: UnsafePointer<UInt8>?
  let end: UnsafePointer<UInt8>?

  init(at: UnsafePointer<UInt8>?, end: UnsafePointer<UInt8>?) {
    self.at = at
    self.end = end
  }

  /// Over a raw tree object: entries of `<octal mode> <name>\0<20-byte id>`, read in place.
  init(_ tree: UnsafeBufferPointer<UInt8>) {
    at = tree.baseAddress
    end = tree.baseAddress.map { $0 + tree.count }
  }

  /// Moves both cursors past the entries they have in common at their positions, byte for byte (same
  /// mode, name and id), with a memchr and a memcmp per entry.
  @inline(__always)
  static func skipIdentical(_ a: inout RawCursor, _ b: inout RawCursor) {
    guard var p = a.at, var q = b.at, let aEnd = a.end, let bEnd = b.end else { return }
    while p < aEnd, q < bEnd {
      guard let nul = memchr(p, 0, p.distance(to: aEnd)) else { break }
      let length = p.distance(to: nul.assumingMemoryBound(to: UInt8.self)) + 21
      guard length <= p.distance(to: aEnd), length <= q.distance(to: bEnd), memcmp(p, q, length) == 0 else { break }
      p += length
      q += length
    }
    a.at = p
    b.at = q
  }

  /// git's canon_mode.
  @inline(__always)
  static func canonical(_ mode: UInt32) -> UInt32 {
    switch mode & 0o170000 {
    case 0o100000: return mode & 0o100 != 0 ? 0o100755 : 0o100644
    case 0o120000: return 0o120000
    case 0o040000: return 0o040000
    default: return 0o160000
    }
  }

  mutating func next() throws(GitError) -> RawEntry? {
    guard var p = at, let end, p < end else { return nil }
    var mode: UInt32 = 0
    while p < end, p.pointee != 0x20 {
      let digit = p.pointee &- 0x30
      guard digit < 8 else { throw GitError(kind: .unreadableObject, message: "corrupt tree entry (mode)", call: "tree") }
      mode = mode << 3 | UInt32(digit)
      p += 1
    }
    p += 1
    let name = p
    while p < end, p.pointee != 0 { p += 1 }
    let nameLength = name.distance(to: p)
    p += 1
    guard p + 20 <= end, nameLength > 0 else { throw GitError(kind: .unreadableObject, message: "corrupt tree entry", call: "tree") }
    let id = p
    at = p + 20
    return RawEntry(name: name, nameLength: nameLength, mode: Self.canonical(mode), id: id)
  }
}
