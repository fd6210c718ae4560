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

  public func analyze(_ context: ScanContext) throws -> AnalyzerResult {
    guard let change = context.change else {
      return AnalyzerResult(metrics: ["base": .null])
    }
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
    var untested: [JSONValue] = []
    for path in change.paths.sorted() {
      guard let file = inTip[path], file.fileClass == .source, added[path, default: 0] > 0 else { continue }
      let stem = Self.stem(path).lowercased()
      let hasTest = stem.count >= 2 && testStems.contains { $0.contains(stem) }
      if !changedTests && !hasTest {
        untested.append(.string(path))
        findings.append(Finding(
          analyzer: id, rule: "untested-change", key: path, severity: .medium,
          title: "Production code changed without tests",
          message: "\(path) gains \(added[path, default: 0]) lines in this change, but the change touches no test and no test file for it exists (by the language's naming convention).",
          location: Location(path: path, line: 1, commit: newest[path]?.id),
          evidence: ["added": .int(added[path, default: 0]), "deleted": .int(deleted[path, default: 0])]))
      }
    }
    var dependencyFiles: [JSONValue] = []
    for path in change.paths.sorted() {
      let name = Self.baseName(path)
      let isLockfile = context.classifier.classify(Array(path.utf8)) == .lockfile
      guard Self.manifestNames.contains(name) || name.hasSuffix(".csproj") || isLockfile else { continue }
      dependencyFiles.append(.string(path))
      findings.append(Finding(
        analyzer: id, rule: "dependency-change", key: path, severity: .low,
        title: isLockfile ? "Resolved dependencies changed" : "Declared dependencies changed",
        message: "\(path) changes in this pull request (+\(added[path, default: 0]) −\(deleted[path, default: 0]) lines): review the packages it adds or moves.",
        location: Location(path: path, line: 1, commit: newest[path]?.id),
        evidence: ["added": .int(added[path, default: 0]), "deleted": .int(deleted[path, default: 0]), "lockfile": .bool(isLockfile)]))
    }
    let metrics: JSONValue = [
      "base": .string(change.base),
      "mergeBase": change.mergeBase.map { .string($0.hex) } ?? .null,
      "commits": .int(change.commits.count),
      "files": .int(change.paths.count),
      "linesAdded": .int(added.values.reduce(0, +)),
      "linesDeleted": .int(deleted.values.reduce(0, +)),
      "testsChanged": .bool(changedTests),
      "untestedFiles": .array(untested),
      "dependencyFiles": .array(dependencyFiles),
    ]
    return AnalyzerResult(metrics: metrics, findings: findings)
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
