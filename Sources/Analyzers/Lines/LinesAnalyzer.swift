import Git
import SalvageCore

/// Line-level history: who wrote each surviving line (after identity merging), how old the code is
/// (a quarterly burndown, median ages, the half-life of new code) and the line-level rework, from the
/// line origins the Scanner follows through the history pass (`ScanContext.lines`). A pure function
/// of those, the history and the tip snapshot.
public struct LinesAnalyzer: Analyzer {
  public let id = "lines"
  public init() {}

  public func compile(_ rules: RuleSet) throws -> LinesRules { try LinesRules(rules) }

  public func lineTracking(_ rules: LinesRules) -> LineTracking? {
    LineTracking(reworkDays: rules.reworkDays, excludedClasses: rules.excludedClasses)
  }

  public func analyze(_ input: AnalysisInput, _ rules: LinesRules) throws -> Analysis<LinesOutput> {
    let context = input.context
    let figures = LineFigures(context: context, excludedClasses: rules.excludedClasses)
    return Analysis(figures.output(thresholds: rules.echoed), components: figures.components())
  }
}

/// The figures of one scan's line origins.
struct LineFigures {
  let context: ScanContext
  let origins: LineOrigins
  /// The analyzed tip files (their class not excluded), with their component.
  let files: [(file: LineOrigins.File, display: String, component: String)]
  let excludedClasses: Set<FileClass>

  init(context: ScanContext, excludedClasses: Set<FileClass>) {
    self.context = context
    self.excludedClasses = excludedClasses
    origins = context.lines ?? LineOrigins(reworkDays: 0, files: [], added: [], reworked: [], addedAt: [], reworkedAt: [],
                                           firstQuarter: 0, census: [])
    var files: [(file: LineOrigins.File, display: String, component: String)] = []
    for file in origins.files {
      guard let tip = context.snapshot.file(at: file.path), !excludedClasses.contains(tip.fileClass) else { continue }
      files.append((file, tip.displayPath, context.components.component(of: file.path)))
    }
    self.files = files
  }

  var history: History { context.history }

  func author(_ commit: Int32) -> PersonID { history.commits[Int(commit)].author }

  /// Lines per person among `runs`, most first (ties by e-mail, then name).
  func byPerson(_ runs: some Sequence<LineRun>) -> [(person: PersonID, lines: Int)] {
    var lines: [PersonID: Int] = [:]
    for run in runs { lines[author(run.commit), default: 0] += Int(run.count) }
    let people = history.people
    return lines.map { ($0.key, $0.value) }.sorted { a, b in
      if a.1 != b.1 { return a.1 > b.1 }
      let pa = people[Int(a.0)], pb = people[Int(b.0)]
      return pa.email != pb.email ? pa.email < pb.email : pa.name != pb.name ? pa.name < pb.name : a.0 < b.0
    }
  }

  /// The median age in whole days of the lines of `runs` (by their commits' author times), nil for none.
  func medianAge(_ runs: some Sequence<LineRun>) -> Int? {
    var ages: [(days: Int, lines: Int)] = []
    var total = 0
    for run in runs where run.count > 0 {
      ages.append((Int(max(0, context.now - history.commits[Int(run.commit)].authorTime) / 86400), Int(run.count)))
      total += Int(run.count)
    }
    guard total > 0 else { return nil }
    ages.sort { $0.days < $1.days }
    // The lower median: the age of line (total + 1) / 2 in age order.
    var seen = 0
    for (days, lines) in ages {
      seen += lines
      if 2 * seen >= total { return days }
    }
    return ages.last?.days
  }

  static func share(_ part: Int, _ whole: Int) -> Double { Figures.rounded(whole > 0 ? Double(part) / Double(whole) : 0) }

  func authors(_ list: [(person: PersonID, lines: Int)], total: Int) -> [LinesOutput.Author] {
    list.map { p in
      let person = history.people[Int(p.person)]
      return .init(name: person.name, email: person.email, lines: p.lines, share: Self.share(p.lines, total))
    }
  }

  func output(thresholds: LinesRules.Echoed) -> LinesOutput {
    let allRuns = files.lazy.flatMap(\.file.runs)
    var total = 0
    for run in allRuns { total += Int(run.count) }
    // The tip's lines by the quarter they were written in.
    var cohorts: [Int: Int] = [:]
    for run in allRuns { cohorts[LineOrigins.quarter(of: history.commits[Int(run.commit)].authorTime), default: 0] += Int(run.count) }
    let fileList = files.map { entry in
      let people = byPerson(entry.file.runs)
      return LinesOutput.File(path: entry.display, component: entry.component, lines: LineRuns.lineCount(entry.file.runs),
                              medianAgeDays: medianAge(entry.file.runs), authors: people.count,
                              topAuthor: people.first.map { history.people[Int($0.person)].name })
    }
    return LinesOutput(
      thresholds: thresholds, analyzedFiles: files.count, totalLines: total, authors: authors(byPerson(allRuns), total: total),
      medianAgeDays: medianAge(allRuns),
      age: cohorts.keys.sorted().map { .init(quarter: LineOrigins.quarterLabel($0), lines: cohorts[$0]!) },
      burndown: burndown(), halfLifeDays: halfLifeDays(), rework: rework(), files: fileList)
  }

