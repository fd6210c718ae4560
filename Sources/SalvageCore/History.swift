import Foundation
import Git

/// An interned path: an index into `History.paths`.
public typealias PathID = Int32
/// An interned person (after `.mailmap`): an index into `History.people`.
public typealias PersonID = Int32

/// A person as the report names them, after `.mailmap`. Identity is the e-mail address, lower-cased
/// (the name when there is no address); the name shown is the one on their newest commit.
public struct Person: Sendable, Hashable {
  public let name: String
  public let email: String
  public init(name: String, email: String) {
    self.name = name
    self.email = email
  }
}

/// One commit of the history, newest first in `History.commits`.
public struct Commit: Sendable {
  public let id: ObjectID
  public let parents: [ObjectID]
  public let author: PersonID
  public let authorTime: Int64
  public let authorOffset: Int16
  public let committer: PersonID
  public let committerTime: Int64
  public let committerOffset: Int16
  public let subject: String
  public let coAuthors: [PersonID]
  /// This commit's entries in `History.changes`.
  public let changes: Range<Int>

  /// Inlinable: the analyzers ask it of every commit, and a call into this module for a count costs
  /// more than the count.
  @inlinable public var isMerge: Bool { parents.count > 1 }
}

/// A file changed by a non-merge commit, as `git log --numstat --no-renames` counts it.
public struct Change: Sendable {
  public let path: PathID
  /// The old path of a rename (only with rename detection), else -1.
  public let oldPath: PathID
  public let added: Int32
  public let deleted: Int32
  public let status: FileDelta.Status
  public let binary: Bool
}

/// Every path the history mentions, stored once.
public struct PathTable: Sendable {
  public private(set) var paths: [[UInt8]] = []
  private var ids: [Key: PathID] = [:]

  /// A path as a dictionary key: a slice, so that looking up part of a larger buffer copies nothing,
  /// hashed and compared as one run of bytes rather than byte by byte.
  private struct Key: Hashable {
    let bytes: ArraySlice<UInt8>
    func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
    static func == (a: Key, b: Key) -> Bool {
      a.bytes.count == b.bytes.count && a.bytes.withUnsafeBytes { x in
        b.bytes.withUnsafeBytes { y in x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
      }
    }
  }

  public init() {}

  public mutating func intern(_ path: ArraySlice<UInt8>) -> PathID {
    if let id = ids[Key(bytes: path)] { return id }
    let id = PathID(paths.count)
    let copy = Array(path)
    paths.append(copy)
    ids[Key(bytes: copy[...])] = id
    return id
  }

  public mutating func intern(_ path: [UInt8]) -> PathID { intern(path[...]) }

  public func id(of path: ArraySlice<UInt8>) -> PathID? { ids[Key(bytes: path)] }
  public func id(of path: [UInt8]) -> PathID? { id(of: path[...]) }
  public subscript(id: PathID) -> [UInt8] { paths[Int(id)] }
  public func display(_ id: PathID) -> String { PathText.display(paths[Int(id)]) }
  public var count: Int { paths.count }
}

/// The whole history of the scanned tip, compact: paths and people are interned, the per-file changes
/// of all commits sit in one flat array.
public struct History: Sendable {
  public var commits: [Commit]
  public var changes: [Change]
  public var paths: PathTable
  public var people: [Person]
  public var tags: [TagInfo]
  /// Commits and tags whose times were out of the sane range and clamped into it (see `SaneTimes`).
  public var clampedTimes = 0
  /// People who committed under several identities, merged (see `IdentityResolver`); empty when
  /// merging is off.
  public var identityMerges: [IdentityMerge] = []

  public init(commits: [Commit] = [], changes: [Change] = [], paths: PathTable = PathTable(), people: [Person] = [], tags: [TagInfo] = []) {
    self.commits = commits
    self.changes = changes
    self.paths = paths
    self.people = people
    self.tags = tags
  }

  public func changes(of commit: Commit) -> ArraySlice<Change> { changes[commit.changes] }

  public var nonMergeCount: Int { commits.reduce(0) { $0 + ($1.isMerge ? 0 : 1) } }

  /// The index of the root of `head`'s first-parent line (the tip when `head` is not a commit of the
  /// history): a rebase, an amend or a merge of another history (its roots come in as second parents)
  /// leave it alone. A walk cut short (`--since`, a shallow clone) gives the oldest commit of the
  /// first-parent line it has. Nil for an empty history.
  public func mainLineRoot(head: String?) -> Int? {
    guard !commits.isEmpty else { return nil }
    let index = CommitIndex(commits)
    var current = commits.firstIndex { $0.id.hex == head } ?? 0
    var steps = 0
    while let parent = commits[current].parents.first, let next = index[parent], steps < commits.count {
      current = next
      steps += 1
    }
    return current
  }

  /// The newest commit time of the history: "now" for every "how long ago" figure unless the user
  /// pins another moment, so that a scan never depends on the machine's clock.
  public var lastCommitTime: Int64? { commitTimeRange?.upperBound }
  public var firstCommitTime: Int64? { commitTimeRange?.lowerBound }

  /// The oldest and newest committer times, read in place: mapping the commits first would copy the
  /// times of the whole history into a new array for one number.
  private var commitTimeRange: ClosedRange<Int64>? {
    commits.withUnsafeBufferPointer { commits in
      guard let first = commits.first else { return nil }
      var low = first.committerTime, high = low
      for n in commits.indices {
        let t = commits[n].committerTime
        if t < low { low = t }
        if t > high { high = t }
      }
      return low...high
    }
  }
}
