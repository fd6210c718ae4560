import FixtureSupport
import Foundation
@testable import Git
import Synchronization
import Testing

/// Objects read straight from pack files (offset and reference deltas, long chains, 64-bit offsets)
/// are byte for byte what `git cat-file` prints, and the history pass over a packed repository equals
/// `git log --numstat`.
@Suite struct PackReaderTests {
  /// A history with many versions of the same files, so repacking makes long delta chains.
  static let script = """
    for i in $(seq 1 120); do
      at "2024-03-$(printf %02d $(( (i % 28) + 1 )))T$(printf %02d $(( i % 24 ))):00:00+0000"
      d="pkg$(( i % 4 ))"
      lines "$d/f$(( i % 5 )).txt" $(( (i * 13) % 60 + 5 ))
      echo "v$i" >> "$d/f$(( i % 5 )).txt"
      printf 'header\\nrevision %d\\n' "$i" > "$d/notes.md"
      echo "entry $i" >> history.log
      # One line of a table changes per commit: each version's best base is the one before (a chain).
      [ -f table.txt ] || seq 1 400 > table.txt
      sed -i "$(( (i * 37) % 400 + 1 ))s/.*/row changed in commit $i/" table.txt
      git add "$d" history.log table.txt
      if [ $(( i % 17 )) -eq 0 ]; then remove "pkg$(( i % 4 ))/f1.txt"; fi
      commit "change $i"
    done
    """

  /// The fixture, built once for the suite; each test repacks a copy.
  static let built = Result { try Fixture.build(script: script, name: "packed") }

  /// Copies the fixture and repacks it whole with the given `git repack` settings; loose objects go.
  static func packed(_ settings: [String]) throws -> String {
    let repo = try Fixture.temporaryFolder("packed")
    let copy = try Fixture.run("/bin/cp", ["-a", try built.get() + "/.", repo])
    guard copy.status == 0 else { throw Fixture.Failure(description: copy.stderr) }
    try Fixture.git(settings + ["repack", "-a", "-d", "-f", "--depth=40", "--window=30", "-q"], in: repo)
    try Fixture.git(["prune", "--expire=now"], in: repo)
    return repo
  }

  /// Every blob of the repository, as `git cat-file --batch` prints it.
  static func gitBlobs(_ repo: String) throws -> [(ObjectID, [UInt8])] {
    let out = try Fixture.run("/usr/bin/git", ["cat-file", "--batch-all-objects", "--batch"], in: repo,
                              environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"])
    let data = [UInt8](out.data)
    var blobs: [(ObjectID, [UInt8])] = []
    var i = 0
    while i < data.count {
      let end = data[i...].firstIndex(of: 0x0A)!
      let header = String(decoding: data[i..<end], as: UTF8.self).split(separator: " ")
      let size = Int(header[2])!
      if header[1] == "blob" { blobs.append((ObjectID(hex: String(header[0]))!, Array(data[(end + 1)..<(end + 1 + size)]))) }
      i = end + 1 + size + 1
    }
    return blobs
  }

  static func check(_ repo: String) throws {
    let loose = try Fixture.git(["count-objects", "-v"], in: repo)
    #expect(loose.contains("count: 0\n"), "every object is in the pack")
    let blobs = try gitBlobs(repo)
    #expect(blobs.count > 150)
    let repository = try Repository(path: repo)
    for (id, bytes) in blobs {
      #expect(try repository.blob(id) == bytes, "blob \(id.hex)")
    }
    let ours = try HistoryWalkTests.walk(repo, workers: 2, chunkSize: 5)
    let git = try GitOracle.numstat(repo)
    #expect(ours.count == 120)
    for (id, records) in git { #expect(ours[id]?.records == records, "commit \(id)") }
  }

  /// The repository's one pack, as a path without its `.pack` or `.idx`.
  static func pack(_ repo: String) throws -> String {
    let folder = "\(repo)/.git/objects/pack"
    let name = try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".pack") }!
    return "\(folder)/\(name.dropLast(5))"
  }

  @Test func offsetDeltas() throws {
    let repo = try Self.packed([])
    // The repack really made deltas, some of them chained.
    let verify = try Fixture.git(["verify-pack", "-v", try Self.pack(repo) + ".idx"], in: repo)
    #expect(verify.contains("chain length = 10:"))
    try Self.check(repo)
  }

  @Test func referenceDeltas() throws {
    try Self.check(try Self.packed(["-c", "repack.useDeltaBaseOffset=false"]))
  }

  @Test func largeOffsets() throws {
    // An index whose offsets past 64 bytes all sit in the 64-bit table, as in packs over 2 GiB.
    let repo = try Self.packed([])
    let pack = try Self.pack(repo)
    try FileManager.default.removeItem(atPath: pack + ".idx")
    try Fixture.git(["index-pack", "--index-version=2,64", "-o", pack + ".idx", pack + ".pack"], in: repo)
    try Self.check(repo)
  }

  @Test func borrowedObjects() throws {
    // `git clone --shared`: every old object is in the source's pack, read through info/alternates.
    let source = try Self.packed([])
    let clone = try Fixture.temporaryFolder("shared")
    try Fixture.git(["clone", "-q", "--shared", source, clone], in: source)
    #expect(FileManager.default.fileExists(atPath: "\(clone)/.git/objects/info/alternates"))
    try Self.check(clone)
  }

