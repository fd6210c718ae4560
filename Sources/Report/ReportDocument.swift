import SalvageCore

/// The JSON report: the product's contract with data pipelines. Its shape is published in
/// `schema/salvage-report.schema.json`; within a major version fields are only ever added.
public enum ReportDocument {
  public static let schemaVersion = "1.0.0"
  public static let toolVersion = "0.1.0"

  public static func build(_ scan: ScanResult) -> JSONValue {
    let repo = scan.context.repository
    let repository: JSONValue = [
      "path": .string(repo.path),
      "head": repo.head.map(JSONValue.string) ?? .null,
      "branch": repo.branch.map(JSONValue.string) ?? .null,
      "revision": repo.revision.map(JSONValue.string) ?? .null,
      "commitCount": .int(repo.commitCount),
      "firstCommit": repo.firstCommit.map { .string(UTC.iso($0)) } ?? .null,
      "lastCommit": repo.lastCommit.map { .string(UTC.iso($0)) } ?? .null,
      "shallow": .bool(repo.shallow),
      "bare": .bool(repo.bare),
      "empty": .bool(repo.empty),
    ]
    let analyzers = JSONValue.object(scan.results.map { ($0.id, $0.result.metrics) })
    let findings = JSONValue.array(scan.findings.map { finding($0, suppressed: scan.isSuppressed($0)) })
    var document: JSONValue = [
      "schemaVersion": .string(schemaVersion),
      "tool": ["name": "salvage", "version": .string(toolVersion)],
      "repository": repository,
      "analyzers": analyzers,
      "findings": findings,
      "components": components(scan),
    ]
    if let change = scan.context.change {
      document.set("change", [
        "base": .string(change.base),
        "baseCommit": .string(change.baseCommit.hex),
        "mergeBase": change.mergeBase.map { .string($0.hex) } ?? .null,
        "commits": .array(change.commitIDs.sorted().map(JSONValue.string)),
        "files": .array(change.paths.sorted().map(JSONValue.string)),
      ])
    }
    return document
  }

  static func finding(_ f: Finding, suppressed: Bool) -> JSONValue {
    [
      "id": .string(f.id),
      "analyzer": .string(f.analyzer),
      "rule": .string(f.rule),
      "severity": .string(f.severity.rawValue),
      "title": .string(f.title),
      "message": .string(f.message),
      "location": [
        "path": f.location.path.map(JSONValue.string) ?? .null,
        "line": f.location.line.map(JSONValue.int) ?? .null,
        "commit": f.location.commit.map(JSONValue.string) ?? .null,
      ],
      "evidence": f.evidence,
      "suppressed": .bool(suppressed),
    ]
  }

  /// One entry per component, sorted by path, with each analyzer's facts under its id.
  static func components(_ scan: ScanResult) -> JSONValue {
    var names = Set<String>()
    for (_, result) in scan.results { names.formUnion(result.components.keys) }
    return .array(names.sorted().map { name in
      let inventory = scan.results.first { $0.id == "inventory" }?.result.components[name]
      var entry: JSONValue = [
        "id": .string("component." + StableHash.hex(name)),
        "path": .string(name),
        "files": inventory?["files"] ?? .int(0),
        "loc": inventory?["loc"] ?? .int(0),
      ]
      var facts: [(String, JSONValue)] = []
      for (id, result) in scan.results {
        if let value = result.components[name] { facts.append((id, value)) }
      }
      entry.set("analyzers", .object(facts))
      return entry
    })
  }
}
