import SalvageCore

/// The investor report as one self-contained HTML file: no script, no network (a Content Security
/// Policy forbids both), charts as inline SVG, a print stylesheet for A4 PDF. Everything taken from
/// the repository is escaped.
public struct HTMLRenderer: Renderer {
  public init() {}
  public var fileExtension: String { "html" }

  public func render(_ report: ReportModel, color: Bool) -> String {
    let d = report.document
    var h = head(d)
    h += summary(d.summary)
    h += areas(d.areas)
    h += components(d.components)
    h += delivery(d.delivery)
    h += hotspots(d.hotspots)
    h += figures(d.ownership, section: "ownership", title: "Knowledge and ownership")
    h += figures(d.tests, section: "tests", title: "Test health")
    h += figures(d.dependencies, section: "dependencies", title: "Dependencies and supply chain")
    h += vulnerabilities(d.vulnerabilities)
    h += figures(d.licences, section: "licences", title: "Licences / IP")
    h += secrets(d.secrets)
    h += findings(d.findings)
    h += method(d)
    h += "<footer>\(d.footer)</footer>\n"
    h += "</body>\n</html>\n"
    return h
  }

  private func e(_ s: String) -> String { HTML.escape(s) }

  private func inline(_ paragraph: HumanDocument.Paragraph) -> String {
    paragraph.map { piece in
      switch piece {
      case let .words(s): return s
      case let .strong(s): return "<b>\(s)</b>"
      case let .text(s): return e(s)
      case let .code(s): return "<code>\(e(s))</code>"
      }
    }.joined()
  }

  private func head(_ d: HumanDocument) -> String {
    """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="generator" content="salvage \(ReportDocument.toolVersion)">
      <title>Technical due diligence: \(e(d.name))</title>
      <style>\(Self.css)</style>
      </head>
      <body>
      <header>
      <p class="kicker">Technical due diligence · Salvage \(ReportDocument.toolVersion)</p>
      <h1>\(e(d.name))</h1>
      <p class="meta">\(e(d.scope))</p>
      </header>

      """
  }

  private func summary(_ s: HumanDocument.Summary) -> String {
    var h = "<section id=\"summary\"><h2>Executive summary</h2>\n<div class=\"verdict-box\">"
    h += "<div class=\"grade grade-\(e(s.grade ?? "none"))\" style=\"background:\(SVGCharts.gradeColor(s.grade))\">\(e(s.grade ?? "–"))</div>"
    h += "<div><p class=\"headline\">\(e(s.headline))</p>"
    if let score = s.score { h += "<p class=\"score\">Score \(score) of 100</p>" }
    if let keep = s.keep {
      h += "<div class=\"keepbar\" aria-label=\"share of code by verdict\">"
      for segment in keep.segments {
        h += "<span style=\"width:\(Words.percent1(segment.share));background:\(SVGCharts.verdictColor[segment.verdict]!)\" title=\"\(segment.verdict.rawValue): \(segment.lines)\"></span>"
      }
      h += "</div><p class=\"small\">Worth keeping (keep + stabilize), by lines: <b>\(keep.share)</b>. "
      h += keep.lines.map { "<span class=\"swatch\" style=\"background:\(SVGCharts.verdictColor[$0.verdict]!)\"></span>\($0.verdict.rawValue) \($0.lines)" }.joined(separator: " · ") + " lines.</p>"
    }
    h += "</div></div>\n"
    for cap in s.caps { h += "<p class=\"note\">Grade capped: \(e(cap)).</p>\n" }
    h += "<h3>Risks that matter most to a buyer</h3>\n"
    if s.risks.isEmpty {
      h += "<p>\(s.noRisk)</p>\n"
    } else {
      h += "<ol class=\"risks\">" + s.risks.map { "<li><b>\(e($0.title))</b><br>\(e($0.detail))</li>" }.joined() + "</ol>\n"
    }
    h += "<h3>What to do</h3>\n<div class=\"columns\">"
    for (horizon, list) in s.horizons {
      h += "<div class=\"column\"><h4>\(horizon.title)</h4>"
      if list.isEmpty {
        h += "<p class=\"small\">\(s.nothingHere)</p>"
      } else {
        h += "<ul>" + list.map { "<li>\(e($0.text)) <span class=\"effort\">\($0.effort.rawValue) (estimate)</span></li>" }.joined() + "</ul>"
      }
      h += "</div>"
    }
    h += "</div>\n"
    if let code = s.codeBase { h += "<h3>The code base</h3>\n" + Self.figures(code.figures) }
    return h + "</section>\n"
  }

