import FixtureSupport
import Foundation
import Git
import Testing

/// The history pass against git itself, record for record.
@Suite struct HistoryWalkTests {
  static func walk(_ repo: String, workers: Int = 2, renames: Bool = false, chunkSize: Int = 3) throws -> [String: (meta: CommitMeta, records: [GitOracle.Record])] {
    let repository = try Repository(path: repo)
    let ids = try repository.commitIDs(from: try repository.resolveCommit("HEAD"))
    let walk = HistoryWalk(repositoryPath: repo, commits: ids, options: .init(workers: workers, detectRenames: renames, chunkSize: chunkSize))
    var out: [String: (CommitMeta, [GitOracle.Record])] = [:]
    var order: [String] = []
    try walk.run { chunk in
      var d = 0
      for meta in chunk.commits {
        let records = chunk.deltas[d..<(d + meta.deltaCount)].map { delta in
          GitOracle.Record(added: delta.binary ? nil : Int(delta.added), deleted: delta.binary ? nil : Int(delta.deleted),
                           path: Array(chunk.path(delta)), oldPath: chunk.oldPath(delta).map(Array.init))
        }
        d += meta.deltaCount
        out[meta.id.hex] = (meta, records)
        order.append(meta.id.hex)
      }
    }
    #expect(order == ids.map(\.hex), "chunks come back in walk order")
    return out
  }

  @Test(arguments: [1, 2, 3])
  func numstatEqualsGit(workers: Int) throws {
    let repo = try Fixture.build("basic")
    let ours = try Self.walk(repo, workers: workers)
    let git = try GitOracle.numstat(repo)
    #expect(ours.count == git.count)
    for (id, records) in git {
      #expect(ours[id]?.records == records, "commit \(id)")
    }
    // The fixture's hard cases really are in it: a type change, a binary file, a gitlink, a mode change.
    let all = git.values.flatMap { $0 }
    #expect(all.contains { $0.path == Array("link.md".utf8) && $0.added == 23 && $0.deleted == 1 })
    #expect(all.contains { $0.added == nil && $0.path == Array("assets/logo.png".utf8) })
    #expect(all.contains { $0.path == Array("vendor/lib".utf8) && $0.added == 1 && $0.deleted == 1 })
    #expect(all.contains { $0.path == Array("src/app.py".utf8) && $0.added == 0 && $0.deleted == 0 })
    #expect(all.contains { $0.path == [UInt8]("docs/caf".utf8) + [0xE9] + [UInt8](".txt".utf8) })
  }

  @Test func renamesEqualGitWithRenameDetection() throws {
    let repo = try Fixture.build(script: """
      lines src/a.py 40
      lines src/b.py 10 other
      commit "start"
      at 2024-01-02T00:00:00+0000
      mkdir -p lib && git mv src/a.py lib/a.py && append lib/a.py "one more line"
      git mv src/b.py src/c.py
      commit "move"
      """)
    let ours = try Self.walk(repo, renames: true)
    let git = try GitOracle.numstat(repo, renames: true)
    for (id, records) in git {
      #expect(ours[id].map { Set($0.records) } == Set(records), "commit \(id)")
    }
    #expect(git.values.flatMap { $0 }.contains { $0.oldPath == Array("src/a.py".utf8) && $0.added == 1 })
    // Without the flag, a rename is a delete and an add, as with --no-renames.
    let plain = try Self.walk(repo, renames: false)
    let plainGit = try GitOracle.numstat(repo)
    for (id, records) in plainGit { #expect(plain[id]?.records == records) }
  }

  @Test func commitMetadataEqualsGit() throws {
    let repo = try Fixture.build("basic")
    let ours = try Self.walk(repo)
    let git = try GitOracle.log(repo, format: "%H%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%s")
    #expect(git.count == ours.count)
    for fields in git {
      guard let meta = ours[fields[0]]?.meta else {
        Issue.record("missing \(fields[0])")
        continue
      }
      #expect(meta.parents.map(\.hex).joined(separator: " ") == fields[1])
      #expect(String(decoding: meta.author.name, as: UTF8.self) == fields[2])
      #expect(String(decoding: meta.author.email, as: UTF8.self) == fields[3])
      #expect(String(meta.authorTime) == fields[4])
      #expect(String(decoding: meta.committer.name, as: UTF8.self) == fields[5])
      #expect(String(meta.committerTime) == fields[7])
      #expect(String(decoding: meta.subject, as: UTF8.self) == fields[8], "subject of \(fields[0])")
    }
  }

  @Test func offsetsAndCoAuthors() throws {
    let repo = try Fixture.build("basic")
    let ours = try Self.walk(repo)
    let offsets = try GitOracle.log(repo, format: "%H%x00%ai")
    for fields in offsets {
      // "%ai" ends with the offset as +hhmm.
      let tail = fields[1].suffix(5)
      let sign = tail.first == "-" ? -1 : 1
      let hh = Int(tail.dropFirst().prefix(2))!, mm = Int(tail.suffix(2))!
      #expect(Int(ours[fields[0]]!.meta.authorOffset) == sign * (hh * 60 + mm))
    }
    let last = try Fixture.git(["rev-parse", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    let co = ours[last]!.meta.coAuthors
    #expect(co.map { String(decoding: $0.email, as: UTF8.self) } == ["grace@example.com"])
    #expect(co.map { String(decoding: $0.name, as: UTF8.self) } == ["Grace Hopper"])
  }

  @Test func largerHistoryEqualsGit() throws {
    // Several hundred commits across many chunks and both workers, with deep folders and deletions.
    let repo = try Fixture.build(script: """
      for i in $(seq 1 240); do
        at "2024-02-$(printf %02d $(( (i % 28) + 1 )))T$(printf %02d $(( i % 24 ))):00:00+0000"
        d="pkg$(( i % 7 ))/sub$(( i % 3 ))"
        lines "$d/f$(( i % 11 )).txt" $(( (i * 7) % 30 + 1 )) "v$i"
        if [ $(( i % 13 )) -eq 0 ]; then remove "pkg$(( i % 7 ))"; fi
        commit "change $i"
      done
      """)
    let ours = try Self.walk(repo, workers: 2, chunkSize: 7)
    let git = try GitOracle.numstat(repo)
    #expect(ours.count == 240)
    for (id, records) in git { #expect(ours[id]?.records == records, "commit \(id)") }
  }
}
