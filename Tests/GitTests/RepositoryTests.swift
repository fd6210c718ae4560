import FixtureSupport
import Foundation
import Git
import Testing

@Suite struct RepositoryTests {
  @Test func treeListingEqualsLsTree() throws {
    let repo = try Fixture.build("basic")
    let files = try Repository(path: repo).files(of: try Repository(path: repo).resolveCommit("HEAD"))
    let lsTree = try Fixture.run("/usr/bin/git", ["ls-tree", "-r", "-l", "-z", "HEAD"], in: repo).data
    var expected: [[UInt8]: (mode: UInt32, id: String, size: Int)] = [:]
    for entry in lsTree.split(separator: 0) {
      let bytes = Array(entry)
      let tab = bytes.firstIndex(of: 0x09)!
      let meta = String(decoding: bytes[..<tab], as: UTF8.self).split(separator: " ", omittingEmptySubsequences: true)
      expected[Array(bytes[(tab + 1)...])] = (UInt32(meta[0], radix: 8)!, String(meta[2]), Int(meta[3]) ?? 0)
    }
    #expect(files.count == expected.count)
    for file in files {
      let e = try #require(expected[file.path])
      #expect(file.mode == e.mode && file.id.hex == e.id && file.size == e.size, "\(String(decoding: file.path, as: UTF8.self))")
    }
  }

  @Test func blobBytesEqualCatFile() throws {
    let repo = try Fixture.build("basic")
    let repository = try Repository(path: repo)
    for file in try repository.files(of: try repository.resolveCommit("HEAD")) where !file.isGitlink {
      let git = try Fixture.run("/usr/bin/git", ["cat-file", "blob", file.id.hex], in: repo).data
      #expect(try repository.blob(file.id) == Array(git))
    }
  }

  @Test func tagsWithDates() throws {
    let repo = try Fixture.build(script: """
      at 2024-03-01T10:00:00+0000; put a "1"; commit one; tag v1.0.0
      at 2024-04-01T10:00:00+0000; put a "2"; commit two
      at 2024-04-15T10:00:00+0000; tag v1.1.0 "release 1.1"
      """)
    let tags = try Repository(path: repo).tags()
    #expect(tags.map { String(decoding: $0.name, as: UTF8.self) } == ["v1.0.0", "v1.1.0"])
    #expect(tags.map(\.time) == [1_709_287_200, 1_713_175_200])  // commit time; tagger time
    #expect(tags.map(\.annotated) == [false, true])
  }

  @Test func repositoryStates() throws {
    let empty = try Fixture.build(script: "")
    #expect(try Repository(path: empty).isEmpty)
    #expect(try Repository(path: empty).isHeadUnborn)
    let repo = try Fixture.build("basic")
    let r = try Repository(path: repo)
    #expect(!r.isEmpty && !r.isShallow && !r.isBare && r.headBranch == "main")
    let bare = try Fixture.temporaryFolder("bare")
    try Fixture.git(["clone", "-q", "--bare", repo, bare + "/b.git"], in: bare)
    #expect(try Repository(path: bare + "/b.git").isBare)
    let shallow = try Fixture.temporaryFolder("shallow")
    try Fixture.git(["clone", "-q", "--depth", "3", "file://" + repo, shallow + "/s"], in: shallow)
    let s = try Repository(path: shallow + "/s")
    #expect(s.isShallow)
    #expect(try s.commitIDs(from: try s.resolveCommit("HEAD")).count == 3)
  }

  @Test func errorsCarryWhatWentWrong() throws {
    #expect(throws: GitError.self) { try Repository(path: "/nonexistent/salvage-test") }
    do {
      _ = try Repository(path: "/nonexistent/salvage-test")
    } catch {
      #expect(error.kind == .noSuchPath)
    }
    let plain = try Fixture.temporaryFolder("plain")
    do {
      _ = try Repository(path: plain)
      Issue.record("a plain folder opened as a repository")
    } catch {
      #expect(error.kind == .notARepository)
    }
    let repo = try Fixture.build("basic")
    do {
      _ = try Repository(path: repo).resolveCommit("no-such-branch")
      Issue.record("unknown revision resolved")
    } catch {
      #expect(error.kind == .unknownRevision)
      #expect(error.message.contains("no-such-branch"))
    }
  }

  @Test func mailmapResolves() throws {
    let repo = try Fixture.build("basic")
    let map = try Repository(path: repo).mailmap()
    let resolved = map.resolve(Signature(name: Array("Ada L".utf8), email: Array("ada@old.example.com".utf8)))
    #expect(String(decoding: resolved.email, as: UTF8.self) == "ada@example.com")
    #expect(String(decoding: resolved.name, as: UTF8.self) == "Ada Lovelace")
    let other = map.resolve(Signature(name: Array("Grace Hopper".utf8), email: Array("grace@example.com".utf8)))
    #expect(String(decoding: other.email, as: UTF8.self) == "grace@example.com")
  }
}
