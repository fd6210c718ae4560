import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
  private let systemWrite = Glibc.write
#elseif canImport(Musl)
  import Musl
  private let systemWrite = Musl.write
#elseif canImport(Darwin)
  import Darwin
  private let systemWrite = Darwin.write
#endif
import Analyzers
import Git
import GlobEngine
import Matcher
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
    subcommands: [Scan.self, BaselineCommand.self, Numstat.self, LineOriginsCommand.self],
    defaultSubcommand: Scan.self
  )

  /// ArgumentParser's own errors run to three or four lines (error, help, usage); a usage error here is
  /// one line, `salvage: …`, exit 64, like every other error. Help and version requests print as usual.
  static func main() {
    var command: any ParsableCommand
    do {
      command = try parseAsRoot()
    } catch {
      guard exitCode(for: error) != .success else { exit(withError: error) }
      var text = message(for: error).split(separator: "\n").first.map(String.init) ?? "bad usage"
      if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
      fail(.usage, text + " (see salvage --help)")
    }
    do {
      try command.run()
    } catch {
      exit(withError: error)
    }
  }
}

struct Scan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Scan a repository and write the report.",
    discussion: """
      Exit codes: 0 done; 1 findings at or above --fail-on; 2 no such path; 3 not a git repository; 4 unknown revision; 5 unreadable \
      (corrupt or missing) object; 6 cannot write the output; 7 bad rules or configuration; 8 other git \
      error; 64 bad usage; 70 internal error.
      """
  )

  @OptionGroup var scope: ScanScope

  @Option(name: .shortAndLong, help: "Output formats, comma-separated: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: String = "text"

  @Option(name: .shortAndLong, help: "Write the report to this file (with several formats: this base name plus each format's extension).")
  var output: String?

  @Option(help: "Only commits from this date on (YYYY-MM-DD or ISO 8601).")
  var since: String?

  @Option(help: "Leave out paths matching this glob (repeatable).")
  var exclude: [String] = []

  @Flag(help: "Detect renames in history (as git log -M).")
  var renames = false

  @Option(help: "Worker threads for the history pass (default: all cores).")
  var workers: Int = 0

  @Option(help: "Run only these analyzers, comma-separated (default: all of \(AnalyzerRegistry.ids.joined(separator: ", ")) but \(AnalyzerRegistry.optIn.sorted().joined(separator: ", "))).")
  var analyzers: String?

  @Flag(help: "Follow every line through the history (the lines analyzer: surviving lines per person, code age, line-level rework); slower first scan.")
  var lines = false

  @Option(help: "A baseline file (from `salvage baseline`): its findings are reported as accepted.")
  var baseline: String?

  @Option(help: "Exit with code 1 when a finding of this severity or above is reported (info, low, medium, high, critical).")
  var failOn: String?

  func run() throws {
    var formats: [OutputFormat] = []
    for name in format.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
      guard let f = OutputFormat(rawValue: name) else { fail(.usage, "unknown format '\(name)' (known: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")))") }
      if !formats.contains(f) { formats.append(f) }
    }
    if formats.isEmpty { fail(.usage, "--format needs at least one format") }
    var threshold: Severity?
    if let failOn {
      guard let s = Severity(rawValue: failOn.lowercased()) else {
        fail(.usage, "--fail-on: unknown severity '\(failOn)' (known: \(Severity.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      threshold = s
    }
    let targets = outputTargets(formats)
    // Fail on an unwritable output or a broken report.toml before spending minutes on the scan.
    for (_, file) in targets { if let file { Self.checkWritable(file) } }
    do {
      _ = try RiskRules(try RuleSet.load(overrides: scope.rules))
    } catch {
      fail(.badRules, error.description)
    }
    let result = runScan(common: ScanInputs(path: scope.path, rev: scope.rev, since: since, exclude: exclude, renames: renames,
                                            rules: scope.rules, now: scope.now, analyzers: analyzers, lines: lines, workers: workers, base: scope.base,
                                            baseline: baseline, noConfig: scope.noConfig, noCache: scope.noCache, quiet: scope.quiet,
                                            strict: scope.strict, mergeIdentities: !scope.noMergeIdentities,
                                            advisories: scope.advisories))
    if result.regexLimitHits > 0, !scope.quiet {
      FileHandle.standardError.write(Data(("salvage: note: \(result.regexLimitHits) regular-expression matches stopped at PCRE2's work "
        + "limit and were taken as no match (a pattern of the rules or .salvage.toml backtracks too much)\n").utf8))
    }
    if result.context.history.clampedTimes > 0, !scope.quiet {
      FileHandle.standardError.write(Data(("salvage: note: \(result.context.history.clampedTimes) commit or tag dates before 1970 or more "
        + "than a year past the scan's now were clamped into that range\n").utf8))
    }
    if result.acceptedByFormerID > 0, !scope.quiet {
      FileHandle.standardError.write(Data(("salvage: note: \(result.acceptedByFormerID) accepted findings matched the baseline by the "
        + "fingerprints of an earlier version (keyed by the root commit id, which reports print); they are still accepted. "
        + "Run `salvage baseline` again to write the current fingerprints\n").utf8))
    }
    let clock = PhaseClock()
    // The risk model runs here, once, whatever the number of formats. The rules are compiled again
    // because the repository's .salvage.toml may lay thresholds or rule files over report.toml.
    let report: ReportModel
    do {
      report = try ReportModel(result)
    } catch {
      let config = result.context.config
      var from: [String] = []
      if config.thresholds[RiskRules.fileName] != nil { from.append("[thresholds.\"\(RiskRules.fileName)\"]") }
      if let extra = config.extraRules { from.append("the rules folder \(extra)") }
      fail(.badRules, error.description + (from.isEmpty ? "" : " (with \(from.joined(separator: " and ")) of the repository's \(RepoConfig.fileName) laid over it)"),
           redactor: SecretsAnalyzer.redactor(result.context.rules))
    }
    clock.mark("report: assess and build the document")
    for (format, file) in targets {
      let color = file == nil && isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
      write(to: file) { sink in format.renderer.render(report, color: color, to: sink) }
      clock.mark("render and write \(format.rawValue)")
    }
    if formats.contains(.github), let summary = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
      appendJobSummary(JobSummary.render(report), to: summary)
    }
    var code = Exit.ok
    if let threshold = threshold ?? result.context.config.failOn,
       report.activeFindings.contains(where: { $0.severity >= threshold }) {
      code = .findings
    }
    // Everything is written: end here, rather than free the scan's hundreds of megabytes piece by piece
    // (a tenth of a warm scan's time on a large repository).
    Foundation.exit(code.rawValue)
  }

  /// Where each format goes: stdout (nil) or a file.
  func outputTargets(_ formats: [OutputFormat]) -> [(OutputFormat, String?)] {
    if formats.count == 1 { return [(formats[0], output)] }
    let base = output ?? "salvage-report"
    // Workflow commands only work on the step's output: annotations always go to stdout.
    return formats.map { ($0, $0 == .github ? nil : "\(base).\($0.renderer.fileExtension)") }
  }

  static func checkWritable(_ file: String) {
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

/// What to scan and how: the arguments `scan` and `baseline` share.
struct ScanScope: ParsableArguments {
  @Argument(help: "The repository to scan (work tree top level, .git folder, or bare repository).")
  var path: String = "."

  @Option(help: "The commit to scan instead of HEAD (branch, tag, id, expression).")
  var rev: String?

  @Option(help: "Pin \"now\" for every age figure: a date, or last-commit (default: today, UTC; $SOURCE_DATE_EPOCH when set).")
  var now: String?

  @Option(help: "A folder of rule files (.toml) laid over the built-in rules.")
  var rules: String?

  @Option(help: "CI mode: only what the commits in merge-base(BASE, tip)..tip introduce (e.g. origin/main).")
  var base: String?

  @Flag(help: "Ignore the repository's .salvage.toml.")
  var noConfig = false

  @Flag(help: "Do not merge the identities one person committed under (GitHub noreply logins, the same name with the same local part or with one address after the other); .mailmap still applies.")
  var noMergeIdentities = false

  @Flag(help: "A blob missing from the object store is an error (exit 5) instead of a limitation listed in the report.")
  var strict = false

  @Flag(help: "Neither read nor write the history cache (kept in $SALVAGE_CACHE_DIR, $XDG_CACHE_HOME/salvage or ~/.cache/salvage).")
  var noCache = false

  @Flag(name: .shortAndLong, help: "No progress on stderr.")
  var quiet = false

  @Option(help: ArgumentHelp("OSV advisories to match the lockfiles against: a folder of .json records or an osv.dev all.zip (never fetched).", valueName: "path"))
  var advisories: String?
}

/// The options `scan` and `baseline` share, resolved.
struct ScanInputs {
  var path: String
  var rev: String?
  var since: String?
  var exclude: [String]
  var renames: Bool
  var rules: String?
  var now: String?
  var analyzers: String?
  var lines: Bool = false
  var workers: Int
  var base: String?
  var baseline: String?
  var noConfig: Bool
  var noCache: Bool = false
  var quiet: Bool
  var strict: Bool = false
  var mergeIdentities: Bool = true
  var advisories: String? = nil
}

/// Runs the scan, turning every failure into its one-line error and exit code.
func runScan(common c: ScanInputs) -> ScanResult {
  var sinceTime: Int64?
  if let since = c.since {
    guard let t = UTC.parse(since) else { fail(.usage, "--since: not a date: '\(since)' (use YYYY-MM-DD)") }
    sinceTime = t
  }
  // A report is dated: by default "now" is the day of the scan (its last second, UTC, so that the same
  // repository gives the same bytes all day and no commit of the day lies in the future).
  var nowTime: Int64?
  switch c.now {
  case "last-commit":
    nowTime = nil
  case let now?:
    guard let t = UTC.parse(now) else { fail(.usage, "--now: not a date: '\(now)' (use YYYY-MM-DD or last-commit)") }
    nowTime = t
  case nil:
    if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], !epoch.isEmpty {
      guard let t = Int64(epoch) else { fail(.usage, "SOURCE_DATE_EPOCH: not a number of seconds: '\(epoch)'") }
      nowTime = t
    } else {
      nowTime = UTC.endOfDay(Int64(Date().timeIntervalSince1970))
    }
  }
  var only: Set<String>?
  if let analyzers = c.analyzers {
    let ids = Set(analyzers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    if let unknown = ids.subtracting(AnalyzerRegistry.ids).sorted().first {
      fail(.usage, "unknown analyzer '\(unknown)' (known: \(AnalyzerRegistry.ids.joined(separator: ", ")))")
    }
    only = ids.union(c.lines ? ["lines"] : [])
  } else {
    // Opt-in analyzers (line tracking: its first scan costs several times the history pass) run only
    // when named or asked for.
    only = Set(AnalyzerRegistry.ids).subtracting(c.lines ? [] : AnalyzerRegistry.optIn)
  }
  var accepted = Set<String>()
  if let file = c.baseline {
    guard let data = FileManager.default.contents(atPath: file) else { fail(.badRules, "cannot read the baseline \(file)") }
    do {
      accepted = try Baseline.parse(Array(data), file: file)
    } catch {
      fail(.badRules, error.description)
    }
  }
  var options = ScanOptions(path: c.path, revision: c.rev, since: sinceTime, excludes: c.exclude.map { Glob($0, case: .sensitive, anchoring: .anyDepth) }, detectRenames: c.renames,
                            workers: c.workers, now: nowTime, rulesDirectory: c.rules, only: only, base: c.base, baseline: accepted,
                            readRepoConfig: !c.noConfig, useCache: !c.noCache, strict: c.strict,
                            mergeIdentities: c.mergeIdentities)
  if let advisories = c.advisories {
    guard FileManager.default.isReadableFile(atPath: advisories) else { fail(.noSuchPath, "--advisories: no such file or folder, or not readable: \(advisories)") }
    options.advisories = advisories
  }
  // The folder's name and the revision asked for: in CI a revision is often a pull request's branch,
  // which anyone can name.
  let scanned = c.path.split(separator: "/").last.map(String.init) ?? c.path
  let progress = Progress(enabled: !c.quiet && isatty(2) == 1, label: OutputText(repository: scanned + (c.rev.map { "@" + $0 } ?? "")))
  do {
    let result = try SalvageCore.Scanner(analyzers: AnalyzerRegistry.all, startOrder: AnalyzerRegistry.startOrder).scan(options, progress: progress.update)
    progress.clear()
    return result
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
    case .rules, .config: fail(.badRules, error.description)
    case .analyzer: fail(.internalError, error.description)
    }
  }
}

