import SalvageCore

/// The same report in Markdown, for pasting into documents and PR descriptions. Charts become tables
/// and a sparkline. Text from the repository is escaped so it cannot open markup, links or HTML: the
/// report is laid out from the `HumanDocument`, whose text is `DocText`.
public struct MarkdownRenderer: Renderer {
  public init() {}
  public var fileExtension: String { "md" }

  public func render(_ report: ReportModel, color: Bool) -> String { layout(report.document) }

  /// The report from the document alone, its text rendered with the document's redactor.
  func layout(_ d: HumanDocument) -> String { MarkdownPage(r: d.redactor).layout(d) }
}

/// One document in Markdown, in the HTML page's order: the long lists in the appendix.
struct MarkdownPage {
  /// The scan's redactor: every `DocText` is rendered with it.
  let r: Redactor

  func layout(_ d: HumanDocument) -> String {
    var m = "# Technical due diligence: \(d.name.markdown(r))\n\n"
    m += "_\(d.scope.markdown(r))_\n\n"
    m += summary(d.summary, notes: d.method.notes)
    m += areas(d.areas)
    m += components(d)
    m += delivery(d.delivery)
    m += hotspots(d.hotspots)
    m += "## Knowledge and ownership\n\n" + figures(d.ownership)
    m += lines(d.lines)
    m += "## Test health\n\n" + figures(d.tests)
    m += "## Dependencies and supply chain\n\n" + figures(d.dependencies)
    m += vulnerabilities(d.vulnerabilities)
    m += "## Licences / IP\n\n" + figures(d.licences)
    m += secrets(d.secrets)
    m += findings(d.findings)
    m += method(d)
    m += appendix(d)
    m += "---\n\(d.footer.markdown(r))\n"
    return m
  }

  private func summary(_ s: HumanDocument.Summary, notes: [DocText]) -> String {
    var m = "## Executive summary\n\n"
    m += "\(s.headline.strong.markdown(r))\n\n"
    if let keep = s.keep {
      m += "Lines by verdict: " + keep.lines.map { "\($0.verdict.rawValue) \($0.lines.markdown(r))" }.joined(separator: " · ") + " (keep and stabilize count as worth keeping).\n\n"
    }
    for cap in s.caps { m += "> Grade capped: \(cap.markdown(r)).\n\n" }
    if !notes.isEmpty {
      m += "**Limitations of this scan**\n\n" + notes.map { "- \($0.markdown(r))\n" }.joined() + "\n"
    }
    m += "### Risks that matter most to a buyer\n\n"
    if s.risks.isEmpty { m += "\(s.noRisk.markdown(r))\n\n" }
    for (i, risk) in s.risks.enumerated() { m += "\(i + 1). \(risk.title.strong.markdown(r)): \(risk.detail.markdown(r))\n" }
    if !s.risks.isEmpty { m += "\n" }
    m += "### What to do\n\n"
    for (horizon, list) in s.horizons {
      m += "**\(horizon.title)**\n\n"
      if list.isEmpty { m += "- \(s.nothingHere.markdown(r))\n" }
      for action in list { m += "- \(action.text.markdown(r)) _(\(action.effort.rawValue), estimate)_\n" }
      m += "\n"
    }
    if let code = s.codeBase { m += "### The code base\n\n" + figures(code.figures) }
    return m
  }

  private func areas(_ areas: [HumanDocument.AreaRow]) -> String {
    var m = "## Area grades\n\n| Area | Grade | Score | Measures |\n| --- | --- | ---: | --- |\n"
    for area in areas {
      let measures = area.scored.map { "\($0.title): \($0.value ?? "none") → \($0.score!)" as DocText }
      let text = measures.isEmpty ? (area.notAssessed ?? .empty) : measures.joined(separator: "; ")
      m += "| \(area.title.markdown(r)) | \(area.grade?.text.markdown(r) ?? "–") | \(area.score.map(String.init) ?? "not assessed") | \(text.markdown(r)) |\n"
    }
    return m
  }

  private func components(_ d: HumanDocument) -> String {
    var m = "\n## Components: what is worth keeping\n\n" + componentTable(d.leadingComponents)
    if d.components.count > d.leadingComponents.count {
      m += "\nThe \(Figures.grouped(d.leadingComponents.count)) largest of \(Figures.grouped(d.components.count)) components; Appendix B lists the others.\n"
    }
    return m
  }

