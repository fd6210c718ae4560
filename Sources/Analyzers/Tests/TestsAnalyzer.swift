import Foundation
import GlobEngine
import SalvageCore
import TOML

/// How safe it is to change this code, without running anything: test versus production code (a proxy
/// for coverage, after SIG), frameworks, CI that runs tests on pull requests, committed coverage reports
/// and their age, how tests evolve with the code, and the riskiest files without a test.
public struct TestsAnalyzer: Analyzer {
  public let id = "tests"
  public init() {}

  /// Frameworks are found in manifests too; untested hotspots are ranked by per-path revisions.
  /// The hotspot model gives the rank and lines of code a finding quotes, so that a file is the same
  /// hotspot with the same size in every section of the report.
  public var inputs: [any ScanModel.Type] { [TipPaths.self, InventoryAnalyzer.PathTotals.self, DependencyInventory.self, HotspotAnalyzer.Model.self] }

  /// `tests.toml`, read strictly.
  public struct Rules: Sendable {
    let rules: RuleSet
    let table: TOMLTable
    /// `[[naming]]`: the test files each language's convention expects, by language.
    let naming: [String: Naming]
    let coverage: Coverage
    let staleDays: Int
    let hotspotCount: Int
    let lowRatio: Double
    let minCommits: Int
    let lowCoEvolution: Double
  }

  public func compile(_ rules: RuleSet) throws -> Rules {
    let reader = try RuleReader(rules, file: "tests.toml", required: true)
    try Self.checkKeys(reader)
    // The conventions and CI rules are checked here too, before any git work.
    _ = try TestClassifier(rules: rules, snapshot: Snapshot(files: []))
    _ = try ContinuousIntegration(table: reader.table)
    return Rules(
      rules: rules, table: reader.table, naming: try Self.namingRules(reader), coverage: try Coverage(reader),
      staleDays: try reader.int("counting", "stale_days", 90, min: 0), hotspotCount: try reader.int("counting", "hotspots", 10, min: 0),
      lowRatio: try reader.double("counting", "low_ratio", 0.2, range: 0...1000),
      minCommits: try reader.int("counting", "min_commits", 20, min: 0),
      lowCoEvolution: try reader.double("counting", "low_co_evolution", 0.2, range: 0...1))
  }

  /// The keys every table of tests.toml may hold (`[examples]` are run by the suite), whoever reads them:
  /// the classifier, the CI and framework detection, and this analyzer; and the kinds of the values
  /// those read as they go (a framework without a name, or a marker without its `:`, was skipped).
  static func checkKeys(_ reader: RuleReader) throws(RuleError) {
    try reader.check(known: ["examples", "counting", "convention", "naming", "framework", "commands", "ci", "coverage"])
    try reader.check(known: ["cases"], in: "examples")
    try reader.check(known: ["exclude_languages", "exclude_paths", "low_ratio", "low_co_evolution", "min_commits", "hotspots", "stale_days"],
                     in: "counting")
    try reader.check(known: ["tests"], in: "commands")
    try reader.check(known: ["config_files", "config_markers", "reports"], in: "coverage")
    for (list, keys) in [("convention", ["framework", "languages", "paths"]), ("naming", ["languages", "tests", "inline"]),
                         ("framework", ["name", "language", "imports", "packages", "files", "markers", "scan_all"]),
                         ("ci", ["system", "paths", "pull_requests", "pr_off"])] {
      for entry in try reader.tables(reader.table, list) { try reader.check(entry, known: keys) }
    }
    _ = try reader.strings("exclude_languages", section: "counting")
    _ = try reader.strings("exclude_paths", section: "counting")
    for entry in try reader.tables(reader.table, "framework") {
      _ = try reader.string(entry, "name")
      _ = try reader.string(entry, "language")
      for key in ["files", "packages", "imports"] { _ = try reader.strings(entry, key) }
      _ = try reader.bool(entry, "scan_all", default: false)
      if let marker = try reader.strings(entry, "markers").first(where: { !$0.contains(":") }) {
        throw reader.error(entry, "markers", "holds '\(marker)', not file-glob:text")
      }
    }
    for entry in try reader.tables(reader.table, "ci") {
      _ = try reader.string(entry, "pull_requests", default: "default")
      _ = try reader.strings(entry, "pr_off")
    }
    if let coverage = try reader.optionalTable(reader.table, "coverage") {
      for report in try reader.tables(coverage, "reports") { try reader.check(report, known: ["glob", "format"]) }
    }
  }

