import Analyzers
import SalvageCore

/// Everything the human-readable formats (terminal, Markdown, HTML) show, as data: sections of key
/// figures, tables, lists and charts, every figure formatted and every sentence written once, so that
/// the formats say the same things. A section an analyzer did not feed carries its "not assessed"
/// sentence instead.
struct HumanDocument: Sendable {
  /// "label: value", one key figure.
  struct Figure: Sendable { let label: DocText; let value: DocText }
  /// A section of key figures, or why there are none.
  struct FigureList: Sendable {
    let figures: [Figure]?
    let notAssessed: DocText
  }

  typealias Paragraph = DocText

  /// A grade as printed, and the tone it is coloured in (grade names come from the rules, which a
  /// repository's `.salvage.toml` may overlay: they are text like any other).
  struct GradeMark: Sendable {
    let text: DocText
    let tone: Tone
  }

  enum Tone: Sendable { case a, b, c, d, f, none }

  struct Week: Sendable {
    /// "2024-01-01"
    let label: DocText
    let year: Int
    let month: Int
    let day: Int
    let commits: Int
  }

  struct KeepSegment: Sendable {
    let verdict: Verdict
    /// "1,234 lines"
    let lines: DocText
    let share: Double
  }

  /// The size of the code base, from the inventory.
  struct CodeBase: Sendable {
    let fileCount: Int
    let lineCount: Int
    let authorCount: Int
    let files: DocText
    let lines: DocText
    let authors: DocText
    let tags: DocText
    /// The largest languages by lines, with their lines.
    let languages: [(name: DocText, lines: DocText)]

    var figures: [Figure] {
      var out = [Figure(label: "Files", value: files), Figure(label: "Lines", value: lines),
                 Figure(label: "Authors (every commit author, bots included)", value: authors), Figure(label: "Tags", value: tags)]
      if !languages.isEmpty { out.append(Figure(label: "Languages (lines)", value: languageList)) }
      return out
    }

    /// "Python 1,002, JavaScript 270"
    var languageList: DocText { languages.map { "\($0.name) \($0.lines)" as DocText }.joined(separator: ", ") }
  }

  struct Risk: Sendable {
    let title: DocText
    let detail: DocText
  }

  struct Action: Sendable {
    let text: DocText
    let effort: Effort
  }

  /// What the overall grade rests on.
  struct Summary: Sendable {
    let grade: GradeMark?
    let score: Int?
    let headline: DocText
    let caps: [DocText]
    /// Lines per verdict, when any component was assessed.
    let keep: Keep?
    let risks: [Risk]
    let noRisk: DocText
    let horizons: [(horizon: Horizon, actions: [Action])]
    let nothingHere: DocText
    /// nil when the inventory analyzer did not run.
    let codeBase: CodeBase?
  }

  struct Keep: Sendable {
    let share: DocText
    /// Every verdict in order, with its lines.
    let lines: [(verdict: Verdict, lines: DocText)]
    /// The verdicts that hold code, with their share of it (the bar).
    let segments: [KeepSegment]
  }

  struct MeasureRow: Sendable {
    let title: DocText
    /// The fact in its unit; nil when unknown.
    let value: DocText?
    let score: Int?
  }

  struct AreaRow: Sendable {
    let title: DocText
    let grade: GradeMark?
    let score: Int?
    let notAssessed: DocText?
    let measures: [MeasureRow]
    /// The measures that scored.
    var scored: [MeasureRow] { measures.filter { $0.score != nil } }
  }

  struct ComponentRow: Sendable {
    let path: DocText
    let loc: Int
    let lines: DocText
    let verdict: Verdict
    /// The verdict rule's explanation as a sentence (empty when there is none).
    let summary: DocText
    let reasons: [DocText]
    let confidence: Confidence
    /// "High confidence: decided by hotspot-heavy and rework; also untested." and what counts against it.
    let basis: DocText
  }

  struct Delivery: Sendable {
    /// Commits per week, for the chart.
    let weekly: [Week]?
    let figures: FigureList
    /// The most commits in a week.
    var peak: DocText { "\(Figures.grouped(weekly?.map(\.commits).max() ?? 0))" }
  }

  struct HotspotRow: Sendable {
    let path: DocText
    /// The hotspot analyzer's rank, the one every finding quotes.
    let rank: Int
    let score: Double
    let revisions: Int
    let loc: Int
    let complexity: Int
    let hot: Bool
    var lines: DocText { "\(Figures.grouped(loc))" }
    var revisionsText: DocText { "\(Figures.grouped(revisions))" }
    var complexityText: DocText { "\(Figures.grouped(complexity))" }
    var scoreText: DocText { "\(Figures.ratio(score))" }
  }

  struct Hotspots: Sendable {
    /// The ten highest scores, highest first; nil when the analyzer gave no file list.
    let top: [HotspotRow]?
    let notAssessed: DocText
  }

