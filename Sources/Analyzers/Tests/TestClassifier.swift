import GlobEngine
import SalvageCore
import TOML

/// Tells test code from production code by each framework's conventions (`[[convention]]` of
/// `rules/tests.toml`) and by what the build files declare: SwiftPM test targets, Xcode test bundles,
/// .NET test projects, PHPUnit test suites.
struct TestClassifier: Sendable {
  enum Role: Sendable { case test, production, excluded }

  private let byLanguage: [String: GlobSet]
  private let codeLanguages: Set<String>
  private let excludedLanguages: Set<String>
  private let excludedPaths: GlobSet
  /// Folders (with trailing "/") that the build files declare as test code.
  let declaredFolders: [(folder: [UInt8], source: String)]

  init(rules: RuleSet, snapshot: Snapshot) throws(RuleError) {
    guard let table = rules.table("tests.toml") else { throw RuleError(file: "tests.toml", message: "missing") }
    var patterns: [String: [String]] = [:]
    for item in table["convention"]?.array ?? [] {
      guard let t = item.table, let languages = t["languages"]?.stringArray, let paths = t["paths"]?.stringArray else {
        throw RuleError(file: "tests.toml", line: item.table?.line, message: "each [[convention]] needs languages and paths")
      }
      for language in languages { patterns[language, default: []] += paths }
    }
    byLanguage = patterns.mapValues { GlobSet($0, case: .sensitive, anchoring: .anyDepth) }
    codeLanguages = Set(rules.table("languages.toml")?["code"]?.table?["languages"]?.stringArray ?? [])
    let counting = table["counting"]?.table
    excludedLanguages = Set(counting?["exclude_languages"]?.stringArray ?? [])
    excludedPaths = GlobSet(counting?["exclude_paths"]?.stringArray ?? [], case: .sensitive, anchoring: .anyDepth)
    let ci = try ContinuousIntegration(table: table)
    declaredFolders = Self.declaredTestFolders(snapshot) { !ci.testCommands(in: $0).isEmpty }
  }

  /// Whether a file (by path, language and the core classifier's class) is test code, production code, or
  /// neither (vendored, generated, docs, data, markup). The class is asked for only when the language is code.
  func role(path: [UInt8], language: String?, fileClass: @autoclosure () -> FileClass) -> Role {
    guard let language, codeLanguages.contains(language), !excludedLanguages.contains(language) else { return .excluded }
    let fileClass = fileClass()
    guard fileClass == .source || fileClass == .test else { return .excluded }
    if excludedPaths.matches(path) { return .excluded }
    if declaredFolders.contains(where: { path.starts(with: $0.folder) }) { return .test }
    if let patterns = byLanguage[language], patterns.matches(path) { return .test }
    return .production
  }