  /// A pack of 12,000 blobs: each fan-out range holds about 47 ids, so the search guesses a position and
  /// looks in a window around it (smaller ranges are searched whole). Every blob reads as git prints
  /// it, and ids next to each blob's (one bit off at either end) are not found in the pack.
  @Test func largePackIndex() throws {
    let repo = try Self.largePack.get()
    let blobs = try Self.gitBlobs(repo)
    #expect(blobs.count == 12_000)
    // A version-2 index (else the reader leaves the pack to libgit2 and the search is not exercised).
    let index = try Data(contentsOf: URL(fileURLWithPath: try Self.pack(repo) + ".idx"))
    #expect(Array(index.prefix(8)) == [0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2])
    let repository = try Repository(path: repo)
    for (id, bytes) in blobs {
      #expect(try repository.blob(id) == bytes, "blob \(id.hex)")
    }
    let store = try repository.objects()
    for (id, _) in blobs.prefix(500) {
      for flip in [0, 19] {
        var bytes = id.bytes
        bytes[flip] ^= 1
        let near = ObjectID(bytes: bytes)!
        #expect(throws: GitError.self, "\(near.hex) is not in the pack") { try store.read(near.raw) }
      }
    }
  }

  /// The delta-base cache, bounded far below the objects read, evicts all the time: every object still
  /// reads as git prints it, read twice over in an order that mixes the pack.
  @Test func smallBaseCacheEvicts() throws {
    let repo = try Self.packed([])
    let repository = try Repository(path: repo)
    let store = try ObjectStore(repository: repository.handle, cacheBytes: 16 << 10)
    var blobs = try Self.gitBlobs(repo)
    blobs += blobs.reversed()
    var generator = SplitMix(seed: 17)
    blobs.shuffle(using: &generator)
    for (id, bytes) in blobs {
      #expect(try store.read(id.raw).data == bytes, "blob \(id.hex)")
    }
  }

  /// Two stores on two threads share one delta-base cache, as the history pass's workers do: each
  /// reads every blob and tree, in its own order and twice over, while the other fills and empties the
  /// cache; every object reads as git prints it. With a cache far below what is read (constant
  /// eviction) and with one that holds it all.
  @Test(arguments: [16 << 10, 64 << 20])
  func sharedBaseCacheAcrossThreads(limit: Int) throws {
    let repo = try Self.packed([])
    let blobs = try Self.gitBlobs(repo)
    let trees = try Fixture.git(["rev-list", "--all", "--objects"], in: repo).split(separator: "\n").compactMap { line -> ObjectID? in
      ObjectID(hex: String(line.prefix(40)))
    }
    let gitTrees = try trees.compactMap { id -> (ObjectID, [UInt8])? in
      let kind = try Fixture.git(["cat-file", "-t", id.hex], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
      guard kind == "tree" else { return nil }
      return (id, [UInt8](try Fixture.run("/usr/bin/git", ["cat-file", "tree", id.hex], in: repo).data))
    }
    #expect(gitTrees.count > 100)
    let shared = SharedBaseCache(limit: limit)
    let mismatches = Mutex<[Int]>([-1, -1])
    DispatchQueue.concurrentPerform(iterations: 2) { worker in
      var wrong = 0
      do {
        let repository = try Repository(path: repo)
        let store = try repository.objects(sharing: shared, treeCacheBytes: 8 << 10)
        var objects = (blobs + gitTrees) + (blobs + gitTrees).reversed()
        var generator = SplitMix(seed: UInt64(31 + worker))
        objects.shuffle(using: &generator)
        for (id, bytes) in objects where (try? store.read(id.raw).data) != bytes { wrong += 1 }
      } catch {
        wrong = -1
      }
      mismatches.withLock { $0[worker] = wrong }
    }
    #expect(mismatches.withLock { $0 } == [0, 0])
  }

  static let largePack = Result {
    try Fixture.build(script: """
      for i in $(seq 1 12000); do
        printf 'blob\\nmark :%d\\ndata <<EOF\\nobject %d of the large pack\\nshared line %d\\nEOF\\n' "$i" "$i" "$(( i % 50 ))"
      done | git fast-import --quiet
      """, name: "largepack")
  }

  @Test func corruptPackIsAnErrorNamingTheObject() throws {
    let repo = try Self.packed([])
    let pack = try Self.pack(repo)
    // The biggest whole blob: spoil the middle of its compressed bytes.
    let verify = try Fixture.git(["verify-pack", "-v", pack + ".idx"], in: repo)
    // verify-pack -v: "<id> <type> <size> <size in pack> <offset>" for an object stored whole.
    var biggest: (id: String, stored: Int, offset: Int) = ("", 0, 0)
    for line in verify.split(separator: "\n") {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      guard fields.count == 5, fields[1] == "blob", let stored = Int(fields[3]), let offset = Int(fields[4]) else { continue }
      if stored > biggest.stored { biggest = (fields[0], stored, offset) }
    }
    let (id, stored, offset) = biggest
    let path = pack + ".pack"
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    try handle.seek(toOffset: UInt64(offset + stored / 2))
    try handle.write(contentsOf: Data([0xFF, 0x00, 0xFF, 0x00]))
    try handle.close()
    let repository = try Repository(path: repo)
    #expect {
      _ = try repository.blob(ObjectID(hex: id)!)
    } throws: { error in
      guard let error = error as? GitError else { return false }
      return error.kind == .unreadableObject && error.message.contains(id)
    }
  }
}

/// A seeded generator, so the shuffled order is the same on every run.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