  /// The tip's lines by who wrote them and when, and the line-level rework.
  struct Lines: Sendable {
    let figures: FigureList
    /// Nil when the lines were not followed or the history is under two quarters.
    let burndown: Burndown?
  }

  /// Lines alive at the end of each period by the period they were written in (years when the history
  /// spans more than twelve quarters, else quarters); `alive[k][b]` for periods `k >= b`.
  struct Burndown: Sendable {
    let periods: [DocText]
    let alive: [[Int]]
    /// "quarter" or "year".
    let unit: DocText
  }

  struct SecretRow: Sendable {
    let title: DocText
    /// path:line (introduced in commit)
    let place: DocText
    let preview: DocText
    let live: Bool
    /// A live credential; test, example, public and expired values are listed in the appendix.
    let counted: Bool
  }

  struct Secrets: Sendable {
    /// nil when the secrets analyzer did not run.
    let rows: [SecretRow]?
    let none: DocText
    /// What the table of credentials is preceded by.
    let intro: DocText
    let notAssessed: DocText
  }

  struct VulnerabilityRow: Sendable {
    /// "lodash 4.17.20"
    let package: DocText
    /// "GHSA-… (CVE-…)"
    let advisory: DocText
    /// "critical (CVSS 9.8)"
    let severity: DocText
    /// "4.17.21", or "none recorded"
    let fixed: DocText
    /// "direct" or "transitive"
    let dependency: DocText
    /// "2023-04-01 (250 days)", or "not seen in the history's lockfile lines"
    let since: DocText
    let lockfile: DocText
  }

  struct Vulnerabilities: Sendable {
    /// What was checked against what; nil when not assessed.
    let figures: [Figure]?
    let rows: [VulnerabilityRow]
    let none: DocText
    let notAssessed: DocText
  }

  /// One finding, as the appendix lists it and a group quotes it.
  struct FindingRow: Sendable {
    let severity: Severity
    let title: DocText
    let message: DocText
    /// path:line, or empty.
    let place: DocText
    /// "path:line · commit 1a2b3c4d5e6f", or empty.
    let location: DocText
    /// What the terminal and a group's list add after the title: nil when the title names the path already.
    let terminalPlace: DocText?
    /// What the CI formats (SARIF, GitHub annotations and job summary, CI lines) also need.
    let machine: MachineFields
  }

  /// A finding's identity and place as SARIF and the CI formats write them: rule ids can come from a
  /// repository's own rules and paths from anyone, so they are text like the rest.
  struct MachineFields: Sendable {
    let id: DocText
    let analyzer: DocText
    let rule: DocText
    let path: DocText?
    let line: Int?
    /// Accepted in the baseline: listed, not counted, no annotation.
    let suppressed: Bool
  }

  /// What only the CI formats show.
  struct CISection: Sendable {
    /// "Changes against `base`: 3 commits, 5 files." in CI mode (`--base`), else nil.
    let change: DocText?
    /// The tip's commit, for SARIF's run.
    let revision: DocText?
    /// Where SARIF places a repository-wide finding: the README, else the first file of the tree.
    let fallbackPath: DocText
  }

  /// The findings one remediation answers, the most severe first: the remediation is printed once.
  struct FindingGroup: Sendable {
    /// "A" + number: where the appendix lists every finding of the group.
    let anchor: DocText
    /// The remediation's action, or the finding's title when no rule of its own answers it.
    let heading: DocText
    let remediation: DocText
    let severity: Severity
    let effort: Effort
    let horizon: Horizon
    let rows: [FindingRow]
    /// "3 findings"
    let count: DocText
  }

  struct FindingsSection: Sendable {
    /// Every finding, most severe first, for the terminal.
    let rows: [FindingRow]
    let groups: [FindingGroup]
    let none: DocText
    let efforts: DocText
    /// "12 findings in 5 groups"
    let tally: DocText
    /// How many findings a group shows in the body; the appendix lists them all.
    static let shownPerGroup = 3
  }

  struct MeasureRule: Sendable {
    let title: DocText
    let weight: DocText
    let bands: DocText
  }

  struct AreaRule: Sendable {
    let title: DocText
    let weight: DocText
    let source: DocText?
    let measures: [MeasureRule]
  }

  struct GradeRule: Sendable {
    let grade: GradeMark
    let minimum: Int
    let meaning: DocText
  }

  struct Method: Sendable {
    /// What was read and how the scores are made.
    let paragraphs: [Paragraph]
    let grades: [GradeRule]
    let areas: [AreaRule]
    /// The caps as one sentence, nil when there are none.
    let caps: DocText?
    /// How the component verdicts are reached.
    let verdicts: Paragraph
    let notes: [DocText]
  }

