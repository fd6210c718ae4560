import SalvageCore

/// Commits, active people and lines changed over time: every ISO week (Monday, UTC) and every month
/// from the first commit to the last, empty ones included, and the recent trend.
struct ActivitySeries {
  struct Week {
    var commits = 0
    var botCommits = 0
    var authors = 0
    var linesChanged = 0
    var activeDays = 0
  }

  struct Month {
    var commits = 0
    var authors = 0
  }

  /// A window ending at "now" against the window of the same length before it; human work only.
  struct Window {
    let label: String
    let days: Int
    let commits: Trend
    let authors: Trend
    let linesChanged: Trend
  }

  let firstTime: Int64
  let firstMonday: Int64
  let weeks: [Week]
  let firstMonth: Int
  let months: [Month]
  let recent: Window
  let year: Window

  init(_ h: CadenceHistory) {
    firstTime = h.firstTime
    guard h.count > 0 else {
      firstMonday = 0
      weeks = []
      firstMonth = 0
      months = []
      recent = Window(label: "last 90 days", days: 90, commits: Trend(current: 0, previous: 0), authors: Trend(current: 0, previous: 0),
                      linesChanged: Trend(current: 0, previous: 0))
      year = Window(label: "last 12 months", days: 365, commits: recent.commits, authors: recent.authors, linesChanged: recent.linesChanged)
      return
    }
    firstMonday = Period.monday(ofDay: UTC.day(of: h.firstTime))
    let weekCount = Int((Period.monday(ofDay: UTC.day(of: h.lastTime)) - firstMonday) / 7) + 1
    firstMonth = Period.month(ofDay: UTC.day(of: h.firstTime))
    let monthCount = Period.month(ofDay: UTC.day(of: h.lastTime)) - firstMonth + 1
    var weeks = [Week](repeating: Week(), count: weekCount)
    var months = [Month](repeating: Month(), count: monthCount)
    // Pair tables rather than sets: three look-ups per commit of the history, without SipHash. Days are
    // counted from the first one, so that the keys are never negative.
    let weekAuthors = PairTable(), monthAuthors = PairTable(), days = PairTable()
    let firstDay = UTC.day(of: h.firstTime)
    for i in 0..<h.count {
      let day = UTC.day(of: h.times[i])
      let w = Int((day - firstMonday) / 7)
      let m = Period.month(ofDay: day) - firstMonth
      let author = Int64(h.history.commits[i].author)
      weeks[w].commits += 1
      weeks[w].linesChanged += h.lines[i]
      months[m].commits += 1
      if days.insert(day - firstDay) { weeks[w].activeDays += 1 }
      if h.isHuman(i) {
        if weekAuthors.insert(Int64(w) << 32 | author) { weeks[w].authors += 1 }
        if monthAuthors.insert(Int64(m) << 32 | author) { months[m].authors += 1 }
      } else {
        weeks[w].botCommits += 1
      }
    }
    self.weeks = weeks
    self.months = months
    recent = Self.window(h, label: "last 90 days", days: 90)
    year = Self.window(h, label: "last 12 months", days: 365)
  }

  private static func window(_ h: CadenceHistory, label: String, days: Int) -> Window {
    var commits = (0, 0), lines = (0, 0)
    var current = Set<PersonID>(), previous = Set<PersonID>()
    for i in 0..<h.count where h.isHuman(i) {
      if h.inWindow(i, days: days) {
        commits.0 += 1
        lines.0 += h.lines[i]
        current.insert(h.history.commits[i].author)
      } else if h.inWindow(i, days: days, endingDaysAgo: days) {
        commits.1 += 1
        lines.1 += h.lines[i]
        previous.insert(h.history.commits[i].author)
      }
    }
    return Window(label: label, days: days, commits: Trend(current: commits.0, previous: commits.1),
                  authors: Trend(current: current.count, previous: previous.count),
                  linesChanged: Trend(current: lines.0, previous: lines.1))
  }

  var weekly: [CadenceOutput.Week] {
    weeks.enumerated().map { w, week in
      .init(week: UTC.date((firstMonday + Int64(w) * 7) * Period.secondsPerDay), commits: week.commits, botCommits: week.botCommits,
            authors: week.authors, linesChanged: week.linesChanged, activeDays: week.activeDays)
    }
  }

