import SalvageCore

/// Is anyone still working here: days since the last commit, the longest quiet spells, how many days a
/// week see commits, and OpenSSF Scorecard's "Maintained" rule (a commit in the last 90 days).
struct Liveness {
  struct Gap {
    /// Commit indexes on either side of the quiet spell.
    let before: Int
    let after: Int
    let days: Int
  }

  let daysSinceLastCommit: Int?
  let daysSinceLastHumanCommit: Int?
  let lastCommit: Int?
  let lastHumanCommit: Int?
  let commitsInWindow: Int
  let humanCommitsInWindow: Int
  let activeDaysPerWeek: Double
  let recentActiveDaysPerWeek: Double
  /// Longest first.
  let gaps: [Gap]

  init(_ h: CadenceHistory) {
    let rules = h.rules.liveness
    var last: Int?, lastHuman: Int?
    var inWindow = 0, humanInWindow = 0
    // Distinct days counted in pair tables rather than SipHash sets (one insert per commit), from the
    // first day so that the keys are never negative.
    let days = PairTable(), recentDays = PairTable()
    let firstDay = UTC.day(of: h.firstTime)
    // Commits after a pinned "now" have not happened yet as far as the figures go.
    var order: [Int] = []
    order.reserveCapacity(h.count)
    for i in 0..<h.count where h.times[i] <= h.now {
      order.append(i)
      if last.map({ h.times[i] > h.times[$0] }) ?? true { last = i }
      let human = h.isHuman(i)
      if human, lastHuman.map({ h.times[i] > h.times[$0] }) ?? true { lastHuman = i }
      _ = days.insert(UTC.day(of: h.times[i]) - firstDay)
      if h.inWindow(i, days: rules.maintainedDays) {
        inWindow += 1
        if human { humanInWindow += 1 }
        _ = recentDays.insert(UTC.day(of: h.times[i]) - firstDay)
      }
    }
    lastCommit = last
    lastHumanCommit = lastHuman
    daysSinceLastCommit = last.map { Period.days(from: h.times[$0], to: h.now) }
    daysSinceLastHumanCommit = lastHuman.map { Period.days(from: h.times[$0], to: h.now) }
    commitsInWindow = inWindow
    humanCommitsInWindow = humanInWindow
    if let first = order.map({ h.times[$0] }).min(), let last {
      let weeks = Double((Period.monday(ofDay: UTC.day(of: h.times[last])) - Period.monday(ofDay: UTC.day(of: first))) / 7 + 1)
      activeDaysPerWeek = Double(days.count) / weeks
    } else {
      activeDaysPerWeek = 0
    }
    // A history younger than the window is measured over its own length.
    let span = min(rules.maintainedDays, Period.days(from: h.firstTime, to: h.now) + 1)
    recentActiveDaysPerWeek = Double(recentDays.count) / (Double(max(span, 7)) / 7)
    order.sort { h.times[$0] != h.times[$1] ? h.times[$0] < h.times[$1] : $0 > $1 }
    var gaps: [Gap] = []
    for (a, b) in zip(order, order.dropFirst()) {
      let days = Period.days(from: h.times[a], to: h.times[b])
      if days > 0 { gaps.append(Gap(before: a, after: b, days: days)) }
    }
    gaps.sort { $0.days != $1.days ? $0.days > $1.days : h.times[$0.before] > h.times[$1.before] }
    self.gaps = Array(gaps.prefix(max(rules.gapsListed, 0)))
    longGaps = gaps.filter { $0.days >= rules.longGapDays && h.times[$0.after] > h.now - 365 * Period.secondsPerDay }
  }

  /// Quiet spells of at least the rule's length that ended in the last 12 months.
  let longGaps: [Gap]

  var maintained: Bool { commitsInWindow > 0 }

  func figures(_ h: CadenceHistory) -> CadenceOutput.Liveness {
    let window = h.rules.liveness.maintainedDays
    return .init(
      daysSinceLastCommit: daysSinceLastCommit, daysSinceLastHumanCommit: daysSinceLastHumanCommit, lastCommit: lastCommit.map(h.id),
      maintained: maintained, maintainedRule: "OpenSSF Scorecard: at least one commit in the last \(window) days", windowDays: window,
      commitsInWindow: commitsInWindow, humanCommitsInWindow: humanCommitsInWindow,
      activeDaysPerWeek: Figures.rounded(activeDaysPerWeek, places: 2), activeDaysPerWeekInWindow: Figures.rounded(recentActiveDaysPerWeek, places: 2),
      longestGaps: gaps.map { gap(gap: $0, h) })
  }

  private func gap(gap: Gap, _ h: CadenceHistory) -> CadenceOutput.Liveness.Gap {
    .init(from: Timestamp(h.times[gap.before]), to: Timestamp(h.times[gap.after]), days: gap.days, commitBefore: h.id(gap.before),
          commitAfter: h.id(gap.after))
  }

  func findings(_ h: CadenceHistory) -> [Finding] {
    let window = h.rules.liveness.maintainedDays
    var out: [Finding] = []
    if let last = lastCommit, let days = daysSinceLastCommit, !maintained {
      out.append(Finding(
        analyzer: CadenceAnalyzer.identifier, rule: "not-maintained", key: "history", severity: days >= 365 ? .high : .medium,
        title: "No commit in the last \(Prose.days(days))",
        message: "Nothing has landed for \(Prose.days(days)) (up to \(UTC.date(h.now))): the last commit is \(h.cite(last, author: true)). By OpenSSF Scorecard's rule (a commit within \(window) days) the project is not maintained.",
        location: Location(commit: h.id(last)),
        evidence: CadenceEvidence.NotMaintained(
          lastCommit: h.id(last), lastCommitDate: Timestamp(h.times[last]), daysSinceLastCommit: days, now: Timestamp(h.now))))
    } else if maintained, humanCommitsInWindow == 0, let lastHuman = lastHumanCommit, let days = daysSinceLastHumanCommit {
      out.append(Finding(
        analyzer: CadenceAnalyzer.identifier, rule: "bots-only", key: "history", severity: .medium,
        title: "Only bots committed in the last \(window) days",
        message: "The \(Prose.count(commitsInWindow, "commit")) of the last \(window) days are all by bots; the last commit by a person is \(h.cite(lastHuman, author: true)), \(Prose.days(days)) ago. The project looks alive but nobody is working on it.",
        location: Location(commit: h.id(lastHuman)),
        evidence: CadenceEvidence.BotsOnly(
          botCommits: commitsInWindow, lastHumanCommit: h.id(lastHuman), lastHumanCommitDate: Timestamp(h.times[lastHuman]),
          daysSinceLastHumanCommit: days)))
    }
    if !longGaps.isEmpty {
      let listed = longGaps.prefix(3).map { "\(Prose.days($0.days)) from \(UTC.date(h.times[$0.before])) to \(UTC.date(h.times[$0.after]))" }
      out.append(Finding(
        analyzer: CadenceAnalyzer.identifier, rule: "long-gaps", key: "last-12-months", severity: .low,
        title: "Work stopped for \(Prose.days(longGaps[0].days)) in the last year",
        message: "In the last 12 months nothing landed for \(listed.joined(separator: "; ")). Ask what happened then (a team change, a rewrite on another branch, funding).",
        location: Location(commit: h.id(longGaps[0].after)),
        evidence: CadenceEvidence.Gaps(gaps: longGaps.map { gap(gap: $0, h) })))
    }
    return out
  }
}
