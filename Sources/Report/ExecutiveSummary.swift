import SalvageCore

/// The first page a buyer reads: the risks that matter most for the deal, and what to do before it,
/// in the first 90 days and later.
struct ExecutiveSummary {
  let rules: RiskRules
  let areas: [Assessment.AreaResult]
  let advice: [Assessment.Advice]
  let components: [Assessment.ComponentResult]
  let totalLines: Int

  private static func priority(_ severity: Severity) -> Int {
    switch severity {
    case .critical: return 50
    case .high: return 40
    case .medium: return 30
    case .low: return 20
    case .info: return 10
    }
  }

  /// Above every severity and weight: see `RiskRules.leadingRisks`.
  private static let leading = 100

  private func weight(_ area: String) -> Int { Int(rules.areas.first { $0.id == area }?.weight ?? 1) }

  /// Findings grouped by what fixes them, most severe group first.
  private var groups: [[Assessment.Advice]] {
    var order: [String] = []
    var byKey: [String: [Assessment.Advice]] = [:]
    for a in advice {
      let key = a.finding.analyzer + "\u{0}" + a.finding.rule
      if byKey[key] == nil { order.append(key) }
      byKey[key, default: []].append(a)
    }
    return order.map { byKey[$0]! }
  }

  func risks() -> [Assessment.Risk] {
    var candidates: [Assessment.Risk] = []
    var areasWithRisk = Set<String>()
    // A value the analyzer says is not live (test, example, public, expired) is no risk of the deal.
    for group in groups where group[0].finding.secretContext == .live {
      let first = group[0]
      let more = group.count > 1 ? " (and \(Words.count(group.count - 1, "more like it", "more like it")))" : ""
      let impact = first.remediation.impact.isEmpty ? first.finding.message : Words.capitalized(first.remediation.impact) + "."
      let leads = rules.leadingRisks.contains { lead in
        lead.rule == first.finding.analyzer + "." + first.finding.rule
          && (first.finding.figure(lead.field) ?? -.infinity) >= lead.atLeast
      }
      candidates.append(.init(title: first.finding.title + more, detail: impact, area: first.finding.analyzer,
                              priority: leads ? Self.leading : Self.priority(first.finding.severity) + weight(first.finding.analyzer),
                              findings: group.map(\.finding.id)))
      if first.finding.severity >= .medium { areasWithRisk.insert(first.finding.analyzer) }
    }
    for area in areas {
      guard let grade = area.grade, let score = area.score, grade == "D" || grade == "F", !areasWithRisk.contains(area.area.id) else { continue }
      let worst = area.measures.filter { $0.score != nil && $0.value != nil }.min { $0.score! < $1.score! }
      let detail = worst.map { "\($0.measure.title): \(Words.value($0.value!, unit: $0.measure.unit))." } ?? ""
      candidates.append(.init(title: "\(area.area.title) graded \(grade) (\(score)/100)", detail: detail, area: area.area.id,
                              priority: (grade == "F" ? 38 : 28) + weight(area.area.id), findings: []))
    }
    let rewrite = components.filter { $0.verdict == .rewrite }
    if !rewrite.isEmpty, totalLines > 0 {
      let lines = rewrite.reduce(0) { $0 + $1.loc }
      let share = Double(lines) / Double(totalLines)
      candidates.append(.init(
        title: "\(Figures.percent(share)) of the code needs a rewrite (\(rewrite.map(\.path).joined(separator: ", ")))",
        detail: "\(Figures.grouped(lines)) lines are complex, churning, untested and their authors have left: budget their replacement.",
        area: "components", priority: share >= 0.2 ? 45 : 32, findings: rewrite.flatMap(\.findings)))
    }
    let sorted = candidates.sorted { $0.priority != $1.priority ? $0.priority > $1.priority : $0.title < $1.title }
    // Medium and above always qualify; low ones only fill up to the minimum.
    var out = Array(sorted.filter { $0.priority >= 28 }.prefix(rules.maxRisks))
    if out.count < rules.minRisks {
      out += sorted.filter { $0.priority < 28 && $0.priority >= 20 }.prefix(rules.minRisks - out.count)
    }
    return out
  }

  func actions() -> [Assessment.Action] {
    var out: [Assessment.Action] = []
    for horizon in Horizon.allCases {
      // One action per remediation: two kinds of leaked key are fixed the same way.
      var order: [String] = []
      var byAction: [String: [Assessment.Advice]] = [:]
      for a in advice where a.horizon == horizon {
        if byAction[a.remediation.action] == nil { order.append(a.remediation.action) }
        byAction[a.remediation.action, default: []].append(a)
      }
      var list: [(severity: Severity, action: Assessment.Action)] = order.map { text in
        let group = byAction[text]!
        let count = group.count > 1 ? " (\(Words.count(group.count, "finding")))" : ""
        return (group.map(\.finding.severity).max()!, .init(horizon: horizon, text: text + count, effort: group.map(\.effort).max()!,
                                                             findings: group.map(\.finding.id)))
      }
      list.sort { $0.severity != $1.severity ? $0.severity > $1.severity : $0.action.text < $1.action.text }
      // The component decisions come first: they are the largest items of each horizon.
      out += (componentActions(horizon) + list.map(\.action)).prefix(rules.maxActions)
    }
    return out
  }

  private func componentActions(_ horizon: Horizon) -> [Assessment.Action] {
    func names(_ list: [Assessment.ComponentResult]) -> String {
      list.map { "\($0.path) (\(Figures.grouped($0.loc)) lines)" }.joined(separator: ", ")
    }
    switch horizon {
    case .beforeDeal:
      let rewrite = components.filter { $0.verdict == .rewrite }
      guard !rewrite.isEmpty else { return [] }
      return [.init(horizon: horizon, text: "Price in the replacement of \(names(rewrite)), to be rebuilt piece by piece behind a stable interface",
                    effort: .large, findings: [])]
    case .first90Days:
      let refactor = components.filter { $0.verdict == .refactor }
      guard !refactor.isEmpty else { return [] }
      let lines = refactor.reduce(0) { $0 + $1.loc }
      return [.init(horizon: horizon, text: "Refactor \(names(refactor)) in place, tests first",
                    effort: lines >= 2000 ? .large : .medium, findings: [])]
    case .later:
      let stabilize = components.filter { $0.verdict == .stabilize }
      guard !stabilize.isEmpty else { return [] }
      return [.init(horizon: horizon, text: "Stabilize \(names(stabilize)): tests where missing, a second owner for each",
                    effort: .medium, findings: [])]
    }
  }

  func headline(score: Int?, grade: String?, keepShare: Double?, risks: [Assessment.Risk], empty: Bool) -> String {
    if empty { return "No history to assess: the repository has no commits yet." }
    guard let score, let grade else { return "Not enough facts to grade this repository: see which areas were not assessed." }
    var text = "Overall grade \(grade) (\(score) of 100)."
    let assessed = areas.filter { $0.score != nil }.count
    if assessed < areas.count { text += " Graded on \(assessed) of \(areas.count) areas; the others were not assessed." }
    if let keepShare { text += " \(Figures.percent(keepShare)) of the code, by lines, is worth keeping." }
    if let top = risks.first {
      let area = rules.areas.first { $0.id == top.area && !top.title.hasPrefix($0.title) }.map { " (\($0.title.lowercased()))" } ?? ""
      text += " Most pressing: \(top.title)\(area)."
    }
    return text
  }
}
