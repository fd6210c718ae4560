/// A RubyGems version, ordered as `Gem::Version#<=>`: segments are runs of digits or of letters
/// (`1.0.0.rc1` is 1, 0, 0, "rc", 1; a `-` reads as `.pre.`), trailing zeros of the numeric part and of
/// the part from the first word on are dropped (`1.0 == 1`), a missing segment counts as 0, a word
/// is below any number (so any version with a letter is a pre-release of the one without), and words
/// compare alphabetically.
public struct RubyGemsVersion: EcosystemVersion, CustomStringConvertible {
  enum Segment: Equatable {
    case number(BigNumber)
    case word(String)
  }

  let canonical: [Segment]
  public let description: String
  public let isPrerelease: Bool

  public init?(_ text: String) {
    let t = Substring(text).trimmingSpaces
    description = String(t)
    // Gem::Version::ANCHORED_VERSION_PATTERN: [0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?
    guard let first = t.utf8.first, first >= 0x30 && first <= 0x39 else { return nil }
    var main = t, tail: Substring = ""
    if let dash = t.firstIndex(of: "-") {
      main = t[..<dash]
      tail = t[t.index(after: dash)...]
      guard tail.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(Order.isAlphanumeric) else { return nil }
    }
    guard main.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ Order.isAlphanumeric($0) && !$0.contains("-") }) else { return nil }
    let normalised = tail.isEmpty ? String(main) : main + ".pre." + tail.dashesAsDots
    isPrerelease = normalised.contains { $0.isLetter }
    var segments: [Segment] = []
    var run = ""
    var runIsDigit = false
    for c in normalised {
      let isDigit = c.isASCII && c.isNumber, isLetter = c.isASCII && c.isLetter
      if !run.isEmpty && (!(isDigit || isLetter) || isDigit != runIsDigit) {
        segments.append(runIsDigit ? .number(BigNumber(Substring(run))) : .word(run))
        run = ""
      }
      if isDigit || isLetter {
        run.append(c)
        runIsDigit = isDigit
      }
    }
    if !run.isEmpty { segments.append(runIsDigit ? .number(BigNumber(Substring(run))) : .word(run)) }
    // canonical_segments: drop trailing zeros from the numeric part and from the rest, separately.
    let split = segments.firstIndex { if case .word = $0 { return true } else { return false } } ?? segments.count
    canonical = Self.dropTrailingZeros(Array(segments[..<split])) + Self.dropTrailingZeros(Array(segments[split...]))
  }

  private static func dropTrailingZeros(_ s: [Segment]) -> [Segment] {
    var s = s
    while case .number(let n)? = s.last, n.isZero { s.removeLast() }
    return s
  }

  public static func < (a: RubyGemsVersion, b: RubyGemsVersion) -> Bool { compare(a, b) < 0 }
  public static func == (a: RubyGemsVersion, b: RubyGemsVersion) -> Bool { compare(a, b) == 0 }

  static func compare(_ a: RubyGemsVersion, _ b: RubyGemsVersion) -> Int {
    let zero = Segment.number(BigNumber(""))
    for i in 0..<max(a.canonical.count, b.canonical.count) {
      let l = i < a.canonical.count ? a.canonical[i] : zero, r = i < b.canonical.count ? b.canonical[i] : zero
      switch (l, r) {
      case let (.number(m), .number(n)): if m != n { return m < n ? -1 : 1 }
      case (.word, .number): return -1
      case (.number, .word): return 1
      case let (.word(m), .word(n)): if m != n { return Order.bytes(m, n) }
      }
    }
    return 0
  }
}

extension Substring {
  var dashesAsDots: String { String(map { $0 == "-" ? "." : $0 }) }
}