  let name: DocText
  /// The day every age is counted to: "2024-12-20".
  let asOf: DocText
  /// "as of 2024-12-20: commit 1a2b3c4d5e6f on main, 240 commits from 2024-01-01 to 2024-12-20"
  let scope: DocText
  let path: DocText
  /// The terminal's first lines: the tip and the size of the code base.
  let terminalHeader: [DocText]
  let summary: Summary
  let areas: [AreaRow]
  /// Every component, largest first.
  let components: [ComponentRow]
  /// "(32% of the code worth keeping)", nil when no component was assessed.
  let keepShare: DocText?
  let delivery: Delivery
  let hotspots: Hotspots
  let ownership: FigureList
  let lines: Lines
  let tests: FigureList
  let dependencies: FigureList
  let vulnerabilities: Vulnerabilities
  let licences: FigureList
  let secrets: Secrets
  let findings: FindingsSection
  let ci: CISection
  let method: Method
  /// The areas without a grade.
  let notAssessedAreas: [DocText]
  let footer: DocText

  /// What every layout renders this document's text with: the scan's secret rules and the built-in
  /// credential shapes.
  let redactor: Redactor

  /// How many components the body of the printed report lists; the appendix lists them all.
  static let componentsInBody = 10
  /// The components the body lists: the largest.
  var leadingComponents: ArraySlice<ComponentRow> { components.prefix(Self.componentsInBody) }
}

