import SalvageCore

/// Everything the human-readable formats show, gathered once from the scan and its assessment, so
/// that HTML, Markdown and the terminal say the same things. Each section is nil when its analyzer
/// did not run: the renderers print "not assessed" there.
struct ReportContent {
  struct Week { let week: String; let commits: Int }
  struct Hotspot { let path: String; let score: Double; let revisions: Int; let loc: Int; let complexity: Int; let hot: Bool }
  struct Secret { let title: String; let path: String; let line: Int?; let preview: String; let live: Bool; let commit: String? }
  struct Figure { let label: String; let value: String }

  let scan: ScanResult
  let assessment: Assessment
  let name: String
  let facts: ScanFacts

  init(_ scan: ScanResult, assessment: Assessment? = nil) {
    self.scan = scan
    self.assessment = assessment ?? RiskModel.assess(scan)
    let path = scan.context.repository.path
    let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
    var last = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    if last == ".git", let parent = trimmed.split(separator: "/").dropLast().last { last = String(parent) }
    name = last.isEmpty || last == "." ? "repository" : last
    facts = ScanFacts(scan: scan)
  }

  var repository: RepositoryInfo { scan.context.repository }

  /// "commit 1a2b3c4d5e6f on main, 240 commits from 2024-01-01 to 2024-12-20"
  var scope: String {
    let repo = repository
    let asOf = "as of \(UTC.date(scan.context.now)): "
    if repo.empty { return asOf + "no commits" }
    var text = asOf + "commit \(repo.head.map { String($0.prefix(12)) } ?? "-")"
    if let branch = repo.branch { text += " on \(branch)" }
    text += ", \(Words.count(repo.commitCount, "commit"))"
    if let first = repo.firstCommit, let last = repo.lastCommit { text += " from \(UTC.date(first)) to \(UTC.date(last))" }
    if repo.shallow { text += " (shallow clone: history is cut)" }
    if !repo.missingBlobs.isEmpty { text += " (\(Words.count(repo.missingBlobs.count, "object")) missing: see the limitations)" }
    return text
  }

  var inventory: [Figure] {
    guard let m = facts.metrics("inventory") else { return [] }
    var out = [
      Figure(label: "Files", value: Words.grouped(m["totalFiles"]?.intValue ?? 0)),
      Figure(label: "Lines", value: Words.grouped(m["totalLines"]?.intValue ?? 0)),
      Figure(label: "Authors", value: Words.grouped(m["authors"]?.intValue ?? 0)),
      Figure(label: "Tags", value: Words.grouped(m["tags"]?.intValue ?? 0)),
    ]
    let languages = (m["languages"]?.arrayValue ?? []).prefix(4).compactMap { l -> String? in
      guard let name = l["language"]?.stringValue else { return nil }
      return "\(name) \(Words.grouped(l["lines"]?.intValue ?? 0))"
    }
    if !languages.isEmpty { out.append(Figure(label: "Languages (lines)", value: languages.joined(separator: ", "))) }
    return out
  }

  var weekly: [Week]? {
    guard let weeks = facts.metrics("cadence")?["weekly"]?.arrayValue, !weeks.isEmpty else { return nil }
    return weeks.compactMap { w in w["week"]?.stringValue.map { Week(week: $0, commits: w["commits"]?.intValue ?? 0) } }
  }

  var cadence: [Figure]? {
    guard let m = facts.metrics("cadence") else { return nil }
    var out: [Figure] = []
    if let days = m["daysSinceLastCommit"]?.intValue { out.append(Figure(label: "Days since the last commit", value: Words.grouped(days))) }
    if let summary = m.at("trends.last90Days.summary")?.stringValue { out.append(Figure(label: "Last 90 days", value: summary)) }
    let releases = m["releases"]?.arrayValue ?? []
    out.append(Figure(label: "Releases (version tags)", value: releases.isEmpty ? "none" : "\(releases.count), last \(releases.last?["tag"]?.stringValue ?? "?")"))
    if let share = m.at("fixShare.share")?.doubleValue { out.append(Figure(label: "Fix commits, recent window", value: Words.percent(share))) }
    return out
  }

  var hotspots: [Hotspot]? {
    guard let files = facts.metrics("hotspots")?["files"]?.arrayValue else { return nil }
    let list = files.compactMap { f -> Hotspot? in
      guard let path = f["path"]?.stringValue else { return nil }
      return Hotspot(path: path, score: f["score"]?.doubleValue ?? 0, revisions: f["revisions"]?.intValue ?? 0,
                     loc: f["loc"]?.intValue ?? f["lines"]?.intValue ?? 0, complexity: f["complexity"]?.intValue ?? 0,
                     hot: f["hot"]?.boolValue == true)
    }
    return Array(list.sorted { $0.score != $1.score ? $0.score > $1.score : $0.path < $1.path }.prefix(10))
  }

