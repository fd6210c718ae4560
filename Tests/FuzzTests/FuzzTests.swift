@testable import Analyzers
import FixtureSupport
import Foundation
@testable import Git
import SalvageCore
import Testing
import TOML

/// Mutation fuzzing of every parser of repository bytes: the dependency manifests, TOML, commits, loose
/// objects and packs. Each target mutates seeds built at test time (the fixtures' own manifests, a real
/// repository's commits and pack) and feeds the parser; a parser may reject an input, never crash or
/// hang. Without `SALVAGE_FUZZ_SECONDS` each target runs a short smoke round (the suite stays fast);
/// `scripts/fuzz.sh` runs them for a bounded time. Before each input the target writes it to
/// `SALVAGE_FUZZ_DIR/<target>.last`, so when a crash kills the process the script keeps that input in
/// `Tests/FuzzTests/Crashes/<target>/`, which `crashesStayFixed` replays on every run.
@Suite(.serialized) struct FuzzTests {
  static let environment = ProcessInfo.processInfo.environment
  static let seconds = Double(environment["SALVAGE_FUZZ_SECONDS"] ?? "")
  static let folder = environment["SALVAGE_FUZZ_DIR"] ?? FileManager.default.temporaryDirectory.appendingPathComponent("salvage-fuzz").path
  static let crashes = Fixture.root.appendingPathComponent("Tests/FuzzTests/Crashes").path

  typealias Random = SeededRandom

  /// Bytes that matter to the formats: brackets, quotes, separators, digits, high bytes.
  static let interesting = Array("{}[]<>\"'=:,\n\r\t \\/#-+.0123456789abcz\u{0}".utf8) + [0x7f, 0x80, 0xc3, 0xff]

  static func mutate(_ input: [UInt8], _ seeds: [[UInt8]], _ r: inout Random) -> [UInt8] {
    var out = input
    for _ in 0..<(1 + r.below(4)) {
      let at = r.below(out.count + 1)
      switch r.below(8) {
      case 0 where !out.isEmpty: out[min(at, out.count - 1)] ^= UInt8(1 << r.below(8))
      case 1: out.insert(interesting[r.below(interesting.count)], at: at)
      case 2 where !out.isEmpty:
        let end = min(out.count, at + 1 + r.below(16))
        out.removeSubrange(min(at, end)..<end)
      case 3 where !out.isEmpty:
        let from = r.below(out.count), length = min(out.count - from, 1 + r.below(64))
        out.insert(contentsOf: out[from..<(from + length)], at: at)
      case 4:
        let other = seeds[r.below(seeds.count)]
        guard !other.isEmpty else { continue }
        let from = r.below(other.count), length = min(other.count - from, 1 + r.below(128))
        out.insert(contentsOf: other[from..<(from + length)], at: at)
      case 5:
        // Deep nesting, the shape that broke recursive parsers.
        let pairs: [(String, String)] = [("[", "]"), ("{\"a\":", "}"), ("<a>", "</a>"), ("- ", ""), ("a = [", "]")]
        let (open, close) = pairs[r.below(pairs.count)]
        let depth = 1 + r.below(2_000)
        out.insert(contentsOf: Array(String(repeating: open, count: depth).utf8) + Array(String(repeating: close, count: depth).utf8), at: at)
      case 6: out.insert(contentsOf: Array(String(r.next()).utf8) + Array(String(repeating: "9", count: r.below(30)).utf8), at: at)
      default: if !out.isEmpty { out.removeSubrange(min(at, out.count)...) }
      }
    }
    return out
  }

