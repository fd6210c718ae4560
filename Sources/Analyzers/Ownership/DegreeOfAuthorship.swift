import Foundation

/// Avelino et al.'s degree of authorship (after Fritz et al.'s degree-of-knowledge model):
/// `DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC)`, where FA says the developer added the
/// file, DL counts their later changes to it (deliveries) and AC the changes by others (acceptances).
/// As in the authors' tool, adding a file is not a delivery, and whoever adds it again after a
/// deletion is an author too.
struct DegreeOfAuthorship: Sendable, Equatable {
  var constant = 3.293
  var firstAuthorship = 1.098
  var deliveries = 0.164
  var acceptances = 0.321
  var normalizedThreshold = 0.75
  var absoluteThreshold = 3.293

  func value(firstAuthor: Bool, deliveries dl: Int, acceptances ac: Int) -> Double {
    constant + (firstAuthor ? firstAuthorship : 0) + deliveries * Double(dl) - acceptances * log(1 + Double(max(0, ac)))
  }

  /// Whether a developer with this DOA authors a file whose best DOA is `best` (the tool's rule: the
  /// normalised DOA above the threshold, and the absolute one reached or the file added by them).
  func isAuthor(doa: Double, best: Double, firstAuthor: Bool) -> Bool {
    guard best > 0 else { return false }
    return doa / best > normalizedThreshold && (doa >= absoluteThreshold || firstAuthor)
  }
}

/// The truck factor: the fewest developers whose loss leaves more than half of the files with no
/// author left (Avelino et al.'s greedy algorithm: remove the developer who authors the most files
/// until the files still covered fall under `coverage`).
struct TruckFactor: Sendable, Equatable {
  struct Member: Sendable, Equatable {
    let person: Int32
    /// Files they author (of the files considered).
    let files: Int
  }

  let value: Int
  let members: [Member]
  /// Share of the files with an author left once the members are gone.
  let coverageAfter: Double
  let files: Int

  /// `authors[f]` lists the people authoring file f; `order` breaks ties between people who author
  /// as many files (lower first).
  init(authors: [[Int32]], order: (Int32, Int32) -> Bool, coverage threshold: Double = 0.5) {
    var filesOf: [Int32: [Int]] = [:]
    for (f, people) in authors.enumerated() {
      for p in people { filesOf[p, default: []].append(f) }
    }
    var remaining = authors.map(\.count)
    var covered = remaining.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
    let total = authors.count
    // The tool picks by the number of files each developer authors, which never changes as others go.
    let ranked = filesOf.keys.sorted { a, b in
      let fa = filesOf[a]!.count, fb = filesOf[b]!.count
      return fa != fb ? fa > fb : order(a, b)
    }
    var members: [Member] = []
    for person in ranked {
      guard total > 0, Double(covered) / Double(total) >= threshold else { break }
      members.append(Member(person: person, files: filesOf[person]!.count))
      for f in filesOf[person]! {
        remaining[f] -= 1
        if remaining[f] == 0 { covered -= 1 }
      }
    }
    value = members.count
    self.members = members
    coverageAfter = total > 0 ? Double(covered) / Double(total) : 0
    files = total
  }
}
