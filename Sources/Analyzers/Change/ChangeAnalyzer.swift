import SalvageCore

/// CI mode (`--base`): what the change under review touches. Production code changed with no test
/// change and no test file for it, and manifests or lockfiles changed. Without `--base` it reports
/// nothing.
public struct ChangeAnalyzer: Analyzer {
  public let id = "change"
  public init() {}

  static let manifestNames: Set<String> = [
    "package.json", "requirements.txt", "pyproject.toml", "Pipfile", "setup.py", "setup.cfg", "go.mod", "Cargo.toml", "pom.xml",
    "build.gradle", "build.gradle.kts", "Gemfile", "composer.json", "Package.swift", "Podfile", "Cartfile", "pubspec.yaml",
    "mix.exs", "conanfile.txt", "conanfile.py", "vcpkg.json", "packages.config",
  ]

  public func compile(_ rules: RuleSet) {}

  public func analyze(_ input: AnalysisInput, _ rules: Void) -> Analysis<ChangeOutput> {
    let context = input.context
    guard let change = context.change else { return Analysis(ChangeOutput(change: nil)) }
    let history = context.history
    // Per path: lines added and deleted by the change, and its newest commit.
    var added: [String: Int] = [:], deleted: [String: Int] = [:], newest: [String: (time: Int64, id: String)] = [:]
    for index in change.commits.sorted() {
      let commit = history.commits[index]
      for c in history.changes(of: commit) {
        let path = history.paths.display(c.path)
        added[path, default: 0] += Int(c.added)
        deleted[path, default: 0] += Int(c.deleted)
        if newest[path].map({ commit.committerTime > $0.time }) ?? true { newest[path] = (commit.committerTime, commit.id.hex) }
      }
    }
    let inTip = Dictionary(context.snapshot.files.map { ($0.displayPath, $0) }, uniquingKeysWith: { a, _ in a })
    let testStems = context.snapshot.files.filter { $0.fileClass == .test }.map { Self.baseName($0.displayPath).lowercased() }
    let changedTests = change.paths.contains { inTip[$0]?.fileClass == .test || context.classifier.classify(Array($0.utf8)) == .test }

    var findings: [Finding] = []
    var untested: [String] = []
    for path in change.paths.sorted() {
      guard let file = inTip[path], file.fileClass == .source, added[path, default: 0] > 0 else { continue }
      let stem = Self.stem(path).lowercased()
      let hasTest = stem.count >= 2 && testStems.contains { $0.contains(stem) }
      if !changedTests && !hasTest {
        untested.append(path)
        findings.append(Finding(
          analyzer: id, rule: "untested-change", key: path, severity: .medium,
          title: "Production code changed without tests",
          message: "\(path) gains \(added[path, default: 0]) lines in this change, but the change touches no test and no test file for it exists (by the language's naming convention).",
          location: Location(path: path, line: 1, commit: newest[path]?.id),
          evidence: ChangeOutput.LinesEvidence(added: added[path, default: 0], deleted: deleted[path, default: 0])))
      }
    }
    var dependencyFiles: [String] = []
    for path in change.paths.sorted() {
      let name = Self.baseName(path)
      let isLockfile = context.classifier.classify(Array(path.utf8)) == .lockfile
      guard Self.manifestNames.contains(name) || name.hasSuffix(".csproj") || isLockfile else { continue }
      dependencyFiles.append(path)
      findings.append(Finding(
        analyzer: id, rule: "dependency-change", key: path, severity: .low,
        title: isLockfile ? "Resolved dependencies changed" : "Declared dependencies changed",
        message: "\(path) changes in this pull request (+\(added[path, default: 0]) −\(deleted[path, default: 0]) lines): review the packages it adds or moves.",
        location: Location(path: path, line: 1, commit: newest[path]?.id),
        evidence: ChangeOutput.DependencyEvidence(added: added[path, default: 0], deleted: deleted[path, default: 0], lockfile: isLockfile)))
    }
    let output = ChangeOutput(change: .init(
      base: change.base, mergeBase: change.mergeBase?.hex, commits: change.commits.count, files: change.paths.count,
      linesAdded: added.values.reduce(0, +), linesDeleted: deleted.values.reduce(0, +), testsChanged: changedTests,
      untestedFiles: untested, dependencyFiles: dependencyFiles))
    return Analysis(output, findings: findings)
  }

  static func baseName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }

  /// `src/user_service.py` → `user_service`.
  static func stem(_ path: String) -> String {
    let name = baseName(path)
    guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return name }
    return String(name[..<dot])
  }
}

/// `analyzers.change`: what the change under review (`--base`) touches; `{"base": null}` without one.
public struct ChangeOutput: AnalyzerOutput {
  public struct Figures: Encodable, Sendable {
    public let base: String
    public let mergeBase: String?
    public let commits: Int
    public let files: Int
    public let linesAdded: Int
    public let linesDeleted: Int
    public let testsChanged: Bool
    public let untestedFiles: [String]
    public let dependencyFiles: [String]
  }

  /// Nil outside CI mode.
  public let change: Figures?

  private enum CodingKeys: String, CodingKey { case base }

  public func encode(to encoder: any Encoder) throws {
    if let change { return try change.encode(to: encoder) }
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeNil(forKey: .base)
  }
}

extension ChangeOutput {
  /// The evidence of an `untested-change` finding: the path's lines in the change.
  public struct LinesEvidence: FindingEvidence {
    public let added: Int
    public let deleted: Int
  }

  /// The evidence of a `dependency-change` finding.
  public struct DependencyEvidence: FindingEvidence {
    public let added: Int
    public let deleted: Int
    public let lockfile: Bool
  }
}