  var monthly: [CadenceOutput.Month] {
    months.enumerated().map { m, month in .init(month: Period.monthLabel(firstMonth + m), commits: month.commits, authors: month.authors) }
  }

  func windowFigures(_ window: Window, now: Int64, flatBand: Double) -> CadenceOutput.Window {
    let span = Int64(window.days) * Period.secondsPerDay
    return .init(
      days: window.days, from: Timestamp(now - span), to: Timestamp(now), previousFrom: Timestamp(now - 2 * span),
      commits: window.commits.figures(flatBand: flatBand), authors: window.authors.figures(flatBand: flatBand),
      linesChanged: window.linesChanged.figures(flatBand: flatBand), comparable: firstTime <= now - 2 * span,
      summary: summary(window, now: now, flatBand: flatBand))
  }

  /// "Commits down 45% (12 in the last 90 days against 22 in the 90 days before); people flat ...".
  func summary(_ window: Window, now: Int64, flatBand: Double) -> String {
    let before = window.days == 365 ? "the 12 months before" : "the \(window.days) days before"
    func part(_ name: String, _ trend: Trend) -> String {
      "\(name) \(trend.phrase(flatBand: flatBand)) (\(Figures.grouped(trend.current)) in the \(window.label) against \(Figures.grouped(trend.previous)) in \(before))"
    }
    var text = [part("commits", window.commits), part("active people", window.authors), part("lines changed", window.linesChanged)]
      .joined(separator: "; ")
    if firstTime > now - 2 * Int64(window.days) * Period.secondsPerDay {
      text += ". The history starts on \(UTC.date(firstTime)), inside the earlier window, so the comparison says little"
    }
    return text.prefix(1).uppercased() + text.dropFirst() + "."
  }

  /// Delivery is stalling when human commits fall by the rule's drop against a window that held
  /// enough work to compare with.
  func findings(_ h: CadenceHistory) -> [Finding] {
    let rules = h.rules.trend
    var out: [Finding] = []
    for (window, drop, key) in [(recent, rules.stallDrop90d, "90d"), (year, rules.stallDrop12m, "12m")] {
      let trend = window.commits
      guard trend.previous >= rules.stallMinCommits, let change = trend.change, change <= -drop else { continue }
      let span = Int64(window.days) * Period.secondsPerDay
      let severity: Severity = trend.current == 0 ? .high : (change <= -0.75 ? .medium : .low)
      let title = key == "90d" ? "Delivery is stalling: commits fell \(Figures.percent(-change)) in the last 90 days"
        : "Delivery slowed over the year: commits fell \(Figures.percent(-change)) in the last 12 months"
      var message = "\(Prose.count(trend.current, "commit")) landed from \(UTC.date(h.now - span)) to \(UTC.date(h.now)), against "
      message += "\(Figures.grouped(trend.previous)) from \(UTC.date(h.now - 2 * span)) to \(UTC.date(h.now - span)); "
      message += "active people went from \(window.authors.previous) to \(window.authors.current). "
      if let last = lastHumanCommit(h) { message += "The last commit by a person is \(h.cite(last, author: true))." }
      out.append(Finding(
        analyzer: CadenceAnalyzer.identifier, rule: "stalling-delivery", key: key, severity: severity, title: title, message: message,
        location: Location(commit: lastHumanCommit(h).map(h.id)),
        evidence: CadenceEvidence.Stall(
          window: window.label, from: Timestamp(h.now - span), to: Timestamp(h.now), previousFrom: Timestamp(h.now - 2 * span),
          commits: trend.current, previousCommits: trend.previous, authors: window.authors.current, previousAuthors: window.authors.previous,
          change: Figures.rounded(change))))
    }
    return out
  }

  private func lastHumanCommit(_ h: CadenceHistory) -> Int? {
    var best: Int?
    for i in 0..<h.count where h.isHuman(i) && h.times[i] <= h.now {
      if best.map({ h.times[i] > h.times[$0] }) ?? true { best = i }
    }
    return best
  }
}
