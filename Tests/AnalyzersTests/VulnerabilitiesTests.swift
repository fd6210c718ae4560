@testable import Analyzers
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

  /// The `vulnerabilities-history` fixture's advisories: lodash < 4.17.21, minimist < 1.2.6, Django
  /// [3.2.0, 3.2.5), golang.org/x/text < 0.3.8.
  static func historyRecords() throws -> String {
    let folder = try Fixture.temporaryFolder("osv-history")
    let texts = [
      #"{"id": "GHSA-lodash", "aliases": ["CVE-2021-23337"], "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}], "affected": [{"package": {"ecosystem": "npm", "name": "lodash"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}"#,
      #"{"id": "GHSA-minimist", "database_specific": {"severity": "CRITICAL"}, "affected": [{"package": {"ecosystem": "npm", "name": "minimist"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.6"}]}]}]}"#,
      #"{"id": "PYSEC-django", "affected": [{"package": {"ecosystem": "PyPI", "name": "django"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "3.2.0"}, {"fixed": "3.2.5"}]}]}]}"#,
      #"{"id": "GO-text", "affected": [{"package": {"ecosystem": "Go", "name": "golang.org/x/text"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.3.8"}]}]}]}"#,
    ]
    for (n, text) in texts.enumerated() { try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(n).json")) }
    return folder
  }

  static func scanHistory(base: String? = nil) throws -> (repo: String, output: VulnerabilitiesOutput, findings: [Finding]) {
    let repo = try Fixture.build("vulnerabilities-history")
    var options = ScanOptions(path: repo)
    options.advisories = try historyRecords()
    options.base = base
    let result = try SalvageCore.Scanner(analyzers: [VulnerabilitiesAnalyzer()]).scan(options)
    return (repo, try #require(result.results[0].result.output(as: VulnerabilitiesOutput.self)), result.findings)
  }

  /// Ages worked by hand from the fixture's dates, to its last commit (2024-01-01T12:00Z): lodash since
  /// 2023-01-10 (4.17.15, then 4.17.20: still affected, so the first pin counts), 356 days; minimist
  /// since its downgrade to 1.2.5 on 2023-08-15 (1.2.6 before was fixed), 139 days; Django since
  /// 2023-03-01 (3.2.0; the bump to 3.2.1 in the same interval does not reset it), 306 days; x/text since
  /// 2023-05-01, 245 days. The commits are git's.
  @Test func howLongEachVulnerableVersionHasBeenInTheHistory() throws {
    let (repo, output, findings) = try Self.scanHistory()
    func commit(_ subject: String) throws -> String {
      try Fixture.git(["log", "--format=%H", "--grep=^\(subject)$"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let since = Dictionary(uniqueKeysWithValues: output.hits.map { ($0.package, $0.vulnerableSince) })
    #expect(output.hits.map { "\($0.package) \($0.version)" } == ["Django 3.2.1", "golang.org/x/text v0.3.7", "lodash 4.17.20", "minimist 1.2.5"])
    #expect(since["lodash"] == .init(commit: try commit("web: lodash and minimist"), date: "2023-01-10", days: 356, version: "4.17.15"))
    #expect(since["minimist"] == .init(commit: try commit("web: minimist 1.2.5"), date: "2023-08-15", days: 139, version: "1.2.5"))
    #expect(since["Django"] == .init(commit: try commit("api: Django"), date: "2023-03-01", days: 306, version: "3.2.0"))
    #expect(since["golang.org/x/text"] == .init(commit: try commit("svc: x/text"), date: "2023-05-01", days: 245, version: "v0.3.7"))
    #expect(output.hits.allSatisfy { $0.introducedByChange == nil })
    let lodash = try #require(findings.first { $0.title.hasPrefix("lodash") })
    #expect(lodash.evidenceJSON["vulnerableSince"]?.stringValue == "2023-01-10" && lodash.evidenceJSON["daysVulnerable"]?.intValue == 356)
    #expect(lodash.message.contains("pinned since 2023-01-10, 356 days before the scan"))
    #expect(output.severities == { var s = VulnerabilitiesOutput.Severities(); s.critical = 1; s.high = 1; s.unknown = 2; return s }())
  }

  /// Bumps that rewrite only a version line (poetry.lock, Cargo.lock, composer.lock) and Maven pins (a
  /// literal `<version>` and a `${property}`) are seen in the history: each vulnerable version dates from
  /// the commit git names as the first to add its line (`git log -S`), not unknown. Every package was
  /// first added at a version outside its advisory, so no earlier pin can stand in.
  @Test func versionLineBumpsAndMavenPinsAreSeenInTheHistory() throws {
    func pom(lib: String, props: String) -> String {
      "<project>\\n  <groupId>org.acme</groupId>\\n  <artifactId>app</artifactId>\\n  <properties>\\n    <props.version>\(props)</props.version>\\n  </properties>\\n"
        + "  <dependencies>\\n    <dependency>\\n      <groupId>org.example</groupId>\\n      <artifactId>lib</artifactId>\\n      <version>\(lib)</version>\\n"
        + "    </dependency>\\n    <dependency>\\n      <groupId>org.example</groupId>\\n      <artifactId>props</artifactId>\\n"
        + "      <version>${props.version}</version>\\n    </dependency>\\n  </dependencies>\\n</project>\\n"
    }
    func poetry(_ v: String) -> String { #"[[package]]\nname = "requests"\nversion = ""# + v + #""\ndescription = "HTTP"\noptional = false\n"# }
    func cargo(_ v: String) -> String { #"[[package]]\nname = "time"\nversion = ""# + v + #""\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n"# }
    func composer(_ v: String) -> String {
      #"{\n    "packages": [\n        {\n            "name": "guzzlehttp/psr7",\n            "version": ""# + v + #"",\n            "type": "library"\n        }\n    ]\n}\n"#
    }
    let repo = try Fixture.build(script: """
      at 2023-01-10T12:00:00+0000
      put poetry.lock '\(poetry("2.19.0"))'
      put Cargo.lock '\(cargo("0.1.43"))'
      put composer.lock '\(composer("1.7.0"))'
      put pom.xml '\(pom(lib: "1.0", props: "1.0"))'
      commit "safe versions"
      at 2023-03-01T12:00:00+0000
      put poetry.lock '\(poetry("2.25.1"))'
      put Cargo.lock '\(cargo("0.2.22"))'
      commit "bump requests and time"
      at 2023-05-01T12:00:00+0000
      put composer.lock '\(composer("1.8.1"))'
      put pom.xml '\(pom(lib: "2.1", props: "1.0"))'
      commit "bump psr7 and lib"
      at 2023-07-01T12:00:00+0000
      put pom.xml '\(pom(lib: "2.1", props: "2.2"))'
      commit "bump props"
      at 2024-01-01T12:00:00+0000
      put README.md 'app\\n'
      commit "readme"
      """, name: "vulnerabilities-version-lines")
    let folder = try Fixture.temporaryFolder("osv-version-lines")
    let texts = [
      #"{"id": "PYSEC-requests", "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.20.0"}, {"fixed": "2.31.0"}]}]}]}"#,
      #"{"id": "RUSTSEC-time", "affected": [{"package": {"ecosystem": "crates.io", "name": "time"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.2.0"}, {"fixed": "0.2.23"}]}]}]}"#,
      #"{"id": "GHSA-psr7", "affected": [{"package": {"ecosystem": "Packagist", "name": "guzzlehttp/psr7"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.8.0"}, {"fixed": "1.8.4"}]}]}]}"#,
      #"{"id": "GHSA-lib", "affected": [{"package": {"ecosystem": "Maven", "name": "org.example:lib"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0"}, {"fixed": "2.5"}]}]}, {"package": {"ecosystem": "Maven", "name": "org.example:props"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0"}, {"fixed": "2.5"}]}]}]}"#,
    ]
    for (n, text) in texts.enumerated() { try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(n).json")) }
    var options = ScanOptions(path: repo)
    options.advisories = folder
    let result = try SalvageCore.Scanner(analyzers: [VulnerabilitiesAnalyzer()]).scan(options)
    let output = try #require(result.results[0].result.output(as: VulnerabilitiesOutput.self))
    #expect(output.hits.map { "\($0.package) \($0.version)" }.sorted()
      == ["guzzlehttp/psr7 1.8.1", "org.example:lib 2.1", "org.example:props 2.2", "requests 2.25.1", "time 0.2.22"])
    // git's oracle: the oldest commit whose diff adds the pinning line.
    func firstAdding(_ line: String, _ path: String) throws -> [String] {
      let out = try Fixture.git(["log", "--reverse", "--format=%H %cd", "--date=short", "-S", line, "--", path], in: repo)
      return out.split(separator: "\n").first.map { $0.split(separator: " ").map(String.init) } ?? []
    }
    let expected: [String: (line: String, path: String)] = [
      "requests": (#"version = "2.25.1""#, "poetry.lock"), "time": (#"version = "0.2.22""#, "Cargo.lock"),
      "guzzlehttp/psr7": (#""version": "1.8.1""#, "composer.lock"), "org.example:lib": ("<version>2.1</version>", "pom.xml"),
      "org.example:props": ("<props.version>2.2</props.version>", "pom.xml"),
    ]
    let now = result.context.now
    for hit in output.hits {
      let e = try #require(expected[hit.package])
      let git = try firstAdding(e.line, e.path)
      try #require(git.count == 2)
      let since = try #require(hit.vulnerableSince, "\(hit.package): age unknown")
      #expect(since.commit == git[0] && since.date == git[1] && since.version == hit.version, "\(hit.package)")
      let committed = try #require(Int64(try Fixture.git(["log", "-1", "--format=%ct", git[0]], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)))
      #expect(since.days == Int((now - committed) / 86_400), "\(hit.package)")
    }
    // Branching off after the first bump: the change brought psr7, lib and props, not requests or time.
    options.base = try Fixture.git(["log", "--format=%H", "--grep=^bump requests and time$"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    let change = try SalvageCore.Scanner(analyzers: [VulnerabilitiesAnalyzer()]).scan(options)
    let changed = try #require(change.results[0].result.output(as: VulnerabilitiesOutput.self))
    #expect(Dictionary(uniqueKeysWithValues: changed.hits.map { ($0.package, $0.introducedByChange) })
      == ["requests": false, "time": false, "guzzlehttp/psr7": true, "org.example:lib": true, "org.example:props": true])
  }

  /// Branching off at `base` (after lodash 4.17.20): the change downgrades minimist to 1.2.5 in the same
  /// lockfile and bumps Django to 3.2.1 (a version line alone, named by the line above it). lodash
  /// 4.17.20 was there before and go.sum is untouched: not the change's.
  @Test func baseModeReportsOnlyTheVersionsTheChangeBrought() throws {
    let (_, output, findings) = try Self.scanHistory(base: "base")
    let introduced = Dictionary(uniqueKeysWithValues: output.hits.map { ($0.package, $0.introducedByChange) })
    #expect(introduced == ["lodash": false, "minimist": true, "Django": true, "golang.org/x/text": false])
    #expect(findings.map(\.title).sorted() == ["Django 3.2.1 has a known vulnerability: PYSEC-django", "minimist 1.2.5 has a known vulnerability: GHSA-minimist"])
  }

  /// Go's standard library: OSV's `stdlib` package against the release a go.mod pins. `toolchain
  /// go1.21.3` pins 1.21.3 (inside [1.21.0-0, 1.21.4)), since the commit that wrote it; `go 1.22` only
  /// asks for at least 1.22 and is not checked; `go 1.20.1` is a pin, affected by the first interval
  /// (fixed in 1.20.11).
  @Test func goStandardLibraryAgainstThePinnedToolchain() throws {
    let repo = try Fixture.build(script: """
      at 2023-10-01T12:00:00+0000
      put a/go.mod 'module example.com/a\n\ngo 1.20\n\ntoolchain go1.20.5\n'
      commit "Go 1.20.5"
      at 2023-11-01T12:00:00+0000
      put a/go.mod 'module example.com/a\n\ngo 1.21.0\n\ntoolchain go1.21.3\n'
      put b/go.mod 'module example.com/b\n\ngo 1.22\n'
      put c/go.mod 'module example.com/c\n\ngo 1.20.1\n'
      commit "Three modules"
      at 2023-12-01T12:00:00+0000
      put README.md 'x\n'
      commit "Readme"
      """, name: "vulnerabilities-stdlib")
    let folder = try Fixture.temporaryFolder("osv-stdlib")
    try Data(#"{"id": "GO-2023-2185", "aliases": ["CVE-2023-45283"], "affected": [{"package": {"ecosystem": "Go", "name": "stdlib"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.20.11"}, {"introduced": "1.21.0-0"}, {"fixed": "1.21.4"}]}]}]}"#.utf8)
      .write(to: URL(fileURLWithPath: folder + "/GO-2023-2185.json"))
    var options = ScanOptions(path: repo)
    options.advisories = folder
    let result = try SalvageCore.Scanner(analyzers: [VulnerabilitiesAnalyzer()]).scan(options)
    let output = try #require(result.results[0].result.output(as: VulnerabilitiesOutput.self))
    #expect(output.packagesChecked == 2)
    #expect(output.hits.map { "\($0.lockfile) \($0.package) \($0.version) [\($0.range)] \($0.fixed ?? "-") \($0.direct)" } == [
      "a/go.mod stdlib 1.21.3 [>= 1.21.0-0, < 1.21.4] 1.21.4 true",
      "c/go.mod stdlib 1.20.1 [< 1.20.11] 1.20.11 true",
    ])
    // 2023-11-01 to the last commit, 2023-12-01: 30 days. a/go.mod pinned 1.20.5 a month earlier, also
    // affected but in the other interval of the advisory: 1.21.3's age starts with the 1.21 line.
    #expect(output.hits.map { $0.vulnerableSince.map { "\($0.date) \($0.days) \($0.version)" } } == ["2023-11-01 30 1.21.3", "2023-11-01 30 1.20.1"])
  }

  /// A monorepo's workspaces share the root lockfile: a vulnerable package a workspace declares belongs
  /// to that workspace's component when its requirement admits the resolved version; a transitive one
  /// to the lockfile's. `a` asks lodash ^4.17.0 (4.17.20 is its), `c` asks ~3.10.0 (3.10.1, nested under
  /// it, is its), `d` asks 2.x (neither is its: no lodash 2 is resolved).
  @Test func directDependenciesBelongToTheWorkspacesThatDeclareThem() throws {
    let repo = try Fixture.build(script: """
      put package.json '{"name": "mono", "workspaces": ["packages/*"]}\n'
      put packages/a/package.json '{"name": "a", "dependencies": {"lodash": "^4.17.0"}}\n'
      put packages/a/index.js 'module.exports = 1\n'
      put packages/b/package.json '{"name": "b", "dependencies": {"left-pad": "1.3.0"}}\n'
      put packages/b/index.js 'module.exports = 2\n'
      put packages/c/package.json '{"name": "c", "dependencies": {"lodash": "~3.10.0"}}\n'
      put packages/c/index.js 'module.exports = 3\n'
      put packages/d/package.json '{"name": "d", "dependencies": {"lodash": "2.x"}}\n'
      put packages/d/index.js 'module.exports = 4\n'
      put package-lock.json '{"name": "mono", "lockfileVersion": 3, "packages": {"node_modules/lodash": {"version": "4.17.20"}, "packages/c/node_modules/lodash": {"version": "3.10.1"}, "node_modules/minimist": {"version": "1.2.5"}, "node_modules/left-pad": {"version": "1.3.0"}}}\n'
      commit "Workspaces"
      """, name: "vulnerabilities-workspaces")
    var options = ScanOptions(path: repo)
    options.advisories = try Self.historyRecords()
    let result = try SalvageCore.Scanner(analyzers: [VulnerabilitiesAnalyzer()]).scan(options)
    let analysis = result.results[0].result
    let output = try #require(analysis.output(as: VulnerabilitiesOutput.self))
    #expect(output.hits.map { "\($0.package) \($0.version) \($0.direct)" } == ["lodash 3.10.1 true", "lodash 4.17.20 true", "minimist 1.2.5 false"])
    #expect(analysis.component("packages/a", as: VulnerabilitiesOutput.Component.self)?.packages == ["lodash 4.17.20"])
    #expect(analysis.component("packages/c", as: VulnerabilitiesOutput.Component.self)?.packages == ["lodash 3.10.1"])
    #expect(analysis.component("packages/d", as: VulnerabilitiesOutput.Component.self) == nil)
    #expect(analysis.component(".", as: VulnerabilitiesOutput.Component.self)?.packages == ["minimist 1.2.5"])
    #expect(analysis.component("packages/b", as: VulnerabilitiesOutput.Component.self) == nil)
  }
}
