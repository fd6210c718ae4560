/// A version of one ecosystem, parsed from its text and ordered by that ecosystem's own rules.
///
/// `==` is the ecosystem's equality of precedence (`1.0` and `1.0.0` are one PEP 440 version), not
/// equality of text.
public protocol EcosystemVersion: Comparable, Sendable {
  /// Nil when the text is not a version of this ecosystem.
  init?(_ text: String)
}

/// The three-way comparison the orderings are written in.
enum Order {
  /// Compares two runs of ASCII digits as numbers of any length (leading zeros ignored).
  static func digits(_ a: Substring.UTF8View, _ b: Substring.UTF8View) -> Int {
    let a = a.drop { $0 == 0x30 }, b = b.drop { $0 == 0x30 }
    if a.count != b.count { return a.count < b.count ? -1 : 1 }
    for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
    return 0
  }

  static func digits(_ a: Substring, _ b: Substring) -> Int { digits(a.utf8, b.utf8) }

  static func bytes(_ a: some StringProtocol, _ b: some StringProtocol) -> Int {
    for (x, y) in zip(a.utf8, b.utf8) where x != y { return x < y ? -1 : 1 }
    return a.utf8.count == b.utf8.count ? 0 : (a.utf8.count < b.utf8.count ? -1 : 1)
  }

  static func of<T: Comparable>(_ a: T, _ b: T) -> Int { a == b ? 0 : (a < b ? -1 : 1) }

  static func isDigits(_ s: some StringProtocol) -> Bool {
    !s.isEmpty && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }

  static func isAlphanumeric(_ s: some StringProtocol) -> Bool {
    !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D }
  }
}

/// A number that may exceed 64 bits (`20210101000000`, Maven build numbers), kept as its digits.
public struct BigNumber: Comparable, Hashable, Sendable {
  /// Digits without leading zeros ("" for zero).
  let digits: Substring

  init(_ text: Substring) { digits = text.drop { $0 == "0" } }

  var isZero: Bool { digits.isEmpty }

  public static func < (a: BigNumber, b: BigNumber) -> Bool { Order.digits(a.digits, b.digits) < 0 }
  public static func == (a: BigNumber, b: BigNumber) -> Bool { a.digits == b.digits }
  public func hash(into hasher: inout Hasher) { hasher.combine(digits) }
}