/// Writes what `produce` hands over, piece by piece as it comes, without another copy of a report that
/// can run to tens of megabytes.
func write(to file: String?, _ produce: ((UnsafeRawBufferPointer) -> Void) -> Void) {
  let target = file ?? "stdout"
  let fd = file.map { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) } ?? STDOUT_FILENO
  guard fd >= 0 else { fail(.cannotWrite, "cannot write \(target): \(String(cString: strerror(errno)))") }
  var error: Int32 = 0
  produce { piece in
    var done = 0
    while error == 0, done < piece.count {
      let n = systemWrite(fd, piece.baseAddress! + done, piece.count - done)
      if n < 0, errno == EINTR { continue }
      if n <= 0 { error = n < 0 ? errno : EIO } else { done += n }
    }
  }
  if file != nil, close(fd) != 0, error == 0 { error = errno }
  if error != 0 { fail(.cannotWrite, "cannot write \(target): \(String(cString: strerror(error)))") }
}

/// Writes the bytes as they are.
func write(_ bytes: [UInt8], to file: String?) {
  write(to: file) { sink in bytes.withUnsafeBytes(sink) }
}

func appendJobSummary(_ text: String, to file: String) {
  guard let handle = FileHandle(forWritingAtPath: file) ?? {
    _ = FileManager.default.createFile(atPath: file, contents: nil)
    return FileHandle(forWritingAtPath: file)
  }() else {
    fail(.cannotWrite, "cannot write the job summary \(file)")
  }
  handle.seekToEndOfFile()
  handle.write(Data(text.utf8))
  handle.closeFile()
}

