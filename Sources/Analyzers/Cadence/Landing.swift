import Git
import SalvageCore

/// How the work lands: merges, commits straight on the main line against those that arrived through a
/// merge, pull-request references, co-authored commits, and "dump" commits too large to review.
struct Landing {
  struct Dump {
    let commit: Int
    let files: Int
    let lines: Int
  }

  let commits: Int
  let merges: Int
  let nonMerges: Int
  /// First-parent line from the tip: non-merge commits on it, and merges on it.
  let mainlineDirect: Int
  let mainlineMerges: Int
  /// Non-merge commits that are not on the first-parent line: they arrived through a merge.
  let viaMerges: Int
  let pullRequestReferences: Int
  let coAuthored: Int
  /// Largest first.
  let dumps: [Dump]

  init(_ h: CadenceHistory, tip: String?, classifier: PathClassifier, snapshot: Snapshot, tipPaths: TipPaths) {
    let commits = h.history.commits
    self.commits = commits.count
    var merges = 0, prRefs = 0, coAuthored = 0
    for i in commits.indices {
      if commits[i].isMerge { merges += 1 } else if !commits[i].coAuthors.isEmpty { coAuthored += 1 }
      if Self.referencesPullRequest(commits[i].subject) { prRefs += 1 }
    }
    self.merges = merges
    nonMerges = commits.count - merges
    pullRequestReferences = prRefs
    self.coAuthored = coAuthored

    let index = CommitIndex(commits)
    var direct = 0, mainMerges = 0
    var next = tip.flatMap(ObjectID.init(hex:)).flatMap { index[$0] } ?? (commits.isEmpty ? nil : 0)
    var seen = 0
    while let i = next, seen <= commits.count {
      if commits[i].isMerge { mainMerges += 1 } else { direct += 1 }
      next = commits[i].parents.first.flatMap { index[$0] }
      seen += 1
    }
    mainlineDirect = direct
    mainlineMerges = mainMerges
    viaMerges = nonMerges - direct

    let rules = h.rules.landing
    var dumps: [Dump] = []
    // Whether each path counts, looked up only for the few commits big enough to be candidates: the
    // tip's class when the path is still there (it has seen the content), else by the path's name.
    var ignored = [UInt8](repeating: 0, count: h.history.paths.count)
    for i in commits.indices where !commits[i].isMerge && !commits[i].parents.isEmpty {
      guard commits[i].changes.count >= rules.dumpFiles || h.lines[i] >= rules.dumpLines else { continue }
      let commit = commits[i]
      // Lines added: a large deletion is a clean-up, not a dump.
      var files = 0, lines = 0
      // Whole files deleted and added, by line count: a pair with equal counts is a move.
      var deletedSizes: [Int32: Int] = [:], addedSizes: [Int32] = []
      for change in h.history.changes(of: commit) {
        let p = Int(change.path)
        if ignored[p] == 0 {
          let path = h.history.paths[change.path]
          let file = tipPaths.fileIndex[p]
          let fileClass = file >= 0 ? snapshot.files[Int(file)].fileClass : classifier.classify(path)
          let skip = rules.dumpIgnoreClasses.contains(fileClass) || rules.dumpIgnorePaths.contains { $0.matches(path) }
          ignored[p] = skip ? 2 : 1
        }
        guard ignored[p] == 1, change.status != .renamed || change.added + change.deleted > 0 else { continue }
        files += 1
        lines += Int(change.added)
        if change.status == .deleted { deletedSizes[change.deleted, default: 0] += 1 }
        if change.status == .added { addedSizes.append(change.added) }
      }
      for size in addedSizes {
        guard let left = deletedSizes[size], left > 0 else { continue }
        deletedSizes[size] = left - 1
        files -= 2
        lines -= Int(size)
      }
      if files >= rules.dumpFiles || lines >= rules.dumpLines { dumps.append(Dump(commit: i, files: files, lines: lines)) }
    }
    dumps.sort { $0.lines != $1.lines ? $0.lines > $1.lines : ($0.files != $1.files ? $0.files > $1.files : $0.commit < $1.commit) }
    self.dumps = dumps
  }

  /// `(#123)` as squash merges write it, or "pull request #123" / "Merge pull request #123".
  static func referencesPullRequest(_ subject: String) -> Bool {
    var text = subject
    return text.withUTF8(referencesPullRequest)
  }

