import CLibGit2
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// An entry of a tree listing: a file (blob, symlink or gitlink) at a path of the tip.
public struct TreeEntry: Sendable {
  /// The path from the repository root, as bytes: git paths need not be UTF-8.
  public let path: [UInt8]
  public let id: ObjectID
  /// The normalised git file mode (0o100644, 0o100755, 0o120000, 0o160000).
  public let mode: UInt32
  /// The blob's size in bytes (0 for gitlinks).
  public let size: Int

  public var isSymlink: Bool { mode == 0o120000 }
  public var isGitlink: Bool { mode == 0o160000 }
}

/// A tag that points, directly or through annotated tags, at a commit.
public struct TagInfo: Sendable {
  /// The short name (`v1.2.0`), as bytes.
  public let name: [UInt8]
  public let commit: ObjectID
  /// The tagger's time for annotated tags, else the commit's committer time (seconds since 1970).
  public let time: Int64
  public let annotated: Bool

  public init(name: [UInt8], commit: ObjectID, time: Int64, annotated: Bool) {
    self.name = name
    self.commit = commit
    self.time = time
    self.annotated = annotated
  }
}

/// A person as a commit records them: name and e-mail, as bytes.
public struct Signature: Hashable, Sendable {
  public let name: [UInt8]
  public let email: [UInt8]
  public init(name: [UInt8], email: [UInt8]) {
    self.name = name
    self.email = email
  }
}

/// A handle on one repository, opened read-only. Not Sendable: libgit2 handles stay on the thread that
/// opened them, and parallel work opens one handle per worker.
public final class Repository {
  let handle: OpaquePointer
  /// The path it was opened from.
  public let path: String

