import ArgumentParser
import Foundation
import Analyzers
import Git
import Report
import SalvageCore

/// Exit codes, documented in the README. Errors are distinct from "findings over the threshold".
enum Exit: Int32 {
  case ok = 0
  case findings = 1
  case noSuchPath = 2
  case notARepository = 3
  case unknownRevision = 4
  case unreadableObject = 5
  case cannotWrite = 6
  case badRules = 7
  case gitError = 8
  case usage = 64
  case internalError = 70
}

@main
struct Salvage: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "salvage",
    abstract: "Technical due diligence from a git repository's history and tree.",
    subcommands: [Scan.self, Numstat.self],
    defaultSubcommand: Scan.self
  )
}

struct Scan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Scan a repository and write the report.",
    discussion: """
      Exit codes: 0 done; 2 no such path; 3 not a git repository; 4 unknown revision; 5 unreadable \
      (corrupt or missing) object; 6 cannot write the output; 7 bad rules or configuration; 8 other git \
      error; 64 bad usage; 70 internal error.
      """
  )

  @Argument(help: "The repository to scan (work tree top level, .git folder, or bare repository).")
  var path: String = "."

  @Option(name: .shortAndLong, help: "Output formats, comma-separated: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: String = "text"

  @Option(name: .shortAndLong, help: "Write the report to this file (with several formats: this base name plus each format's extension).")
  var output: String?

  @Option(help: "The commit to scan instead of HEAD (branch, tag, id, expression).")
  var rev: String?

  @Option(help: "Only commits from this date on (YYYY-MM-DD or ISO 8601).")
  var since: String?

  @Option(help: "Leave out paths matching this glob (repeatable).")
  var exclude: [String] = []

  @Flag(help: "Detect renames in history (as git log -M).")
  var renames = false

  @Option(help: "A folder of rule files (.toml) laid over the built-in rules.")
  var rules: String?

  @Option(help: "Pin \"now\" for every age figure (default: the last commit's time).")
  var now: String?

  @Option(help: "Worker threads for the history pass (default: all cores).")
  var workers: Int = 0

  @Option(help: "Run only these analyzers, comma-separated (default: all of \(AnalyzerRegistry.ids.joined(separator: ", "))).")
  var analyzers: String?

  @Flag(name: .shortAndLong, help: "No progress on stderr.")
  var quiet = false

  func run() throws {
    var formats: [OutputFormat] = []
    for name in format.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
      guard let f = OutputFormat(rawValue: name) else { fail(.usage, "unknown format '\(name)' (known: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")))") }
      if !formats.contains(f) { formats.append(f) }
    }
    if formats.isEmpty { fail(.usage, "--format needs at least one format") }
    var sinceTime: Int64?
    if let since {
      guard let t = UTC.parse(since) else { fail(.usage, "--since: not a date: '\(since)' (use YYYY-MM-DD)") }
      sinceTime = t
    }
    var nowTime: Int64?
    if let now {
      guard let t = UTC.parse(now) else { fail(.usage, "--now: not a date: '\(now)' (use YYYY-MM-DD)") }
      nowTime = t
    }
    let targets = outputTargets(formats)
    // Fail on an unwritable output before spending minutes on the scan.
    for (_, file) in targets { if let file { checkWritable(file) } }

    var only: Set<String>?
    if let analyzers {
      let ids = Set(analyzers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
      if let unknown = ids.subtracting(AnalyzerRegistry.ids).sorted().first {
        fail(.usage, "unknown analyzer '\(unknown)' (known: \(AnalyzerRegistry.ids.joined(separator: ", ")))")
      }
      only = ids
    }
    let options = ScanOptions(path: path, revision: rev, since: sinceTime, excludes: exclude.map(Glob.init), detectRenames: renames,
                              workers: workers, now: nowTime, rulesDirectory: rules, only: only)
    let progress = Progress(enabled: !quiet && isatty(2) == 1)
    let result: ScanResult
    do {
      result = try SalvageCore.Scanner(analyzers: AnalyzerRegistry.all).scan(options, progress: progress.update)
    } catch {
      progress.clear()
      switch error {
      case let .git(git):
        switch git.kind {
        case .noSuchPath: fail(.noSuchPath, git.message)
        case .notARepository: fail(.notARepository, git.message)
        case .unknownRevision: fail(.unknownRevision, git.message)
        case .unreadableObject: fail(.unreadableObject, "unreadable object: \(git.message)")
        case .other: fail(.gitError, git.message)
        }
      case .rules: fail(.badRules, error.description)
      case .analyzer: fail(.internalError, error.description)
      }
    }
    progress.clear()
    for (format, file) in targets {
      let color = file == nil && isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
      let text = format.renderer.render(result, color: color)
      if let file {
        do {
          try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        } catch {
          fail(.cannotWrite, "cannot write \(file): \(error.localizedDescription)")
        }
      } else {
        FileHandle.standardOutput.write(Data(text.utf8))
      }
    }
  }

  /// Where each format goes: stdout (nil) or a file.
  func outputTargets(_ formats: [OutputFormat]) -> [(OutputFormat, String?)] {
    if formats.count == 1 { return [(formats[0], output)] }
    let base = output ?? "salvage-report"
    return formats.map { ($0, "\(base).\($0.renderer.fileExtension)") }
  }

  func checkWritable(_ file: String) {
    let url = URL(fileURLWithPath: file)
    let folder = url.deletingLastPathComponent().path
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: file, isDirectory: &isDir) {
      if isDir.boolValue { fail(.cannotWrite, "cannot write \(file): it is a folder") }
      if !FileManager.default.isWritableFile(atPath: file) { fail(.cannotWrite, "cannot write \(file): permission denied") }
    } else if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) || !isDir.boolValue {
      fail(.cannotWrite, "cannot write \(file): no such folder \(folder)")
    } else if !FileManager.default.isWritableFile(atPath: folder) {
      fail(.cannotWrite, "cannot write \(file): permission denied")
    }
  }
}

/// One line on stderr, rewritten in place; only when stderr is a terminal.
final class Progress: @unchecked Sendable {
  let enabled: Bool
  private var last = ""
  private var lastKey = ""
  init(enabled: Bool) { self.enabled = enabled }

  func update(_ phase: SalvageCore.Scanner.Phase, _ done: Int, _ total: Int) {
    guard enabled else { return }
    let name: String
    switch phase {
    case .history: name = "history"
    case .tree: name = "tree"
    case .analysis: name = "analysis"
    }
    let width = 30
    let filled = total > 0 ? min(width, done * width / total) : width
    // Redraw only when the percentage moves: a terminal need not see every chunk.
    let percent = total > 0 ? done * 100 / total : 100
    let key = "\(name) \(percent)"
    guard key != lastKey else { return }
    lastKey = key
    let line = "\(name) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total)"
    guard line != last else { return }
    last = line
    FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
  }

  func clear() {
    guard enabled, !last.isEmpty else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}

func fail(_ code: Exit, _ message: String) -> Never {
  FileHandle.standardError.write(Data("salvage: \(message.split(separator: "\n").joined(separator: " "))\n".utf8))
  exit(code.rawValue)
}
