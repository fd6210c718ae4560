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

  public func document(_ report: ReportModel) -> JSONValue { document(report.document) }

  /// From the document alone: every text in it (rule ids, descriptions, help, messages, paths) is a
  /// `DocText` rendered with the scan's redactor, for SARIF's `text` or `markdown`.
  func document(_ d: HumanDocument) -> JSONValue {
    func text(_ t: DocText) -> String { t.rendered(for: .sarifText, by: d.redactor) }
    let rows = d.findings.rows.prefix(Self.maxResults)
    var ruleIDs: [String] = []
    var ruleRows: [String: HumanDocument.FindingRow] = [:]
    for row in rows {
      let id = text("\(row.machine.analyzer)/\(row.machine.rule)")
      if let known = ruleRows[id] {
        if row.severity > known.severity { ruleRows[id] = row }
      } else {
        ruleIDs.append(id)
        ruleRows[id] = row
      }
    }
    ruleIDs.sort()
    var ruleIndex: [String: Int] = [:]
    for (i, id) in ruleIDs.enumerated() { ruleIndex[id] = i }
    let rules: [JSONValue] = ruleIDs.map { id in
      let row = ruleRows[id]!
      let analyzer = text(row.machine.analyzer)
      let security = Self.securityAnalyzers.contains(analyzer)
      var properties: [(String, JSONValue)] = [("tags", .array([.string(analyzer)] + (security ? ["security"] : []))), ("precision", "high")]
      if security {
        properties.append(("security-severity", .string(Self.securitySeverity(row.severity))))
      } else {
        properties.append(("problem.severity", .string(Self.problemSeverity(row.severity))))
      }
      let full: DocText = "\(row.title). Reported by Salvage's \(row.machine.analyzer) analyzer."
      let help = row.title.strong.rendered(for: .sarifMarkdown, by: d.redactor) + "\n\n" + row.message.rendered(for: .sarifMarkdown, by: d.redactor)
      return [
        "id": .string(id),
        "name": .string(Self.ruleName(text(row.machine.rule))),
        "shortDescription": ["text": .string(Self.clip(text(row.title), 1024))],
        "fullDescription": ["text": .string(Self.clip(text(full), 1024))],
        "help": [
          "text": .string(Self.clip(text(row.message), 1024)),
          "markdown": .string(Self.clip(help, 4096)),
        ],
        "defaultConfiguration": ["level": .string(Self.level(row.severity))],
        "properties": .object(properties),
      ]
    }
    let results: [JSONValue] = rows.map { row in
      let id = text("\(row.machine.analyzer)/\(row.machine.rule)")
      let message: DocText = row.machine.path == nil ? "\(row.title). \(row.message)" : row.message
      var result: [(String, JSONValue)] = [
        ("ruleId", .string(id)),
        ("ruleIndex", .int(ruleIndex[id]!)),
        ("level", .string(Self.level(row.severity))),
        ("message", ["text": .string(text(message))]),
        ("locations", [[
          "physicalLocation": [
            "artifactLocation": ["uri": .string(Self.uri(text(row.machine.path ?? d.ci.fallbackPath))), "uriBaseId": "%SRCROOT%"],
            "region": ["startLine": .int(max(1, row.machine.line ?? 1))],
          ]
        ]]),
        ("partialFingerprints", ["salvageFindingId/v1": .string(text(row.machine.id))]),
        ("properties", .object([("severity", .string(row.severity.rawValue)), ("analyzer", .string(text(row.machine.analyzer)))]
          + (Self.securityAnalyzers.contains(text(row.machine.analyzer)) ? [("security-severity", .string(Self.securitySeverity(row.severity)))] : []))),
      ]
      if row.machine.suppressed {
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
      ("automationDetails", ["id": .string("salvage/\(d.ci.change == nil ? "full" : "pull-request")/")]),
      ("results", .array(results)),
    ]
    if let revision = d.ci.revision {
      run.append(("properties", ["revision": .string(text(revision))]))
    }
    // No walk redacts the tree afterwards: every text above came from the document through the
    // scan's redactor (`ScanRedactionTests.ciFormatsTakeEveryTextFromTheDocument` holds it so).
    return [
      "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
      "version": "2.1.0",
      "runs": [.object(run)],
    ]
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

  /// `text` is rendered, so redacted, before it is cut: a token cut short of its length no longer
  /// looks like one.
  static func clip(_ text: String, _ limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
  }
}

extension String {
  func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