extension HumanDocument {
  init(_ scan: ScanResult, assessment a: Assessment, findings: [ReportFinding], redactor: Redactor) {
    self.redactor = redactor
    let facts = ScanFacts(scan: scan)
    let repo = scan.context.repository
    let day = UTC.date(scan.context.now)
    name = "\(Self.name(repo.path))"
    asOf = "\(day)"
    scope = Self.scope(repo, asOf: day)
    path = "\(repo.path)"
    let codeBase = Self.codeBase(facts)
    terminalHeader = Self.terminalHeader(repo, codeBase: codeBase)
    var keep: Keep?
    if let share = a.keepShare {
      let total = max(1, a.linesByVerdict.values.reduce(0, +))
      keep = Keep(share: "\(Figures.percent(share))",
                  lines: Verdict.allCases.map { ($0, "\(Figures.grouped(a.linesByVerdict[$0] ?? 0))") },
                  segments: Verdict.allCases.compactMap { v in
                    let lines = a.linesByVerdict[v] ?? 0
                    return lines > 0 ? KeepSegment(verdict: v, lines: "\(Words.count(lines, "line"))", share: Double(lines) / Double(total)) : nil
                  })
    }
    let grade = { (g: String?) in g.map { GradeMark(text: "\($0)", tone: Self.tone($0)) } }
    summary = Summary(grade: grade(a.grade), score: a.score, headline: "\(a.headline)", caps: a.caps.map { "\($0)" }, keep: keep,
                      risks: a.risks.map { Risk(title: "\($0.title)", detail: "\($0.detail)") },
                      noRisk: "No significant risk was found in the areas assessed.",
                      horizons: Horizon.allCases.map { h in (h, a.actions.filter { $0.horizon == h }.map { Action(text: "\($0.text)", effort: $0.effort) }) },
                      nothingHere: "Nothing the scan found belongs here.", codeBase: codeBase)

    areas = a.areas.map { area in
      AreaRow(title: "\(area.area.title)", grade: grade(area.grade), score: area.score, notAssessed: area.notAssessed.map { "\($0)" },
              measures: area.measures.map { m in
                MeasureRow(title: "\(m.measure.title)", value: m.value.map { "\(Words.value($0, unit: m.measure.unit))" }, score: m.score.map { Int($0) })
              })
    }
    components = a.components.sorted { $0.loc != $1.loc ? $0.loc > $1.loc : $0.path < $1.path }.map { c in
      ComponentRow(path: "\(c.path)", loc: c.loc, lines: "\(Figures.grouped(c.loc))", verdict: c.verdict,
                   summary: c.summary.isEmpty ? .empty : "\(Words.capitalized(c.summary)).", reasons: c.reasons.map { "\($0.text)" },
                   confidence: c.confidence, basis: "\(Self.basis(c))")
    }
    keepShare = a.keepShare.map { " (\(Figures.percent($0)) of the code worth keeping)" }

    func notAssessed(_ id: String) -> DocText {
      facts.ran(id) ? "Not assessed: the \(id) analyzer gave none of the figures this section shows."
        : "Not assessed: the \(id) analyzer did not run in this scan."
    }
    delivery = Delivery(weekly: Self.weekly(facts), figures: FigureList(figures: Self.cadence(facts), notAssessed: notAssessed("cadence")))
    hotspots = Hotspots(top: Self.hotspots(facts), notAssessed: notAssessed("hotspots"))
    ownership = FigureList(figures: Self.ownership(facts), notAssessed: notAssessed("ownership"))
    lines = Lines(figures: FigureList(figures: Self.lines(facts), notAssessed: notAssessed("lines")), burndown: Self.burndown(facts))
    tests = FigureList(figures: Self.tests(facts, assessment: a), notAssessed: notAssessed("tests"))
    dependencies = FigureList(figures: Self.dependencies(facts), notAssessed: notAssessed("dependencies"))
    vulnerabilities = Self.vulnerabilities(facts, notAssessed: facts.notAssessed("vulnerabilities").map { "Not assessed: \($0)." }
      ?? notAssessed("vulnerabilities"))
    licences = FigureList(figures: Self.licences(facts), notAssessed: notAssessed("licences"))
    secrets = Secrets(rows: facts.ran("secrets") ? Self.secrets(findings) : nil,
                      none: "No credential was found in the tip tree or in history.",
                      intro: "Values are never shown whole: a redacted preview only. Every one must be rotated, including those left only in history.",
                      notAssessed: notAssessed("secrets"))
    let groups = Self.groups(findings)
    self.findings = FindingsSection(
      rows: findings.map(Self.row), groups: groups, none: "No findings.",
      efforts: "Efforts are estimates: small = \(Effort.small.meaning), medium = \(Effort.medium.meaning), large = \(Effort.large.meaning).",
      tally: "\(Words.count(findings.count, "finding")) in \(Words.count(groups.count, "group")), each with one remediation; Appendix A lists every finding with its details.")
    let files = scan.context.snapshot.files.map(\.displayPath).sorted()
    ci = CISection(change: scan.context.change.map { "Changes against \(code: $0.base): \(Words.count($0.commits.count, "commit")), \(Words.count($0.paths.count, "file"))." },
                   revision: repo.head.map { "\($0)" },
                   fallbackPath: "\(files.first { $0.lowercased().hasPrefix("readme") } ?? files.first ?? "README.md")")
    method = Method(
      paragraphs: [
        "Scanned: \(code: repo.path), \(self.scope). Salvage reads the repository read-only through libgit2: its history (one pass over every commit) and its tip tree. It runs nothing and sees no issue tracker, CI service or production system. Every age is counted to \(day), the day the report is dated.",
        "Each area's score is the weighted mean of its measures' scores (0 to 100); each measure scores a fact by the bands in the appendix. The overall score is the weighted mean of the assessed areas, capped where a single fact rules out a better grade. A low score means higher maintenance effort and defect risk, not imminent failure: read it with the context of the business.",
      ],
      grades: a.rules.grades.map { GradeRule(grade: GradeMark(text: "\($0.grade)", tone: Self.tone($0.grade)), minimum: Int($0.minimum), meaning: "\($0.meaning)") },
      areas: a.areas.map { area in
        AreaRule(title: "\(area.area.title)", weight: "\(Figures.ratio(area.area.weight))", source: area.source.map { "\($0)" },
                 measures: area.area.measures.map { MeasureRule(title: "\($0.title)", weight: "\(Figures.ratio($0.weight))", bands: "\(Words.bands($0))") })
      },
      caps: a.rules.caps.isEmpty ? nil : "\(a.rules.caps.map { Words.capitalized($0.reason) }.joined(separator: "; "))",
      verdicts: """
        Component verdicts: \(strong: "rewrite") when heavy hotspot load, no tests and lost knowledge meet; \(strong: "refactor") when heavy hotspot load meets another signal (complex code, rework, few or no tests, departed authors, coupling), a hotspot has no tests, or complex code keeps being reworked with little to hold it; \(strong: "stabilize") for any lesser signal (some hotspot load, few or no tests, departed authors, a live credential, dependency hygiene, a dependency version with a known vulnerability, copyleft or unrecognised third-party licences, coupling to other components); \(strong: "keep") otherwise. Rework alone never decides a verdict: step-by-step feature work reworks half its lines. Each verdict carries a confidence (high, medium or low), raised by further signals that agree with it and lowered by signals against it (such as a test ratio of 1 or more) or by an analyzer that did not run. The reasons listed with each component are the signals found. Test-to-code line ratios are a proxy for coverage (SIG reads 100% as roughly 80% coverage), not a measurement.
        """,
      notes: a.notes.map { "\($0)" })
    notAssessedAreas = a.areas.filter { $0.score == nil }.map { "\($0.area.title)" }
    footer = "Generated by Salvage \(ReportDocument.toolVersion), report schema \(ReportDocument.schemaVersion). Findings are signals from the repository's history and tree, to be confirmed with the team."
  }

  /// The confidence of a verdict and the signals behind it, as one sentence.
  static func basis(_ c: Assessment.ComponentResult) -> String {
    var text = Words.capitalized(c.confidence.rawValue) + " confidence: "
    text += c.decidedBy.isEmpty ? "no signal against it" : "decided by " + Words.list(c.decidedBy)
    if !c.corroboratedBy.isEmpty { text += "; corroborated by " + Words.list(c.corroboratedBy) }
    if !c.against.isEmpty { text += "; against it: " + Words.list(c.against) }
    return text + "."
  }

