import Foundation

/// Mix (Elixir): the `deps` of `mix.exs` and `mix.lock`.
enum Mix {
  static func pin(_ requirement: String) -> Pin {
    let r = requirement.trimmingSpaces()
    if r.isEmpty { return .any }
    if r.hasPrefix("==") || ManifestText.isPlainVersion(r) { return .exact }
    return .range
  }

  static func manifest(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let text = String(decoding: bytes, as: UTF8.self)
    var out = ParsedManifest()
    guard let start = text.range(of: "defp deps") ?? text.range(of: "def deps") else { return out }
    var body = text[start.upperBound...]
    if let end = body.range(of: "\n  end") ?? body.range(of: "\nend") { body = body[..<end.lowerBound] }
    var search = body.startIndex
    while let open = body.range(of: "{:", range: search..<body.endIndex) {
      var depth = 1
      var idx = open.upperBound
      while idx < body.endIndex, depth > 0 {
        if body[idx] == "{" { depth += 1 } else if body[idx] == "}" { depth -= 1 }
        idx = body.index(after: idx)
      }
      let tuple = body[open.upperBound..<(depth == 0 ? body.index(before: idx) : idx)]
      search = idx
      let name = String(tuple.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
      guard !name.isEmpty else { continue }
      let rest = tuple.dropFirst(name.count)
      var scope = "runtime"
      if let only = rest.range(of: "only:") {
        let value = rest[only.upperBound...].prefix(40)
        if !value.contains(":prod") { scope = value.contains(":test") && !value.contains(":dev") ? "test" : "dev" }
      }
      if rest.contains("path:") || rest.contains("in_umbrella:") {
        out.direct.append(DirectDependency(name: name, requirement: Bundler.option(rest, "path") ?? "umbrella", scope: scope, pin: .local))
      } else if let git = Bundler.option(rest, "git") ?? Bundler.option(rest, "github") {
        let p: Pin = Bundler.option(rest, "ref") != nil ? .exact : (Bundler.option(rest, "tag") != nil ? .tag : (Bundler.option(rest, "branch") != nil ? .branch : .gitHead))
        out.direct.append(DirectDependency(name: name, requirement: git, scope: scope, pin: p))
      } else {
        let requirement = rest.drop { $0 == "," || $0 == " " }.first == "\"" ? (ManifestText.quoted(rest).first ?? "") : ""
        out.direct.append(DirectDependency(name: name, requirement: requirement, scope: scope, pin: pin(requirement)))
      }
    }
    return out
  }

  static func lock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    for (n, raw) in ManifestText.lines(bytes).enumerated() {
      let line = raw.trimmingSpaces()
      guard line.hasPrefix("\"") else { continue }
      let strings = ManifestText.quoted(line)
      guard strings.count >= 2, let brace = line.firstIndex(of: "{") else {
        throw ManifestProblem(line: n + 1, "invalid mix.lock: expected '\"name\": {:hex, :name, \"version\", ...}'")
      }
      let tuple = line[brace...]
      // {:hex, :name, "1.2.3", ...} or {:git, "url", "sha", [...]}
      let version = tuple.hasPrefix("{:git") ? (strings.count >= 3 ? strings[2] : "") : strings[1]
      out.resolved.append(ResolvedPackage(name: strings[0], version: version))
    }
    return out
  }
}
