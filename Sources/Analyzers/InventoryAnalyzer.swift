import Git
import SalvageCore

/// What is here: files and lines per class and language, commits and authors, and each file's history
/// totals. Every other figure of the report stands on these counts.
public struct InventoryAnalyzer: Analyzer {
  public let id = "inventory"
  public init() {}

  public func compile(_ rules: RuleSet) {}

  /// History totals for one path.
  public struct FileHistory: Sendable, Equatable {
    public var revisions = 0
    public var added = 0
    public var deleted = 0
    public var authors = 0
    /// Committer time of the newest commit that touched the path.
    public var lastChanged: Int64?
  }

  /// Per-path totals over the non-merge commits, indexed by path id: a model, as the tests analyzer
  /// reads them too.
  struct PathTotals: ScanModel {
    let totals: [FileHistory]

    static func compile(_ rules: RuleSet) {}

    static func make(_ context: ScanContext, rules: Void, models: Models) -> PathTotals {
      PathTotals(totals: InventoryAnalyzer.fileHistories(context.history))
    }
  }

  public var inputs: [any ScanModel.Type] { [PathTotals.self, TipPaths.self] }

  static func fileHistories(_ history: History) -> [FileHistory] {
    var totals = [FileHistory](repeating: FileHistory(), count: history.paths.count)
    let seen = PairTable(expected: history.changes.count / 4)
    history.commits.withUnsafeBufferPointer { commits in
      history.changes.withUnsafeBufferPointer { changes in
        for n in commits.indices where !commits[n].isMerge {
          let time = commits[n].committerTime, author = commits[n].author
          for c in commits[n].changes {
            let change = changes[c]
            let p = Int(change.path)
            totals[p].revisions += 1
            totals[p].added += Int(change.added)
            totals[p].deleted += Int(change.deleted)
            if totals[p].lastChanged.map({ time > $0 }) ?? true { totals[p].lastChanged = time }
            if seen.insert(Int64(change.path) << 32 | Int64(author)) { totals[p].authors += 1 }
          }
        }
      }
    }
    return totals
  }

  private static func count(_ tally: inout (files: Int, lines: Int), lines: Int) {
    tally.files += 1
    tally.lines += lines
  }

  private static func count(_ tally: inout (files: Int, lines: Int, code: Int), lines: Int, code: Int) {
    tally.files += 1
    tally.lines += lines
    tally.code += code
  }

