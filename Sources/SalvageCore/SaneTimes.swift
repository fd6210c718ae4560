import Git

/// Commit and tag times outside a sane range are clamped into it before any analysis: a commit dated
/// 99999999999999 made one weekly entry per week up to then (9.5 GB resident), year 9999 a 93 MB report.
/// The range runs from 1970 to a year past the scan's "now": the pinned now (the day of the scan by
/// default, or `--now DATE`), else (`--now last-commit`) the tip commit's own time (a commit the scan
/// is of, not the newest of all, which may be the outlier), or, when the tip is itself out of any sane
/// range, the newest time before 2100.
extension History {
  /// 2100-01-01: no time past it is taken as the scan's "now".
  static let latestPlausible: Int64 = 4_102_444_800
  static let year: Int64 = 365 * 86_400

  /// The range times are clamped into, for a history whose tip commit has `tipTime`.
  func saneTimes(pinnedNow: Int64?, tipTime: Int64?) -> ClosedRange<Int64> {
    let plausible: ClosedRange<Int64> = 0...Self.latestPlausible
    var reference = pinnedNow
    if reference == nil, let tipTime, plausible.contains(tipTime) { reference = tipTime }
    if reference == nil {
      reference = commits.lazy.map(\.committerTime).filter { plausible.contains($0) }.max() ?? Self.latestPlausible
    }
    let now = reference!
    // `--now` before 1970 leaves only the empty moment 0.
    return 0...max(0, now.addingReportingOverflow(Self.year).overflow ? .max : now + Self.year)
  }

  /// Clamps every commit's and tag's times into `range`; returns how many commits and tags had a time
  /// out of it.
  mutating func clampTimes(into range: ClosedRange<Int64>) -> Int {
    var clamped = 0
    for n in commits.indices {
      let c = commits[n]
      guard !range.contains(c.authorTime) || !range.contains(c.committerTime) else { continue }
      clamped += 1
      commits[n] = Commit(id: c.id, parents: c.parents, author: c.author, authorTime: c.authorTime.clamped(to: range),
                          authorOffset: c.authorOffset, committer: c.committer, committerTime: c.committerTime.clamped(to: range),
                          committerOffset: c.committerOffset, subject: c.subject, coAuthors: c.coAuthors, changes: c.changes)
    }
    for n in tags.indices where !range.contains(tags[n].time) {
      clamped += 1
      let t = tags[n]
      tags[n] = TagInfo(name: t.name, commit: t.commit, time: t.time.clamped(to: range), annotated: t.annotated)
    }
    return clamped
  }
}

extension Int64 {
  func clamped(to range: ClosedRange<Int64>) -> Int64 { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
