/// What the history pass learned about one commit.
public struct CommitMeta: Sendable {
  public let id: ObjectID
  public let parents: [ObjectID]
  public let author: Signature
  public let authorTime: Int64
  /// Minutes east of UTC, as recorded in the commit.
  public let authorOffset: Int16
  public let committer: Signature
  public let committerTime: Int64
  public let committerOffset: Int16
  /// The subject (first paragraph, joined), as bytes: messages need not be UTF-8.
  public let subject: [UInt8]
  /// People named in `Co-authored-by:` trailers.
  public let coAuthors: [Signature]
  /// How many of the chunk's `deltas` belong to this commit; they follow the previous commit's.
  public let deltaCount: Int

  public init(id: ObjectID, parents: [ObjectID], author: Signature, authorTime: Int64, authorOffset: Int16, committer: Signature,
              committerTime: Int64, committerOffset: Int16, subject: [UInt8], coAuthors: [Signature], deltaCount: Int) {
    self.id = id
    self.parents = parents
    self.author = author
    self.authorTime = authorTime
    self.authorOffset = authorOffset
    self.committer = committer
    self.committerTime = committerTime
    self.committerOffset = committerOffset
    self.subject = subject
    self.coAuthors = coAuthors
    self.deltaCount = deltaCount
  }
}

/// A blob the object store lacks: which file of which commit needed it.
public struct MissingBlob: Sendable, Hashable {
  public let blob: ObjectID
  public let path: [UInt8]
  /// The commit whose diff (or, for the tip's files, whose tree) names it.
  public let commit: ObjectID

  public init(blob: ObjectID, path: [UInt8], commit: ObjectID) {
    self.blob = blob
    self.path = path
    self.commit = commit
  }
}

/// One file changed by a non-merge commit against its first parent, as `git log --numstat` counts it.
public struct FileDelta: Sendable {
  public enum Status: UInt8, Sendable {
    case added = 0, deleted, modified, typeChanged, renamed
  }
  /// Where the path lies in the chunk's `pathBytes`.
  public let pathStart: Int32
  public let pathLength: Int32
  /// For renames: the old path in `pathBytes`; -1 otherwise.
  public let oldPathStart: Int32
  public let oldPathLength: Int32
  public let added: Int32
  public let deleted: Int32
  public let status: Status
  /// git prints `-  -` for these: no line counts.
  public let binary: Bool

  public init(pathStart: Int32, pathLength: Int32, oldPathStart: Int32, oldPathLength: Int32, added: Int32, deleted: Int32,
              status: Status, binary: Bool) {
    self.pathStart = pathStart
    self.pathLength = pathLength
    self.oldPathStart = oldPathStart
    self.oldPathLength = oldPathLength
    self.added = added
    self.deleted = deleted
    self.status = status
    self.binary = binary
  }
}

/// The result of the history pass for a run of consecutive commits (in walk order). Paths are kept as
/// bytes in one buffer, so a chunk costs a handful of allocations whatever its size.
public struct HistoryChunk: Sendable {
  /// Index of the chunk's first commit in the walk.
  public let firstIndex: Int
  public var commits: [CommitMeta] = []
  public var deltas: [FileDelta] = []
  public var pathBytes: [UInt8] = []
  /// Blobs the chunk's commits changed that the object store does not have (when the walk tolerates
  /// them): their file changes are counted without lines, as binary ones are.
  public var missingBlobs: [MissingBlob] = []
  /// With `HistoryWalk.Options.collectLineChanges`, per commit (as `commits`): its changes as the line
  /// tracker needs them, nil for a merge or a commit with a missing blob.
  public var lineChanges: [CommitLineChanges?] = []

  public init(firstIndex: Int) { self.firstIndex = firstIndex }

  public func path(_ delta: FileDelta) -> ArraySlice<UInt8> {
    pathBytes[Int(delta.pathStart)..<Int(delta.pathStart + delta.pathLength)]
  }

  public func oldPath(_ delta: FileDelta) -> ArraySlice<UInt8>? {
    guard delta.oldPathStart >= 0 else { return nil }
    return pathBytes[Int(delta.oldPathStart)..<Int(delta.oldPathStart + delta.oldPathLength)]
  }
}

/// Receives every line added by the commits of the walk, on the worker thread that diffed them. One is
/// made per worker and never shared, so it needs no lock; it must copy what it keeps.
public protocol AddedLineVisitor: AnyObject {
  /// A run of consecutive added lines of one file: `content` holds whole lines separated by "\n" (the
  /// last one may lack its line break), the first of them being line `firstLine` (1-based) of the new
  /// file. A file added whole comes as one run; so do a hunk's adjacent added lines, which lets rules
  /// that span lines (private key blocks) see them together. `commit` is the commit's index in the walk.
  /// `file` is the whole new file the run lies in (`content` is a slice of it), for a visitor that needs
  /// the lines above a run: a lockfile bump that rewrites only `version = "2.0"` names its package on an
  /// unchanged line above.
  func addedLines(commit: Int, path: UnsafeBufferPointer<UInt8>, firstLine: Int, content: UnsafeBufferPointer<UInt8>, file: UnsafeBufferPointer<UInt8>)
}
