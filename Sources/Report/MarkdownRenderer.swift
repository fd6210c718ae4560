import SalvageCore

/// The same report in Markdown, for pasting into documents and PR descriptions. Charts become tables
/// and a sparkline. Text from the repository is escaped so it cannot open markup, links or HTML.
public struct MarkdownRenderer: Renderer {
  public init() {}
  public var fileExtension: String { "md" }

  public func render(_ report: ReportModel, color: Bool) -> String {
    let d = report.document
    var m = "# Technical due diligence: \(Markdown.escape(d.name))\n\n"
    m += "_\(Markdown.escape(d.scope))_\n\n"
    m += summary(d.summary)
    m += areas(d.areas)
    m += components(d.components)
    m += delivery(d.delivery)
    m += hotspots(d.hotspots)
    m += "## Knowledge and ownership\n\n" + figures(d.ownership)
    m += "## Test health\n\n" + figures(d.tests)
    m += "## Dependencies and supply chain\n\n" + figures(d.dependencies)
    m += vulnerabilities(d.vulnerabilities)
    m += "## Licences / IP\n\n" + figures(d.licences)
    m += secrets(d.secrets)
    m += findings(d.findings)
    m += method(d)
    m += "---\n\(d.footer)\n"
    return m
  }

  private func e(_ s: String) -> String { Markdown.escape(s) }
  private func code(_ s: String) -> String { Markdown.code(s) }

  private func inline(_ paragraph: HumanDocument.Paragraph) -> String {
    paragraph.map { piece in
      switch piece {
      case let .words(s): return s
      case let .strong(s): return "**\(s)**"
      case let .text(s): return e(s)
      case let .code(s): return code(s)
      }
    }.joined()
  }

  private func summary(_ s: HumanDocument.Summary) -> String {
    var m = "## Executive summary\n\n"
    m += "**\(e(s.headline))**\n\n"
    if let keep = s.keep {
      m += "Lines by verdict: " + keep.lines.map { "\($0.verdict.rawValue) \($0.lines)" }.joined(separator: " · ") + " (keep and stabilize count as worth keeping).\n\n"
    }
    for cap in s.caps { m += "> Grade capped: \(e(cap)).\n\n" }
    m += "### Risks that matter most to a buyer\n\n"
    if s.risks.isEmpty { m += "\(s.noRisk)\n\n" }
    for (i, risk) in s.risks.enumerated() { m += "\(i + 1). **\(e(risk.title))**: \(e(risk.detail))\n" }
    if !s.risks.isEmpty { m += "\n" }
    m += "### What to do\n\n"
    for (horizon, list) in s.horizons {
      m += "**\(horizon.title)**\n\n"
      if list.isEmpty { m += "- \(s.nothingHere)\n" }
      for action in list { m += "- \(e(action.text)) _(\(action.effort.rawValue), estimate)_\n" }
      m += "\n"
    }
    if let code = s.codeBase { m += "### The code base\n\n" + figures(code.figures) }
    return m
  }

  private func areas(_ areas: [HumanDocument.AreaRow]) -> String {
    var m = "## Area grades\n\n| Area | Grade | Score | Measures |\n| --- | --- | ---: | --- |\n"
    for area in areas {
      let measures = area.scored.map { "\($0.title): \($0.value ?? "none") → \($0.score!)" }
      m += "| \(e(area.title)) | \(e(area.grade ?? "–")) | \(area.score.map(String.init) ?? "not assessed") | \(e(measures.isEmpty ? (area.notAssessed ?? "") : measures.joined(separator: "; "))) |\n"
    }
    return m
  }

  private func components(_ rows: [HumanDocument.ComponentRow]) -> String {
    var m = "\n## Components: what is worth keeping\n\n| Component | Lines | Verdict | Why |\n| --- | ---: | --- | --- |\n"
    for comp in rows {
      let why = (comp.summary.isEmpty ? [] : ["_\(e(comp.summary))_"]) + comp.reasons.map(e) + [e(comp.basis)]
      m += "| \(code(comp.path)) | \(comp.lines) | **\(comp.verdict.rawValue)**<br>\(comp.confidence.rawValue) confidence | \(why.joined(separator: "<br>")) |\n"
    }
    return m
  }

  private func delivery(_ delivery: HumanDocument.Delivery) -> String {
    var m = "\n## Delivery cadence\n\n"
    if let weekly = delivery.weekly {
      m += "Commits per week, \(weekly.first!.week) to \(weekly.last!.week) (peak \(delivery.peak)):\n\n"
      m += "`" + Markdown.sparkline(weekly.map(\.commits)) + "`\n\n"
    }
    return m + figures(delivery.figures)
  }

