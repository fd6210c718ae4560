import SalvageCore

/// GitHub Actions workflow commands, one annotation per finding, most severe first, within GitHub's
/// per-step limits (10 errors, 10 warnings, 10 notices); the rest are counted in a closing notice and
/// listed in the job summary.
public struct GitHubAnnotationsRenderer: Renderer {
  public static let perLevel = 10
  public init() {}
  public var fileExtension: String { "github.txt" }

  public func render(_ report: ReportModel, color: Bool) -> String {
    var counts: [String: Int] = [:]
    var out = ""
    var left = 0
    for f in report.activeFindings {
      let level = Self.level(f.severity)
      guard counts[level, default: 0] < Self.perLevel else {
        left += 1
        continue
      }
      counts[level, default: 0] += 1
      var properties: [String] = []
      if let path = f.location.path {
        properties.append("file=" + Self.escapeProperty(path))
        properties.append("line=\(max(1, f.location.line ?? 1))")
      }
      properties.append("title=" + Self.escapeProperty("\(f.title) [\(f.analyzer)/\(f.rule)]"))
      out += "::\(level) \(properties.joined(separator: ","))::\(Self.escapeData(f.message))\n"
    }
    if left > 0 {
      out += "::notice title=Salvage::\(Self.escapeData("\(left) more findings are listed in the job summary and the SARIF/JSON report."))\n"
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

  /// The message part: secrets redacted, `%` escaped as the toolkit does, CR, LF and other controls
  /// and bidi characters shown as `\u{…}`, so no line of it can start a workflow command.
  public static func escapeData(_ s: String) -> String { OutputText(repository: s).rendered(for: .workflowMessage) }

  /// Property values also escape ":" and ",".
  public static func escapeProperty(_ s: String) -> String { OutputText(repository: s).rendered(for: .workflowProperty) }
}

/// `path:line: severity: title [analyzer/rule]`, the shape compilers print, which most CI systems turn
/// into links.
public struct CILinesRenderer: Renderer {
  public init() {}
  public var fileExtension: String { "ci.txt" }

  public func render(_ report: ReportModel, color: Bool) -> String {
    var out = ""
    for f in report.activeFindings {
      let place = f.location.path.map { "\(Self.line($0)):\(max(1, f.location.line ?? 1)): " } ?? ""
      out += "\(place)\(f.severity.rawValue): \(Self.line(f.title.replacingOccurrences(of: "\n", with: " "))) [\(Self.line("\(f.analyzer)/\(f.rule)"))]\n"
    }
    let accepted = report.findings.count - report.activeFindings.count
    out += "salvage: \(report.activeFindings.count) findings" + (accepted > 0 ? ", \(accepted) accepted in the baseline" : "") + "\n"
    return out
  }

  /// Secrets redacted, CR, ESC, BEL and bidi characters shown as `\u{…}`.
  static func line(_ s: String) -> String { OutputText(repository: s).rendered(for: .ciLine) }
}

/// The Markdown job summary for `$GITHUB_STEP_SUMMARY` (kept under GitHub's 1 MiB per step).
public enum JobSummary {
  public static let limit = 1 << 20

  public static func render(_ report: ReportModel) -> String {
    let active = report.activeFindings
    var out = "## Salvage\n\n"
    if let change = report.scan.context.change {
      out += "Changes against \(Markdown.code(change.base)): \(change.commits.count) commits, \(change.paths.count) files.\n\n"
    }
    let accepted = report.findings.count - active.count
    out += "**\(active.count) findings**" + (accepted > 0 ? " (\(accepted) accepted in the baseline)" : "") + "\n\n"
    if !active.isEmpty {
      out += "| Severity | Finding | Where |\n| --- | --- | --- |\n"
      for f in active {
        let place = f.location.path.map { Markdown.code($0) + (f.location.line.map { ":\($0)" } ?? "") } ?? ""
        let row = "| \(f.severity.rawValue) | \(cell(f.title)) | \(place) |\n"
        if out.utf8.count + row.utf8.count > limit - 200 {
          out += "\n_The list is cut at GitHub's summary size limit; see the SARIF or JSON report._\n"
          break
        }
        out += row
      }
    }
    return out
  }

  /// Repository text as Markdown text: no image, link, code span or tag can open, secrets redacted.
  static func cell(_ s: String) -> String { Markdown.escape(s) }
}
