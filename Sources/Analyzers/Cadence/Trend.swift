import SalvageCore

/// One figure in a window against the same figure in the window before it.
struct Trend {
  let current: Int
  let previous: Int

  /// The relative change; nil when there is nothing to compare with.
  var change: Double? { previous == 0 ? nil : Double(current - previous) / Double(previous) }

  /// "up", "down", "flat" (within the band either way), or "none" when both windows are empty.
  func direction(flatBand: Double) -> String {
    if current == 0 && previous == 0 { return "none" }
    guard let change else { return "up" }
    if abs(change) < flatBand { return "flat" }
    return change > 0 ? "up" : "down"
  }

  func figures(flatBand: Double) -> CadenceOutput.TrendFigures {
    .init(current: current, previous: previous, change: change.map { Figures.rounded($0) }, direction: direction(flatBand: flatBand))
  }

  /// "down 45%", "up from none", "flat (+5%)".
  func phrase(flatBand: Double) -> String {
    switch direction(flatBand: flatBand) {
    case "none": return "none in either window"
    case "flat": return "flat (\(signed))"
    case "up" where previous == 0: return "up from none"
    case let direction: return "\(direction) \(Figures.percent(abs(change ?? 0)))"
    }
  }

  private var signed: String {
    guard let change else { return "+0%" }
    return (change >= 0 ? "+" : "-") + Figures.percent(abs(change))
  }
}
