import Foundation
import GlobEngine
import Matcher
import SalvageCore
import TOML

/// CI configuration files, whether they run tests, and whether they do so on pull requests.
struct ContinuousIntegration {
  struct File: Sendable {
    let path: String
    let system: String
    let testCommands: [String]
    /// nil when the hosting service's settings decide (not visible in the repository).
    let onPullRequests: Bool?
    let basis: String
    var runsTests: Bool { !testCommands.isEmpty }
    var runsTestsOnPullRequests: Bool? { runsTests ? onPullRequests : false }
  }

  let systems: [(system: String, paths: GlobSet, mode: String, prOff: [String])]
  let commands: [BoundedRegex]

  init(table: TOMLTable) throws(SalvageCore.RuleError) {
    var systems: [(String, GlobSet, String, [String])] = []
    for item in table["ci"]?.array ?? [] {
      guard let t = item.table, let system = t["system"]?.string, let paths = t["paths"]?.stringArray else {
        throw SalvageCore.RuleError(file: "tests.toml", line: item.table?.line, message: "each [[ci]] needs system and paths")
      }
      systems.append((system, GlobSet(paths, case: .sensitive, anchoring: .anyDepth), t["pull_requests"]?.string ?? "default", t["pr_off"]?.stringArray ?? []))
    }
    self.systems = systems
    var commands: [BoundedRegex] = []
    for pattern in table["commands"]?.table?["tests"]?.stringArray ?? [] {
      guard let regex = try? BoundedRegex(pattern) else {
        throw SalvageCore.RuleError(file: "tests.toml", line: table["commands"]?.table?.line, message: "bad test command pattern \(pattern)")
      }
      commands.append(regex)
    }
    self.commands = commands
  }

  /// Matches of the test command patterns that PCRE2's limits stopped (taken as no match).
  var regexLimitHits: Int { commands.reduce(0) { $0 + $1.limitHits } }

  /// Test commands found in a script, as written (first match per pattern and line).
  func testCommands(in text: String) -> [String] {
    var found = Set<String>()
    for raw in text.split(separator: "\n") {
      let line = String(raw.trimmingSpaces())
      if line.hasPrefix("#") { continue }
      for regex in commands {
        if let r = regex.firstMatch(line) {
          found.insert(String(line[r]).trimmingSpaces())
        }
      }
    }
    return found.sorted()
  }

  func detect(_ snapshot: Snapshot) -> [File] {
    var out: [File] = []
    // What a step runs is followed through the repository's scripts and task files to a test runner.
    let runners = TaskRunners(snapshot) { self.testCommands(in: $0) }
    let reached = { (text: String) -> [String] in Array(Set(self.testCommands(in: text) + runners.follow(text))).sorted() }
    var workflows: [(file: SnapshotFile, workflow: Workflow?)] = []
    // Files and systems matched in place, through buffer pointers: only the few CI files and their
    // systems are taken out (each a retain of what it holds).
    let found = snapshot.files.withUnsafeBufferPointer { files in
      systems.withUnsafeBufferPointer { systems in
        files.indices.compactMap { n in systems.indices.first { systems[$0].paths.matches(files[n].path) }.map { (file: n, system: $0) } }
      }
    }
    for (n, s) in found {
      let file = snapshot.files[n], system = systems[s]
      let text = file.content.map { String(decoding: $0, as: UTF8.self) } ?? ""
      switch system.mode {
      case "triggers":
        workflows.append((file, file.content.flatMap { try? Workflow.parse(path: file.displayPath, bytes: $0) }))
      case "settings":
        out.append(File(path: file.displayPath, system: system.system, testCommands: reached(text), onPullRequests: nil,
                        basis: "\(system.system) decides in its job settings which branches and pull requests it builds"))
      default:
        let off = system.prOff.first { text.contains($0) }
        out.append(File(path: file.displayPath, system: system.system, testCommands: reached(text), onPullRequests: off == nil,
                        basis: off.map { "pull-request builds are turned off (\($0))" } ?? "\(system.system) builds every pushed branch by default, pull-request branches included"))
      }
    }
    // GitHub Actions: a workflow's own triggers decide; a job may call a reusable workflow that runs the tests.
    // A step may use a composite action of the repository (`uses: ./.github/actions/x`): its steps run too.
    var actions: [String: SnapshotFile] = [:]
    for file in snapshot.files where file.displayPath.hasSuffix("/action.yml") || file.displayPath.hasSuffix("/action.yaml") {
      actions[String(file.displayPath[..<file.displayPath.lastIndex(of: "/")!])] = file
    }
    func localActions(_ workflow: Workflow) -> String {
      var scripts: [String] = []
      for step in workflow.jobs.flatMap(\.steps) {
        guard let uses = step.uses, uses.hasPrefix("./") else { continue }
        let folder = TaskRunners.join("", uses)
        guard let bytes = actions[folder]?.content, let root = try? LineYAML.parse(bytes) else { continue }
        scripts += (root["runs"]?["steps"]?.items ?? []).compactMap { $0["run"]?.scalar }
      }
      return scripts.joined(separator: "\n")
    }
    var direct: [String: [String]] = [:]
    for (file, workflow) in workflows {
      direct[file.displayPath] = workflow.map { w in reached(w.scripts.map(\.text).joined(separator: "\n") + "\n" + localActions(w)) }
        ?? reached(file.content.map { String(decoding: $0, as: UTF8.self) } ?? "")
    }
    for (file, workflow) in workflows {
      var commands = direct[file.displayPath] ?? []
      guard let workflow else {
        out.append(File(path: file.displayPath, system: "GitHub Actions", testCommands: commands, onPullRequests: nil,
                        basis: "the workflow could not be read, so its triggers are unknown"))
        continue
      }
      for job in workflow.jobs {
        if let called = job.uses, called.hasPrefix("./") { commands += direct[String(called.dropFirst(2))] ?? [] }
      }
      let triggers = workflow.triggers.intersection(["pull_request", "pull_request_target"]).sorted()
      out.append(File(path: file.displayPath, system: "GitHub Actions", testCommands: Array(Set(commands)).sorted(),
                      onPullRequests: !triggers.isEmpty,
                      basis: triggers.isEmpty ? "triggered by \(workflow.triggers.sorted().joined(separator: ", ")), not by pull requests"
                        : "triggered by \(triggers.joined(separator: ", "))"))
    }
    return out.sorted { $0.path < $1.path }
  }
}
