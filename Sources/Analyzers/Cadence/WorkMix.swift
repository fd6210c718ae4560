import SalvageCore

/// What the work is: commits by kind, messages that say nothing ("wip"), and the share of fixes over
/// time. A rising fix share means more of the team's time goes to repairing what shipped.
struct WorkMix {
  struct Quarter {
    var commits = 0
    var fixes = 0
  }

  let counts: [CommitKind: Int]
  let wip: [Int]
  /// Human non-merge commits.
  let humanCommits: Int
  let firstQuarter: Int
  let quarters: [Quarter]
  /// Fix share of the last window and the one before (human non-merge commits).
  let recent: (commits: Int, fixes: Int)
  let previous: (commits: Int, fixes: Int)

  init(_ h: CadenceHistory) {
    // By the kind's place in `allCases`: an array slot per kind rather than a hashed key per commit.
    var tally = [Int](repeating: 0, count: CommitKind.allCases.count)
    var wip: [Int] = []
    var humanCommits = 0
    var recent = (0, 0), previous = (0, 0)
    let window = h.rules.fixes.windowDays
    let firstQuarter = Period.quarter(ofDay: UTC.day(of: h.firstTime))
    var quarters = [Quarter](repeating: Quarter(), count: h.count == 0 ? 0 : Period.quarter(ofDay: UTC.day(of: h.lastTime)) - firstQuarter + 1)
    for i in 0..<h.count {
      let kind = h.kinds[i]
      tally[CommitKind.allCases.firstIndex(of: kind)!] += 1
      guard kind != .merge, h.isHuman(i) else { continue }
      humanCommits += 1
      if h.rules.wip.matches(h.history.commits[i].subject) { wip.append(i) }
      let fix = kind == .fix ? 1 : 0
      let q = Period.quarter(ofDay: UTC.day(of: h.times[i])) - firstQuarter
      quarters[q].commits += 1
      quarters[q].fixes += fix
      if h.inWindow(i, days: window) {
        recent.0 += 1
        recent.1 += fix
      } else if h.inWindow(i, days: window, endingDaysAgo: window) {
        previous.0 += 1
        previous.1 += fix
      }
    }
    var counts: [CommitKind: Int] = [:]
    for (kind, n) in zip(CommitKind.allCases, tally) where n > 0 { counts[kind] = n }
    self.counts = counts
    self.wip = wip
    self.humanCommits = humanCommits
    self.firstQuarter = firstQuarter
    self.quarters = quarters
    self.recent = recent
    self.previous = previous
  }

  var kindCounts: NamedCounts { NamedCounts(CommitKind.allCases) { counts[$0] ?? 0 } }

  var quarterFixes: [CadenceOutput.QuarterFixes] {
    quarters.enumerated().map { q, quarter in
      .init(quarter: Period.quarterLabel(firstQuarter + q), commits: quarter.commits, fixes: quarter.fixes,
            share: quarter.commits == 0 ? nil : Figures.rounded(Prose.share(quarter.fixes, quarter.commits)))
    }
  }

  func fixTrend(_ h: CadenceHistory) -> CadenceOutput.FixShare {
    .init(
      days: h.rules.fixes.windowDays, commits: recent.commits, fixes: recent.fixes,
      share: recent.commits == 0 ? nil : Figures.rounded(Prose.share(recent.fixes, recent.commits)),
      previousCommits: previous.commits, previousFixes: previous.fixes,
      previousShare: previous.commits == 0 ? nil : Figures.rounded(Prose.share(previous.fixes, previous.commits)))
  }

  func findings(_ h: CadenceHistory) -> [Finding] {
    var out: [Finding] = []
    let rules = h.rules.fixes
    let share = Prose.share(recent.fixes, recent.commits), before = Prose.share(previous.fixes, previous.commits)
    if recent.commits >= rules.minCommits, previous.commits >= rules.minCommits, share - before >= rules.rise {
      let days = rules.windowDays
      let examples = (0..<h.count).filter { h.kinds[$0] == .fix && h.isHuman($0) && h.inWindow($0, days: days) }
        .sorted { h.times[$0] > h.times[$1] }.prefix(5)
      let span = Int64(days) * Period.secondsPerDay
      out.append(Finding(
        analyzer: CadenceAnalyzer.identifier, rule: "rising-fix-share", key: "fixes", severity: share - before >= 2 * rules.rise ? .medium : .low,
        title: "Fixes are a growing part of the work: \(Figures.percent(share)) of commits, up from \(Figures.percent(before))",
        message: "From \(UTC.date(h.now - span)) to \(UTC.date(h.now)), \(Figures.grouped(recent.fixes)) of \(Prose.count(recent.commits, "commit")) were fixes (\(Figures.percent(share))), against \(Figures.grouped(previous.fixes)) of \(Figures.grouped(previous.commits)) (\(Figures.percent(before))) in the \(days) days before. Recent fixes: \(examples.map { "\(h.cite($0)) \"\(h.history.commits[$0].subject)\"" }.joined(separator: "; ")).",
        location: Location(commit: examples.first.map(h.id)),
        evidence: CadenceEvidence.RisingFixes(
          from: Timestamp(h.now - span), to: Timestamp(h.now), commits: recent.commits, fixes: recent.fixes, share: Figures.rounded(share),
          previousCommits: previous.commits, previousFixes: previous.fixes, previousShare: Figures.rounded(before),
          examples: examples.map(h.id))))
    }
    let wipShare = Prose.share(wip.count, humanCommits)
    if humanCommits >= h.rules.wip.minCommits, wipShare >= h.rules.wip.share {
      let examples = wip.sorted { h.times[$0] > h.times[$1] }.prefix(5)
      out.append(Finding(
        analyzer: CadenceAnalyzer.identifier, rule: "uninformative-messages", key: "wip", severity: .low,
        title: "\(Figures.percent(wipShare)) of commit messages say nothing about the work",
        message: "\(Figures.grouped(wip.count)) of \(Prose.count(humanCommits, "commit")) have messages like \"wip\" or \"fix\": the history cannot tell what changed or why. Latest: \(examples.map { "\(h.cite($0)) \"\(h.history.commits[$0].subject)\"" }.joined(separator: "; ")).",
        location: Location(commit: examples.first.map(h.id)),
        evidence: CadenceEvidence.Uninformative(
          commits: wip.count, of: humanCommits, share: Figures.rounded(wipShare), examples: examples.map(h.id))))
    }
    return out
  }
}