  /// Opens the repository at `path` exactly (a work tree's top level, its `.git`, or a bare repository);
  /// no search upwards, so a folder inside some other repository is not mistaken for one.
  public init(path: String) throws(GitError) {
    LibGit2.bootstrap
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw GitError(kind: .noSuchPath, message: "no such file or directory: \(path)")
    }
    var repo: OpaquePointer?
    let rc = git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
    guard rc == 0, let repo else {
      if rc == GIT_ENOTFOUND.rawValue {
        throw GitError(kind: .notARepository, code: rc, message: "not a git repository (or not its top level): \(path)", call: "git_repository_open_ext")
      }
      throw GitError.last(rc, call: "git_repository_open_ext", kind: .notARepository)
    }
    do {
      try LooseObjects.install(in: repo)
    } catch {
      git_repository_free(repo)
      throw error
    }
    self.handle = repo
    self.path = path
  }

  deinit { git_repository_free(handle) }

  public var isBare: Bool { git_repository_is_bare(handle) == 1 }
  /// The git folder (`.git` of a work tree, or the bare repository itself).
  public var gitDirectory: String { git_repository_path(handle).map { String(cString: $0) } ?? path }
  public var isShallow: Bool { git_repository_is_shallow(handle) == 1 }
  /// True for a repository with no commits at all: HEAD is unborn and no reference exists. (libgit2's
  /// own test only knows a default branch called "master".)
  public var isEmpty: Bool {
    guard isHeadUnborn else { return false }
    var iterator: OpaquePointer?
    guard git_reference_iterator_new(&iterator, handle) == 0, let iterator else { return true }
    defer { git_reference_iterator_free(iterator) }
    var ref: OpaquePointer?
    if git_reference_next(&ref, iterator) == 0 {
      git_reference_free(ref)
      return false
    }
    return true
  }
  /// True when HEAD names a branch that has no commit yet.
  public var isHeadUnborn: Bool { git_repository_head_unborn(handle) == 1 }

  /// The short name of the branch HEAD points at (even an unborn one), or nil for a detached HEAD.
  public var headBranch: String? {
    var ref: OpaquePointer?
    guard git_reference_lookup(&ref, handle, "HEAD") == 0, let ref else { return nil }
    defer { git_reference_free(ref) }
    guard git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(ref) else { return nil }
    let full = String(decoding: target.bytes(), as: UTF8.self)
    return full.hasPrefix("refs/heads/") ? String(full.dropFirst("refs/heads/".count)) : full
  }

  /// The commit a revision names (`HEAD`, a branch, a tag, an abbreviated id, `main~3`...).
  public func resolveCommit(_ revision: String) throws(GitError) -> ObjectID {
    var object: OpaquePointer?
    let rc = git_revparse_single(&object, handle, revision)
    guard rc == 0, let object else {
      let err = GitError.last(rc, call: "git_revparse_single")
      if err.kind == .unreadableObject { throw err }
      throw GitError(kind: .unknownRevision, code: rc, message: "unknown revision '\(revision)': \(err.message)", call: "git_revparse_single")
    }
    defer { git_object_free(object) }
    var commit: OpaquePointer?
    let peel = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
    guard peel == 0, let commit else {
      throw GitError(kind: .unknownRevision, code: peel, message: "revision '\(revision)' does not name a commit", call: "git_object_peel")
    }
    defer { git_object_free(commit) }
    return ObjectID(git_object_id(commit))
  }

  /// The merge base of two commits, or nil when they share no history.
  public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws(GitError) -> ObjectID? {
    var out = git_oid()
    var ra = a.raw, rb = b.raw
    let rc = git_merge_base(&out, handle, &ra, &rb)
    if rc == GIT_ENOTFOUND.rawValue { return nil }
    try check(rc, "git_merge_base")
    return ObjectID(out)
  }

  /// Every commit reachable from `tip`, newest committer time first (ties by id), the order `git log`
  /// lists them in but fixed. `known` holds commits a cache already knows, so they are not read. Commits with a committer time before `since` are left out.
  /// Our own walk rather than libgit2's revwalk: libgit2 1.5 knows nothing of shallow clones and fails
  /// at the first missing parent, where git treats the boundary commits of `.git/shallow` as roots.
  public func commitIDs(from tip: ObjectID, since: Int64? = nil, known: [ObjectID: KnownCommit] = [:]) throws(GitError) -> [ObjectID] {
    let boundary = shallowBoundary()
    var found: [(id: ObjectID, time: Int64)] = []
    try walkCommits(from: tip, boundary: boundary, known: known) { id, time in
      if let since, time < since { return }
      found.append((id, time))
    }
    // One canonical order, whatever the walk's discovery order: newest committer time first, then by id.
    found.sort { $0.time != $1.time ? $0.time > $1.time : $0.id.bytes.lexicographicallyPrecedes($1.id.bytes) }
    return found.map(\.id)
  }

  /// The commits reachable from `tip` that `isKnown` does not know, with their committer times, newest
  /// first (then by id), and the known commits the walk stopped at: it does not go past a known commit.
  public func commits(from tip: ObjectID, until isKnown: (ObjectID) -> Bool) throws(GitError) -> (new: [(id: ObjectID, time: Int64)], reached: Set<ObjectID>) {
    let boundary = shallowBoundary()
    let store = try objects()
    var found: [(id: ObjectID, time: Int64)] = []
    var reached = Set<ObjectID>(), seen: Set<ObjectID> = [tip]
    var pending = [tip]
    while let id = pending.popLast() {
      if isKnown(id) {
        reached.insert(id)
        continue
      }
      let commit = try HistoryWalk.parentsAndTime(id, store: store)
      found.append((id, commit.committerTime))
      if boundary.contains(id) { continue }
      for parent in commit.parents where seen.insert(parent).inserted { pending.append(parent) }
    }
    found.sort { $0.time != $1.time ? $0.time > $1.time : $0.id.bytes.lexicographicallyPrecedes($1.id.bytes) }
    return (found, reached)
  }

  /// What a cache already knows of a commit, so the walk need not read it again.
  public struct KnownCommit: Sendable {
    public let time: Int64
    public let parents: [ObjectID]
    public init(time: Int64, parents: [ObjectID]) {
      self.time = time
      self.parents = parents
    }
  }

  /// The commits a shallow clone was cut at (their parents are not in the object store).
  public func shallowBoundary() -> Set<ObjectID> {
    guard let gitdir = git_repository_path(handle) else { return [] }
    let file = String(cString: gitdir) + "shallow"
    guard let handle = fopen(file, "r") else { return [] }
    defer { fclose(handle) }
    var out = Set<ObjectID>()
    var line = [CChar](repeating: 0, count: 128)
    while fgets(&line, 128, handle) != nil {
      let text = String(decoding: line.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if let id = ObjectID(hex: text) { out.insert(id) }
    }
    return out
  }

  /// Visits every commit reachable from `tip` once, newest committer time first (ties: first seen).
  private func walkCommits(from tip: ObjectID, boundary: Set<ObjectID>, known: [ObjectID: KnownCommit],
                           _ visit: (ObjectID, Int64) -> Void) throws(GitError) {
    var heap = CommitQueue()
    var seen = Set<ObjectID>()
    let store = try objects()
    func push(_ id: ObjectID) throws(GitError) {
      guard seen.insert(id).inserted else { return }
      if let cached = known[id] {
        heap.push(id: id, time: cached.time, parents: boundary.contains(id) ? [] : cached.parents)
        return
      }
      let commit = try HistoryWalk.parentsAndTime(id, store: store)
      heap.push(id: id, time: commit.committerTime, parents: boundary.contains(id) ? [] : commit.parents)
    }
    try push(tip)
    while let next = heap.pop() {
      visit(next.id, next.time)
      for parent in next.parents { try push(parent) }
    }
  }

  /// Runs `body` with a commit's root tree, freed afterwards.
  private func withTree<R>(of commitID: ObjectID, _ body: (OpaquePointer) throws(GitError) -> R) throws(GitError) -> R {
    var oid = commitID.raw
    var commit: OpaquePointer?
    try check(git_commit_lookup(&commit, handle, &oid), "git_commit_lookup")
    defer { git_commit_free(commit) }
    var tree: OpaquePointer?
    let rc = git_commit_tree(&tree, commit)
    guard rc == 0 else {
      let error = GitError.last(rc, call: "git_commit_tree")
      let treeID = git_commit_tree_id(commit).map { ObjectID($0).hex } ?? "?"
      throw GitError(kind: .unreadableObject, code: rc, message: "cannot read tree \(treeID) of commit \(commitID.hex): \(error.message)",
                     call: "git_commit_tree")
    }
    defer { git_tree_free(tree) }
    return try body(tree!)
  }

  /// Every file of a commit's tree, depth first in git's order, with blob sizes: from `knownSize` when
  /// it knows the blob (a size costs a look into the pack), else from the pack.
  /// With `tolerateMissingBlobs`, a blob the object store lacks is listed with size 0 (reading it then
  /// fails with `isMissingObject`); otherwise its size lookup fails the listing.
  public func files(of commitID: ObjectID, knownSize: (ObjectID) -> Int? = { _ in nil },
                    tolerateMissingBlobs: Bool = false) throws(GitError) -> [TreeEntry] {
    let store = try objects()
    let root = try HistoryWalk.commit(commitID, store: store).tree
    var out: [TreeEntry] = []
    var prefix: [UInt8] = []
    try listTree(root, store: store, knownSize: knownSize, tolerateMissingBlobs: tolerateMissingBlobs, prefix: &prefix, into: &out)
    return out
  }

  private func listTree(_ id: ObjectID, store: ObjectStore, knownSize: (ObjectID) -> Int?, tolerateMissingBlobs: Bool,
                        prefix: inout [UInt8], into out: inout [TreeEntry], depth: Int = 1) throws(GitError) {
    guard depth <= RawCursor.maximumDepth else { throw RawCursor.tooDeep(id) }
    let tree = try store.read(id.raw)
    guard tree.kind == .tree else {
      throw GitError(kind: .unreadableObject, message: "object \(id.hex) is not a tree", call: "tree")
    }
    try tree.data.withUnsafeBufferPointer { (raw: UnsafeBufferPointer<UInt8>) throws(GitError) in
      var cursor = RawCursor(raw)
      while let entry = try Self.naming(id, { () throws(GitError) in try cursor.next() }) {
        let mark = prefix.count
        prefix.append(contentsOf: UnsafeBufferPointer(start: entry.name, count: entry.nameLength))
        defer { prefix.removeSubrange(mark...) }
        let oid = entry.oid
        if entry.mode == 0o040000 {
          prefix.append(UInt8(ascii: "/"))
          try listTree(ObjectID(oid), store: store, knownSize: knownSize, tolerateMissingBlobs: tolerateMissingBlobs,
                       prefix: &prefix, into: &out, depth: depth + 1)
        } else {
          let id = ObjectID(oid)
          var size = 0
          if entry.mode != 0o160000 {
            if let known = knownSize(id) {
              size = known
            } else {
              do throws(GitError) {
                size = try store.size(oid)
              } catch where tolerateMissingBlobs && error.isMissingObject {
                size = 0
              }
            }
          }
          out.append(TreeEntry(path: prefix, id: id, mode: entry.mode, size: size))
        }
      }
    }
  }

  /// Runs `body`, naming the tree in what it throws.
  private static func naming<R>(_ tree: ObjectID, _ body: () throws(GitError) -> R) throws(GitError) -> R {
    do {
      return try body()
    } catch {
      throw GitError(kind: .unreadableObject, code: error.code, message: "cannot read tree \(tree.hex): \(error.message)", call: error.call)
    }
  }

  /// The bytes of the file at `path` in a commit's tree, or nil when there is no such file.
  public func file(_ path: String, in commitID: ObjectID) throws(GitError) -> [UInt8]? {
    try withTree(of: commitID) { tree throws(GitError) in try blob(at: path, in: tree) }
  }

  /// Whether `path` in the commit's tree is a symbolic link: its blob holds where the link points, not
  /// a file.
  public func isSymbolicLink(_ path: String, in commitID: ObjectID) throws(GitError) -> Bool {
    try withTree(of: commitID) { tree throws(GitError) in
      var entry: OpaquePointer?
      let rc = git_tree_entry_bypath(&entry, tree, path)
      if rc == GIT_ENOTFOUND.rawValue { return false }
      try check(rc, "git_tree_entry_bypath", kind: .unreadableObject)
      defer { git_tree_entry_free(entry) }
      return entry.map { git_tree_entry_filemode($0) == GIT_FILEMODE_LINK } ?? false
    }
  }

  private func blob(at path: String, in tree: OpaquePointer) throws(GitError) -> [UInt8]? {
    var entry: OpaquePointer?
    let rc = git_tree_entry_bypath(&entry, tree, path)
    // Not there is an answer; a subtree on the way that cannot be read is not.
    if rc == GIT_ENOTFOUND.rawValue { return nil }
    try check(rc, "git_tree_entry_bypath", kind: .unreadableObject)
    guard let entry else { return nil }
    defer { git_tree_entry_free(entry) }
    guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB, let id = git_tree_entry_id(entry) else { return nil }
    return try blob(ObjectID(id))
  }

  /// The id of a commit's tree.
  public func treeID(of commitID: ObjectID) throws(GitError) -> ObjectID {
    try HistoryWalk.commit(commitID, store: try objects()).tree
  }

  /// The bytes of a blob.
  public func blob(_ id: ObjectID) throws(GitError) -> [UInt8] {
    let store = try objects()
    // Blobs are read one by one across the whole pack (the tip's files): count the pages each maps.
    store.pageFootprint = 64 << 10
    let object = try store.read(id.raw)
    guard object.kind == .blob else {
      throw GitError(kind: .unreadableObject, message: "object \(id.hex) is not a blob", call: "blob")
    }
    return object.data
  }

  private var store: ObjectStore?

  /// The handle's object store, made at the first call; with `sharing`, one that keeps its trees in a
  /// cache of `treeCacheBytes` and every other base in the shared cache.
  func objects(sharing bases: SharedBaseCache? = nil, treeCacheBytes: Int = 4 << 20) throws(GitError) -> ObjectStore {
    if let store { return store }
    let made = bases == nil ? try ObjectStore(repository: handle) : try ObjectStore(repository: handle, cacheBytes: treeCacheBytes, shared: bases)
    store = made
    return made
  }

  /// Every tag that leads to a commit, sorted by name.
  public func tags() throws(GitError) -> [TagInfo] {
    var names = git_strarray()
    try check(git_tag_list(&names, handle), "git_tag_list")
    defer { git_strarray_dispose(&names) }
    var out: [TagInfo] = []
    for i in 0..<names.count {
      guard let cname = names.strings[i] else { continue }
      let name = Array(UnsafePointer(cname).bytes())
      var ref: OpaquePointer?
      guard git_reference_lookup(&ref, handle, "refs/tags/" + String(cString: cname)) == 0, let ref else { continue }
      defer { git_reference_free(ref) }
      // Annotated tags carry their own date; peel through them to the commit.
      var object: OpaquePointer?
      guard let direct = git_reference_target(ref), git_object_lookup(&object, handle, direct, GIT_OBJECT_ANY) == 0, let object else { continue }
      defer { git_object_free(object) }
      var annotatedTime: Int64?
      if git_object_type(object) == GIT_OBJECT_TAG, let tagger = git_tag_tagger(object) {
        annotatedTime = tagger.pointee.when.time
      }
      var commit: OpaquePointer?
      guard git_object_peel(&commit, object, GIT_OBJECT_COMMIT) == 0, let commit else { continue }
      defer { git_object_free(commit) }
      let commitTime = git_commit_time(commit)
      out.append(TagInfo(name: name, commit: ObjectID(git_object_id(commit)), time: annotatedTime ?? commitTime,
                         annotated: git_object_type(object) == GIT_OBJECT_TAG))
    }
    return out.sorted { $0.name.lexicographicallyPrecedes($1.name) }
  }

  /// The repository's `.mailmap` (the work tree's file, or HEAD's in a bare repository, as git reads it).
  public func mailmap() -> Mailmap { Mailmap(repository: handle) }
}

