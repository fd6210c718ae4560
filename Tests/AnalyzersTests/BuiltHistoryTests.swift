import Analyzers
import SalvageCore
import Testing

/// Each analyzer on a history and a tip built by hand (no repository, no git): the figures below are
/// worked out from the three commits by hand. The git-oracle tests on fixture repositories stay beside
/// these.
@Suite struct BuiltHistoryTests {
  /// Ada adds a.py (10 lines) and b.py (5), Grace changes a.py (+3 −2), Ada changes a.py again (+1 −1).
  static func history() -> History {
    var h = HistoryBuilder()
    h.commit("Ada <ada@example.com>", at: "2024-01-01T00:00:00Z", "add app", changes: [("src/a.py", 10, 0), ("src/b.py", 5, 0)])
    h.commit("Grace <grace@example.com>", at: "2024-02-01T00:00:00Z", "fix a", changes: [("src/a.py", 3, 2)])
    h.commit("Ada <ada@example.com>", at: "2024-03-01T00:00:00Z", "tune a", changes: [("src/a.py", 1, 1)])
    return h.build()
  }

  static func context(now: String? = nil, _ files: [(String, String)] = defaultFiles) throws -> ScanContext {
    try ScanContext.built(history: history(), snapshot: { classifier in
      var s = SnapshotBuilder()
      for (path, text) in files { s.file(path, text) }
      return s.build(classifier: classifier)
    }, now: now)
  }

  static let defaultFiles = [
    ("src/a.py", "def a():\n    if x:\n        return 1\n"),
    ("src/b.py", "def b():\n    return 2\n"),
    ("README.md", "# App\n"),
  ]

  @Test func builderGivesTheHistoryNewestFirst() {
    let h = Self.history()
    #expect(h.commits.count == 3)
    #expect(h.commits.map(\.subject) == ["tune a", "fix a", "add app"])
    #expect(h.people.map(\.name).sorted() == ["Ada", "Grace"])
    #expect(h.changes(of: h.commits[2]).map { h.paths.display($0.path) } == ["src/a.py", "src/b.py"])
    #expect(h.commits[0].parents == [HistoryBuilder.id(1)])
  }

  @Test func inventory() throws {
    let result = try InventoryAnalyzer().run(try Self.context())
    let out = try #require(result.output(as: InventoryOutput.self))
    #expect(out.commits == 3)
    #expect(out.authors == 2)
    #expect(out.totalFiles == 3)
    #expect(out.totalLines == 6)
    let a = try #require(out.files.first { $0.path == "src/a.py" })
    #expect(a.revisions == 3 && a.added == 14 && a.deleted == 3 && a.authors == 2)
    #expect(a.lastChanged == Timestamp(UTC.parse("2024-03-01T00:00:00Z")!))
    let readme = try #require(out.files.first { $0.path == "README.md" })
    #expect(readme.revisions == 0 && readme.lastChanged == nil)
    // The encoded view is the typed output, key for key.
    #expect(result.metrics["files"]?.arrayValue?.first?["path"] == "README.md")
    #expect(result.metrics["files"]?.arrayValue?.first?["lastChanged"] == .null)
    // Per component, typed: every file once, and lines of code only for source and test files.
    let components = result.componentOutputs.values.compactMap { $0 as? InventoryOutput.Component }
    #expect(components.count == result.components.count)
    #expect(components.reduce(0) { $0 + $1.files } == 3)
    #expect(components.reduce(0) { $0 + $1.loc } == 5)
  }

  @Test func hotspots() throws {
    let out = try #require(try HotspotAnalyzer().run(try Self.context()).output(as: HotspotsOutput.self))
    // Documentation is not left out of hotspots (only vendored, generated, lockfile and binary files are).
    #expect(out.analyzedFiles == 3)
    let first = try #require(out.files.first)
    #expect(first.path == "src/a.py" && first.rank == 1)
    #expect(first.revisions == 3 && first.authors == 2 && first.added == 14 && first.deleted == 3)
    #expect(out.files.first { $0.path == "src/b.py" }?.revisions == 1)
  }

  @Test func ownership() throws {
    let out = try #require(try OwnershipAnalyzer().run(try Self.context()).output(as: OwnershipOutput.self))
    // Degree of authorship: Ada 3.293 + 1.098 + 0.164·2 − 0.321·ln 2 ≈ 4.50 on a.py; Grace 3.293 + 0.164 −
    // 0.321·ln 3 ≈ 3.10, 0.69 of Ada's, under 0.75: Ada alone authors both files.
    #expect(out.truckFactor.value == 1)
    #expect(out.truckFactor.people.map(\.name) == ["Ada"])
    let a = try #require(out.files.first { $0.path == "src/a.py" })
    #expect(a.mainDeveloper == "Ada")
    #expect(a.authors == ["Ada"])
  }

  @Test func cadence() throws {
    let out = try #require(try CadenceAnalyzer().run(try Self.context(now: "2024-03-11T00:00:00Z")).output(as: CadenceOutput.self))
    #expect(out.commits == 3)
    #expect(out.daysSinceLastCommit == 10)
    #expect(out.firstCommit == Timestamp(UTC.parse("2024-01-01T00:00:00Z")!))
    // All three commits fall in the last 90 days; the history starts inside the 90 days before them.
    #expect(out.trends.last90Days.commits.current == 3 && out.trends.last90Days.commits.previous == 0)
    #expect(out.trends.last90Days.comparable == false)
    #expect(out.releaseCadence.releases == 0 && out.releaseCadence.daysSinceLastRelease == nil)
  }

