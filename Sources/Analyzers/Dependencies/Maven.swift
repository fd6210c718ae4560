/// Maven: `pom.xml`. A plain version is what Maven uses (a soft requirement, resolved nearest-first);
/// ranges, LATEST/RELEASE and SNAPSHOTs move.
enum Maven {
  static func pin(_ version: String) -> Pin {
    let v = version.trimmingSpaces()
    if v.isEmpty { return .exact }
    if v.hasPrefix("[") || v.hasPrefix("(") { return v.hasPrefix("[") && v.hasSuffix("]") && !v.contains(",") ? .exact : .range }
    if v == "LATEST" || v == "RELEASE" || v.hasPrefix("latest.") { return .tag }
    if v.hasSuffix("-SNAPSHOT") { return .snapshot }
    if v.contains("+") { return .range }
    return .exact
  }

  static func pom(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try MarkupDocument.parse(bytes)
    guard root.localName == "project" else { throw ManifestProblem(line: root.line, "pom.xml: the root element is not <project>") }
    var properties: [String: String] = [:]
    for p in root.first("properties")?.children ?? [] { properties[p.localName] = p.text.trimmingSpaces() }
    properties["project.version"] = root.value("version") ?? root.first("parent")?.value("version")
    func resolve(_ s: String) -> String {
      guard s.hasPrefix("${"), s.hasSuffix("}") else { return s }
      return properties[String(s.dropFirst(2).dropLast())] ?? s
    }
    var out = ParsedManifest()
    for d in root.first("dependencies")?.all("dependency") ?? [] {
      let name = (d.value("groupId") ?? "") + ":" + (d.value("artifactId") ?? "")
      let version = resolve(d.value("version") ?? "")
      let scope = d.value("scope") ?? "runtime"
      let requirement = version.isEmpty ? "managed" : version
      out.direct.append(DirectDependency(name: name, requirement: requirement, scope: scope == "compile" ? "runtime" : scope,
                                         pin: version.hasPrefix("${") ? .exact : pin(version)))
    }
    return out
  }
}