  private static func declaredTestFolders(_ snapshot: Snapshot, runsTests: (String) -> Bool) -> [(folder: [UInt8], source: String)] {
    var out: [(folder: [UInt8], source: String)] = []
    func join(_ base: [UInt8], _ rest: String) -> [UInt8] {
      var r = rest
      while r.hasPrefix("./") { r.removeFirst(2) }
      if !r.isEmpty, !r.hasSuffix("/") { r += "/" }
      if r.isEmpty { return base + [UInt8(ascii: "/")] }
      return base.isEmpty ? Array(r.utf8) : base + [UInt8(ascii: "/")] + Array(r.utf8)
    }
    for file in snapshot.files where file.hasContent {
      let slash = file.path.lastIndex(of: UInt8(ascii: "/"))
      let name = String(decoding: slash.map { file.path[($0 + 1)...] } ?? file.path[...], as: UTF8.self)
      // Only build files are read (a warm scan reads the bytes of no other file).
      guard Self.declaresTests(name), let content = file.content else { continue }
      let folder = slash.map { Array(file.path[..<$0]) } ?? []
      switch name {
      case "Package.swift":
        for target in SwiftPM.testTargets(String(decoding: content, as: UTF8.self)) {
          out.append((join(folder, target.path ?? "Tests/" + target.name), "test target \(target.name) in \(file.displayPath)"))
        }
      case "project.pbxproj":
        let text = String(decoding: content, as: UTF8.self)
        guard text.contains("com.apple.product-type.bundle.unit-test") || text.contains("com.apple.product-type.bundle.ui-testing") else { continue }
        let bundleParent = ManifestCatalog.folder(of: file.path, outsideBundle: true)
        var targetName: String?
        for raw in text.split(separator: "\n") {
          let line = raw.trimmingSpaces()
          if line.hasPrefix("isa = ") { targetName = nil }
          if line.hasPrefix("name = ") { targetName = String(line.dropFirst(7).dropLast()).trimmingQuotes() }
          if line.hasPrefix("productType = "), line.contains("unit-test") || line.contains("ui-testing"), let n = targetName {
            out.append((join(bundleParent, n), "Xcode test bundle \(n) in \(file.displayPath)"))
          }
        }
      case "phpunit.xml", "phpunit.xml.dist":
        guard let root = try? MarkupDocument.parse(content) else { continue }
        for directory in root.descendants("testsuite").flatMap({ $0.all("directory") }) {
          let d = directory.text.trimmingSpaces()
          if !d.isEmpty { out.append((join(folder, d), "PHPUnit test suite in \(file.displayPath)")) }
        }
      case "package.json":
        if let package = try? JSONDocument.parse(content, lenient: true), Self.isEndToEndSuite(package, runsTests: runsTests) {
          out.append((join(folder, ""), "end-to-end test package \(package["name"]?.string ?? file.displayPath) (its scripts only run tests)"))
        }
      default:
        guard name.hasSuffix(".csproj") || name.hasSuffix(".fsproj") || name.hasSuffix(".vbproj") else { continue }
        let text = String(decoding: content, as: UTF8.self)
        if text.contains("Microsoft.NET.Test.Sdk") || text.contains("<IsTestProject>true") {
          out.append((join(folder, ""), ".NET test project \(file.displayPath)"))
        }
      }
    }
    return out.filter { !$0.folder.isEmpty && $0.folder != [UInt8(ascii: "/")] }.sorted { $0.folder.lexicographicallyPrecedes($1.folder) }
  }

  /// A JavaScript workspace package that is an end-to-end suite of its own (documenso's app-tests): every
  /// script it has runs tests (besides housekeeping: clean, lint, format, typecheck), one of them an
  /// end-to-end runner, and it neither builds nor starts anything. Its helpers and fixtures are test code,
  /// and it tests the other packages rather than code of its own. A library whose only script runs its
  /// unit tests is not one: its runner is not an end-to-end one.
  static func isEndToEndSuite(_ package: JSONNode, runsTests: (String) -> Bool) -> Bool {
    guard package["bin"] == nil, let scripts = package["scripts"]?.pairs, !scripts.isEmpty else { return false }
    let housekeeping = ["clean", "lint", "format", "typecheck", "type-check", "types", "prepare", "postinstall", "install"]
    var endToEnd = false
    for (name, node) in scripts {
      let text = node.string ?? ""
      if housekeeping.contains(where: { name == $0 || name.hasPrefix($0 + ":") }) { continue }
      guard runsTests(text) else { return false }
      if ["playwright test", "cypress run", "wdio run", "testcafe", "nightwatch", "detox test"].contains(where: text.contains) { endToEnd = true }
    }
    return endToEnd
  }

  /// The build files that can declare test folders.
  private static func declaresTests(_ name: String) -> Bool {
    ["Package.swift", "project.pbxproj", "phpunit.xml", "phpunit.xml.dist", "package.json"].contains(name)
      || name.hasSuffix(".csproj") || name.hasSuffix(".fsproj") || name.hasSuffix(".vbproj")
  }
}