  private func componentTable(_ rows: ArraySlice<HumanDocument.ComponentRow>) -> String {
    var m = "| Component | Lines | Verdict | Why |\n| --- | ---: | --- | --- |\n"
    for comp in rows {
      let why = (comp.summary.isEmpty ? [] : ["_\(comp.summary.markdown(r))_"]) + comp.reasons.map { $0.markdown(r) } + [comp.basis.markdown(r)]
      m += "| <code>\(comp.path.markdown(r))</code> | \(comp.lines.markdown(r)) | **\(comp.verdict.rawValue)**<br>\(comp.confidence.rawValue) confidence | \(why.joined(separator: "<br>")) |\n"
    }
    return m
  }

  private func delivery(_ delivery: HumanDocument.Delivery) -> String {
    var m = "\n## Delivery cadence\n\n"
    if let weekly = delivery.weekly {
      m += "Commits per week, \(weekly.first!.label.markdown(r)) to \(weekly.last!.label.markdown(r)) (peak \(delivery.peak.markdown(r))):\n\n"
      m += "`" + Markdown.sparkline(weekly.map(\.commits)) + "`\n\n"
    }
    return m + figures(delivery.figures)
  }

  private func lines(_ lines: HumanDocument.Lines) -> String {
    var m = "## Who wrote today's code, and when\n\n" + figures(lines.figures)
    guard let b = lines.burndown else { return m }
    let unit = b.unit.markdown(r), periods = b.periods.map { $0.markdown(r) }
    m += "Lines alive at the end of each \(unit) (rows) by the \(unit) they were written in (columns):\n\n"
    m += "| End of | " + periods.joined(separator: " | ") + " |\n| --- |" + String(repeating: " ---: |", count: periods.count) + "\n"
    for (k, row) in b.alive.enumerated() {
      let cells: [String] = periods.indices.map { $0 < row.count ? Figures.grouped(row[$0]) : "" }
      m += "| " + periods[k] + " | " + cells.joined(separator: " | ") + " |\n"
    }
    return m + "\n"
  }

  private func hotspots(_ hotspots: HumanDocument.Hotspots) -> String {
    var m = "## Code hotspots\n\n"
    guard let top = hotspots.top, !top.isEmpty else { return m + "_\(hotspots.notAssessed.markdown(r))_\n\n" }
    m += "| # | File | Revisions | Lines of code | Complexity | Score | Hot |\n| ---: | --- | ---: | ---: | ---: | ---: | --- |\n"
    for s in top {
      m += "| \(s.rank) | <code>\(s.path.markdown(r))</code> | \(s.revisionsText.markdown(r)) | \(s.lines.markdown(r)) | \(s.complexityText.markdown(r)) | \(s.scoreText.markdown(r)) | \(s.hot ? "yes" : "") |\n"
    }
    return m + "\n"
  }

  private func secrets(_ secrets: HumanDocument.Secrets) -> String {
    var m = "## Leaked credentials\n\n"
    guard let rows = secrets.rows else { return m + "_\(secrets.notAssessed.markdown(r))_\n\n" }
    let counted = rows.filter(\.counted)
    m += counted.isEmpty ? "\(secrets.none.markdown(r))\n\n" : "\(secrets.intro.markdown(r))\n\n" + secretTable(counted)
    if counted.count < rows.count {
      m += "\(Words.count(rows.count - counted.count, "test, example, public or expired value")) (not counted as live credentials): Appendix D.\n\n"
    }
    return m
  }

  private func secretTable(_ rows: [HumanDocument.SecretRow]) -> String {
    var m = "| Credential | Where | Preview | State |\n| --- | --- | --- | --- |\n"
    for s in rows {
      m += "| \(s.title.markdown(r)) | <code>\(s.place.markdown(r))</code> | <code>\(s.preview.markdown(r))</code> | \(s.live ? "**still in the code**" : "history only") |\n"
    }
    return m + "\n"
  }

  private func vulnerabilities(_ v: HumanDocument.Vulnerabilities) -> String {
    var m = "## Known vulnerabilities\n\n"
    guard let list = v.figures else { return m + "_\(v.notAssessed.markdown(r))_\n\n" }
    m += figures(list)
    if v.rows.isEmpty { return m + "\(v.none.markdown(r))\n\n" }
    m += "| Package | Advisory | Severity | Fixed in | Dependency | Vulnerable since | Lockfile |\n| --- | --- | --- | --- | --- | --- | --- |\n"
    for row in v.rows {
      m += "| <code>\(row.package.markdown(r))</code> | \(row.advisory.markdown(r)) | \(row.severity.markdown(r)) | \(row.fixed.markdown(r)) | \(row.dependency.markdown(r)) | \(row.since.markdown(r)) | <code>\(row.lockfile.markdown(r))</code> |\n"
    }
    return m + "\n"
  }

