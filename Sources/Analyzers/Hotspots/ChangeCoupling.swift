import SalvageCore

/// Change coupling as code-maat computes it: files that keep changing in the same commits.
///
/// Commits touching more than `maxChangeset` files (bulk imports, reformatting, renames) are skipped
/// before any pair is built, so a commit of thousands of files costs one comparison, not millions of
/// pairs. Pairs are counted under a packed `Int64` of the two file indexes.
struct ChangeCoupling {
  struct Pair: Sendable, Equatable {
    /// File indexes, `a < b` (so `a`'s path sorts first).
    let a: Int
    let b: Int
    let shared: Int
    let revisionsA: Int
    let revisionsB: Int
    /// Percent, truncated: 100 * shared / average revisions.
    let degree: Int
    var averageRevisions: Double { Double(revisionsA + revisionsB) / 2 }
  }

  /// Pairs over all thresholds, strongest first.
  let pairs: [Pair]
  /// Commits left out for touching too many files.
  let skippedCommits: Int
  /// Commits that fed the coupling (at least one analysed file, not over the limit).
  let consideredCommits: Int

  init(history: History, files: AnalyzedFiles, rules: HotspotRules) {
    var revisions = [Int32](repeating: 0, count: files.count)
    let shared = PairTable(expected: files.count * 8)
    var members: [Int32] = []
    members.reserveCapacity(rules.maxChangeset)
    var skipped = 0, considered = 0
    history.commits.withUnsafeBufferPointer { commits in history.changes.withUnsafeBufferPointer { changes in
      for k in commits.indices where !commits[k].isMerge {
        let range = commits[k].changes
        if range.count > rules.maxChangeset {
          skipped += 1
          continue
        }
        members.removeAll(keepingCapacity: true)
        for c in range {
          let i = files.index(of: changes[c].path)
          if i >= 0 { members.append(Int32(i)) }
        }
        if members.isEmpty { continue }
        considered += 1
        members.sort()
        var previous: Int32 = -1
        var n = 0
        for m in members where m != previous {
          members[n] = m
          n += 1
          previous = m
          revisions[Int(m)] += 1
        }
        if n < 2 { continue }
        for x in 0..<(n - 1) {
          let high = Int64(members[x]) << 32
          for y in (x + 1)..<n { shared.add(high | Int64(members[y]), 1) }
        }
      }
    } }
    var pairs: [Pair] = []
    shared.forEach { key, count in
      let s = Int(count)
      guard s >= rules.minShared else { return }
      let a = Int(key >> 32), b = Int(key & 0xFFFF_FFFF)
      let ra = Int(revisions[a]), rb = Int(revisions[b])
      guard let degree = rules.couplingDegree(shared: s, revisionsA: ra, revisionsB: rb) else { return }
      pairs.append(Pair(a: a, b: b, shared: s, revisionsA: ra, revisionsB: rb, degree: degree))
    }
    pairs.sort { x, y in
      if x.degree != y.degree { return x.degree > y.degree }
      if x.shared != y.shared { return x.shared > y.shared }
      return x.a != y.a ? x.a < y.a : x.b < y.b
    }
    self.pairs = pairs
    self.skippedCommits = skipped
    self.consideredCommits = considered
  }
}