  /// The colour a grade is shown in: the letters of the built-in scale, grey for any other name.
  static func tone(_ grade: String) -> Tone {
    switch grade {
    case "A": return .a
    case "B": return .b
    case "C": return .c
    case "D": return .d
    case "E", "F": return .f
    default: return .none
    }
  }

  static func name(_ path: String) -> String {
    let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
    var last = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    if last == ".git", let parent = trimmed.split(separator: "/").dropLast().last { last = String(parent) }
    return last.isEmpty || last == "." ? "repository" : last
  }

  static func scope(_ repo: RepositoryInfo, asOf: String) -> DocText {
    if repo.empty { return "as of \(asOf): no commits" }
    var text: DocText = "as of \(asOf): commit \(repo.head.map { String($0.prefix(12)) } ?? "-")"
    if let branch = repo.branch { text += " on \(branch)" }
    text += ", \(Words.count(repo.commitCount, "commit"))"
    if let first = repo.firstCommit, let last = repo.lastCommit { text += " from \(UTC.date(first)) to \(UTC.date(last))" }
    if repo.shallow { text += " (shallow clone: history is cut)" }
    if let missing = missingBlobs(repo) { text += " (\(missing))" }
    return text
  }

  /// "3 objects missing: see the limitations", nil for a complete copy.
  static func missingBlobs(_ repo: RepositoryInfo) -> DocText? {
    repo.missingBlobs.isEmpty ? nil : "\(Words.count(repo.missingBlobs.count, "object")) missing: see the limitations"
  }

  static func terminalHeader(_ repo: RepositoryInfo, codeBase: CodeBase?) -> [DocText] {
    var out: [DocText] = []
    if repo.empty {
      out.append("No history: the repository has no commits yet.")
    } else {
      var line: DocText = "Tip \(repo.head.map { String($0.prefix(12)) } ?? "-")"
      if let branch = repo.branch { line += " on \(branch)" }
      line += ", \(Words.count(repo.commitCount, "commit"))"
      if let first = repo.firstCommit, let last = repo.lastCommit { line += " from \(UTC.date(first)) to \(UTC.date(last))" }
      if repo.shallow { line += " (shallow clone: history is cut)" }
      if let missing = missingBlobs(repo) { line += " (\(missing))" }
      out.append(line)
    }
    if let code = codeBase {
      out.append("\(Words.count(code.fileCount, "file")), \(Words.count(code.lineCount, "line")); \(Words.count(code.authorCount, "author"))")
      if !code.languages.isEmpty { out.append("Languages: \(code.languageList)") }
    }
    return out
  }

  static func codeBase(_ facts: ScanFacts) -> CodeBase? {
    guard let m = facts.inventory else { return nil }
    return CodeBase(fileCount: m.totalFiles, lineCount: m.totalLines, authorCount: m.authors, files: "\(Figures.grouped(m.totalFiles))",
                    lines: "\(Figures.grouped(m.totalLines))", authors: "\(Figures.grouped(m.authors))", tags: "\(Figures.grouped(m.tags))",
                    languages: m.languages.prefix(4).map { ("\($0.language)", "\(Figures.grouped($0.lines))") })
  }

  static func weekly(_ facts: ScanFacts) -> [Week]? {
    guard let weeks = facts.cadenceOutput?.weekly, !weeks.isEmpty else { return nil }
    return weeks.map { w in
      let parts = w.week.split(separator: "-").map { Int($0) ?? 0 }
      return Week(label: "\(w.week)", year: parts.first ?? 0, month: parts.count > 1 ? parts[1] : 0, day: parts.count > 2 ? parts[2] : 99,
                  commits: w.commits)
    }
  }

  static func cadence(_ facts: ScanFacts) -> [Figure]? {
    guard let m = facts.cadenceOutput else { return nil }
    var out: [Figure] = []
    if let days = m.daysSinceLastCommit { out.append(Figure(label: "Days since the last commit", value: "\(Figures.grouped(days))")) }
    out.append(Figure(label: "Last 90 days", value: "\(m.trends.last90Days.summary)"))
    out.append(Figure(label: "Releases (version tags)", value: m.releases.last.map { "\(Figures.grouped(m.releases.count)), last \($0.tag)" } ?? "none"))
    if let share = m.fixShare.share { out.append(Figure(label: "Fix commits, recent window", value: "\(Figures.percent(share))")) }
    return out
  }

  static func hotspots(_ facts: ScanFacts) -> [HotspotRow]? {
    guard let files = facts.hotspotsOutput?.files else { return nil }
    let list = files.map { f in
      HotspotRow(path: "\(f.path)", rank: f.rank, score: f.score, revisions: f.revisions, loc: f.loc ?? f.lines, complexity: f.complexity ?? 0, hot: f.hot)
    }
    return Array(list.sorted { $0.rank < $1.rank }.prefix(10))
  }

