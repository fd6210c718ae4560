import Foundation
import TOML

/// pip requirements, Pipenv, Poetry, uv, PDM and PEP 621 `pyproject.toml`.
enum Python {
  /// PEP 440 specifiers: only `==X` without a wildcard, or `===`, select one version.
  static func pin(_ spec: String) -> Pin {
    let s = spec.trimmingSpaces()
    if s.isEmpty || s == "*" { return .any }
    if s.hasPrefix("===") { return .exact }
    if s.hasPrefix("=="), !s.contains("*"), !s.contains(",") { return .exact }
    return .range
  }

  /// Splits a PEP 508 line (`name[extra]>=1,<2 ; marker`, `name @ url`) into name, requirement and pin.
  static func requirement(_ line: String) -> (name: String, requirement: String, pin: Pin)? {
    var rest = Substring(line)
    if let semi = rest.firstIndex(of: ";") { rest = rest[..<semi] }
    let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
    guard !name.isEmpty, name.first!.isLetter || name.first!.isNumber else { return nil }
    rest = rest.dropFirst(name.count).drop { $0 == " " }
    if rest.first == "[" {
      guard let close = rest.firstIndex(of: "]") else { return nil }
      rest = rest[rest.index(after: close)...].drop { $0 == " " }
    }
    if rest.first == "@" {
      let url = rest.dropFirst().trimmingSpaces()
      return (String(name), url, urlPin(url))
    }
    var spec = rest.trimmingSpaces()
    if spec.hasPrefix("("), spec.hasSuffix(")") { spec = String(spec.dropFirst().dropLast()) }
    guard spec.isEmpty || "=<>~!".contains(spec.first!) else { return nil }
    return (String(name), spec, pin(spec))
  }

  static func urlPin(_ url: String) -> Pin {
    guard url.hasPrefix("git+") || url.contains(".git") else { return .exact }
    var u = Substring(url)
    if let hash = u.firstIndex(of: "#") { u = u[..<hash] }
    guard let at = u.lastIndex(of: "@"), !u[at...].contains("/") else { return .gitHead }
    let ref = u[u.index(after: at)...]
    return ManifestText.isHex40(ref) ? .exact : (ManifestText.isPlainVersion(ref) ? .tag : .branch)
  }

  static func requirements(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    var pending = ""
    var pendingLine = 0
    for (n, raw) in ManifestText.lines(bytes).enumerated() {
      var line = Substring(raw)
      if let hash = line.range(of: " #") { line = line[..<hash.lowerBound] }
      if line.hasPrefix("#") { line = "" }
      if pending.isEmpty { pendingLine = n + 1 }
      if line.hasSuffix("\\") { pending += line.dropLast() + " "; continue }
      let text = (pending + line).trimmingSpaces()
      pending = ""
      if text.isEmpty { continue }
      if text.hasPrefix("-e ") || text.hasPrefix("--editable") {
        let target = text.split(separator: " ").dropFirst().last.map(String.init) ?? ""
        let name = target.range(of: "#egg=").map { String(target[$0.upperBound...]) } ?? target
        let pin: Pin = target.hasPrefix(".") || target.hasPrefix("/") || target.hasPrefix("file:") ? .local : urlPin(target)
        out.direct.append(DirectDependency(name: name, requirement: target, pin: pin))
        continue
      }
      if text.hasPrefix("-") { continue }
      if text.hasPrefix("git+") || text.hasPrefix("http") {
        let name = text.range(of: "#egg=").map { String(text[$0.upperBound...]) } ?? text
        out.direct.append(DirectDependency(name: name, requirement: text, pin: urlPin(text)))
        continue
      }
      let withoutOptions = text.range(of: " --").map { String(text[..<$0.lowerBound]) } ?? text
      guard let (name, requirement, pin) = requirement(withoutOptions) else {
        throw ManifestProblem(line: pendingLine, "not a requirement: \(text.prefix(60))")
      }
      out.direct.append(DirectDependency(name: name, requirement: requirement, pin: pin))
    }
    return out
  }

  static func toml(_ bytes: [UInt8]) throws(ManifestProblem) -> TOMLTable {
    do {
      return try TOML.parse(bytes: bytes)
    } catch {
      throw ManifestProblem(line: error.line, "invalid TOML: \(error.message)")
    }
  }