  public func blobFactExtractors(_ rules: Rules) -> [String: any BlobFactExtractor] {
    [TestFrameworks.Imports.name: TestFrameworks.Imports(table: rules.table)]
  }

  struct Counts {
    var testFiles = 0, testLines = 0, productionFiles = 0, productionLines = 0
    var ratio: Double? { productionLines > 0 ? Double(testLines) / Double(productionLines) : nil }
  }

  public func analyze(_ input: AnalysisInput, _ rules: Rules) throws -> Analysis<TestsOutput> {
    let context = input.context, table = rules.table
    let classifier = try TestClassifier(rules: rules.rules, snapshot: context.snapshot)
    var findings: [Finding] = []

    let tip = try input.model(TipPaths.self)
    let files = context.snapshot.files
    let pathTotals = try input.model(InventoryAnalyzer.PathTotals.self).totals
    let code = Self.codeCounts(classifier, files, tip)
    let (total, byLanguage, byComponent, testFiles) = (code.total, code.byLanguage, code.byComponent, code.testFiles)

    // Frameworks, from manifests, configuration and imports.
    let manifests = try input.model(DependencyInventory.self).manifests
    let frameworks = TestFrameworks.detect(table: table, snapshot: context.snapshot, manifests: manifests, testFiles: testFiles)

    // CI.
    let integration = try ContinuousIntegration(table: table)
    let ci = integration.detect(context.snapshot)

    let (coverageConfig, reports) = rules.coverage.files(context.snapshot)
    let coevolution = Self.coEvolution(context, classifier, tip)
    let reportList = coverageReports(reports, context, pathTotals: pathTotals, coevolution: coevolution, staleDays: rules.staleDays,
                                     findings: &findings)
    let hotspotList = untestedHotspots(code, files, tip, pathTotals: pathTotals, hotspots: try input.model(HotspotAnalyzer.Model.self), naming: rules.naming,
                                       count: rules.hotspotCount, findings: &findings)
    totalsFindings(total, ci: ci, coevolution: coevolution, rules: rules, findings: &findings)

    let output = TestsOutput(
      counts: TestsOutput.CodeCounts(total),
      languages: byLanguage.keys.sorted().map { .init(language: $0, counts: .init(byLanguage[$0]!)) },
      declaredTestFolders: classifier.declaredFolders.map { .init(path: PathText.display($0.folder), source: $0.source) },
      frameworks: frameworks.map { .init(name: $0.name, language: $0.language, evidence: $0.evidence) },
      ci: ci.map { c in
        .init(path: c.path, system: c.system, runsTests: c.runsTests, testCommands: c.testCommands,
              runsTestsOnPullRequests: c.runsTestsOnPullRequests, basis: c.basis)
      },
      coverageConfig: coverageConfig.sorted(), coverageReports: reportList,
      coEvolution: .init(
        productionCommits: coevolution.productionCommits, withTests: coevolution.withTests, share: coevolution.share.map { Figures.rounded($0) },
        byYear: coevolution.periods.map { p in
          .init(year: p.year, productionCommits: p.productionCommits, withTests: p.withTests,
                share: Figures.rounded(Double(p.withTests) / Double(max(1, p.productionCommits))))
        }),
      hotspots: hotspotList)
    let components = byComponent.mapValues(TestsOutput.CodeCounts.init)
    var analysis = Analysis(output, findings: findings, components: components)
    analysis.regexLimitHits = integration.regexLimitHits
    return analysis
  }