  static func ownership(_ facts: ScanFacts) -> [Figure]? {
    guard let m = facts.ownershipOutput else { return nil }
    let people = Self.shown(facts, m.truckFactor.people.map { ($0.name, $0.email) })
    return [
      Figure(label: "Truck factor", value: "\(Figures.grouped(m.truckFactor.value))" + (people.isEmpty ? .empty : " (\(people.joined(separator: ", ")))")),
      Figure(label: m.orphanedBasis == "lines" ? "Code written by people who left" : "Code whose main author left",
             value: "\(Figures.percent(m.orphanedShare))"),
      Figure(label: "Code in knowledge islands", value: "\(Figures.percent(m.knowledgeIslands.share))"),
      Figure(label: "Authors, bots excluded (of them, left)", value: "\(Figures.grouped(m.contributors)) (\(Figures.grouped(m.formerContributors)))"),
    ]
  }

  /// People as the findings' sentences name them (`PersonNames` over the whole history: a name two
  /// people of it share is told apart in every list, as in the sentences); one not in the history is
  /// told apart within the list.
  static func shown(_ facts: ScanFacts, _ list: [(name: String, email: String)]) -> [String] {
    let people = facts.scan.context.history.people
    let names = PersonNames(people)
    var index: [Person: Int] = [:]
    for (i, person) in people.enumerated() { index[person] = i }
    let within = PersonNames.distinct(list)
    return list.enumerated().map { k, p in index[Person(name: p.name, email: p.email)].map { names[$0] } ?? within[k] }
  }

  static func lines(_ facts: ScanFacts) -> [Figure]? {
    guard let m = facts.linesOutput, m.totalLines > 0 else { return nil }
    let authors = m.authors.prefix(3)
    let top = zip(Self.shown(facts, authors.map { ($0.name, $0.email) }), authors).map { "\($0) \(Figures.percent($1.share))" }
    var out = [
      Figure(label: "Lines of today's code", value: "\(Figures.grouped(m.totalLines))"),
      Figure(label: "Written by (as git blame attributes them)",
             value: "\(top.joined(separator: ", ") + (m.authors.count > 3 ? ", \(Words.count(m.authors.count - 3, "other"))" : ""))"),
    ]
    if let days = m.medianAgeDays { out.append(Figure(label: "Median age of a line", value: "\(Words.count(days, "day"))")) }
    out.append(Figure(label: "Half-life of new code", value: m.halfLifeDays.map { "\(Words.count($0, "day"))" } ?? "more than half of it survives"))
    let r = m.rework
    out.append(Figure(label: "Rework: lines deleted or replaced within \(r.days) days of being written",
                      value: "\(Figures.percent(r.overall.share)) of \(Figures.grouped(r.overall.added)) lines written"))
    return out
  }

  static func burndown(_ facts: ScanFacts) -> Burndown? {
    guard let b = facts.linesOutput?.burndown, b.quarters.count >= 2 else { return nil }
    guard b.quarters.count > 12 else { return Burndown(periods: b.quarters.map { "\($0)" }, alive: b.alive, unit: "quarter") }
    // By year: each year's last quarter (or the history's last), cohorts summed by the year written.
    let years = b.quarters.map { String($0.prefix(4)) }
    var periods: [String] = [], alive: [[Int]] = []
    for k in b.quarters.indices where k == b.quarters.count - 1 || years[k + 1] != years[k] {
      var row: [Int] = []
      var year = ""
      for (band, n) in b.alive[k].enumerated() {
        if years[band] != year {
          year = years[band]
          row.append(0)
        }
        row[row.count - 1] += n
      }
      periods.append(years[k])
      alive.append(row)
    }
    return Burndown(periods: periods.map { "\($0)" }, alive: alive, unit: "year")
  }

  static func tests(_ facts: ScanFacts, assessment: Assessment) -> [Figure]? {
    if let m = facts.testsOutput {
      var out: [Figure] = []
      let t = m.counts.testLines, p = m.counts.productionLines
      out.append(Figure(label: "Test / production lines", value: "\(Figures.grouped(t)) / \(Figures.grouped(p))"
        + (p > 0 ? " (ratio \(Figures.ratio(Double(t) / Double(p))), a proxy for coverage)" : .empty)))
      let frameworks = m.frameworks.map(\.name)
      if !frameworks.isEmpty { out.append(Figure(label: "Frameworks", value: "\(frameworks.joined(separator: ", "))")) }
      let prs = m.ci.contains { $0.runsTestsOnPullRequests == true }
      out.append(Figure(label: "CI", value: m.ci.isEmpty ? "none found" : "\(Set(m.ci.map(\.system)).sorted().joined(separator: ", "))"
        + (prs ? ", runs tests on pull requests" : ", tests not run on pull requests")))
      let coverage = facts.coverageReports().map { r in
        "\(r.path): \(Figures.percent(r.share))" + (r.date.map { " (\(UTC.date($0.seconds)))" } ?? "")
      }
      if !coverage.isEmpty { out.append(Figure(label: "Coverage reports", value: "\(coverage.joined(separator: "; "))")) }
      return out
    }
    guard let area = assessment.area("tests"), let ratio = area.facts["testRatio"] else { return nil }
    return [Figure(label: "Test / production line ratio", value: "\(Figures.ratio(ratio)) (from file classes; the tests analyzer did not run)")]
  }