  private static let pullRequest = Array("pull request #".utf8)

  private static func referencesPullRequest(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let hash = UInt8(ascii: "#")
    guard bytes.contains(hash) else { return false }
    for i in bytes.indices where bytes[i] == hash {
      if i > 0, bytes[i - 1] == UInt8(ascii: "(") {
        var j = i + 1
        while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57 { j += 1 }
        if j > i + 1, j < bytes.count, bytes[j] == UInt8(ascii: ")") { return true }
      }
      let start = i + 1 - pullRequest.count
      if start >= 0, zip(bytes[start...i], pullRequest).allSatisfy({ CommitClassifier.lower($0) == $1 }) { return true }
    }
    return false
  }

  func figures(_ h: CadenceHistory) -> CadenceOutput.Landing {
    let rules = h.rules.landing
    return .init(
      commits: commits, mergeCommits: merges, mergeShare: Figures.rounded(Prose.share(merges, commits)),
      mainlineDirectCommits: mainlineDirect, mainlineMerges: mainlineMerges, commitsViaMerges: viaMerges,
      viaMergesShare: Figures.rounded(Prose.share(viaMerges, nonMerges)), pullRequestReferences: pullRequestReferences,
      coAuthoredCommits: coAuthored, coAuthoredShare: Figures.rounded(Prose.share(coAuthored, nonMerges)), dumpCommits: dumps.count,
      dumpRule: "a non-merge, non-root commit touching at least \(rules.dumpFiles) files or adding at least \(Figures.grouped(rules.dumpLines)) lines, not counting \(rules.dumpIgnoreClasses.map(\.rawValue).sorted().joined(separator: ", ")) files, \(rules.dumpIgnorePaths.map(\.pattern).joined(separator: " ")), nor files moved whole",
      dumps: dumps.prefix(rules.dumpsListed).map { dump in
        .init(commit: h.id(dump.commit), date: Timestamp(h.times[dump.commit]), author: h.author(dump.commit).name,
              files: dump.files, linesAdded: dump.lines, subject: h.history.commits[dump.commit].subject)
      })
  }

  func findings(_ h: CadenceHistory) -> [Finding] {
    let rules = h.rules.landing
    guard dumps.count >= max(rules.dumpMinCount, 1) else { return [] }
    let top = dumps[0]
    let listed = dumps.prefix(3).map {
      "\(h.cite($0.commit, author: true)): \(Prose.count($0.files, "file")), \(Prose.count($0.lines, "line")) added (\"\(h.history.commits[$0.commit].subject)\")"
    }
    let share = Prose.share(dumps.count, nonMerges)
    let recent = dumps.filter { h.inWindow($0.commit, days: 365) }.count
    var count = dumps.count == 1 ? "One commit" : "\(Figures.grouped(dumps.count)) of \(Figures.grouped(nonMerges)) commits (\(Figures.percent(share)))"
    if dumps.count > 1 { count += ", \(recent) of them in the last 12 months," }
    return [Finding(
      analyzer: CadenceAnalyzer.identifier, rule: "dump-commits", key: "dumps", severity: share >= 0.05 ? .medium : .low,
      title: dumps.count == 1 ? "A dump commit: \(Prose.count(top.lines, "line")) added in \(Prose.count(top.files, "file")) at once"
        : "\(Figures.grouped(dumps.count)) dump commits: large changes landed in one piece",
      message: "\(count) touched at least \(rules.dumpFiles) files or added at least \(Figures.grouped(rules.dumpLines)) lines at once (lockfiles, vendored and generated code, translations and moved files not counted). The largest: \(listed.joined(separator: "; ")). Changes this size are hard to review and hide how the code came about; ask how they were reviewed and whether the work was done elsewhere.",
      location: Location(commit: h.id(top.commit)),
      evidence: CadenceEvidence.Dumps(
        count: dumps.count, share: Figures.rounded(share), lastTwelveMonths: recent,
        largest: dumps.prefix(rules.dumpsListed).map {
          .init(commit: h.id($0.commit), date: Timestamp(h.times[$0.commit]), files: $0.files, linesAdded: $0.lines)
        }))]
  }
}