  func burndown() -> LinesOutput.Burndown {
    let count = origins.census.count
    return .init(quarters: (0..<count).map { LineOrigins.quarterLabel(origins.firstQuarter + $0) },
                 alive: origins.census.enumerated().map { k, row in Array(row.prefix(k + 1)) + Array(repeating: 0, count: max(0, k + 1 - row.count)) })
  }

  /// Product-limit survival of lines by age in quarters, over the cohorts seen at both ends of each
  /// step; the half-life interpolated within the quarter where survival falls below one half.
  func halfLifeDays() -> Int? {
    let census = origins.census
    let n = census.count
    var survival = 1.0
    for age in 1..<max(1, n) {
      var before = 0, after = 0
      for b in 0..<(n - age) {
        before += census[b + age - 1][b]
        after += census[b + age][b]
      }
      guard before > 0 else { continue }
      let next = survival * Double(after) / Double(before)
      if next < 0.5 {
        let quarters = Double(age - 1) + (survival - 0.5) / (survival - next)
        return Int((quarters * 365.2425 / 4).rounded())
      }
      survival = next
    }
    return nil
  }

  func rework() -> LinesOutput.ReworkFigures {
    var added = 0, reworked = 0
    var byPerson: [PersonID: (added: Int, reworked: Int)] = [:]
    var byQuarter: [Int: (added: Int, reworked: Int)] = [:]
    for c in origins.added.indices where origins.added[c] > 0 || origins.reworked[c] > 0 {
      let a = Int(origins.added[c]), r = Int(origins.reworked[c])
      added += a
      reworked += r
      let commit = history.commits[c]
      byPerson[commit.author, default: (0, 0)].added += a
      byPerson[commit.author, default: (0, 0)].reworked += r
      let q = LineOrigins.quarter(of: commit.authorTime)
      byQuarter[q, default: (0, 0)].added += a
      byQuarter[q, default: (0, 0)].reworked += r
    }
    let people = history.people
    let personList = byPerson.sorted { a, b in
      if a.value.added != b.value.added { return a.value.added > b.value.added }
      let pa = people[Int(a.key)], pb = people[Int(b.key)]
      return pa.email != pb.email ? pa.email < pb.email : pa.name != pb.name ? pa.name < pb.name : a.key < b.key
    }.map { p in
      LinesOutput.PersonRework(name: people[Int(p.key)].name, email: people[Int(p.key)].email, added: p.value.added,
                               reworked: p.value.reworked, share: Self.share(p.value.reworked, p.value.added))
    }
    return .init(
      days: origins.reworkDays, overall: .init(added: added, reworked: reworked, share: Self.share(reworked, added)), byPerson: personList,
      byQuarter: byQuarter.keys.sorted().map { q in
        let v = byQuarter[q]!
        return .init(quarter: LineOrigins.quarterLabel(q), added: v.added, reworked: v.reworked, share: Self.share(v.reworked, v.added))
      })
  }

  func components() -> [String: LinesOutput.Component] {
    var members: [String: [Int]] = [:]
    for (f, entry) in files.enumerated() { members[entry.component, default: []].append(f) }
    // Rework where it happened, by component of the path (its class by path only: the file may be gone).
    var rework: [String: (added: Int, reworked: Int)] = [:]
    for (path, lines) in origins.addedAt where counted(path) { rework[context.components.component(of: path), default: (0, 0)].added += lines }
    for (path, lines) in origins.reworkedAt where counted(path) {
      rework[context.components.component(of: path), default: (0, 0)].reworked += lines
    }
    var out: [String: LinesOutput.Component] = [:]
    for (component, list) in members {
      let runs = list.lazy.flatMap { files[$0].file.runs }
      var lines = 0
      for run in runs { lines += Int(run.count) }
      let r = rework[component] ?? (0, 0)
      out[component] = .init(lines: lines, medianAgeDays: medianAge(runs), authors: authors(Array(byPerson(runs).prefix(3)), total: lines),
                             reworkAdded: r.added, reworked: r.reworked, reworkShare: Self.share(r.reworked, r.added))
    }
    return out
  }

  func counted(_ path: [UInt8]) -> Bool { !excludedClasses.contains(context.classifier.classify(path, content: nil)) }
}