  static func dependencies(_ facts: ScanFacts) -> [Figure]? {
    guard let m = facts.dependenciesOutput else { return nil }
    var out: [Figure] = []
    let ecosystems = m.ecosystems.map(\.ecosystem)
    if !ecosystems.isEmpty { out.append(Figure(label: "Ecosystems", value: "\(ecosystems.joined(separator: ", "))")) }
    let withoutLock = m.manifests.filter { $0.lockfile == nil }.map(\.path)
    out.append(Figure(label: "Manifests", value: "\(Figures.grouped(m.manifests.count))"
      + (withoutLock.isEmpty ? ", all with a lockfile" : "; without a lockfile: \(withoutLock.joined(separator: ", "))")))
    for check in m.scorecard {
      let score = check.score, reason = check.reason
      let value: DocText = score < 0 ? (reason.hasPrefix("not assessed") ? "\(reason)" : "not assessed" + (reason.isEmpty ? .empty : " — \(reason)"))
        : "\(score)/10" + (reason.isEmpty ? .empty : " — \(reason)")
      out.append(Figure(label: "Scorecard: \(check.check)", value: value))
    }
    return out
  }

  static func vulnerabilities(_ facts: ScanFacts, notAssessed: DocText) -> Vulnerabilities {
    let none: DocText = "No resolved dependency version is covered by the advisories given."
    guard let v = facts.vulnerabilitiesOutput, v.status == "assessed" else { return Vulnerabilities(figures: nil, rows: [], none: none, notAssessed: notAssessed) }
    var figures: [Figure] = []
    if let source = v.advisories {
      figures.append(Figure(label: "Advisories", value: "\(Words.count(source.records, "OSV record")) from \(source.path)"
        + (source.withdrawn > 0 ? " (\(Figures.grouped(source.withdrawn)) withdrawn, not used)" : .empty)))
    }
    figures.append(Figure(label: "Resolved packages checked", value: "\(Figures.grouped(v.packagesChecked))"
      + (v.uncheckedEcosystems.isEmpty ? .empty : "; not checked (no advisory ordering): \(v.uncheckedEcosystems.joined(separator: ", "))")))
    let s = v.severities
    figures.append(Figure(label: "Vulnerable versions", value: "\(Figures.grouped(v.packagesVulnerable)) (\(Words.count(v.hits.count, "advisory hit")): "
      + "\(s.critical) critical, \(s.high) high, \(s.medium) medium, \(s.low) low, \(s.unknown) unscored)"))
    if let note = v.note { figures.append(Figure(label: "Note", value: "\(note)")) }
    let order = ["critical": 0, "high": 1, "medium": 2, "unknown": 3, "low": 4, "none": 5]
    let rows = v.hits.sorted { a, b in
      let (x, y) = (order[a.severity] ?? 3, order[b.severity] ?? 3)
      return x != y ? x < y : (a.package, a.version, a.id) < (b.package, b.version, b.id)
    }.map { h in
      VulnerabilityRow(
        package: "\(h.package) \(h.version)", advisory: "\(h.id)" + (h.aliases.isEmpty ? .empty : " (\(h.aliases.joined(separator: ", ")))"),
        severity: "\(h.severity)" + (h.score.map { " (CVSS \(String($0)))" } ?? .empty), fixed: "\(h.fixed ?? "none recorded")",
        dependency: h.direct ? "direct" : "transitive",
        since: h.vulnerableSince.map { "\($0.date) (\(Words.count($0.days, "day")))" } ?? "not seen in the history's lockfile lines",
        lockfile: "\(h.lockfile)")
    }
    return Vulnerabilities(figures: figures, rows: rows, none: none, notAssessed: notAssessed)
  }

