import Foundation
import Testing
@testable import Advisories

/// A hand-made OSV folder, written at test time: advisories for npm, PyPI and Go packages whose ranges
/// need each ordering's special cases, a few for the other ecosystems, and records the loader must skip.
enum OSVFolder {
  static let records: [String: String] = [
    "npm/GHSA-lodash.json": #"""
      {"id": "GHSA-35jh-r3h4-6jhm", "aliases": ["CVE-2021-23337"], "summary": "Command injection in lodash",
       "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
       "affected": [{"package": {"ecosystem": "npm", "name": "Lodash"},
                     "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}
      """#,
    "npm/GHSA-next.json": #"""
      {"id": "GHSA-next-beta", "summary": "Pre-releases of next 2.0",
       "affected": [{"package": {"ecosystem": "npm", "name": "next"},
                     "ranges": [{"type": "SEMVER", "events": [{"fixed": "2.0.0-rc.1"}, {"introduced": "2.0.0-beta.2"}]}]}]}
      """#,
    "pypi/PYSEC-epoch.json": #"""
      {"id": "PYSEC-2024-1", "aliases": ["CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"], "summary": "Epoch 1 releases",
       "database_specific": {"severity": "MODERATE"},
       "affected": [{"package": {"ecosystem": "PyPI", "name": "Django_REST.framework"},
                     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1!1.0"}, {"fixed": "1!2.0a1"}]}],
                     "versions": ["0.9.post1"]}]}
      """#,
    "go/GO-incompatible.json": #"""
      {"id": "GO-2023-0001", "aliases": ["CVE-2023-0001"], "summary": "Before 2.1.0",
       "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"}],
       "affected": [{"package": {"ecosystem": "Go", "name": "github.com/Example/mod"},
                     "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.1.0"}]}]}]}
      """#,
    "go/GO-last-affected.json": #"""
      {"id": "GO-2023-0002", "summary": "Up to 1.2.0",
       "affected": [{"package": {"ecosystem": "Go", "name": "golang.org/x/text"},
                     "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"last_affected": "1.2.0"}]}]}]}
      """#,
    "maven/GHSA-maven.json": #"""
      {"id": "GHSA-mvn", "affected": [{"package": {"ecosystem": "Maven", "name": "org.example:lib"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0-rc1"}]}]}]}
      """#,
    "rubygems/GHSA-rack.json": #"""
      {"id": "GHSA-rack", "affected": [{"package": {"ecosystem": "RubyGems", "name": "rack"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0"}, {"fixed": "2.0.1"}]}]}]}
      """#,
    "packagist/GHSA-symfony.json": #"""
      {"id": "GHSA-sf", "affected": [{"package": {"ecosystem": "Packagist", "name": "symfony/http-kernel"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "4.0.0"}, {"fixed": "4.4.50"}]}]}]}
      """#,
    "skip/withdrawn.json": #"""
      {"id": "GHSA-withdrawn", "withdrawn": "2024-01-01T00:00:00Z",
       "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                     "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}
      """#,
    "skip/git-and-debian.json": #"""
      {"id": "OSV-git", "affected": [
        {"package": {"ecosystem": "Debian:12", "name": "lodash"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]},
        {"package": {"ecosystem": "npm", "name": "lodash"},
         "ranges": [{"type": "GIT", "repo": "https://example.invalid/x", "events": [{"introduced": "0"}]}]}]}
      """#,
    "skip/broken.json": #"{"id": "broken", "affected": [ "#,
    "other/free-form.json": #"""
      {"id": "OSV-free-form", "database_specific": ["not", "an", "object"],
       "affected": [{"package": {"ecosystem": "crates.io", "name": "Serde_JSON"}, "database_specific": {"x": 1},
                     "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0-alpha"}, {"limit": "1.0.1"}]}]}]}
      """#,
    "skip/notes.txt": "not a record",
  ]

  static func write() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("osv-\(UUID().uuidString)")
    for (path, text) in records {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
    return root
  }

  /// Packages and the advisory ids (and fixed version) they must hit; an empty list is a miss.
  static let expectations: [(PackageVersion, [String], String?)] = [
    (.init(.npm, "lodash", "4.17.20"), ["GHSA-35jh-r3h4-6jhm"], "4.17.21"),
    (.init(.npm, "lodash", "4.17.21"), [], nil),
    (.init(.npm, "next", "2.0.0-beta.1"), [], nil),
    (.init(.npm, "next", "2.0.0-beta.10"), ["GHSA-next-beta"], "2.0.0-rc.1"),  // 10 > 2: numeric identifiers
    (.init(.npm, "next", "2.0.0-rc.1"), [], nil),
    (.init(.npm, "next", "2.0.0"), [], nil),
    (.init(.pypi, "django-rest-framework", "1!1.5"), ["PYSEC-2024-1"], "1!2.0a1"),
    (.init(.pypi, "Django.Rest_Framework", "1!2.0.dev1"), ["PYSEC-2024-1"], "1!2.0a1"),  // dev below alpha
    (.init(.pypi, "django-rest-framework", "1!2.0.0a1"), [], nil),
    (.init(.pypi, "django-rest-framework", "2.5"), [], nil),  // epoch 0 is below epoch 1
    (.init(.pypi, "django-rest-framework", "0.9-1"), ["PYSEC-2024-1"], nil),  // listed as 0.9.post1
    (.init(.go, "github.com/Example/mod", "v2.0.0+incompatible"), ["GO-2023-0001"], "2.1.0"),
    (.init(.go, "github.com/Example/mod", "v0.0.0-20210101000000-abcdef123456"), ["GO-2023-0001"], "2.1.0"),
    (.init(.go, "github.com/Example/mod", "v2.1.0+incompatible"), [], nil),
    (.init(.go, "github.com/example/mod", "v1.0.0"), [], nil),  // module paths are case-sensitive
    (.init(.go, "golang.org/x/text", "v1.2.0"), ["GO-2023-0002"], nil),
    (.init(.go, "golang.org/x/text", "v1.2.1-0.20210101000000-abcdef123456"), [], nil),
    (.init(.go, "golang.org/x/text", "v0.9.0"), [], nil),
    (.init(.maven, "org.example:lib", "2.0-beta-1"), ["GHSA-mvn"], "2.0-rc1"),
    (.init(.maven, "org.example:lib", "2.0-SNAPSHOT"), [], nil),  // snapshot is above rc
    (.init(.maven, "org.example:lib", "2.0.0"), [], nil),
    (.init(.rubygems, "rack", "2.0.1.pre"), ["GHSA-rack"], "2.0.1"),
    (.init(.rubygems, "rack", "2.0.1"), [], nil),
    (.init(.packagist, "symfony/http-kernel", "v4.4.50-RC1"), ["GHSA-sf"], "4.4.50"),
    (.init(.packagist, "Symfony/Http-Kernel", "v4.4.50"), [], nil),
    (.init(.crates, "serde-json", "1.0.0"), ["OSV-free-form"], nil),  // crates names: case and - or _ are one
    (.init(.crates, "serde_json", "1.0.1"), [], nil),
  ]
}

@Suite struct OSVMatchingTests {
  @Test func matchesEachPackageByItsEcosystemsOrdering() throws {
    let root = try OSVFolder.write()
    defer { try? FileManager.default.removeItem(at: root) }
    let index = try AdvisoryLoader.load(path: root.path)
    #expect(index.stats.records == 11)
    #expect(index.stats.unreadable == 1)
    #expect(index.stats.unreadableExamples == ["skip/broken.json"])
    #expect(index.stats.withdrawn == 1)
    #expect(index.stats.otherEcosystems == 1)
    for (package, ids, fixed) in OSVFolder.expectations {
      let hits = index.match([package])
      #expect(hits.map(\.id) == ids, "\(package.name) \(package.version)")
      #expect(hits.first?.fixed == fixed, "\(package.name) \(package.version)")
    }
  }

  @Test func aHitCarriesAliasesSeverityAndTheRangeAsText() throws {
    let root = try OSVFolder.write()
    defer { try? FileManager.default.removeItem(at: root) }
    let index = try AdvisoryLoader.load(path: root.path)
    let hits = index.match([
      .init(.npm, "lodash", "4.17.20"), .init(.pypi, "django-rest-framework", "1!1.5"),
      .init(.go, "github.com/Example/mod", "v2.0.0+incompatible"), .init(.go, "golang.org/x/text", "v1.1.0"),
      .init(.pypi, "django-rest-framework", "0.9.post1"),
    ])
    #expect(hits.map(\.range) == ["< 4.17.21", ">= 1!1.0, < 1!2.0a1", "< 2.1.0", ">= 1.0.0, <= 1.2.0", "listed 0.9.post1"])
    #expect(hits.map(\.aliases) == [["CVE-2021-23337"], ["CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"], ["CVE-2023-0001"], [], ["CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"]])
    #expect(hits.map(\.severity.level) == ["critical", "medium", "medium", "unknown", "medium"])
    #expect(hits.map(\.severity.score) == [9.8, nil, 6.1, nil, nil])
    #expect(hits[0].summary == "Command injection in lodash")
  }

  @Test(arguments: ["-r", "-r0"])
  func readsTheSameRecordsFromAZip(_ flags: String) throws {
    let root = try OSVFolder.write()
    defer { try? FileManager.default.removeItem(at: root) }
    let zip = root.appendingPathComponent("all.zip")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["zip", "-q", flags, zip.path, "."]
    process.currentDirectoryURL = root
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0)
    let fromZip = try AdvisoryLoader.load(path: zip.path)
    let fromFolder = try AdvisoryLoader.load(path: root.path)
    let packages = OSVFolder.expectations.map(\.0)
    #expect(fromZip.stats == fromFolder.stats)
    #expect(fromZip.match(packages) == fromFolder.match(packages))
    #expect(fromZip.match(packages).count == 12)
  }

  /// Every truncation of a zip, and every single-byte corruption of its central directory, is an error
  /// or a smaller set of records: never a crash or a hang.
  @Test func survivesTruncatedAndCorruptedZips() throws {
    let root = try OSVFolder.write()
    defer { try? FileManager.default.removeItem(at: root) }
    let zip = root.appendingPathComponent("all.zip")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["zip", "-q", "-r", zip.path, "npm", "go"]
    process.currentDirectoryURL = root
    try process.run()
    process.waitUntilExit()
    let bytes = [UInt8](try Data(contentsOf: zip))
    var variants: [[UInt8]] = stride(from: 0, to: bytes.count, by: 7).map { Array(bytes[..<$0]) }
    for at in stride(from: max(0, bytes.count - 400), to: bytes.count, by: 3) {
      var b = bytes
      b[at] ^= 0xFF
      variants.append(b)
    }
    var refused = 0
    for variant in variants {
      do {
        let index = try AdvisoryLoader.load(path: { let f = root.appendingPathComponent("v.zip"); try? Data(variant).write(to: f); return f.path }())
        #expect(index.stats.records <= 4)
      } catch {
        refused += 1
        #expect(error.description.hasPrefix("advisories: "))
      }
    }
    #expect(refused > 0)
  }

  @Test func advisoryTextIsOneLine() {
    #expect(Advisory.line("Command\ninjection\u{1B}[31m", limit: 300) == "Command injection [31m")
    #expect(Advisory.line(String(repeating: "x", count: 400), limit: 300).count == 300)
    #expect(Advisory.line("a\u{85}b é", limit: 300) == "a b é")
    #expect(Advisory.line("Déjà vu", limit: 300) == "Déjà vu")
  }

  @Test func refusesWhatIsNotThere() {
    #expect(throws: AdvisoryError("advisories: no such file or folder: /nonexistent/osv")) {
      try AdvisoryLoader.load(path: "/nonexistent/osv")
    }
    let notZip = FileManager.default.temporaryDirectory.appendingPathComponent("osv-\(UUID().uuidString).zip")
    try? Data([0x50, 0x4B, 3, 4, 0, 0]).write(to: notZip)
    defer { try? FileManager.default.removeItem(at: notZip) }
    #expect(throws: AdvisoryError.self) { try AdvisoryLoader.load(path: notZip.path) }
  }
}

/// CVSS v3.1 base scores of vectors whose scores NVD and the FIRST calculator publish.
@Suite struct CVSSTests {
  @Test(arguments: [
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
    ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
    ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9),
    ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
    ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", 4.3),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
  ])
  func baseScore(_ vector: String, _ score: Double) {
    #expect(CVSS3.baseScore(vector) == score)
  }

  @Test func refusesIncompleteVectors() {
    #expect(CVSS3.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H") == nil)
    #expect(CVSS3.baseScore("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N") == nil)
    #expect(Severity.level(of: 9.8) == "critical" && Severity.level(of: 6.1) == "medium" && Severity.level(of: 0) == "none")
  }

  /// CVSS v4.0 base scores as FIRST's calculator (github.com/RedHatProductSecurity/cvss-v4-calculator)
  /// gives them: MacroVectors of every EQ level, threat and requirement metrics, a modified metric,
  /// no impact. (During development the Swift scores equalled the calculator's on 3,000 random vectors.)
  @Test(arguments: [
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 6.9),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0),
    ("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.5),
    ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 1.0),
    ("CVSS:4.0/AV:A/AC:H/AT:N/PR:L/UI:P/VC:N/VI:H/VA:L/SC:L/SI:L/SA:N", 4.3),
    ("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N/E:U", 4.8),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/CR:L/IR:L/AR:L", 7.9),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S", 10.0),
    ("CVSS:4.0/AV:L/AC:H/AT:P/PR:L/UI:A/VC:L/VI:L/VA:H/SC:N/SI:N/SA:N", 4.4),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:L/VA:H/SC:H/SI:L/SA:L/CR:H/IR:M/AR:H", 8.3),
  ])
  func v4BaseScore(_ vector: String, _ score: Double) {
    #expect(CVSS4.baseScore(vector) == score)
  }

  @Test func v4RefusesIncompleteVectorsAndIsUsedOnlyWithoutV3() throws {
    #expect(CVSS4.baseScore("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N") == nil)
    #expect(CVSS4.baseScore("CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N") == nil)
    #expect(CVSS4.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == nil)
    let both = try #require(Advisory.severity([OSVSeverity(type: "CVSS_V4", score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N"),
                                               OSVSeverity(type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")], fallback: "LOW"))
    #expect(both == Severity(level: "critical", score: 9.8, vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"))
    let v4 = try #require(Advisory.severity([OSVSeverity(type: "CVSS_V4", score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N")], fallback: "LOW"))
    #expect(v4 == Severity(level: "medium", score: 6.9, vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N"))
  }
}
