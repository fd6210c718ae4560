import CLibGit2
import Glibc

/// Diffs one commit against its first parent with our own tree walk: subtrees whose ids are equal are
/// skipped without being read (libgit2's tree-to-tree diff expands them all, 5x slower on big trees), and
/// line counts come from libgit2's blob diff. Matches `git log --numstat --no-renames` record for record.
final class TreeDiffer {
  private let repo: OpaquePointer
  private var options = git_diff_options()
  private var changes: [Change] = []
  private var path: [UInt8] = []
  /// Scratch for added lines of a whole new file.
  var visitor: (any AddedLineVisitor)?
  var commitIndex = 0
  /// A parent's tree kept for the next commit of the walk (owned here until taken or replaced).
  var carriedTree: (commit: ObjectID, tree: OpaquePointer)?

  func carry(commit: ObjectID?, tree: OpaquePointer?) {
    if let old = carriedTree { git_tree_free(old.tree) }
    carriedTree = nil
    if let commit, let tree { carriedTree = (commit, tree) } else { git_tree_free(tree) }
  }

  deinit { if let old = carriedTree { git_tree_free(old.tree) } }

  struct Change {
    var path: [UInt8]
    var oldID: git_oid?
    var oldMode: UInt32
    var newID: git_oid?
    var newMode: UInt32
  }

  init(repo: OpaquePointer) {
    self.repo = repo
    git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
    options.context_lines = 0
    options.interhunk_lines = 0
  }

