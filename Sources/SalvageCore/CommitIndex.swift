import Git

/// Commit ids to their index in the history, in one open-addressing table keyed by the id's first
/// eight bytes (already uniform, being a hash): following a first-parent line of 100,000 commits
/// should not hash 100,000 ids with SipHash first.
public struct CommitIndex: Sendable {
  private let slots: [Int32]
  private let mask: Int
  private let commits: [Commit]

  public init(_ commits: [Commit]) {
    var size = 16
    while size < commits.count * 2 { size <<= 1 }
    var slots = [Int32](repeating: -1, count: size)
    let mask = size - 1
    commits.withUnsafeBufferPointer { list in
      for n in list.indices {
        let id = list[n].id
        var i = Int(truncatingIfNeeded: id.a) & mask
        // A repeated id keeps its last index, as a dictionary filled in order would.
        while slots[i] >= 0, list[Int(slots[i])].id != id { i = (i + 1) & mask }
        slots[i] = Int32(n)
      }
    }
    self.slots = slots
    self.mask = mask
    self.commits = commits
  }

  public subscript(id: ObjectID) -> Int? {
    var i = Int(truncatingIfNeeded: id.a) & mask
    while slots[i] >= 0 {
      let n = Int(slots[i])
      if commits[n].id == id { return n }
      i = (i + 1) & mask
    }
    return nil
  }
}
