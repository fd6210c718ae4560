import Foundation

/// Accepted findings, by fingerprint. A finding's fingerprint is its id, which depends on content (the
/// rule and a content key such as a path or a secret's hash), never on a line number or a commit, so a
/// rebase or a moved line does not bring an accepted finding back.
///
/// The file is JSON: `{"salvageBaseline": 1, "findings": [{"id": "...", "rule": "...", "title": "..."}]}`
/// (rule and title are there for the people who review the file; only the id counts).
public enum Baseline {
  public static func render(_ findings: [Finding], redactor: Redactor) -> String {
    let entries = findings.map { f -> JSONValue in
      // Title and path are for the reader (only ids are read back): redacted as in every report.
      ["id": .string(f.id), "rule": .string("\(f.analyzer).\(f.rule)"), "title": .string(redactor.redact(f.title)),
       "path": f.location.path.map { .string(redactor.redact($0)) } ?? .null]
    }.sorted { ($0["id"]?.stringValue ?? "") < ($1["id"]?.stringValue ?? "") }
    return JSONValue.object([("salvageBaseline", 1), ("findings", .array(entries))]).serialized()
  }

  /// The file as Foundation decodes it (no line numbers are needed: the file is written by `render`).
  private struct File: Decodable {
    struct Entry: Decodable { let id: String? }
    let salvageBaseline: Int
    let findings: [Entry]
  }

  public static func parse(_ bytes: [UInt8], file: String) throws(ConfigError) -> Set<String> {
    guard let decoded = try? JSONDecoder().decode(File.self, from: Data(bytes)), decoded.salvageBaseline == 1 else {
      throw ConfigError(file: file, key: nil, line: nil, message: "not a Salvage baseline (expected {\"salvageBaseline\": 1, \"findings\": [...]})")
    }
    var ids = Set<String>()
    for entry in decoded.findings {
      guard let id = entry.id else { throw ConfigError(file: file, key: "findings", line: nil, message: "an entry has no id") }
      ids.insert(id)
    }
    return ids
  }
}
