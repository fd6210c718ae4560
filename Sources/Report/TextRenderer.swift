import SalvageCore

/// The terminal summary: the grade, the areas, the risks and what to do, the component verdicts and
/// the top findings. ANSI colour only when asked (stdout is a terminal and NO_COLOR is unset); text
/// from the repository is stripped of control characters so it cannot drive the terminal.
public struct TextRenderer: Renderer {
  public init() {}
  public var fileExtension: String { "txt" }

  public func render(_ scan: ScanResult, color: Bool) -> String {
    let c = ReportContent(scan)
    let a = c.assessment
    let repo = scan.context.repository
    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    func bold(_ s: String) -> String { paint(s, "1") }
    func t(_ s: String) -> String { Self.clean(s) }
    func gradeCode(_ g: String?) -> String {
      switch g {
      case "A", "B": return "32"
      case "C": return "33"
      case "D", "E", "F": return "31"
      default: return "2"
      }
    }
    func tint(_ s: String, _ severity: Severity) -> String {
      switch severity {
      case .critical, .high: return paint(s, "31")
      case .medium: return paint(s, "33")
      case .low: return paint(s, "36")
      case .info: return paint(s, "2")
      }
    }
    func verdictCode(_ v: Verdict) -> String {
      switch v {
      case .keep: return "32"
      case .stabilize: return "34"
      case .refactor: return "33"
      case .rewrite: return "31"
      }
    }

    var out = bold("Salvage scan of \(t(repo.path)), as of \(UTC.date(c.scan.context.now))") + "\n"
    if repo.empty {
      out += "No history: the repository has no commits yet.\n"
    } else {
      let branch = repo.branch.map { " on \(t($0))" } ?? ""
      out += "Tip \(repo.head.map { String($0.prefix(12)) } ?? "-")\(branch)"
      out += ", \(repo.commitCount) commits"
      if let first = repo.firstCommit, let last = repo.lastCommit { out += " from \(UTC.date(first)) to \(UTC.date(last))" }
      out += repo.shallow ? " (shallow clone: history is cut)" : ""
      out += repo.missingBlobs.isEmpty ? "\n" : " (\(Words.count(repo.missingBlobs.count, "object")) missing: see the limitations)\n"
    }
    if let inventory = c.facts.metrics("inventory") {
      out += "\(inventory["totalFiles"]?.intValue ?? 0) files, \(inventory["totalLines"]?.intValue ?? 0) lines; "
      out += "\(inventory["authors"]?.intValue ?? 0) authors\n"
      let languages = inventory["languages"]?.arrayValue ?? []
      if !languages.isEmpty {
        let top = languages.prefix(5).map { "\(t($0["language"]?.stringValue ?? "?")) \($0["lines"]?.intValue ?? 0)" }
        out += "Languages: " + top.joined(separator: ", ") + "\n"
      }
    }

    out += "\n" + bold("Overall: ") + paint(bold("grade \(a.grade ?? "-")") + (a.score.map { " (\($0)/100)" } ?? ""), gradeCode(a.grade)) + "\n"
    out += t(a.headline) + "\n"
    for cap in a.caps { out += "Capped: \(t(cap))\n" }

    out += "\n" + bold("Areas") + "\n"
    for area in a.areas {
      let name = area.area.title.padding(toLength: 32, withPad: " ", startingAt: 0)
      if let score = area.score {
        out += "  \(name) " + paint("\(area.grade ?? "?") \(String(repeating: " ", count: score < 10 ? 2 : score < 100 ? 1 : 0))\(score)", gradeCode(area.grade)) + "\n"
      } else {
        out += "  \(name) " + paint("not assessed", "2") + "\n"
      }
    }

    if !a.notes.isEmpty {
      out += "\n" + bold("Limitations of this scan") + "\n"
      for note in a.notes { out += "  - \(t(note))\n" }
    }

    if !a.risks.isEmpty {
      out += "\n" + bold("Top risks") + "\n"
      for (i, risk) in a.risks.enumerated() { out += "  \(i + 1). \(t(risk.title))\n" }
    }
    out += "\n" + bold("What to do") + " (efforts are estimates)\n"
    for horizon in Horizon.allCases {
      let list = a.actions.filter { $0.horizon == horizon }
      guard !list.isEmpty else { continue }
      out += "  \(horizon.title):\n"
      for action in list { out += "    - \(t(action.text)) [\(action.effort.rawValue)]\n" }
    }

    if !a.components.isEmpty {
      out += "\n" + bold("Components") + (a.keepShare.map { " (\(Words.percent($0)) of the code worth keeping)" } ?? "") + "\n"
      for comp in a.components.sorted(by: { $0.loc != $1.loc ? $0.loc > $1.loc : $0.path < $1.path }).prefix(15) {
        let verdict = paint(comp.verdict.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0), verdictCode(comp.verdict))
        let lines = Words.grouped(comp.loc)
        let why = comp.reasons.first.map { " " + t($0.text) } ?? ""
        out += "  \(verdict) \(String(repeating: " ", count: max(0, 8 - lines.count)))\(lines)  \(t(comp.path))\(paint(why, "2"))\n"
      }
      if a.components.count > 15 { out += "  ... and \(a.components.count - 15) more\n" }
    }

    let findings = scan.findings
    out += "\n" + bold("Findings: \(findings.count)") + "\n"
    for f in findings.prefix(20) {
      var location = ""
      // The place, unless the title already names it.
      if let path = f.location.path {
        let place = path + (f.location.line.map { ":\($0)" } ?? "")
        if !f.title.contains(path) || f.location.line != nil { location = "  (" + t(place) + ")" }
      }
      out += "  " + tint("[\(f.severity.rawValue)]", f.severity) + " \(t(f.title))\(location)\n"
    }
    if findings.count > 20 { out += "  ... and \(findings.count - 20) more (see the JSON report)\n" }
    let missing = a.areas.filter { $0.score == nil }.map(\.area.title)
    if !missing.isEmpty { out += "\nNot assessed: \(missing.joined(separator: ", ")).\n" }
    return out
  }

  /// Control characters (escape sequences above all) replaced, so repository text cannot move the cursor.
  static func clean(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars {
      if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { out += "?" } else { out.unicodeScalars.append(scalar) }
    }
    return out
  }
}
