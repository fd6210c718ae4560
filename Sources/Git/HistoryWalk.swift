import CLibGit2
import Foundation

/// The history pass: every commit of a list is read once, and every non-merge commit is diffed once
/// against its first parent. The list is cut into chunks that workers take in turn, each worker with its
/// own repository handle; the caller receives the chunks back in order, on its own thread.
public struct HistoryWalk: Sendable {
  public struct Options: Sendable {
    public var workers: Int
    public var detectRenames: Bool
    public var chunkSize: Int
    /// A blob missing from the object store is listed in the chunk's `missingBlobs` and its file change
    /// counted without lines, instead of failing the pass. Missing trees and commits, and corrupt objects
    /// of any kind, still fail it.
    public var tolerateMissingBlobs: Bool
    /// Each non-merge commit's changes as the line tracker needs them (`HistoryChunk.lineChanges`), from
    /// the same diffs. With `detectRenames`, not those of a commit that adds a path (the tracker then
    /// looks for its rename source itself).
    public var collectLineChanges: Bool
    /// The delta-base cache the workers share (each also keeps 4 MiB of trees). On git.git a shared
    /// 96 MiB makes the pass take 0.87x the time of a 32 MiB cache per worker, for 46 MiB more at the peak.
    public var sharedCacheBytes: Int
    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, detectRenames: Bool = false, chunkSize: Int = 64,
                tolerateMissingBlobs: Bool = false, collectLineChanges: Bool = false, sharedCacheBytes: Int = 96 << 20) {
      self.workers = max(1, workers)
      self.detectRenames = detectRenames
      self.chunkSize = max(1, chunkSize)
      self.tolerateMissingBlobs = tolerateMissingBlobs
      self.collectLineChanges = collectLineChanges
      self.sharedCacheBytes = max(0, sharedCacheBytes)
    }
  }

  public let repositoryPath: String
  public let commits: [ObjectID]
  public let options: Options
  /// The index each commit is reported under to visitors (its place in the whole history when only
  /// some commits are walked); the position in `commits` when nil.
  public let reportedIndexes: [Int]?

  public init(repositoryPath: String, commits: [ObjectID], options: Options = Options(), reportedIndexes: [Int]? = nil) {
    self.repositoryPath = repositoryPath
    self.commits = commits
    self.options = options
    self.reportedIndexes = reportedIndexes
  }

  /// Runs the pass. `makeVisitor` is called once on each worker thread when added lines are wanted;
  /// `consume` sees every chunk in walk order on the calling thread.
  public func run(
    makeVisitor: (@Sendable () -> any AddedLineVisitor)? = nil,
    consume: (HistoryChunk) throws -> Void
  ) throws {
    let chunkCount = (commits.count + options.chunkSize - 1) / options.chunkSize
    guard chunkCount > 0 else { return }
    let state = OrderedHandoff<HistoryChunk>(chunks: chunkCount, call: "history")
    let workers = min(options.workers, chunkCount)
    let bases = SharedBaseCache(limit: options.sharedCacheBytes)
    let group = DispatchGroup()
    // Threads of its own, not the shared dispatch pool: work already on the pool (the tip's files read
    // beside a warm scan's pass) would otherwise hold the pass back until it is done.
    for _ in 0..<workers {
      let walk = self
      group.enter()
      let thread = Thread {
        walk.work(state: state, bases: bases, makeVisitor: makeVisitor)
        group.leave()
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
    defer {
      state.cancel()
      group.wait()
      // The workers' object caches and scratch are freed by now, and the shared cache is emptied (the
      // cache object itself outlived the trim by a few milliseconds, so its 56 to 96 MiB stayed
      // resident until the line tracker's reads took the pages over): hand the free heap back to the
      // system, so the rest of the scan does not carry the pass's peak.
      bases.removeAll()
      _ = salvage_malloc_trim()
    }
    for index in 0..<chunkCount {
      let chunk = try state.take(index)
      try consume(chunk)
    }
  }

  private func work(state: OrderedHandoff<HistoryChunk>, bases: SharedBaseCache, makeVisitor: (@Sendable () -> any AddedLineVisitor)?) {
    let repo: Repository
    do {
      repo = try Repository(path: repositoryPath)
    } catch {
      state.fail(error)
      return
    }
    let differ: TreeDiffer
    let store: ObjectStore
    do {
      store = try repo.objects(sharing: bases)
      differ = TreeDiffer(repo: repo.handle, store: store)
    } catch {
      state.fail(error)
      return
    }
    differ.visitor = makeVisitor?()
    differ.collectLines = options.collectLineChanges
    var parent: ParentRead?
    while let index = state.next() {
      let first = index * options.chunkSize
      let last = min(commits.count, first + options.chunkSize)
      var chunk = HistoryChunk(firstIndex: first)
      do {
        for position in first..<last {
          differ.commitIndex = reportedIndexes?[position] ?? position
          try read(commits[position], store: store, differ: differ, parent: &parent, into: &chunk)
        }
      } catch {
        state.fail(error)
        return
      }
      state.put(index, chunk)
    }
  }

  /// The first parent read for its tree, parsed: in walk order it is most often the next commit.
  private struct ParentRead {
    let id: ObjectID
    let commit: CommitObject
  }

  private func read(_ id: ObjectID, store: ObjectStore, differ: TreeDiffer, parent read: inout ParentRead?,
                    into chunk: inout HistoryChunk) throws(GitError) {
    let commit: CommitObject
    if let read, read.id == id { commit = read.commit } else { commit = try Self.commit(id, store: store) }
    read = nil
    var deltaCount = 0
    var lineChanges: CommitLineChanges?
    // Merges get no diff, as in `git log`. A shallow clone's boundary commit lists parents it does not
    // have: diff it against nothing, as git does.
    if commit.parents.count <= 1 {
      var parentTree: ObjectID?
      if let parent = commit.parents.first {
        do {
          let parentCommit = try Self.commit(parent, store: store)
          parentTree = parentCommit.tree
          read = ParentRead(id: parent, commit: parentCommit)
        } catch where error.code == GIT_ENOTFOUND.rawValue {
          parentTree = nil
        }
      }
      do {
        differ.tolerateMissingBlobs = options.tolerateMissingBlobs
        differ.lineFiles = []
        differ.lineFilesComplete = true
        deltaCount = try differ.diff(old: parentTree?.raw, new: commit.tree.raw, renames: options.detectRenames, into: &chunk)
        if options.collectLineChanges && differ.lineFilesComplete {
          // Taken, not shared: the differ's array would keep its largest commit's capacity in every copy.
          lineChanges = CommitLineChanges(parent: parentTree == nil ? nil : commit.parents.first, files: differ.lineFiles)
          differ.lineFiles = []
        }
      } catch {
        throw GitError(kind: error.kind, code: error.code, message: "cannot diff commit \(id.hex): \(error.message)", call: error.call)
      }
      for (blob, path) in differ.missingBlobs { chunk.missingBlobs.append(MissingBlob(blob: blob, path: path, commit: id)) }
      differ.missingBlobs.removeAll(keepingCapacity: true)
    }
    chunk.commits.append(CommitMeta(
      id: id, parents: commit.parents,
      author: commit.author.signature, authorTime: commit.author.time, authorOffset: commit.author.offset,
      committer: commit.committer.signature, committerTime: commit.committer.time, committerOffset: commit.committer.offset,
      subject: CommitMessage.subject(commit.message), coAuthors: CommitMessage.coAuthors(commit.message), deltaCount: deltaCount))
    if options.collectLineChanges { chunk.lineChanges.append(lineChanges) }
  }

  /// A commit read and parsed; a missing one keeps libgit2's "not found" code.
  static func commit(_ id: ObjectID, store: ObjectStore) throws(GitError) -> CommitObject {
    try parsed(id, store: store) { data throws(CommitObject.Malformed) in try CommitObject(data) }
  }

  /// A commit's parents and committer time, as `commit` reads them (and fails on the same commits).
  static func parentsAndTime(_ id: ObjectID, store: ObjectStore) throws(GitError) -> (parents: [ObjectID], committerTime: Int64) {
    try parsed(id, store: store) { data throws(CommitObject.Malformed) in try CommitObject.parentsAndCommitterTime(data) }
  }

  private static func parsed<T>(_ id: ObjectID, store: ObjectStore, _ parse: ([UInt8]) throws(CommitObject.Malformed) -> T) throws(GitError) -> T {
    let object: ObjectStore.Object
    do {
      object = try store.read(id.raw)
    } catch {
      throw GitError(kind: .unreadableObject, code: error.code, message: "cannot read commit \(id.hex): \(error.message)", call: error.call)
    }
    guard object.kind == .commit else {
      throw GitError(kind: .unreadableObject, message: "cannot read commit \(id.hex): it is a \(object.kind)", call: "commit")
    }
    do {
      return try parse(object.data)
    } catch {
      throw GitError(kind: .unreadableObject, message: "cannot read commit \(id.hex): \(error.reason)", call: "commit")
    }
  }
}

