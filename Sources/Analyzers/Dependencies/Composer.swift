/// Composer: `composer.json` and `composer.lock`.
enum Composer {
  static func pin(_ raw: String) -> Pin {
    let r = raw.trimmingSpaces()
    if r.isEmpty || r == "*" { return .any }
    if r.hasPrefix("dev-") { return r.contains("#") ? .exact : .branch }
    if ManifestText.isPlainVersion(r) && !r.contains("*") { return .exact }
    if r.hasPrefix("=="), ManifestText.isPlainVersion(r.dropFirst(2)) { return .exact }
    return .range
  }

  static func isPlatform(_ name: String) -> Bool {
    name == "php" || name.hasPrefix("ext-") || name.hasPrefix("lib-") || name == "composer-plugin-api" || name == "composer-runtime-api"
  }

  static func manifest(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try JSONDocument.parse(bytes)
    guard root.pairs != nil else { throw ManifestProblem(line: root.line, "composer.json must hold a JSON object") }
    var out = ParsedManifest()
    for (section, scope) in [("require", "runtime"), ("require-dev", "dev")] {
      for (name, node) in root[section]?.pairs ?? [] where !isPlatform(name) {
        let requirement = node.text ?? ""
        out.direct.append(DirectDependency(name: name, requirement: requirement, scope: scope, pin: pin(requirement)))
      }
    }
    return out
  }

  static func lock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try JSONDocument.parse(bytes)
    var out = ParsedManifest()
    for section in ["packages", "packages-dev"] {
      for package in root[section]?.array ?? [] {
        guard let name = package["name"]?.string else { continue }
        out.resolved.append(ResolvedPackage(name: name, version: package["version"]?.string ?? ""))
      }
    }
    return out
  }
}
