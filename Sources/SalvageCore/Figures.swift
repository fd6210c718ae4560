/// How a figure is written: the one number and percentage formatter of the analyzers' messages, the
/// report and the rule errors, and the rounding the typed outputs store. A figure is formatted once and
/// each back end prints the string it is given.
public enum Figures {
  /// A number as a rule file would write it: 100, 0.25.
  public static func plain(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }
}