  public func analyze(_ input: AnalysisInput, _ rules: Void) throws -> Analysis<InventoryOutput> {
    let context = input.context
    let history = context.history
    let snapshot = context.snapshot
    let totals = try input.model(PathTotals.self).totals
    let tip = try input.model(TipPaths.self)

    var byClass: [FileClass: (files: Int, lines: Int)] = [:]
    var byLanguage: [String: (files: Int, lines: Int)] = [:]
    var byComponent: [String: (files: Int, lines: Int, code: Int)] = [:]
    var files: [InventoryOutput.File] = []
    var totalLines = 0
    // The files are read in place through a buffer pointer: taking each file would retain and release an
    // object the analyzers on the other core share.
    snapshot.files.withUnsafeBufferPointer { all in
      // The files list is sorted by path as printed, whatever git's tree order.
      let byPath = all.indices.sorted { a, b in all[a].displayPath != all[b].displayPath ? all[a].displayPath < all[b].displayPath : a < b }
      for n in byPath {
        let fileClass = all[n].fileClass, language = all[n].language, lines = all[n].lines
        totalLines += lines
        // Each tally is updated through one access: every access hashes its key (a string) again.
        Self.count(&byClass[fileClass, default: (0, 0)], lines: lines)
        if let language, fileClass != .binary { Self.count(&byLanguage[language, default: (0, 0)], lines: lines) }
        // `isCode`, from the class already read.
        let code = fileClass == .source || fileClass == .test ? lines : 0
        Self.count(&byComponent[tip.components[n], default: (0, 0, 0)], lines: lines, code: code)
        let total = tip.pathIDs[n] >= 0 ? totals[Int(tip.pathIDs[n])] : FileHistory()
        files.append(InventoryOutput.File(
          path: all[n].displayPath, fileClass: fileClass, language: language, lines: lines, size: all[n].size,
          revisions: total.revisions, added: total.added, deleted: total.deleted, authors: total.authors,
          lastChanged: total.lastChanged.map(Timestamp.init)))
      }
    }
    var isAuthor = [Bool](repeating: false, count: history.people.count)
    var authors = 0, merges = 0
    history.commits.withUnsafeBufferPointer { commits in
      for n in commits.indices {
        let author = Int(commits[n].author)
        if !isAuthor[author] {
          isAuthor[author] = true
          authors += 1
        }
        if commits[n].isMerge { merges += 1 }
      }
    }

    let output = InventoryOutput(
      commits: history.commits.count, mergeCommits: merges, authors: authors,
      firstCommit: history.firstCommitTime.map(Timestamp.init), lastCommit: history.lastCommitTime.map(Timestamp.init),
      tags: history.tags.count, totalFiles: snapshot.files.count, totalLines: totalLines,
      classes: byClass.keys.sorted().map { .init(fileClass: $0, files: byClass[$0]!.files, lines: byClass[$0]!.lines) },
      languages: byLanguage.sorted { $0.value.lines != $1.value.lines ? $0.value.lines > $1.value.lines : $0.key < $1.key }.map {
        .init(language: $0.key, files: $0.value.files, lines: $0.value.lines)
      },
      files: files)

    var findings: [Finding] = []
    if context.repository.shallow {
      findings.append(Finding(
        analyzer: id, rule: "shallow-history", key: "shallow", severity: .info, title: "History is cut (shallow clone)",
        message: "This is a shallow clone: only \(history.commits.count) commits are present, so every history figure covers part of the project's life. Scan a full clone for the whole picture.",
        evidence: InventoryOutput.ShallowEvidence(commits: history.commits.count)))
    }
    if context.repository.empty {
      findings.append(Finding(
        analyzer: id, rule: "no-history", key: "empty", severity: .info, title: "No history",
        message: "The repository has no commits yet (empty repository or unborn HEAD): there is nothing to analyse."))
    }
    var components: [String: InventoryOutput.Component] = [:]
    for (name, value) in byComponent { components[name] = .init(files: value.files, lines: value.lines, loc: value.code) }
    return Analysis(output, findings: findings, components: components)
  }
}

/// `analyzers.inventory`: what is here, per class, language and file.
public struct InventoryOutput: AnalyzerOutput {
  /// One component's files, lines and lines of code (source and test files).
  public struct Component: Encodable, Sendable {
    public let files: Int
    public let lines: Int
    public let loc: Int
  }

  public struct ClassCount: Encodable, Sendable {
    public let fileClass: FileClass
    public let files: Int
    public let lines: Int
    enum CodingKeys: String, CodingKey { case fileClass = "class", files, lines }
  }

  public struct LanguageCount: Encodable, Sendable {
    public let language: String
    public let files: Int
    public let lines: Int
  }

  /// One file of the tip with its history totals.
  public struct File: Encodable, Sendable {
    public let path: String
    public let fileClass: FileClass
    public let language: String?
    public let lines: Int
    public let size: Int
    public let revisions: Int
    public let added: Int
    public let deleted: Int
    public let authors: Int
    public let lastChanged: Timestamp?
    enum CodingKeys: String, CodingKey { case path, fileClass = "class", language, lines, size, revisions, added, deleted, authors, lastChanged }
  }

  public let commits: Int
  public let mergeCommits: Int
  public let authors: Int
  public let firstCommit: Timestamp?
  public let lastCommit: Timestamp?
  public let tags: Int
  public let totalFiles: Int
  public let totalLines: Int
  /// By class name.
  public let classes: [ClassCount]
  /// Most lines first.
  public let languages: [LanguageCount]
  /// By path as printed.
  public let files: [File]
}

extension InventoryOutput {
  /// The evidence of a `shallow-history` finding: the commits present.
  public struct ShallowEvidence: FindingEvidence {
    public let commits: Int
  }
}
