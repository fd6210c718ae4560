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
    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, detectRenames: Bool = false, chunkSize: Int = 64) {
      self.workers = max(1, workers)
      self.detectRenames = detectRenames
      self.chunkSize = max(1, chunkSize)
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
    let state = WalkState(chunks: chunkCount)
    let workers = min(options.workers, chunkCount)
    let group = DispatchGroup()
    for _ in 0..<workers {
      let walk = self
      DispatchQueue.global().async(group: group) {
        walk.work(state: state, makeVisitor: makeVisitor)
      }
    }
    defer { state.cancel(); group.wait() }
    for index in 0..<chunkCount {
      let chunk = try state.take(index)
      try consume(chunk)
    }
  }

  private func work(state: WalkState, makeVisitor: (@Sendable () -> any AddedLineVisitor)?) {
    let repo: Repository
    do {
      repo = try Repository(path: repositoryPath)
    } catch {
      state.fail(error)
      return
    }
    let differ: TreeDiffer
    do {
      differ = try TreeDiffer(repo: repo.handle)
    } catch {
      state.fail(error)
      return
    }
    differ.visitor = makeVisitor?()
    while let index = state.next() {
      let first = index * options.chunkSize
      let last = min(commits.count, first + options.chunkSize)
      var chunk = HistoryChunk(firstIndex: first)
      do {
        for position in first..<last {
          differ.commitIndex = reportedIndexes?[position] ?? position
          try read(commits[position], repo: repo.handle, differ: differ, into: &chunk)
        }
      } catch {
        state.fail(error)
        return
      }
      state.put(index, chunk)
    }
  }

  private func read(_ id: ObjectID, repo: OpaquePointer, differ: TreeDiffer, into chunk: inout HistoryChunk) throws(GitError) {
    var oid = id.raw
    var commit: OpaquePointer?
    let rc = git_commit_lookup(&commit, repo, &oid)
    if rc < 0 {
      let err = GitError.last(rc, call: "git_commit_lookup")
      throw GitError(kind: .unreadableObject, code: rc, message: "cannot read commit \(id.hex): \(err.message)", call: err.call)
    }
    defer { git_commit_free(commit) }
    let parentCount = Int(git_commit_parentcount(commit))
    var parents: [ObjectID] = []
    parents.reserveCapacity(parentCount)
    for p in 0..<parentCount {
      if let pid = git_commit_parent_id(commit, UInt32(p)) { parents.append(ObjectID(pid)) }
    }
    let author = git_commit_author(commit)!.pointee
    let committer = git_commit_committer(commit)!.pointee
    let message = git_commit_message(commit).map { Array($0.bytes()) } ?? []
    var deltaCount = 0
    // Merges get no diff, as in `git log`. A shallow clone's boundary commit lists parents it does not
    // have: diff it against nothing, as git does.
    if parentCount <= 1 {
      // Tree ids come straight from the commits; the trees themselves are read raw by the differ.
      let tree = git_commit_tree_id(commit)!.pointee
      var parentTree: git_oid?
      if parentCount == 1 {
        var parent: OpaquePointer?
        let prc = git_commit_parent(&parent, commit, 0)
        if prc == 0 {
          parentTree = git_commit_tree_id(parent)!.pointee
          git_commit_free(parent)
        } else if prc != GIT_ENOTFOUND.rawValue {
          try wrap(prc, "git_commit_parent", id)
        }
      }
      do {
        deltaCount = try differ.diff(old: parentTree, new: tree, renames: options.detectRenames, into: &chunk)
      } catch {
        throw GitError(kind: error.kind, code: error.code, message: "cannot diff commit \(id.hex): \(error.message)", call: error.call)
      }
    }
    chunk.commits.append(CommitMeta(
      id: id, parents: parents,
      author: Signature(author), authorTime: author.when.time, authorOffset: Int16(clamping: author.when.offset),
      committer: Signature(committer), committerTime: committer.when.time, committerOffset: Int16(clamping: committer.when.offset),
      subject: CommitMessage.subject(message), coAuthors: CommitMessage.coAuthors(message), deltaCount: deltaCount))
  }

  private func wrap(_ rc: Int32, _ call: String, _ id: ObjectID) throws(GitError) {
    guard rc < 0 else { return }
    let err = GitError.last(rc, call: call)
    throw GitError(kind: .unreadableObject, code: rc, message: "cannot read commit \(id.hex): \(err.message)", call: call)
  }
}

extension Signature {
  init(_ signature: git_signature) {
    self.init(name: signature.name.map { Array(UnsafePointer($0).bytes()) } ?? [],
              email: signature.email.map { Array(UnsafePointer($0).bytes()) } ?? [])
  }
}

/// Hand-off between the workers and the consuming thread: chunks are taken in order as they finish.
private final class WalkState: @unchecked Sendable {
  private let condition = NSCondition()
  private var slots: [HistoryChunk?]
  private var nextChunk = 0
  private var failure: (any Error)?
  private var cancelled = false

  init(chunks: Int) { slots = Array(repeating: nil, count: chunks) }

  func next() -> Int? {
    condition.lock()
    defer { condition.unlock() }
    guard !cancelled, failure == nil, nextChunk < slots.count else { return nil }
    defer { nextChunk += 1 }
    return nextChunk
  }

  func put(_ index: Int, _ chunk: HistoryChunk) {
    condition.lock()
    slots[index] = chunk
    condition.broadcast()
    condition.unlock()
  }

  func fail(_ error: any Error) {
    condition.lock()
    if failure == nil { failure = error }
    condition.broadcast()
    condition.unlock()
  }

  func cancel() {
    condition.lock()
    cancelled = true
    condition.unlock()
  }

  func take(_ index: Int) throws -> HistoryChunk {
    condition.lock()
    defer { condition.unlock() }
    while slots[index] == nil {
      if let failure { throw failure }
      condition.wait()
    }
    let chunk = slots[index]!
    slots[index] = nil
    return chunk
  }
}
