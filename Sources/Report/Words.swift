import Analyzers

/// Numbers and counts as the report prints them, the same in every format and every sentence: the
/// report's one number formatter. A figure is formatted once, in the document model, and each back
/// end prints the string it is given.
enum Words {
  /// 12,345 (the findings' own grouping, `Prose`).
  static func grouped(_ n: Int) -> String { Prose.grouped(n) }

  /// "1 file", "3 files"; irregular plurals given explicitly.
  static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String { Prose.count(n, singular, plural) }

  /// 0.456 -> "46%"; small non-zero shares keep one decimal, so that a small share never reads as none.
  static func percent(_ share: Double) -> String {
    let p = share * 100
    if p != 0 && abs(p) < 1 { return format1(p) + "%" }
    return "\(Int(p.rounded()))%"
  }

  /// 0.4567 -> "45.7%", always one decimal (a bar's width).
  static func percent1(_ share: Double) -> String { format1(share * 100) + "%" }

  /// 0.4567 -> "0.46"
  static func ratio(_ value: Double) -> String {
    let r = (value * 100).rounded() / 100
    let whole = Int(r)
    let cents = Int((abs(r - Double(whole)) * 100).rounded())
    return "\(whole).\(cents < 10 ? "0" : "")\(cents)"
  }

  /// 12.345 -> "12.3"; -0.45 -> "-0.5".
  static func format1(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
  }

  /// A measure's value in its unit.
  static func value(_ value: Double, unit: RiskRules.Unit) -> String {
    switch unit {
    case .share: return percent(value)
    case .count: return grouped(Int(value.rounded()))
    case .days: return count(Int(value.rounded()), "day")
    case .ratio: return ratio(value)
    case .change: return (value >= 0 ? "+" : "") + percent(value)
    case .yesNo: return value >= 1 ? "yes" : "no"
    case .score: return format1(value) + "/10"
    }
  }

  /// How a band reads: "<= 5%: 100", ">= 4: 100".
  static func band(_ bound: Double, _ score: Double, unit: RiskRules.Unit, better: RiskRules.Better) -> String {
    let shown = unit == .yesNo ? (bound >= 1 ? "yes" : "no") : value(bound, unit: unit)
    let op = unit == .yesNo ? "" : (better == .lower ? "≤ " : "≥ ")
    return "\(op)\(shown) → \(Int(score))"
  }

  /// Every band of a measure, then what scores the rest.
  static func bands(_ m: RiskRules.Measure) -> String {
    var parts = m.bands.map { band($0.bound, $0.score, unit: m.unit, better: m.better) }
    parts.append("otherwise → \(Int(m.otherwise))")
    if let missing = m.missing { parts.append("none at all → \(Int(missing))") }
    return parts.joined(separator: "; ")
  }

  static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

  /// "a", "a and b", "a, b and c".
  static func list(_ items: [String]) -> String { Prose.list(items) }
}
