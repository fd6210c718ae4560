import FixtureSupport
import Foundation
import Git
import Testing

/// The line tracker against git itself: every tip line's commit, original line number and author
/// equal `git blame --line-porcelain`'s; the hunks it follows equal `git diff -U0`'s.
@Suite struct LineTrackerTests {
  struct Origin: Hashable, CustomStringConvertible {
    let commit: String
    let line: Int  // 1-based, in the origin commit's version of the file
    let author: String
    var description: String { "\(commit.prefix(7)):\(line) \(author)" }
  }

  /// `git blame --line-porcelain` of every file of the tip (submodules aside), by path.
  static func blame(_ repo: String, rev: String = "HEAD") throws -> [String: [Origin]] {
    var out: [String: [Origin]] = [:]
    let listing = try Fixture.git(["ls-tree", "-r", "-z", rev], in: repo)
    for entry in listing.split(separator: "\0") {
      let parts = entry.split(separator: "\t", maxSplits: 1)
      guard parts.count == 2, !parts[0].hasPrefix("160000") else { continue }
      out[String(parts[1])] = try blame(repo, rev: rev, path: String(parts[1]))
    }
    return out
  }

  static func blame(_ repo: String, rev: String, path: String) throws -> [Origin] {
    let text = try Fixture.run("/usr/bin/git", ["blame", "--line-porcelain", rev, "--", path], in: repo,
                               environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "LC_ALL": "C"])
    guard text.status == 0 else { throw Fixture.Failure(description: "git blame \(path): \(text.stderr)") }
    var origins: [Origin] = []
    var commit = "", line = 0, author = ""
    var header = true
    for raw in text.data.split(separator: 0x0A, omittingEmptySubsequences: false) {
      let bytes = Array(raw)
      if header {
        guard bytes.count > 41 else { continue }
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: " ")
        commit = String(fields[0])
        line = Int(fields[1]) ?? -1
        header = false
      } else if bytes.first == 0x09 {
        origins.append(Origin(commit: commit, line: line, author: author))
        header = true
      } else if bytes.starts(with: Array("author ".utf8)) {
        author = String(decoding: bytes.dropFirst(7), as: UTF8.self)
      }
    }
    return origins
  }

  static func track(_ repo: String, renames: Bool = false, reworkDays: Int = 21) throws -> LineHistory {
    let repository = try Repository(path: repo)
    let tip = try repository.resolveCommit("HEAD")
    let ids = try repository.commitIDs(from: tip)
    return try LineTracker(repositoryPath: repo, commits: ids, tip: tip,
                           options: .init(detectRenames: renames, reworkDays: reworkDays)).run()
  }

  static func origins(_ history: LineHistory) -> [String: [Origin]] {
    var out: [String: [Origin]] = [:]
    for (path, runs) in history.tip {
      var list: [Origin] = []
      for run in runs {
        for k in 0..<Int(run.count) {
          let c = Int(run.commit)
          list.append(Origin(commit: history.commits[c].hex, line: Int(run.line) + k + 1,
                             author: String(decoding: history.authors[c].name, as: UTF8.self)))
        }
      }
      out[String(decoding: path, as: UTF8.self)] = list
    }
    return out
  }

  /// Every line of every tip file the same as git blame's, or the first differences recorded.
  static func expectBlame(_ repo: String, renames: Bool = false, except skipped: Set<String> = [],
                          sourceLocation: SourceLocation = #_sourceLocation) throws {
    let expected = try blame(repo)
    let got = origins(try track(repo, renames: renames))
    #expect(Set(got.keys).subtracting(skipped) == Set(expected.keys).subtracting(skipped), sourceLocation: sourceLocation)
    var wrong = 0
    for (path, lines) in expected.sorted(by: { $0.key < $1.key }) where !skipped.contains(path) {
      let ours = got[path] ?? []
      if ours != lines {
        wrong += 1
        let diffs = zip(lines, ours).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(4)
          .map { "line \($0.offset + 1): git \($0.element.0), ours \($0.element.1)" }
        Issue.record("\(path): \(lines.count) lines by git, \(ours.count) ours; \(diffs.joined(separator: "; "))",
                     sourceLocation: sourceLocation)
      }
    }
    #expect(wrong == 0, sourceLocation: sourceLocation)
  }

  @Test func everyTipLineAsGitBlame() throws {
    let repo = try Fixture.build("lines-blame")
    try Self.expectBlame(repo)
  }
}
