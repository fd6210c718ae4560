import Foundation
import GlobEngine
import SalvageCore
import TOML

/// OpenSSF Scorecard's checks that a clone can show, each scored 0 to 10 with its reason, the rest
/// reported as not assessed (-1). Scores follow Scorecard v5's evaluation where a clone has the same
/// facts, and simplify where it needs the API (Maintained counts commits only).
struct Scorecard {
  struct Check: Sendable {
    let name: String
    let risk: String
    let score: Int
    let reason: String
    var details: [String] = []
    var location: String?
  }

  /// `[scorecard]` of dependencies.toml, compiled strictly with the analyzer's rules.
  struct Config: Sendable {
    var binaryExtensions: Set<String> = []
    var untrustedInputs: [String] = []
    var updateTools: Set<String> = []
    /// Lower-cased.
    var updateBots: [String] = []
    var licenses = GlobSet([Glob]())
    var approvedLicenseMarkers: [String] = []
    var securityPolicies: [String] = []
    /// Checks a clone cannot show, and why.
    var notAssessed: [(check: String, reason: String)] = []

    init(_ rules: RuleReader) throws(RuleError) {
      let section = "scorecard"
      binaryExtensions = Set(try rules.strings("binary_extensions", section: section) ?? [])
      untrustedInputs = try rules.strings("untrusted_inputs", section: section) ?? []
      updateTools = Set(try rules.strings("update_tools", section: section) ?? [])
      updateBots = (try rules.strings("update_bots", section: section) ?? []).map { $0.lowercased() }
      licenses = GlobSet(try rules.strings("licenses", section: section) ?? [], case: .sensitive, anchoring: .anyDepth)
      approvedLicenseMarkers = try rules.strings("approved_license_markers", section: section) ?? []
      securityPolicies = try rules.strings("security_policies", section: section) ?? []
      if let found = try rules.value(nil, section) {
        guard let table = found.value.table else { throw rules.error(nil, section, "must be a table", line: found.line) }
        notAssessed = try RuleReader(file: rules.file, table: table).tables("not_assessed").map { item throws(RuleError) in
          try item.check(known: ["check", "reason"])
          return (try item.string(nil, "check"), try item.string(nil, "reason", "needs the hosting service"))
        }
      }
    }
  }

  let context: ScanContext
  let workflows: [Workflow]
  let config: Config

  func run() -> [Check] {
    var checks = [binaryArtifacts(), dangerousWorkflow(), dependencyUpdateTool(), license(), maintained(), pinnedDependencies(),
                  securityPolicy(), tokenPermissions()]
    for item in config.notAssessed { checks.append(Check(name: item.check, risk: "", score: -1, reason: "not assessed: " + item.reason)) }
    return checks.sorted { $0.name < $1.name }
  }

