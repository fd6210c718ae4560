/// NuGet: SDK-style project files, central package management, `packages.config`, `packages.lock.json`.
/// NuGet picks the lowest version that satisfies `1.2.3`, so a plain version behaves as a pin; `*` floats.
enum NuGet {
  static func pin(_ raw: String) -> Pin {
    let v = raw.trimmingSpaces()
    if v.isEmpty { return .exact }
    if v.contains("*") { return .range }
    if v.hasPrefix("[") && v.hasSuffix("]") && !v.contains(",") { return .exact }
    if v.hasPrefix("[") || v.hasPrefix("(") { return .range }
    return .exact
  }

  static func project(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try MarkupDocument.parse(bytes)
    var out = ParsedManifest()
    for element in root.descendants("PackageReference") + root.descendants("PackageVersion") {
      guard let name = element.attributes["Include"] ?? element.attributes["Update"] else { continue }
      let version = element.attributes["Version"] ?? element.attributes["VersionOverride"] ?? element.value("Version") ?? ""
      let isTool = (element.attributes["PrivateAssets"] ?? element.value("PrivateAssets") ?? "").lowercased() == "all"
      out.direct.append(DirectDependency(name: name, requirement: version.isEmpty ? "managed" : version,
                                         scope: isTool ? "build" : "runtime", pin: pin(version)))
    }
    return out
  }

  static func packagesConfig(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try MarkupDocument.parse(bytes)
    var out = ParsedManifest()
    for package in root.all("package") {
      guard let id = package.attributes["id"] else { continue }
      let version = package.attributes["version"] ?? ""
      let dev = package.attributes["developmentDependency"] == "true"
      out.direct.append(DirectDependency(name: id, requirement: version, scope: dev ? "dev" : "runtime", pin: pin(version)))
      out.resolved.append(ResolvedPackage(name: id, version: version))
    }
    return out
  }

  static func lock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try JSONDocument.parse(bytes)
    var out = ParsedManifest()
    var seen = Set<ResolvedPackage>()
    for (_, framework) in root["dependencies"]?.pairs ?? [] {
      for (name, node) in framework.pairs ?? [] where node["type"]?.string != "Project" {
        let package = ResolvedPackage(name: name, version: node["resolved"]?.string ?? "")
        if seen.insert(package).inserted { out.resolved.append(package) }
      }
    }
    return out
  }
}
