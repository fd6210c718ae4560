import Foundation

/// Bundler: `Gemfile` and `Gemfile.lock`. In a Gemfile a bare version is exact, `~>` and `>=` are ranges.
enum Bundler {
  static func pin(_ constraints: [String]) -> Pin {
    if constraints.isEmpty { return .any }
    let exact = constraints.contains { c in
      let t = c.trimmingSpaces()
      return ManifestText.isPlainVersion(t) || (t.hasPrefix("=") && !t.hasPrefix("=>") && ManifestText.isPlainVersion(t.dropFirst().drop { $0 == " " }))
    }
    return exact ? .exact : .range
  }

  /// Options written `key: value` or `:key => value`.
  static func option(_ line: Substring, _ key: String) -> String? {
    for form in ["\(key):", ":\(key) =>", ":\(key)=>"] {
      guard let r = line.range(of: form) else { continue }
      return ManifestText.quoted(line[r.upperBound...]).first ?? String(line[r.upperBound...].drop { $0 == " " }.prefix { $0 != "," && $0 != " " })
    }
    return nil
  }

  static func gemfile(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    var groups: [String] = []
    for raw in ManifestText.lines(bytes) {
      var line = raw.drop { $0 == " " || $0 == "\t" }
      if let hash = line.range(of: " #") { line = line[..<hash.lowerBound] }
      if line.hasPrefix("#") { continue }
      if line.hasPrefix("group ") || line.hasPrefix("group(") {
        groups.append(line.contains(":development") || line.contains(":test") ? "dev" : "runtime")
        continue
      }
      if line.hasSuffix(" do") || line.hasSuffix(" do |") || line.contains(" do |") { groups.append(groups.last ?? "runtime"); continue }
      if line == "end" { _ = groups.popLast(); continue }
      guard line.hasPrefix("gem ") || line.hasPrefix("gem(") else { continue }
      let strings = ManifestText.quoted(line)
      guard let name = strings.first else { continue }
      var scope = groups.last ?? "runtime"
      if let group = option(line, "group"), group == "development" || group == "test" { scope = "dev" }
      if line.contains("group: [") || line.contains(":group => [") { scope = "dev" }
      if let path = option(line, "path") {
        out.direct.append(DirectDependency(name: name, requirement: path, scope: scope, pin: .local))
      } else if let git = option(line, "git") ?? option(line, "github") {
        let p: Pin = option(line, "ref") != nil ? .exact : (option(line, "tag") != nil ? .tag : (option(line, "branch") != nil ? .branch : .gitHead))
        out.direct.append(DirectDependency(name: name, requirement: git, scope: scope, pin: p))
      } else {
        // Version constraints are the quoted strings right after the name, before any `key:` option.
        var constraints: [String] = []
        var rest = line.drop { $0 != "," }
        while rest.first == "," {
          let item = rest.dropFirst().drop { $0 == " " }
          guard let q = item.first, q == "\"" || q == "'" else { break }
          let body = item.dropFirst()
          guard let close = body.firstIndex(of: q) else { break }
          constraints.append(String(body[..<close]))
          rest = body[body.index(after: close)...].drop { $0 == " " }
        }
        out.direct.append(DirectDependency(name: name, requirement: constraints.joined(separator: ", "), scope: scope, pin: pin(constraints)))
      }
    }
    return out
  }

  static func lock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    var inSpecs = false
    for (n, line) in ManifestText.lines(bytes).enumerated() {
      if line.isEmpty { inSpecs = false; continue }
      if line.first != " " { inSpecs = false; continue }
      if line == "  specs:" { inSpecs = true; continue }
      guard inSpecs, line.hasPrefix("    "), !line.hasPrefix("     ") else { continue }
      let entry = line.dropFirst(4)
      guard let open = entry.firstIndex(of: "("), entry.hasSuffix(")") else {
        throw ManifestProblem(line: n + 1, "invalid Gemfile.lock: expected 'name (version)' in specs")
      }
      out.resolved.append(ResolvedPackage(name: entry[..<open].trimmingSpaces(), version: String(entry[entry.index(after: open)..<entry.index(before: entry.endIndex)])))
    }
    return out
  }
}