  /// Appends the commit's file deltas to `chunk`; returns how many it appended.
  func diff(old: OpaquePointer?, new: OpaquePointer, renames: Bool, into chunk: inout HistoryChunk) throws(GitError) -> Int {
    changes.removeAll(keepingCapacity: true)
    path.removeAll(keepingCapacity: true)
    try walk(old, new)
    var pairs: [(old: Int, new: Int)] = []
    if renames, changes.contains(where: { $0.newID == nil }), changes.contains(where: { $0.oldID == nil }) {
      pairs = try renamePairs(old: old, new: new)
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

  // MARK: - Tree walk

  private static func isTree(_ mode: UInt32) -> Bool { mode == 0o040000 }

  /// git's `base_name_compare`: a tree sorts as if its name ended with "/".
  private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ aTree: Bool, _ b: UnsafeBufferPointer<UInt8>, _ bTree: Bool) -> Int {
    let n = min(a.count, b.count)
    if n > 0 {
      let c = memcmp(a.baseAddress!, b.baseAddress!, n)
      if c != 0 { return Int(c) }
    }
    let ca: UInt8 = a.count > n ? a[n] : (aTree ? UInt8(ascii: "/") : 0)
    let cb: UInt8 = b.count > n ? b[n] : (bTree ? UInt8(ascii: "/") : 0)
    return Int(ca) - Int(cb)
  }

  private func walk(_ old: OpaquePointer?, _ new: OpaquePointer?) throws(GitError) {
    let oldCount = old.map { git_tree_entrycount($0) } ?? 0
    let newCount = new.map { git_tree_entrycount($0) } ?? 0
    var i = 0, j = 0
    while i < oldCount || j < newCount {
      let o = i < oldCount ? git_tree_entry_byindex(old, i) : nil
      let n = j < newCount ? git_tree_entry_byindex(new, j) : nil
      let oMode = o.map { UInt32(git_tree_entry_filemode($0).rawValue) } ?? 0
      let nMode = n.map { UInt32(git_tree_entry_filemode($0).rawValue) } ?? 0
      var order = 0
      if let o, let n {
        let on = git_tree_entry_name(o)!.bytes(), nn = git_tree_entry_name(n)!.bytes()
        order = Self.compare(on, Self.isTree(oMode), nn, Self.isTree(nMode))
      } else {
        order = o == nil ? 1 : -1
      }
      if order < 0 {
        try side(o!, mode: oMode, deleted: true)
        i += 1
      } else if order > 0 {
        try side(n!, mode: nMode, deleted: false)
        j += 1
      } else {
        let oid = git_tree_entry_id(o!)!, nid = git_tree_entry_id(n!)!
        let same = git_oid_equal(oid, nid) == 1
        if !(same && oMode == nMode) {
          let mark = enter(git_tree_entry_name(n!)!)
          if Self.isTree(oMode) {
            path.append(UInt8(ascii: "/"))
            let ot = try lookupTree(oid), nt = try lookupTree(nid)
            defer { git_tree_free(ot); git_tree_free(nt) }
            try walk(ot, nt)
          } else {
            changes.append(Change(path: path, oldID: oid.pointee, oldMode: oMode, newID: nid.pointee, newMode: nMode))
          }
          path.removeSubrange(mark...)
        }
        i += 1
        j += 1
      }
    }
  }

  private func enter(_ name: UnsafePointer<CChar>) -> Int {
    let mark = path.count
    path.append(contentsOf: name.bytes())
    return mark
  }

  private func side(_ entry: OpaquePointer, mode: UInt32, deleted: Bool) throws(GitError) {
    let mark = enter(git_tree_entry_name(entry)!)
    defer { path.removeSubrange(mark...) }
    let id = git_tree_entry_id(entry)!
    if Self.isTree(mode) {
      path.append(UInt8(ascii: "/"))
      let tree = try lookupTree(id)
      defer { git_tree_free(tree) }
      if deleted { try walk(tree, nil) } else { try walk(nil, tree) }
    } else if deleted {
      changes.append(Change(path: path, oldID: id.pointee, oldMode: mode, newID: nil, newMode: 0))
    } else {
      changes.append(Change(path: path, oldID: nil, oldMode: 0, newID: id.pointee, newMode: mode))
    }
  }

  private func lookupTree(_ id: UnsafePointer<git_oid>) throws(GitError) -> OpaquePointer {
    var tree: OpaquePointer?
    try check(git_tree_lookup(&tree, repo, id), "git_tree_lookup")
    return tree!
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
        }
      }
    case (nil, nil):
      return
    }
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
    var oid = id
    var blob: OpaquePointer?
    try check(git_blob_lookup(&blob, repo, &oid), "git_blob_lookup")
    defer { git_blob_free(blob) }
    let size = Int(git_blob_rawsize(blob))
    guard size > 0, let raw = git_blob_rawcontent(blob) else { return }
    let bytes = UnsafeBufferPointer(start: raw.assumingMemoryBound(to: UInt8.self), count: size)
    // git's buffer_is_binary: a NUL in the first 8000 bytes.
    if memchr(raw, 0, min(size, 8000)) != nil {
      counts.binary = true
      return
    }
    if adding, let visitor {
      let length = bytes[size - 1] == 0x0A ? size - 1 : size
      visiting.withUnsafeBufferPointer {
        visitor.addedLines(commit: commitIndex, path: $0, firstLine: 1, content: UnsafeBufferPointer(rebasing: bytes[0..<length]))
      }
    }
    var lines: Int32 = 0
    var p = raw
    var rest = size
    while let hit = memchr(p, 0x0A, rest) {
      lines += 1
      let step = p.distance(to: UnsafeRawPointer(hit)) + 1
      p += step
      rest -= step
    }
    if rest > 0 { lines += 1 }
    if adding { counts.added += lines } else { counts.deleted += lines }
  }

  private func patch(_ old: git_oid, _ new: git_oid, counts: inout Counts) throws(GitError) {
    var oldOID = old, newOID = new
    var oldBlob: OpaquePointer?, newBlob: OpaquePointer?
    try check(git_blob_lookup(&oldBlob, repo, &oldOID), "git_blob_lookup")
    defer { git_blob_free(oldBlob) }
    try check(git_blob_lookup(&newBlob, repo, &newOID), "git_blob_lookup")
    defer { git_blob_free(newBlob) }
    var patch: OpaquePointer?
    try check(git_patch_from_blobs(&patch, oldBlob, nil, newBlob, nil, &options), "git_patch_from_blobs")
    defer { git_patch_free(patch) }
    guard let patch else { return }
    // The binary flag is only known once the patch has been generated.
    if let delta = git_patch_get_delta(patch), delta.pointee.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0 {
      counts.binary = true
      return
    }
    var context = 0, adds = 0, dels = 0
    try check(git_patch_line_stats(&context, &adds, &dels, patch), "git_patch_line_stats")
    counts.added = Int32(adds)
    counts.deleted = Int32(dels)
    guard let visitor, adds > 0 else { return }
    visiting.withUnsafeBufferPointer { pathBuffer in
      // Adjacent added lines sit next to each other in the new blob: hand them over as one run.
      var runStart: UnsafePointer<UInt8>?
      var runLength = 0
      var runLine = 0
      var runCount = 0
      func flush() {
        guard let start = runStart else { return }
        var length = runLength
        if length > 0 && start[length - 1] == 0x0A { length -= 1 }
        visitor.addedLines(commit: commitIndex, path: pathBuffer, firstLine: runLine,
                           content: UnsafeBufferPointer(start: start, count: length))
        runStart = nil
      }
      for h in 0..<git_patch_num_hunks(patch) {
        let lines = git_patch_num_lines_in_hunk(patch, h)
        guard lines > 0 else { continue }
        for l in 0..<Int(lines) {
          var line: UnsafePointer<git_diff_line>?
          guard git_patch_get_line_in_hunk(&line, patch, h, l) == 0, let line else { continue }
          guard line.pointee.origin == CChar(UInt8(ascii: "+")), let text = line.pointee.content else {
            flush()
            continue
          }
          let content = UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self)
          let length = Int(line.pointee.content_len)
          if let start = runStart, start + runLength == content, runLine + runCount == Int(line.pointee.new_lineno) {
            runLength += length
            runCount += 1
          } else {
            flush()
            runStart = content
            runLength = length
            runLine = Int(line.pointee.new_lineno)
            runCount = 1
          }
        }
        flush()
      }
    }
  }

  // MARK: - Renames (only behind the flag: git's similarity detection, through libgit2, for this commit)

  private func renamePairs(old: OpaquePointer?, new: OpaquePointer) throws(GitError) -> [(old: Int, new: Int)] {
    var diff: OpaquePointer?
    try check(git_diff_tree_to_tree(&diff, repo, old, new, nil), "git_diff_tree_to_tree")
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
