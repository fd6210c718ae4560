import FixtureSupport
import Foundation
import Testing

/// The secrets analyzer's cache of the tip scan, through the binary: warm equals cold, `--no-cache`
/// neither reads nor writes it, and a corrupt file is rebuilt, never trusted.
@Suite struct TipCacheTests {
  func scan(_ repo: String, cache: String, _ extra: [String] = []) throws -> Fixture.Output {
    try Fixture.salvage(["scan", repo, "--format", "json"] + extra, environment: ["SALVAGE_CACHE_DIR": cache])
  }

  func tipFiles(_ cache: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasPrefix("secrets-tip-") && $0.hasSuffix(".cache") }
  }

  @Test func warmEqualsColdAndACorruptFileIsRebuilt() throws {
    let repo = try Fixture.build("secrets-history")
    let cache = try Fixture.temporaryFolder("cache")
    let cold = try scan(repo, cache: cache, ["--no-cache"])
    #expect(try tipFiles(cache).isEmpty, "--no-cache writes no cache")
    let first = try scan(repo, cache: cache)
    let files = try tipFiles(cache)
    #expect(files.count == 1)
    let file = URL(fileURLWithPath: cache + "/" + files[0])
    let written = try Data(contentsOf: file)
    let warm = try scan(repo, cache: cache)
    #expect(cold.status == first.status && warm.status == first.status)
    #expect(first.data == cold.data)
    #expect(warm.data == cold.data, "a warm scan gives the same bytes")

    var bytes = Array(written)
    bytes[bytes.count / 2] ^= 0x5A
    try Data(bytes).write(to: file)
    #expect(try scan(repo, cache: cache).data == cold.data)
    #expect(try Data(contentsOf: file) == written, "rebuilt whole")
    try Data().write(to: file)
    #expect(try scan(repo, cache: cache).data == cold.data)
    try Data(repeating: 7, count: 1000).write(to: file)
    #expect(try scan(repo, cache: cache).data == cold.data)
    #expect(try Data(contentsOf: file) == written)
    #expect(try scan(repo, cache: cache, ["--no-cache"]).data == cold.data)
  }
}