  static func licences(_ facts: ScanFacts) -> [Figure]? {
    guard let m = facts.licencesOutput else { return nil }
    var out: [Figure] = []
    let own = m.licence
    out.append(Figure(label: "Product licence", value: own.id.map { id in
      "\(id) (\(own.kind)" + (own.source.map { ", \($0)" } ?? .empty) + (own.kind == "unknown" ? ")" : ", confidence \(Figures.percent(own.confidence)))")
    } ?? "none stated"))
    if !m.declarations.isEmpty {
      out.append(Figure(label: "Declarations", value: "\(m.declarations.map { "\($0.path): \($0.id ?? "not recognised")" }.joined(separator: "; "))"))
    }
    out.append(Figure(label: "Network service", value: m.networkService ? "probably, a guess from \(m.serviceMarkers.joined(separator: ", "))" : "no sign found (a guess from the files)"))
    if !m.fileHeaders.isEmpty {
      out.append(Figure(label: "Licence headers", value: "\(m.fileHeaders.prefix(6).map { "\($0.id) \(Words.count($0.files, "file"))" }.joined(separator: ", "))"))
    }
    let c = m.counts
    out.append(Figure(label: "Third-party code", value: "\(Words.count(m.thirdPartyCount, "item")); \(Figures.grouped(c.copyleft)) copyleft at risk, "
      + "\(Figures.grouped(c.weakCopyleft)) weak copyleft, \(Figures.grouped(c.unknown)) unrecognised, \(Words.count(c.conflicts, "conflict"))"))
    for item in m.thirdParty.prefix(5) where item.risk != nil {
      let arrived: DocText = item.arrived.map { ", added \($0.date) by \($0.author)" } ?? .empty
      out.append(Figure(label: "At risk: \(item.path)", value: "\(item.id ?? "unrecognised licence") (\(item.kind)\(arrived))"))
    }
    let d = m.dependencies
    if !d.lockfiles.isEmpty {
      let silent = d.lockfiles.filter { $0.withLicence == 0 && $0.packages > 0 }.map(\.path)
      out.append(Figure(label: "Dependencies' licences", value: "\(Figures.grouped(d.withLicence)) of \(Words.count(d.resolved, "resolved package")) declare one"
        + (silent.isEmpty ? .empty : "; unknown (not recorded) in \(silent.joined(separator: ", "))")))
    }
    return out
  }

  static func secrets(_ findings: [ReportFinding]) -> [SecretRow] {
    // Credentials first; test, example, public and expired values grouped after them, labelled.
    let all = findings.map(\.finding).filter { $0.analyzer == "secrets" }
    return (all.filter { $0.secretContext == .live } + all.filter { $0.secretContext != .live }).map { f in
      let place = (f.location.path ?? "-") + (f.location.line.map { ":\($0)" } ?? "")
        + (f.location.commit.map { " (introduced in \($0.prefix(12)))" } ?? "")
      let label: DocText = f.secretContext == .live ? .empty : " (\(f.secretContext.rawValue) value, not counted as a live credential)"
      return SecretRow(title: "\(f.title)" + label, place: "\(place)", preview: "\(f.secretPreview ?? "(redacted)")", live: f.inHead,
                       counted: f.secretContext == .live)
    }
  }

  static func row(_ entry: ReportFinding) -> FindingRow {
    let f = entry.finding
    var place = f.location.path ?? ""
    if let line = f.location.line { place += ":\(line)" }
    var terminalPlace: DocText?
    // The place, unless the title already names it.
    if let path = f.location.path, !f.title.contains(path) || f.location.line != nil { terminalPlace = "\(place)" }
    var location = place
    if let commit = f.location.commit { location += (location.isEmpty ? "" : " · ") + "commit " + commit.prefix(12) }
    let machine = MachineFields(id: "\(f.id)", analyzer: "\(f.analyzer)", rule: "\(f.rule)", path: f.location.path.map { "\($0)" },
                                line: f.location.line, suppressed: entry.suppressed)
    return FindingRow(severity: f.severity, title: "\(f.title)", message: "\(f.message)", place: "\(place)", location: "\(location)",
                      terminalPlace: terminalPlace, machine: machine)
  }

  /// The findings by the remediation that answers them (one group per rule of `report.toml`; findings
  /// no rule answers, by their own rule), in report order: the group of the most severe finding first.
  static func groups(_ findings: [ReportFinding]) -> [FindingGroup] {
    var order: [String] = []
    var byKey: [String: [ReportFinding]] = [:]
    for entry in findings {
      let r = entry.advice.remediation
      let key = r.analyzer == "*" ? "*\u{0}\(entry.finding.analyzer)\u{0}\(entry.finding.rule)" : "\(r.analyzer)\u{0}\(r.rule)"
      if byKey[key] == nil { order.append(key) }
      byKey[key, default: []].append(entry)
    }
    return order.enumerated().map { n, key in
      let list = byKey[key]!
      let first = list[0]
      let fallback = first.advice.remediation.analyzer == "*"
      let horizon = list.map(\.advice.horizon).min { Horizon.allCases.firstIndex(of: $0)! < Horizon.allCases.firstIndex(of: $1)! }!
      return FindingGroup(anchor: "A\(n + 1)", heading: fallback ? "\(first.finding.title)" : "\(first.advice.remediation.action)",
                          remediation: "\(first.advice.remediation.text)", severity: list.map(\.finding.severity).max()!,
                          effort: list.map(\.advice.effort).max()!, horizon: horizon, rows: list.map(row),
                          count: "\(Words.count(list.count, "finding"))")
    }
  }
}
