/// A Composer (Packagist) version, normalised as `composer/semver`'s `VersionParser::normalize` does
/// (`v` dropped, four numbers, `a`/`b`/`p`/`pl`/`rc` spelled `alpha`/`beta`/`patch`/`RC`, a `-dev`
/// suffix) and ordered as PHP's `version_compare` orders normalised versions:
/// `dev < alpha < beta < RC < (release) < patch`, numbers numerically. Branch names (`dev-main`) are not
/// versions.
public struct ComposerVersion: EcosystemVersion, CustomStringConvertible {
  /// Numbers, then ranks of special words (`Rank`).
  enum Part: Equatable {
    case number(BigNumber)
    case word(Int)
  }

  /// PHP's special forms: any other word < dev < alpha = a < beta = b < RC = rc < # (a number) < pl = p.
  enum Rank {
    static let other = 0, dev = 1, alpha = 2, beta = 3, rc = 4, number = 5, patch = 6
  }

  let parts: [Part]
  public let description: String

  public init?(_ text: String) {
    var t = Substring(text.lowercased()).trimmingSpaces
    description = String(Substring(text).trimmingSpaces)
    if t.hasPrefix("dev-") { return nil }
    if t.hasPrefix("v") { t = t.dropFirst() } else if t.hasPrefix("==") { t = t.dropFirst(2) }
    if let plus = t.firstIndex(of: "+") { t = t[..<plus] }  // build metadata
    // Numbers: up to four, separated by dots.
    var numbers: [BigNumber] = []
    var rest = t
    while numbers.count < 4 {
      let digits = rest.prefix { $0.isASCII && $0.isNumber }
      guard !digits.isEmpty else { break }
      numbers.append(BigNumber(digits))
      rest = rest.dropFirst(digits.count)
      guard rest.first == ".", rest.dropFirst().first?.isNumber == true else { break }
      rest = rest.dropFirst()
    }
    guard !numbers.isEmpty else { return nil }
    while numbers.count < 4 { numbers.append(BigNumber("")) }
    var parts = numbers.map { Part.number($0) }
    // [._-]?(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?([.-]?dev)?
    if rest.first == "." || rest.first == "-" || rest.first == "_" { rest = rest.dropFirst() }
    let words: [(String, Int?)] = [("stable", nil), ("beta", Rank.beta), ("b", Rank.beta), ("rc", Rank.rc), ("alpha", Rank.alpha),
                                   ("a", Rank.alpha), ("patch", Rank.patch), ("pl", Rank.patch), ("p", Rank.patch)]
    if let (word, rank) = words.first(where: { rest.hasPrefix($0.0) && !rest.hasPrefix("dev") }) {
      rest = rest.dropFirst(word.count)
      if let rank { parts.append(.word(rank)) }
      while true {
        var r = rest
        if r.first == "." || r.first == "-" { r = r.dropFirst() }
        let digits = r.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { break }
        parts.append(.number(BigNumber(digits)))
        rest = r.dropFirst(digits.count)
      }
    }
    if rest.first == "." || rest.first == "-" { rest = rest.dropFirst() }
    if rest == "dev" {
      parts.append(.word(Rank.dev))
      rest = ""
    }
    guard rest.isEmpty else { return nil }
    self.parts = parts
  }

  public static func < (a: ComposerVersion, b: ComposerVersion) -> Bool { compare(a, b) < 0 }
  public static func == (a: ComposerVersion, b: ComposerVersion) -> Bool { compare(a, b) == 0 }

  /// version_compare: part by part; a number against a word compares `#` with the word; when one side
  /// runs out, a further number makes it greater and a further word is compared with `#`.
  static func compare(_ a: ComposerVersion, _ b: ComposerVersion) -> Int {
    func rank(_ p: Part) -> Int { if case .word(let r) = p { return r } else { return Rank.number } }
    for i in 0..<max(a.parts.count, b.parts.count) {
      switch (i < a.parts.count ? a.parts[i] : nil, i < b.parts.count ? b.parts[i] : nil) {
      case let (.number(m)?, .number(n)?): if m != n { return m < n ? -1 : 1 }
      case let (l?, r?): if rank(l) != rank(r) { return Order.of(rank(l), rank(r)) }
      case let (l?, nil): return rank(l) == Rank.number ? 1 : Order.of(rank(l), Rank.number)
      case let (nil, r?): return rank(r) == Rank.number ? -1 : Order.of(Rank.number, rank(r))
      case (nil, nil): return 0
      }
    }
    return 0
  }
}