/// `salvage baseline`: accept every current finding.
struct BaselineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "baseline",
    abstract: "Write the current findings' fingerprints to a baseline file; later scans with --baseline report them as accepted.")

  @OptionGroup var scope: ScanScope

  @Option(name: .shortAndLong, help: "The baseline file to write.")
  var output: String = ".salvage-baseline.json"

  func run() throws {
    Scan.checkWritable(output)
    let result = runScan(common: ScanInputs(path: scope.path, rev: scope.rev, since: nil, exclude: [], renames: false, rules: scope.rules,
                                            now: scope.now, analyzers: nil, workers: 0, base: scope.base, baseline: nil, noConfig: scope.noConfig,
                                            noCache: scope.noCache, quiet: scope.quiet, strict: scope.strict,
                                            mergeIdentities: !scope.noMergeIdentities, advisories: scope.advisories))
    write(Array(Baseline.render(result.findings, redactor: SecretsAnalyzer.redactor(result.context.rules)).utf8), to: output)
    FileHandle.standardError.write(Data("salvage: \(result.findings.count) findings accepted in \(output)\n".utf8))
  }
}

/// One line on stderr, rewritten in place; only when stderr is a terminal. The label (repository text)
/// is printed only as `OutputText` renders it for a terminal: redacted, controls made visible.
final class Progress: @unchecked Sendable {
  let enabled: Bool
  let label: String
  private var last = ""
  private var lastKey = ""
  init(enabled: Bool, label: OutputText) {
    self.enabled = enabled
    self.label = label.rendered(for: .terminal, by: .shapes)
  }

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
    let line = "\(label): \(name) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total)"
    guard line != last else { return }
    last = line
    FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
  }

  func clear() {
    guard enabled, !last.isEmpty else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}

/// `redactor`: the scan's, once there is one (a message may quote its repository's text); before a scan
/// its rules are unknown and the built-in credential shapes are redacted.
func fail(_ code: Exit, _ message: String, redactor: Redactor = .shapes) -> Never {
  // One line, no credential shape (a message may quote a file or a ref), and no control or format
  // character of an argument or a file reaches the terminal or log.
  let line = String(String.UnicodeScalarView(redactor.redact(message).split(separator: "\n").joined(separator: " ").unicodeScalars.map { scalar in
    scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format ? "?" : scalar
  }))
  FileHandle.standardError.write(Data("salvage: \(line)\n".utf8))
  exit(code.rawValue)
}