  /// Test and production code in the tip, in total, per language and per component.
  struct CodeCounts {
    var total = Counts()
    var byLanguage: [String: Counts] = [:]
    var byComponent: [String: Counts] = [:]
    var testFiles: [SnapshotFile] = []
    /// Snapshot indexes.
    var productionFiles: [Int] = []
  }

  static func codeCounts(_ classifier: TestClassifier, _ files: [SnapshotFile], _ tip: TipPaths) -> CodeCounts {
    var total = Counts()
    var byLanguage: [String: Counts] = [:]
    var byComponent: [String: Counts] = [:]
    var testFiles: [SnapshotFile] = []
    // Snapshot indexes: the files are read in place, through a buffer pointer, rather than each taken
    // (a retain and a release of an object the analyzers on the other core share).
    var productionFiles: [Int] = []
    files.withUnsafeBufferPointer { files in
      for n in files.indices {
        let role = classifier.role(path: files[n].path, language: files[n].language, fileClass: files[n].fileClass)
        guard role != .excluded, let language = files[n].language else { continue }
        let component = tip.components[n], lines = files[n].lines
        if role == .test {
          testFiles.append(files[n])
          let add = { (c: inout Counts) in c.testFiles += 1; c.testLines += lines }
          add(&total); add(&byLanguage[language, default: Counts()]); add(&byComponent[component, default: Counts()])
        } else {
          productionFiles.append(n)
          let add = { (c: inout Counts) in c.productionFiles += 1; c.productionLines += lines }
          add(&total); add(&byLanguage[language, default: Counts()]); add(&byComponent[component, default: Counts()])
        }
      }
    }
    return CodeCounts(total: total, byLanguage: byLanguage, byComponent: byComponent, testFiles: testFiles, productionFiles: productionFiles)
  }

  /// `[coverage]` of tests.toml, read strictly: what marks coverage as configured, and the committed
  /// reports' names and formats.
  struct Coverage: Sendable {
    let configFiles: GlobSet
    let configMarkers: [(files: GlobSet, text: [UInt8])]
    let reportGlobs: [(glob: GlobSet, format: String)]

    init(_ rules: RuleReader) throws(RuleError) {
      configFiles = GlobSet(try rules.strings("config_files", section: "coverage") ?? [], case: .sensitive, anchoring: .anyDepth)
      configMarkers = try (rules.strings("config_markers", section: "coverage") ?? []).map { m throws(RuleError) in
        guard let colon = m.firstIndex(of: ":") else { throw rules.error("coverage", "config_markers", "holds '\(m)', not file-glob:text") }
        return (GlobSet([String(m[..<colon])], case: .sensitive, anchoring: .anyDepth), Array(m[m.index(after: colon)...].utf8))
      }
      guard let coverage = try rules.value(nil, "coverage") else {
        reportGlobs = []
        return
      }
      guard let table = coverage.value.table else { throw rules.error(nil, "coverage", "must be a table", line: coverage.line) }
      reportGlobs = try RuleReader(file: rules.file, table: table).tables("reports").map { r throws(RuleError) in
        (GlobSet([try r.string(nil, "glob")], case: .sensitive, anchoring: .anyDepth), try r.string(nil, "format"))
      }
    }

    /// Coverage configuration files and committed coverage reports (with their format).
    func files(_ snapshot: Snapshot) -> (config: [String], reports: [(file: SnapshotFile, format: String)]) {
      var coverageConfig: [String] = []
      var reports: [(file: SnapshotFile, format: String)] = []
      for file in snapshot.files where file.fileClass != .vendored {
        if configFiles.matches(file.path) { coverageConfig.append(file.displayPath) }
        else if file.hasContent, configMarkers.contains(where: { marker in
          marker.0.matches(file.path) && file.content.map { TestFrameworks.contains($0, marker.1) } ?? false
        }) {
          coverageConfig.append(file.displayPath)
        }
        if let r = reportGlobs.indices.first(where: { reportGlobs[$0].0.matches(file.path) }) { reports.append((file, reportGlobs[r].1)) }
      }
      return (coverageConfig, reports)
    }
  }

