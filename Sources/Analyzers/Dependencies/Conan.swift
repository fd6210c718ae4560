import Foundation

/// Conan (C, C++): `conanfile.txt`, `conanfile.py` and `conan.lock` (Conan 1 and 2).
enum Conan {
  static func reference(_ text: String, scope: String) -> DirectDependency? {
    let ref = text.split(separator: "#").first.map(String.init) ?? text
    let parts = ref.split(separator: "@").first?.split(separator: "/") ?? []
    guard parts.count >= 2 else { return nil }
    let version = String(parts[1])
    return DirectDependency(name: String(parts[0]), requirement: version, scope: scope,
                            pin: version.hasPrefix("[") ? .range : .exact)
  }

  static func conanfileText(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    var section = ""
    for (n, raw) in ManifestText.lines(bytes).enumerated() {
      let line = raw.trimmingSpaces()
      if line.isEmpty || line.hasPrefix("#") { continue }
      if line.hasPrefix("[") {
        guard line.hasSuffix("]") else { throw ManifestProblem(line: n + 1, "invalid conanfile.txt: unclosed section header") }
        section = String(line.dropFirst().dropLast())
        continue
      }
      let scope: String
      switch section {
      case "requires": scope = "runtime"
      case "tool_requires", "build_requires": scope = "build"
      case "test_requires": scope = "test"
      default: continue
      }
      guard let dependency = reference(line, scope: scope) else {
        throw ManifestProblem(line: n + 1, "invalid conanfile.txt: expected 'name/version' under [\(section)]")
      }
      out.direct.append(dependency)
    }
    return out
  }

  static func conanfilePython(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    for raw in ManifestText.lines(bytes) {
      let line = raw.trimmingSpaces()
      let scope: String
      if line.hasPrefix("requires") || line.contains("self.requires(") { scope = "runtime" }
      else if line.hasPrefix("tool_requires") || line.hasPrefix("build_requires") || line.contains("self.tool_requires(") || line.contains("self.build_requires(") { scope = "build" }
      else if line.hasPrefix("test_requires") || line.contains("self.test_requires(") { scope = "test" }
      else { continue }
      for s in ManifestText.quoted(line) where s.contains("/") {
        if let d = reference(s, scope: scope) { out.direct.append(d) }
      }
    }
    return out
  }

  static func lock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try JSONDocument.parse(bytes)
    var out = ParsedManifest()
    var refs: [String] = []
    for key in ["requires", "build_requires", "python_requires"] { refs += root[key]?.array?.compactMap(\.string) ?? [] }
    for (_, node) in root["graph_lock"]?["nodes"]?.pairs ?? [] { if let ref = node["ref"]?.string { refs.append(ref) } }
    for ref in refs {
      guard let d = reference(ref, scope: "runtime") else { continue }
      out.resolved.append(ResolvedPackage(name: d.name, version: d.requirement.split(separator: "%").first.map(String.init) ?? d.requirement))
    }
    return out
  }
}
