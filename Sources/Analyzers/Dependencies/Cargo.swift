import TOML

/// Cargo: `Cargo.toml` and `Cargo.lock`. A bare `"1.2"` is a caret range; only `=1.2.3` is exact.
enum Cargo {
  static func pin(_ version: String) -> Pin {
    let v = version.trimmingSpaces()
    if v.isEmpty || v == "*" { return .any }
    if v.hasPrefix("="), ManifestText.isPlainVersion(v.dropFirst().drop { $0 == " " }) { return .exact }
    return .range
  }

  static func manifest(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try Python.toml(bytes)
    var out = ParsedManifest()
    func section(_ table: TOMLTable?, _ scope: String) {
      for (name, value) in table?.entries ?? [] {
        if let s = value.string {
          out.direct.append(DirectDependency(name: name, requirement: s, scope: scope, pin: pin(s)))
          continue
        }
        let t = value.table ?? TOMLTable()
        let package = t["package"]?.string ?? name
        if t["workspace"]?.bool == true {
          out.direct.append(DirectDependency(name: package, requirement: "workspace", scope: scope, pin: .local))
        } else if let path = t["path"]?.string, t["version"] == nil {
          out.direct.append(DirectDependency(name: package, requirement: path, scope: scope, pin: .local))
        } else if let git = t["git"]?.string {
          let p: Pin = t["rev"] != nil ? .exact : (t["tag"] != nil ? .tag : (t["branch"] != nil ? .branch : .gitHead))
          let ref = t["rev"]?.string ?? t["tag"]?.string ?? t["branch"]?.string
          out.direct.append(DirectDependency(name: package, requirement: git + (ref.map { "#" + $0 } ?? ""), scope: scope, pin: p))
        } else {
          let v = t["version"]?.string ?? ""
          out.direct.append(DirectDependency(name: package, requirement: v, scope: scope, pin: pin(v)))
        }
      }
    }
    let kinds = [("dependencies", "runtime"), ("dev-dependencies", "dev"), ("build-dependencies", "build")]
    for (key, scope) in kinds { section(root[key]?.table, scope) }
    for (_, target) in root["target"]?.table?.entries ?? [] {
      for (key, scope) in kinds { section(target.table?[key]?.table, scope) }
    }
    section(root["workspace"]?.table?["dependencies"]?.table, "workspace")
    return out
  }

  static func lock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try Python.toml(bytes)
    var out = ParsedManifest()
    for entry in root["package"]?.array ?? [] {
      // Packages without a source are the workspace's own crates.
      guard let t = entry.table, t["source"] != nil, let name = t["name"]?.string else { continue }
      out.resolved.append(ResolvedPackage(name: name, version: t["version"]?.string ?? ""))
    }
    return out
  }
}
