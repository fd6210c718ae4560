import Git
import SalvageCore

/// The history as every cadence figure reads it: each commit's landing time, size, kind and whether a
/// bot wrote it, computed once and shared by the sections of the analysis.
struct CadenceHistory {
  let history: History
  let rules: CadenceRules
  /// "Now" for every "how long ago": the pinned moment, else the newest commit.
  let now: Int64
  /// By commit index: committer time (when the work landed), UTC.
  let times: [Int64]
  /// By commit index: lines added plus deleted.
  let lines: [Int]
  let kinds: [CommitKind]
  /// By person id.
  let isBot: [Bool]
  let firstTime: Int64
  let lastTime: Int64

  init(history: History, rules: CadenceRules, now: Int64) {
    self.history = history
    self.rules = rules
    self.now = now
    let commits = history.commits
    var times: [Int64] = []
    var lines: [Int] = []
    var kinds: [CommitKind] = []
    times.reserveCapacity(commits.count)
    lines.reserveCapacity(commits.count)
    kinds.reserveCapacity(commits.count)
    var first = Int64.max, last = Int64.min
    // In place: a copy of each commit would retain its subject and lists.
    commits.withUnsafeBufferPointer { commits in history.changes.withUnsafeBufferPointer { changes in
      for c in commits.indices {
        let time = commits[c].committerTime
        times.append(time)
        first = min(first, time)
        last = max(last, time)
        var n = 0
        for i in commits[c].changes { n += Int(changes[i].added) + Int(changes[i].deleted) }
        lines.append(n)
        kinds.append(rules.kinds.kind(subject: commits[c].subject, isMerge: commits[c].isMerge))
      }
    } }
    self.times = times
    self.lines = lines
    self.kinds = kinds
    isBot = history.people.map { rules.bots.isBot($0) }
    firstTime = commits.isEmpty ? now : first
    lastTime = commits.isEmpty ? now : last
  }

  var count: Int { times.count }
  func isHuman(_ i: Int) -> Bool { !isBot[Int(history.commits[i].author)] }
  func author(_ i: Int) -> Person { history.people[Int(history.commits[i].author)] }
  func id(_ i: Int) -> String { history.commits[i].id.hex }

  /// The commit's landing time falls in `(now - days, now]` shifted back by `offset` days.
  func inWindow(_ i: Int, days: Int, endingDaysAgo offset: Int = 0) -> Bool {
    let end = now - Int64(offset) * Period.secondsPerDay
    let t = times[i]
    return t <= end && t > end - Int64(days) * Period.secondsPerDay
  }

  /// How a commit is cited in a message: short id, date and, when asked, the author.
  func cite(_ i: Int, author: Bool = false) -> String {
    let short = String(id(i).prefix(10))
    return author ? "\(short) (\(UTC.date(times[i])), \(self.author(i).name))" : "\(short) (\(UTC.date(times[i])))"
  }
}
