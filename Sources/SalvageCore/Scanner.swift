import Foundation
import Git

/// Why a scan could not run, each with its own exit code at the edge.
public enum ScanError: Error, Sendable, CustomStringConvertible {
  case git(GitError)
  case rules(RuleError)
  case analyzer(String, String)

  public var description: String {
    switch self {
    case let .git(error): return error.message
    case let .rules(error): return "bad rules: \(error)"
    case let .analyzer(id, message): return "analyzer \(id) failed: \(message)"
    }
  }
}

/// The outcome of a scan: the context the analyzers saw and what each of them said, in registry order.
public struct ScanResult: Sendable {
  public let context: ScanContext
  public let results: [(id: String, result: AnalyzerResult)]

  /// Every finding, most severe first, then by id: a fixed order for a fixed input.
  public var findings: [Finding] {
    results.flatMap(\.result.findings).sorted { a, b in
      a.severity != b.severity ? a.severity > b.severity : a.id < b.id
    }
  }
}

/// Gathers the context once (one pass over history, one over the tip's tree) and runs the analyzers.
public struct Scanner {
  public enum Phase: Sendable { case history, tree, analysis }

  public let analyzers: [any Analyzer]
  public init(analyzers: [any Analyzer]) { self.analyzers = analyzers }

  public func scan(_ options: ScanOptions, progress: ((Phase, Int, Int) -> Void)? = nil) throws(ScanError) -> ScanResult {
    let rules: RuleSet
    let classifier: PathClassifier
    do {
      rules = try RuleSet.load(overrides: options.rulesDirectory)
      classifier = try PathClassifier(rules: rules)
    } catch {
      throw .rules(error)
    }
    let active = analyzers.filter { options.only?.contains($0.id) ?? true }
    do {
      let repo = try Repository(path: options.path)
      var info = RepositoryInfo(path: options.path, head: nil, branch: repo.headBranch, revision: options.revision,
                                commitCount: 0, firstCommit: nil, lastCommit: nil, shallow: repo.isShallow, bare: repo.isBare,
                                empty: false)
      var history = History()
      var snapshot = Snapshot(files: [])
      var observers: [String: any HistoryObserver] = [:]
      let tip: ObjectID?
      if let revision = options.revision {
        tip = try repo.resolveCommit(revision)
      } else if repo.isEmpty || repo.isHeadUnborn {
        tip = nil
      } else {
        tip = try repo.resolveCommit("HEAD")
      }
      if let tip {
        info.head = tip.hex
        for analyzer in active {
          do {
            if let observer = try analyzer.makeHistoryObserver(options: options, rules: rules) { observers[analyzer.id] = observer }
          } catch let error as RuleError {
            throw ScanError.rules(error)
          } catch {
            throw ScanError.analyzer(analyzer.id, "\(error)")
          }
        }
        history = try readHistory(repo, tip: tip, options: options, observers: Array(observers.values), progress: progress)
        snapshot = try readTree(repo, tip: tip, options: options, classifier: classifier, progress: progress)
      } else {
        info.empty = true
      }
      info.commitCount = history.commits.count
      info.firstCommit = history.firstCommitTime
      info.lastCommit = history.lastCommitTime
      let context = ScanContext(
        options: options, rules: rules, classifier: classifier, repository: info, history: history, snapshot: snapshot,
        components: ComponentMap(paths: snapshot.files.map(\.path)), now: options.now ?? history.lastCommitTime ?? 0,
        observers: observers)
      progress?(.analysis, 0, active.count)
      let results = try runAnalyzers(active, context)
      progress?(.analysis, active.count, active.count)
      return ScanResult(context: context, results: results)
    } catch let error as GitError {
      throw .git(error)
    } catch let error as ScanError {
      throw error
    } catch {
      throw .analyzer("scanner", "\(error)")
    }
  }

  /// Analyzers are independent pure functions of the context: run them side by side.
  private func runAnalyzers(_ active: [any Analyzer], _ context: ScanContext) throws(ScanError) -> [(id: String, result: AnalyzerResult)] {
    let slots = ResultSlots(count: active.count)
    DispatchQueue.concurrentPerform(iterations: active.count) { index in
      let analyzer = active[index]
      do {
        slots.set(index, .success(try analyzer.analyze(context)))
      } catch {
        slots.set(index, .failure(ScanError.analyzer(analyzer.id, "\(error)")))
      }
    }
    var out: [(id: String, result: AnalyzerResult)] = []
    for (index, analyzer) in active.enumerated() {
      switch slots.get(index) {
      case let .success(result): out.append((analyzer.id, result))
      case let .failure(error): throw error
      }
    }
    return out
  }

