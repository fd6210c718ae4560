import SalvageCore

/// When people work, on their own clock: the author time shifted by the commit's own UTC offset. Night
/// and weekend shares for the team and per person, and people whose recent work moved into off-hours
/// against their own earlier pattern. A +0000 offset is often a server, a CI job or a bot, not a person.
struct WorkingHours {
  struct Tally {
    var commits = 0
    var night = 0
    var weekend = 0
    var zeroOffset = 0
    var offHours = 0
  }

  let team: Tally
  let byHour: [Int]
  let byWeekday: [Int]
  /// By person id: all their commits, and those before / inside the recent window.
  let people: [Tally]
  let earlier: [Tally]
  let recent: [Tally]

  init(_ h: CadenceHistory) {
    let rules = h.rules.hours
    var team = Tally()
    var byHour = [Int](repeating: 0, count: 24), byWeekday = [Int](repeating: 0, count: 7)
    let blank = [Tally](repeating: Tally(), count: h.history.people.count)
    var people = blank, earlier = blank, recent = blank
    for i in 0..<h.count where h.times[i] <= h.now && h.isHuman(i) {
      // The three fields it needs, not a copy of the commit (which would retain its subject and lists).
      let authorTime = h.history.commits[i].authorTime, offset = h.history.commits[i].authorOffset, author = h.history.commits[i].author
      let local = authorTime + Int64(offset) * 60
      let day = UTC.day(of: local)
      let hour = Int((local - day * Period.secondsPerDay) / 3600)
      let weekday = Period.weekday(ofDay: day)
      byHour[hour] += 1
      byWeekday[weekday] += 1
      let night = rules.nightStart > rules.nightEnd ? (hour >= rules.nightStart || hour < rules.nightEnd)
        : (hour >= rules.nightStart && hour < rules.nightEnd)
      let weekend = weekday >= 5
      func count(_ tally: inout Tally) {
        tally.commits += 1
        if night { tally.night += 1 }
        if weekend { tally.weekend += 1 }
        if night || weekend { tally.offHours += 1 }
        if offset == 0 { tally.zeroOffset += 1 }
      }
      count(&team)
      let p = Int(author)
      count(&people[p])
      if h.inWindow(i, days: rules.recentDays) { count(&recent[p]) } else { count(&earlier[p]) }
    }
    self.team = team
    self.byHour = byHour
    self.byWeekday = byWeekday
    self.people = people
    self.earlier = earlier
    self.recent = recent
  }

  func personShare(_ p: Int, _ part: KeyPath<Tally, Int>) -> Double? {
    let tally = people[p]
    return tally.commits == 0 ? nil : Figures.rounded(Prose.share(tally[keyPath: part], tally.commits))
  }

  /// People whose off-hours share in the recent window rose by the rule's shift over their own past.
  func shifted(_ h: CadenceHistory) -> [Int] {
    let rules = h.rules.hours
    return people.indices.filter { p in
      recent[p].commits >= rules.minCommits && earlier[p].commits >= rules.minCommits
        && Prose.share(recent[p].offHours, recent[p].commits) - Prose.share(earlier[p].offHours, earlier[p].commits) >= rules.shift
    }
  }

  func figures(_ h: CadenceHistory) -> CadenceOutput.WorkingHours {
    let rules = h.rules.hours
    let share = { (part: Int, whole: Int) in Figures.rounded(Prose.share(part, whole)) }
    return .init(
      basis: "author time in the author's own UTC offset; people only", night: "\(rules.nightStart):00 to \(rules.nightEnd):00",
      commits: team.commits, nightCommits: team.night, nightShare: share(team.night, team.commits), weekendCommits: team.weekend,
      weekendShare: share(team.weekend, team.commits), zeroOffsetCommits: team.zeroOffset, zeroOffsetShare: share(team.zeroOffset, team.commits),
      byHour: byHour, byWeekday: byWeekday,
      shifted: shifted(h).map { p in
        .init(name: h.history.people[p].name, email: h.history.people[p].email, recentCommits: recent[p].commits,
              recentOffHoursShare: share(recent[p].offHours, recent[p].commits), earlierCommits: earlier[p].commits,
              earlierOffHoursShare: share(earlier[p].offHours, earlier[p].commits))
      })
  }

