import SalvageCore

/// GitHub Actions workflow commands, one annotation per finding, most severe first, within GitHub's
/// per-step limits (10 errors, 10 warnings, 10 notices); the rest are counted in a closing notice and
/// listed in the job summary.
public struct GitHubAnnotationsRenderer: Renderer {
  public static let perLevel = 10
  public init() {}
  public var fileExtension: String { "github.txt" }

  public func render(_ report: ReportModel, color: Bool) -> String { layout(report.document) }

  /// From the document alone: every text is a `DocText`, rendered for its place in a workflow command.
  func layout(_ d: HumanDocument) -> String {
    var counts: [String: Int] = [:]
    var out = ""
    var left = 0
    for row in d.findings.rows where !row.machine.suppressed {
      let level = Self.level(row.severity)
      guard counts[level, default: 0] < Self.perLevel else {
        left += 1
        continue
      }
      counts[level, default: 0] += 1
      var properties: [String] = []
      if let path = row.machine.path {
        properties.append("file=" + path.rendered(for: .workflowProperty, by: d.redactor))
        properties.append("line=\(max(1, row.machine.line ?? 1))")
      }
      let title: DocText = "\(row.title) [\(row.machine.analyzer)/\(row.machine.rule)]"
      properties.append("title=" + title.rendered(for: .workflowProperty, by: d.redactor))
      out += "::\(level) \(properties.joined(separator: ","))::\(row.message.rendered(for: .workflowMessage, by: d.redactor))\n"
    }
    if left > 0 {
      let more: DocText = "\(left) more findings are listed in the job summary and the SARIF/JSON report."
      out += "::notice title=Salvage::\(more.rendered(for: .workflowMessage, by: d.redactor))\n"
    }
    return out
  }

  static func level(_ s: Severity) -> String {
    switch s {
    case .critical, .high: return "error"
    case .medium: return "warning"
    case .low, .info: return "notice"
    }
  }
}

/// `path:line: severity: title [analyzer/rule]`, the shape compilers print, which most CI systems turn
/// into links.
public struct CILinesRenderer: Renderer {
  public init() {}
  public var fileExtension: String { "ci.txt" }

  public func render(_ report: ReportModel, color: Bool) -> String { layout(report.document) }

  /// From the document alone: secrets redacted, CR, ESC, BEL and bidi characters shown as `\u{…}`.
  func layout(_ d: HumanDocument) -> String {
    var out = ""
    var active = 0
    for row in d.findings.rows where !row.machine.suppressed {
      active += 1
      let place: DocText = row.machine.path.map { "\($0):\(max(1, row.machine.line ?? 1)): " } ?? .empty
      let line: DocText = "\(place)\(row.severity.rawValue): \(row.title) [\(row.machine.analyzer)/\(row.machine.rule)]"
      out += line.rendered(for: .ciLine, by: d.redactor) + "\n"
    }
    let accepted = d.findings.rows.count - active
    out += "salvage: \(active) findings" + (accepted > 0 ? ", \(accepted) accepted in the baseline" : "") + "\n"
    return out
  }
}

/// The Markdown job summary for `$GITHUB_STEP_SUMMARY` (kept under GitHub's 1 MiB per step).
public enum JobSummary {
  public static let limit = 1 << 20

  public static func render(_ report: ReportModel) -> String { layout(report.document) }

  /// From the document alone: every text is a `DocText`, rendered as Markdown with the scan's redactor
  /// (no image, link, code span or tag can open).
  static func layout(_ d: HumanDocument) -> String {
    func md(_ text: DocText) -> String { text.markdown(d.redactor) }
    let active = d.findings.rows.filter { !$0.machine.suppressed }
    var out = "## Salvage\n\n"
    if let change = d.ci.change { out += md(change) + "\n\n" }
    let accepted = d.findings.rows.count - active.count
    out += "**\(active.count) findings**" + (accepted > 0 ? " (\(accepted) accepted in the baseline)" : "") + "\n\n"
    if !active.isEmpty {
      out += "| Severity | Finding | Where |\n| --- | --- | --- |\n"
      for row in active {
        let place = row.machine.path.map { path -> String in
          let line: DocText = row.machine.line.map { ":\($0)" } ?? .empty
          return md("\(code: path)\(line)")
        } ?? ""
        let cells = "| \(row.severity.rawValue) | \(md(row.title)) | \(place) |\n"
        if out.utf8.count + cells.utf8.count > limit - 200 {
          out += "\n_The list is cut at GitHub's summary size limit; see the SARIF or JSON report._\n"
          break
        }
        out += cells
      }
    }
    return out
  }
}
