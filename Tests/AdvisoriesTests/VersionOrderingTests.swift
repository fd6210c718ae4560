import Testing
@testable import Advisories

/// An ecosystem's versions in ascending order; the versions of one inner list are equal.
struct OrderingTable: Sendable, CustomTestStringConvertible {
  let name: String
  let ascending: [[String]]
  let compare: @Sendable (String, String) -> Int?
  var testDescription: String { name }

  init<V: EcosystemVersion>(_ name: String, _ type: V.Type, _ ascending: [[String]]) {
    self.name = name
    self.ascending = ascending
    compare = { a, b in
      guard let x = V(a), let y = V(b) else { return nil }
      return x == y ? 0 : (x < y ? -1 : 1)
    }
  }
}

// Each table is worked out from the ecosystem's own documentation: the examples of semver.org §11,
// PEP 440's "summary of permitted suffixes and relative ordering", Maven's ComparableVersionTest lists,
// the Gem::Version documentation, PHP's version_compare order after Composer's normalisation, and Go's
// pseudo-version rules (go.dev/ref/mod#pseudo-versions).
private let tables: [OrderingTable] = [
  OrderingTable("SemVer 2.0 (npm, crates.io)", SemanticVersion.self, [
    ["0.9.9"], ["1.0.0-alpha"], ["1.0.0-alpha.1"], ["1.0.0-alpha.beta"], ["1.0.0-beta"], ["1.0.0-beta.2"],
    ["1.0.0-beta.11"], ["1.0.0-rc.1"], ["1.0.0", "v1.0.0", "=1.0.0", "1.0.0+build.5"], ["1.9.0"], ["1.10.0"],
    ["2.0.0"], ["2.1.0"], ["2.1.1"], ["18446744073709551616.0.0"],
  ]),
  OrderingTable("Go module versions", GoVersion.self, [
    ["v0.0.0-20210101000000-abcdef123456"], ["v0.0.0-20220315101010-0123456789ab"], ["v0.1.0"],
    ["v1.2.3", "1.2.3"], ["v1.2.4-0.20210101000000-abcdef123456"], ["v1.2.4-pre"],
    ["v1.2.4-pre.0.20210101000000-abcdef123456"], ["v1.2.4"], ["v2", "v2.0", "v2.0.0", "v2.0.0+incompatible"],
    ["v2.0.1-0.20230101000000-abcdef123456+incompatible"], ["v2.0.1+incompatible"], ["v10.0.0"],
  ]),
  OrderingTable("PEP 440 (PyPI)", PEP440Version.self, [
    ["1.dev0"], ["1.0.dev456"], ["1.0a1", "1.0.0a1", "1.0alpha1", "1.0-a-1", "1.0.A1", "v1.0a1"], ["1.0a2.dev456"],
    ["1.0a12.dev456"], ["1.0a12"], ["1.0b1.dev456"], ["1.0b2", "1.0beta2"], ["1.0b2.post345.dev456"], ["1.0b2.post345"],
    ["1.0rc1.dev456"], ["1.0rc1", "1.0c1", "1.0pre1", "1.0preview1", "1.0RC1"], ["1.0", "1.0.0", "1"], ["1.0+abc.5"],
    ["1.0+abc.7"], ["1.0+5"], ["1.0.post456.dev34"], ["1.0.post456", "1.0-456", "1.0post456", "1.0.rev456", "1.0-r456"],
    ["1.0.15"], ["1.1.dev1"], ["2.0"], ["2013.10"], ["1!0.1", "1!0.1.0"], ["1!1.0"], ["2!0.0.1"],
  ]),
  OrderingTable("Maven ComparableVersion", MavenVersion.self, [
    ["1-alpha2snapshot"], ["1-alpha2", "1a2", "1-alpha-2"], ["1-alpha-123"], ["1-beta-2", "1b2"], ["1-beta123"], ["1-m2", "1m2"],
    ["1-m11"], ["1-rc"], ["1-cr2", "1-rc2", "1RC2"], ["1-rc123"], ["1-SNAPSHOT"],
    ["1", "1.0", "1.0.0", "1-ga", "1.final", "1release", "1-0", "1.0-0"], ["1-sp"], ["1-sp2"], ["1-sp123"],
    ["1-abc"], ["1-def"], ["1-pom-1"], ["1-1-snapshot"], ["1-1"], ["1-2"], ["1-123"],
  ]),
  OrderingTable("Maven ComparableVersion, numbers", MavenVersion.self, [
    ["2.0"], ["2-1"], ["2.0.a"], ["2.0.0.a"], ["2.0.2"], ["2.0.123"], ["2.1.0"], ["2.1-a", "2.1a"], ["2.1b"],
    ["2.1-c"], ["2.1-1"], ["2.1.0.1"], ["2.2"], ["2.123"], ["11.a2"], ["11.a11"], ["11.b2"], ["11.b11"], ["11.m2"],
    ["11.m11"], ["11"], ["11.a"], ["11b"], ["11c"], ["11m"],
  ]),
  OrderingTable("RubyGems Gem::Version", RubyGemsVersion.self, [
    ["0.9"], ["1.0.a.2"], ["1.0.a10"], ["1.0.b1"], ["1.0-rc1", "1.0.0-rc1", "1.0.pre.rc1"], ["1.0.rc1", "1.0.0.rc1"],
    ["1.0", "1", "1.0.0", "1.0.0.0"], ["1.0.1"], ["1.9.3"], ["1.9.10"], ["5.a"], ["5.0.0.rc2"], ["5.x"], ["5"],
  ]),
  OrderingTable("Composer (Packagist)", ComposerVersion.self, [
    ["1.0.0-dev"], ["1.0.0-alpha1", "1.0.0-a1", "v1.0.0-alpha1"], ["1.0.0-alpha2"], ["1.0.0-beta1-dev"],
    ["1.0.0-beta1", "1.0.0-b1", "1.0.0.beta1"], ["1.0.0-RC1", "1.0.0-rc1"], ["1.0.0", "v1.0.0", "1.0", "1.0.0.0", "1.0.0-stable"],
    ["1.0.0-p1", "1.0.0-patch1", "1.0.0-pl1"], ["1.0.1"], ["1.10.0"], ["2.0.0-dev"], ["2.0.0"],
  ]),
]