  private func areas(_ areas: [HumanDocument.AreaRow]) -> String {
    var h = "<section id=\"areas\"><h2>Area grades</h2>\n<figure>\(SVGCharts.areaGrades(areas))</figure>\n"
    h += "<table><thead><tr><th>Area</th><th>Measure</th><th class=\"num\">Value</th><th class=\"num\">Score</th></tr></thead><tbody>"
    for area in areas {
      let label = area.score.map { "\(area.grade ?? "") · \($0)" } ?? "not assessed"
      // A graded area shows the measures that scored; one not assessed shows every measure it lacks.
      let rows = area.score == nil ? area.measures : area.scored
      for (i, m) in rows.enumerated() {
        h += "<tr>"
        if i == 0 {
          h += "<td rowspan=\"\(rows.count)\"><b>\(e(area.title))</b><br><span class=\"grade-chip\" style=\"background:\(SVGCharts.gradeColor(area.grade))\">\(e(label))</span></td>"
        }
        h += "<td>\(e(m.title))</td><td class=\"num\">\(m.value.map(e) ?? (m.score != nil ? "none" : "–"))</td>"
        h += "<td class=\"num\">\(m.score.map(String.init) ?? "–")</td></tr>"
      }
    }
    return h + "</tbody></table>\n</section>\n"
  }

  private func components(_ rows: [HumanDocument.ComponentRow]) -> String {
    var h = "<section id=\"components\"><h2>Components: what is worth keeping</h2>\n"
    if rows.contains(where: { $0.loc > 0 }) { h += "<figure>\(SVGCharts.componentMap(rows))</figure>\n" }
    h += "<table class=\"components\"><thead><tr><th>Component</th><th class=\"num\">Lines</th><th>Verdict</th><th>Why</th></tr></thead><tbody>"
    for comp in rows {
      h += "<tr><td><code>\(e(comp.path))</code></td><td class=\"num\">\(comp.lines)</td>"
      h += "<td><span class=\"chip\" style=\"background:\(SVGCharts.verdictColor[comp.verdict]!)\">\(comp.verdict.rawValue)</span><br><small>\(comp.confidence.rawValue) confidence</small></td><td>"
      if !comp.summary.isEmpty { h += "<i>\(e(comp.summary))</i>" }
      h += "<ul>" + comp.reasons.map { "<li>\(e($0))</li>" }.joined() + "</ul><small>\(e(comp.basis))</small></td></tr>"
    }
    return h + "</tbody></table>\n</section>\n"
  }

  private func delivery(_ delivery: HumanDocument.Delivery) -> String {
    var h = "<section id=\"delivery\"><h2>Delivery cadence</h2>\n"
    if let weekly = delivery.weekly {
      h += "<figure>\(SVGCharts.weekly(weekly))<figcaption>Commits per week, \(e(weekly.first!.week)) to \(e(weekly.last!.week)).</figcaption></figure>\n"
    }
    return h + figures(delivery.figures) + "</section>\n"
  }

