import FixtureSupport
import Foundation
import Testing

/// Generated, translated and configuration files on a scanned repository: counted in the inventory,
/// never a hotspot, never a component's code (fixture classify-generated-locale-config.sh).
@Suite struct ClassifyEndToEndTests {
  @Test func generatedTranslationAndConfigStayOutOfJudgement() throws {
    let repo = try Fixture.build("classify-generated-locale-config")
    let out = try Fixture.salvage(["scan", repo, "--format", "json"])
    #expect(out.status == 0, "\(out.stderr)")
    let doc = try ScanCommandTests.json(out)
    let analyzers = try #require(doc["analyzers"] as? [String: Any])
    let inventory = try #require(analyzers["inventory"] as? [String: Any])
    var classes: [String: (files: Int, lines: Int)] = [:]
    for entry in inventory["classes"] as? [[String: Any]] ?? [] {
      classes[entry["class"] as? String ?? ""] = (entry["files"] as? Int ?? -1, entry["lines"] as? Int ?? -1)
    }
    // By hand from the fixture: openapi.yaml 8 + 5 x 3 lines, db.go 32 + 5 x 5; en.json 4, de.json 4,
    // en.yml 2 + 5; package.json 3, base.json 5 + 5, ambient.d.ts 4 + 5; api.go 10 + 5.
    #expect(classes["generated"]! == (2, 80))
    #expect(classes["translation"]! == (3, 15))
    #expect(classes["config"]! == (3, 22))
    #expect(classes["source"]! == (1, 15))
    let fileClass = Dictionary(uniqueKeysWithValues: (inventory["files"] as? [[String: Any]] ?? []).map {
      ($0["path"] as? String ?? "", $0["class"] as? String ?? "")
    })
    #expect(fileClass["store/db.go"] == "generated", "marker on line 24, after a licence header")
    #expect(fileClass["proto/gen/openapi.yaml"] == "generated")
    #expect(fileClass["config/locales/en.yml"] == "translation")

    let hotspots = try #require(analyzers["hotspots"] as? [String: Any])
    let ranked = Set((hotspots["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String })
    #expect(ranked == ["server/api.go", "packages/tsconfig/base.json", "packages/tsconfig/ambient.d.ts", "packages/tsconfig/package.json"])

    let components = Dictionary(uniqueKeysWithValues: (doc["components"] as? [[String: Any]] ?? []).map { ($0["path"] as? String ?? "", $0) })
    for name in ["packages", "web", "config", "proto", "store"] {
      let component = try #require(components[name], "\(name)")
      #expect(component["loc"] as? Int == 0, "\(name)")
      #expect(component["verdict"] as? String == "keep", "\(name)")
      let signals = (component["reasons"] as? [[String: Any]] ?? []).compactMap { $0["signal"] as? String }
      #expect(signals == ["no-code"], "\(name)")
    }
    #expect(components["server"]?["loc"] as? Int == 15)
  }
}
