import SalvageCore

/// The team over time: who came and went each quarter, how long people stay, and how much of the work
/// was done by people who stayed less than a month (churned freelancers or agencies). Bots apart.
struct Team {
  struct Member {
    var first = Int64.max
    var last = Int64.min
    var commits = 0
    var lastCommit = 0
  }

  struct Quarter {
    var joined = 0
    var left = 0
    var active = 0
  }

  /// By person id; people without commits (co-authors only, committers) have `commits == 0`.
  let members: [Member]
  let humans: [Int]
  let bots: [Int]
  let firstQuarter: Int
  let quarters: [Quarter]
  let shortStay: [Int]
  let humanCommits: Int

  init(_ h: CadenceHistory) {
    let rules = h.rules.team
    var members = [Member](repeating: Member(), count: h.history.people.count)
    var humanCommits = 0
    for i in 0..<h.count where h.times[i] <= h.now {
      let p = Int(h.history.commits[i].author)
      members[p].commits += 1
      if h.times[i] < members[p].first { members[p].first = h.times[i] }
      if h.times[i] >= members[p].last {
        members[p].last = h.times[i]
        members[p].lastCommit = i
      }
      if !h.isBot[p] { humanCommits += 1 }
    }
    self.members = members
    self.humanCommits = humanCommits
    let active = members.indices.filter { members[$0].commits > 0 }
    humans = active.filter { !h.isBot[$0] }
    bots = active.filter { h.isBot[$0] }
    let leftBefore = h.now - Int64(rules.leftAfterDays) * Period.secondsPerDay
    firstQuarter = Period.quarter(ofDay: UTC.day(of: h.firstTime))
    let count = h.count == 0 ? 0 : Period.quarter(ofDay: UTC.day(of: min(h.lastTime, h.now))) - firstQuarter + 1
    var quarters = [Quarter](repeating: Quarter(), count: max(count, 0))
    // A pair table rather than a set: one look-up per commit, without SipHash.
    let activeIn = PairTable()
    for i in 0..<h.count where h.times[i] <= h.now && h.isHuman(i) {
      let q = Period.quarter(ofDay: UTC.day(of: h.times[i])) - firstQuarter
      if activeIn.insert(Int64(q) << 32 | Int64(h.history.commits[i].author)) { quarters[q].active += 1 }
    }
    for p in humans {
      quarters[Period.quarter(ofDay: UTC.day(of: members[p].first)) - firstQuarter].joined += 1
      if members[p].last <= leftBefore { quarters[Period.quarter(ofDay: UTC.day(of: members[p].last)) - firstQuarter].left += 1 }
    }
    self.quarters = quarters
    shortStay = humans.filter {
      let m = members[$0]
      return m.last <= leftBefore && Period.days(from: m.first, to: m.last) < rules.shortStayDays && m.commits >= rules.shortStayMinCommits
    }.sorted { members[$0].commits != members[$1].commits ? members[$0].commits > members[$1].commits : $0 < $1 }
  }

  func tenure(_ p: Int) -> Int { Period.days(from: members[p].first, to: members[p].last) }

  var shortStayCommits: Int { shortStay.reduce(0) { $0 + members[$1].commits } }

  func contributors(_ h: CadenceHistory, hours: WorkingHours) -> [CadenceOutput.Contributor] {
    let leftBefore = h.now - Int64(h.rules.team.leftAfterDays) * Period.secondsPerDay
    let short = Set(shortStay)
    let order = (humans + bots).sorted { a, b in
      let ma = members[a], mb = members[b]
      if ma.commits != mb.commits { return ma.commits > mb.commits }
      let pa = h.history.people[a], pb = h.history.people[b]
      return pa.name != pb.name ? pa.name < pb.name : pa.email < pb.email
    }
    return order.map { p in
      let m = members[p], person = h.history.people[p]
      return .init(
        name: person.name, email: person.email, first: Timestamp(m.first), last: Timestamp(m.last), commits: m.commits, bot: h.isBot[p],
        tenureDays: tenure(p), left: m.last <= leftBefore, shortStay: short.contains(p), nightShare: hours.personShare(p, \.night),
        weekendShare: hours.personShare(p, \.weekend))
    }
  }

  func figures(_ h: CadenceHistory) -> CadenceOutput.Team {
    let tenures = humans.map { Double(tenure($0)) }
    let rules = h.rules.team
    return .init(
      people: humans.count, bots: bots.count, humanCommits: humanCommits, botCommits: bots.reduce(0) { $0 + members[$1].commits },
      medianTenureDays: tenures.isEmpty ? nil : Figures.rounded(ReleaseCadence.median(tenures), places: 1),
      peopleWithOneCommit: humans.filter { members[$0].commits == 1 }.count, leftRule: "no commit in the last \(rules.leftAfterDays) days",
      shortStay: .init(
        rule: "active less than \(rules.shortStayDays) days, at least \(rules.shortStayMinCommits) commits, gone for \(rules.leftAfterDays) days",
        people: shortStay.count, commits: shortStayCommits, share: Figures.rounded(Prose.share(shortStayCommits, humanCommits))),
      quarters: quarters.enumerated().map { q, quarter in
        .init(quarter: Period.quarterLabel(firstQuarter + q), joined: quarter.joined, left: quarter.left, active: quarter.active)
      })
  }

  func findings(_ h: CadenceHistory) -> [Finding] {
    let rules = h.rules.team
    let share = Prose.share(shortStayCommits, humanCommits)
    guard !shortStay.isEmpty, share >= rules.shortStayShare else { return [] }
    let shown = PersonNames(h.history.people)
    let listed = shortStay.prefix(5).map { p in
      let m = members[p]
      return "\(shown[p]) (\(Prose.count(m.commits, "commit")) from \(UTC.date(m.first)) to \(UTC.date(m.last)), \(Prose.days(tenure(p))))"
    }
    return [Finding(
      analyzer: CadenceAnalyzer.identifier, rule: "short-stay-contributors", key: "team", severity: share >= 2 * rules.shortStayShare ? .medium : .low,
      title: "\(Figures.percent(share)) of the work is by people who stayed less than \(Prose.days(rules.shortStayDays))",
      message: "\(Prose.count(shortStay.count, "person", "people")) made \(Figures.grouped(shortStayCommits)) of \(Prose.count(humanCommits, "commit")) within less than \(Prose.days(rules.shortStayDays)) and left: \(listed.joined(separator: "; ")). Code written by short-stay freelancers or agencies has nobody left who knows it.",
      location: Location(commit: shortStay.first.map { h.id(members[$0].lastCommit) }),
      evidence: CadenceEvidence.ShortStay(
        share: Figures.rounded(share), commits: shortStayCommits, of: humanCommits,
        people: shortStay.map { p in
          .init(name: h.history.people[p].name, email: h.history.people[p].email, first: Timestamp(members[p].first),
                last: Timestamp(members[p].last), commits: members[p].commits, tenureDays: tenure(p), lastCommit: h.id(members[p].lastCommit))
        }))]
  }
}
