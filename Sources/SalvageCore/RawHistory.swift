import Foundation
import Git

/// The history as the pass saw it, before `.mailmap` and excludes: commits in walk order, every
/// signature and path stored once, the file deltas of all commits in one flat array. It is what the
/// history cache keeps, and what a `History` is built from.
public struct RawHistory: Sendable {
  public struct Commit: Sendable {
    public let id: ObjectID
    public let parents: [ObjectID]
    /// Indexes into `signatures`.
    public let author: Int32
    public let authorTime: Int64
    public let authorOffset: Int16
    public let committer: Int32
    public let committerTime: Int64
    public let committerOffset: Int16
    public let subject: [UInt8]
    public let coAuthors: [Int32]
    /// This commit's entries in `deltas`.
    public let deltaStart: Int32
    public let deltaCount: Int32

    public var deltaRange: Range<Int> { Int(deltaStart)..<Int(deltaStart + deltaCount) }
  }

  /// A file delta whose paths are indexes into `paths` (`oldPath` -1 unless a rename).
  public struct Delta: Sendable {
    public let path: Int32
    public let oldPath: Int32
    public let added: Int32
    public let deleted: Int32
    public let status: FileDelta.Status
    public let binary: Bool
  }

  public internal(set) var commits: [Commit] = []
  public internal(set) var deltas: [Delta] = []
  public internal(set) var signatures: [Signature] = []
  public internal(set) var paths: [[UInt8]] = []
  /// What cacheable observers learned, by their cache key: per commit, its record, nil where that
  /// observer did not see the commit.
  public internal(set) var observations: [String: [[UInt8]?]] = [:]

  public init() {}

  /// Builds a raw history in walk order, interning signatures and paths in order of first appearance.
  public struct Builder {
    private var raw = RawHistory()
    private var signatureIDs: [Signature: Int32] = [:]
    private var pathIDs = PathTable()
    /// For commits taken from another raw history: its signature and path indexes, translated.
    private var fromSignature: [Int32] = []
    private var fromPath: [Int32] = []
    private var source: Int = -1

    public init() {}

    /// A builder that keeps `base`'s signatures and paths where they are, for a history that holds all of
    /// `base`'s commits: those are then added without translating a single delta.
    public init(extending base: RawHistory) {
      raw.signatures = base.signatures
      raw.paths = base.paths
      for (i, s) in base.signatures.enumerated() { signatureIDs[s] = Int32(i) }
      for p in base.paths { _ = pathIDs.intern(p) }
      fromSignature = Array(0..<Int32(base.signatures.count))
      fromPath = Array(0..<Int32(base.paths.count))
      source = 0
    }

    public var count: Int { raw.commits.count }

    private mutating func signature(_ s: Signature) -> Int32 {
      if let id = signatureIDs[s] { return id }
      let id = Int32(raw.signatures.count)
      raw.signatures.append(s)
      signatureIDs[s] = id
      return id
    }

    private mutating func path(_ bytes: ArraySlice<UInt8>) -> Int32 {
      let before = pathIDs.count
      let id = pathIDs.intern(bytes)
      if pathIDs.count > before { raw.paths.append(pathIDs[id]) }
      return id
    }

    /// The commits of a chunk of the pass, in its order.
    public mutating func add(_ chunk: HistoryChunk) {
      var at = 0
      for meta in chunk.commits {
        add(meta, deltas: chunk.deltas[at..<(at + meta.deltaCount)], pathBytes: chunk.pathBytes)
        at += meta.deltaCount
      }
    }

    /// One commit whose deltas' paths are ranges of `pathBytes`.
    public mutating func add(_ meta: CommitMeta, deltas: ArraySlice<FileDelta>, pathBytes: [UInt8]) {
      let start = Int32(raw.deltas.count)
      for d in deltas {
        let old = d.oldPathStart < 0 ? -1 : path(pathBytes[Int(d.oldPathStart)..<Int(d.oldPathStart + d.oldPathLength)])
        let new = path(pathBytes[Int(d.pathStart)..<Int(d.pathStart + d.pathLength)])
        raw.deltas.append(Delta(path: new, oldPath: old, added: d.added, deleted: d.deleted, status: d.status, binary: d.binary))
      }
      let author = signature(meta.author), committer = signature(meta.committer)
      raw.commits.append(Commit(
        id: meta.id, parents: meta.parents, author: author, authorTime: meta.authorTime, authorOffset: meta.authorOffset,
        committer: committer, committerTime: meta.committerTime, committerOffset: meta.committerOffset,
        subject: meta.subject, coAuthors: meta.coAuthors.map { signature($0) },
        deltaStart: start, deltaCount: Int32(raw.deltas.count) - start))
    }