  /// How tests evolve with the code, by commit.
  static func coEvolution(_ context: ScanContext, _ classifier: TestClassifier, _ tip: TipPaths) -> CoEvolution {
    let files = context.snapshot.files
    // The closure takes the pieces it reads, not the context: copying the whole context per path retains
    // all of its fields.
    let paths = context.history.paths, pathClassifier = context.classifier
    return CoEvolution(history: context.history) { id in
      let path = paths[id]
      // Paths still in the tip keep the class the tree pass gave them (content included); only gone ones are classified again.
      let n = Int(tip.fileIndex[Int(id)])
      if n >= 0 {
        return classifier.role(path: path, language: files[n].language, fileClass: files[n].fileClass)
      }
      return classifier.role(path: path, language: pathClassifier.language(of: path), fileClass: pathClassifier.classify(path))
    }
  }

  /// Each committed coverage report: its figure, age and the production commits since; a stale one is a finding.
  private func coverageReports(_ reports: [(file: SnapshotFile, format: String)], _ context: ScanContext,
                               pathTotals: [InventoryAnalyzer.FileHistory], coevolution: CoEvolution, staleDays: Int,
                               findings: inout [Finding]) -> [TestsOutput.CoverageReport] {
    var reportList: [TestsOutput.CoverageReport] = []
    for (file, format) in reports.sorted(by: { $0.file.displayPath < $1.file.displayPath }) {
      var parsed: CoverageReport?
      var problem: String?
      if let content = file.content {
        do throws(ManifestProblem) { parsed = try CoverageReport.parse(format: format, bytes: content) } catch {
          problem = (error.line.map { "line \($0): " } ?? "") + error.message
        }
      } else {
        problem = "too large to read (over \(Snapshot.contentCap >> 20) MB)"
      }
      let date = context.history.paths.id(of: file.path).flatMap { pathTotals[Int($0)].lastChanged }
      let ageDays = date.map { Int((context.now - $0) / 86400) }
      let changesSince = date.map { d in coevolution.productionChangeTimes.filter { $0 > d }.count }
      reportList.append(TestsOutput.CoverageReport(
        path: file.displayPath, format: parsed?.format ?? format, lineCoverage: parsed?.lineCoverage.map { Figures.rounded($0) },
        linesCovered: parsed?.covered, linesValid: parsed?.valid, date: date.map(Timestamp.init), ageDays: ageDays,
        productionCommitsSince: changesSince, error: problem))
      if let ageDays, ageDays >= staleDays, let date {
        let what = parsed?.lineCoverage.map { "says \(Figures.percent($0)) of lines are covered" } ?? "cannot be read"
        findings.append(Finding(
          analyzer: id, rule: "stale-coverage-report", key: file.displayPath, severity: .low,
          title: "Coverage report is \(ageDays) days old: \(file.displayPath)",
          message: "\(file.displayPath) \(what), but it was last committed on \(UTC.date(date)), \(ageDays) days before \(UTC.date(context.now)); \(changesSince ?? 0) commits have changed production code since. Treat its figure as history, not as today's coverage.",
          location: Location(path: file.displayPath),
          evidence: TestsOutput.StaleCoverageEvidence(
            lineCoverage: parsed?.lineCoverage.map { Figures.rounded($0) }, date: Timestamp(date), ageDays: ageDays)))
      }
    }
    return reportList
  }

