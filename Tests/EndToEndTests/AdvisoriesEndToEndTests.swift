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
}
