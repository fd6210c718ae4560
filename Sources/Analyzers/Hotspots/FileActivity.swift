import SalvageCore

/// What the history says about each analysed file, from one pass over the non-merge commits,
/// oldest first. Counts follow `git log --numstat --no-renames -- <path>`: a binary change is a
/// revision with no lines.
struct FileActivity {
  struct Totals: Sendable {
    var revisions = 0
    var added = 0
    var deleted = 0
    var authors = 0
    /// Committer times of the oldest and the newest change.
    var firstChange: Int64 = .max
    var lastChange: Int64 = .min
    /// Revisions inside the score window (all of them when the window is the whole history).
    var windowRevisions = 0
    /// Changes in the last trend window, and in the one before it.
    var recent = 0
    var previous = 0
    /// Changed lines (added + deleted) that came within the rework window of the file's previous change.
    var reworkLines = 0

    var churn: Int { added + deleted }
    var reworkShare: Double { churn > 0 ? Double(reworkLines) / Double(churn) : 0 }
  }

  let totals: [Totals]
  /// All changed lines and rework lines over the analysed files.
  let changedLines: Int
  let reworkLines: Int

  init(history: History, files: AnalyzedFiles, now: Int64, rules: HotspotRules) {
    var totals = [Totals](repeating: Totals(), count: files.count)
    var lastTouch = [Int64](repeating: .min, count: files.count)
    let authors = PairTable(expected: files.count * 4)
    let day: Int64 = 86400
    let wholeHistory = rules.scoreWindowDays == 0
    let windowStart = rules.scoreWindowDays > 0 ? now - Int64(rules.scoreWindowDays) * day : Int64.min
    let trend = Int64(rules.trendDays) * day
    let rework = Int64(rules.reworkWindowDays) * day
    var changed = 0, reworked = 0
    history.commits.withUnsafeBufferPointer { commits in history.changes.withUnsafeBufferPointer { changes in
      for n in commits.indices.reversed() where !commits[n].isMerge {
        let t = commits[n].committerTime, author = commits[n].author
        let age = now - t
        for c in commits[n].changes {
          let change = changes[c]
          let i = files.index(of: change.path)
          if i < 0 { continue }
          let lines = Int(change.added) + Int(change.deleted)
          totals[i].revisions += 1
          totals[i].added += Int(change.added)
          totals[i].deleted += Int(change.deleted)
          if t < totals[i].firstChange { totals[i].firstChange = t }
          if t > totals[i].lastChange { totals[i].lastChange = t }
          if wholeHistory || (t >= windowStart && t <= now) { totals[i].windowRevisions += 1 }
          if age >= 0 {
            if age < trend { totals[i].recent += 1 } else if age < 2 * trend { totals[i].previous += 1 }
          }
          if lastTouch[i] != .min, abs(t - lastTouch[i]) <= rework {
            totals[i].reworkLines += lines
            reworked += lines
          }
          lastTouch[i] = t
          changed += lines
          if authors.insert(Int64(i) << 32 | Int64(author)) { totals[i].authors += 1 }
        }
      }
    } }
    self.totals = totals
    self.changedLines = changed
    self.reworkLines = reworked
  }

  var reworkShare: Double { changedLines > 0 ? Double(reworkLines) / Double(changedLines) : 0 }
}

/// Whole calendar months from one moment to another (UTC), as code-maat's `age` counts them.
func monthsBetween(_ from: Int64, _ to: Int64) -> Int {
  guard to > from else { return 0 }
  let a = UTC.civil(day: UTC.day(of: from)), b = UTC.civil(day: UTC.day(of: to))
  var months = (b.year - a.year) * 12 + (b.month - a.month)
  if b.day < a.day { months -= 1 }
  return max(0, months)
}
