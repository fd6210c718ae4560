/// A dependency a manifest declares, with the requirement as written.
public struct DirectDependency: Sendable, Equatable {
  public var name: String
  /// The version requirement as written ("" when the manifest names no version).
  public var requirement: String
  /// True when the requirement selects one version or one commit (or a local path).
  public var pinned: Bool
  /// runtime, dev, build, optional, peer, test.
  public var scope: String
  /// Why it is not pinned: "range", "any version", "tag", "branch", "git without commit", "snapshot".
  public var looseness: String?
  /// A local path or workspace sibling: nothing is fetched.
  public var local: Bool

  public init(name: String, requirement: String, scope: String = "runtime", pin: Pin) {
    self.name = name
    self.requirement = requirement
    self.scope = scope
    self.pinned = pin.pinned
    self.looseness = pin.looseness
    self.local = pin.local
  }
}

/// Whether a requirement is pinned, and why not.
public struct Pin: Sendable, Equatable {
  public let pinned: Bool
  public let looseness: String?
  public var local = false
  public static let exact = Pin(pinned: true, looseness: nil)
  /// A local path or a workspace sibling: nothing to fetch, nothing to pin.
  public static let local = Pin(pinned: true, looseness: nil, local: true)
  public static let range = Pin(pinned: false, looseness: "range")
  public static let any = Pin(pinned: false, looseness: "any version")
  public static let tag = Pin(pinned: false, looseness: "tag")
  public static let branch = Pin(pinned: false, looseness: "branch")
  public static let gitHead = Pin(pinned: false, looseness: "git without commit")
  public static let snapshot = Pin(pinned: false, looseness: "snapshot")
}

/// A package a lockfile resolved.
public struct ResolvedPackage: Sendable, Hashable {
  public var name: String
  public var version: String
  public init(name: String, version: String) {
    self.name = name
    self.version = version
  }
}

/// What one manifest or lockfile says.
public struct ParsedManifest: Sendable {
  public var direct: [DirectDependency] = []
  /// Requirements the manifest records for its dependencies' sake, not its own (a go.mod's
  /// `// indirect` lines): listed apart, never counted as direct.
  public var indirect: [DirectDependency] = []
  public var resolved: [ResolvedPackage] = []
  /// The name the manifest gives its own package (package.json's `name`), which workspace siblings
  /// depend on.
  public var package: String?
  /// Workspace packages its scripts run by name (`npm run start -w @documenso/remix`, `--filter web`).
  public var scriptTargets: [String] = []
  /// False for formats that are recognised but not read (binary lockfiles).
  public var readable = true
  public init() {}
}

/// A manifest that cannot be read: the line (1-based) when known, and what is wrong in words.
public struct ManifestProblem: Error, Sendable, Equatable {
  public let line: Int?
  public let message: String
  public init(line: Int?, _ message: String) {
    self.line = line
    self.message = message
  }
}

/// Small shared helpers for the ecosystem parsers.
enum ManifestText {
  static func lines(_ bytes: [UInt8]) -> [Substring] {
    String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
  }

  static func isHex40(_ s: some StringProtocol) -> Bool {
    s.utf8.count >= 40 && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
  }

  /// `1.2.3`, `v1.2.3`, `1.2.3-beta.1+build`, `1.2`: a single version.
  static func isPlainVersion(_ s: some StringProtocol) -> Bool {
    var t = Substring(s)
    if t.first == "v" || t.first == "V" { t = t.dropFirst() }
    guard let first = t.first, first.isNumber else { return false }
    return t.allSatisfy { $0.isNumber || $0.isLetter || $0 == "." || $0 == "-" || $0 == "+" || $0 == "_" }
      && !t.contains("x") && !t.contains("X") && !t.hasSuffix(".")
  }

  /// Text between double or single quotes of the first quoted string in `s`.
  static func quoted(_ s: some StringProtocol) -> [String] {
    var out: [String] = []
    var current: String?
    var quote: Character = "\""
    for c in s {
      if var open = current {
        if c == quote {
          out.append(open)
          current = nil
        } else {
          open.append(c)
          current = open
        }
      } else if c == "\"" || c == "'" {
        quote = c
        current = ""
      }
    }
    return out
  }
}