  /// Liveness keys name the rule's window: with `maintained_days = 30` only "tune a" (2024-03-01) is
  /// within 30 days of 2024-03-11, and the JSON says `commitsInLast30Days`, no 90-day key.
  @Test func cadenceKeysFollowTheRulesWindow() throws {
    let overlay = try RepoConfig(text: "[thresholds.\"cadence.toml\".liveness]\nmaintained_days = 30\n").thresholds
    let rules = try RuleSet.load().overlaid(texts: [:], thresholds: overlay)
    let context = try ScanContext.built(history: Self.history(), snapshot: { _ in Snapshot(files: []) }, rules: rules, now: "2024-03-11T00:00:00Z")
    let result = try CadenceAnalyzer().run(context)
    let out = try #require(result.output(as: CadenceOutput.self))
    #expect(out.liveness.windowDays == 30 && out.liveness.commitsInWindow == 1 && out.liveness.humanCommitsInWindow == 1)
    #expect(result.metrics["liveness"]?["commitsInLast30Days"] == 1)
    #expect(result.metrics["liveness"]?["humanCommitsInLast30Days"] == 1)
    #expect(result.metrics["liveness"]?["commitsInLast90Days"] == nil)
    // Kinds: every kind once, in CommitKind's order, read back by the case; the three commits counted once.
    guard case let .object(kinds)? = result.metrics["kinds"] else { Issue.record("kinds is no object"); return }
    #expect(kinds.map(\.0) == CommitKind.allCases.map(\.rawValue))
    #expect(out.kinds[CommitKind.fix] == 1)
    #expect(out.kinds.entries.reduce(0) { $0 + $1.count } == 3)
  }

  @Test func tests() throws {
    let files = Self.defaultFiles + [("tests/test_a.py", "def test_a():\n    assert a() == 1\n")]
    let out = try #require(try TestsAnalyzer().run(try Self.context(files)).output(as: TestsOutput.self))
    #expect(out.counts.testFiles == 1 && out.counts.testLines == 2)
    #expect(out.counts.productionFiles == 2 && out.counts.productionLines == 5)
    #expect(out.counts.testRatio == 0.4)
    #expect(out.ci.isEmpty)
  }

  @Test func dependencies() throws {
    let files = Self.defaultFiles + [("package.json", #"{"name": "app", "dependencies": {"left-pad": "^1.3.0"}}"#)]
    let out = try #require(try DependenciesAnalyzer().run(try Self.context(files)).output(as: DependenciesOutput.self))
    let manifest = try #require(out.manifests.first)
    #expect(manifest.path == "package.json" && manifest.lockfile == nil)
    #expect(manifest.direct.map(\.name) == ["left-pad"])
    #expect(manifest.direct.first?.pinned == false)
    #expect(out.totals.manifests == 1 && out.totals.lockfiles == 0)
  }

  /// In documentation a value whose format carries no check is an example (low, not counted); a token
  /// whose own checksum passes is a live credential wherever it is.
  @Test func secretsInDocumentation() throws {
    let token = "ghp_" + "Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4s24SCEa"
    let files = Self.defaultFiles + [
      ("docs/self-hosting/database.mdx", "Set `DATABASE_URL=postgresql://shop:p%40ss%23word@db.internal:5432/shop` in the environment.\n"),
      ("README.md", "Use the token \(token) to call the API.\n"),
    ]
    let result = try SecretsAnalyzer().run(try Self.context(files))
    let out = try #require(result.output(as: SecretsOutput.self))
    let byPath = Dictionary(uniqueKeysWithValues: result.findings.map { ($0.location.path ?? "", $0) })
    let example = try #require(byPath["docs/self-hosting/database.mdx"])
    #expect(example.evidenceJSON["context"]?.stringValue == "example")
    #expect(example.severity == .low)
    let real = try #require(byPath["README.md"])
    #expect(real.evidenceJSON["context"]?.stringValue == "live")
    #expect(real.severity >= .high)
    #expect(out.live == 1)
  }

  @Test func secretsAtTheTip() throws {
    // A structurally valid token: its last six characters are the base62 CRC32 of the thirty before.
    let token = "ghp_" + "Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4s24SCEa"
    let result = try SecretsAnalyzer().run(try Self.context(Self.defaultFiles + [("src/settings.py", "GITHUB_TOKEN = \"\(token)\"\n")]))
    let out = try #require(result.output(as: SecretsOutput.self))
    // In the tip only (no history pass): one live secret, no sensitive file.
    #expect(out.secrets == 1 && out.sensitiveFiles == 0)
    #expect(out.live == 1 && out.historyOnly == 0)
    #expect(result.findings.map(\.rule) == ["github-pat"])
    #expect(result.findings.first?.location.path == "src/settings.py")
    #expect(!result.metrics.serialized().contains(String(token.dropFirst(4))))
  }

  @Test func changeWithoutBase() throws {
    let result = try ChangeAnalyzer().run(try Self.context())
    #expect(try #require(result.output(as: ChangeOutput.self)).change == nil)
    #expect(result.metrics == ["base": .null])
  }
}
