/// Numbers as a buyer reads them in a finding's message: the one formatter of every analyzer. Its
/// grouping, counts and lists are also the report's (`Words` calls them).
public enum Prose {
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

  /// "1 commit", "12 commits", "3 people"
  public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(grouped(n)) \(n == 1 ? singular : plural ?? singular + "s")"
  }

  /// 0.4567 -> "45.7%"
  static func percent(_ share: Double) -> String {
    let p = (share * 1000).rounded() / 10
    return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
  }

  /// Whole percent, with one decimal below 1% so that a small share never reads as none (cadence's
  /// shares: "12%", "0.4%").
  static func wholePercent(_ share: Double) -> String {
    let value = share * 100
    if value != 0, abs(value) < 0.95 { return "\((value * 10).rounded() / 10)%" }
    return "\(Int(value.rounded()))%"
  }

  /// "1 day", "30 days"
  static func days(_ n: Int) -> String { count(n, "day") }

  /// `part` of `whole`; 0 when there is no whole.
  static func share(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }

  /// One decimal at most.
  static func formatted(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String((value * 10).rounded() / 10)
  }

  /// "a", "a and b", "a, b and c"
  public static func list(_ items: [String]) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + items.last!
  }
}