  /// Runs `body` on mutated seeds for the fuzzing time (or a smoke round), saving each input first.
  static func fuzz(_ target: String, seeds: [(tag: String, bytes: [UInt8])], smoke: Int = 300,
                   _ body: (String, [UInt8]) -> Void) throws {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    // The suite's smoke round is the same inputs on every run (a test that fails one run in a hundred
    // helps nobody); a timed run (scripts/fuzz.sh) explores from the clock.
    let seed = UInt64(environment["SALVAGE_FUZZ_SEED"] ?? "") ?? (seconds == nil ? 0x5A1_7A6E : UInt64(Date().timeIntervalSince1970 * 1000))
    print("fuzz \(target): seed \(seed), \(seeds.count) seeds")
    var r = Random(state: seed)
    let last = folder + "/\(target).last"
    let deadline = seconds.map { Date().addingTimeInterval($0) }
    let all = seeds.map(\.bytes)
    var runs = 0
    while deadline.map({ Date() < $0 }) ?? (runs < smoke) {
      let (tag, bytes) = seeds[r.below(seeds.count)]
      let input = mutate(bytes, all, &r)
      if deadline != nil { FileManager.default.createFile(atPath: last, contents: Data(Array("\(tag)\n".utf8) + input)) }
      body(tag, input)
      runs += 1
    }
    print("fuzz \(target): \(runs) inputs")
  }

  // MARK: - The targets

  static func manifestSeeds() throws -> [(tag: String, bytes: [UInt8])] {
    var seeds: [(String, [UInt8])] = []
    let catalog = try ManifestCatalog(rules: try RuleSet.load())
    for fixture in ["deps-ecosystems", "deps-malformed", "deps-hygiene-bad"] {
      let repo = try Fixture.build(fixture)
      let files = try Fixture.git(["ls-files"], in: repo).split(separator: "\n").map(String.init)
      for file in files {
        guard let entry = catalog.entry(for: Array(file.utf8)), let data = FileManager.default.contents(atPath: repo + "/" + file) else { continue }
        seeds.append((entry.parser, Array(data)))
      }
    }
    for parser in ManifestParsers.table.keys.sorted() where !seeds.contains(where: { $0.0 == parser }) {
      seeds.append((parser, Array("{\"dependencies\": {\"a\": \"1\"}}\n<project><dependencies/></project>\na = \"1\"\n".utf8)))
    }
    return seeds
  }

  static func parseManifest(_ parser: String, _ bytes: [UInt8]) {
    _ = try? ManifestParsers.parse(parser, bytes)
  }

  static func parseTOML(_ bytes: [UInt8]) {
    _ = try? TOML.parse(String(decoding: bytes, as: UTF8.self))
  }

  static func parseCommit(_ bytes: [UInt8]) {
    _ = try? CommitObject(bytes)
  }

  static func parseLoose(_ bytes: [UInt8]) {
    guard let raw = LooseObjects.inflate(bytes) else { return }
    _ = try? LooseObjects.parse(raw, hex: "0")
  }

  static func applyDelta(_ bytes: [UInt8]) {
    // The first half is the base, the rest the delta.
    let half = bytes.count / 2
    _ = try? ObjectStore.apply(delta: Array(bytes[half...]), to: Array(bytes[..<half]))
  }

  @Test func manifests() throws {
    try Self.fuzz("manifest", seeds: try Self.manifestSeeds(), smoke: 2_000) { Self.parseManifest($0, $1) }
  }

  @Test func toml() throws {
    let seeds = try RuleSet.load().texts.sorted { $0.key < $1.key }.map { (tag: "toml", bytes: Array($0.value.utf8)) }
    try Self.fuzz("toml", seeds: seeds) { Self.parseTOML($1) }
  }

  /// A real repository's commits and loose objects as seeds.
  static func objectSeeds() throws -> (commits: [[UInt8]], loose: [[UInt8]], repo: String) {
    let repo = try Fixture.build("basic")
    let ids = try Fixture.git(["rev-list", "--all"], in: repo).split(separator: "\n").map(String.init)
    let commits = try ids.map { Array(try Fixture.git(["cat-file", "commit", $0], in: repo).utf8) }
    let objects = try Fixture.git(["rev-list", "--objects", "--all"], in: repo).split(separator: "\n").map { String($0.prefix(40)) }
    let loose = objects.compactMap { id in
      FileManager.default.contents(atPath: "\(repo)/.git/objects/\(id.prefix(2))/\(id.dropFirst(2))").map { Array($0) }
    }
    return (commits, loose, repo)
  }

