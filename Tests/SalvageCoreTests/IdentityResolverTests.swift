import Testing

@testable import SalvageCore

/// The merge rules one by one, on identities given by hand (times in days).
@Suite struct IdentityResolverTests {
  func identity(_ name: String, _ email: String, _ first: Int64, _ last: Int64) -> IdentityResolver.Identity {
    .init(name: name, email: email, first: first * 86400, last: last * 86400)
  }

  @Test func namesAreNormalised() {
    #expect(IdentityResolver.Key.normalise("José  O'Neil") == "jose oneil")
    #expect(IdentityResolver.Key.normalise("jose.oneil") == "jose oneil")
    #expect(IdentityResolver.Key.normalise("ＡＮＮ LEE") == "ann lee")
  }

  @Test func githubLoginsMergeWhateverTheName() {
    let (group, reasons) = IdentityResolver.groups([
      identity("octo", "583231+octocat@users.noreply.github.com", 10, 20),
      identity("The Octocat", "octocat@users.noreply.github.com", 10, 20),
    ])
    #expect(group == [0, 0])
    #expect(reasons[1] == .githubLogin)
    // Two account numbers are two accounts, even under one login.
    let (two, _) = IdentityResolver.groups([
      identity("Copilot", "175728472+Copilot@users.noreply.github.com", 10, 20),
      identity("Copilot", "198982749+Copilot@users.noreply.github.com", 10, 20),
    ])
    #expect(two == [0, 1])
  }

  @Test func sameNameAndLocalPartMergeEvenSideBySide() {
    let (group, reasons) = IdentityResolver.groups([
      identity("Bo Chen", "bo.chen@work.com", 10, 100),
      identity("Bo Chen", "bo.chen@home.net", 20, 90),
      // A generic local part says nothing: a namesake at another company working at the same time.
      identity("Sam Roe", "admin@a.com", 10, 100),
      identity("Sam Roe", "admin@b.com", 10, 100),
    ])
    #expect(group == [0, 0, 2, 3])
    #expect(reasons[1] == .nameAndLocalPart)
  }

  @Test func fullNamesMergeOnlyWhenOneAddressSucceedsTheOther() {
    let (group, _) = IdentityResolver.groups([
      identity("Ann Lee", "ann@new.io", 200, 400),    // takes over from the old address
      identity("Ann Lee", "ann@old.com", 0, 190),
      identity("Ann Lee", "alee@other.com", 50, 150),  // works beside the old address: a namesake
      identity("ann", "ann@x.com", 0, 10),             // one word: never merged by name
      identity("ann", "a@y.com", 20, 30),
    ])
    #expect(group == [0, 0, 2, 3, 4])
  }

  @Test func botsNeverMerge() {
    let (group, _) = IdentityResolver.groups([
      identity("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", 0, 10),
      identity("dependabot[bot]", "dependabot[bot]@users.noreply.github.com", 20, 30),
    ])
    #expect(group == [0, 1])
  }

  /// The bots are `rules/bots.toml`'s, the list every analyzer uses: a bot named there merges with
  /// nothing, though it has no `[bot]` in its name (before, only `[bot]` kept bots apart).
  @Test func botsOfTheBotListNeverMerge() throws {
    let identities = [
      identity("renovate-bot", "renovate-bot@a.example", 0, 10),
      identity("renovate-bot", "renovate-bot@b.example", 20, 30),
    ]
    #expect(IdentityResolver.groups(identities, bots: BotList(contains: [])).group == [0, 0], "people of one name and local part merge")
    #expect(IdentityResolver.groups(identities, bots: try BotList(RuleSet.load())).group == [0, 1])
  }
}