    /// Commit `index` of `other`, which must be the same raw history for every call (its tables are
    /// translated once).
    public mutating func add(_ index: Int, of other: RawHistory, source id: Int = 0) {
      if source != id {
        source = id
        fromSignature = Array(repeating: -1, count: other.signatures.count)
        fromPath = Array(repeating: -1, count: other.paths.count)
      }
      func signature(_ i: Int32) -> Int32 {
        if fromSignature[Int(i)] < 0 { fromSignature[Int(i)] = self.signature(other.signatures[Int(i)]) }
        return fromSignature[Int(i)]
      }
      func path(_ i: Int32) -> Int32 {
        if fromPath[Int(i)] < 0 { fromPath[Int(i)] = self.path(other.paths[Int(i)][...]) }
        return fromPath[Int(i)]
      }
      let c = other.commits[index]
      let start = Int32(raw.deltas.count)
      for d in other.deltas[c.deltaRange] {
        let old = d.oldPath < 0 ? -1 : path(d.oldPath)
        raw.deltas.append(Delta(path: path(d.path), oldPath: old, added: d.added, deleted: d.deleted, status: d.status, binary: d.binary))
      }
      let author = signature(c.author), committer = signature(c.committer)
      raw.commits.append(Commit(
        id: c.id, parents: c.parents, author: author, authorTime: c.authorTime, authorOffset: c.authorOffset,
        committer: committer, committerTime: c.committerTime, committerOffset: c.committerOffset,
        subject: c.subject, coAuthors: c.coAuthors.map(signature), deltaStart: start, deltaCount: Int32(raw.deltas.count) - start))
    }

    public consuming func finish(observations: [String: [[UInt8]?]] = [:]) -> RawHistory {
      raw.observations = observations
      return raw
    }
  }
}

extension History {
  /// The history of a raw one: signatures resolved through `mailmap` to people, excluded paths dropped,
  /// paths and people numbered in order of first appearance (newest commit first).
  public init(_ raw: RawHistory, mailmap: (Signature) -> Signature, excluded: (ArraySlice<UInt8>) -> Bool, tags: [TagInfo],
              mergeIdentities: Bool = true, bots: BotList = BotList()) {
    self.init()
    // Per raw signature: its identity (name and address after the mailmap; addresses equal but for
    // case are one), numbered in order of first appearance, with the span of its activity.
    var identityOf = [Int32](repeating: -1, count: raw.signatures.count)
    var identityByKey: [String: Int32] = [:]
    var identities: [IdentityResolver.Identity] = []
    func identity(_ index: Int32, at time: Int64) -> Int32 {
      let i = Int(index)
      var id = identityOf[i]
      if id < 0 {
        let canonical = mailmap(raw.signatures[i])
        let email = PathText.prose(canonical.email).lowercased()
        let name = PathText.prose(canonical.name)
        let key = email.isEmpty ? "name:" + name : email
        if let existing = identityByKey[key] {
          id = existing
        } else {
          id = Int32(identities.count)
          // Walk order is newest first, so the first name seen is the newest.
          identities.append(.init(name: name, email: email, first: time, last: time))
          identityByKey[key] = id
        }
        identityOf[i] = id
      }
      identities[Int(id)].first = min(identities[Int(id)].first, time)
      identities[Int(id)].last = max(identities[Int(id)].last, time)
      return id
    }
    for c in raw.commits {
      _ = identity(c.author, at: c.authorTime)
      _ = identity(c.committer, at: c.committerTime)
      for co in c.coAuthors { _ = identity(co, at: c.authorTime) }
    }
    // People: one per group of merged identities, named after its newest identity, in order of first
    // appearance.
    let (group, reasons) = mergeIdentities
      ? IdentityResolver.groups(identities, bots: bots) : (Array(identities.indices), [:])
    var personOfIdentity = [PersonID](repeating: -1, count: identities.count)
    var aliases: [Int: [(person: Person, reason: IdentityMerge.Reason)]] = [:]
    for (i, identity) in identities.enumerated() {
      let representative = group[i]
      if representative == i {
        personOfIdentity[i] = PersonID(people.count)
        people.append(Person(name: identity.name, email: identity.email))
      } else {
        personOfIdentity[i] = personOfIdentity[representative]
        aliases[representative, default: []].append((Person(name: identity.name, email: identity.email), reasons[i] ?? .nameSuccession))
      }
    }
    identityMerges = aliases.keys.sorted().map { IdentityMerge(person: personOfIdentity[$0], aliases: aliases[$0]!) }
    func person(_ index: Int32) -> PersonID { personOfIdentity[Int(identityOf[Int(index)])] }
    // Per raw path: its id here, -1 before it is first seen. A change to an excluded path is dropped
    // (the old path of a rename is kept even when excluded).
    var pathOf = [PathID](repeating: -1, count: raw.paths.count)
    let dropped = raw.paths.map { excluded($0[...]) }
    func path(_ index: Int32) -> PathID {
      let i = Int(index)
      if pathOf[i] == -1 { pathOf[i] = paths.intern(raw.paths[i]) }
      return pathOf[i]
    }
    changes.reserveCapacity(raw.deltas.count)
    commits.reserveCapacity(raw.commits.count)
    for c in raw.commits {
      let start = changes.count
      for d in raw.deltas[c.deltaRange] where !dropped[Int(d.path)] {
        let old = d.oldPath < 0 ? -1 : path(d.oldPath)
        changes.append(Change(path: path(d.path), oldPath: old, added: d.added, deleted: d.deleted, status: d.status, binary: d.binary))
      }
      commits.append(Commit(
        id: c.id, parents: c.parents,
        author: person(c.author), authorTime: c.authorTime, authorOffset: c.authorOffset,
        committer: person(c.committer), committerTime: c.committerTime, committerOffset: c.committerOffset,
        subject: PathText.prose(c.subject), coAuthors: c.coAuthors.map(person),
        changes: start..<changes.count))
    }
    self.tags = tags
  }
}
