import Foundation

/// SwiftPM: `Package.swift`, `Package.resolved` (v1 to v3), and the package references of an Xcode
/// project (`project.pbxproj`), whose `Package.resolved` sits inside the project or workspace bundle.
enum SwiftPM {
  /// The argument text of every call `marker(...)` in Swift source, parentheses balanced, strings skipped.
  static func calls(_ text: String, _ marker: String) -> [(arguments: Substring, line: Int)] {
    var out: [(Substring, Int)] = []
    var search = text.startIndex
    while let r = text.range(of: marker, range: search..<text.endIndex) {
      var depth = 1
      var idx = r.upperBound
      var inString = false
      while idx < text.endIndex, depth > 0 {
        let c = text[idx]
        if inString {
          if c == "\\" { idx = text.index(after: idx) } else if c == "\"" { inString = false }
        } else if c == "\"" { inString = true } else if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
        if idx < text.endIndex { idx = text.index(after: idx) }
      }
      let line = text[..<r.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
      out.append((text[r.upperBound..<(depth == 0 ? text.index(before: idx) : idx)], line))
      search = idx
    }
    return out
  }

  /// The quoted string after `label:` in an argument list.
  static func argument(_ arguments: Substring, _ label: String) -> String? {
    guard let r = arguments.range(of: label + ":") else { return nil }
    return ManifestText.quoted(arguments[r.upperBound...].prefix(300)).first
  }

  static func name(ofURL url: String) -> String {
    var last = url.split(separator: "/").last.map(String.init) ?? url
    if last.hasSuffix(".git") { last = String(last.dropLast(4)) }
    return last
  }

  static func manifest(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let text = String(decoding: bytes, as: UTF8.self)
    var out = ParsedManifest()
    for (arguments, _) in calls(text, ".package(") {
      if let path = argument(arguments, "path") {
        out.direct.append(DirectDependency(name: name(ofURL: path), requirement: path, pin: .local))
        continue
      }
      let source = argument(arguments, "url") ?? argument(arguments, "id") ?? ""
      guard !source.isEmpty else { continue }
      let name = arguments.contains("id:") && !arguments.contains("url:") ? source : name(ofURL: source)
      let requirement: String
      let pin: Pin
      if let v = argument(arguments, "exact") ?? (arguments.contains(".exact(") ? ManifestText.quoted(arguments.drop { $0 != "(" }).first : nil) {
        (requirement, pin) = ("exact " + v, .exact)
      } else if let r = argument(arguments, "revision") {
        (requirement, pin) = ("revision " + r, .exact)
      } else if let b = argument(arguments, "branch") {
        (requirement, pin) = ("branch " + b, .branch)
      } else if arguments.contains("upToNextMinor") {
        (requirement, pin) = ("upToNextMinor " + (argument(arguments, "from") ?? ""), .range)
      } else if let from = argument(arguments, "from") {
        (requirement, pin) = ("from " + from, .range)
      } else if arguments.contains("..<") || arguments.contains("...") {
        let versions = ManifestText.quoted(arguments).dropFirst()
        (requirement, pin) = (versions.joined(separator: arguments.contains("..<") ? "..<" : "..."), .range)
      } else {
        (requirement, pin) = ("", .any)
      }
      out.direct.append(DirectDependency(name: name, requirement: requirement, pin: pin))
    }
    return out
  }

  /// Test targets declared in `Package.swift`: (name, path or nil for the default `Tests/<name>`).
  static func testTargets(_ text: String) -> [(name: String, path: String?)] {
    calls(text, ".testTarget(").compactMap { arguments, _ in
      argument(arguments, "name").map { ($0, argument(arguments, "path")) }
    }
  }

  static func resolved(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try JSONDocument.parse(bytes)
    var out = ParsedManifest()
    for pin in root["pins"]?.array ?? root["object"]?["pins"]?.array ?? [] {
      let name = pin["identity"]?.string ?? pin["package"]?.string ?? name(ofURL: pin["location"]?.string ?? pin["repositoryURL"]?.string ?? "")
      let state = pin["state"]
      let version = state?["version"]?.string ?? state?["revision"]?.string ?? state?["branch"]?.string ?? ""
      out.resolved.append(ResolvedPackage(name: name.lowercased(), version: version))
    }
    return out
  }

  /// `XCRemoteSwiftPackageReference` entries of an Xcode project.
  static func xcodeProject(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    var out = ParsedManifest()
    var url: String?
    var fields: [String: String] = [:]
    func flush() {
      guard let u = url else { return }
      let kind = fields["kind"] ?? ""
      let pin: Pin
      let requirement: String
      switch kind {
      case "exactVersion": (pin, requirement) = (.exact, "exact " + (fields["version"] ?? ""))
      case "revision": (pin, requirement) = (.exact, "revision " + (fields["revision"] ?? ""))
      case "branch": (pin, requirement) = (.branch, "branch " + (fields["branch"] ?? ""))
      case "upToNextMinorVersion": (pin, requirement) = (.range, "upToNextMinor " + (fields["minimumVersion"] ?? ""))
      case "versionRange": (pin, requirement) = (.range, (fields["minimumVersion"] ?? "") + "..<" + (fields["maximumVersion"] ?? ""))
      default: (pin, requirement) = (.range, "from " + (fields["minimumVersion"] ?? ""))
      }
      out.direct.append(DirectDependency(name: name(ofURL: u), requirement: requirement, pin: pin))
      url = nil
      fields = [:]
    }
    var inReference = false
    for raw in ManifestText.lines(bytes) {
      let line = raw.trimmingSpaces()
      if line.contains("isa = XCRemoteSwiftPackageReference;") { flush(); inReference = true; continue }
      guard inReference else { continue }
      if line.hasPrefix("isa = ") { flush(); inReference = false; continue }
      guard let eq = line.range(of: " = ") else { continue }
      let key = String(line[..<eq.lowerBound])
      var value = String(line[eq.upperBound...])
      if value.hasSuffix(";") { value.removeLast() }
      value = value.trimmingQuotes()
      if key == "repositoryURL" { url = value } else { fields[key] = value }
      if key == "kind" || key == "minimumVersion" || key == "maximumVersion" || key == "version" || key == "branch" || key == "revision" {
        fields[key] = value
      }
    }
    flush()
    return out
  }
}
