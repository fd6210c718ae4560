import SalvageCore

/// The terminal summary: the grade, the areas, the risks and what to do, the component verdicts and
/// the top findings. ANSI colour only when asked (stdout is a terminal and NO_COLOR is unset); text
/// from the repository is stripped of control characters so it cannot drive the terminal.
public struct TextRenderer: Renderer {
  public init() {}
  public var fileExtension: String { "txt" }

  public func render(_ report: ReportModel, color: Bool) -> String { layout(report.document, color: color) }

  /// The summary from the document alone: every text printed is a `DocText`.
  func layout(_ d: HumanDocument, color: Bool) -> String {
    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    func bold(_ s: String) -> String { paint(s, "1") }
    func t(_ s: DocText) -> String { s.terminal(d.redactor) }
    func gradeCode(_ g: HumanDocument.GradeMark?) -> String {
      switch g?.tone ?? .none {
      case .a, .b: return "32"
      case .c: return "33"
      case .d, .f: return "31"
      case .none: return "2"
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

    var out = bold("Salvage scan of \(t(d.path)), as of \(t(d.asOf))") + "\n"
    for line in d.terminalHeader { out += t(line) + "\n" }

    let summary = d.summary
    out += "\n" + bold("Overall: ") + paint(bold("grade \(t(summary.grade?.text ?? "-"))") + (summary.score.map { " (\($0)/100)" } ?? ""), gradeCode(summary.grade)) + "\n"
    out += t(summary.headline) + "\n"
    for cap in summary.caps { out += "Capped: \(t(cap))\n" }

    out += "\n" + bold("Areas") + "\n"
    for area in d.areas {
      let name = t(area.title).padding(toLength: 32, withPad: " ", startingAt: 0)
      if let score = area.score {
        out += "  \(name) " + paint("\(t(area.grade?.text ?? "?")) \(String(repeating: " ", count: score < 10 ? 2 : score < 100 ? 1 : 0))\(score)", gradeCode(area.grade)) + "\n"
      } else {
        out += "  \(name) " + paint("not assessed", "2") + "\n"
      }
    }

    if !d.method.notes.isEmpty {
      out += "\n" + bold("Limitations of this scan") + "\n"
      for note in d.method.notes { out += "  - \(t(note))\n" }
    }

    if !summary.risks.isEmpty {
      out += "\n" + bold("Top risks") + "\n"
      for (i, risk) in summary.risks.enumerated() { out += "  \(i + 1). \(t(risk.title))\n" }
    }
    out += "\n" + bold("What to do") + " (efforts are estimates)\n"
    for (horizon, list) in summary.horizons where !list.isEmpty {
      out += "  \(horizon.title):\n"
      for action in list { out += "    - \(t(action.text)) [\(action.effort.rawValue)]\n" }
    }

    if !d.components.isEmpty {
      out += "\n" + bold("Components") + t(d.keepShare ?? .empty) + "\n"
      for comp in d.components.prefix(Self.components) {
        let verdict = paint(comp.verdict.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0), verdictCode(comp.verdict))
        let confidence = comp.confidence.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
        let why = comp.reasons.first.map { " " + t($0) } ?? ""
        let lines = t(comp.lines)
        out += "  \(verdict) \(confidence) \(String(repeating: " ", count: max(0, 8 - lines.count)))\(lines)  \(t(comp.path))\(paint(why, "2"))\n"
      }
      if d.components.count > Self.components { out += "  ... and \(Figures.grouped(d.components.count - Self.components)) more\n" }
    }

    // By remediation group: its first findings, and how many more it answers.
    let findings = d.findings
    out += "\n" + bold("Findings: \(Figures.grouped(findings.rows.count))") + "\n"
    var shown = 0
    for group in findings.groups where shown < Self.findings {
      let rows = group.rows.prefix(min(HumanDocument.FindingsSection.shownPerGroup, Self.findings - shown))
      for row in rows {
        out += "  " + tint("[\(row.severity.rawValue)]", row.severity) + " \(t(row.title))\(row.terminalPlace.map { "  (" + t($0) + ")" } ?? "")\n"
      }
      shown += rows.count
      let more = group.rows.count - rows.count
      if more > 0 { out += paint("      ... and \(Figures.grouped(more)) more like these", "2") + "\n" }
    }
    if findings.rows.count > shown { out += "  (\(Figures.grouped(findings.rows.count - shown)) not listed here: see the HTML, Markdown or JSON report)\n" }
    if !d.notAssessedAreas.isEmpty { out += "\nNot assessed: \(t(d.notAssessedAreas.joined(separator: ", "))).\n" }
    return out
  }

  /// How many components and finding groups a terminal shows; the other formats list them all.
  static let components = 15
  static let findings = 20

}
