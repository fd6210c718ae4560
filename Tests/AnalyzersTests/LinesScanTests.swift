import FixtureSupport
import Foundation
import Git
import SalvageCore
import Testing

@testable import Analyzers

/// The scan's line-level figures against git: every tip line's commit and author are `git blame
/// --line-porcelain`'s, the per-person surviving lines are blame's counts, the burndown's rows are
/// blame's counts at each quarter's commit, and the rework is the hand-worked fixture's. The scans that
/// use the cache run one at a time (`CachedRuns`).
@Suite struct LinesScanTests {
  struct Blamed: Hashable {
    let commit: String
    let name: String
    let time: Int64
  }

  /// `git blame --line-porcelain` of one file at `rev`: each line's commit, author name and author time.
  static func blame(_ repo: String, rev: String, path: String) throws -> [Blamed] {
    let text = try Fixture.git(["blame", "--line-porcelain", rev, "--", path], in: repo)
    var out: [Blamed] = []
    var commit = "", name = "", time: Int64 = 0
    var header = true
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if header {
        guard line.count > 41 else { continue }
        commit = String(line.prefix(40))
        header = false
      } else if line.hasPrefix("\t") {
        out.append(Blamed(commit: commit, name: name, time: time))
        header = true
      } else if line.hasPrefix("author ") {
        name = String(line.dropFirst(7))
      } else if line.hasPrefix("author-time ") {
        time = Int64(line.dropFirst(12)) ?? 0
      }
    }
    return out
  }

  /// The text files of `rev` (no submodules, nothing under vendor/: the figures leave vendored code out).
  static func files(_ repo: String, rev: String = "HEAD") throws -> [String] {
    try Fixture.git(["ls-tree", "-r", "--name-only", rev], in: repo).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("vendor/") }
  }

  static func scan(_ fixture: String) throws -> (repo: String, scan: ScanResult, output: LinesOutput) {
    let (repo, scan) = try scanFixture(fixture, [LinesAnalyzer(), OwnershipAnalyzer()])
    return (repo, scan, try #require(scan.output(LinesOutput.self)))
  }

  @Test(arguments: ["lines-scan", "lines-blame", "lines-random"])
  func everyTipLineAsGitBlame(fixture: String) throws {
    let (repo, scan, _) = try Self.scan(fixture)
    try Self.expectBlame(repo, scan, fixture)
  }

  /// Every tip line's commit, author and time as `git blame --line-porcelain` at HEAD.
  static func expectBlame(_ repo: String, _ scan: ScanResult, _ fixture: String) throws {
    let origins = try #require(scan.context.lines)
    let history = scan.context.history
    var checked = 0
    let byPath = Dictionary(uniqueKeysWithValues: origins.files.map { (String(decoding: $0.path, as: UTF8.self), $0) })
    for path in try Self.files(repo) {
      let expected = try Self.blame(repo, rev: "HEAD", path: path)
      var ours: [Blamed] = []
      for run in byPath[path]?.runs ?? [] {
        let commit = history.commits[Int(run.commit)]
        for _ in 0..<run.count {
          ours.append(Blamed(commit: commit.id.hex, name: history.people[Int(commit.author)].name, time: commit.authorTime))
        }
      }
      #expect(ours == expected, "\(fixture) \(path)")
      checked += expected.count
    }
    #expect(checked > 20)
  }

  @Test func survivingLinesPerPersonAsGitBlameCounts() throws {
    let (repo, _, output) = try Self.scan("lines-scan")
    var expected: [String: Int] = [:]
    for path in try Self.files(repo) {
      for line in try Self.blame(repo, rev: "HEAD", path: path) { expected[line.name, default: 0] += 1 }
    }
    let ours = Dictionary(uniqueKeysWithValues: output.authors.map { ($0.name, $0.lines) })
    #expect(ours == expected)
    // Ada's two addresses are one person.
    #expect(output.authors.filter { $0.name == "Ada Lovelace" }.count == 1)
    #expect(output.totalLines == expected.values.reduce(0, +))
    #expect(output.authors.map(\.lines) == output.authors.map(\.lines).sorted(by: >))
  }

  /// Each burndown row is git blame at the last first-parent commit of that quarter, counted by the
  /// quarter of each line's author time.
  @Test func burndownRowsAsGitBlameAtEachQuarterEnd() throws {
    let (repo, _, output) = try Self.scan("lines-scan")
    #expect(output.burndown.quarters == ["2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2"])
    for (k, quarter) in output.burndown.quarters.enumerated() {
      let first = LineOrigins.quarter(of: UTC.parse("2023-08-01")!)
      #expect(LineOrigins.quarterLabel(first + k) == quarter)
      let end = LineOrigins.endOfQuarter(first + k)
      let rev = try Fixture.git(["rev-list", "--first-parent", "-1", "--before=\(UTC.iso(end))", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
      var row = [Int](repeating: 0, count: k + 1)
      for path in try Self.files(repo, rev: rev) {
        for line in try Self.blame(repo, rev: rev, path: path) {
          let band = LineOrigins.quarter(of: line.time) - first
          row[band] += 1
        }
      }
      #expect(output.burndown.alive[k] == row, "\(quarter) at \(rev.prefix(7))")
    }
    // The last row is today's code by quarter written.
    #expect(output.age.map(\.lines) == output.burndown.alive.last!.filter { $0 > 0 })
  }

  @Test func reworkAsWorkedByHand() throws {
    // fixtures/lines-rework.sh: Ada 10 / 3, Bob 4 / 0, Cy 5 / 5, Eve 2 / 1, Fay 2 / 1 (added / reworked
    // within 21 days); March 18 / 8, April 5 / 2.
    let (_, scan, output) = try Self.scan("lines-rework")
    let r = output.rework
    #expect(r.days == 21)
    #expect(r.overall.added == 23 && r.overall.reworked == 10)
    #expect(r.overall.share == Figures.rounded(10.0 / 23))
    let byPerson = Dictionary(uniqueKeysWithValues: r.byPerson.map { ($0.name, [$0.added, $0.reworked]) })
    #expect(byPerson == ["Ada Lovelace": [10, 3], "Bob Builder": [4, 0], "Cy Young": [5, 5], "Eve Online": [2, 1], "Fay Wray": [2, 1]])
    #expect(r.byQuarter.map(\.quarter) == ["2024-Q1", "2024-Q2"])
    #expect(r.byQuarter.map { [$0.added, $0.reworked] } == [[18, 8], [5, 2]])
    // Per component: all of it at the root, where it was written and deleted.
    let component = try #require(scan.results.first { $0.id == "lines" }?.result.component(".", as: LinesOutput.Component.self))
    #expect(component.reworkAdded == 23 && component.reworked == 10)
  }

  /// Knowledge loss counts each tip line for the person who wrote it, when the lines were followed.
  @Test func codeWrittenByPeopleWhoLeftIsTheirBlamedLines() throws {
    let (repo, scan, _) = try Self.scan("lines-scan")
    let ownership = try #require(scan.output(OwnershipOutput.self))
    #expect(ownership.orphanedBasis == "lines")
    // Everyone committed within the 180 days before the last commit: nothing is orphaned yet.
    #expect(ownership.orphanedLines == 0)
    // On 2024-07-20 the cut is 2024-01-22: whoever last committed before it has left.
    let now = UTC.parse("2024-07-20")!
    let o = try #require(try SalvageCore.Scanner(analyzers: [LinesAnalyzer(), OwnershipAnalyzer()])
      .scan(ScanOptions(path: repo, now: now)).output(OwnershipOutput.self))
    var lastCommit: [String: Int64] = [:]
    for line in try Fixture.git(["log", "--format=%an%x09%ct"], in: repo).split(separator: "\n") {
      let f = line.split(separator: "\t")
      lastCommit[String(f[0])] = max(lastCommit[String(f[0])] ?? 0, Int64(f[1])!)
    }
    let former = Set(lastCommit.filter { $0.value < now - 180 * 86400 }.keys)
    #expect(former == ["Cy Young"])
    var expected = 0, total = 0
    for path in try Self.files(repo) where path.hasPrefix("src/") {
      for line in try Self.blame(repo, rev: "HEAD", path: path) {
        total += 1
        if former.contains(line.name) { expected += 1 }
      }
    }
    #expect(o.orphanedLines == expected)
    #expect(o.totalLines == total)
    #expect(expected > 0)
  }
}

extension LinesScanTests {
  /// The scans that read and write the lines cache, one at a time: each points `SALVAGE_CACHE_DIR`,
  /// process-wide, at its own folder, and two at once would write into each other's.
  @Suite(.serialized) struct CachedRuns {
    /// A scan of a newer tip goes on from the cached run of an older one when every new commit descends
    /// only from new commits or that tip: it follows only the new commits, and its origins, rework
    /// counters and burndown are those of a scan from scratch (and the tip's lines git blame's). When it
    /// cannot (a new commit forked before the cached tip), it follows every commit, with the same result.
    @Test(arguments: ["lines-scan", "lines-random"])
    func resumedScanEqualsAScanFromScratch(fixture: String) throws {
      let repo = try Fixture.build(fixture)
      let folder = try Fixture.temporaryFolder("lines-resume")
      defer { try? FileManager.default.removeItem(atPath: folder) }
      setenv("SALVAGE_CACHE_DIR", folder, 1)
      defer { unsetenv("SALVAGE_CACHE_DIR") }
      let scanner = SalvageCore.Scanner(analyzers: [LinesAnalyzer()])
      let scratch = try scanner.scan(ScanOptions(path: repo))
      let expected = try #require(scratch.context.lines)
      let total = scratch.context.history.commits.count
      try LinesScanTests.expectBlame(repo, scratch, fixture)
      let line = try Fixture.git(["rev-list", "--first-parent", "HEAD"], in: repo).split(separator: "\n").map(String.init)
      var resumed = 0, full = 0
      for old in line.dropFirst().enumerated().filter({ $0.offset % 3 == 0 }).map(\.element) {
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) { try FileManager.default.removeItem(atPath: folder + "/" + file) }
        _ = try scanner.scan(ScanOptions(path: repo, revision: old, useCache: true))
        let scan = try scanner.scan(ScanOptions(path: repo, useCache: true))
        let got = try #require(scan.context.lines)
        let new = Int(try Fixture.git(["rev-list", "--count", "\(old)..HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines))!
        #expect(got.followedCommits == new || got.followedCommits == total, "\(fixture) from \(old)")
        if got.followedCommits == new { resumed += 1 } else { full += 1 }
        #expect(got.files.map(\.path) == expected.files.map(\.path), "\(fixture) from \(old)")
        #expect(got.files.map(\.runs) == expected.files.map(\.runs), "\(fixture) from \(old)")
        #expect(got.added == expected.added && got.reworked == expected.reworked, "\(fixture) from \(old)")
        #expect(got.addedAt.map(\.path) == expected.addedAt.map(\.path) && got.addedAt.map(\.lines) == expected.addedAt.map(\.lines))
        #expect(got.reworkedAt.map(\.path) == expected.reworkedAt.map(\.path) && got.reworkedAt.map(\.lines) == expected.reworkedAt.map(\.lines))
        #expect(got.firstQuarter == expected.firstQuarter && got.census == expected.census, "\(fixture) from \(old)")
        #expect(try JSONTree.encode(try #require(scan.output(LinesOutput.self))) == JSONTree.encode(try #require(scratch.output(LinesOutput.self))))
        try LinesScanTests.expectBlame(repo, scan, fixture)
      }
      // lines-scan's main line goes on from each of its older tips; lines-random's branches all fork
      // from its first commit and merge into each other, so no older tip of its main line can be gone on from.
      if fixture == "lines-scan" { #expect(resumed > 0) } else { #expect(resumed == 0 && full > 0) }
    }

    /// A warm scan reads the origins from the cache: the same figures, no tracking.
    @Test func warmScanReadsTheCachedOrigins() throws {
      let repo = try Fixture.build("lines-scan")
      let folder = try Fixture.temporaryFolder("lines-cache")
      defer { try? FileManager.default.removeItem(atPath: folder) }
      setenv("SALVAGE_CACHE_DIR", folder, 1)
      defer { unsetenv("SALVAGE_CACHE_DIR") }
      let scanner = SalvageCore.Scanner(analyzers: [LinesAnalyzer()])
      let cold = try scanner.scan(ScanOptions(path: repo, useCache: true))
      let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("lines-") }
      #expect(files.count == 1)
      let warm = try scanner.scan(ScanOptions(path: repo, useCache: true))
      #expect(cold.context.lines?.followedCommits == cold.context.history.commits.count)
      #expect(warm.context.lines?.followedCommits == 0)
      #expect(try JSONTree.encode(try #require(cold.output(LinesOutput.self))) == JSONTree.encode(try #require(warm.output(LinesOutput.self))))
      // A corrupt cache file is ignored and the lines followed again.
      let path = folder + "/" + files[0]
      var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
      bytes[bytes.count / 2] ^= 0xFF
      try bytes.write(to: URL(fileURLWithPath: path))
      let again = try scanner.scan(ScanOptions(path: repo, useCache: true))
      #expect(try JSONTree.encode(try #require(again.output(LinesOutput.self))) == JSONTree.encode(try #require(cold.output(LinesOutput.self))))
    }
  }
}

/// Every example of `rules/lines.toml` is a test of the window the tracker applies.
@Suite struct LinesRuleExampleTests {
  @Test func reworkWindowExamples() throws {
    let ruleSet = try RuleSet.load()
    let rules = try LinesRules(ruleSet)
    let examples = try #require(ruleSet.table("lines.toml")?["rework"]?.table?["examples"]?.array)
    #expect(examples.count >= 4)
    for example in examples {
      let pair = try #require(example.array)
      let days = try #require(pair[0].double ?? pair[0].int.map(Double.init))
      let expected = try #require(pair[1].bool)
      #expect(rules.isRework(afterSeconds: Int64((days * 86400).rounded())) == expected, "\(days) days")
    }
  }
}

/// `SALVAGE_LONG_HISTORY=path`: a long real history through the scan (the lines analyzer alone, renames
/// followed unless `SALVAGE_LONG_HISTORY_RENAMES=0`, since `git blame` always follows them) against
/// `git blame --line-porcelain` for every tip file (`SALVAGE_LONG_HISTORY_EVERY=N`: every N-th file in
/// path order, for histories where blaming every file takes too long). Prints how many lines agree
/// (commit, and author after identity merging) and how far the per-author surviving lines are from
/// blame's counts; fails below 99% of lines agreeing.
@Suite struct LinesLongHistoryTests {
  @Test(.enabled(if: ProcessInfo.processInfo.environment["SALVAGE_LONG_HISTORY"] != nil))
  func agreesWithGitBlame() throws {
    let env = ProcessInfo.processInfo.environment
    let repo = env["SALVAGE_LONG_HISTORY"]!
    let every = max(1, Int(env["SALVAGE_LONG_HISTORY_EVERY"] ?? "1") ?? 1)
    let renames = env["SALVAGE_LONG_HISTORY_RENAMES"] != "0"
    let scan = try SalvageCore.Scanner(analyzers: [LinesAnalyzer()]).scan(ScanOptions(path: repo, detectRenames: renames))
    let origins = try #require(scan.context.lines)
    let history = scan.context.history
    // Blame names the author as recorded; ours is the person after .mailmap and identity merging. Compare
    // both through the recorded name of the commit (the id is the same).
    var names: [String: String] = [:]
    for line in try Fixture.git(["log", "--format=%H%x09%aN", "HEAD"], in: repo).split(separator: "\n") {
      let f = line.split(separator: "\t", maxSplits: 1)
      if f.count == 2 { names[String(f[0])] = String(f[1]) }
    }
    let recordedName = names
    let byPath = Dictionary(uniqueKeysWithValues: origins.files.map { (String(decoding: $0.path, as: UTF8.self), $0) })
    let listing = try Fixture.git(["ls-tree", "-r", "-z", "HEAD"], in: repo)
    let paths = listing.split(separator: "\0").compactMap { entry -> String? in
      let parts = entry.split(separator: "\t", maxSplits: 1)
      return parts.count == 2 && !parts[0].hasPrefix("160000") ? String(parts[1]) : nil
    }.sorted().enumerated().filter { $0.offset % every == 0 }.map(\.element)
    final class Tally: @unchecked Sendable {
      let lock = NSLock()
      var files = 0, lines = 0, commitAgrees = 0, authorAgrees = 0, untracked = 0, untrackedLines = 0, failed = 0
      var examples: [String] = []
      var git: [String: Int] = [:], ours: [String: Int] = [:]
    }
    let tally = Tally()
    DispatchQueue.concurrentPerform(iterations: paths.count) { i in
      let path = paths[i]
      guard let theirs = try? LinesScanTests.blame(repo, rev: "HEAD", path: path) else {
        tally.lock.withLock { tally.failed += 1 }
        return
      }
      var mine: [(commit: String, name: String)] = []
      for run in byPath[path]?.runs ?? [] {
        let id = history.commits[Int(run.commit)].id.hex
        for _ in 0..<run.count { mine.append((id, recordedName[id] ?? "")) }
      }
      tally.lock.withLock {
        tally.files += 1
        guard byPath[path] != nil else {
          // Binary files (blame gives their "lines") and blobs the snapshot lacks are not tracked.
          tally.untracked += 1
          tally.untrackedLines += theirs.count
          return
        }
        tally.lines += theirs.count
        for line in theirs { tally.git[line.name, default: 0] += 1 }
        for line in mine { tally.ours[line.name, default: 0] += 1 }
        var same = 0
        for (a, b) in zip(theirs, mine) {
          if a.commit == b.commit { same += 1 }
          if a.name == b.name { tally.authorAgrees += 1 }
        }
        tally.commitAgrees += same
        if same < theirs.count, tally.examples.count < 8 { tally.examples.append("\(path): \(theirs.count - same) of \(theirs.count) lines differ (ours \(mine.count))") }
      }
    }
    var apart = 0
    for name in Set(tally.git.keys).union(tally.ours.keys) { apart += abs(tally.git[name, default: 0] - tally.ours[name, default: 0]) }
    let share = tally.lines == 0 ? 1 : Double(tally.commitAgrees) / Double(tally.lines)
    print("""
      lines through the scan on \(repo) (\(history.commits.count) commits, renames \(renames ? "on" : "off"), every \(every). tip file):
        files blamed \(tally.files), blame failed \(tally.failed); not tracked (binary or missing blob) \(tally.untracked) files, \(tally.untrackedLines) blamed lines
        lines of tracked files \(tally.lines)
        commit agrees \(tally.commitAgrees) (\(String(format: "%.3f", share * 100))%), author agrees \(tally.authorAgrees) (\(String(format: "%.3f", Double(tally.authorAgrees) / Double(max(1, tally.lines)) * 100))%)
        per-author surviving lines: sum of |ours - git| = \(apart) (\(String(format: "%.3f", Double(apart) / Double(max(1, tally.lines)) * 100))% of lines), authors \(tally.git.count) by git, \(tally.ours.count) ours
      \(tally.examples.joined(separator: "\n"))
      """)
    #expect(share >= 0.99)
  }
}