/// Canonical names and addresses from a repository's `.mailmap`. Confined to the opening thread.
public final class Mailmap {
  private var handle: OpaquePointer?

  init(repository: OpaquePointer) {
    var mailmap: OpaquePointer?
    if git_mailmap_from_repository(&mailmap, repository) == 0 { handle = mailmap }
  }

  deinit { git_mailmap_free(handle) }

  /// The canonical signature; unchanged when the mailmap has no entry for it.
  public func resolve(_ person: Signature) -> Signature {
    guard let handle else { return person }
    // The answer may point into the strings we pass in: copy it before they go.
    return person.name.withCString { name in
      person.email.withCString { email in
        var realName: UnsafePointer<CChar>?
        var realEmail: UnsafePointer<CChar>?
        guard git_mailmap_resolve(&realName, &realEmail, handle, name, email) == 0, let realName, let realEmail else { return person }
        return Signature(name: Array(realName.bytes()), email: Array(realEmail.bytes()))
      }
    }
  }
}

extension [UInt8] {
  func withCString<R>(_ body: (UnsafePointer<CChar>) -> R) -> R {
    var copy = self
    copy.append(0)
    return copy.withUnsafeBufferPointer { buffer in
      buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { body($0) }
    }
  }
}

/// A max-heap of commits by committer time; equal times come out in the order they went in, so the walk
/// order is fixed for a given repository.
struct CommitQueue {
  private struct Item {
    let id: ObjectID
    let time: Int64
    let order: Int
    let parents: [ObjectID]
    func before(_ other: Item) -> Bool { time != other.time ? time > other.time : order < other.order }
  }
  private var items: [Item] = []
  private var counter = 0

  mutating func push(id: ObjectID, time: Int64, parents: [ObjectID]) {
    items.append(Item(id: id, time: time, order: counter, parents: parents))
    counter += 1
    var i = items.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      guard items[i].before(items[parent]) else { break }
      items.swapAt(i, parent)
      i = parent
    }
  }

  mutating func pop() -> (id: ObjectID, time: Int64, parents: [ObjectID])? {
    guard !items.isEmpty else { return nil }
    let top = items[0]
    let last = items.removeLast()
    if !items.isEmpty {
      items[0] = last
      var i = 0
      while true {
        let l = 2 * i + 1, r = l + 1
        var best = i
        if l < items.count, items[l].before(items[best]) { best = l }
        if r < items.count, items[r].before(items[best]) { best = r }
        if best == i { break }
        items.swapAt(i, best)
        i = best
      }
    }
    return (top.id, top.time, top.parents)
  }
}
