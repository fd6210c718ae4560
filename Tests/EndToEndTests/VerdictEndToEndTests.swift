import FixtureSupport
import Foundation
import Testing

/// Component verdicts need corroborating signals and say how sure they are (fixtures verdicts-*.sh; every
/// figure worked out by hand in the fixture's header).
@Suite struct VerdictEndToEndTests {
  static func components(_ fixture: String) throws -> [String: [String: Any]] {
    let repo = try Fixture.build(fixture)
    let out = try Fixture.salvage(["scan", repo, "--format", "json", "--now", "last-commit"])
    #expect(out.status == 0, "\(out.stderr)")
    let doc = try ScanCommandTests.json(out)
    return Dictionary(uniqueKeysWithValues: (doc["components"] as? [[String: Any]] ?? []).map { ($0["path"] as? String ?? "", $0) })
  }

  static func signals(_ component: [String: Any]) -> [String] {
    (component["reasons"] as? [[String: Any]] ?? []).compactMap { $0["signal"] as? String }
  }

  /// feature/: 36 of 96 changed lines reworked (37.5%), 50 test lines for 46 (1.09), nothing else: rework
  /// alone decides nothing, so it stays keep; rework lowers the confidence, the tests raise it back.
  @Test func reworkAloneIsNotRefactor() throws {
    let feature = try #require(try Self.components("verdicts-rework-only")["feature"])
    let hotspots = try #require((feature["analyzers"] as? [String: Any])?["hotspots"] as? [String: Any])
    #expect(hotspots["reworkShare"] as? Double == 0.375)
    #expect(Self.signals(feature) == ["rework", "well-tested"])
    #expect(feature["verdict"] as? String == "keep")
    #expect(feature["confidence"] as? String == "medium")
    #expect(feature["decidedBy"] as? [String] == [])
    #expect(feature["against"] as? [String] == ["rework"])
    #expect(feature["corroboratedBy"] as? [String] == ["well-tested"])
  }

  /// legacy/: the only hot file, 2.99 indentation levels a line, 300 of 551 changed lines reworked (54%),
  /// no tests, its one author gone: rewrite, decided by hotspot load, no tests and lost knowledge, and
  /// raised to high confidence by complexity and rework.
  @Test func agreeingSignalsGiveAConfidentVerdict() throws {
    let components = try Self.components("verdicts-agreeing-signals")
    let legacy = try #require(components["legacy"])
    let hotspots = try #require((legacy["analyzers"] as? [String: Any])?["hotspots"] as? [String: Any])
    #expect(hotspots["loc"] as? Int == 551)
    #expect(hotspots["complexity"] as? Int == 1650, "3 levels on each of 550 lines")
    #expect(hotspots["reworkShare"] as? Double == 0.5445)
    #expect(Self.signals(legacy) == ["hotspot-heavy", "complex", "rework", "untested", "orphaned", "single-owner"])
    #expect(legacy["verdict"] as? String == "rewrite")
    #expect(legacy["confidence"] as? String == "high")
    #expect(legacy["decidedBy"] as? [String] == ["hotspot-heavy", "untested", "orphaned"])
    #expect(legacy["corroboratedBy"] as? [String] == ["complex", "rework"])
    // app/: flat, untested, one active author: stabilize, nothing against it.
    #expect(components["app"]?["verdict"] as? String == "stabilize")
  }

  /// packages/e2e starts @acme/app by name and depends on @acme/db; @acme/app depends on @acme/ui. Those three
  /// may be covered by its tests; packages/other, which nothing reaches, is untested.
  @Test func testPackagesCoverOnlyWhatTheWorkspaceSaysTheyReach() throws {
    let components = try Self.components("verdicts-workspace-tests")
    for name in ["packages/app", "packages/db", "packages/ui"] {
      #expect(Self.signals(try #require(components[name])).first == "tests-elsewhere", "\(name)")
    }
    #expect(Self.signals(try #require(components["packages/other"])).first == "untested")
    #expect(Self.signals(try #require(components["packages/e2e"])) == ["test-code"])
  }

  /// The human formats show the confidence beside each verdict.
  @Test func everyFormatShowsTheConfidence() throws {
    let repo = try Fixture.build("verdicts-agreeing-signals")
    for format in ["text", "md", "html"] {
      let out = try Fixture.salvage(["scan", repo, "--format", format, "--now", "last-commit"])
      #expect(out.status == 0, "\(out.stderr)")
      #expect(out.stdout.contains("high"), "\(format)")
      if format != "text" {
        #expect(out.stdout.contains("High confidence: decided by hotspot-heavy, untested and orphaned; corroborated by complex and rework."), "\(format)")
      }
    }
  }
}
