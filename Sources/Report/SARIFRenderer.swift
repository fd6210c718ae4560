import SalvageCore

/// SARIF 2.1.0, as GitHub code scanning accepts it: one run, full rule metadata, `security-severity` on
/// security rules, our own content-based fingerprints, at most 5,000 results (the most severe), and a
/// real file location for every result. GitHub reads `security-severity` from the rule (its most severe
/// finding here: one rule holds hits of every severity); each result carries its own in its property bag
/// too (SARIF 2.1.0 §3.8 allows a property bag on any object), so a reader sees each hit's severity.
public struct SARIFRenderer: Renderer {
  public static let maxResults = 5000
  public init() {}
  public var fileExtension: String { "sarif" }

  /// Analyzers whose findings are security findings (they get a `security-severity`).
  static let securityAnalyzers: Set<String> = ["secrets", "dependencies", "vulnerabilities"]

  public func render(_ report: ReportModel, color: Bool) -> String { document(report).serialized() }
  public func renderBytes(_ report: ReportModel, color: Bool) -> [UInt8] { document(report).serializedBytes() }

  public func document(_ report: ReportModel) -> JSONValue {
    let scan = report.scan
    let entries = report.findings.prefix(Self.maxResults)
    let findings = entries.map(\.finding)
    var ruleIDs: [String] = []
    var ruleIndex: [String: Int] = [:]
    var ruleFindings: [String: Finding] = [:]
    for f in findings {
      let id = "\(f.analyzer)/\(f.rule)"
      if ruleIndex[id] == nil {
        ruleIndex[id] = 0
        ruleIDs.append(id)
        ruleFindings[id] = f
      } else if let known = ruleFindings[id], f.severity > known.severity {
        ruleFindings[id] = f
      }
    }
    ruleIDs.sort()
    for (i, id) in ruleIDs.enumerated() { ruleIndex[id] = i }
    let fallback = fallbackLocation(scan)
    let rules: [JSONValue] = ruleIDs.map { id in
      let f = ruleFindings[id]!
      var properties: [(String, JSONValue)] = [("tags", .array([.string(f.analyzer)] + (Self.securityAnalyzers.contains(f.analyzer) ? ["security"] : []))),
                                               ("precision", "high")]
      if Self.securityAnalyzers.contains(f.analyzer) {
        properties.append(("security-severity", .string(Self.securitySeverity(f.severity))))
      } else {
        properties.append(("problem.severity", .string(Self.problemSeverity(f.severity))))
      }
      return [
        "id": .string(id),
        "name": .string(Self.ruleName(f.rule)),
        "shortDescription": ["text": .string(Self.clip(f.title, 1024))],
        "fullDescription": ["text": .string(Self.clip("\(f.title). Reported by Salvage's \(f.analyzer) analyzer.", 1024))],
        "help": [
          "text": .string(Self.clip(f.message, 1024)),
          "markdown": .string(Self.clip("**\(Markdown.escape(f.title))**\n\n\(Markdown.escape(f.message))", 4096)),
        ],
        "defaultConfiguration": ["level": .string(Self.level(f.severity))],
        "properties": .object(properties),
      ]
    }
    let results: [JSONValue] = entries.map { entry in
      let f = entry.finding
      let id = "\(f.analyzer)/\(f.rule)"
      let path = f.location.path ?? fallback
      var result: [(String, JSONValue)] = [
        ("ruleId", .string(id)),
        ("ruleIndex", .int(ruleIndex[id]!)),
        ("level", .string(Self.level(f.severity))),
        ("message", ["text": .string(f.location.path == nil ? "\(f.title). \(f.message)" : f.message)]),
        ("locations", [[
          "physicalLocation": [
            "artifactLocation": ["uri": .string(Self.uri(OutputText.redact(path))), "uriBaseId": "%SRCROOT%"],
            "region": ["startLine": .int(max(1, f.location.line ?? 1))],
          ]
        ]]),
        ("partialFingerprints", ["salvageFindingId/v1": .string(f.id)]),
        ("properties", .object([("severity", .string(f.severity.rawValue)), ("analyzer", .string(f.analyzer))]
          + (Self.securityAnalyzers.contains(f.analyzer) ? [("security-severity", .string(Self.securitySeverity(f.severity)))] : []))),
      ]
      if entry.suppressed {
        result.append(("suppressions", [["kind": "external", "justification": "accepted in the Salvage baseline"]]))
      }
      return .object(result)
    }
    var run: [(String, JSONValue)] = [
      ("tool", ["driver": [
        "name": "Salvage",
        "semanticVersion": .string(ReportDocument.toolVersion),
        "rules": .array(rules),
      ]]),
      ("automationDetails", ["id": .string("salvage/\(scan.context.change == nil ? "full" : "pull-request")/")]),
      ("results", .array(results)),
    ]
    if let head = scan.context.repository.head {
      run.append(("properties", ["revision": .string(head)]))
    }
    let sarif: JSONValue = [
      "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
      "version": "2.1.0",
      "runs": [.object(run)],
    ]
    return sarif.redactingSecrets()
  }

  /// Repository-wide findings need a file: the README, else the first file of the tree.
  func fallbackLocation(_ scan: ScanResult) -> String {
    let files = scan.context.snapshot.files.map(\.displayPath).sorted()
    return files.first { $0.lowercased().hasPrefix("readme") } ?? files.first ?? "README.md"
  }

  static func uri(_ path: String) -> String {
    // A git-quoted (non-UTF-8) path is already escaped; percent-encode what a URI cannot hold.
    var out = ""
    for byte in path.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
           UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
      }
    }
    return out
  }

  static func level(_ s: Severity) -> String {
    switch s {
    case .critical, .high: return "error"
    case .medium: return "warning"
    case .low, .info: return "note"
    }
  }

  static func securitySeverity(_ s: Severity) -> String {
    switch s {
    case .critical: return "9.5"
    case .high: return "8.0"
    case .medium: return "5.5"
    case .low: return "3.0"
    case .info: return "1.0"
    }
  }

  static func problemSeverity(_ s: Severity) -> String {
    switch s {
    case .critical, .high: return "error"
    case .medium: return "warning"
    case .low, .info: return "recommendation"
    }
  }

  static func ruleName(_ rule: String) -> String {
    rule.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
  }

  /// Redacted before it is cut: a token cut short of its length no longer looks like one.
  static func clip(_ text: String, _ limit: Int) -> String {
    let text = OutputText.redact(text)
    return text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
  }
}

extension String {
  func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
