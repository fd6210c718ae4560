import SalvageCore

/// The investor report as one self-contained HTML file: no script, no network (a Content Security
/// Policy forbids both), charts as inline SVG, a print stylesheet for A4 PDF. Everything taken from
/// the repository is escaped.
public struct HTMLRenderer: Renderer {
  public init() {}
  public var fileExtension: String { "html" }

  public func render(_ scan: ScanResult, color: Bool) -> String {
    let c = ReportContent(scan)
    let a = c.assessment
    func e(_ s: String) -> String { HTML.escape(s) }
    var h = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="generator" content="salvage \(ReportDocument.toolVersion)">
      <title>Technical due diligence: \(e(c.name))</title>
      <style>\(Self.css)</style>
      </head>
      <body>
      <header>
      <p class="kicker">Technical due diligence · Salvage \(ReportDocument.toolVersion)</p>
      <h1>\(e(c.name))</h1>
      <p class="meta">\(e(c.scope))</p>
      </header>

      """

    // Executive summary.
    h += "<section id=\"summary\"><h2>Executive summary</h2>\n<div class=\"verdict-box\">"
    h += "<div class=\"grade grade-\(e(a.grade ?? "none"))\" style=\"background:\(SVGCharts.gradeColor(a.grade))\">\(e(a.grade ?? "–"))</div>"
    h += "<div><p class=\"headline\">\(e(a.headline))</p>"
    if let score = a.score { h += "<p class=\"score\">Score \(score) of 100</p>" }
    if let keep = a.keepShare {
      h += "<div class=\"keepbar\" aria-label=\"share of code by verdict\">"
      let total = max(1, a.linesByVerdict.values.reduce(0, +))
      for v in Verdict.allCases {
        let lines = a.linesByVerdict[v] ?? 0
        guard lines > 0 else { continue }
        h += "<span style=\"width:\(Self.pct(Double(lines) / Double(total)));background:\(SVGCharts.verdictColor[v]!)\" title=\"\(v.rawValue): \(lines) lines\"></span>"
      }
      h += "</div><p class=\"small\">Worth keeping (keep + stabilize), by lines: <b>\(Words.percent(keep))</b>. "
      h += Verdict.allCases.map { "<span class=\"swatch\" style=\"background:\(SVGCharts.verdictColor[$0]!)\"></span>\($0.rawValue) \(Words.grouped(a.linesByVerdict[$0] ?? 0))" }.joined(separator: " · ") + " lines.</p>"
    }
    h += "</div></div>\n"
    for cap in a.caps { h += "<p class=\"note\">Grade capped: \(e(cap)).</p>\n" }
    h += "<h3>Risks that matter most to a buyer</h3>\n"
    if a.risks.isEmpty {
      h += "<p>No significant risk was found in the areas assessed.</p>\n"
    } else {
      h += "<ol class=\"risks\">" + a.risks.map { "<li><b>\(e($0.title))</b><br>\(e($0.detail))</li>" }.joined() + "</ol>\n"
    }
    h += "<h3>What to do</h3>\n<div class=\"columns\">"
    for horizon in Horizon.allCases {
      let list = a.actions.filter { $0.horizon == horizon }
      h += "<div class=\"column\"><h4>\(horizon.title)</h4>"
      if list.isEmpty {
        h += "<p class=\"small\">Nothing the scan found belongs here.</p>"
      } else {
        h += "<ul>" + list.map { "<li>\(e($0.text)) <span class=\"effort\">\($0.effort.rawValue) (estimate)</span></li>" }.joined() + "</ul>"
      }
      h += "</div>"
    }
    h += "</div>\n"
    if !c.inventory.isEmpty { h += "<h3>The code base</h3>\n" + Self.figures(c.inventory) }
    h += "</section>\n"

    // Areas.
    h += "<section id=\"areas\"><h2>Area grades</h2>\n<figure>\(SVGCharts.areaGrades(a.areas))</figure>\n"
    h += "<table><thead><tr><th>Area</th><th>Measure</th><th class=\"num\">Value</th><th class=\"num\">Score</th></tr></thead><tbody>"
    for area in a.areas {
      let label = area.score.map { "\(area.grade ?? "") · \($0)" } ?? "not assessed"
      let rows = area.measures.filter { area.score == nil || $0.score != nil }
      for (i, m) in rows.enumerated() {
        h += "<tr>"
        if i == 0 {
          h += "<td rowspan=\"\(rows.count)\"><b>\(e(area.area.title))</b><br><span class=\"grade-chip\" style=\"background:\(SVGCharts.gradeColor(area.grade))\">\(e(label))</span></td>"
        }
        h += "<td>\(e(m.measure.title))</td><td class=\"num\">\(m.value.map { e(Words.value($0, unit: m.measure.unit)) } ?? (m.score != nil ? "none" : "–"))</td>"
        h += "<td class=\"num\">\(m.score.map { String(Int($0)) } ?? "–")</td></tr>"
      }
    }
    h += "</tbody></table>\n</section>\n"

    // Components.
    h += "<section id=\"components\"><h2>Components: what is worth keeping</h2>\n"
    if a.components.contains(where: { $0.loc > 0 }) { h += "<figure>\(SVGCharts.componentMap(a.components))</figure>\n" }
    h += "<table class=\"components\"><thead><tr><th>Component</th><th class=\"num\">Lines</th><th>Verdict</th><th>Why</th></tr></thead><tbody>"
    for comp in a.components.sorted(by: { $0.loc != $1.loc ? $0.loc > $1.loc : $0.path < $1.path }) {
      h += "<tr><td><code>\(e(comp.path))</code></td><td class=\"num\">\(Words.grouped(comp.loc))</td>"
      h += "<td><span class=\"chip\" style=\"background:\(SVGCharts.verdictColor[comp.verdict]!)\">\(comp.verdict.rawValue)</span></td><td>"
      if !comp.summary.isEmpty { h += "<i>\(e(Words.capitalized(comp.summary))).</i>" }
      h += "<ul>" + comp.reasons.map { "<li>\(e($0.text))</li>" }.joined() + "</ul></td></tr>"
    }
    h += "</tbody></table>\n</section>\n"

    // Delivery.
    h += "<section id=\"delivery\"><h2>Delivery cadence</h2>\n"
    if let weekly = c.weekly {
      h += "<figure>\(SVGCharts.weekly(weekly))<figcaption>Commits per week, \(e(weekly.first!.week)) to \(e(weekly.last!.week)).</figcaption></figure>\n"
    }
    h += c.cadence.map(Self.figures) ?? "<p class=\"na\">\(e(c.notAssessed("cadence")))</p>\n"
    h += "</section>\n"

    // Hotspots.
    h += "<section id=\"hotspots\"><h2>Code hotspots</h2>\n"
    if let hot = c.hotspots, !hot.isEmpty {
      h += "<figure>\(SVGCharts.hotspots(hot))</figure>\n"
      h += "<table><thead><tr><th>File</th><th class=\"num\">Revisions</th><th class=\"num\">Lines</th><th class=\"num\">Complexity</th><th class=\"num\">Score</th></tr></thead><tbody>"
      for s in hot {
        h += "<tr\(s.hot ? " class=\"hot\"" : "")><td><code>\(e(s.path))</code></td><td class=\"num\">\(s.revisions)</td><td class=\"num\">\(Words.grouped(s.loc))</td><td class=\"num\">\(Words.grouped(s.complexity))</td><td class=\"num\">\(Words.ratio(s.score))</td></tr>"
      }
      h += "</tbody></table>\n"
    } else {
      h += "<p class=\"na\">\(e(c.notAssessed("hotspots")))</p>\n"
    }
    h += "</section>\n"

    h += "<section id=\"ownership\"><h2>Knowledge and ownership</h2>\n"
    h += c.ownership.map(Self.figures) ?? "<p class=\"na\">\(e(c.notAssessed("ownership")))</p>\n"
    h += "</section>\n"
    h += "<section id=\"tests\"><h2>Test health</h2>\n"
    h += c.tests.map(Self.figures) ?? "<p class=\"na\">\(e(c.notAssessed("tests")))</p>\n"
    h += "</section>\n"
    h += "<section id=\"dependencies\"><h2>Dependencies and supply chain</h2>\n"
    h += c.dependencies.map(Self.figures) ?? "<p class=\"na\">\(e(c.notAssessed("dependencies")))</p>\n"
    h += "</section>\n"

    h += "<section id=\"secrets\"><h2>Leaked credentials</h2>\n"
    if let secrets = c.secrets {
      if secrets.isEmpty {
        h += "<p>No credential was found in the tip tree or in history.</p>\n"
      } else {
        h += "<p class=\"small\">Values are never shown whole: a redacted preview only. Every one must be rotated, including those left only in history.</p>"
        h += "<table><thead><tr><th>Credential</th><th>Where</th><th>Preview</th><th>State</th></tr></thead><tbody>"
        for s in secrets {
          let place = s.path + (s.line.map { ":\($0)" } ?? "") + (s.commit.map { " (introduced in \($0))" } ?? "")
          h += "<tr><td>\(e(s.title))</td><td><code>\(e(place))</code></td><td><code>\(e(s.preview))</code></td><td>\(s.live ? "<b>still in the code</b>" : "history only")</td></tr>"
        }
        h += "</tbody></table>\n"
      }
    } else {
      h += "<p class=\"na\">\(e(c.notAssessed("secrets")))</p>\n"
    }
    h += "</section>\n"

    // Findings.
    h += "<section id=\"findings\"><h2>Findings and remediation</h2>\n"
    if a.advice.isEmpty {
      h += "<p>No findings.</p>\n"
    } else {
      h += "<p class=\"small\">Efforts are estimates: small = \(Effort.small.meaning), medium = \(Effort.medium.meaning), large = \(Effort.large.meaning).</p>\n"
      h += "<table class=\"findings\"><thead><tr><th>Severity</th><th>Finding</th><th>Remediation</th><th>Effort (estimate)</th><th>When</th></tr></thead><tbody>"
      for adv in a.advice {
        let f = adv.finding
        var location = f.location.path ?? ""
        if let line = f.location.line { location += ":\(line)" }
        if let commit = f.location.commit { location += (location.isEmpty ? "" : " · ") + "commit " + commit.prefix(12) }
        h += "<tr><td><span class=\"sev sev-\(f.severity.rawValue)\">\(f.severity.rawValue)</span></td>"
        h += "<td><b>\(e(f.title))</b><br>\(e(f.message))" + (location.isEmpty ? "" : "<br><code>\(e(location))</code>") + "</td>"
        h += "<td>\(e(adv.remediation.text))</td><td>\(adv.effort.rawValue)</td><td>\(e(adv.horizon.title))</td></tr>"
      }
      h += "</tbody></table>\n"
    }
    h += "</section>\n"

    h += "<section id=\"method\"><h2>Scope and method</h2>\n"
    h += "<p>Scanned: <code>\(e(c.repository.path))</code>, \(e(c.scope)). Salvage reads the repository read-only through libgit2: its history (one pass over every commit) and its tip tree. It runs nothing and sees no issue tracker, CI service or production system. Every age is counted from the last commit, not the day of the scan.</p>\n"
    h += "<p>Each area's score is the weighted mean of its measures' scores (0 to 100); each measure scores a fact by the bands below. The overall score is the weighted mean of the assessed areas, capped where a single fact rules out a better grade. A low score means higher maintenance effort and defect risk, not imminent failure: read it with the context of the business.</p>\n"
    h += "<table><thead><tr><th>Grade</th><th class=\"num\">Score from</th><th>Meaning</th></tr></thead><tbody>"
    h += a.rules.grades.map { "<tr><td><span class=\"grade-chip\" style=\"background:\(SVGCharts.gradeColor($0.grade))\">\(e($0.grade))</span></td><td class=\"num\">\(Int($0.minimum))</td><td>\(e($0.meaning))</td></tr>" }.joined()
    h += "</tbody></table>\n"
    h += "<table class=\"method\"><thead><tr><th>Area (weight)</th><th>Measure (weight)</th><th>Bands: value → score</th></tr></thead><tbody>"
    for area in a.areas {
      for (i, m) in area.area.measures.enumerated() {
        h += "<tr>" + (i == 0 ? "<td rowspan=\"\(area.area.measures.count)\">\(e(area.area.title)) (\(Words.ratio(area.area.weight)))" + (area.source.map { "<br><span class=\"small\">from \(e($0))</span>" } ?? "") + "</td>" : "")
        h += "<td>\(e(m.title)) (\(Words.ratio(m.weight)))</td><td>\(e(Words.bands(m)))</td></tr>"
      }
    }
    h += "</tbody></table>\n"
    if !a.rules.caps.isEmpty {
      h += "<p>Caps: " + a.rules.caps.map { e(Words.capitalized($0.reason)) }.joined(separator: "; ") + ".</p>\n"
    }
    h += "<p>Component verdicts: <b>rewrite</b> when heavy hotspot load, no tests and lost knowledge meet; <b>refactor</b> for heavy hotspot load or rework, or a hotspot without tests; <b>stabilize</b> for any lesser signal (some hotspot load, few or no tests, departed authors, a live credential, dependency hygiene, coupling to other components); <b>keep</b> otherwise. The reasons listed with each component are the signals found. Test-to-code line ratios are a proxy for coverage (SIG reads 100% as roughly 80% coverage), not a measurement.</p>\n"
    if !a.notes.isEmpty {
      h += "<h3>Limitations of this scan</h3><ul>" + a.notes.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n"
    }
    h += "</section>\n"
    h += "<footer>Generated by Salvage \(ReportDocument.toolVersion), report schema \(ReportDocument.schemaVersion). Findings are signals from the repository's history and tree, to be confirmed with the team.</footer>\n"
    h += "</body>\n</html>\n"
    return h
  }

  static func pct(_ share: Double) -> String { "\(Words.format1(share * 100))%" }

  static func figures(_ list: [ReportContent.Figure]) -> String {
    guard !list.isEmpty else { return "<p class=\"na\">No figures.</p>\n" }
    return "<dl class=\"figures\">" + list.map { "<dt>\(HTML.escape($0.label))</dt><dd>\(HTML.escape($0.value))</dd>" }.joined() + "</dl>\n"
  }

  static let css = """
    :root{--ink:#1f2328;--muted:#59636e;--line:#d0d7de;--soft:#f6f8fa}
    *{box-sizing:border-box}
    body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink);max-width:60rem;margin:0 auto;padding:2rem 1.5rem;line-height:1.45;font-size:15px}
    header{border-bottom:3px solid var(--ink);margin-bottom:1.5rem}
    .kicker{text-transform:uppercase;letter-spacing:.08em;font-size:.75rem;color:var(--muted);margin:0}
    h1{font-size:2rem;margin:.2rem 0;word-break:break-all}
    h2{font-size:1.35rem;border-bottom:1px solid var(--line);padding-bottom:.25rem;margin-top:2.2rem;break-after:avoid}
    h3{font-size:1.05rem;margin-top:1.4rem;break-after:avoid}
    h4{margin:.2rem 0 .4rem;font-size:.95rem}
    .meta,.small{color:var(--muted);font-size:.85rem}
    .verdict-box{display:flex;gap:1.25rem;align-items:flex-start}
    .grade{flex:none;width:5.5rem;height:5.5rem;border-radius:.6rem;color:#fff;font-size:3.4rem;font-weight:700;display:flex;align-items:center;justify-content:center}
    .headline{font-size:1.15rem;font-weight:600;margin:.1rem 0 .3rem}
    .score{margin:0 0 .5rem;color:var(--muted)}
    .keepbar{display:flex;height:.9rem;border-radius:.3rem;overflow:hidden;background:var(--soft);max-width:32rem}
    .keepbar span{display:block;height:100%}
    .swatch{display:inline-block;width:.7rem;height:.7rem;border-radius:.15rem;margin-right:.25rem;vertical-align:-.05rem}
    .note{background:#fff8e1;border-left:4px solid #f9a825;padding:.4rem .7rem}
    .risks li{margin-bottom:.45rem}
    .columns{display:grid;grid-template-columns:repeat(3,1fr);gap:1rem}
    .column{background:var(--soft);border-radius:.4rem;padding:.6rem .8rem;break-inside:avoid}
    .column ul{padding-left:1.1rem;margin:0}
    .column li{margin-bottom:.35rem}
    .effort{color:var(--muted);font-size:.8rem;white-space:nowrap}
    figure{margin:1rem 0;break-inside:avoid}
    figcaption{color:var(--muted);font-size:.8rem}
    svg{display:block;max-width:100%;height:auto}
    table{border-collapse:collapse;width:100%;margin:.8rem 0;font-size:.86rem}
    th,td{border-bottom:1px solid var(--line);padding:.35rem .45rem;text-align:left;vertical-align:top}
    th{background:var(--soft);font-weight:600}
    tr{break-inside:avoid}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    td ul{margin:.2rem 0 0;padding-left:1.1rem}
    code{font-family:ui-monospace,"SF Mono",Menlo,Consolas,monospace;font-size:.82rem;word-break:break-all}
    .chip,.grade-chip,.sev{display:inline-block;color:#fff;border-radius:.25rem;padding:0 .4rem;font-size:.78rem;font-weight:600;white-space:nowrap}
    .sev-critical{background:#8e0000}.sev-high{background:#c62828}.sev-medium{background:#ef6c00}.sev-low{background:#607d8b}.sev-info{background:#9e9e9e}
    tr.hot td:first-child{border-left:3px solid #c62828}
    dl.figures{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.6rem 0}
    dl.figures dt{color:var(--muted)}
    dl.figures dd{margin:0}
    .na{color:var(--muted);font-style:italic}
    footer{margin-top:2.5rem;border-top:1px solid var(--line);padding-top:.6rem;color:var(--muted);font-size:.8rem}
    @page{size:A4;margin:14mm 12mm}
    @media print{body{max-width:none;padding:0;font-size:10.5pt}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}section#summary{break-after:page}h2{margin-top:1.2rem}}
    @media (max-width:700px){.columns{grid-template-columns:1fr}.verdict-box{flex-direction:column}}
    """
}