  private func caveat(_ zero: Int, _ commits: Int, _ h: CadenceHistory) -> String {
    let share = Prose.share(zero, commits)
    guard share >= h.rules.hours.zeroOffsetCaveat else { return "" }
    return " Caveat: \(Figures.percent(share)) of these commits carry a +0000 offset, which often means a server, a CI job or a bot rather than a person in London; their hours may not be local."
  }

  func findings(_ h: CadenceHistory) -> [Finding] {
    let rules = h.rules.hours
    var out: [Finding] = []
    let nightShare = Prose.share(team.night, team.commits), weekendShare = Prose.share(team.weekend, team.commits)
    if team.commits >= rules.minCommits, nightShare >= rules.nightShare || weekendShare >= rules.weekendShare {
      var parts: [String] = [], short: [String] = []
      if nightShare >= rules.nightShare {
        short.append("\(Figures.percent(nightShare)) at night")
        parts.append("\(Figures.percent(nightShare)) at night (\(Figures.grouped(team.night)) commits between \(rules.nightStart):00 and \(rules.nightEnd):00)")
      }
      if weekendShare >= rules.weekendShare {
        short.append("\(Figures.percent(weekendShare)) at weekends")
        parts.append("\(Figures.percent(weekendShare)) at weekends (\(Figures.grouped(team.weekend)) commits)")
      }
      let busiest = (0..<24).max { byHour[$0] != byHour[$1] ? byHour[$0] < byHour[$1] : $0 > $1 } ?? 0
      out.append(Finding(
        analyzer: CadenceAnalyzer.identifier, rule: "off-hours-work", key: "team", severity: .low,
        title: "Much of the work happens off hours: \(short.joined(separator: ", "))",
        message: "Of \(Prose.count(team.commits, "commit")) by people, on each author's own clock: \(parts.joined(separator: "; ")). The busiest hour is \(busiest):00. Sustained off-hours work points at deadline pressure or a team spread thin.\(caveat(team.zeroOffset, team.commits, h))",
        evidence: CadenceEvidence.OffHours(
          commits: team.commits, nightCommits: team.night, nightShare: Figures.rounded(nightShare), weekendCommits: team.weekend,
          weekendShare: Figures.rounded(weekendShare), zeroOffsetShare: Figures.rounded(Prose.share(team.zeroOffset, team.commits)))))
    }
    for p in shifted(h) {
      let person = h.history.people[p]
      let now = Prose.share(recent[p].offHours, recent[p].commits), before = Prose.share(earlier[p].offHours, earlier[p].commits)
      let latest = (0..<h.count).filter { Int(h.history.commits[$0].author) == p && h.inWindow($0, days: rules.recentDays) }
        .max { h.times[$0] < h.times[$1] }
      out.append(Finding(
        analyzer: CadenceAnalyzer.identifier, rule: "off-hours-shift", key: person.email.isEmpty ? person.name : person.email, severity: .low,
        title: "\(person.name) moved to nights and weekends: \(Figures.percent(now)) of recent commits, \(Figures.percent(before)) before",
        message: "In the last \(rules.recentDays) days (to \(UTC.date(h.now))) \(Figures.grouped(recent[p].offHours)) of \(person.name)'s \(Prose.count(recent[p].commits, "commit")) were at night or at a weekend on their own clock, against \(Figures.grouped(earlier[p].offHours)) of \(Figures.grouped(earlier[p].commits)) before. A change against one's own habit is a sign of crunch or burnout.\(caveat(recent[p].zeroOffset, recent[p].commits, h))",
        location: Location(commit: latest.map(h.id)),
        evidence: CadenceEvidence.OffHoursShift(
          name: person.name, recentCommits: recent[p].commits, recentOffHours: recent[p].offHours, earlierCommits: earlier[p].commits,
          earlierOffHours: earlier[p].offHours)))
    }
    return out
  }
}
