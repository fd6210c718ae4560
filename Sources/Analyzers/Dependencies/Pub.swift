/// Pub (Dart, Flutter): `pubspec.yaml` and `pubspec.lock`.
enum Pub {
  static func pin(_ raw: String) -> Pin {
    let r = raw.trimmingSpaces().trimmingQuotes()
    if r.isEmpty || r == "any" { return .any }
    if ManifestText.isPlainVersion(r) { return .exact }
    return .range
  }

  static func manifest(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try LineYAML.parse(bytes)
    var out = ParsedManifest()
    for (section, scope) in [("dependencies", "runtime"), ("dev_dependencies", "dev")] {
      for (name, node) in root[section]?.pairs ?? [] {
        if let s = node.scalar {
          out.direct.append(DirectDependency(name: name, requirement: s, scope: scope, pin: pin(s)))
        } else if node.pairs == nil {
          out.direct.append(DirectDependency(name: name, requirement: "", scope: scope, pin: .any))
        } else if let sdk = node["sdk"]?.scalar {
          out.direct.append(DirectDependency(name: name, requirement: "sdk " + sdk, scope: scope, pin: .local))
        } else if let path = node["path"]?.scalar {
          out.direct.append(DirectDependency(name: name, requirement: path, scope: scope, pin: .local))
        } else if let git = node["git"] {
          let url = git.scalar ?? git["url"]?.scalar ?? ""
          let ref = git["ref"]?.scalar
          let p: Pin = ref.map { ManifestText.isHex40($0) ? .exact : (ManifestText.isPlainVersion($0) ? .tag : .branch) } ?? .gitHead
          out.direct.append(DirectDependency(name: name, requirement: url + (ref.map { "#" + $0 } ?? ""), scope: scope, pin: p))
        } else {
          let v = node["version"]?.scalar ?? ""
          out.direct.append(DirectDependency(name: name, requirement: v, scope: scope, pin: pin(v)))
        }
      }
    }
    return out
  }

  static func lock(_ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    let root = try LineYAML.parse(bytes)
    var out = ParsedManifest()
    for (name, node) in root["packages"]?.pairs ?? [] where node["source"]?.scalar != "sdk" {
      out.resolved.append(ResolvedPackage(name: name, version: node["version"]?.scalar ?? ""))
    }
    return out
  }
}
