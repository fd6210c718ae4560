import FixtureSupport
import Foundation
import Git
import Testing

/// The added lines handed to visitors are exactly the `+` lines of `git log -p -U0`.
@Suite struct AddedLinesTests {
  struct Line: Hashable { let commit: String; let path: String; let number: Int; let text: String }

  final class Collector: AddedLineVisitor, @unchecked Sendable {
    let ids: [ObjectID]
    let lock = NSLock()
    nonisolated(unsafe) static var all: [String: Set<Line>] = [:]
    var lines = Set<Line>()
    let key: String
    init(ids: [ObjectID], key: String) { self.ids = ids; self.key = key }
    func addedLines(commit: Int, path: UnsafeBufferPointer<UInt8>, firstLine: Int, content: UnsafeBufferPointer<UInt8>, file: UnsafeBufferPointer<UInt8>) {
      let p = String(decoding: path, as: UTF8.self)
      let parts = Array(content).split(separator: 0x0A, omittingEmptySubsequences: false)
      lock.lock()
      for (i, part) in parts.enumerated() {
        lines.insert(Line(commit: ids[commit].hex, path: p, number: firstLine + i, text: String(decoding: part, as: UTF8.self)))
      }
      lock.unlock()
    }
  }

  static func gitAddedLines(_ repo: String) throws -> Set<Line> {
    let out = try Fixture.run("/usr/bin/git", ["log", "-p", "-U0", "--no-renames", "--format=%x01%H", "--no-color"], in: repo,
                              environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"])
    var result = Set<Line>()
    var commit = "", path = "", number = 0
    for raw in out.stdout.components(separatedBy: "\n") {
      if raw.hasPrefix("\u{01}") {
        commit = String(raw.dropFirst())
      } else if raw.hasPrefix("+++ ") {
        path = raw.hasPrefix("+++ b/") ? String(raw.dropFirst(6)) : ""
      } else if raw.hasPrefix("@@ ") {
        // @@ -a,b +c,d @@
        let plus = raw.split(separator: " ")[2].dropFirst()
        number = Int(plus.split(separator: ",")[0])!
      } else if raw.hasPrefix("+"), !path.isEmpty {
        result.insert(Line(commit: commit, path: path, number: number, text: String(raw.dropFirst())))
        number += 1
      }
    }
    return result
  }

  @Test func addedLinesEqualGitPatch() throws {
    let repo = try Fixture.build(script: """
      lines a.txt 20
      put key.pem "-----BEGIN KEY-----\\nabc\\ndef\\n-----END KEY-----\\n"
      commit one
      at 2024-01-02T00:00:00+0000
      sed -i 's/^line 5$/changed 5/; s/^line 6$/changed 6/; s/^line 15$/changed 15/' a.txt
      echo "tail" >> a.txt
      git add a.txt
      printf 'no newline' > b.txt && git add b.txt
      commit two
      """)
    let repository = try Repository(path: repo)
    let ids = try repository.commitIDs(from: try repository.resolveCommit("HEAD"))
    let box = Box()
    let walk = HistoryWalk(repositoryPath: repo, commits: ids, options: .init(workers: 2, chunkSize: 1))
    try walk.run(makeVisitor: { box.make(ids) }) { _ in }
    let ours = box.union()
    let git = try Self.gitAddedLines(repo)
    #expect(ours == git, "ours - git: \(ours.subtracting(git)), git - ours: \(git.subtracting(ours))")
    #expect(git.contains(Line(commit: ids[0].hex, path: "a.txt", number: 5, text: "changed 5")))
  }

  final class Box: @unchecked Sendable {
    let lock = NSLock()
    var collectors: [Collector] = []
    func make(_ ids: [ObjectID]) -> Collector {
      let c = Collector(ids: ids, key: "")
      lock.withLock { collectors.append(c) }
      return c
    }
    func union() -> Set<Line> { lock.withLock { collectors.reduce(into: Set<Line>()) { $0.formUnion($1.lines) } } }
  }
}