  /// The riskiest code without a test: hotspots by revisions × lines, matched to tests by naming convention.
  private func untestedHotspots(_ code: CodeCounts, _ files: [SnapshotFile], _ tip: TipPaths, pathTotals: [InventoryAnalyzer.FileHistory],
                                hotspots: HotspotAnalyzer.Model, naming: [String: Naming], count hotspotCount: Int, findings: inout [Finding]) -> [TestsOutput.Hotspot] {
    let testFiles = code.testFiles, productionFiles = code.productionFiles
    let testPaths = testFiles.map { Array(String(decoding: $0.path, as: UTF8.self).lowercased().utf8) }
    let ranked = productionFiles.compactMap { n -> (file: Int, revisions: Int)? in
      let pid = tip.pathIDs[n]
      guard pid >= 0 else { return nil }
      let revisions = pathTotals[Int(pid)].revisions
      return revisions >= 2 ? (n, revisions) : nil
    }.sorted { a, b in
      let sa = a.revisions * files[a.file].lines, sb = b.revisions * files[b.file].lines
      return sa != sb ? sa > sb : files[a.file].displayPath < files[b.file].displayPath
    }.prefix(hotspotCount).map { n -> (file: SnapshotFile, revisions: Int, hotspot: Int?) in
      let pid = tip.pathIDs[n.file]
      let i = pid >= 0 ? Int(hotspots.files.indexOfPath[Int(pid)]) : -1
      return (files[n.file], n.revisions, i >= 0 ? i : nil)
    }
    var hotspotList: [TestsOutput.Hotspot] = []
    for item in ranked {
      let rule = item.file.language.flatMap { naming[$0] }
      let match = rule.flatMap { Self.matchingTest(for: item.file, rule: $0, testPaths: testPaths, testFiles: testFiles) }
      hotspotList.append(TestsOutput.Hotspot(path: item.file.displayPath, revisions: item.revisions, lines: item.file.lines,
                                             score: item.revisions * item.file.lines, test: match))
      guard match == nil, let rule else { continue }
      // The hotspot analyzer's rank and lines of code, as every other section quotes them; a file it
      // leaves out (by class or attribute) is described by its changes alone.
      var evidence = TestsOutput.UntestedHotspotEvidence(revisions: item.revisions, lines: item.file.lines)
      let place: String
      if let i = item.hotspot {
        let loc = hotspots.complexity[i]?.loc ?? item.file.lines
        evidence.rank = hotspots.ranking.ranks[i]
        evidence.loc = loc
        place = "is hotspot #\(hotspots.ranking.ranks[i]) (changed in \(item.revisions) commits, \(loc) lines of code)"
      } else {
        place = "changed in \(item.revisions) commits (\(item.file.lines) lines)"
      }
      let expected = rule.tests.prefix(2).map { $0.replacingOccurrences(of: "{stem}", with: Self.stem(item.file)) }.joined(separator: " or ")
      findings.append(Finding(
        analyzer: id, rule: "untested-hotspot", key: item.file.displayPath, severity: .medium,
        title: "Hotspot without a test file: \(item.file.displayPath)",
        message: "\(item.file.displayPath) \(place) and no test file follows the \(item.file.language ?? "") naming convention for it (such as \(expected)). Code that changes most and has no test of its own is the riskiest to touch; a test elsewhere may still exercise it.",
        location: Location(path: item.file.displayPath),
        evidence: evidence))
    }

    return hotspotList
  }