  private func hotspots(_ hotspots: HumanDocument.Hotspots) -> String {
    var m = "## Code hotspots\n\n"
    guard let top = hotspots.top, !top.isEmpty else { return m + "_\(e(hotspots.notAssessed))_\n\n" }
    m += "| File | Revisions | Lines | Complexity | Score | Hot |\n| --- | ---: | ---: | ---: | ---: | --- |\n"
    for s in top {
      m += "| \(code(s.path)) | \(s.revisionsText) | \(s.lines) | \(s.complexityText) | \(s.scoreText) | \(s.hot ? "yes" : "") |\n"
    }
    return m + "\n"
  }

  private func secrets(_ secrets: HumanDocument.Secrets) -> String {
    var m = "## Leaked credentials\n\n"
    guard let rows = secrets.rows else { return m + "_\(e(secrets.notAssessed))_\n\n" }
    if rows.isEmpty { return m + "\(secrets.none)\n\n" }
    m += "\(secrets.intro)\n\n"
    m += "| Credential | Where | Preview | State |\n| --- | --- | --- | --- |\n"
    for s in rows {
      m += "| \(e(s.title)) | \(code(s.place)) | \(code(s.preview)) | \(s.live ? "**still in the code**" : "history only") |\n"
    }
    return m + "\n"
  }

  private func vulnerabilities(_ v: HumanDocument.Vulnerabilities) -> String {
    var m = "## Known vulnerabilities\n\n"
    guard let list = v.figures else { return m + "_\(e(v.notAssessed))_\n\n" }
    m += figures(list)
    if v.rows.isEmpty { return m + "\(v.none)\n\n" }
    m += "| Package | Advisory | Severity | Fixed in | Dependency | Vulnerable since | Lockfile |\n| --- | --- | --- | --- | --- | --- | --- |\n"
    for r in v.rows {
      m += "| \(code(r.package)) | \(e(r.advisory)) | \(r.severity) | \(e(r.fixed)) | \(r.dependency) | \(r.since) | \(code(r.lockfile)) |\n"
    }
    return m + "\n"
  }

  private func findings(_ findings: HumanDocument.FindingsSection) -> String {
    var m = "## Findings and remediation\n\n"
    if findings.rows.isEmpty { return m + "\(findings.none)\n\n" }
    m += "\(findings.efforts)\n\n"
    m += "| Severity | Finding | Remediation | Effort (estimate) | When |\n| --- | --- | --- | --- | --- |\n"
    for row in findings.rows {
      let f = row.finding
      let place = row.place.isEmpty ? "" : "<br>" + code(row.place)
      m += "| \(f.severity.rawValue) | **\(e(f.title))**<br>\(e(f.message))\(place) | \(e(row.remediation)) | \(row.effort.rawValue) | \(row.horizon.title) |\n"
    }
    return m + "\n"
  }

  private func method(_ d: HumanDocument) -> String {
    let method = d.method
    var m = "## Scope and method\n\n"
    m += method.paragraphs.map { inline($0) + "\n\n" }.joined()
    m += "| Grade | Score from | Meaning |\n| --- | ---: | --- |\n"
    for g in method.grades { m += "| \(e(g.grade)) | \(Int(g.minimum)) | \(e(g.meaning)) |\n" }
    m += "\n| Area (weight) | Measure (weight) | Bands: value → score |\n| --- | --- | --- |\n"
    for area in method.areas {
      for measure in area.measures {
        m += "| \(e(area.title)) (\(area.weight)) | \(e(measure.title)) (\(measure.weight)) | \(e(measure.bands)) |\n"
      }
    }
    m += "\n"
    if let caps = method.caps { m += "Caps: " + e(caps) + ".\n\n" }
    m += inline(method.verdicts) + "\n\n"
    if !method.notes.isEmpty {
      m += "### Limitations of this scan\n\n" + method.notes.map { "- \(e($0))\n" }.joined() + "\n"
    }
    return m
  }

  private func figures(_ list: HumanDocument.FigureList) -> String {
    list.figures.map(figures) ?? "_\(e(list.notAssessed))_\n\n"
  }

  private func figures(_ list: [HumanDocument.Figure]) -> String {
    list.map { "- \(e($0.label)): \(e($0.value))\n" }.joined() + "\n"
  }
}

enum Markdown {
  /// Text that stays text: secrets redacted, no emphasis, links, images, HTML or table breaks, on one
  /// line, controls and bidi characters inert.
  static func escape(_ s: String) -> String { OutputText(repository: s).rendered(for: .markdown) }

  /// Monospace text from the repository: an HTML code element around escaped text, because inside a
  /// backtick span neither entities nor backslashes work, and some renderers pass its markup through.
  static func code(_ s: String) -> String { "<code>" + escape(s) + "</code>" }

  static func sparkline(_ values: [Int]) -> String {
    let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    let peak = max(1, values.max() ?? 1)
    return String(values.map { $0 == 0 ? " " : blocks[min(7, ($0 * 8 - 1) / peak)] })
  }
}
