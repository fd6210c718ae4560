/// vcpkg: `vcpkg.json`. Versions follow the registry's `builtin-baseline` commit; without one they follow
/// whatever checkout of the registry builds it, so nothing is pinned.
enum Vcpkg {
  static func manifest(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try JSONDocument.parse(bytes)
    guard root.pairs != nil else { throw ManifestProblem(line: root.line, "vcpkg.json must hold a JSON object") }
    let baseline = root["builtin-baseline"]?.string ?? root["vcpkg-configuration"]?["default-registry"]?["baseline"]?.string
    var overrides: [String: String] = [:]
    for o in root["overrides"]?.array ?? [] {
      if let name = o["name"]?.string { overrides[name] = o["version"]?.text ?? o["version-string"]?.text }
    }
    var out = ParsedManifest()
    for item in root["dependencies"]?.array ?? [] {
      guard let name = item.string ?? item["name"]?.string else { continue }
      let minimum = item["version>="]?.string
      if let exact = overrides[name] {
        out.direct.append(DirectDependency(name: name, requirement: "override " + exact, pin: .exact))
      } else if let baseline {
        let requirement = (minimum.map { ">=" + $0 + " " } ?? "") + "baseline " + String(baseline.prefix(12))
        out.direct.append(DirectDependency(name: name, requirement: requirement, pin: .exact))
      } else {
        out.direct.append(DirectDependency(name: name, requirement: minimum.map { ">=" + $0 } ?? "", pin: .any))
      }
    }
    return out
  }
}