  private func hotspots(_ hotspots: HumanDocument.Hotspots) -> String {
    var h = "<section id=\"hotspots\"><h2>Code hotspots</h2>\n"
    if let top = hotspots.top, !top.isEmpty {
      h += "<figure>\(SVGCharts.hotspots(top))</figure>\n"
      h += "<table><thead><tr><th>File</th><th class=\"num\">Revisions</th><th class=\"num\">Lines</th><th class=\"num\">Complexity</th><th class=\"num\">Score</th></tr></thead><tbody>"
      for s in top {
        h += "<tr\(s.hot ? " class=\"hot\"" : "")><td><code>\(e(s.path))</code></td><td class=\"num\">\(s.revisionsText)</td><td class=\"num\">\(s.lines)</td><td class=\"num\">\(s.complexityText)</td><td class=\"num\">\(s.scoreText)</td></tr>"
      }
      h += "</tbody></table>\n"
    } else {
      h += "<p class=\"na\">\(e(hotspots.notAssessed))</p>\n"
    }
    return h + "</section>\n"
  }

  private func figures(_ list: HumanDocument.FigureList, section: String, title: String) -> String {
    "<section id=\"\(section)\"><h2>\(title)</h2>\n" + figures(list) + "</section>\n"
  }

  private func figures(_ list: HumanDocument.FigureList) -> String {
    list.figures.map(Self.figures) ?? "<p class=\"na\">\(e(list.notAssessed))</p>\n"
  }

  private func vulnerabilities(_ v: HumanDocument.Vulnerabilities) -> String {
    var h = "<section id=\"vulnerabilities\"><h2>Known vulnerabilities</h2>\n"
    guard let list = v.figures else { return h + "<p class=\"na\">\(e(v.notAssessed))</p>\n</section>\n" }
    h += Self.figures(list)
    if v.rows.isEmpty { return h + "<p>\(v.none)</p>\n</section>\n" }
    h += "<table><thead><tr><th>Package</th><th>Advisory</th><th>Severity</th><th>Fixed in</th><th>Dependency</th><th>Vulnerable since</th><th>Lockfile</th></tr></thead><tbody>"
    for r in v.rows {
      h += "<tr><td><code>\(e(r.package))</code></td><td>\(e(r.advisory))</td><td>\(e(r.severity))</td><td>\(e(r.fixed))</td><td>\(r.dependency)</td><td>\(e(r.since))</td><td><code>\(e(r.lockfile))</code></td></tr>"
    }
    return h + "</tbody></table>\n</section>\n"
  }

  private func secrets(_ secrets: HumanDocument.Secrets) -> String {
    var h = "<section id=\"secrets\"><h2>Leaked credentials</h2>\n"
    if let rows = secrets.rows {
      if rows.isEmpty {
        h += "<p>\(secrets.none)</p>\n"
      } else {
        h += "<p class=\"small\">\(secrets.intro)</p>"
        h += "<table><thead><tr><th>Credential</th><th>Where</th><th>Preview</th><th>State</th></tr></thead><tbody>"
        for s in rows {
          h += "<tr><td>\(e(s.title))</td><td><code>\(e(s.place))</code></td><td><code>\(e(s.preview))</code></td><td>\(s.live ? "<b>still in the code</b>" : "history only")</td></tr>"
        }
        h += "</tbody></table>\n"
      }
    } else {
      h += "<p class=\"na\">\(e(secrets.notAssessed))</p>\n"
    }
    return h + "</section>\n"
  }

  private func findings(_ findings: HumanDocument.FindingsSection) -> String {
    var h = "<section id=\"findings\"><h2>Findings and remediation</h2>\n"
    if findings.rows.isEmpty {
      h += "<p>\(findings.none)</p>\n"
    } else {
      h += "<p class=\"small\">\(findings.efforts)</p>\n"
      h += "<table class=\"findings\"><thead><tr><th>Severity</th><th>Finding</th><th>Remediation</th><th>Effort (estimate)</th><th>When</th></tr></thead><tbody>"
      for row in findings.rows {
        let f = row.finding
        var location = row.place
        if let commit = row.commit { location += (location.isEmpty ? "" : " · ") + "commit " + commit }
        h += "<tr><td><span class=\"sev sev-\(f.severity.rawValue)\">\(f.severity.rawValue)</span></td>"
        h += "<td><b>\(e(f.title))</b><br>\(e(f.message))" + (location.isEmpty ? "" : "<br><code>\(e(location))</code>") + "</td>"
        h += "<td>\(e(row.remediation))</td><td>\(row.effort.rawValue)</td><td>\(e(row.horizon.title))</td></tr>"
      }
      h += "</tbody></table>\n"
    }
    return h + "</section>\n"
  }

  private func method(_ d: HumanDocument) -> String {
    let method = d.method
    var h = "<section id=\"method\"><h2>Scope and method</h2>\n"
    h += method.paragraphs.map { "<p>" + inline($0) + "</p>\n" }.joined()
    h += "<table><thead><tr><th>Grade</th><th class=\"num\">Score from</th><th>Meaning</th></tr></thead><tbody>"
    h += method.grades.map { "<tr><td><span class=\"grade-chip\" style=\"background:\(SVGCharts.gradeColor($0.grade))\">\(e($0.grade))</span></td><td class=\"num\">\(Int($0.minimum))</td><td>\(e($0.meaning))</td></tr>" }.joined()
    h += "</tbody></table>\n"
    h += "<table class=\"method\"><thead><tr><th>Area (weight)</th><th>Measure (weight)</th><th>Bands: value → score</th></tr></thead><tbody>"
    for area in method.areas {
      for (i, m) in area.measures.enumerated() {
        h += "<tr>" + (i == 0 ? "<td rowspan=\"\(area.measures.count)\">\(e(area.title)) (\(area.weight))" + (area.source.map { "<br><span class=\"small\">from \(e($0))</span>" } ?? "") + "</td>" : "")
        h += "<td>\(e(m.title)) (\(m.weight))</td><td>\(e(m.bands))</td></tr>"
      }
    }
    h += "</tbody></table>\n"
    if let caps = method.caps { h += "<p>Caps: " + e(caps) + ".</p>\n" }
    h += "<p>" + inline(method.verdicts) + "</p>\n"
    if !method.notes.isEmpty {
      h += "<h3>Limitations of this scan</h3><ul>" + method.notes.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n"
    }
    return h + "</section>\n"
  }

  static func figures(_ list: [HumanDocument.Figure]) -> String {
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
