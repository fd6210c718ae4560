import Analyzers
import SalvageCore

/// Counts, measures in their units and bands as the report prints them, the same in every format and
/// every sentence; the numbers in them are written by `Figures`. A figure is formatted once, in the
/// document model, and each back end prints the string it is given.
enum Words {
  /// "1 file", "3 files"; irregular plurals given explicitly.
  static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String { Prose.count(n, singular, plural) }

  /// 0.4567 -> "45.7%", always one decimal: a bar's width, not a figure a reader is shown.
  static func percent1(_ share: Double) -> String { Figures.oneDecimal(share * 100) + "%" }

  /// A measure's value in its unit.
  static func value(_ value: Double, unit: RiskRules.Unit) -> String {
    switch unit {
    case .share: return Figures.percent(value)
    case .count: return Figures.grouped(Int(value.rounded()))
    case .days: return count(Int(value.rounded()), "day")
    case .ratio: return Figures.ratio(value)
    case .change: return (value >= 0 ? "+" : "") + Figures.percent(value)
    case .yesNo: return value >= 1 ? "yes" : "no"
    case .score: return Figures.oneDecimal(value) + "/10"
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
