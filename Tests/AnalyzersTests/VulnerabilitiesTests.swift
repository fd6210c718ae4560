import Analyzers
import FixtureSupport
import Foundation
import SalvageCore
import Testing

/// OSV records written at test time for the packages of the `vulnerabilities-lockfiles` fixture.
private let records: [String: String] = [
  "npm-lodash.json": #"""
    {"id": "GHSA-35jh-r3h4-6jhm", "aliases": ["CVE-2021-23337"], "summary": "Command injection in lodash",
     "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
     "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}
    """#,
  "npm-next.json": #"""
    {"id": "GHSA-next-beta", "affected": [
      {"package": {"ecosystem": "npm", "name": "next"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "2.0.0-beta.2"}, {"fixed": "2.0.0-rc.1"}]}]},
      {"package": {"ecosystem": "npm", "name": "next-old"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "2.0.0-beta.2"}, {"fixed": "2.0.0-rc.1"}]}]}]}
    """#,
  "pypi-drf.json": #"""
    {"id": "PYSEC-2024-1", "aliases": ["CVE-2024-0001"], "database_specific": {"severity": "MODERATE"},
     "affected": [{"package": {"ecosystem": "PyPI", "name": "Django_REST.framework"},
                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1!1.0"}, {"fixed": "1!2.0a1"}]}]},
                  {"package": {"ecosystem": "PyPI", "name": "requests"},
                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1!0"}]}]},
                  {"package": {"ecosystem": "PyPI", "name": "urllib3"}, "versions": ["0.9.post1"]}]}
    """#,
  "maven-lib.json": #"""
    {"id": "GHSA-mvn", "affected": [{"package": {"ecosystem": "Maven", "name": "org.example:lib"},
      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0-rc1"}]}]},
      {"package": {"ecosystem": "Maven", "name": "org.example:other"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
    """#,
  "go-mod.json": #"""
    {"id": "GO-2023-0001", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"}],
     "affected": [{"package": {"ecosystem": "Go", "name": "github.com/Example/mod"},
                   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.1.0"}]}]},
                  {"package": {"ecosystem": "Go", "name": "golang.org/x/text"},
                   "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"last_affected": "1.2.0"}]}]},
                  {"package": {"ecosystem": "Go", "name": "golang.org/x/net"},
                   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"last_affected": "1.2.0"}]}]}]}
    """#,
]

private func writeRecords() throws -> String {
  let folder = try Fixture.temporaryFolder("osv")
  for (name, text) in records { try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name)) }
  return folder
}

private func scan(advisories: String?) throws -> (output: VulnerabilitiesOutput, findings: [Finding]) {
  let repo = try Fixture.build("vulnerabilities-lockfiles")
  var options = ScanOptions(path: repo)
  options.advisories = advisories
  let result = try SalvageCore.Scanner(analyzers: [VulnerabilitiesAnalyzer()]).scan(options)
  return (try #require(result.results[0].result.output(as: VulnerabilitiesOutput.self)), result.findings)
}

@Suite struct VulnerabilitiesTests {
  @Test func lockfilesHitAndMissByEachEcosystemsOrdering() throws {
    let (output, findings) = try scan(advisories: try writeRecords())
    #expect(output.status == "assessed")
    // web: lodash, left-pad, next, next-old; api: three; svc: three modules of go.sum (go.mod lines left
    // out); java: the one direct dependency pom.xml pins (a version range is not a version).
    #expect(output.packagesChecked == 11)
    #expect(output.uncheckedEcosystems == ["SwiftPM"])
    let rows = output.hits.map { "\($0.lockfile) \($0.package) \($0.version) \($0.id) [\($0.range)] fixed \($0.fixed ?? "-") \($0.direct ? "direct" : "transitive") \($0.severity)" }
    #expect(rows == [
      "api/poetry.lock django-rest-framework 1!1.5 PYSEC-2024-1 [>= 1!1.0, < 1!2.0a1] fixed 1!2.0a1 direct medium",
      "api/poetry.lock urllib3 0.9-1 PYSEC-2024-1 [listed 0.9.post1] fixed - transitive medium",
      "java/pom.xml org.example:lib 2.0-beta-1 GHSA-mvn [< 2.0-rc1] fixed 2.0-rc1 direct unknown",
      "svc/go.sum github.com/Example/mod v2.0.0+incompatible GO-2023-0001 [< 2.1.0] fixed 2.1.0 direct medium",
      "svc/go.sum golang.org/x/text v1.2.0 GO-2023-0001 [>= 1.0.0, <= 1.2.0] fixed - transitive medium",
      "web/package-lock.json lodash 4.17.20 GHSA-35jh-r3h4-6jhm [< 4.17.21] fixed 4.17.21 direct critical",
      "web/package-lock.json next 2.0.0-beta.10 GHSA-next-beta [>= 2.0.0-beta.2, < 2.0.0-rc.1] fixed 2.0.0-rc.1 transitive unknown",
    ])
    #expect(output.packagesVulnerable == 7)
    #expect(output.hits.first { $0.package == "lodash" }?.score == 9.8)
    #expect(output.hits.first { $0.package == "lodash" }?.aliases == ["CVE-2021-23337"])
    #expect(output.hits.first { $0.package == "golang.org/x/text" }?.score == 6.1)
    #expect(findings.count == 7)
    #expect(findings.map(\.severity.rawValue).sorted() == ["critical", "medium", "medium", "medium", "medium", "medium", "medium"])
    let lodash = try #require(findings.first { $0.title.hasPrefix("lodash") })
    #expect(lodash.location.path == "web/package-lock.json")
    #expect(lodash.message.contains("CVE-2021-23337") && lodash.message.contains("upgrade lodash to 4.17.21 or later") && lodash.message.contains("direct dependency"))
  }

  @Test func withoutAdvisoriesTheAreaIsNotAssessedAndSaysHowToGetThem() throws {
    let (output, findings) = try scan(advisories: nil)
    #expect(output.status == "not assessed")
    #expect(output.note?.contains("--advisories") == true)
    #expect(output.note?.contains("no network call") == true)
    #expect(output.hits.isEmpty && findings.isEmpty)
  }

  @Test func aRepositoryWithoutLockfilesDoesNotReadTheAdvisories() throws {
    let repo = try Fixture.build("basic")
    var options = ScanOptions(path: repo)
    // Not a zip at all: reading it would make the area "not assessed".
    let file = try Fixture.temporaryFolder("osv-unread") + "/all.zip"
    try Data([0x50, 0x4B, 3, 4]).write(to: URL(fileURLWithPath: file))
    options.advisories = file
    let result = try SalvageCore.Scanner(analyzers: [VulnerabilitiesAnalyzer()]).scan(options)
    let output = try #require(result.results[0].result.output(as: VulnerabilitiesOutput.self))
    #expect(output.status == "assessed")
    #expect(output.note?.hasPrefix("no lockfile resolves a package") == true)
    #expect(output.advisories == nil && output.packagesChecked == 0)
  }

  @Test func unreadableAdvisoriesAreNotAssessedWithTheReason() throws {
    let file = try Fixture.temporaryFolder("osv-bad") + "/all.zip"
    try Data([0x50, 0x4B, 3, 4, 1, 2, 3]).write(to: URL(fileURLWithPath: file))
    let (output, findings) = try scan(advisories: file)
    #expect(output.status == "not assessed")
    #expect(output.note?.contains("is not a zip this reader handles") == true)
    #expect(findings.isEmpty)
  }
}
