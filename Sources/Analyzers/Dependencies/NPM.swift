import Foundation

/// npm, Yarn, pnpm and Bun: `package.json` and the four lockfile families.
enum NPM {
  static func packageJSON(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try JSONDocument.parse(bytes)
    guard root.pairs != nil else { throw ManifestProblem(line: root.line, "package.json must hold a JSON object") }
    var out = ParsedManifest()
    out.package = root["name"]?.string
    out.scriptTargets = scriptTargets(root["scripts"]?.pairs?.compactMap { $0.1.string } ?? [])
    for (section, scope) in [("dependencies", "runtime"), ("devDependencies", "dev"), ("optionalDependencies", "optional"),
                             ("peerDependencies", "peer")] {
      for (name, node) in root[section]?.pairs ?? [] {
        let requirement = node.text ?? ""
        out.direct.append(DirectDependency(name: name, requirement: requirement, scope: scope, pin: pin(requirement)))
      }
    }
    return out
  }

  /// The packages named by `-w`/`--workspace` (npm), `--filter`/`-F` (pnpm, turbo) in the scripts, sorted.
  static func scriptTargets(_ scripts: [String]) -> [String] {
    var out = Set<String>()
    for script in scripts {
      let words = script.split(whereSeparator: { $0 == " " || $0 == "\"" || $0 == "'" }).map(String.init)
      for (i, word) in words.enumerated() {
        if ["-w", "--workspace", "--filter", "-F"].contains(word), i + 1 < words.count { out.insert(words[i + 1]) }
        for flag in ["--workspace=", "--filter="] where word.hasPrefix(flag) { out.insert(String(word.dropFirst(flag.count))) }
      }
    }
    return out.sorted()
  }

  /// npm semantics: `1.2.3` is exact, `1.2` means 1.2.x, `^`/`~`/`>=` are ranges, words are dist-tags.
  static func pin(_ raw: String) -> Pin {
    let r = raw.trimmingSpaces()
    if r.isEmpty || r == "*" || r == "x" || r == "X" { return .any }
    if r.hasPrefix("npm:") {
      let spec = r.dropFirst(4)
      guard let at = spec.dropFirst().lastIndex(of: "@") else { return .any }
      return pin(String(spec[spec.index(after: at)...]))
    }
    for local in ["file:", "link:", "workspace:", "portal:"] where r.hasPrefix(local) { return .local }
    let isGit = r.hasPrefix("git") || r.hasPrefix("github:") || r.hasPrefix("gitlab:") || r.hasPrefix("bitbucket:")
      || (r.contains("/") && !r.contains(" ") && !r.hasPrefix("http") && r.first.map { $0.isLetter } == true)
    if isGit {
      guard let hash = r.lastIndex(of: "#") else { return .gitHead }
      let ref = r[r.index(after: hash)...]
      if ref.hasPrefix("semver:") { return .range }
      if ref.count >= 7, ref.allSatisfy(\.isHexDigit) { return .exact }
      return ManifestText.isPlainVersion(ref) ? .tag : .branch
    }
    if r.hasPrefix("http://") || r.hasPrefix("https://") { return .exact }
    var v = Substring(r)
    if v.hasPrefix("=") { v = v.dropFirst().drop { $0 == " " } }
    if ManifestText.isPlainVersion(v), v.split(separator: ".").count >= 3 { return .exact }
    if r.allSatisfy({ $0.isLetter || $0 == "-" }) { return .tag }
    return .range
  }

  /// `package-lock.json` / `npm-shrinkwrap.json`, lockfile versions 1 to 3.
  static func packageLock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try JSONDocument.parse(bytes)
    var out = ParsedManifest()
    if let packages = root["packages"]?.pairs {
      for (key, node) in packages {
        guard let range = key.range(of: "node_modules/", options: .backwards), node["link"] == nil else { continue }
        guard let version = node["version"]?.string else { continue }
        out.resolved.append(ResolvedPackage(name: String(key[range.upperBound...]), version: version))
      }
    } else if let dependencies = root["dependencies"]?.pairs {
      var stack = dependencies
      while let (name, node) = stack.popLast() {
        if let version = node["version"]?.string { out.resolved.append(ResolvedPackage(name: name, version: version)) }
        stack.append(contentsOf: node["dependencies"]?.pairs ?? [])
      }
    }
    return out
  }

  /// The name in a lockfile specifier such as `@babel/core@^7.0.0` or `lodash@npm:^4.17.21`.
  static func specName(_ spec: Substring) -> String? {
    let s = spec.trimmingSpaces()
    let unquoted = s.hasPrefix("\"") && s.hasSuffix("\"") && s.count >= 2 ? String(s.dropFirst().dropLast()) : s
    guard let at = unquoted.dropFirst().firstIndex(of: "@") else { return unquoted.isEmpty ? nil : unquoted }
    return String(unquoted[..<at])
  }

  /// `yarn.lock`, classic (v1) and Berry.
  static func yarnLock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    var names: [String] = []
    var skip = false
    for (n, line) in ManifestText.lines(bytes).enumerated() {
      if line.isEmpty || line.hasPrefix("#") { continue }
      if line.first != " " {
        guard line.hasSuffix(":") else { throw ManifestProblem(line: n + 1, "invalid yarn.lock: expected a package entry ending in ':'") }
        let header = line.dropLast()
        skip = header == "__metadata" || header.contains("@workspace:") || header.contains("@link:") || header.contains("@portal:")
        names = header.split(separator: ",").compactMap(specName)
        continue
      }
      guard !skip, let name = names.first else { continue }
      let t = line.drop { $0 == " " }
      if t.hasPrefix("version ") || t.hasPrefix("version: ") {
        let v = t.dropFirst(t.hasPrefix("version:") ? 8 : 7).trimmingSpaces()
        let version = v.hasPrefix("\"") && v.count >= 2 ? String(v.dropFirst().dropLast()) : v
        out.resolved.append(ResolvedPackage(name: name, version: version))
        names = []
      }
    }
    return out
  }

  /// `pnpm-lock.yaml`: package keys are `/name/1.0.0` (v5), `/name@1.0.0(peer)` (v6) or `name@1.0.0` (v9).
  static func pnpmLock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try LineYAML.parse(bytes)
    var out = ParsedManifest()
    for (key, _) in root["packages"]?.pairs ?? [] {
      var k = Substring(key)
      if k.hasPrefix("/") { k = k.dropFirst() }
      if let paren = k.firstIndex(of: "(") { k = k[..<paren] }
      if let at = k.dropFirst().lastIndex(of: "@") {
        out.resolved.append(ResolvedPackage(name: String(k[..<at]), version: String(k[k.index(after: at)...])))
      } else if let slash = k.lastIndex(of: "/") {
        let version = k[k.index(after: slash)...].split(separator: "_").first.map(String.init) ?? ""
        out.resolved.append(ResolvedPackage(name: String(k[..<slash]), version: version))
      }
    }
    return out
  }

  /// `bun.lock` (text, JSON with trailing commas); `bun.lockb` is binary and only counted as present.
  static func bunLock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try JSONDocument.parse(bytes, lenient: true)
    var out = ParsedManifest()
    for (_, node) in root["packages"]?.pairs ?? [] {
      guard let spec = node.array?.first?.string, let at = spec.dropFirst().lastIndex(of: "@") else { continue }
      let version = String(spec[spec.index(after: at)...])
      if version.hasPrefix("workspace:") || version.hasPrefix("link:") { continue }
      out.resolved.append(ResolvedPackage(name: String(spec[..<at]), version: version.hasPrefix("npm:") ? String(version.dropFirst(4)) : version))
    }
    return out
  }
}
