/// Carthage: `Cartfile`, `Cartfile.private` and `Cartfile.resolved`, one `origin "source" [requirement]` per line.
enum Carthage {
  private static func entries(_ bytes: [UInt8], file: String) throws(ManifestProblem) -> [(name: String, requirement: String, line: Int)] {
    var out: [(String, String, Int)] = []
    for (n, raw) in ManifestText.lines(bytes).enumerated() {
      var line = Substring(raw)
      if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
      let text = line.trimmingSpaces()
      if text.isEmpty { continue }
      guard let origin = text.split(separator: " ").first, ["github", "git", "binary"].contains(origin),
            let source = ManifestText.quoted(text).first else {
        throw ManifestProblem(line: n + 1, "invalid \(file): expected 'github|git|binary \"source\" [requirement]'")
      }
      let afterSource = text.drop { $0 != "\"" }.dropFirst().drop { $0 != "\"" }.dropFirst().trimmingSpaces()
      let name = origin == "github" ? String(source.split(separator: "/").last ?? "") : SwiftPM.name(ofURL: source)
      out.append((name, afterSource, n + 1))
    }
    return out
  }

  static func pin(_ requirement: String) -> Pin {
    if requirement.isEmpty { return .any }
    if requirement.hasPrefix("==") { return .exact }
    if requirement.hasPrefix("~>") || requirement.hasPrefix(">=") { return .range }
    let ref = requirement.trimmingQuotes()
    if ManifestText.isHex40(ref) { return .exact }
    return ManifestText.isPlainVersion(ref) ? .tag : .branch
  }

  static func cartfile(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    for entry in try entries(bytes, file: "Cartfile") {
      out.direct.append(DirectDependency(name: entry.name, requirement: entry.requirement, pin: pin(entry.requirement)))
    }
    return out
  }

  static func resolved(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    for entry in try entries(bytes, file: "Cartfile.resolved") {
      out.resolved.append(ResolvedPackage(name: entry.name, version: entry.requirement.trimmingQuotes()))
    }
    return out
  }
}
