import FixtureSupport
import Foundation
import Testing

/// `--advisories` as a user runs it: a missing path is one line and exit 2, before any git work.
@Suite struct AdvisoriesEndToEndTests {
  @Test func aMissingAdvisoriesPathIsOneLineAndExitTwo() throws {
    let repo = try Fixture.build("vulnerabilities-lockfiles")
    let out = try Fixture.salvage(["scan", repo, "--advisories", "/nonexistent/osv.zip", "--format", "json"])
    #expect(out.status == 2)
    #expect(out.stderr == "salvage: --advisories: no such file or folder, or not readable: /nonexistent/osv.zip\n")
    #expect(out.stdout.isEmpty)
  }

  @Test func aZippedFolderOfRecordsFindsTheVulnerableLockfileEntry() throws {
    let repo = try Fixture.build("vulnerabilities-lockfiles")
    let folder = try Fixture.temporaryFolder("osv-e2e")
    try Data(#"{"id": "GHSA-35jh-r3h4-6jhm", "affected": [{"package": {"ecosystem": "npm", "name": "lodash"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}"#.utf8)
      .write(to: URL(fileURLWithPath: folder + "/GHSA-35jh-r3h4-6jhm.json"))
    let zipped = try Fixture.run("/usr/bin/env", ["sh", "-c", "cd '\(folder)' && zip -q all.zip GHSA-35jh-r3h4-6jhm.json"])
    try #require(zipped.status == 0, "\(zipped.stderr)")
    let out = try Fixture.salvage(["scan", repo, "--advisories", folder + "/all.zip", "--format", "json", "--analyzers", "vulnerabilities"])
    #expect(out.status == 0, "\(out.stderr)")
    let doc = try #require(JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    let findings = try #require(doc["findings"] as? [[String: Any]])
    #expect(findings.compactMap { $0["title"] as? String } == ["lodash 4.17.20 has a known vulnerability: GHSA-35jh-r3h4-6jhm"])
    let check = try ScanCommandTests.validate(out.data)
    #expect(check.status == 0, "schema: \(check.stderr)")
  }

  /// The `vulnerabilities-history` fixture's advisories, as VulnerabilitiesTests writes them.
  static func records() throws -> String {
    let folder = try Fixture.temporaryFolder("osv-e2e-formats")
    let texts = [
      #"{"id": "GHSA-lodash", "aliases": ["CVE-2021-23337"], "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}], "affected": [{"package": {"ecosystem": "npm", "name": "lodash"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}"#,
      #"{"id": "GHSA-minimist", "database_specific": {"severity": "CRITICAL"}, "affected": [{"package": {"ecosystem": "npm", "name": "minimist"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.6"}]}]}]}"#,
    ]
    for (n, text) in texts.enumerated() { try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(n).json")) }
    return folder
  }

  /// The area is graded and shows in every format: lodash 4.17.20 (high 7.2) and minimist 1.2.5
  /// (critical by the database's word) give severeHits 2 (25), otherHits 0 (100), and 2 of the 4
  /// resolved packages (lodash, minimist, Django, x/text) vulnerable, 50% (20): (25*3 + 100 + 20) / 5 = 39: F.
  @Test func theAreaIsGradedAndAppearsInEveryFormat() throws {
    let repo = try Fixture.build("vulnerabilities-history")
    let osv = try Self.records()
    func scan(_ format: String, _ extra: [String] = []) throws -> String {
      let out = try Fixture.salvage(["scan", repo, "--advisories", osv, "--format", format, "--now", "last-commit"] + extra)
      #expect(out.status == 0, "\(format): \(out.stderr)")
      return out.stdout
    }
    let json = try scan("json")
    let doc = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let v = try #require((doc["analyzers"] as? [String: Any])?["vulnerabilities"] as? [String: Any])
    #expect(v["score"] as? Int == 39 && v["grade"] as? String == "F")
    #expect((v["hits"] as? [[String: Any]])?.compactMap { ($0["vulnerableSince"] as? [String: Any])?["date"] as? String } == ["2023-01-10", "2023-08-15"])
    let findings = try #require(doc["findings"] as? [[String: Any]]).filter { $0["analyzer"] as? String == "vulnerabilities" }
    #expect(findings.count == 2)
    #expect(findings.allSatisfy { (($0["remediation"] as? [String: Any])?["action"] as? String)?.hasPrefix("Upgrade the dependencies") == true })
    let components = try #require(doc["components"] as? [[String: Any]])
    let web = try #require(components.first { $0["path"] as? String == "web" })
    #expect(((web["analyzers"] as? [String: Any])?["vulnerabilities"] as? [String: Any])?["packages"] as? [String] == ["lodash 4.17.20", "minimist 1.2.5"])
    #expect((web["reasons"] as? [[String: Any]])?.contains { $0["signal"] as? String == "vulnerable-dependencies" } == true)
    let check = try ScanCommandTests.validate(Data(json.utf8))
    #expect(check.status == 0, "schema: \(check.stderr)")

    #expect(try scan("text").contains("Known vulnerabilities            F  39"))
    let md = try scan("md")
    #expect(md.contains("| Known vulnerabilities | F | 39 |") && md.contains("## Known vulnerabilities"))
    #expect(md.contains("| <code>minimist 1.2.5</code> | GHSA-minimist | critical | 1.2.6 | transitive | 2023-08-15 (139 days) | <code>web/package-lock.json</code> |"))
    let html = try scan("html")
    #expect(html.contains("<section id=\"vulnerabilities\">") && html.contains("<code>lodash 4.17.20</code>"))
    let sarif = try scan("sarif")
    // The rule's security-severity is its most severe finding's: minimist, critical.
    #expect(sarif.contains("\"ruleId\": \"vulnerabilities/known-vulnerability\"") && sarif.contains("\"security-severity\": \"9.5\""))
    // Each result carries its own: the finding's severity on GitHub's bands (critical 9.0+, high 7.0-8.9,
    // medium 4.0-6.9, low 0.1-3.9), so the lodash hit is not shown as critical.
    let runs = try #require((try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])
    let results = try #require(runs.first?["results"] as? [[String: Any]]).filter { $0["ruleId"] as? String == "vulnerabilities/known-vulnerability" }
    let bands: [String: ClosedRange<Double>] = ["critical": 9.0...10.0, "high": 7.0...8.9, "medium": 4.0...6.9, "low": 0.1...3.9]
    #expect(results.count == 2)
    for result in results {
      let properties = try #require(result["properties"] as? [String: Any])
      let score = try #require((properties["security-severity"] as? String).flatMap(Double.init))
      let severity = try #require(properties["severity"] as? String)
      #expect(bands[severity]?.contains(score) == true, "\(severity): \(score)")
    }
    #expect(Set(results.compactMap { ($0["properties"] as? [String: Any])?["security-severity"] as? String }).count == 2,
            "lodash's and minimist's hits differ in severity")
    let github = try scan("github")
    #expect(github.split(separator: "\n").contains { $0.hasPrefix("::error") && $0.contains("minimist 1.2.5") })

    // A pull request branching off at `base` brought only the minimist downgrade (and the Django bump,
    // which no advisory here covers): lodash 4.17.20 stays out though the change touched its lockfile.
    let change = try scan("json", ["--base", "base"])
    let changed = try #require((try JSONSerialization.jsonObject(with: Data(change.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
    #expect(changed.compactMap { $0["title"] as? String }.filter { $0.contains("known vulnerability") } == ["minimist 1.2.5 has a known vulnerability: GHSA-minimist"])
  }

  @Test func withoutAdvisoriesTheAreaSaysHowToGetThemInEveryFormat() throws {
    let repo = try Fixture.build("vulnerabilities-history")
    let md = try Fixture.salvage(["scan", repo, "--format", "md", "--now", "last-commit"])
    #expect(md.status == 0)
    #expect(md.stdout.contains("_Not assessed: no advisories given: download OSV records"))
    #expect(md.stdout.contains("| Known vulnerabilities | – | not assessed | no advisories given: download OSV records"))
    #expect(md.stdout.contains("osv-vulnerabilities.storage.googleapis.com/npm/all.zip"))
    let text = try Fixture.salvage(["scan", repo, "--format", "text", "--now", "last-commit"])
    #expect(text.stdout.contains("Known vulnerabilities: not assessed (no advisories given"))
  }
}
