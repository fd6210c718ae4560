import CLibGit2
import FixtureSupport
import Foundation
import Git
import Testing

/// LineDiffer against git itself: `git diff --no-index --numstat` for the counts and
/// `git diff --no-index -U0` for where the added lines are, computed at test time.
@Suite struct LineDiffTests {
  struct Pair {
    var old: [UInt8]
    var new: [UInt8]
    init(_ old: [UInt8], _ new: [UInt8]) { self.old = old; self.new = new }
    init(_ old: String, _ new: String) { self.old = Array(old.utf8); self.new = Array(new.utf8) }
  }

  struct Outcome: Equatable, CustomStringConvertible {
    var added = 0, deleted = 0
    var lines: [Int: [UInt8]] = [:]  // added line number -> text (without newline)
    var description: String {
      let numbers = lines.keys.sorted()
      return "+\(added) -\(deleted) at \(numbers.prefix(40))\(numbers.count > 40 ? "..." : "")"
    }
  }

  // MARK: Oracle

  /// git's outcomes for all pairs, from two runs over folders a/ and b/ holding file i for pair i.
  static func git(_ pairs: [Pair]) throws -> [Outcome] {
    let folder = try Fixture.temporaryFolder("linediff")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try FileManager.default.createDirectory(atPath: folder + "/a", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: folder + "/b", withIntermediateDirectories: true)
    for (i, pair) in pairs.enumerated() {
      try Data(pair.old).write(to: URL(fileURLWithPath: "\(folder)/a/\(i)"))
      try Data(pair.new).write(to: URL(fileURLWithPath: "\(folder)/b/\(i)"))
    }
    let env = ["GIT_CONFIG_NOSYSTEM": "1", "HOME": folder, "LC_ALL": "C"]
    var outcomes = Array(repeating: Outcome(), count: pairs.count)

    let numstat = try Fixture.run("/usr/bin/git", ["diff", "--no-index", "--numstat", "--", "a", "b"], in: folder, environment: env)
    #expect(numstat.status <= 1, "\(numstat.stderr)")
    for line in numstat.stdout.split(separator: "\n") {
      // "added\tdeleted\t{a => b}/i"
      let fields = line.split(separator: "\t")
      guard fields.count == 3, let slash = fields[2].lastIndex(of: "/"), let i = Int(fields[2][fields[2].index(after: slash)...]) else {
        Issue.record("unexpected numstat line \(line)")
        continue
      }
      outcomes[i].added = Int(fields[0]) ?? -1
      outcomes[i].deleted = Int(fields[1]) ?? -1
    }

    let patch = try Fixture.run("/usr/bin/git", ["diff", "--no-index", "-U0", "--no-color", "--", "a", "b"], in: folder, environment: env)
    #expect(patch.status <= 1, "\(patch.stderr)")
    let lines = Array(patch.data).split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
    var current = -1
    var k = 0
    while k < lines.count {
      let line = lines[k]
      k += 1
      if line.starts(with: Array("diff --git ".utf8)) {
        let text = String(decoding: line, as: UTF8.self)
        current = Int(text[text.index(after: text.lastIndex(of: "/")!)...]) ?? -1
      } else if line.starts(with: Array("@@ -".utf8)) {
        // @@ -a[,b] +c[,d] @@
        let parts = String(decoding: line, as: UTF8.self).split(separator: " ")
        func range(_ s: Substring) -> (Int, Int) {
          let nums = s.dropFirst().split(separator: ",")
          return (Int(nums[0])!, nums.count > 1 ? Int(nums[1])! : 1)
        }
        let (_, oldCount) = range(parts[1])
        let (newStart, newCount) = range(parts[2])
        var skipped = 0
        while skipped < oldCount {
          if lines[k].first == UInt8(ascii: "-") { skipped += 1 }
          k += 1
        }
        var taken = 0
        while taken < newCount {
          let body = lines[k]
          k += 1
          guard body.first == UInt8(ascii: "+") else { continue }  // "\ No newline at end of file"
          outcomes[current].lines[newStart + taken] = Array(body.dropFirst())
          taken += 1
        }
      }
    }
    return outcomes
  }

