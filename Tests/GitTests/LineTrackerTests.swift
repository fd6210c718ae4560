import FixtureSupport
import Foundation
@testable import Git
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
    return parsePorcelain(text.data)
  }

  static func parsePorcelain(_ data: Data) -> [Origin] {
    var origins: [Origin] = []
    var commit = "", line = 0, author = ""
    var header = true
    for raw in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
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

  /// `given`: with the changes the history pass works out (`collectLineChanges`), as a scan runs it.
  static func track(_ repo: String, renames: Bool = false, reworkDays: Int = 21,
                    workers: Int = ProcessInfo.processInfo.activeProcessorCount, given: Bool = false) throws -> LineHistory {
    let repository = try Repository(path: repo)
    let tip = try repository.resolveCommit("HEAD")
    let ids = try repository.commitIDs(from: tip)
    return try LineTracker(repositoryPath: repo, commits: ids, tip: tip,
                           options: .init(detectRenames: renames, reworkDays: reworkDays, workers: workers))
      .run(given: given ? try historyChanges(repo, ids, renames: renames) : [])
  }

  /// The history pass's line changes of `ids`, per commit.
  static func historyChanges(_ repo: String, _ ids: [ObjectID], renames: Bool = false) throws -> [CommitLineChanges?] {
    var out: [CommitLineChanges?] = []
    try HistoryWalk(repositoryPath: repo, commits: ids,
                    options: .init(workers: 2, detectRenames: renames, chunkSize: 3, collectLineChanges: true)).run { chunk in
      #expect(chunk.lineChanges.count == chunk.commits.count)
      out += chunk.lineChanges
    }
    return out
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
  static func expectBlame(_ repo: String, renames: Bool = false, except skipped: Set<String> = [], given: Bool = false,
                          sourceLocation: SourceLocation = #_sourceLocation) throws {
    let expected = try blame(repo)
    let got = origins(try track(repo, renames: renames, given: given))
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
    try Self.expectBlame(repo, given: true)
    // Rename detection changes nothing where nothing was renamed.
    try Self.expectBlame(repo, renames: true)
  }

  /// A merge whose file is one parent's version (a conflict settled by taking the second parent's side
  /// whole, the first parent's edit of the same lines dropped) takes that parent's lines whole, as
  /// blame's pass_whole_blame: the tracker does not diff the other parent's version at all there.
  @Test func aMergeTakingTheSecondParentsFileWhole() throws {
    let repo = try Fixture.build(script: """
      at 2024-02-01T10:00:00+0000
      as "Ada Lovelace <ada@example.com>"
      put f.txt "a\nb\nc\nd\ne\n"
      put g.txt "1\n2\n3\n"
      commit "Start"
      git checkout -q -b topic
      at 2024-02-02T10:00:00+0000
      as "Bob Builder <bob@example.com>"
      put f.txt "a\nB topic\nc\nd\nE topic\nf topic\n"
      commit "Topic"
      git checkout -q main
      at 2024-02-03T10:00:00+0000
      as "Cy Young <cy@example.com>"
      put f.txt "a\nB main\nc\nd\ne\n"
      put g.txt "1\n2 main\n3\n"
      commit "Main"
      at 2024-02-04T10:00:00+0000
      as "Dee Dee <dee@example.com>"
      git merge -q --no-ff --no-commit topic >/dev/null 2>&1 || true
      git checkout -q --theirs f.txt
      git add f.txt
      commit "Merge topic, its f whole"
      """, name: "lines-merge-whole")
    #expect(try Fixture.git(["rev-parse", "HEAD:f.txt"], in: repo) == Fixture.git(["rev-parse", "HEAD^2:f.txt"], in: repo))
    try Self.expectBlame(repo)
    try Self.expectBlame(repo, given: true)
    try Self.expectBlame(repo, renames: true)
  }

  @Test func randomHistoryAsGitBlame() throws {
    let repo = try Fixture.build("lines-random")
    #expect(try Fixture.git(["rev-list", "--merges", "--count", "HEAD"], in: repo).trimmingCharacters(in: .newlines) != "0")
    try Self.expectBlame(repo)
    try Self.expectBlame(repo, given: true)
  }

  /// The history pass's changes (what a scan hands the tracker) are those of every commit with one
  /// parent or none, file for file what the tracker works out itself, so the origins and every counter
  /// are the same with them as without.
  @Test(arguments: ["lines-blame", "lines-random", "lines-rework"])
  func theHistoryPassesChangesAreTheTrackersOwn(fixture: String) throws {
    let repo = try Fixture.build(fixture)
    let repository = try Repository(path: repo)
    let tip = try repository.resolveCommit("HEAD")
    let ids = try repository.commitIDs(from: tip)
    let given = try Self.historyChanges(repo, ids)
    let reader = try LineChangeReader(repositoryPath: repo, renames: false)
    for (c, id) in ids.enumerated() {
      let parents = try HistoryWalk.commit(id, store: repository.objects()).parents
      guard parents.count <= 1 else {
        #expect(given[c] == nil)
        continue
      }
      let changes = try #require(given[c], "commit \(c) has no changes from the pass")
      #expect(changes.parent == parents.first)
      let own = try reader.commit(LineTracker.Job(commit: Int32(c), id: id, parents: parents))
      #expect(changes.files == own.files, "commit \(id.hex)")
    }
    let with = try Self.track(repo, given: true), without = try Self.track(repo)
    #expect(Self.origins(with) == Self.origins(without))
    #expect(with.added == without.added && with.reworked == without.reworked)
    #expect(with.addedAt == without.addedAt && with.reworkedAt == without.reworkedAt)
  }

  /// With renames followed, the pass hands over every commit with one parent or none that adds no path
  /// (a commit that adds one may be a rename by blame's search, which the tracker makes itself): those
  /// are file for file the tracker's own, and the origins and counters are the same with them.
  @Test(arguments: ["lines-rename-search", "lines-random"])
  func withRenamesThePassHandsOverCommitsThatAddNoPath(fixture: String) throws {
    let repo = try Fixture.build(fixture)
    let repository = try Repository(path: repo)
    let ids = try repository.commitIDs(from: try repository.resolveCommit("HEAD"))
    let given = try Self.historyChanges(repo, ids, renames: true)
    let reader = try LineChangeReader(repositoryPath: repo, renames: true)
    var handed = 0, kept = 0
    for (c, id) in ids.enumerated() {
      let parents = try HistoryWalk.commit(id, store: repository.objects()).parents
      // The paths the commit adds, by git.
      let adds = try Fixture.git(["diff-tree", "-r", "--root", "--no-renames", "--no-commit-id", "--name-only", "--diff-filter=A", id.hex],
                                 in: repo).trimmingCharacters(in: .newlines)
      guard parents.count <= 1, adds.isEmpty else {
        #expect(given[c] == nil, "commit \(id.hex)")
        kept += 1
        continue
      }
      let changes = try #require(given[c], "commit \(id.hex) has no changes from the pass")
      let own = try reader.commit(LineTracker.Job(commit: Int32(c), id: id, parents: parents))
      #expect(changes.files == own.files, "commit \(id.hex)")
      handed += 1
    }
    #expect(handed > 0 && kept > 0)
    let with = try Self.track(repo, renames: true, given: true), without = try Self.track(repo, renames: true)
    #expect(Self.origins(with) == Self.origins(without))
    #expect(with.added == without.added && with.reworked == without.reworked)
    #expect(with.addedAt == without.addedAt && with.reworkedAt == without.reworkedAt)
  }

  /// Part of a history: the range's boundary commits are roots, as git blame's keep every line older
  /// than them.
  /// (In these ranges a boundary commit has another as parent: blame stops at the first.)
  @Test(arguments: ["HEAD~7..HEAD", "HEAD~12..HEAD", "HEAD^2~4..HEAD"])
  func aRangeAsGitBlameWithBoundaries(range: String) throws {
    let repo = try Fixture.build("lines-random")
    let listed = try Fixture.git(["rev-list", "--boundary", range], in: repo).split(separator: "\n")
    let ids = listed.compactMap { ObjectID(hex: String($0.hasPrefix("-") ? $0.dropFirst() : $0)) }
    #expect(listed.contains { $0.hasPrefix("-") })
    let repository = try Repository(path: repo)
    let tip = try repository.resolveCommit("HEAD")
    let boundary = Set(listed.filter { $0.hasPrefix("-") }.compactMap { ObjectID(hex: String($0.dropFirst())) })
    let history = try LineTracker(repositoryPath: repo, commits: ids, tip: tip, boundary: boundary).run()
    let got = Self.origins(history)
    // The same with the history pass's changes (a boundary commit's, diffed against its parent, unused).
    let given = try LineTracker(repositoryPath: repo, commits: ids, tip: tip, boundary: boundary).run(given: try Self.historyChanges(repo, ids))
    #expect(Self.origins(given) == got)
    var expected: [String: [Origin]] = [:]
    for path in got.keys {
      let text = try Fixture.run("/usr/bin/git", ["blame", "--line-porcelain", range, "--", path], in: repo,
                                 environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "LC_ALL": "C"])
      expected[path] = Self.parsePorcelain(text.data)
    }
    #expect(Set(got.keys) == Set(try Self.blame(repo).keys))
    for (path, lines) in expected.sorted(by: { $0.key < $1.key }) {
      let first = zip(lines, got[path] ?? []).enumerated().first { $0.element.0 != $0.element.1 }
      #expect(got[path] == lines, "\(range) \(path): first difference \(first.map { "line \($0.offset + 1): git \($0.element.0), ours \($0.element.1)" } ?? "in length")")
    }
  }

  @Test func aTipOutsideTheCommitsIsAnError() throws {
    let repo = try Fixture.build("lines-rework")
    let repository = try Repository(path: repo)
    let tip = try repository.resolveCommit("HEAD")
    let older = try repository.commitIDs(from: try repository.resolveCommit("HEAD~2"))
    #expect(throws: GitError.self) { try LineTracker(repositoryPath: repo, commits: older, tip: tip).run() }
    // An empty list: nothing to follow, and still an error rather than a crash.
    #expect(throws: GitError.self) { try LineTracker(repositoryPath: repo, commits: [], tip: tip).run() }
  }

  @Test func renamesFollowedAsGitBlameWhenDetected() throws {
    let repo = try Fixture.build("lines-renames")
    try Self.expectBlame(repo, renames: true)
  }

  /// The tracker's own rename search against git blame's `find_rename`: an exact rename to a new
  /// extension, an edited one (similarity), the more similar of two candidates, a rewrite under 50%
  /// (not followed), a same-basename move, a file split in two (both from the one source), renames
  /// on either side of a merge, and two equally similar sources (git's tie rule).
  @Test func renameSearchAsGitBlame() throws {
    let repo = try Fixture.build("lines-rename-search")
    try Self.expectBlame(repo, renames: true)
    try Self.expectBlame(repo, renames: true, given: true)
    // The figures git blame gives are not the same without the search: the fixture exercises it.
    let got = Self.origins(try Self.track(repo, renames: false))
    let expected = try Self.blame(repo)
    let differing = expected.keys.filter { got[$0] != expected[$0] }.sorted()
    #expect(differing == ["docs/manual.adoc", "kept.txt", "notes/one.adoc", "notes/release-two.adoc", "src/big-head.c",
                          "src/big-tail.c", "src/parse.c", "ties/z.txt"])
  }

  /// The search's steps on a diff built by hand, and its bound: past `inexactLimit` (destinations times
  /// deleted files) only the exact and same-basename steps run.
  @Test func renameSearchStepsAndBound() throws {
    func id(_ n: Int) -> ObjectID { ObjectID(hex: String(repeating: "0", count: 39) + String(n))! }
    let text = (1...10).map { "line \($0) of the old file\n" }.joined()
    let blobs: [ObjectID: [UInt8]] = [
      id(1): Array(text.utf8),
      id(2): Array((text + "one more line\n").utf8),  // 10 of its 11 lines are the old file's
      id(3): Array(text.replacingOccurrences(of: "line 1 ", with: "first ").utf8),
      id(4): Array("unrelated\n".utf8),
    ]
    func change(_ path: String, old: Int? = nil, new: Int? = nil) -> TreeDiffer.Change {
      TreeDiffer.Change(path: Array(path.utf8), oldID: old.map { id($0).raw }, oldMode: old == nil ? 0 : 0o100644,
                        newID: new.map { id($0).raw }, newMode: new == nil ? 0 : 0o100644)
    }
    let changes = [
      change("a/old.txt", old: 1), change("b/same.txt", old: 1), change("c/gone.txt", old: 4),
      change("d/copy.txt", new: 1), change("e/longer.txt", new: 2), change("f/same.txt", new: 3),
    ]
    func sources(limit: Int) throws -> [String?] {
      var search = RenameSearch(changes: changes, destinations: 3, inexactLimit: limit)
      return try changes.indices.dropFirst(3).map { (i) throws(GitError) in
        try search.source(for: changes[i], size: { blobs[$0]?.count }, read: { blobs[$0] }).map { String(decoding: changes[$0].path, as: UTF8.self) }
      }
    }
    // The same blob (first in the diff's order, no basename alike); 10 of 11 lines (not the same basename:
    // the matrix, where a/old.txt and b/same.txt tie and the first slot wins); the one same basename.
    #expect(try sources(limit: RenameSearch.inexactLimit) == ["a/old.txt", "a/old.txt", "b/same.txt"])
    // 3 searched times 3 deleted is over 8: the similarity matrix is skipped.
    #expect(try sources(limit: 8) == ["a/old.txt", nil, "b/same.txt"])
  }

  /// The similarity score of `Fingerprint` against the one `git diff -M01 --name-status` shows for the
  /// pair (its threshold set to 1%, so that any score shows): an edited line, files cut to a half and
  /// two thirds, CRLF against LF, binary data past a 64-byte chunk.
  @Test(arguments: [
    ("a\nb\nc\nd\n", "a\nb\nc\nx\n"), ("line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n", "line 1\nline 2\nline 3\n"),
    ("line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n", "line 1\nline 2\nline 3\nline 4\n"),
    ("one\r\ntwo\r\nthree\r\n", "one\ntwo\nthree\nfour\n"), ("bin\u{0}ary data that is long enough to pass 64 bytes " + String(repeating: "z", count: 80), "bin\u{0}ary data that is long enough to pass 64 bytes " + String(repeating: "z", count: 70)),
  ])
  func similarityAsGit(old: String, new: String) throws {
    func escaped(_ text: String) -> String {
      text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\u{0}", with: "\\0")
    }
    let repo = try Fixture.build(script: """
      put a.txt "\(escaped(old))"
      commit "Old"
      git rm -q a.txt
      put b.txt "\(escaped(new))"
      commit "New"
      """, name: "lines-similarity")
    let status = try Fixture.git(["diff", "-M01", "--name-status", "HEAD~1", "HEAD"], in: repo)
    // git's score, in percent (it rounds down), or nil when git does not pair them at all (-M01: any score).
    let gitScore = status.split(separator: "\n").first { $0.hasPrefix("R") }.flatMap { Int($0.dropFirst().prefix(3)) }
    let oldPrint = Fingerprint(Array(old.utf8)), newPrint = Fingerprint(Array(new.utf8))
    let larger = max(old.utf8.count, new.utf8.count)
    // git's score out of 60,000, shown as a percentage rounded down.
    let copied = newPrint.copied(from: oldPrint)
    let ours = copied == 0 ? nil : copied * 60_000 / larger * 100 / 60_000
    #expect(gitScore == ours, "git \(gitScore.map(String.init) ?? "none"), ours \(ours.map(String.init) ?? "none")")
  }

  /// Without rename detection a renamed file's lines are new where it got its new name: git blame
  /// (which always follows renames) disagrees there, and only there.
  @Test func renamedFilesStartAfreshWithoutDetection() throws {
    let repo = try Fixture.build("lines-renames")
    try Self.expectBlame(repo, renames: false, except: ["src/helpers.txt", "src/renamed.txt", "one.txt", "two.txt"])
    let got = Self.origins(try Self.track(repo, renames: false))
    let rename = try Fixture.git(["rev-parse", "HEAD^{/Rename util}"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    let merge = try Fixture.git(["rev-parse", "HEAD^{/Merge moving}"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    let other = try Fixture.git(["rev-parse", "HEAD^{/Rename other}"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    // helpers.txt: line 1 is Dee's edit of util.txt, which the merge's first parent has under the old
    // name only, so it is the merge's; lines 2-13 are the rename's, from the second parent.
    #expect(got["src/helpers.txt"]?.map(\.commit) == [merge] + Array(repeating: rename, count: 12))
    #expect(got["src/helpers.txt"]?.map(\.line) == Array(1...13))
    #expect(got["src/renamed.txt"]?.map(\.commit) == [other, other])
    let split = try Fixture.git(["rev-parse", "HEAD^{/Split shared}"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(got["one.txt"]?.map(\.commit) == Array(repeating: split, count: 6))
    #expect(got["two.txt"]?.map(\.commit) == Array(repeating: split, count: 6))
  }

  @Test func reworkAsWorkedByHand() throws {
    let repo = try Fixture.build("lines-rework")
    try Self.expectBlame(repo)
    let history = try Self.track(repo)
    func bySubject(_ h: LineHistory) throws -> [String: LineHistory.Rework] {
      var subjects: [String: String] = [:]
      for fields in try GitOracle.log(repo, format: "%H%x00%s") { subjects[fields[0]] = fields[1] }
      return h.rework { subjects[h.commits[$0].hex] }
    }
    typealias R = LineHistory.Rework
    #expect(try bySubject(history) == [
      "Ada writes w": R(added: 10, reworked: 3), "Bob reworks w": R(added: 3, reworked: 0),
      "Cy edits w, writes x": R(added: 5, reworked: 5), "Eve adds e": R(added: 2, reworked: 1),
      "Bob drops e1, adds g1": R(added: 1, reworked: 0), "Fay adds f": R(added: 2, reworked: 1),
    ])
    let byAuthor = Dictionary(uniqueKeysWithValues: history.reworkByAuthor().map { (String(decoding: $0.key.name, as: UTF8.self), $0.value) })
    #expect(byAuthor == ["Ada Lovelace": R(added: 10, reworked: 3), "Bob Builder": R(added: 4, reworked: 0),
                         "Cy Young": R(added: 5, reworked: 5), "Eve Online": R(added: 2, reworked: 1),
                         "Fay Wray": R(added: 2, reworked: 1)])
    #expect(history.reworkByMonth() == ["2024-03": R(added: 18, reworked: 8), "2024-04": R(added: 5, reworked: 2)])
    #expect(byAuthor["Cy Young"]?.share == 1.0)
    // A 30-day window also takes b1 (25 days), a1 (30 days) and f2 (22 days).
    let wider = try Self.track(repo, reworkDays: 30)
    #expect(try bySubject(wider)["Ada writes w"] == R(added: 10, reworked: 4))
    #expect(try bySubject(wider)["Bob reworks w"] == R(added: 3, reworked: 1))
    #expect(try bySubject(wider)["Fay adds f"] == R(added: 2, reworked: 2))
    // What survives at the tip, per author: Ada a2 a5-a9 (6), Bob b2 b3 g1 (3), Eve e2 (1).
    let surviving = history.survivingLines { String(decoding: history.authors[$0].name, as: UTF8.self) }
    #expect(surviving == ["Ada Lovelace": 6, "Bob Builder": 3, "Eve Online": 1])
  }
}

/// `SALVAGE_BLAME_REPO=path`: the tracker over a real history against `git blame` for every tip file,
/// with the tracker's time beside the history pass's and `git log --numstat --no-renames`'s on the
/// same history (either may fail on a snapshot that lacks some blobs). Rename detection is on unless
/// `SALVAGE_BLAME_RENAMES=0`, since `git blame` always follows renames. Prints the figures; fails
/// below 99% of lines agreeing.
@Suite struct LineTrackerRealHistoryTests {
  /// The process's peak resident memory so far, in MiB.
  static func peakResidentMiB() -> Int {
    var usage = rusage()
    #if canImport(Glibc)
      getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
      getrusage(RUSAGE_SELF, &usage)
    #endif
    #if os(macOS)
      return Int(usage.ru_maxrss) >> 20  // bytes there
    #else
      return Int(usage.ru_maxrss) >> 10  // KiB
    #endif
  }

  @Test(.enabled(if: ProcessInfo.processInfo.environment["SALVAGE_BLAME_REPO"] != nil))
  func agreesWithGitBlameOnARealHistory() throws {
    let env = ProcessInfo.processInfo.environment
    let repo = env["SALVAGE_BLAME_REPO"]!
    let renames = env["SALVAGE_BLAME_RENAMES"] != "0"
    let clock = ContinuousClock()
    let logStart = clock.now
    let log = try Fixture.run("/usr/bin/git", ["log", "--numstat", "--no-renames", "--format=%H", "HEAD"], in: repo,
                              environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"])
    let logTime = clock.now - logStart
    let logNote = log.status == 0 ? "\(logTime)" : "failed (\(log.stderr.prefix(80).trimmingCharacters(in: .whitespacesAndNewlines)))"
    // The history pass itself (counts, no line origins), for scale.
    let repository = try Repository(path: repo)
    let ids = try repository.commitIDs(from: try repository.resolveCommit("HEAD"))
    let passStart = clock.now
    var passNote = ""
    do {
      try HistoryWalk(repositoryPath: repo, commits: ids).run { _ in }
      passNote = "\(clock.now - passStart)"
    } catch {
      passNote = "failed (\(error))"
    }
    let rssBefore = Self.peakResidentMiB()
    let trackStart = clock.now
    let history = try LineTrackerTests.track(repo, renames: renames)
    let trackTime = clock.now - trackStart
    let rssAfter = Self.peakResidentMiB()
    // The same on one thread, and with the other rename setting, for scale.
    let oneStart = clock.now
    _ = try LineTrackerTests.track(repo, renames: renames, workers: 1)
    let oneTime = clock.now - oneStart
    let otherStart = clock.now
    _ = try LineTrackerTests.track(repo, renames: !renames)
    let otherTime = clock.now - otherStart
    let ours = LineTrackerTests.origins(history)

    let listing = try Fixture.git(["ls-tree", "-r", "-z", "HEAD"], in: repo)
    let paths = listing.split(separator: "\0").compactMap { entry -> String? in
      let parts = entry.split(separator: "\t", maxSplits: 1)
      return parts.count == 2 && !parts[0].hasPrefix("160000") ? String(parts[1]) : nil
    }
    final class Box: @unchecked Sendable {
      let lock = NSLock()
      var lines = 0, agree = 0, agreeAuthor = 0, failed: [String] = [], untracked = 0, files = 0, filesAgree = 0
      var byAuthorGit: [String: Int] = [:], byAuthorOurs: [String: Int] = [:]
      var examples: [String] = []
    }
    let box = Box()
    DispatchQueue.concurrentPerform(iterations: paths.count) { i in
      let path = paths[i]
      guard let theirs = try? LineTrackerTests.blame(repo, rev: "HEAD", path: path) else {
        box.lock.withLock { box.failed.append(path) }
        return
      }
      let mine = ours[path]
      box.lock.withLock {
        box.files += 1
        box.lines += theirs.count
        for o in theirs { box.byAuthorGit[o.author, default: 0] += 1 }
        guard let mine else { box.untracked += 1; return }
        for o in mine { box.byAuthorOurs[o.author, default: 0] += 1 }
        var same = 0
        for (a, b) in zip(theirs, mine) {
          if a.commit == b.commit { same += 1 }
          if a.author == b.author { box.agreeAuthor += 1 }
        }
        box.agree += same
        if same == theirs.count && mine.count == theirs.count { box.filesAgree += 1 } else if box.examples.count < 10 {
          let first = zip(theirs, mine).enumerated().first { $0.element.0 != $0.element.1 }
          box.examples.append("\(path): \(theirs.count) vs \(mine.count) lines, first at \(first.map { "\($0.offset + 1): git \($0.element.0) ours \($0.element.1)" } ?? "end")")
        }
      }
    }
    var authorDiff = 0
    for name in Set(box.byAuthorGit.keys).union(box.byAuthorOurs.keys) {
      authorDiff += abs(box.byAuthorGit[name, default: 0] - box.byAuthorOurs[name, default: 0])
    }
    let share = box.lines == 0 ? 1 : Double(box.agree) / Double(box.lines)
    print("""
      line tracker on \(repo) (\(history.commits.count) commits, renames \(renames ? "on" : "off")):
        tracker \(trackTime) (diffs on all cores, states on one; \(oneTime) on one thread; \(otherTime) with renames \(renames ? "off" : "on")),
        history pass \(passNote) (all cores), git log --numstat --no-renames \(logNote)
        applying to the states \(history.applyTime) of it; peak live states \(history.peakLiveStates); peak RSS \(rssBefore) MiB before the tracker, \(rssAfter) MiB after
        files blamed \(box.files) (agree whole \(box.filesAgree), untracked \(box.untracked), blame failed \(box.failed.count))
        lines \(box.lines): commit agrees \(box.agree) (\(String(format: "%.3f", share * 100))%), author agrees \(box.agreeAuthor)
        per-author surviving lines: sum of |ours - git| = \(authorDiff)
      \(box.examples.joined(separator: "\n"))
      """)
    #expect(share >= 0.99)
  }
}

/// `LineDiffer.hunks` against the `@@` headers of `git diff --no-index -U0` (what blame diffs with).
@Suite struct LineHunkTests {
  static func gitHunks(_ pairs: [LineDiffTests.Pair]) throws -> [[LineHunk]] {
    let folder = try Fixture.temporaryFolder("hunks")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try FileManager.default.createDirectory(atPath: folder + "/a", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: folder + "/b", withIntermediateDirectories: true)
    for (i, pair) in pairs.enumerated() {
      try Data(pair.old).write(to: URL(fileURLWithPath: "\(folder)/a/\(i)"))
      try Data(pair.new).write(to: URL(fileURLWithPath: "\(folder)/b/\(i)"))
    }
    let out = try Fixture.run("/usr/bin/git", ["diff", "--no-index", "-U0", "--no-color", "--", "a", "b"], in: folder,
                              environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": folder, "LC_ALL": "C"])
    #expect(out.status <= 1, "\(out.stderr)")
    var result = [[LineHunk]](repeating: [], count: pairs.count)
    var current = -1
    for line in out.data.split(separator: 0x0A) {
      let text = String(decoding: line.prefix(200), as: UTF8.self)
      if text.hasPrefix("diff --git ") {
        current = Int(text[text.index(after: text.lastIndex(of: "/")!)...]) ?? -1
      } else if text.hasPrefix("@@ -") {
        // @@ -a[,b] +c[,d] @@: a count of 0 names the line before the gap.
        let parts = text.split(separator: " ")
        func range(_ s: Substring) -> (Int, Int) {
          let nums = s.dropFirst().split(separator: ",")
          let count = nums.count > 1 ? Int(nums[1])! : 1
          return (count == 0 ? Int(nums[0])! : Int(nums[0])! - 1, count)
        }
        let (os, oc) = range(parts[1]), (ns, nc) = range(parts[2])
        result[current].append(LineHunk(oldStart: os, oldCount: oc, newStart: ns, newCount: nc))
      }
    }
    return result
  }

  @Test func hunksAsGitDiffU0() throws {
    var r = LineDiffTests.Random(state: 77)
    var pairs: [LineDiffTests.Pair] = [
      .init("", "a\nb\n"), .init("a\nb\n", ""), .init("a\nb", "a\nb\nc"), .init("x\n", "x\n"),
      .init("a\nb\nc\n", "c\nb\na\n"), .init("}\n}\n}\n", "}\n}\n"),
    ]
    for round in 0..<300 {
      let vocabulary = [3, 10, 50, 1000][round % 4]
      let count = r.below([10, 60, 400, 3000][r.below(4)])
      let make: (inout LineDiffTests.Random) -> String = { r in LineDiffTests.codeLine(&r, vocabulary: vocabulary) }
      let a = (0..<count).map { _ in make(&r) }
      let b = LineDiffTests.mutate(a, &r, edits: 1 + r.below(r.chance(30) ? 60 : 6), make: make)
      pairs.append(.init(LineDiffTests.join(a, newlineAtEnd: !r.chance(15)), LineDiffTests.join(b, newlineAtEnd: !r.chance(15))))
    }
    let expected = try Self.gitHunks(pairs)
    let differ = LineDiffer()
    var bad = 0
    for (i, pair) in pairs.enumerated() {
      let got = pair.old.withUnsafeBytes { o in pair.new.withUnsafeBytes { n in differ.hunks(old: o, new: n) } }
      if got != expected[i] {
        bad += 1
        if bad <= 3 { Issue.record("pair \(i): git \(expected[i].prefix(5)), ours \(got.prefix(5))") }
      }
    }
    #expect(bad == 0)
  }
}

/// The run operations on hand-worked cases.
@Suite struct LineRunsTests {
  func run(_ count: Int32, _ commit: Int32, _ line: Int32) -> LineRun { LineRun(count: count, commit: commit, line: line) }

  @Test func applyKeepsTheLinesBetweenHunks() throws {
    // Old file: 3 lines of commit 0, then 4 lines of commit 1 (its lines 10...13).
    let old = [run(3, 0, 0), run(4, 1, 10)]
    // Commit 2 replaces old lines 2...3 by one line (its line 2) and appends two lines after old line 6.
    let hunks = [LineHunk(oldStart: 2, oldCount: 2, newStart: 2, newCount: 1), LineHunk(oldStart: 7, oldCount: 0, newStart: 6, newCount: 2)]
    var deleted: [LineRun] = []
    let new = LineRuns.apply(hunks, to: old, oldCount: 7, commit: 2) { deleted.append($0) }
    #expect(new == [run(2, 0, 0), run(1, 2, 2), run(3, 1, 11), run(2, 2, 6)])
    #expect(deleted == [run(1, 0, 2), run(1, 1, 10)])
    #expect(LineRuns.lineCount(new ?? []) == 8)
    // Hunks that do not fit the old file are refused.
    #expect(LineRuns.apply([LineHunk(oldStart: 6, oldCount: 3, newStart: 6, newCount: 0)], to: old, oldCount: 7, commit: 2) == nil)
  }

  @Test func reworkedLinesCountOnce() throws {
    var ranges: [Range<Int32>] = []
    #expect(LineApplier.cover(&ranges, 10..<14) == 4)
    #expect(LineApplier.cover(&ranges, 2..<4) == 2)
    #expect(LineApplier.cover(&ranges, 12..<20) == 6)  // 12, 13 already in
    #expect(LineApplier.cover(&ranges, 4..<10) == 6)  // touches both sides
    #expect(ranges == [2..<20])
    #expect(LineApplier.cover(&ranges, 0..<30) == 12)
    #expect(LineApplier.cover(&ranges, 5..<6) == 0)
    #expect(ranges == [0..<30])
  }

  @Test func mergeTakesTheFirstParentThatHasTheLine() throws {
    // Merge result of 4 lines (commit 9). Parent 1 (lines of commit 1) has new lines 0 and 2 unchanged;
    // parent 2 (commit 2) has new lines 1 and 2 unchanged; line 3 is in neither.
    let p1 = (runs: [run(2, 1, 0)], hunks: [LineHunk(oldStart: 1, oldCount: 0, newStart: 1, newCount: 1),
                                            LineHunk(oldStart: 2, oldCount: 0, newStart: 3, newCount: 1)])
    let p2 = (runs: [run(3, 2, 5)], hunks: [LineHunk(oldStart: 0, oldCount: 1, newStart: 0, newCount: 1),
                                            LineHunk(oldStart: 3, oldCount: 0, newStart: 3, newCount: 1)])
    #expect(LineRuns.merge(newCount: 4, commit: 9, parents: [p1, p2]) == [run(1, 1, 0), run(1, 2, 6), run(1, 1, 1), run(1, 9, 3)])
    #expect(LineRuns.merge(newCount: 4, commit: 9, parents: [p2, p1]) == [run(1, 1, 0), run(2, 2, 6), run(1, 9, 3)])
  }

  /// A state's files by path, kept per directory and bucket: what is set is got back, a copy changes
  /// apart from its original, a directory emptied is gone, and iterating gives every file once.
  @Test func treeLinesKeepsFilesByPath() throws {
    func file(_ n: Int32) -> TrackedFile { TrackedFile(blob: .zero, runs: [run(n, n, 0)]) }
    var state = TreeLines()
    var expected: [[UInt8]: TrackedFile] = [:]
    let paths = ["README", "a/b", "a/c", "a/d/e", "t/t0001.sh", "", "x/"] + (0..<200).map { "t/t\($0).sh" }
    for (i, path) in paths.enumerated() {
      state[Array(path.utf8)] = file(Int32(i + 1))
      expected[Array(path.utf8)] = file(Int32(i + 1))
    }
    let copy = state
    #expect(state.removeValue(forKey: Array("a/d/e".utf8)) == file(4))
    #expect(state.removeValue(forKey: Array("a/d/e".utf8)) == nil)
    expected[Array("a/d/e".utf8)] = nil
    state[Array("t/t5.sh".utf8)] = nil
    expected[Array("t/t5.sh".utf8)] = nil
    state[Array("a/b".utf8)] = file(99)
    expected[Array("a/b".utf8)] = file(99)
    #expect(state.files == expected)
    #expect(copy[Array("a/d/e".utf8)] == file(4))
    #expect(copy[Array("a/b".utf8)] == file(2))
    #expect(copy.files.count == paths.count)
    var seen = 0
    for (path, value) in state {
      #expect(expected[path] == value)
      seen += 1
    }
    #expect(seen == expected.count)
    #expect(TreeLines(expected).files == expected)
  }

  /// The merge over runs gives what assigning every line in turn gives (`mergeByLine`), on random
  /// parents: runs of several commits, hunks of every shape, parents whose runs fall short.
  @Test func mergeOverRunsIsTheMergeLineByLine() throws {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func below(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(n))
    }
    for round in 0..<500 {
      let newCount = below(60)
      var parents: [(runs: [LineRun], hunks: [LineHunk])] = []
      for p in 0..<(1 + below(3)) {
        var hunks: [LineHunk] = []
        var oldAt = 0, newAt = 0
        while newAt < newCount && below(3) > 0 {
          let gap = below(8)
          let oldCount = below(4), newCount0 = min(below(4), max(0, newCount - newAt - gap))
          guard newAt + gap + newCount0 <= newCount else { break }
          hunks.append(LineHunk(oldStart: oldAt + gap, oldCount: oldCount, newStart: newAt + gap, newCount: newCount0))
          oldAt += gap + oldCount
          newAt += gap + newCount0
        }
        var oldCount = oldAt + (newCount - newAt)
        if below(5) == 0 { oldCount = max(0, oldCount - below(5)) }  // runs that fall short
        var runs: [LineRun] = []
        var line = 0
        while line < oldCount {
          let n = 1 + below(6)
          runs.append(run(Int32(min(n, oldCount - line)), Int32(p * 10 + below(3)), Int32(below(100))))
          line += n
        }
        parents.append((runs, hunks))
      }
      let overRuns = LineRuns.merge(newCount: newCount, commit: 99, parents: parents)
      let byLine = LineRuns.mergeByLine(newCount: newCount, commit: 99, parents: parents)
      #expect(overRuns == byLine, "round \(round)")
      if overRuns != byLine { break }
    }
  }
}
