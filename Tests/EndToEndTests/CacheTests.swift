import FixtureSupport
import Foundation
import Testing

/// The history cache: a warm scan gives the same bytes as a cold one, reads only new commits, and a
/// corrupt cache is rebuilt, never trusted.
@Suite struct CacheTests {
  func scan(_ repo: String, cache: String, _ extra: [String] = []) throws -> Fixture.Output {
    try Fixture.salvage(["scan", repo, "--format", "json"] + extra, environment: ["SALVAGE_CACHE_DIR": cache, "SALVAGE_TIMING": "1"])
  }

  /// "diff N commits" from the timing lines: how many commits the history pass had to read.
  func diffed(_ out: Fixture.Output) -> Int? {
    guard let line = out.stderr.split(separator: "\n").first(where: { $0.contains("history: diff") }) else { return nil }
    return Int(line.split(separator: " ")[3])
  }

  @Test func warmScanEqualsColdAndReadsOnlyNewCommits() throws {
    let repo = try Fixture.build("basic")
    let cache = try Fixture.temporaryFolder("cache")
    let cold = try scan(repo, cache: cache, ["--no-cache"])
    let first = try scan(repo, cache: cache)
    let warm = try scan(repo, cache: cache)
    #expect(cold.status == 0 && first.status == 0 && warm.status == 0)
    #expect(first.data == cold.data)
    #expect(warm.data == cold.data, "warm scan gives the same bytes")
    let total = Int(try Fixture.git(["rev-list", "--count", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines))!
    #expect(diffed(first) == total)
    #expect(diffed(warm) == 0)
    // Two new commits: only they are read, and the result equals a cold scan.
    try Fixture.git(["-c", "user.name=N", "-c", "user.email=n@example.com", "commit", "-q", "--allow-empty", "-m", "one"], in: repo)
    try "x\n".write(toFile: repo + "/new.txt", atomically: true, encoding: .utf8)
    try Fixture.git(["add", "new.txt"], in: repo)
    try Fixture.git(["-c", "user.name=N", "-c", "user.email=n@example.com", "commit", "-q", "-m", "two"], in: repo)
    let next = try scan(repo, cache: cache)
    #expect(diffed(next) == 2)
    #expect(next.data == (try scan(repo, cache: cache, ["--no-cache"])).data)
  }

  @Test func secretsFromCachedHistoryEqualACold() throws {
    // Secrets added and removed across history: a warm scan replays what the pass saw.
    let repo = try Fixture.build("secrets-history")
    let cache = try Fixture.temporaryFolder("cache")
    let cold = try scan(repo, cache: cache, ["--no-cache"])
    _ = try scan(repo, cache: cache)
    let warm = try scan(repo, cache: cache)
    #expect(diffed(warm) == 0)
    #expect(warm.data == cold.data)
    let doc = try #require(try JSONSerialization.jsonObject(with: warm.data) as? [String: Any])
    let findings = (doc["findings"] as? [[String: Any]] ?? []).filter { $0["analyzer"] as? String == "secrets" }
    #expect(findings.contains { ($0["evidence"] as? [String: Any])?["inHead"] as? Bool == false }, "history-only secrets survive the cache")
  }

  /// The cache is made for one walk (tip, `--since`, shallow boundary) and serves others too: a scan of
  /// an older revision or of a shorter span reads no commit it holds, and each result equals a cold scan.
  @Test func otherRevisionsAndSpansUseTheCache() throws {
    let repo = try Fixture.build("basic")
    let cache = try Fixture.temporaryFolder("cache")
    let total = Int(try Fixture.git(["rev-list", "--count", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines))!
    #expect(total > 3)
    #expect(diffed(try scan(repo, cache: cache)) == total)
    let older = try scan(repo, cache: cache, ["--rev", "HEAD~2"])
    #expect(older.data == (try scan(repo, cache: cache, ["--rev", "HEAD~2", "--no-cache"])).data)
    #expect(diffed(older) == 0, "every commit of HEAD~2 was in the cache")
    // The cache now holds HEAD~2's history: HEAD's two newest commits are read again, and only they.
    let again = try scan(repo, cache: cache)
    #expect(diffed(again) == 2)
    #expect(again.data == (try scan(repo, cache: cache, ["--no-cache"])).data)
    // A span cut by --since: its commits are all cached, and a full scan after it reads nothing new.
    let dates = try Fixture.git(["log", "--format=%cs"], in: repo).split(separator: "\n").map(String.init)
    let since = dates[dates.count / 2]
    let cut = try scan(repo, cache: cache, ["--since", since])
    #expect(diffed(cut) == 0)
    #expect(cut.data == (try scan(repo, cache: cache, ["--since", since, "--no-cache"])).data)
    let full = try scan(repo, cache: cache)
    #expect(full.data == (try scan(repo, cache: cache, ["--no-cache"])).data)
  }

  /// A cache written by a scan without the secrets analyzer lacks its records: the next full scan reads
  /// every commit again for it, and gives a cold scan's bytes.
  @Test func recordsMissingForAnAnalyzerAreRead() throws {
    let repo = try Fixture.build("secrets-history")
    let cache = try Fixture.temporaryFolder("cache")
    let total = Int(try Fixture.git(["rev-list", "--count", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines))!
    _ = try scan(repo, cache: cache, ["--analyzers", "inventory"])
    let full = try scan(repo, cache: cache)
    #expect(diffed(full) == total)
    #expect(full.data == (try scan(repo, cache: cache, ["--no-cache"])).data)
    #expect(diffed(try scan(repo, cache: cache)) == 0)
    // And the secrets records survive a scan that does not ask for them.
    _ = try scan(repo, cache: cache, ["--analyzers", "inventory"])
    #expect(diffed(try scan(repo, cache: cache)) == 0)
  }

  @Test func corruptCacheIsRebuilt() throws {
    let repo = try Fixture.build("basic")
    let cache = try Fixture.temporaryFolder("cache")
    let cold = try scan(repo, cache: cache)
    let files = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".bin") }
    #expect(files.count == 1)
    let file = cache + "/" + files[0]
    var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
    // Change one count in the middle: the checksum must catch it.
    bytes[bytes.count / 2] ^= 0x5A
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    let after = try scan(repo, cache: cache)
    #expect(after.status == 0)
    #expect(after.data == cold.data)
    #expect(diffed(after) == Int(try Fixture.git(["rev-list", "--count", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)))
    // Truncated to nothing, and garbage: the same.
    try Data().write(to: URL(fileURLWithPath: file))
    #expect(try scan(repo, cache: cache).data == cold.data)
    try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: file))
    #expect(try scan(repo, cache: cache).data == cold.data)
    // And it was rewritten whole: the next scan reads nothing again.
    #expect(diffed(try scan(repo, cache: cache)) == 0)
  }

  @Test func otherRulesUseAnotherCache() throws {
    let repo = try Fixture.build("basic")
    let cache = try Fixture.temporaryFolder("cache")
    _ = try scan(repo, cache: cache)
    let rules = try Fixture.temporaryFolder("rules")
    try "[extensions]\nPython = [\"py\"]\n".write(toFile: rules + "/languages.toml", atomically: true, encoding: .utf8)
    let other = try scan(repo, cache: cache, ["--rules", rules])
    #expect(other.status == 0, "\(other.stderr)")
    #expect(diffed(other) ?? 0 > 0, "changed rules do not reuse the old cache")
    #expect(try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".bin") }.count == 2)
  }

  /// A scan that writes the cache removes Salvage's files that went unused for 30 days (another build's,
  /// other rules'), and only those: files in use are touched when read, other files are left alone.
  @Test func unusedCacheFilesArePruned() throws {
    let repo = try Fixture.build("basic")
    let cache = try Fixture.temporaryFolder("cache")
    #expect(try scan(repo, cache: cache, ["--lines"]).status == 0)
    let ours = try FileManager.default.contentsOfDirectory(atPath: cache).sorted()
    // The history, the tip facts, the secrets' tip scan and the line origins (--lines).
    #expect(ours.count == 4, "\(ours)")
    let old = Date(timeIntervalSinceNow: -40 * 86400), recent = Date(timeIntervalSinceNow: -10 * 86400)
    func put(_ name: String, _ date: Date) throws {
      try Data("x".utf8).write(to: URL(fileURLWithPath: cache + "/" + name))
      try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: cache + "/" + name)
    }
    try put("history-0000000000000000.bin", old)
    try put("tip-facts-0000000000000000.cache", old)
    try put("lines-0000000000000000.cache", old)
    try put(".secrets-tip-0000000000000000.cache.123.tmp", old)
    try put("tip-facts-1111111111111111.cache", recent)
    try put("notes.txt", old)
    // This scan's own files, last used 40 days ago too: the warm scan reads them, which marks them used.
    for name in ours { try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: cache + "/" + name) }
    let warm = try scan(repo, cache: cache, ["--lines"])
    #expect(diffed(warm) == 0)
    for name in ours {
      let date = try FileManager.default.attributesOfItem(atPath: cache + "/" + name)[.modificationDate] as? Date
      #expect(date.map { $0 > recent } ?? false, "\(name) is marked used when read")
    }
    // A scan of another revision writes the cache, and prunes.
    #expect(try scan(repo, cache: cache, ["--rev", "HEAD~1", "--lines"]).status == 0)
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: cache))
    #expect(left == Set(ours + ["tip-facts-1111111111111111.cache", "notes.txt"]))
    #expect(diffed(try scan(repo, cache: cache, ["--lines"])) == 1, "the cache in use survived: only HEAD's newest commit is read again")
  }

  @Test func cacheNeverGoesIntoTheRepository() throws {
    let repo = try Fixture.build("basic")
    let before = try ScanCommandTests.digest(repo + "/.git")
    let cache = try Fixture.temporaryFolder("cache")
    _ = try scan(repo, cache: cache)
    _ = try scan(repo, cache: cache)
    #expect(try ScanCommandTests.digest(repo + "/.git") == before)
  }
}
