import SalvageCore

/// The same report in Markdown, for pasting into documents and PR descriptions. Charts become tables
/// and a sparkline. Text from the repository is escaped so it cannot open markup, links or HTML.
public struct MarkdownRenderer: Renderer {
  public init() {}
  public var fileExtension: String { "md" }

  public func render(_ scan: ScanResult, color: Bool) -> String {
    let c = ReportContent(scan)
    let a = c.assessment
    func e(_ s: String) -> String { Markdown.escape(s) }
    func code(_ s: String) -> String { Markdown.code(s) }
    var m = "# Technical due diligence: \(e(c.name))\n\n"
    m += "_\(e(c.scope))_\n\n"

    m += "## Executive summary\n\n"
    m += "**\(e(a.headline))**\n\n"
    if a.keepShare != nil {
      m += "Lines by verdict: " + Verdict.allCases.map { "\($0.rawValue) \(Words.grouped(a.linesByVerdict[$0] ?? 0))" }.joined(separator: " · ") + " (keep and stabilize count as worth keeping).\n\n"
    }
    for cap in a.caps { m += "> Grade capped: \(e(cap)).\n\n" }
    m += "### Risks that matter most to a buyer\n\n"
    if a.risks.isEmpty { m += "No significant risk was found in the areas assessed.\n\n" }
    for (i, risk) in a.risks.enumerated() { m += "\(i + 1). **\(e(risk.title))**: \(e(risk.detail))\n" }
    if !a.risks.isEmpty { m += "\n" }
    m += "### What to do\n\n"
    for horizon in Horizon.allCases {
      m += "**\(horizon.title)**\n\n"
      let list = a.actions.filter { $0.horizon == horizon }
      if list.isEmpty { m += "- Nothing the scan found belongs here.\n" }
      for action in list { m += "- \(e(action.text)) _(\(action.effort.rawValue), estimate)_\n" }
      m += "\n"
    }
    if !c.inventory.isEmpty { m += "### The code base\n\n" + Self.figures(c.inventory) }

    m += "## Area grades\n\n| Area | Grade | Score | Measures |\n| --- | --- | ---: | --- |\n"
    for area in a.areas {
      let measures = area.measures.filter { $0.score != nil }.map { mr in
        "\(mr.measure.title): \(mr.value.map { Words.value($0, unit: mr.measure.unit) } ?? "none") → \(Int(mr.score!))"
      }
      m += "| \(e(area.area.title)) | \(area.grade ?? "–") | \(area.score.map(String.init) ?? "not assessed") | \(e(measures.isEmpty ? (area.notAssessed ?? "") : measures.joined(separator: "; "))) |\n"
    }
    m += "\n## Components: what is worth keeping\n\n| Component | Lines | Verdict | Why |\n| --- | ---: | --- | --- |\n"
    for comp in a.components.sorted(by: { $0.loc != $1.loc ? $0.loc > $1.loc : $0.path < $1.path }) {
      let why = ([comp.summary.isEmpty ? nil : "_\(e(Words.capitalized(comp.summary)))._"] + comp.reasons.map { Optional(e($0.text)) }).compactMap { $0 }
      m += "| \(code(comp.path)) | \(Words.grouped(comp.loc)) | **\(comp.verdict.rawValue)** | \(why.joined(separator: "<br>")) |\n"
    }

    m += "\n## Delivery cadence\n\n"
    if let weekly = c.weekly {
      m += "Commits per week, \(weekly.first!.week) to \(weekly.last!.week) (peak \(weekly.map(\.commits).max() ?? 0)):\n\n"
      m += "`" + Markdown.sparkline(weekly.map(\.commits)) + "`\n\n"
    }
    m += c.cadence.map(Self.figures) ?? "_\(e(c.notAssessed("cadence")))_\n\n"

    m += "## Code hotspots\n\n"
    if let hot = c.hotspots, !hot.isEmpty {
      m += "| File | Revisions | Lines | Complexity | Score | Hot |\n| --- | ---: | ---: | ---: | ---: | --- |\n"
      for s in hot {
        m += "| \(code(s.path)) | \(s.revisions) | \(Words.grouped(s.loc)) | \(Words.grouped(s.complexity)) | \(Words.ratio(s.score)) | \(s.hot ? "yes" : "") |\n"
      }
      m += "\n"
    } else {
      m += "_\(e(c.notAssessed("hotspots")))_\n\n"
    }
    m += "## Knowledge and ownership\n\n" + (c.ownership.map(Self.figures) ?? "_\(e(c.notAssessed("ownership")))_\n\n")
    m += "## Test health\n\n" + (c.tests.map(Self.figures) ?? "_\(e(c.notAssessed("tests")))_\n\n")
    m += "## Dependencies and supply chain\n\n" + (c.dependencies.map(Self.figures) ?? "_\(e(c.notAssessed("dependencies")))_\n\n")

    m += "## Leaked credentials\n\n"
    if let secrets = c.secrets {
      if secrets.isEmpty {
        m += "No credential was found in the tip tree or in history.\n\n"
      } else {
        m += "Values are never shown whole. Every one must be rotated, including those left only in history.\n\n"
        m += "| Credential | Where | Preview | State |\n| --- | --- | --- | --- |\n"
        for s in secrets {
          let place = s.path + (s.line.map { ":\($0)" } ?? "") + (s.commit.map { " (introduced in \($0))" } ?? "")
          m += "| \(e(s.title)) | \(code(place)) | \(code(s.preview)) | \(s.live ? "**still in the code**" : "history only") |\n"
        }
        m += "\n"
      }
    } else {
      m += "_\(e(c.notAssessed("secrets")))_\n\n"
    }

    m += "## Findings and remediation\n\n"
    if a.advice.isEmpty { m += "No findings.\n\n" } else {
      m += "Efforts are estimates: small = \(Effort.small.meaning), medium = \(Effort.medium.meaning), large = \(Effort.large.meaning).\n\n"
      m += "| Severity | Finding | Remediation | Effort (estimate) | When |\n| --- | --- | --- | --- | --- |\n"
      for adv in a.advice {
        let f = adv.finding
        var location = f.location.path ?? ""
        if let line = f.location.line { location += ":\(line)" }
        let place = location.isEmpty ? "" : "<br>" + code(location)
        m += "| \(f.severity.rawValue) | **\(e(f.title))**<br>\(e(f.message))\(place) | \(e(adv.remediation.text)) | \(adv.effort.rawValue) | \(adv.horizon.title) |\n"
      }
      m += "\n"
    }

    m += "## Scope and method\n\n"
    m += "Scanned \(code(c.repository.path)), \(e(c.scope)), read-only through libgit2 (history and tip tree). Nothing was run; no issue tracker, CI service or production system was seen. Ages count from the last commit.\n\n"
    m += "Each area's score is the weighted mean of its measures' scores (0 to 100); the overall score is the weighted mean of the assessed areas, then capped where one fact rules out a better grade. A low score means higher maintenance effort and defect risk, not imminent failure.\n\n"
    m += "| Grade | Score from | Meaning |\n| --- | ---: | --- |\n"
    for g in a.rules.grades { m += "| \(e(g.grade)) | \(Int(g.minimum)) | \(e(g.meaning)) |\n" }
    m += "\n| Area (weight) | Measure (weight) | Bands: value → score |\n| --- | --- | --- |\n"
    for area in a.areas {
      for mr in area.area.measures {
        m += "| \(e(area.area.title)) (\(Words.ratio(area.area.weight))) | \(e(mr.title)) (\(Words.ratio(mr.weight))) | \(e(Words.bands(mr))) |\n"
      }
    }
    m += "\n"
    if !a.rules.caps.isEmpty { m += "Caps: " + a.rules.caps.map { e(Words.capitalized($0.reason)) }.joined(separator: "; ") + ".\n\n" }
    m += "Component verdicts: **rewrite** when heavy hotspot load, no tests and lost knowledge meet; **refactor** for heavy hotspot load or rework, or a hotspot without tests; **stabilize** for any lesser signal; **keep** otherwise. Test-to-code line ratios are a proxy for coverage, not a measurement.\n\n"
    if !a.notes.isEmpty {
      m += "### Limitations of this scan\n\n" + a.notes.map { "- \(e($0))\n" }.joined() + "\n"
    }
    m += "---\nGenerated by Salvage \(ReportDocument.toolVersion), report schema \(ReportDocument.schemaVersion).\n"
    return m
  }

  static func figures(_ list: [ReportContent.Figure]) -> String {
    list.map { "- \(Markdown.escape($0.label)): \(Markdown.escape($0.value))\n" }.joined() + "\n"
  }
}

enum Markdown {
  /// Text that stays text: no emphasis, links, HTML or table breaks, on one line.
  static func escape(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "|": out += "\\|"
      case "\\", "`", "*", "_", "[", "]", "#", "!": out += "\\" + String(scalar)
      case "\n", "\r", "\t": out += " "
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
      }
    }
    return out
  }

  /// Monospace text from the repository: an HTML code element around escaped text, because inside a
  /// backtick span neither entities nor backslashes work, and some renderers pass its markup through.
  static func code(_ s: String) -> String { "<code>" + escape(s) + "</code>" }

  static func sparkline(_ values: [Int]) -> String {
    let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    let peak = max(1, values.max() ?? 1)
    return String(values.map { $0 == 0 ? " " : blocks[min(7, ($0 * 8 - 1) / peak)] })
  }
}
