import Foundation

/// How a figure is written: the one number and percentage formatter of the analyzers' messages, the
/// report and the rule errors, and the rounding the typed outputs store. A figure is formatted once and
/// each back end prints the string it is given.
public enum Figures {
  /// 0.456 -> "46%": whole percents. A non-zero share under 0.95% keeps one decimal ("0.4%"), so that a
  /// small share never reads as none, whichever its sign.
  public static func percent(_ share: Double) -> String {
    let p = share * 100
    if p != 0 && abs(p) < 0.95 { return oneDecimal(p) + "%" }
    return "\(Int(p.rounded()))%"
  }

  /// 12,345
  public static func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (k, ch) in digits.enumerated() {
      if k > 0, (digits.count - k) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return n < 0 ? "-" + out : out
  }

  /// 12.345 -> "12.3"; -0.45 -> "-0.5"; 2 -> "2.0".
  public static func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
  }

  /// 12.34 -> "12.3", 2 -> "2": one decimal at most.
  public static func upToOneDecimal(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String((value * 10).rounded() / 10)
  }

  /// 0.4567 -> "0.46", 2 -> "2.00".
  public static func ratio(_ value: Double) -> String {
    let r = (value * 100).rounded() / 100
    let whole = Int(r)
    let cents = Int((abs(r - Double(whole)) * 100).rounded())
    return "\(whole).\(cents < 10 ? "0" : "")\(cents)"
  }

  /// A number as a rule file would write it: 100, 0.25.
  public static func plain(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }

  /// `value` rounded to `places` decimals: what typed outputs store, so that floating-point noise never
  /// reaches the report. A value that is not finite stays so (and is written as null).
  public static func rounded(_ value: Double, places: Int = 4) -> Double {
    guard value.isFinite else { return value }
    let scale = pow(10.0, Double(places))
    return (value * scale).rounded() / scale
  }
}
