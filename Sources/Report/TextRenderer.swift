import SalvageCore

/// The short terminal summary.
public struct TextRenderer: Renderer {
  public init() {}
  public var fileExtension: String { "txt" }

  public func render(_ scan: ScanResult, color: Bool) -> String {
    let repo = scan.context.repository
    func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func tint(_ s: String, _ severity: Severity) -> String {
      guard color else { return s }
      let code: String
      switch severity {
      case .critical, .high: code = "31"
      case .medium: code = "33"
      case .low: code = "36"
      case .info: code = "2"
      }
      return "\u{1B}[\(code)m\(s)\u{1B}[0m"
    }
    var out = bold("Salvage scan of \(repo.path)") + "\n"
    if repo.empty {
      out += "No history: the repository has no commits yet.\n"
    } else {
      let branch = repo.branch.map { " on \($0)" } ?? ""
      out += "Tip \(repo.head.map { String($0.prefix(12)) } ?? "-")\(branch)"
      out += ", \(repo.commitCount) commits"
      if let first = repo.firstCommit, let last = repo.lastCommit { out += " from \(UTC.date(first)) to \(UTC.date(last))" }
      out += repo.shallow ? " (shallow clone: history is cut)\n" : "\n"
    }
    if let inventory = scan.results.first(where: { $0.id == "inventory" })?.result.metrics {
      out += "\(inventory["totalFiles"]?.intValue ?? 0) files, \(inventory["totalLines"]?.intValue ?? 0) lines; "
      out += "\(inventory["authors"]?.intValue ?? 0) authors\n"
      let languages = inventory["languages"]?.arrayValue ?? []
      if !languages.isEmpty {
        let top = languages.prefix(5).map { "\($0["language"]?.stringValue ?? "?") \($0["lines"]?.intValue ?? 0)" }
        out += "Languages: " + top.joined(separator: ", ") + "\n"
      }
    }
    let findings = scan.findings
    out += "\n" + bold("Findings: \(findings.count)") + "\n"
    for f in findings.prefix(20) {
      var location = ""
      if let path = f.location.path { location = " " + path + (f.location.line.map { ":\($0)" } ?? "") }
      out += "  " + tint("[\(f.severity.rawValue)]", f.severity) + " \(f.title)\(location)\n"
    }
    if findings.count > 20 { out += "  ... and \(findings.count - 20) more (see the JSON report)\n" }
    return out
  }
}