  static func ours(_ pair: Pair, _ differ: LineDiffer) -> Outcome {
    var outcome = Outcome()
    pair.old.withUnsafeBytes { old in
      pair.new.withUnsafeBytes { new in
        var runs: [(Int, Range<Int>)] = []
        let counts = differ.diff(old: old, new: new) { runs.append(($0, $1)) }
        outcome.added = counts.added
        outcome.deleted = counts.deleted
        for (first, bytes) in runs {
          for (i, text) in pair.new[bytes].split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            outcome.lines[first + i] = Array(text)
          }
        }
        // Counts alone must not depend on asking for the runs.
        let bare = differ.diff(old: old, new: new, addedRuns: nil)
        #expect(bare == counts)
      }
    }
    return outcome
  }

  /// Compares every pair; returns the indices that differ.
  @discardableResult
  static func check(_ pairs: [Pair], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Int] {
    let expected = try git(pairs)
    let differ = LineDiffer()
    var bad: [Int] = []
    for (i, pair) in pairs.enumerated() {
      let got = ours(pair, differ)
      if got != expected[i] {
        bad.append(i)
        if bad.count <= 5 {
          Issue.record("\(label) pair \(i): git \(expected[i]), ours \(got)", sourceLocation: sourceLocation)
        }
      }
    }
    #expect(bad.isEmpty, "\(label): \(bad.count) of \(pairs.count) pairs differ", sourceLocation: sourceLocation)
    return bad
  }

  // MARK: Generators

  struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
  }

  /// Lines of code-like text: indentation, braces, blank lines, repeats.
  static func codeLine(_ r: inout Random, vocabulary: Int) -> String {
    switch r.below(10) {
    case 0: return ""
    case 1: return "}"
    case 2: return String(repeating: " ", count: 4 * r.below(3)) + "}"
    case 3: return String(repeating: "\t", count: r.below(3)) + "return x;"
    default:
      return String(repeating: "    ", count: r.below(4)) + "stmt\(r.below(vocabulary));"
    }
  }

  static func join(_ lines: [String], newlineAtEnd: Bool = true, crlf: Bool = false) -> [UInt8] {
    let sep = crlf ? "\r\n" : "\n"
    var text = lines.joined(separator: sep)
    if newlineAtEnd && !lines.isEmpty { text += sep }
    return Array(text.utf8)
  }

  /// Edits a list of lines: replaced, inserted, deleted, moved blocks.
  static func mutate(_ lines: [String], _ r: inout Random, edits: Int, make: (inout Random) -> String) -> [String] {
    var out = lines
    for _ in 0..<edits {
      let at = out.isEmpty ? 0 : r.below(out.count + 1)
      let n = 1 + r.below(r.chance(20) ? 12 : 3)
      switch r.below(5) {
      case 0, 1:
        for _ in 0..<n { out.insert(make(&r), at: min(at, out.count)) }
      case 2:
        out.removeSubrange(min(at, out.count)..<min(at + n, out.count))
      case 3:
        for k in at..<min(at + n, out.count) { out[k] = make(&r) }
      default:
        let block = Array(out[min(at, out.count)..<min(at + n, out.count)])
        out.insert(contentsOf: block, at: r.below(out.count + 1))
      }
    }
    return out
  }

  // MARK: Tests

  @Test func emptySidesAndMissingNewlines() throws {
    try Self.check([
      Pair("", "a\nb\n"), Pair("a\nb\n", ""), Pair("", "x"), Pair("x", ""), Pair("", "\n"), Pair("\n", "\n\n"),
      Pair("a\nb", "a\nb\n"), Pair("a\nb\n", "a\nb"), Pair("a\nb\n", "a\nc"), Pair("a", "b"), Pair("x\ny", "x\ny\nz"),
      Pair("x\ny\nz", "x\ny"), Pair("a\n", "a\na\n"), Pair("a\na\n", "a\n"), Pair("a", "a\na"), Pair("b\na", "a"),
      Pair("same\n", "same\n"), Pair("same", "same"), Pair("p\nq\nr\n", "p\nr\n"),
    ], "edges")
  }

  @Test func carriageReturns() throws {
    try Self.check([
      Pair("a\r\nb\r\n", "a\nb\r\n"), Pair("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"), Pair("a\r\n", "a\r"), Pair("a\rb\n", "a\nb\n"),
      Pair(Self.join(["x", "y", "z"], crlf: true), Self.join(["x", "y", "z"])),
      Pair(Self.join(["x", "y", "z"], crlf: true), Self.join(["x", "q", "z", "w"], newlineAtEnd: false, crlf: true)),
    ], "crlf")
  }

  @Test func identicalAndRewritten() throws {
    var r = Random(state: 7)
    let a = (0..<500).map { _ in Self.codeLine(&r, vocabulary: 1000) }
    let b = (0..<420).map { "other \($0)" }
    try Self.check([Pair(Self.join(a), Self.join(a)), Pair(Self.join(a), Self.join(b)), Pair(Self.join(b), Self.join(a))], "rewrite")
  }

  /// Many equal lines (blank lines, braces): xdl_cleanup_records' multimatch discarding.
  @Test func repeatedLines() throws {
    var r = Random(state: 11)
    var pairs: [Pair] = []
    for round in 0..<40 {
      let count = 50 + r.below(round < 20 ? 300 : 3000)
      let a = (0..<count).map { _ in Self.codeLine(&r, vocabulary: 8 + round) }
      let b = Self.mutate(a, &r, edits: 1 + r.below(20)) { Self.codeLine(&$0, vocabulary: 8 + round) }
      pairs.append(Pair(Self.join(a), Self.join(b)))
    }
    // Blocks rewritten with new lines among the frequent blank lines and braces: runs of no-match
    // lines around multimatch lines, which xdl_clean_mmatch discards.
    for round in 0..<40 {
      let count = 100 + r.below(1500)
      let a = (0..<count).map { _ in Self.codeLine(&r, vocabulary: 30) }
      var b = a
      for _ in 0..<(1 + r.below(6)) {
        let at = r.below(b.count), n = min(5 + r.below(60), b.count - at)
        for k in at..<(at + n) {
          b[k] = r.chance(25) ? ["", "}", "    }"][r.below(3)] : "fresh \(round) \(k) \(r.below(1000))"
        }
      }
      pairs.append(Pair(Self.join(a), Self.join(b)))
    }
    // Runs of no-match lines around a frequent line, as in xdl_clean_mmatch.
    let blanks = Array(repeating: "", count: 40)
    pairs.append(Pair(Self.join(blanks + ["a1", "a2", "a3", "a4", "", "b1", "b2", "b3", "b4"] + blanks),
                      Self.join(blanks + ["c1", "", "c2"] + blanks)))
    pairs.append(Pair(Self.join(["}", "x1", "x2", "x3", "x4", "x5", "}", "y1", "y2", "y3", "y4", "y5", "}"] + Array(repeating: "}", count: 30)),
                      Self.join(Array(repeating: "}", count: 30) + ["z"])))
    try Self.check(pairs, "repeated")
  }

  /// The common leading and trailing lines are hashed only when some changed line has their length:
  /// lines equal to a changed one there count towards its occurrences (xdl_cleanup_records), lines
  /// of the same length but other bytes do not. Short lines put more than eight line ends in one
  /// 64-byte block of the line splitter.
  @Test func commonLinesOfTheChangedLinesLength() throws {
    var r = Random(state: 17)
    var pairs: [Pair] = []
    for round in 0..<30 {
      var head: [String] = [], tail: [String] = []
      for _ in 0..<(40 + r.below(400)) { head.append(["", "}", "dup", "dap", "x", "dup", "  dup"][r.below(7)]) }
      for _ in 0..<(r.below(300)) { tail.append(["", "dup", "dap", "y", "}"][r.below(5)]) }
      let middle = (0..<(1 + r.below(12))).map { _ in ["dup", "dap", "", "}", "fresh \(r.below(50))"][r.below(5)] }
      let other = (0..<(r.below(12))).map { _ in ["dup", "dip", "", "fresh \(r.below(50))"][r.below(4)] }
      pairs.append(Pair(Self.join(head + middle + tail, newlineAtEnd: round % 4 != 0), Self.join(head + other + tail, newlineAtEnd: round % 4 != 0)))
    }
    try Self.check(pairs, "common")
  }

  /// Changes near the start of large files, with a long common tail: git -U0 trims it
  /// (trim_common_tail), git --numstat does not; both are followed.
  @Test func longCommonTail() throws {
    var r = Random(state: 13)
    var pairs: [Pair] = []
    for round in 0..<20 {
      let a = (0..<(2000 + r.below(3000))).map { _ in Self.codeLine(&r, vocabulary: 200) }
      var b = a
      for _ in 0..<(1 + r.below(4)) {
        let at = r.below(30)
        if r.chance(50) { b.insert(Self.codeLine(&r, vocabulary: 200), at: at) } else { b[at] = "changed \(round)" }
      }
      pairs.append(Pair(Self.join(a, newlineAtEnd: round % 3 != 0), Self.join(b, newlineAtEnd: round % 3 != 0)))
    }
    // A pair where the trimmed tail changes xdl_cleanup_records' verdicts (numstat 4/8, -U0 5/9).
    let tail = (0..<20).map { ("tail line number \($0) ").padding(toLength: 59, withPad: ".", startingAt: 0) }
    pairs.append(Pair(Self.join(["a0", "a1", "a2", "a3", "X", "b0", "b1", "b2", "b3"] + tail), Self.join(Array(repeating: "X", count: 5) + tail)))
    // The trimmed tail reaching into the common head.
    let same = (0..<600).map { "x\($0 % 7)" }
    pairs.append(Pair(Self.join(same), Self.join(same + same.prefix(1))))
    pairs.append(Pair(Self.join(same), Self.join(same + same)))
    pairs.append(Pair(Self.join(same + same), Self.join(same)))
    pairs.append(Pair(Self.join(Array(repeating: "x", count: 600)), Self.join(Array(repeating: "x", count: 601))))
    let bad = try Self.check(pairs, "tail")
    #expect(!bad.contains(20))
  }

  /// Two 20,000-line files with 30% of the lines changed: past XDL_HEUR_MIN_COST and the
  /// bogosqrt max cost, where git's Myers is not minimal.
  @Test func costHeuristics() throws {
    var r = Random(state: 17)
    var pairs: [Pair] = []
    for round in 0..<3 {
      let a = (0..<20000).map { _ in "line \(r.below(round == 0 ? 1_000_000 : 5000))" }
      var b = a
      for k in 0..<b.count where r.chance(30) {
        b[k] = "new \(r.below(round == 2 ? 3000 : 1_000_000))"
      }
      pairs.append(Pair(Self.join(a), Self.join(b)))
    }
    // Scattered insertions and deletions too.
    let a = (0..<20000).map { _ in "w\(r.below(400))" }
    let b = Self.mutate(a, &r, edits: 3000) { "w\($0.below(400))" }
    pairs.append(Pair(Self.join(a), Self.join(b)))
    try Self.check(pairs, "cost")
  }

  @Test func randomizedDifferential() throws {
    var r = Random(state: 2024)
    var pairs: [Pair] = []
    for round in 0..<400 {
      let vocabulary = [3, 10, 50, 1000][round % 4]
      let count = r.below([10, 60, 400, 2000][r.below(4)])
      let make: (inout Random) -> String = { r in
        round % 2 == 0 ? Self.codeLine(&r, vocabulary: vocabulary) : "l\(r.below(vocabulary))"
      }
      let a = (0..<count).map { _ in make(&r) }
      let b = Self.mutate(a, &r, edits: 1 + r.below(r.chance(30) ? 60 : 6), make: make)
      let crlf = round % 11 == 0
      pairs.append(Pair(Self.join(a, newlineAtEnd: !r.chance(15), crlf: crlf), Self.join(b, newlineAtEnd: !r.chance(15), crlf: crlf)))
    }
    try Self.check(pairs, "random")
  }

  // MARK: Real history (opt-in)

  /// `SALVAGE_LINEDIFF_PAIRS=file` (written by benchmarks/linediff_check.py): lines
  /// `old new added deleted runs` with runs `first:count,...` from git log; blobs are read from
  /// `SALVAGE_LINEDIFF_REPO`. Compares counts and added lines, and times LineDiffer against libgit2.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["SALVAGE_LINEDIFF_PAIRS"] != nil))
  func realHistory() throws {
    let env = ProcessInfo.processInfo.environment
    let list = try String(contentsOfFile: env["SALVAGE_LINEDIFF_PAIRS"]!, encoding: .utf8)
    let repoPath = env["SALVAGE_LINEDIFF_REPO"] ?? "/work/.mirror/git+git/repo"
    git_libgit2_init()
    var repo: OpaquePointer?
    #expect(git_repository_open(&repo, repoPath) == 0)
    defer { git_repository_free(repo) }

    struct Item { var old: [UInt8]; var new: [UInt8]; var added: Int; var deleted: Int; var lines: Set<Int>; var name: String }
    func blob(_ hex: Substring) -> [UInt8] {
      var oid = git_oid()
      _ = git_oid_fromstrn(&oid, String(hex), hex.utf8.count)
      var blob: OpaquePointer?
      guard git_blob_lookup(&blob, repo, &oid) == 0 else { return [] }
      defer { git_blob_free(blob) }
      let size = Int(git_blob_rawsize(blob))
      guard size > 0 else { return [] }
      return Array(UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: size))
    }
    var items: [Item] = []
    for line in list.split(separator: "\n") {
      let f = line.split(separator: " ", omittingEmptySubsequences: false)
      guard f.count >= 4 else { continue }
      var lines = Set<Int>()
      if f.count > 4 {
        for run in f[4].split(separator: ",") {
          let p = run.split(separator: ":")
          let first = Int(p[0])!, count = Int(p[1])!
          for k in 0..<count { lines.insert(first + k) }
        }
      }
      items.append(Item(old: blob(f[0]), new: blob(f[1]), added: Int(f[2])!, deleted: Int(f[3])!, lines: lines, name: "\(f[0])..\(f[1])"))
    }

    let differ = LineDiffer()
    var countMatches = 0, lineMatches = 0
    var mismatches: [String] = []
    for item in items {
      var got = Set<Int>()
      let counts = item.old.withUnsafeBytes { old in
        item.new.withUnsafeBytes { new in
          differ.diff(old: old, new: new) { first, bytes in
            let n = item.new[bytes].split(separator: 0x0A, omittingEmptySubsequences: false).count
            for k in 0..<n { got.insert(first + k) }
          }
        }
      }
      if counts.added == item.added && counts.deleted == item.deleted { countMatches += 1 } else {
        mismatches.append("\(item.name): git +\(item.added) -\(item.deleted), ours +\(counts.added) -\(counts.deleted)")
      }
      if got == item.lines { lineMatches += 1 } else { mismatches.append("\(item.name): added lines differ") }
    }
    print("LineDiff real history: counts match \(countMatches)/\(items.count), added lines match \(lineMatches)/\(items.count)")
    for m in mismatches.prefix(20) { print("  \(m)") }
    #expect(countMatches == items.count)
    #expect(lineMatches == items.count)

    // Timing: the same buffers, counts only, then with the added runs; libgit2 with its defaults.
    let clock = ContinuousClock()
    var sink = 0
    func time(_ body: () -> Void) -> Duration {
      var best = Duration.seconds(1_000_000)
      for _ in 0..<3 {
        let t = clock.measure(body)
        if t < best { best = t }
      }
      return best
    }
    let ourCounts = time {
      for item in items {
        item.old.withUnsafeBytes { old in
          item.new.withUnsafeBytes { new in sink &+= differ.diff(old: old, new: new, addedRuns: nil).added }
        }
      }
    }
    let ourRuns = time {
      for item in items {
        item.old.withUnsafeBytes { old in
          item.new.withUnsafeBytes { new in sink &+= differ.diff(old: old, new: new) { first, _ in sink &+= first }.added }
        }
      }
    }
    var options = git_diff_options()
    git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
    let libgit2 = time {
      for item in items {
        item.old.withUnsafeBufferPointer { old in
          item.new.withUnsafeBufferPointer { new in
            var patch: OpaquePointer?
            let oldPtr = UnsafeRawPointer(old.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
            let newPtr = UnsafeRawPointer(new.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
            if git_patch_from_buffers(&patch, oldPtr, old.count, nil, newPtr, new.count, nil, &options) == 0 {
              var context = 0, adds = 0, dels = 0
              git_patch_line_stats(&context, &adds, &dels, patch)
              sink &+= adds
              git_patch_free(patch)
            }
          }
        }
      }
    }
    print("LineDiff timing over \(items.count) pairs: LineDiffer counts \(ourCounts), with added runs \(ourRuns); libgit2 patch + line stats \(libgit2)")
    let seconds = { (d: Duration) in Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    print("LineDiff speed: libgit2/ours = \(seconds(libgit2) / seconds(ourCounts)) (counts), \(seconds(libgit2) / seconds(ourRuns)) (with runs) [\(sink & 1)]")
  }
}