@Suite struct VersionOrderingTests {
  @Test(arguments: tables)
  func ordersAsTheEcosystemDoes(_ table: OrderingTable) {
    let flat = table.ascending.enumerated().flatMap { group, versions in versions.map { (group, $0) } }
    for (g, a) in flat {
      for (h, b) in flat {
        let expected = g == h ? 0 : (g < h ? -1 : 1)
        let got = table.compare(a, b)
        #expect(got == expected, "\(a) vs \(b): expected \(expected), got \(got.map(String.init) ?? "unreadable")")
      }
    }
  }

  @Test(arguments: [
    ("SemVer", SemanticVersion("1.2") == nil && SemanticVersion("1.0.0-01") == nil && SemanticVersion("1.0.0-") == nil && SemanticVersion("") == nil),
    ("Go", GoVersion("master") == nil && GoVersion("v1.2.3.4") == nil),
    ("PEP 440", PEP440Version("1.0.dev1.post1") == nil && PEP440Version("1.0-beta-1-dev") != nil && PEP440Version("french toast") == nil && PEP440Version("1.0+") == nil),
    ("RubyGems", RubyGemsVersion("junk") == nil && RubyGemsVersion("1..2") == nil),
    ("Composer", ComposerVersion("dev-main") == nil && ComposerVersion("1.0.0-foo") == nil),
  ])
  func refusesWhatIsNotAVersion(_ ecosystem: String, _ refused: Bool) {
    #expect(refused, "\(ecosystem) read a text that is not a version")
  }

  @Test func goPseudoVersions() {
    #expect(GoVersion("v0.0.0-20210101000000-abcdef123456")?.pseudoVersionTime == "20210101000000")
    #expect(GoVersion("v1.2.4-pre.0.20210101000000-abcdef123456")?.pseudoVersionTime == "20210101000000")
    #expect(GoVersion("v1.2.4")?.pseudoVersionTime == nil)
    #expect(GoVersion("v2.0.0+incompatible")?.isIncompatible == true)
  }
}
