import SalvageCore

/// A GitHub Actions workflow, as much of it as the hygiene and CI checks read.
struct Workflow: Sendable {
  struct Step: Sendable {
    let uses: String?
    let run: String?
    let with: [String: String]
    let line: Int
  }
  struct Job: Sendable {
    let id: String
    let permissions: YAMLNode?
    let steps: [Step]
    /// A reusable workflow called by the job.
    let uses: String?
    let line: Int
  }

  let path: String
  let triggers: Set<String>
  /// Top-level `permissions:`; nil when the workflow does not declare them.
  let permissions: YAMLNode?
  let jobs: [Job]

  static func isWorkflow(_ path: [UInt8]) -> Bool {
    let p = String(decoding: path, as: UTF8.self)
    return p.hasPrefix(".github/workflows/") && (p.hasSuffix(".yml") || p.hasSuffix(".yaml")) && !p.dropFirst(18).contains("/")
  }

  static func parse(path: String, bytes: [UInt8]) throws(ManifestProblem) -> Workflow {
    let root = try LineYAML.parse(bytes)
    let on = root["on"] ?? root["true"]
    var triggers = Set(on?.names ?? [])
    if let branchesOnly = on?.scalar { triggers = [branchesOnly] }
    var jobs: [Job] = []
    for (id, node) in root["jobs"]?.pairs ?? [] {
      let steps = (node["steps"]?.items ?? []).map { step in
        var with: [String: String] = [:]
        for (k, v) in step["with"]?.pairs ?? [] { with[k] = v.scalar ?? "" }
        return Step(uses: step["uses"]?.scalar, run: step["run"]?.scalar, with: with, line: step.line)
      }
      jobs.append(Job(id: id, permissions: node["permissions"], steps: steps, uses: node["uses"]?.scalar, line: node.line))
    }
    return Workflow(path: path, triggers: triggers, permissions: root["permissions"], jobs: jobs)
  }

  /// Every `run:` script of the workflow.
  var scripts: [(text: String, line: Int)] { jobs.flatMap { $0.steps.compactMap { s in s.run.map { ($0, s.line) } } } }
  var runsOnPullRequests: Bool { triggers.contains("pull_request") || triggers.contains("pull_request_target") }
}

extension Workflow {
  /// Permissions that only read: `read-all`, `{}` or every scope `read`/`none`.
  static func isReadOnly(_ node: YAMLNode) -> Bool {
    if let s = node.scalar { return s == "read-all" || s == "{}" || s.isEmpty }
    if let pairs = node.pairs { return pairs.allSatisfy { $0.node.scalar == "read" || $0.node.scalar == "none" } }
    return node.pairs == nil && node.items == nil
  }
}
