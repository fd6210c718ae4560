import Foundation

/// How bad an advisory is: the CVSS v3 (else v4.0) base score computed from the record's vector, or the record's
/// own word when it has no vector Salvage scores.
public struct Severity: Sendable, Hashable, Codable {
  /// critical, high, medium, low, none; or "unknown".
  public let level: String
  /// The CVSS base score, 0.0–10.0.
  public let score: Double?
  /// The vector the score was computed from.
  public let vector: String?

  public init(level: String, score: Double?, vector: String?) {
    self.level = level
    self.score = score
    self.vector = vector
  }

  /// CVSS 3.x qualitative rating of a base score.
  public static func level(of score: Double) -> String {
    switch score {
    case 9.0...: return "critical"
    case 7.0..<9.0: return "high"
    case 4.0..<7.0: return "medium"
    case 0.1..<4.0: return "low"
    default: return "none"
    }
  }

  /// A word as advisory databases write it (GitHub: LOW, MODERATE, HIGH, CRITICAL).
  public static func level(word: String) -> String? {
    switch word.lowercased() {
    case "critical": return "critical"
    case "high", "important": return "high"
    case "moderate", "medium": return "medium"
    case "low", "negligible": return "low"
    default: return nil
    }
  }
}

/// The CVSS v3.1 base score equations (FIRST, CVSS v3.1 Specification, section 7.1), applied to v3.0
/// vectors as well (3.0 rounds up slightly differently in rare cases).
public enum CVSS3 {
  /// Nil when the vector is not a complete CVSS:3.x base vector.
  public static func baseScore(_ vector: String) -> Double? {
    let parts = vector.split(separator: "/")
    guard let head = parts.first, head == "CVSS:3.1" || head == "CVSS:3.0" else { return nil }
    var m: [Substring: Substring] = [:]
    for p in parts.dropFirst() {
      let kv = p.split(separator: ":", maxSplits: 1)
      guard kv.count == 2 else { return nil }
      m[kv[0]] = kv[1]
    }
    guard let scope = m["S"], scope == "U" || scope == "C" else { return nil }
    let changed = scope == "C"
    guard let av = ["N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2][m["AV"] ?? ""],
          let ac = ["L": 0.77, "H": 0.44][m["AC"] ?? ""],
          let pr = (changed ? ["N": 0.85, "L": 0.68, "H": 0.5] : ["N": 0.85, "L": 0.62, "H": 0.27])[m["PR"] ?? ""],
          let ui = ["N": 0.85, "R": 0.62][m["UI"] ?? ""],
          let c = cia[m["C"] ?? ""], let i = cia[m["I"] ?? ""], let a = cia[m["A"] ?? ""] else { return nil }
    let iss = 1 - (1 - c) * (1 - i) * (1 - a)
    let impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss
    let exploitability = 8.22 * av * ac * pr * ui
    guard impact > 0 else { return 0 }
    return roundUp(min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10))
  }

  private static let cia: [Substring: Double] = ["H": 0.56, "L": 0.22, "N": 0]

  /// Roundup as Appendix A of the 3.1 specification defines it, free of floating-point surprises.
  static func roundUp(_ x: Double) -> Double {
    let n = Int((x * 100_000).rounded())
    return n % 10_000 == 0 ? Double(n) / 100_000 : Double(n / 10_000 + 1) / 10
  }
}