  private func readHistory(_ repo: Repository, tip: ObjectID, options: ScanOptions, observers: [any HistoryObserver],
                           progress: ((Phase, Int, Int) -> Void)?) throws -> History {
    let ids = try repo.commitIDs(from: tip, since: options.since)
    let workers = options.workers > 0 ? options.workers : ProcessInfo.processInfo.activeProcessorCount
    let walk = HistoryWalk(repositoryPath: options.path, commits: ids,
                           options: .init(workers: workers, detectRenames: options.detectRenames))
    let mailmap = repo.mailmap()
    var builder = HistoryBuilder(mailmap: { mailmap.resolve($0) }, excluded: { options.isExcluded($0) })
    let makeVisitor: (@Sendable () -> any AddedLineVisitor)?
    switch observers.count {
    case 0: makeVisitor = nil
    case 1:
      let only = observers[0]
      makeVisitor = { only.makeVisitor() }
    default:
      makeVisitor = { FanOutVisitor(observers.map { $0.makeVisitor() }) }
    }
    var done = 0
    progress?(.history, 0, ids.count)
    try walk.run(makeVisitor: makeVisitor) { chunk in
      builder.add(chunk)
      done += chunk.commits.count
      progress?(.history, done, ids.count)
    }
    return builder.finish(tags: (try? repo.tags()) ?? [])
  }

  private func readTree(_ repo: Repository, tip: ObjectID, options: ScanOptions, classifier: PathClassifier,
                        progress: ((Phase, Int, Int) -> Void)?) throws -> Snapshot {
    let entries = try repo.files(of: tip)
    var files: [SnapshotFile] = []
    files.reserveCapacity(entries.count)
    progress?(.tree, 0, entries.count)
    for (n, entry) in entries.enumerated() {
      if n % 256 == 0 { progress?(.tree, n, entries.count) }
      if options.isExcluded(entry.path) { continue }
      let language = classifier.language(of: entry.path)
      if entry.isGitlink || entry.size > Snapshot.readCap {
        files.append(SnapshotFile(path: entry.path, id: entry.id, mode: entry.mode, size: entry.size, lines: 0, language: language,
                                  fileClass: entry.isGitlink ? .other : classifier.classify(entry.path), content: nil))
        continue
      }
      let bytes = try repo.blob(entry.id)
      let (fileClass, lines, keep) = bytes.withUnsafeBytes { raw in
        let fileClass = classifier.classify(entry.path, head: raw)
        let binary = fileClass == .binary || PathClassifier.looksBinary(raw)
        let cap = fileClass == .lockfile ? Snapshot.lockfileCap : Snapshot.contentCap
        return (fileClass, binary ? 0 : Snapshot.countLines(raw), !binary && bytes.count <= cap)
      }
      files.append(SnapshotFile(path: entry.path, id: entry.id, mode: entry.mode, size: entry.size, lines: lines, language: language,
                                fileClass: fileClass, content: keep ? bytes : nil))
    }
    progress?(.tree, entries.count, entries.count)
    return Snapshot(files: files)
  }
}

private final class FanOutVisitor: AddedLineVisitor {
  let visitors: [any AddedLineVisitor]
  init(_ visitors: [any AddedLineVisitor]) { self.visitors = visitors }
  func addedLines(commit: Int, path: UnsafeBufferPointer<UInt8>, firstLine: Int, content: UnsafeBufferPointer<UInt8>) {
    for visitor in visitors { visitor.addedLines(commit: commit, path: path, firstLine: firstLine, content: content) }
  }
}

private final class ResultSlots: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<AnalyzerResult, ScanError>?]
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: Result<AnalyzerResult, ScanError>) { lock.withLock { slots[index] = value } }
  func get(_ index: Int) -> Result<AnalyzerResult, ScanError> { lock.withLock { slots[index]! } }
}