  private func name(_ path: String) -> String {
    // An ASCII path's characters are its bytes: its last slash is found without breaking it into
    // grapheme clusters.
    if path.utf8.allSatisfy({ $0 < 0x80 }) {
      return path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(path[path.utf8.index(after: $0)...]) } ?? path
    }
    return path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
  }

  /// The bytes of `text.uppercased()`, without building a String for an ASCII name (almost every file's).
  private static func withUppercased<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    let utf8 = text.utf8
    guard utf8.allSatisfy({ $0 < 0x80 }) else { return Array(text.uppercased().utf8).withUnsafeBufferPointer(body) }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count) { buffer in
      for (i, byte) in utf8.enumerated() { buffer[i] = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte }
      return body(UnsafeBufferPointer(buffer))
    }
  }

  func binaryArtifacts() -> Check {
    let extensions = config.binaryExtensions
    let validated = workflows.contains { w in
      w.jobs.contains { $0.steps.contains { ($0.uses ?? "").contains("wrapper-validation") } }
    }
    var found: [String] = []
    for file in context.snapshot.files where file.fileClass == .binary || (!file.hasContent && file.lines == 0 && file.size > 0) {
      let n = name(file.displayPath)
      guard let dot = n.lastIndex(of: "."), extensions.contains(n[n.index(after: dot)...].lowercased()) else { continue }
      if n == "gradle-wrapper.jar", validated { continue }
      found.append(file.displayPath)
    }
    found.sort()
    let score = max(0, 10 - found.count)
    let reason = found.isEmpty ? "no binaries found in the repository"
      : "\(found.count) checked-in binar\(found.count == 1 ? "y" : "ies") (\(found.prefix(3).joined(separator: ", "))\(found.count > 3 ? ", …" : "")): code nobody can review"
    return Check(name: "Binary-Artifacts", risk: "High", score: score, reason: reason, details: found, location: found.first)
  }

  func dangerousWorkflow() -> Check {
    guard !workflows.isEmpty else { return Check(name: "Dangerous-Workflow", risk: "Critical", score: -1, reason: "not assessed: no GitHub workflows") }
    let untrusted = config.untrustedInputs
    var problems: [String] = []
    for w in workflows {
      let privileged = w.triggers.contains("pull_request_target") || w.triggers.contains("workflow_run")
      for job in w.jobs {
        for step in job.steps {
          if privileged, (step.uses ?? "").hasPrefix("actions/checkout"),
             let ref = step.with["ref"], ref.contains("github.event.pull_request") || ref.contains("head_ref") || ref.contains("workflow_run") || ref.contains("refs/pull") {
            problems.append("\(w.path):\(step.line): checks out untrusted pull-request code in a privileged (\(w.triggers.contains("workflow_run") ? "workflow_run" : "pull_request_target")) workflow")
          }
          let script = (step.run ?? "") + "\n" + (step.with["script"] ?? "")
          guard script.contains("${{") else { continue }
          for input in untrusted where script.contains(input) {
            problems.append("\(w.path):\(step.line): script injection: `${{ \(input) }}` is attacker-controlled text inside a run script")
            break
          }
        }
      }
    }
    problems.sort()
    return Check(name: "Dangerous-Workflow", risk: "Critical", score: problems.isEmpty ? 10 : 0,
                 reason: problems.isEmpty ? "no dangerous workflow patterns found" : "\(problems.count) dangerous pattern(s): \(problems[0])",
                 details: problems, location: problems.first.map { String($0.split(separator: ":").first ?? "") })
  }

  func dependencyUpdateTool() -> Check {
    let files = config.updateTools
    if let found = context.snapshot.files.withUnsafeBufferPointer({ all in all.indices.first { files.contains(all[$0].displayPath) } })
      .map({ context.snapshot.files[$0] }) {
      return Check(name: "Dependency-Update-Tool", risk: "High", score: 10, reason: "update tool configured: \(found.displayPath)", location: found.displayPath)
    }
    let bots = config.updateBots
    let botIDs = Set(context.history.people.indices.filter { i in
      let p = context.history.people[i]
      return bots.contains { p.name.lowercased().contains($0) || p.email.lowercased().contains($0.replacingOccurrences(of: "[bot]", with: "")) }
    }.map { PersonID($0) })
    // Counted in place: filtering would copy every matching commit (and retain its fields) only to count it.
    let botCommits = botIDs.isEmpty ? 0 : context.history.commits.reduce(0) { $0 + (botIDs.contains($1.author) ? 1 : 0) }
    if botCommits > 0 {
      return Check(name: "Dependency-Update-Tool", risk: "High", score: 10, reason: "\(botCommits) commit(s) by a dependency update bot")
    }
    return Check(name: "Dependency-Update-Tool", risk: "High", score: 0,
                 reason: "no Dependabot or Renovate configuration and no commits by an update bot: dependency updates are manual")
  }

  func license() -> Check {
    // One set rather than a list of globs: a path is matched once, without retaining each glob.
    let patterns = config.licenses
    let files = context.snapshot.files
    // Paths read through a buffer pointer, in place: only the candidates are copied out of the snapshot.
    let candidates = files.withUnsafeBufferPointer { files in
      files.indices.filter { n in
        let path = files[n].displayPath
        var base = name(path)
        return base.withUTF8 { patterns.matches($0) } || Self.withUppercased(base) { patterns.matches($0) } || path.hasPrefix("LICENSES/")
      }
    }.map { files[$0] }.sorted { ($0.displayPath.contains("/") ? 1 : 0, $0.displayPath) < ($1.displayPath.contains("/") ? 1 : 0, $1.displayPath) }
    guard let file = candidates.first else {
      return Check(name: "License", risk: "Low", score: 0, reason: "no license file: the terms of use of the code are unclear")
    }
    var score = 6
    var notes = ["license file \(file.displayPath)"]
    if !file.displayPath.contains("/") { score += 3; notes.append("at the top level") }
    let text = file.content.map { String(decoding: $0.prefix(8192), as: UTF8.self) } ?? ""
    if config.approvedLicenseMarkers.contains(where: { text.contains($0) }) {
      score += 1
      notes.append("an FSF- or OSI-approved license")
    } else {
      notes.append("license not recognised as FSF- or OSI-approved")
    }
    return Check(name: "License", risk: "Low", score: score, reason: notes.joined(separator: ", "), location: file.displayPath)
  }

  func maintained() -> Check {
    let now = context.now
    let window: Int64 = 90 * 86400
    if let first = context.history.firstCommitTime, now - first < window {
      return Check(name: "Maintained", risk: "High", score: 0,
                   reason: "the repository's first commit is less than 90 days before \(UTC.date(now)): too young to judge")
    }
    let recent = context.history.commits.reduce(0) { $0 + ($1.committerTime > now - window && $1.committerTime <= now ? 1 : 0) }
    let score = min(10, recent * 10 / 12)
    return Check(name: "Maintained", risk: "High", score: score,
                 reason: "\(recent) commit(s) in the 90 days before \(UTC.date(now)) (Scorecard expects about one a week; issue activity not assessed)")
  }

  /// Whether a text blob names an install tool (`[1]`) or not (`[0]`): a shell script that names none
  /// has nothing to pin. Drawn once per blob and kept between scans.
  struct InstallTools: BlobFactExtractor {
    static let name = "install-tools"
    static let tools = ["curl ", "wget ", "pip", "npm ", "go install"].map { Array($0.utf8) }
    func facts(of content: UnsafeBufferPointer<UInt8>) -> [UInt64] {
      [Self.tools.contains { TestFrameworks.contains(content, $0) } ? 1 : 0]
    }
  }

  /// True when any needle occurs in the bytes (needles are short; a plain scan is enough).
  static func containsAny(_ bytes: [UInt8], _ needles: [[UInt8]]) -> Bool {
    bytes.withUnsafeBufferPointer { hay in
      for needle in needles where needle.count <= hay.count {
        let first = needle[0]
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
          if hay[i] == first {
            var k = 1
            while k < needle.count && hay[i + k] == needle[k] { k += 1 }
            if k == needle.count { return true }
          }
          i += 1
        }
      }
      return false
    }
  }

  func pinnedDependencies() -> Check {
    var pinned = 0, total = 0
    var unpinned: [String] = []
    func count(_ isPinned: Bool, weight: Int, _ what: String) {
      total += weight
      if isPinned { pinned += weight } else { unpinned.append(what) }
    }
    var scripts: [(path: String, line: Int, text: String)] = []
    for w in workflows {
      for job in w.jobs {
        var uses = job.steps.compactMap { s in s.uses.map { ($0, s.line) } }
        if let u = job.uses { uses.append((u, job.line)) }
        for (u, line) in uses where !u.hasPrefix("./") && !u.hasPrefix("docker://") {
          let owner = u.split(separator: "/").first.map(String.init) ?? ""
          let ref = u.split(separator: "@").dropFirst().first.map(String.init) ?? ""
          let githubOwned = owner == "actions" || owner == "github"
          count(ManifestText.isHex40(ref) && ref.count == 40, weight: githubOwned ? 2 : 8,
                "\(w.path):\(line): \(githubOwned ? "GitHub-owned" : "third-party") action \(u) not pinned to a commit")
        }
        for step in job.steps { if let run = step.run { scripts.append((w.path, step.line, run)) } }
      }
    }
    // Only Dockerfiles and shell scripts are read: they are picked in place, through a buffer pointer, so
    // that the rest of the tree is not copied file by file.
    let files = context.snapshot.files
    let pinnable = files.withUnsafeBufferPointer { all in
      all.indices.filter { all[$0].hasContent && (all[$0].language == "Shell" || Self.isDockerfile(name(all[$0].displayPath))) }
    }
    for file in pinnable.map({ files[$0] }) {
      let dockerfile = Self.isDockerfile(name(file.displayPath))
      // A script that names no install tool has nothing to pin: its bytes are not read again.
      guard dockerfile || context.snapshot.facts(of: file, named: InstallTools.name, InstallTools()) != [0],
            let content = file.content else { continue }
      if dockerfile {
        var stages = Set<String>()
        for (i, raw) in ManifestText.lines(content).enumerated() {
          let words = raw.split(separator: " ").filter { !$0.hasPrefix("--") }
          guard words.first?.uppercased() == "FROM", words.count >= 2 else { continue }
          let image = String(words[1])
          if words.count >= 4, words[2].uppercased() == "AS" { stages.insert(String(words[3]).lowercased()) }
          if image == "scratch" || stages.contains(image.lowercased()) && !(words.count >= 4 && words[3].lowercased() == image.lowercased()) { continue }
          count(image.contains("@sha256:"), weight: 10, "\(file.displayPath):\(i + 1): base image \(image) not pinned to a digest")
        }
      } else if file.language == "Shell" {
        scripts.append((file.displayPath, 1, String(decoding: content, as: UTF8.self)))
      }
    }
    // Most scripts and lines name none of these tools: look for them in the bytes first, before any
    // String search or regular expression (on git.git's 350,000 lines of shell: 4 s against a few ms).
    for script in scripts {
      guard Self.containsAny(Array(script.text.utf8), InstallTools.tools) else { continue }
      for (offset, raw) in script.text.split(separator: "\n").enumerated() {
        guard Self.containsAny(Array(raw.utf8), InstallTools.tools) else { continue }
        let line = raw.trimmingSpaces()
        let at = "\(script.path):\(script.line + offset)"
        if (line.contains("curl ") || line.contains("wget ")) && line.range(of: #"\|\s*(sudo\s+)?(ba|z)?sh\b"#, options: .regularExpression) != nil {
          count(false, weight: 10, "\(at): downloads a script and runs it unverified")
        } else if line.range(of: #"\bpip3? install\b"#, options: .regularExpression) != nil, !line.contains(" -e .") && !line.hasSuffix("install .") && !line.contains("--upgrade pip") {
          count(line.contains("--require-hashes"), weight: 10, "\(at): pip install without --require-hashes")
        } else if line.range(of: #"\bnpm (install|i)\b"#, options: .regularExpression) != nil {
          count(false, weight: 10, "\(at): npm install (npm ci installs exactly what the lockfile says)")
        } else if line.range(of: #"\bgo install\b"#, options: .regularExpression) != nil {
          count(!line.contains("@latest") && line.contains("@"), weight: 10, "\(at): go install without a fixed version")
        }
      }
    }
    guard total > 0 else {
      return Check(name: "Pinned-Dependencies", risk: "Medium", score: 10, reason: "no workflow actions, base images or install scripts to pin")
    }
    unpinned.sort()
    let score = pinned * 10 / total
    let reason = unpinned.isEmpty ? "every action, base image and install command is pinned"
      : "\(unpinned.count) unpinned: \(unpinned[0])\(unpinned.count > 1 ? ", …" : "")"
    return Check(name: "Pinned-Dependencies", risk: "Medium", score: score, reason: reason, details: unpinned,
                 location: unpinned.first.map { String($0.split(separator: ":").first ?? "") })
  }

  private static func isDockerfile(_ name: String) -> Bool {
    name == "Dockerfile" || name.hasPrefix("Dockerfile.") || name.hasSuffix(".dockerfile") || name == "Containerfile"
  }

  func securityPolicy() -> Check {
    // The first name (in the rules' order) that a file has, in any case: each path is upper-cased at most once.
    let names = config.securityPolicies
    let upperNames = names.map { $0.uppercased() }
    let asciiNames = upperNames.map { $0.utf8.allSatisfy { $0 < 0x80 } }
    let files = context.snapshot.files
    var found = [Int?](repeating: nil, count: names.count)
    files.withUnsafeBufferPointer { files in
      for n in files.indices {
        let path = files[n].displayPath
        let ascii = path.utf8.allSatisfy { $0 < 0x80 }
        var upper: String?
        for i in names.indices where found[i] == nil {
          if path == names[i] { found[i] = n; continue }
          // An ASCII path upper-cases to as many ASCII bytes, so only a name of its length can equal it:
          // most paths are never upper-cased.
          if ascii, asciiNames[i], path.utf8.count != upperNames[i].utf8.count { continue }
          if upper == nil { upper = path.uppercased() }
          if upper == upperNames[i] { found[i] = n }
        }
      }
    }
    guard let file = found.lazy.compactMap({ $0 }).first.map({ files[$0] }) else {
      return Check(name: "Security-Policy", risk: "Medium", score: 0, reason: "no security policy (SECURITY.md): nobody knows how to report a vulnerability")
    }
    let text = file.content.map { String(decoding: $0, as: UTF8.self) } ?? ""
    var score = 0
    var notes: [String] = []
    if text.range(of: #"https?://|[\w.+-]+@[\w-]+\.[\w.]+"#, options: .regularExpression) != nil { score += 6; notes.append("a contact address or link") }
    if text.split(whereSeparator: { $0 == " " || $0 == "\n" }).count >= 10 { score += 3; notes.append("a written policy") }
    let lower = text.lowercased()
    if (lower.contains("vuln") || lower.contains("disclos")) && lower.range(of: #"\d+\s*(hours?|days?|weeks?)"#, options: .regularExpression) != nil {
      score += 1
      notes.append("disclosure timelines")
    }
    return Check(name: "Security-Policy", risk: "Medium", score: score,
                 reason: "\(file.displayPath) with " + (notes.isEmpty ? "no usable content" : notes.joined(separator: ", ")), location: file.displayPath)
  }

  func tokenPermissions() -> Check {
    guard !workflows.isEmpty else { return Check(name: "Token-Permissions", risk: "High", score: -1, reason: "not assessed: no GitHub workflows") }
    var score = 10
    var problems: [String] = []
    for w in workflows {
      if let top = w.permissions {
        if top.scalar == "write-all" {
          score = 0
          problems.append("\(w.path): the workflow token may write everything (write-all)")
        } else if !Workflow.isReadOnly(top) {
          score = min(score, 5)
          let writes = (top.pairs ?? []).filter { $0.node.scalar == "write" }.map(\.key).sorted()
          problems.append("\(w.path): top-level write permission (\(writes.joined(separator: ", ")))")
        }
      } else if !w.jobs.isEmpty, w.jobs.allSatisfy({ $0.permissions != nil }) {
        score = min(score, 9)
        problems.append("\(w.path): permissions declared per job only")
      } else {
        score = 0
        problems.append("\(w.path): no permissions declared, so the token gets the repository default (often write)")
      }
    }
    problems.sort()
    return Check(name: "Token-Permissions", risk: "High", score: score,
                 reason: problems.isEmpty ? "every workflow's token is read-only at the top level" : "\(problems.count) workflow(s): \(problems[0])",
                 details: problems, location: problems.first.map { String($0.split(separator: ":").first ?? "") })
  }
}
