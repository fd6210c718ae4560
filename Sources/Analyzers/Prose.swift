import SalvageCore

/// Words as a buyer reads them in a finding's message: counts and lists, also the report's (`Words`
/// calls them). Numbers themselves are written by `Figures`.
public enum Prose {
  /// "1 commit", "12 commits", "3 people"
  public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(Figures.grouped(n)) \(n == 1 ? singular : plural ?? singular + "s")"
  }

  /// "1 day", "30 days"
  static func days(_ n: Int) -> String { count(n, "day") }

  /// `part` of `whole`; 0 when there is no whole.
  static func share(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }

  /// "a", "a and b", "a, b and c"
  public static func list(_ items: [String]) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + items.last!
  }
}
