import Foundation

/// CocoaPods: `Podfile` and `Podfile.lock`.
enum CocoaPods {
  static func podfile(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    var targets: [String] = []
    for raw in ManifestText.lines(bytes) {
      var line = raw.drop { $0 == " " || $0 == "\t" }
      if let hash = line.range(of: " #") { line = line[..<hash.lowerBound] }
      if line.hasPrefix("#") { continue }
      if line.hasPrefix("target ") || line.hasPrefix("abstract_target ") {
        let name = ManifestText.quoted(line).first ?? ""
        targets.append(name.hasSuffix("Tests") || targets.last == "test" ? "test" : "runtime")
        continue
      }
      if line.hasSuffix(" do") || line.contains(" do |") { targets.append(targets.last ?? "runtime"); continue }
      if line == "end" { _ = targets.popLast(); continue }
      guard line.hasPrefix("pod ") || line.hasPrefix("pod(") else { continue }
      let strings = ManifestText.quoted(line)
      guard let name = strings.first else { continue }
      let scope = targets.last ?? "runtime"
      if let path = Bundler.option(line, "path") {
        out.direct.append(DirectDependency(name: name, requirement: path, scope: scope, pin: .local))
      } else if let git = Bundler.option(line, "git") {
        let p: Pin = Bundler.option(line, "commit") != nil ? .exact : (Bundler.option(line, "tag") != nil ? .tag : (Bundler.option(line, "branch") != nil ? .branch : .gitHead))
        out.direct.append(DirectDependency(name: name, requirement: git, scope: scope, pin: p))
      } else {
        let afterName = line.drop { $0 != "," }
        let constraints = afterName.split(separator: ",").compactMap { part -> String? in
          let t = part.trimmingSpaces()
          guard let q = t.first, q == "'" || q == "\"" else { return nil }
          return t.trimmingQuotes().replacingOccurrences(of: "'", with: "")
        }
        out.direct.append(DirectDependency(name: name, requirement: constraints.joined(separator: ", "), scope: scope, pin: Bundler.pin(constraints)))
      }
    }
    return out
  }

  static func lock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try LineYAML.parse(bytes)
    var out = ParsedManifest()
    var seen = Set<ResolvedPackage>()
    for item in root["PODS"]?.items ?? [] {
      guard let entry = item.scalar ?? item.pairs?.first?.key, let open = entry.firstIndex(of: "(") else { continue }
      let full = entry[..<open].trimmingSpaces()
      let name = String(full.split(separator: "/").first ?? "")
      let version = String(entry[entry.index(after: open)...].dropLast())
      let package = ResolvedPackage(name: name, version: version)
      if seen.insert(package).inserted { out.resolved.append(package) }
    }
    return out
  }
}
