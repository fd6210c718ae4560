import FixtureSupport
import Foundation
import Testing

/// One person under several identities is one person: a maintainer still active under a new address
/// has not left. Worked out by hand from fixtures/ownership-identities.sh, scanned as of 2024-03-02
/// (people who left: no commit in the 180 days before, i.e. since 2023-09-04).
@Suite struct IdentityTests {
  static func ownership(_ extra: [String]) throws -> [String: Any] {
    let repo = try Fixture.build("ownership-identities")
    let out = try Fixture.salvage(["scan", repo, "--format", "json", "--now", "2024-03-02"] + extra)
    #expect(out.status == 0, "\(out.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    return try #require((doc["analyzers"] as? [String: Any])?["ownership"] as? [String: Any])
  }

  @Test func threeIdentitiesAreOnePersonAndTheNamesakeIsNot() throws {
    let merged = try Self.ownership([])
    // Ann Lee (old address, its capitals, new address, noreply) and her namesake; the bot apart.
    #expect(merged["contributors"] as? Int == 2)
    #expect(merged["formerContributors"] as? Int == 1, "only the namesake (last commit 2023-05-20) left")
    #expect(merged["orphanedShare"] as? Double == 0, "src/core.py and src/api.py are Ann's, and she is still here")
    let identities = try #require(merged["identities"] as? [[String: Any]])
    #expect(identities.count == 1)
    let ann = try #require(identities.first)
    #expect(ann["name"] as? String == "Ann Lee")
    #expect(ann["email"] as? String == "ann.lee@newco.io", "the newest identity names the person")
    let aliases = (ann["aliases"] as? [[String: String]] ?? []).map { [$0["email"] ?? "", $0["reason"] ?? ""] }
    #expect(Set(aliases) == [
      ["ann@oldco.com", "same full name, one address after the other"],
      ["4242+annlee@users.noreply.github.com", "GitHub noreply address under the same name"],
    ])
    #expect(merged["suggestedMailmap"] as? String == """
      Ann Lee <ann.lee@newco.io> Ann Lee <4242+annlee@users.noreply.github.com>
      Ann Lee <ann.lee@newco.io> Ann Lee <ann@oldco.com>

      """)
    let bots = (merged["bots"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    #expect(bots == ["dependabot[bot]"])

    // Merging off, lines followed (--lines): four people, two of whom "left" (the old address, 2023-06-20, and the namesake); as
    // git blame attributes them, 43 of src/core.py's 44 lines are the old address's (all but "from
    // newco"), so 43 of the 65 analysed lines were written by people who left.
    let apart = try Self.ownership(["--no-merge-identities", "--lines"])
    #expect(apart["contributors"] as? Int == 4)
    #expect(apart["formerContributors"] as? Int == 2)
    #expect(abs((apart["orphanedShare"] as? Double ?? 0) - 43.0 / 65.0) < 0.0001)
    #expect(apart["orphanedLines"] as? Int == 43)
    #expect(apart["orphanedBasis"] as? String == "lines")
    #expect((apart["identities"] as? [Any])?.isEmpty == true)
  }
}