  @Test func commitsAndObjects() throws {
    let (commits, loose, _) = try Self.objectSeeds()
    try Self.fuzz("commit", seeds: commits.map { ("commit", $0) }) { Self.parseCommit($1) }
    try Self.fuzz("loose", seeds: loose.map { ("loose", $0) }) { Self.parseLoose($1) }
    let deltas = commits.map { (tag: "delta", bytes: $0 + [UInt8($0.count & 0x7f), 0x05, 0x90, 0x05, 0x01, 0x41]) }
    try Self.fuzz("delta", seeds: deltas) { Self.applyDelta($1) }
  }

  /// Whole packs, mutated in their object data (the index stays right), read object by object through
  /// the repository's own reader.
  @Test func packs() throws {
    let repo = try Fixture.build("basic")
    try Fixture.git(["repack", "-a", "-d", "-q"], in: repo)
    try Fixture.git(["prune-packed"], in: repo)
    let folder = repo + "/.git/objects/pack"
    let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".pack") })
    let original = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + pack)))
    let ids = try Fixture.git(["rev-list", "--objects", "--all"], in: repo).split(separator: "\n").compactMap { ObjectID(hex: String($0.prefix(40))) }
    try Self.fuzz("pack", seeds: [("pack", original)], smoke: 100) { _, mutated in
      // Keep the header and the length: the index must still describe the pack.
      var bytes = original
      let body = mutated.prefix(original.count)
      for i in 12..<(original.count - 20) where i < body.count { bytes[i] = body[i] }
      Self.readPack(bytes, at: folder + "/" + pack, repo: repo, ids: ids)
    }
  }

  /// Found by `packs`: an entry header stating a size of petabytes was a buffer to allocate (the
  /// process died asking for 437 GB); now it is a corrupt entry, an error naming the object.
  @Test func packEntryWithAnImpossibleSize() throws {
    let repo = try Fixture.build("basic")
    try Fixture.git(["repack", "-a", "-d", "-q"], in: repo)
    try Fixture.git(["prune-packed"], in: repo)
    let folder = repo + "/.git/objects/pack"
    let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".pack") })
    let ids = try Fixture.git(["rev-list", "--objects", "--all"], in: repo).split(separator: "\n").compactMap { ObjectID(hex: String($0.prefix(40))) }
    var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + pack)))
    // The first entry (at 12): a commit (type 1) whose size runs on for seven more bytes.
    bytes.replaceSubrange(12..<20, with: [0x9f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])
    FileManager.default.createFile(atPath: folder + "/" + pack, contents: Data(bytes))
    let repository = try Repository(path: repo)
    var failures = 0
    for id in ids {
      do { _ = try repository.objects().read(id.raw) } catch { failures += 1 }
    }
    #expect(failures >= 1)
  }

  static func readPack(_ bytes: [UInt8], at path: String, repo: String, ids: [ObjectID]) {
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    guard let repository = try? Repository(path: repo), let store = try? repository.objects() else { return }
    for id in ids { _ = try? store.read(id.raw) }
  }

  // MARK: - Crashes found, kept

  /// Every input a fuzzing run crashed on, replayed: `Crashes/<target>/<name>`, whose first line is the
  /// tag (the manifest parser's name).
  @Test func crashesStayFixed() throws {
    let targets = (try? FileManager.default.contentsOfDirectory(atPath: Self.crashes)) ?? []
    for target in targets.sorted() {
      let files = (try? FileManager.default.contentsOfDirectory(atPath: Self.crashes + "/" + target)) ?? []
      for file in files.sorted() {
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.crashes)/\(target)/\(file)")))
        let newline = data.firstIndex(of: 0x0a) ?? data.count
        let tag = String(decoding: data[..<newline], as: UTF8.self)
        let input = Array(data[min(data.count, newline + 1)...])
        switch target {
        case "manifest": Self.parseManifest(tag, input)
        case "toml": Self.parseTOML(input)
        case "commit": Self.parseCommit(input)
        case "loose": Self.parseLoose(input)
        case "delta": Self.applyDelta(input)
        default: Issue.record("unknown fuzz target \(target)")
        }
      }
    }
  }
}
