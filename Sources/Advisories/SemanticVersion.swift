/// A SemVer 2.0.0 version (npm, crates.io, and OSV's `SEMVER` ranges), ordered by precedence:
/// numeric major.minor.patch, a pre-release below its release, pre-release identifiers compared one by
/// one (numbers numerically and below words, words in ASCII order, more identifiers higher), build
/// metadata ignored.
public struct SemanticVersion: EcosystemVersion, CustomStringConvertible {
  public let major: Substring
  public let minor: Substring
  public let patch: Substring
  public let prerelease: [Substring]
  public let build: Substring?
  public let description: String

  /// Strict SemVer, but for a leading `v` or `=` (node-semver and OSV's Go ranges write both) and
  /// surrounding spaces.
  public init?(_ text: String) { self.init(text, shorthand: false) }

  /// `shorthand`: `1` and `1.2` stand for `1.0.0` and `1.2.0` (Go's `semver` package allows them).
  init?(_ text: String, shorthand: Bool) {
    var t = Substring(text).trimmingSpaces
    if t.first == "v" || t.first == "V" || t.first == "=" { t = t.dropFirst() }
    description = String(t)
    var build: Substring?
    if let plus = t.firstIndex(of: "+") {
      build = t[t.index(after: plus)...]
      t = t[..<plus]
      guard let b = build, b.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(Order.isAlphanumeric) else { return nil }
    }
    var pre: [Substring] = []
    if let dash = t.firstIndex(of: "-") {
      pre = t[t.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
      t = t[..<dash]
      for p in pre {
        guard Order.isAlphanumeric(p) else { return nil }
        if Order.isDigits(p), p.count > 1, p.first == "0" { return nil }
      }
    }
    var core = t.split(separator: ".", omittingEmptySubsequences: false)
    if shorthand, pre.isEmpty, build == nil { while core.count < 3 { core.append("0") } }
    guard core.count == 3, core.allSatisfy(Order.isDigits) else { return nil }
    (major, minor, patch) = (core[0], core[1], core[2])
    prerelease = pre
    self.build = build
  }

  public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool { compare(a, b) < 0 }
  public static func == (a: SemanticVersion, b: SemanticVersion) -> Bool { compare(a, b) == 0 }

  static func compare(_ a: SemanticVersion, _ b: SemanticVersion) -> Int {
    for (x, y) in [(a.major, b.major), (a.minor, b.minor), (a.patch, b.patch)] {
      let c = Order.digits(x, y)
      if c != 0 { return c }
    }
    switch (a.prerelease.isEmpty, b.prerelease.isEmpty) {
    case (true, true): return 0
    case (true, false): return 1
    case (false, true): return -1
    case (false, false): break
    }
    for (x, y) in zip(a.prerelease, b.prerelease) {
      let c: Int
      switch (Order.isDigits(x), Order.isDigits(y)) {
      case (true, true): c = Order.digits(x, y)
      case (true, false): c = -1
      case (false, true): c = 1
      case (false, false): c = Order.bytes(x, y)
      }
      if c != 0 { return c }
    }
    return Order.of(a.prerelease.count, b.prerelease.count)
  }
}

extension Substring {
  var trimmingSpaces: Substring {
    var t = self
    while t.first == " " || t.first == "\t" { t = t.dropFirst() }
    while t.last == " " || t.last == "\t" { t = t.dropLast() }
    return t
  }
}
