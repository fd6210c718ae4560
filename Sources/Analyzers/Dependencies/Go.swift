import Foundation

/// Go modules: `go.mod` and `go.sum`. A Go requirement is always one exact version (pseudo-versions name a
/// commit), and go.sum pins its content.
enum GoModules {
  static func goMod(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    var block: Substring?
    var blockLine = 0
    for (n, raw) in ManifestText.lines(bytes).enumerated() {
      var line = Substring(raw)
      var indirect = false
      if let comment = line.range(of: "//") {
        indirect = line[comment.upperBound...].contains("indirect")
        line = line[..<comment.lowerBound]
      }
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard let first = words.first else { continue }
      if let open = block {
        if first == ")" { block = nil; continue }
        if open == "require" {
          guard words.count >= 2 else { throw ManifestProblem(line: n + 1, "invalid go.mod: expected 'module version' in require block") }
          out.add(require(words[0], words[1], indirect: indirect))
        }
        continue
      }
      if words.count == 2, words[1] == "(" { block = first; blockLine = n + 1; continue }
      if first == "require" {
        guard words.count >= 3 else { throw ManifestProblem(line: n + 1, "invalid go.mod: expected 'require module version'") }
        out.add(require(words[1], words[2], indirect: indirect))
      }
    }
    if block != nil { throw ManifestProblem(line: blockLine, "invalid go.mod: block opened here is never closed") }
    return out
  }

  private static func require(_ module: Substring, _ version: Substring, indirect: Bool) -> DirectDependency {
    DirectDependency(name: String(module).trimmingQuotes(), requirement: String(version), scope: indirect ? "indirect" : "runtime", pin: .exact)
  }

  static func goSum(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    var seen = Set<ResolvedPackage>()
    for (n, line) in ManifestText.lines(bytes).enumerated() where !line.isEmpty {
      let words = line.split(separator: " ")
      guard words.count == 3 else { throw ManifestProblem(line: n + 1, "invalid go.sum: expected 'module version hash'") }
      // `/go.mod` lines only record a module's requirements, not code that is built.
      if words[1].hasSuffix("/go.mod") { continue }
      let package = ResolvedPackage(name: String(words[0]), version: String(words[1]))
      if seen.insert(package).inserted { out.resolved.append(package) }
    }
    return out
  }
}

extension ParsedManifest {
  /// A go.mod requirement: `// indirect` ones (needed by a dependency, or recorded to fix a version
  /// the module graph would otherwise lower) are kept apart from the module's own.
  fileprivate mutating func add(_ requirement: DirectDependency) {
    if requirement.scope == "indirect" { indirect.append(requirement) } else { direct.append(requirement) }
  }
}

extension String {
  func trimmingQuotes() -> String {
    count >= 2 && hasPrefix("\"") && hasSuffix("\"") ? String(dropFirst().dropLast()) : self
  }
}
