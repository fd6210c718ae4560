import SalvageCore

/// The investor report as one self-contained HTML file: no script, no network (a Content Security
/// Policy forbids both), charts as inline SVG, a print stylesheet for A4 PDF. Everything taken from
/// the repository is escaped: the page is laid out from the `HumanDocument`, whose text is `DocText`.
public struct HTMLRenderer: Renderer {
  public init() {}
  public var fileExtension: String { "html" }

  public func render(_ report: ReportModel, color: Bool) -> String { layout(report.document) }

  /// The page, from the document alone: every text on it is a `DocText`, rendered with the
  /// document's redactor.
  func layout(_ d: HumanDocument) -> String { HTMLPage(r: d.redactor).layout(d) }
}

/// One document's page. The executive summary, the area grades and the component verdicts come
/// first; the long lists go to the appendix.
struct HTMLPage {
  /// The scan's redactor: every `DocText` is rendered with it.
  let r: Redactor
  var charts: SVGCharts { SVGCharts(r: r) }

  func layout(_ d: HumanDocument) -> String {
    var h = head(d)
    h += summary(d.summary, notes: d.method.notes)
    h += areas(d.areas)
    h += components(d)
    h += delivery(d.delivery)
    h += hotspots(d.hotspots)
    h += figures(d.ownership, section: "ownership", title: "Knowledge and ownership")
    h += lines(d.lines)
    h += figures(d.tests, section: "tests", title: "Test health")
    h += figures(d.dependencies, section: "dependencies", title: "Dependencies and supply chain")
    h += vulnerabilities(d.vulnerabilities)
    h += figures(d.licences, section: "licences", title: "Licences / IP")
    h += secrets(d.secrets)
    h += findings(d.findings)
    h += method(d)
    h += appendix(d)
    h += "<footer>\(d.footer.html(r))</footer>\n"
    h += "</body>\n</html>\n"
    return h
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
      <title>Technical due diligence: \(d.name.html(r))</title>
      <style>\(Self.css)</style>
      </head>
      <body>
      <header>
      <p class="kicker">Technical due diligence · Salvage \(ReportDocument.toolVersion)</p>
      <h1>\(d.name.html(r))</h1>
      <p class="meta">\(d.scope.html(r))</p>
      </header>

      """
  }

  private func summary(_ s: HumanDocument.Summary, notes: [DocText]) -> String {
    var h = "<section id=\"summary\"><h2>Executive summary</h2>\n<div class=\"verdict-box\">"
    h += "<div class=\"grade\" style=\"background:\(SVGCharts.gradeColor(s.grade))\">\(s.grade?.text.html(r) ?? "–")</div>"
    h += "<div><p class=\"headline\">\(s.headline.html(r))</p>"
    if let score = s.score { h += "<p class=\"score\">Score \(score) of 100</p>" }
    if let keep = s.keep {
      h += "<div class=\"keepbar\" aria-label=\"share of code by verdict\">"
      for segment in keep.segments {
        h += "<span style=\"width:\(Words.percent1(segment.share));background:\(SVGCharts.verdictColor[segment.verdict]!)\" title=\"\(segment.verdict.rawValue): \(segment.lines.html(r))\"></span>"
      }
      h += "</div><p class=\"small\">Worth keeping (keep + stabilize), by lines: <b>\(keep.share.html(r))</b>. "
      h += keep.lines.map { "<span class=\"swatch\" style=\"background:\(SVGCharts.verdictColor[$0.verdict]!)\"></span>\($0.verdict.rawValue) \($0.lines.html(r))" }.joined(separator: " · ") + " lines.</p>"
    }
    h += "</div></div>\n"
    for cap in s.caps { h += "<p class=\"note\">Grade capped: \(cap.html(r)).</p>\n" }
    // What limits the scan is read before its conclusions.
    if !notes.isEmpty {
      h += "<div class=\"note\"><b>Limitations of this scan</b><ul>" + notes.map { "<li>\($0.html(r))</li>" }.joined() + "</ul></div>\n"
    }
    h += "<h3>Risks that matter most to a buyer</h3>\n"
    if s.risks.isEmpty {
      h += "<p>\(s.noRisk.html(r))</p>\n"
    } else {
      h += "<ol class=\"risks\">" + s.risks.map { "<li><b>\($0.title.html(r))</b><br>\($0.detail.html(r))</li>" }.joined() + "</ol>\n"
    }
    h += "<h3>What to do</h3>\n<div class=\"columns\">"
    for (horizon, list) in s.horizons {
      h += "<div class=\"column\"><h4>\(horizon.title)</h4>"
      if list.isEmpty {
        h += "<p class=\"small\">\(s.nothingHere.html(r))</p>"
      } else {
        h += "<ul>" + list.map { "<li>\($0.text.html(r)) <span class=\"effort\">\($0.effort.rawValue) (estimate)</span></li>" }.joined() + "</ul>"
      }
      h += "</div>"
    }
    h += "</div>\n"
    if let code = s.codeBase { h += "<h3>The code base</h3>\n" + figures(code.figures) }
    return h + "</section>\n"
  }

  private func areas(_ areas: [HumanDocument.AreaRow]) -> String {
    var h = "<section id=\"areas\"><h2>Area grades</h2>\n<figure>\(charts.areaGrades(areas))</figure>\n"
    h += "<table><thead><tr><th>Area</th><th>Measure</th><th class=\"num\">Value</th><th class=\"num\">Score</th></tr></thead><tbody>"
    for area in areas {
      let label = area.score.map { "\(area.grade?.text.html(r) ?? "") · \($0)" } ?? "not assessed"
      // A graded area shows the measures that scored; one not assessed shows every measure it lacks.
      let rows = area.score == nil ? area.measures : area.scored
      for (i, m) in rows.enumerated() {
        h += "<tr>"
        if i == 0 {
          h += "<td rowspan=\"\(rows.count)\"><b>\(area.title.html(r))</b><br><span class=\"grade-chip\" style=\"background:\(SVGCharts.gradeColor(area.grade))\">\(label)</span></td>"
        }
        h += "<td>\(m.title.html(r))</td><td class=\"num\">\(m.value?.html(r) ?? (m.score != nil ? "none" : "–"))</td>"
        h += "<td class=\"num\">\(m.score.map(String.init) ?? "–")</td></tr>"
      }
    }
    return h + "</tbody></table>\n</section>\n"
  }

  private func components(_ d: HumanDocument) -> String {
    var h = "<section id=\"components\"><h2>Components: what is worth keeping</h2>\n"
    if d.components.contains(where: { $0.loc > 0 }) { h += "<figure>\(charts.componentMap(d.components))</figure>\n" }
    h += componentTable(d.leadingComponents)
    if d.components.count > d.leadingComponents.count {
      h += "<p class=\"small\">The \(Figures.grouped(d.leadingComponents.count)) largest of \(Figures.grouped(d.components.count)) components; "
        + "<a href=\"#appendix-components\">Appendix B</a> lists the others.</p>\n"
    }
    return h + "</section>\n"
  }

  private func componentTable(_ rows: ArraySlice<HumanDocument.ComponentRow>) -> String {
    var h = "<table class=\"components\"><thead><tr><th>Component</th><th class=\"num\">Lines</th><th>Verdict</th><th>Why</th></tr></thead><tbody>"
    for comp in rows {
      h += "<tr><td><code>\(comp.path.html(r))</code></td><td class=\"num\">\(comp.lines.html(r))</td>"
      h += "<td><span class=\"chip\" style=\"background:\(SVGCharts.verdictColor[comp.verdict]!)\">\(comp.verdict.rawValue)</span><br><small>\(comp.confidence.rawValue) confidence</small></td><td>"
      if !comp.summary.isEmpty { h += "<i>\(comp.summary.html(r))</i>" }
      h += "<ul>" + comp.reasons.map { "<li>\($0.html(r))</li>" }.joined() + "</ul><small>\(comp.basis.html(r))</small></td></tr>"
    }
    return h + "</tbody></table>\n"
  }

  private func delivery(_ delivery: HumanDocument.Delivery) -> String {
    var h = "<section id=\"delivery\"><h2>Delivery cadence</h2>\n"
    if let weekly = delivery.weekly {
      h += "<figure>\(charts.weekly(weekly))<figcaption>Commits per week, \(weekly.first!.label.html(r)) to \(weekly.last!.label.html(r)) (peak \(delivery.peak.html(r))).</figcaption></figure>\n"
    }
    return h + figures(delivery.figures) + "</section>\n"
  }

  private func hotspots(_ hotspots: HumanDocument.Hotspots) -> String {
    var h = "<section id=\"hotspots\"><h2>Code hotspots</h2>\n"
    if let top = hotspots.top, !top.isEmpty {
      h += "<figure>\(charts.hotspots(top))</figure>\n"
      h += "<table><thead><tr><th class=\"num\">#</th><th>File</th><th class=\"num\">Revisions</th><th class=\"num\">Lines of code</th><th class=\"num\">Complexity</th><th class=\"num\">Score</th></tr></thead><tbody>"
      for s in top {
        h += "<tr\(s.hot ? " class=\"hot\"" : "")><td class=\"num\">\(s.rank)</td><td><code>\(s.path.html(r))</code></td><td class=\"num\">\(s.revisionsText.html(r))</td><td class=\"num\">\(s.lines.html(r))</td><td class=\"num\">\(s.complexityText.html(r))</td><td class=\"num\">\(s.scoreText.html(r))</td></tr>"
      }
      h += "</tbody></table>\n"
    } else {
      h += "<p class=\"na\">\(hotspots.notAssessed.html(r))</p>\n"
    }
    return h + "</section>\n"
  }

  private func lines(_ lines: HumanDocument.Lines) -> String {
    var h = "<section id=\"lines\"><h2>Who wrote today's code, and when</h2>\n" + figures(lines.figures)
    if let b = lines.burndown {
      h += "<figure>\(charts.burndown(b))<figcaption>Lines alive at the end of each \(b.unit.html(r)), by the \(b.unit.html(r)) they were written in (oldest at the bottom).</figcaption></figure>\n"
    }
    return h + "</section>\n"
  }

  private func figures(_ list: HumanDocument.FigureList, section: String, title: String) -> String {
    "<section id=\"\(section)\"><h2>\(title)</h2>\n" + figures(list) + "</section>\n"
  }

  private func figures(_ list: HumanDocument.FigureList) -> String {
    list.figures.map(figures) ?? "<p class=\"na\">\(list.notAssessed.html(r))</p>\n"
  }

  private func vulnerabilities(_ v: HumanDocument.Vulnerabilities) -> String {
    var h = "<section id=\"vulnerabilities\"><h2>Known vulnerabilities</h2>\n"
    guard let list = v.figures else { return h + "<p class=\"na\">\(v.notAssessed.html(r))</p>\n</section>\n" }
    h += figures(list)
    if v.rows.isEmpty { return h + "<p>\(v.none.html(r))</p>\n</section>\n" }
    h += "<table><thead><tr><th>Package</th><th>Advisory</th><th>Severity</th><th>Fixed in</th><th>Dependency</th><th>Vulnerable since</th><th>Lockfile</th></tr></thead><tbody>"
    for row in v.rows {
      h += "<tr><td><code>\(row.package.html(r))</code></td><td>\(row.advisory.html(r))</td><td>\(row.severity.html(r))</td><td>\(row.fixed.html(r))</td><td>\(row.dependency.html(r))</td><td>\(row.since.html(r))</td><td><code>\(row.lockfile.html(r))</code></td></tr>"
    }
    return h + "</tbody></table>\n</section>\n"
  }

  private func secrets(_ secrets: HumanDocument.Secrets) -> String {
    var h = "<section id=\"secrets\"><h2>Leaked credentials</h2>\n"
    if let rows = secrets.rows {
      let counted = rows.filter(\.counted)
      if counted.isEmpty {
        h += "<p>\(secrets.none.html(r))</p>\n"
      } else {
        h += "<p class=\"small\">\(secrets.intro.html(r))</p>" + secretTable(counted)
      }
      if counted.count < rows.count {
        h += "<p class=\"small\">\(Words.count(rows.count - counted.count, "test, example, public or expired value")) "
          + "(not counted as live credentials): <a href=\"#appendix-values\">Appendix D</a>.</p>\n"
      }
    } else {
      h += "<p class=\"na\">\(secrets.notAssessed.html(r))</p>\n"
    }
    return h + "</section>\n"
  }

  private func secretTable(_ rows: [HumanDocument.SecretRow]) -> String {
    var h = "<table><thead><tr><th>Credential</th><th>Where</th><th>Preview</th><th>State</th></tr></thead><tbody>"
    for s in rows {
      h += "<tr><td>\(s.title.html(r))</td><td><code>\(s.place.html(r))</code></td><td><code>\(s.preview.html(r))</code></td><td>\(s.live ? "<b>still in the code</b>" : "history only")</td></tr>"
    }
    return h + "</tbody></table>\n"
  }

  /// One block per remediation: what to do once, then the findings it answers (the first few here,
  /// every one in Appendix A).
  private func findings(_ findings: HumanDocument.FindingsSection) -> String {
    var h = "<section id=\"findings\"><h2>Findings and remediation</h2>\n"
    guard !findings.groups.isEmpty else { return h + "<p>\(findings.none.html(r))</p>\n</section>\n" }
    h += "<p class=\"small\">\(findings.tally.html(r)) \(findings.efforts.html(r))</p>\n"
    for group in findings.groups {
      h += "<div class=\"group\"><p class=\"group-head\"><span class=\"sev sev-\(group.severity.rawValue)\">\(group.severity.rawValue)</span> "
      h += "<b>\(group.heading.html(r))</b> <span class=\"small\">\(group.count.html(r)) · effort \(group.effort.rawValue) (estimate) · \(group.horizon.title.lowercased())</span></p>"
      h += "<p class=\"remedy\">\(group.remediation.html(r))</p><ul class=\"instances\">"
      for row in group.rows.prefix(HumanDocument.FindingsSection.shownPerGroup) {
        h += "<li><span class=\"sev-dot sev-\(row.severity.rawValue)\"></span>\(row.title.html(r))" + (row.terminalPlace.map { " <code>\($0.html(r))</code>" } ?? "") + "</li>"
      }
      let more = group.rows.count - HumanDocument.FindingsSection.shownPerGroup
      if more > 0 { h += "<li class=\"small\">and \(Figures.grouped(more)) more: <a href=\"#\(group.anchor.html(r))\">Appendix \(group.anchor.html(r))</a></li>" }
      h += "</ul></div>\n"
    }
    return h + "</section>\n"
  }

  private func method(_ d: HumanDocument) -> String {
    let method = d.method
    var h = "<section id=\"method\"><h2>Scope and method</h2>\n"
    h += method.paragraphs.map { "<p>" + $0.html(r) + "</p>\n" }.joined()
    h += "<table><thead><tr><th>Grade</th><th class=\"num\">Score from</th><th>Meaning</th></tr></thead><tbody>"
    h += method.grades.map { "<tr><td><span class=\"grade-chip\" style=\"background:\(SVGCharts.gradeColor($0.grade))\">\($0.grade.text.html(r))</span></td><td class=\"num\">\($0.minimum)</td><td>\($0.meaning.html(r))</td></tr>" }.joined()
    h += "</tbody></table>\n"
    if let caps = method.caps { h += "<p>Caps: " + caps.html(r) + ".</p>\n" }
    h += "<p>" + method.verdicts.html(r) + "</p>\n"
    return h + "</section>\n"
  }

  /// The long lists, after everything a reader needs to decide: every finding by group, the
  /// components the body left out, and the scoring bands.
  private func appendix(_ d: HumanDocument) -> String {
    var h = "<section id=\"appendix\" class=\"appendix\"><h2>Appendix</h2>\n"
    let findings = d.findings
    if !findings.groups.isEmpty {
      // Two columns of small type: a list to look things up in, not to read through.
      h += "<h3>A. Every finding, by remediation</h3>\n<div class=\"listing\">"
      for group in findings.groups {
        h += "<h4 id=\"\(group.anchor.html(r))\">\(group.anchor.html(r)). \(group.heading.html(r)) <span class=\"small\">(\(group.count.html(r)))</span></h4>\n"
        for row in group.rows {
          h += "<p><span class=\"sev-dot sev-\(row.severity.rawValue)\" title=\"\(row.severity.rawValue)\"></span><b>\(row.title.html(r))</b> \(row.message.html(r))"
            + (row.location.isEmpty ? "" : " <code>\(row.location.html(r))</code>") + "</p>\n"
        }
      }
      h += "</div>\n"
    }
    if d.components.count > d.leadingComponents.count {
      h += "<h3 id=\"appendix-components\">B. The other components</h3>\n" + componentTable(d.components.dropFirst(d.leadingComponents.count))
    }
    h += "<h3>C. How each measure is scored</h3>\n"
    h += "<table class=\"method\"><thead><tr><th>Area (weight)</th><th>Measure (weight)</th><th>Bands: value → score</th></tr></thead><tbody>"
    for area in d.method.areas {
      for (i, m) in area.measures.enumerated() {
        h += "<tr>" + (i == 0 ? "<td rowspan=\"\(area.measures.count)\">\(area.title.html(r)) (\(area.weight.html(r)))" + (area.source.map { "<br><span class=\"small\">from \($0.html(r))</span>" } ?? "") + "</td>" : "")
        h += "<td>\(m.title.html(r)) (\(m.weight.html(r)))</td><td>\(m.bands.html(r))</td></tr>"
      }
    }
    h += "</tbody></table>\n"
    if let rows = d.secrets.rows, rows.contains(where: { !$0.counted }) {
      h += "<h3 id=\"appendix-values\">D. Test, example, public and expired values</h3>\n" + secretTable(rows.filter { !$0.counted })
    }
    return h + "</section>\n"
  }

  func figures(_ list: [HumanDocument.Figure]) -> String {
    guard !list.isEmpty else { return "<p class=\"na\">No figures.</p>\n" }
    return "<dl class=\"figures\">" + list.map { "<dt>\($0.label.html(r))</dt><dd>\($0.value.html(r))</dd>" }.joined() + "</dl>\n"
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
    a{color:inherit}
    tr.hot td:first-child{border-left:3px solid #c62828}
    dl.figures{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.6rem 0}
    dl.figures dt{color:var(--muted)}
    dl.figures dd{margin:0}
    .na{color:var(--muted);font-style:italic}
    .group{margin:.7rem 0 .9rem;break-inside:avoid}
    .group-head{margin:.2rem 0}
    .remedy{margin:.2rem 0 .2rem 1rem}
    ul.instances{margin:.1rem 0 0 1rem;padding-left:1rem;font-size:.86rem}
    .sev-dot{display:inline-block;width:.55rem;height:.55rem;border-radius:50%;margin-right:.35rem}
    .appendix table{font-size:.74rem}
    .appendix th,.appendix td{padding:.2rem .35rem}
    .appendix h4{margin:.7rem 0 .2rem;font-size:.85rem;break-after:avoid}
    .listing{columns:2;column-gap:1.2rem;font-size:.7rem;line-height:1.25}
    .listing p{margin:0 0 .25rem;break-inside:avoid;overflow-wrap:anywhere}
    .listing code{font-size:.7rem}
    footer{margin-top:2.5rem;border-top:1px solid var(--line);padding-top:.6rem;color:var(--muted);font-size:.8rem}
    @page{size:A4;margin:14mm 12mm}
    @media print{body{max-width:none;padding:0;font-size:10.5pt}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}section#summary{break-after:page}section#appendix{break-before:page}h2{margin-top:1.2rem}section#components table.components{font-size:.8rem}table.components ul{margin:.1rem 0;padding-left:1rem}}
    @media (max-width:700px){.columns{grid-template-columns:1fr}.verdict-box{flex-direction:column}}
    """
}