  var ownership: [Figure]? {
    guard let m = facts.metrics("ownership") else { return nil }
    var out: [Figure] = []
    if let tf = m.at("truckFactor.value")?.intValue {
      let people = (m.at("truckFactor.people")?.arrayValue ?? []).compactMap { $0["name"]?.stringValue ?? $0.stringValue }
      out.append(Figure(label: "Truck factor", value: "\(tf)" + (people.isEmpty ? "" : " (\(people.joined(separator: ", ")))")))
    }
    if let share = m["orphanedShare"]?.doubleValue { out.append(Figure(label: "Code whose main author left", value: Words.percent(share))) }
    if let share = m.at("knowledgeIslands.share")?.doubleValue { out.append(Figure(label: "Code in knowledge islands", value: Words.percent(share))) }
    if let c = m["contributors"]?.intValue {
      out.append(Figure(label: "Contributors (former)", value: "\(c) (\(m["formerContributors"]?.intValue ?? 0))"))
    }
    return out
  }

  var tests: [Figure]? {
    if let m = facts.metrics("tests") {
      var out: [Figure] = []
      if let t = m["testLines"]?.intValue, let p = m["productionLines"]?.intValue {
        out.append(Figure(label: "Test / production lines", value: "\(Words.grouped(t)) / \(Words.grouped(p))"
          + (p > 0 ? " (ratio \(Words.ratio(Double(t) / Double(p))), a proxy for coverage)" : "")))
      }
      let frameworks = (m["frameworks"]?.arrayValue ?? []).compactMap { $0.stringValue ?? $0["name"]?.stringValue }
      if !frameworks.isEmpty { out.append(Figure(label: "Frameworks", value: frameworks.joined(separator: ", "))) }
      if let ci = m["ci"]?.arrayValue {
        let systems = ci.compactMap { $0["system"]?.stringValue }
        let prs = ci.contains { $0["runsTestsOnPullRequests"]?.boolValue == true }
        out.append(Figure(label: "CI", value: ci.isEmpty ? "none found" : Set(systems).sorted().joined(separator: ", ") + (prs ? ", runs tests on pull requests" : ", tests not run on pull requests")))
      }
      let coverage = (m["coverageReports"]?.arrayValue ?? []).compactMap { r -> String? in
        guard let path = r["path"]?.stringValue, let c = r["lineCoverage"]?.doubleValue else { return nil }
        return "\(path): \(Words.percent(c > 1 ? c / 100 : c))" + (r["date"]?.stringValue.map { " (\($0.prefix(10)))" } ?? "")
      }
      if !coverage.isEmpty { out.append(Figure(label: "Coverage reports", value: coverage.joined(separator: "; "))) }
      return out
    }
    guard let area = assessment.area("tests"), let ratio = area.facts["testRatio"] else { return nil }
    return [Figure(label: "Test / production line ratio", value: "\(Words.ratio(ratio)) (from file classes; the tests analyzer did not run)")]
  }

  var dependencies: [Figure]? {
    guard let m = facts.metrics("dependencies") else { return nil }
    var out: [Figure] = []
    let ecosystems = (m["ecosystems"]?.arrayValue ?? []).compactMap { $0.stringValue ?? $0["name"]?.stringValue }
    if !ecosystems.isEmpty { out.append(Figure(label: "Ecosystems", value: ecosystems.joined(separator: ", "))) }
    if let manifests = m["manifests"]?.arrayValue {
      let withoutLock = manifests.filter { ($0["lockfile"] ?? .null) == .null }.compactMap { $0["path"]?.stringValue }
      out.append(Figure(label: "Manifests", value: "\(manifests.count)" + (withoutLock.isEmpty ? ", all with a lockfile" : "; without a lockfile: " + withoutLock.joined(separator: ", "))))
    }
    for check in m["scorecard"]?.arrayValue ?? [] {
      guard let name = check["check"]?.stringValue, let score = check["score"]?.intValue else { continue }
      let reason = check["reason"]?.stringValue ?? ""
      let value = score < 0 ? (reason.hasPrefix("not assessed") ? reason : "not assessed" + (reason.isEmpty ? "" : " — " + reason))
        : "\(score)/10" + (reason.isEmpty ? "" : " — " + reason)
      out.append(Figure(label: "Scorecard: \(name)", value: value))
    }
    return out
  }

  var secrets: [Secret]? {
    guard facts.ran("secrets") else { return nil }
    return scan.findings.filter { $0.analyzer == "secrets" }.map { f in
      Secret(title: f.title, path: f.location.path ?? "-", line: f.location.line,
             preview: f.evidence["preview"]?.stringValue ?? "(redacted)", live: f.evidence["inHead"]?.boolValue != false,
             commit: f.location.commit.map { String($0.prefix(12)) })
    }
  }

  /// What the "not assessed" line says for an analyzer's section.
  func notAssessed(_ id: String) -> String {
    facts.ran(id) ? "Not assessed: the \(id) analyzer gave none of the figures this section shows."
      : "Not assessed: the \(id) analyzer did not run in this scan."
  }
}
