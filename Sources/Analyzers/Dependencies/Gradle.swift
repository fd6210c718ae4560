/// Gradle: `build.gradle(.kts)` dependency lines, the version catalog `libs.versions.toml`, and
/// `gradle.lockfile`.
enum Gradle {
  static let configurations: Set<String> = [
    "implementation", "api", "compile", "compileOnly", "runtimeOnly", "runtime", "testImplementation", "testCompile",
    "testRuntimeOnly", "testCompileOnly", "androidTestImplementation", "debugImplementation", "releaseImplementation",
    "kapt", "ksp", "annotationProcessor", "classpath", "integrationTestImplementation", "compileClasspath",
  ]

  static func pin(_ version: String) -> Pin {
    if version.isEmpty { return .exact }
    if version.contains("+") || version.hasPrefix("[") || version.hasPrefix("(") { return .range }
    if version.hasPrefix("latest.") { return .tag }
    if version.hasSuffix("-SNAPSHOT") { return .snapshot }
    return .exact
  }

  static func coordinate(_ text: String, scope: String) -> DirectDependency? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[0].contains(" ") else { return nil }
    let version = parts.count >= 3 ? String(parts[2].split(separator: "@").first ?? "") : ""
    return DirectDependency(name: parts[0] + ":" + parts[1], requirement: version.isEmpty ? "managed" : version, scope: scope, pin: pin(version))
  }

  static func buildScript(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    for raw in ManifestText.lines(bytes) {
      let line = raw.drop { $0 == " " || $0 == "\t" }
      let word = line.prefix { $0.isLetter || $0.isNumber }
      guard configurations.contains(String(word)) else { continue }
      let rest = line.dropFirst(word.count)
      guard let next = rest.first, next == " " || next == "(" else { continue }
      let scope = word.hasPrefix("test") || word.hasPrefix("androidTest") || word.hasPrefix("integrationTest") ? "test"
        : (word == "classpath" || word == "kapt" || word == "ksp" || word == "annotationProcessor" ? "build" : "runtime")
      let strings = ManifestText.quoted(rest)
      if rest.contains("group:") || rest.contains("group =") {
        // Map notation: group: 'g', name: 'a', version: 'v'
        guard strings.count >= 2 else { continue }
        let version = strings.count >= 3 ? strings[2] : ""
        out.direct.append(DirectDependency(name: strings[0] + ":" + strings[1], requirement: version.isEmpty ? "managed" : version,
                                           scope: scope, pin: pin(version)))
      } else if let first = strings.first, let dependency = coordinate(first, scope: scope) {
        out.direct.append(dependency)
      }
    }
    return out
  }

  static func versionCatalog(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try Python.toml(bytes)
    var versions: [String: String] = [:]
    for (key, value) in root["versions"]?.table?.entries ?? [] {
      versions[key] = value.string ?? value.table?["strictly"]?.string ?? value.table?["require"]?.string ?? value.table?["prefer"]?.string
    }
    var out = ParsedManifest()
    for (_, value) in root["libraries"]?.table?.entries ?? [] {
      if let s = value.string {
        if let d = coordinate(s, scope: "runtime") { out.direct.append(d) }
        continue
      }
      guard let t = value.table else { continue }
      let module = t["module"]?.string ?? ((t["group"]?.string ?? "") + ":" + (t["name"]?.string ?? ""))
      var version = ""
      if let v = t["version"] {
        version = v.string ?? v.table?["ref"]?.string.flatMap { versions[$0] } ?? v.table?["strictly"]?.string ?? v.table?["require"]?.string ?? ""
      }
      out.direct.append(DirectDependency(name: module, requirement: version.isEmpty ? "managed" : version, pin: pin(version)))
    }
    return out
  }

  static func lockfile(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    for (n, line) in ManifestText.lines(bytes).enumerated() where !line.isEmpty && !line.hasPrefix("#") && !line.hasPrefix("empty=") {
      let coordinate = line.split(separator: "=").first ?? ""
      let parts = coordinate.split(separator: ":")
      guard parts.count == 3 else { throw ManifestProblem(line: n + 1, "invalid gradle.lockfile: expected 'group:name:version=configurations'") }
      out.resolved.append(ResolvedPackage(name: parts[0] + ":" + parts[1], version: String(parts[2])))
    }
    return out
  }
}