  /// A Pipfile or Poetry entry: a requirement string or a table with version/git/path.
  static func tableEntry(_ name: String, _ value: TOMLValue, scope: String, poetry: Bool) -> DirectDependency {
    if let s = value.string {
      // Poetry reads a bare version as exact; Pipfile uses PEP 440 specifiers.
      let p: Pin = poetry ? (ManifestText.isPlainVersion(s) ? .exact : (s == "*" ? .any : .range)) : pin(s)
      return DirectDependency(name: name, requirement: s, scope: scope, pin: p)
    }
    let t = value.table ?? TOMLTable()
    if let path = t["path"]?.string { return DirectDependency(name: name, requirement: path, scope: scope, pin: .local) }
    if let git = t["git"]?.string {
      let ref = t["rev"]?.string ?? t["ref"]?.string ?? t["tag"]?.string
      let p: Pin = ref.map { ManifestText.isHex40($0) ? .exact : (t["tag"] != nil ? .tag : .branch) } ?? (t["branch"] != nil ? .branch : .gitHead)
      return DirectDependency(name: name, requirement: git + (ref.map { "@" + $0 } ?? ""), scope: scope, pin: p)
    }
    let version = t["version"]?.string ?? ""
    let p: Pin = poetry ? (ManifestText.isPlainVersion(version) ? .exact : (version == "*" || version.isEmpty ? .any : .range)) : pin(version)
    return DirectDependency(name: name, requirement: version, scope: scope, pin: p)
  }

  static func pipfile(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try toml(bytes)
    var out = ParsedManifest()
    for (section, scope) in [("packages", "runtime"), ("dev-packages", "dev")] {
      for (name, value) in root[section]?.table?.entries ?? [] {
        out.direct.append(tableEntry(name, value, scope: scope, poetry: false))
      }
    }
    return out
  }

  static func pipfileLock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try JSONDocument.parse(bytes)
    var out = ParsedManifest()
    for section in ["default", "develop"] {
      for (name, node) in root[section]?.pairs ?? [] {
        let version = node["version"]?.string.map { $0.hasPrefix("==") ? String($0.dropFirst(2)) : $0 } ?? node["ref"]?.string ?? ""
        out.resolved.append(ResolvedPackage(name: name, version: version))
      }
    }
    return out
  }

  static func pyproject(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try toml(bytes)
    var out = ParsedManifest()
    func strings(_ value: TOMLValue?, scope: String) {
      for item in value?.array ?? [] {
        guard let s = item.string, let (name, requirement, pin) = requirement(s) else { continue }
        out.direct.append(DirectDependency(name: name, requirement: requirement, scope: scope, pin: pin))
      }
    }
    let project = root["project"]?.table
    strings(project?["dependencies"], scope: "runtime")
    for (_, value) in project?["optional-dependencies"]?.table?.entries ?? [] { strings(value, scope: "optional") }
    for (_, value) in root["dependency-groups"]?.table?.entries ?? [] { strings(value, scope: "dev") }
    let tool = root["tool"]?.table
    if let poetry = tool?["poetry"]?.table {
      var sections: [(TOMLTable?, String)] = [(poetry["dependencies"]?.table, "runtime"), (poetry["dev-dependencies"]?.table, "dev")]
      for (group, value) in poetry["group"]?.table?.entries ?? [] {
        sections.append((value.table?["dependencies"]?.table, group == "main" ? "runtime" : "dev"))
      }
      for (table, scope) in sections {
        for (name, value) in table?.entries ?? [] where name.lowercased() != "python" {
          out.direct.append(tableEntry(name, value, scope: scope, poetry: true))
        }
      }
    }
    for (_, value) in tool?["pdm"]?.table?["dev-dependencies"]?.table?.entries ?? [] { strings(value, scope: "dev") }
    strings(tool?["uv"]?.table?["dev-dependencies"], scope: "dev")
    return out
  }

  /// `poetry.lock`, `uv.lock`, `pdm.lock` (`[[package]]`) and `pylock.toml` (`[[packages]]`).
  static func tomlLock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try toml(bytes)
    var out = ParsedManifest()
    for entry in (root["package"]?.array ?? []) + (root["packages"]?.array ?? []) {
      guard let t = entry.table, let name = t["name"]?.string else { continue }
      // uv lists the project itself as an editable or virtual source.
      if let source = t["source"]?.table, source["editable"] != nil || source["virtual"] != nil { continue }
      out.resolved.append(ResolvedPackage(name: name, version: t["version"]?.string ?? ""))
    }
    return out
  }
}
