import CLibGit2
import FixtureSupport
import Foundation
@testable import Git
import Testing

/// Our commit parser reads every field as libgit2 does, on ordinary and on odd commits.
@Suite struct CommitObjectTests {
  struct Fields: Equatable, CustomStringConvertible {
    var tree: String
    var parents: [String]
    var author: String
    var committer: String
    var message: [UInt8]
    var description: String { "tree \(tree) parents \(parents) author \(author) committer \(committer) message \(message.count) bytes" }
  }

  static func person(_ s: Signature, _ time: Int64, _ offset: Int) -> String {
    "\(String(decoding: s.name, as: UTF8.self).debugDescription) <\(String(decoding: s.email, as: UTF8.self).debugDescription)> \(time) \(offset)"
  }

  /// libgit2's reading, or nil when it refuses the commit.
  static func libgit2(_ repo: OpaquePointer, _ id: ObjectID) -> Fields? {
    var oid = id.raw
    var commit: OpaquePointer?
    guard git_commit_lookup(&commit, repo, &oid) == 0, let commit else { return nil }
    defer { git_commit_free(commit) }
    func sig(_ p: UnsafePointer<git_signature>) -> String {
      let s = p.pointee
      let signature = Signature(name: Array(UnsafeRawBufferPointer(start: s.name, count: strlen(s.name))),
                                email: Array(UnsafeRawBufferPointer(start: s.email, count: strlen(s.email))))
      return person(signature, s.when.time, Int(s.when.offset))
    }
    return Fields(tree: ObjectID(git_commit_tree_id(commit)!).hex,
                  parents: (0..<git_commit_parentcount(commit)).map { ObjectID(git_commit_parent_id(commit, $0)!).hex },
                  author: sig(git_commit_author(commit)!), committer: sig(git_commit_committer(commit)!),
                  message: git_commit_message(commit).map { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) } ?? [])
  }

  static func ours(_ store: ObjectStore, _ id: ObjectID) -> Fields? {
    guard let c = try? HistoryWalk.commit(id, store: store) else { return nil }
    return Fields(tree: c.tree.hex, parents: c.parents.map(\.hex),
                  author: person(c.author.signature, c.author.time, Int(c.author.offset)),
                  committer: person(c.committer.signature, c.committer.time, Int(c.committer.offset)), message: c.message)
  }

  /// Compares every commit; returns how many libgit2 could read (the others must fail for us too).
  static func compareAll(_ path: String, ids: [ObjectID]) throws -> Int {
    let repository = try Repository(path: path)
    let store = try repository.objects()
    var read = 0
    for id in ids {
      let theirs = libgit2(repository.handle, id), mine = ours(store, id)
      #expect(mine == theirs, "commit \(id.hex)")
      // The walk's lighter read: the same parents and committer time, and it fails on the same commits.
      let walked = try? HistoryWalk.parentsAndTime(id, store: store)
      let full = try? HistoryWalk.commit(id, store: store)
      #expect(walked?.parents == full?.parents && walked?.committerTime == full?.committer.time, "commit \(id.hex) as the walk reads it")
      if theirs != nil { read += 1 }
    }
    return read
  }

  @Test func ordinaryCommitsReadAsLibgit2Does() throws {
    let repo = try Fixture.build("basic")
    let ids = try Fixture.git(["rev-list", "--all"], in: repo).split(separator: "\n").map { ObjectID(hex: String($0))! }
    #expect(try Self.compareAll(repo, ids: ids) > 5)
  }

  @Test func oddCommitsReadAsLibgit2Does() throws {
    // Raw commit objects written as they are (hash-object --literally): odd signatures, zones, headers.
    let repo = try Fixture.build(script: "put a.txt 'a\\n'\ncommit first")
    let tree = try Fixture.git(["rev-parse", "HEAD^{tree}"], in: repo).trimmingCharacters(in: .newlines)
    let head = try Fixture.git(["rev-parse", "HEAD"], in: repo).trimmingCharacters(in: .newlines)
    let bodies: [String] = [
      "author  Spaced  Name  <  mail@example.com > 1700000000 +0130\ncommitter C <c@x> 1700000000 -0745\n\nmsg\n",
      "author A <a@x> 1700000000 +1900\ncommitter C <c@x> 1700000000 +0099\n\nzones out of range\n",
      "author A <a@x> 1700000000\ncommitter C <c@x>\n\nno zone, no time\n",
      "author A <a@x> 1700000000 zzzz\ncommitter C <c@x> 1700000000 --0130\n\nbad zones\n",
      "author A <a@x> 1700000000 +0000\nauthor B <b@x> 1700000001 +0000\ncommitter C <c@x> 1700000000 +0000\n\ntwo authors\n",
      "author A <a@x> 1700000000 +0000\ncommitter C <c@x> 1700000000 +0000\nencoding ISO-8859-1\nmergetag x\n y\n\n\n\nleading newlines\n",
      "author A <a@x> 1700000000 +0000\ncommitter C <c@x> 1700000000 +0000\n",
      "author A <a@x> 1700000000 +0000\ncommitter C <c@x> 1700000000 +0000\n\nbefore\u{0}after NUL\n",
      "author Name <with <nested> brackets> 1700000000 +0200\ncommitter C <c@x> 99999999999999999999 +0000\n\noverflow\n",
      "author A a@x 1700000000 +0000\ncommitter C <c@x> 1700000000 +0000\n\nno brackets\n",
      "author <> 0 +0000\ncommitter <> 0 +0000\n\nempty people\n",
    ]
    var ids: [ObjectID] = []
    for body in bodies {
      let file = "\(repo)/raw-commit"
      try Data("tree \(tree)\nparent \(head)\n\(body)".utf8).write(to: URL(fileURLWithPath: file))
      let id = try Fixture.git(["hash-object", "-t", "commit", "-w", "--literally", file], in: repo).trimmingCharacters(in: .newlines)
      ids.append(ObjectID(hex: id)!)
    }
    // Two are refused, by both: an overflowing timestamp and an e-mail without brackets.
    #expect(try Self.compareAll(repo, ids: ids) == bodies.count - 2)
  }

  /// `SALVAGE_ORACLE_REPO=/path/to/repo swift test --filter CommitObjectTests` checks every commit of a
  /// real repository (for example git.git); skipped otherwise.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["SALVAGE_ORACLE_REPO"] != nil))
  func everyCommitOfARealRepository() throws {
    let repo = ProcessInfo.processInfo.environment["SALVAGE_ORACLE_REPO"]!
    let ids = try Fixture.git(["rev-list", "--all"], in: repo).split(separator: "\n").map { ObjectID(hex: String($0))! }
    #expect(try Self.compareAll(repo, ids: ids) == ids.count)
  }
}