  /// One entry per remediation, with the first findings it answers; Appendix A lists them all.
  private func findings(_ findings: HumanDocument.FindingsSection) -> String {
    var m = "## Findings and remediation\n\n"
    if findings.groups.isEmpty { return m + "\(findings.none.markdown(r))\n\n" }
    m += "\(findings.tally.markdown(r)) \(findings.efforts.markdown(r))\n\n"
    for group in findings.groups {
      m += "### \(group.heading.markdown(r))\n\n"
      m += "_\(group.severity.rawValue) · \(group.count.markdown(r)) · effort \(group.effort.rawValue) (estimate) · \(group.horizon.title.lowercased())_\n\n"
      m += "\(group.remediation.markdown(r))\n\n"
      for row in group.rows.prefix(HumanDocument.FindingsSection.shownPerGroup) {
        m += "- \(row.severity.rawValue): \(row.title.markdown(r))" + (row.terminalPlace.map { " <code>\($0.markdown(r))</code>" } ?? "") + "\n"
      }
      let more = group.rows.count - HumanDocument.FindingsSection.shownPerGroup
      m += more > 0 ? "- and \(Figures.grouped(more)) more: Appendix \(group.anchor.markdown(r))\n\n" : "\n"
    }
    return m
  }

  private func method(_ d: HumanDocument) -> String {
    let method = d.method
    var m = "## Scope and method\n\n"
    m += method.paragraphs.map { $0.markdown(r) + "\n\n" }.joined()
    m += "| Grade | Score from | Meaning |\n| --- | ---: | --- |\n"
    for g in method.grades { m += "| \(g.grade.text.markdown(r)) | \(g.minimum) | \(g.meaning.markdown(r)) |\n" }
    m += "\n"
    if let caps = method.caps { m += "Caps: " + caps.markdown(r) + ".\n\n" }
    m += method.verdicts.markdown(r) + "\n\n"
    return m
  }

  private func appendix(_ d: HumanDocument) -> String {
    var m = "## Appendix\n\n"
    let findings = d.findings
    if !findings.groups.isEmpty {
      m += "### A. Every finding, by remediation\n\n"
      for group in findings.groups {
        m += "#### \(group.anchor.markdown(r)). \(group.heading.markdown(r)) (\(group.count.markdown(r)))\n\n"
        m += "| Severity | Finding |\n| --- | --- |\n"
        for row in group.rows {
          let place = row.location.isEmpty ? "" : "<br><code>\(row.location.markdown(r))</code>"
          m += "| \(row.severity.rawValue) | \(row.title.strong.markdown(r))<br>\(row.message.markdown(r))\(place) |\n"
        }
        m += "\n"
      }
    }
    if d.components.count > d.leadingComponents.count {
      m += "### B. The other components\n\n" + componentTable(d.components.dropFirst(d.leadingComponents.count)) + "\n"
    }
    m += "### C. How each measure is scored\n\n"
    m += "| Area (weight) | Measure (weight) | Bands: value → score |\n| --- | --- | --- |\n"
    for area in d.method.areas {
      for measure in area.measures {
        m += "| \(area.title.markdown(r)) (\(area.weight.markdown(r))) | \(measure.title.markdown(r)) (\(measure.weight.markdown(r))) | \(measure.bands.markdown(r)) |\n"
      }
    }
    m += "\n"
    if let rows = d.secrets.rows, rows.contains(where: { !$0.counted }) {
      m += "### D. Test, example, public and expired values\n\n" + secretTable(rows.filter { !$0.counted })
    }
    return m
  }

  private func figures(_ list: HumanDocument.FigureList) -> String {
    list.figures.map(figures) ?? "_\(list.notAssessed.markdown(r))_\n\n"
  }

  private func figures(_ list: [HumanDocument.Figure]) -> String {
    list.map { "- \($0.label.markdown(r)): \($0.value.markdown(r))\n" }.joined() + "\n"
  }
}

/// Markdown the report writes itself; repository text reaches Markdown only as `DocText`.
enum Markdown {
  static func sparkline(_ values: [Int]) -> String {
    let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    let peak = max(1, values.max() ?? 1)
    return String(values.map { $0 == 0 ? " " : blocks[min(7, ($0 * 8 - 1) / peak)] })
  }
}
