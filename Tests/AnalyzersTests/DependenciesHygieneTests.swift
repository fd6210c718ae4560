import Analyzers
import FixtureSupport
import SalvageCore
import Testing

@Suite struct DependenciesHygieneTests {
  static func scores(_ m: JSONValue) -> [String: Int] {
    var out: [String: Int] = [:]
    for c in m["scorecard"]?.arrayValue ?? [] { out[c["check"]!.stringValue!] = c["score"]!.intValue! }
    return out
  }

  @Test func scorecardBad() throws {
    let (m, findings) = try Scan.run("deps-hygiene-bad")
    let s = Self.scores(m)
    // Pinned-Dependencies: checkout@v4 (2) + some/action@main (8) + FROM node:20 (10) + curl|bash (10) + npm install (10)
    // unpinned, one pinned image (10): 10 × 10 / 50 = 2.
    #expect(s["Binary-Artifacts"] == 8)
    #expect(s["Dangerous-Workflow"] == 0)
    #expect(s["Dependency-Update-Tool"] == 0)
    #expect(s["License"] == 0)
    #expect(s["Maintained"] == 0)
    #expect(s["Pinned-Dependencies"] == 2)
    #expect(s["Security-Policy"] == 0)
    #expect(s["Token-Permissions"] == 0)
    #expect(s["Code-Review"] == -1)
    #expect(s["Vulnerabilities"] == -1)
    let failing = Set(findings.filter { $0.rule.hasPrefix("scorecard-") }.map(\.rule))
    #expect(failing == ["scorecard-binary-artifacts", "scorecard-dangerous-workflow", "scorecard-dependency-update-tool", "scorecard-license",
                        "scorecard-maintained", "scorecard-pinned-dependencies", "scorecard-security-policy", "scorecard-token-permissions"])
    let dangerous = try #require(findings.first { $0.rule == "scorecard-dangerous-workflow" })
    #expect(dangerous.severity == .high)
    let details = dangerous.evidenceJSON["details"]?.arrayValue?.compactMap(\.stringValue) ?? []
    #expect(details.contains { $0.contains("checks out untrusted pull-request code") })
    #expect(details.contains { $0.contains("github.event.pull_request.title") })
  }

  @Test func scorecardGood() throws {
    let (m, findings) = try Scan.run("deps-hygiene-good")
    let s = Self.scores(m)
    for check in ["Binary-Artifacts", "Dangerous-Workflow", "Dependency-Update-Tool", "License", "Maintained", "Pinned-Dependencies",
                  "Security-Policy", "Token-Permissions"] {
      #expect(s[check] == 10, "\(check): \(m["scorecard"]?.arrayValue?.first { $0["check"]?.stringValue == check }?["reason"] ?? nil)")
    }
    #expect(!findings.contains { $0.rule.hasPrefix("scorecard-") })
  }

  @Test func malformedManifests() throws {
    let (m, findings) = try Scan.run("deps-malformed")
    let malformed = findings.filter { $0.rule == "malformed-manifest" }.sorted { $0.location.path! < $1.location.path! }
    #expect(malformed.map(\.location.path) == ["app/pubspec.yaml", "cli/Cargo.toml", "java/pom.xml", "web/package.json"])
    #expect(malformed.map(\.location.line) == [4, 5, 7, 5])
    for f in malformed { #expect(f.message.hasPrefix(f.location.path! + " line "), "\(f.message)") }
    // The scan went on: the good manifest beside them is read with its lockfile.
    let ok = m["manifests"]?.arrayValue?.first { $0["path"]?.stringValue == "ok/package.json" }
    #expect(ok?["lockfile"] == "ok/package-lock.json")
    #expect(ok?["resolved"] == 1)
    #expect(m["malformed"]?.arrayValue?.count == 4)
  }
}
