import Foundation
import Git

/// Builds a `History`, a `Snapshot` and a `ScanContext` by hand, for unit tests of analyzers that need
/// no repository: each commit states its author, time and per-file line counts, as `git log --numstat`
/// would report them. Commits are given oldest first; the history comes out newest first, as a scan
/// gives it. Ids are made up from the commit's position (stable from run to run).
public struct HistoryBuilder {
  private var commits: [(author: Person, time: Int64, subject: String, changes: [(path: String, added: Int, deleted: Int)], merge: Bool)] = []

  public init() {}

  /// Adds a commit (after the ones before it). `author` is "Name <email>"; `time` is ISO 8601 in UTC
  /// ("2024-03-01T10:00:00Z").
  @discardableResult
  public mutating func commit(_ author: String, at time: String, _ subject: String = "change",
                              changes: [(path: String, added: Int, deleted: Int)] = [], merge: Bool = false) -> Int {
    guard let seconds = UTC.parse(time) else { preconditionFailure("not an ISO 8601 time: \(time)") }
    commits.append((Self.person(author), seconds, subject, changes, merge))
    return commits.count - 1
  }

  /// The id of the commit at `index` (as `commit` returned it).
  public static func id(_ index: Int) -> ObjectID {
    var bytes = [UInt8](repeating: 0, count: 20)
    var n = UInt64(index + 1)
    for i in 0..<8 {
      bytes[19 - i] = UInt8(n & 0xFF)
      n >>= 8
    }
    return ObjectID(bytes: bytes)!
  }

  public func build() -> History {
    var paths = PathTable()
    var people: [Person] = []
    var personID: [String: PersonID] = [:]
    var out: [Commit] = []
    var changes: [Change] = []
    // Newest first: the walk's order.
    for index in commits.indices.reversed() {
      let c = commits[index]
      let key = c.author.email.lowercased()
      let author = personID[key] ?? {
        let id = PersonID(people.count)
        people.append(c.author)
        personID[key] = id
        return id
      }()
      let start = changes.count
      if !c.merge {
        for change in c.changes {
          changes.append(Change(path: paths.intern(Array(change.path.utf8)), oldPath: -1, added: Int32(change.added),
                                deleted: Int32(change.deleted), status: .modified, binary: false))
        }
      }
      let parents = c.merge ? [Self.id(max(0, index - 1)), Self.id(max(0, index - 2))] : (index > 0 ? [Self.id(index - 1)] : [])
      out.append(Commit(id: Self.id(index), parents: parents, author: author, authorTime: c.time, authorOffset: 0, committer: author,
                        committerTime: c.time, committerOffset: 0, subject: c.subject, coAuthors: [], changes: start..<changes.count))
    }
    return History(commits: out, changes: changes, paths: paths, people: people)
  }

  static func person(_ text: String) -> Person {
    guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else {
      return Person(name: text, email: text.lowercased())
    }
    return Person(name: text[..<open].trimmingCharacters(in: .whitespaces), email: String(text[text.index(after: open)..<close]).lowercased())
  }
}

/// Builds the tip's files by hand: each file with its text, classified by the rules' classifier as the
/// tree read would.
public struct SnapshotBuilder {
  private var files: [(path: String, text: String)] = []

  public init() {}

  public mutating func file(_ path: String, _ text: String) {
    files.append((path, text))
  }

  public func build(classifier: PathClassifier) -> Snapshot {
    Snapshot(files: files.enumerated().map { n, file in
      let bytes = Array(file.text.utf8)
      let path = Array(file.path.utf8)
      let content = bytes.withUnsafeBufferPointer { classifier.signature(of: UnsafeRawBufferPointer($0)) }
      let lines = bytes.withUnsafeBufferPointer { GitText.lineCount(UnsafeRawBufferPointer($0)) }
      return SnapshotFile(path: path, id: HistoryBuilder.id(1_000_000 + n), mode: 0o100644, size: bytes.count, lines: lines,
                          language: classifier.language(of: path), fileClass: classifier.classify(path, content: content), content: bytes)
    })
  }
}

extension ScanContext {
  /// A context over a hand-built history and tip, with the built-in rules (or `rules`) and `now`
  /// pinned (ISO 8601; the newest commit's time when nil).
  public static func built(history: History, snapshot: (PathClassifier) -> Snapshot, rules: RuleSet? = nil,
                           now: String? = nil) throws -> ScanContext {
    let rules = try rules ?? RuleSet.load()
    let classifier = try PathClassifier(rules: rules)
    let tip = snapshot(classifier)
    let repository = RepositoryInfo(
      path: "/built", head: history.commits.first?.id.hex, branch: "main", revision: nil, commitCount: history.commits.count,
      firstCommit: history.firstCommitTime, lastCommit: history.lastCommitTime, shallow: false, bare: false, empty: history.commits.isEmpty)
    return ScanContext(options: ScanOptions(path: "/built"), rules: rules, classifier: classifier, repository: repository,
                       history: history, snapshot: tip, components: ComponentMap(paths: tip.files.map(\.path)),
                       now: now.flatMap(UTC.parse) ?? history.lastCommitTime ?? 0)
  }
}
