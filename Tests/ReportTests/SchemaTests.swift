import FixtureSupport
import Foundation
import Report
@testable import SalvageCore
import Testing

/// The JSON document against the published schema, for the full hand-built scan, a scan where only
/// the inventory ran, and an empty repository; and the schema's own promises.
@Suite struct SchemaTests {
  static func validate(_ text: String) throws -> Fixture.Output {
    let file = try Fixture.temporaryFolder("schema") + "/report.json"
    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    return try Fixture.run("/usr/bin/env", ["python3", Fixture.root.appendingPathComponent("scripts/validate-json.py").path,
                                            Fixture.root.appendingPathComponent("schema/salvage-report.schema.json").path, file])
  }

  @Test(arguments: ["full", "inventory-only", "empty"])
  func documentIsValid(_ name: String) throws {
    let scan: ScanResult
    switch name {
    case "full": scan = SampleScan.full()
    case "inventory-only": scan = SampleScan.inventoryOnly()
    default: scan = ScanResult(context: SampleScan.context(empty: true), results: [])
    }
    let out = try Self.validate(JSONRenderer().render(SampleScan.report(scan), color: false))
    #expect(out.status == 0, "\(out.stderr)")
  }

  @Test func documentCarriesTheContract() throws {
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(SampleScan.report(SampleScan.full()), color: false).utf8)) as? [String: Any])
    #expect(doc["schemaVersion"] as? String == ReportDocument.schemaVersion)
    let summary = try #require(doc["summary"] as? [String: Any])
    #expect(summary["score"] is Int && summary["grade"] is String && summary["headline"] is String && summary["keepShare"] is Double)
    for analyzer in (doc["analyzers"] as? [String: [String: Any]] ?? [:]).values {
      #expect(analyzer.keys.contains("score") && analyzer.keys.contains("grade"))
    }
    let components = try #require(doc["components"] as? [[String: Any]])
    #expect(components.map { $0["path"] as? String ?? "" } == components.map { $0["path"] as? String ?? "" }.sorted())
    for c in components {
      #expect(["keep", "stabilize", "refactor", "rewrite"].contains(c["verdict"] as? String ?? ""))
      #expect(c["reasons"] is [[String: Any]])
    }
    for f in try #require(doc["findings"] as? [[String: Any]]) {
      let remediation = try #require(f["remediation"] as? [String: Any])
      #expect(["small", "medium", "large"].contains(remediation["effort"] as? String ?? ""))
      #expect(remediation["estimate"] as? Bool == true)
    }
  }

  /// Fields are only added within a major version: every field the 1.0 schema required is still required.
  @Test func schemaOnlyAdds() throws {
    let data = try Data(contentsOf: Fixture.root.appendingPathComponent("schema/salvage-report.schema.json"))
    let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let required = Set(schema["required"] as? [String] ?? [])
    #expect(required.isSuperset(of: ["schemaVersion", "tool", "repository", "analyzers", "findings", "components"]))
    let defs = try #require(schema["$defs"] as? [String: Any])
    let component = Set((defs["component"] as? [String: Any])?["required"] as? [String] ?? [])
    #expect(component.isSuperset(of: ["id", "path", "files", "loc", "analyzers"]))
    #expect((schema["properties"] as? [String: Any])?["summary"] != nil)
  }
}