  /// Findings on the totals: no tests, little test code, no CI or none on pull requests, tests that do not move with the code.
  private func totalsFindings(_ total: Counts, ci: [ContinuousIntegration.File], coevolution: CoEvolution, rules: Rules,
                              findings: inout [Finding]) {
    if total.testFiles == 0, total.productionLines > 0 {
      findings.append(Finding(
        analyzer: id, rule: "no-tests", key: "repository", severity: .high, title: "No automated tests",
        message: "None of the \(total.productionFiles) production files (\(total.productionLines) lines) has a test file by any framework's conventions. Every change has to be checked by hand, and a refactoring cannot be verified.",
        evidence: TestsOutput.NoTestsEvidence(productionFiles: total.productionFiles, productionLines: total.productionLines)))
    } else if let ratio = total.ratio, ratio < rules.lowRatio {
      findings.append(Finding(
        analyzer: id, rule: "low-test-ratio", key: "repository", severity: .medium,
        title: "Little test code: \(Figures.percent(ratio)) of production code",
        message: "There are \(total.testLines) lines of test code for \(total.productionLines) lines of production code (\(Figures.percent(ratio))). SIG reads a 100% test-code ratio as roughly 80% coverage; this is a proxy from file volumes, not measured coverage.",
        evidence: TestsOutput.TestRatioEvidence(testLines: total.testLines, productionLines: total.productionLines, ratio: Figures.rounded(ratio))))
    }
    if total.productionLines > 0 {
      if ci.isEmpty {
        findings.append(Finding(
          analyzer: id, rule: "no-ci", key: "repository", severity: .medium, title: "No CI configuration",
          message: "No configuration of any known CI system is in the repository (GitHub Actions, GitLab CI, CircleCI, Jenkins, Azure Pipelines, Bitbucket, Travis, Buildkite…), so nothing checks a change before it is merged, unless a service is configured outside the repository."))
      } else if !ci.contains(where: { $0.runsTestsOnPullRequests != false }) {
        let withTests = ci.filter(\.runsTests)
        findings.append(Finding(
          analyzer: id, rule: "ci-no-tests-on-pull-requests", key: "repository", severity: .medium,
          title: "CI does not run tests on pull requests",
          message: withTests.isEmpty
            ? "\(ci.map(\.path).joined(separator: ", ")) run\(ci.count == 1 ? "s" : "") no recognisable test command, so changes are merged without an automated test run."
            : "\(withTests.map(\.path).joined(separator: ", ")) run\(withTests.count == 1 ? "s" : "") tests, but not on pull requests (\(withTests[0].basis)): a change is tested only after it is merged.",
          location: Location(path: ci[0].path), evidence: TestsOutput.CIEvidence(ci: ci.map(\.path))))
      }
    }
    if let share = coevolution.share, coevolution.productionCommits >= rules.minCommits, share < rules.lowCoEvolution, total.testFiles > 0 {
      findings.append(Finding(
        analyzer: id, rule: "low-co-evolution", key: "repository", severity: .low,
        title: "Tests rarely change with the code (\(Figures.percent(share)) of commits)",
        message: "Only \(coevolution.withTests) of \(coevolution.productionCommits) commits that change production code also change a test (\(Figures.percent(share))). Tests that do not move with the code fall behind what it does.",
        evidence: TestsOutput.CoEvolutionEvidence(productionCommits: coevolution.productionCommits, withTests: coevolution.withTests)))
    }

  }

  struct Naming: Sendable {
    let tests: [String]
    let inline: [[UInt8]]
  }

  /// `[[naming]]`, strictly: each entry names its languages; a later entry for a language replaces an earlier one.
  static func namingRules(_ rules: RuleReader) throws(RuleError) -> [String: Naming] {
    var out: [String: Naming] = [:]
    for item in try rules.tables("naming") {
      let rule = Naming(tests: try item.strings("tests") ?? [], inline: (try item.strings("inline") ?? []).map { Array($0.utf8) })
      for l in try item.strings(nil, "languages") { out[l] = rule }
    }
    return out
  }

  static func stem(_ file: SnapshotFile) -> String {
    let name = file.displayPath.split(separator: "/").last.map(String.init) ?? file.displayPath
    return name.firstIndex(of: ".").map { String(name[..<$0]) } ?? name
  }

  /// The test file that follows the naming convention for `file`, or the file itself when it carries
  /// its tests inline (Rust).
  static func matchingTest(for file: SnapshotFile, rule: Naming, testPaths: [[UInt8]], testFiles: [SnapshotFile]) -> String? {
    if let content = file.content, rule.inline.contains(where: { TestFrameworks.contains(content, $0) }) { return file.displayPath }
    let globs = rule.tests.map { Glob($0.replacingOccurrences(of: "{stem}", with: stem(file)).lowercased(), case: .sensitive, anchoring: .anyDepth) }
    for (i, path) in testPaths.enumerated() where globs.contains(where: { $0.matches(path) }) { return testFiles[i].displayPath }
    return nil
  }
}
