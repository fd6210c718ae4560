import SalvageCore
import Testing
import TOML

/// The rules' version is part of every cache key: whatever changes an answer must change it.
@Suite struct RuleVersionTests {
  func overlay(_ text: String) throws -> [String: TOMLTable] {
    try RepoConfig(text: text).thresholds
  }

  /// A changed `[thresholds]` overlay left a stale tip-facts cache (warm score 69, cold 64): the version
  /// hashed the rule texts only.
  @Test func overlaysChangeTheVersion() throws {
    let rules = try RuleSet.load()
    let plain = try rules.overlaid(texts: [:], thresholds: [:])
    let a = try rules.overlaid(texts: [:], thresholds: overlay("[thresholds.\"hotspots.toml\".score]\ntrend_days = 30\n"))
    let a2 = try rules.overlaid(texts: [:], thresholds: overlay("[thresholds.\"hotspots.toml\".score]\ntrend_days = 30\n"))
    let b = try rules.overlaid(texts: [:], thresholds: overlay("[thresholds.\"hotspots.toml\".score]\ntrend_days = 31\n"))
    let c = try rules.overlaid(texts: [:], thresholds: overlay("[thresholds.\"tests.toml\"]\n"))
    #expect(plain.version == rules.version, "no overlay: the version caches were written with")
    #expect(a.version != plain.version)
    #expect(a.version == a2.version, "the same overlay: the same version")
    #expect(a.version != b.version)
    #expect(c.version != plain.version && c.version != a.version)
  }
}
