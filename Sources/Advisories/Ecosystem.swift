/// The package ecosystems whose advisories Salvage matches, by their OSV names.
public enum Ecosystem: String, CaseIterable, Sendable, Hashable, Codable {
  case npm = "npm"
  case pypi = "PyPI"
  case go = "Go"
  case crates = "crates.io"
  case maven = "Maven"
  case rubygems = "RubyGems"
  case packagist = "Packagist"

  /// An OSV `ecosystem` value: the part before a `:` (`Maven:https://…`, `Debian:12`) names it.
  public init?(osv: String) {
    let head = osv.split(separator: ":", maxSplits: 1).first.map(String.init) ?? osv
    self.init(rawValue: head)
  }

  /// True when the text is one version of this ecosystem (not a range, a tag or a branch).
  public func isVersion(_ text: String) -> Bool {
    switch self {
    case .npm, .crates: return SemanticVersion(text) != nil
    case .go: return GoVersion(text) != nil
    case .pypi: return PEP440Version(text) != nil
    case .maven: return MavenVersion(text) != nil && !text.contains(where: { "[]()$,{}".contains($0) })
    case .rubygems: return RubyGemsVersion(text) != nil
    case .packagist: return ComposerVersion(text) != nil
    }
  }

  /// The name under which one package is indexed: the spellings a registry treats as one package are one
  /// key.
  public func normalisedName(_ name: String) -> String {
    let t = String(Substring(name).trimmingSpaces)
    switch self {
    // npm names are lowercase since 2017; older mixed-case names are matched regardless of case.
    case .npm, .packagist: return t.lowercased()
    // PEP 503: lowercase, and every run of `-`, `_`, `.` is one `-`.
    case .pypi:
      var out = ""
      var inRun = false
      for c in t.lowercased() {
        if c == "-" || c == "_" || c == "." {
          if !inRun { out.append("-") }
          inRun = true
        } else {
          out.append(c)
          inRun = false
        }
      }
      return out
    // crates.io treats `-` and `_` and case as one name.
    case .crates: return t.lowercased().replacingDashes
    // Maven `group:artifact` and Go module paths are case-sensitive; RubyGems names too.
    case .maven, .go, .rubygems: return t
    }
  }
}

extension String {
  var replacingDashes: String { String(map { $0 == "_" ? "-" : $0 }) }
}
