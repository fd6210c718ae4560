import Report
import SalvageCore
import Testing

/// Every example in `rules/report.toml` is a test: each grade's scores must get that grade, and each
/// measure's [value, score] pairs must come out of its bands.
@Suite struct RiskRuleExampleTests {
  enum Example: Sendable, CustomTestStringConvertible {
    case grade(score: Double, grade: String)
    case measure(fact: String, value: Double, score: Double)
    case verdict(RiskRules.VerdictExample)

    var testDescription: String {
      switch self {
      case let .grade(score, grade): return "score \(score) is \(grade)"
      case let .measure(fact, value, score): return "\(fact) \(value) scores \(score)"
      case let .verdict(e): return "[\(e.signals.joined(separator: ", "))] is \(e.verdict.rawValue), \(e.confidence.rawValue) confidence"
      }
    }
  }

  static let rules = RiskRules.builtin

  static var examples: [Example] {
    rules.grades.flatMap { g in g.examples.map { Example.grade(score: $0, grade: g.grade) } }
      + rules.areas.flatMap(\.measures).flatMap { m in m.examples.map { Example.measure(fact: m.fact, value: $0.value, score: $0.score) } }
      + rules.verdictExamples.map(Example.verdict)
  }

  @Test(arguments: examples)
  func example(_ example: Example) {
    switch example {
    case let .grade(score, grade):
      #expect(Self.rules.grade(score) == grade)
    case let .measure(fact, value, score):
      let measure = Self.rules.areas.flatMap(\.measures).first { $0.fact == fact }
      #expect(measure?.score(value) == score)
    case let .verdict(e):
      let decision = Self.rules.decide(Set(e.signals))
      #expect(decision?.verdict == e.verdict)
      #expect(decision?.confidence == e.confidence)
      if let decidedBy = e.decidedBy { #expect(decision?.decidedBy == decidedBy) }
    }
  }

  /// Every verdict rule is the one that decides at least one example, so no rule goes untested.
  @Test func everyVerdictRuleHasAnExample() {
    for (i, rule) in Self.rules.verdicts.enumerated() {
      let reached = Self.rules.verdictExamples.contains { e in Self.rules.verdicts.firstIndex { $0.matches(Set(e.signals)) } == i }
      #expect(reached, "rule \(i + 1) (\(rule.verdict.rawValue), all \(rule.all), any \(rule.any)) has no example")
    }
  }

  /// Rework alone never decides a verdict worse than keep, with or without other tests signals.
  @Test func reworkAloneNeverDecides() {
    for extra in [[], ["tested"], ["well-tested"], ["low-tests"]] as [[String]] {
      let alone = Self.rules.decide(Set(extra))?.verdict
      #expect(Self.rules.decide(Set(["rework"] + extra))?.verdict == alone, "rework with \(extra)")
    }
  }

  /// A band without an example would be a rule without a test.
  @Test func everyGradeAndBandHasAnExample() {
    for g in Self.rules.grades { #expect(!g.examples.isEmpty, "grade \(g.grade)") }
    for m in Self.rules.areas.flatMap(\.measures) {
      let scores = Set(m.examples.map(\.score))
      for band in m.bands { #expect(scores.contains(band.score), "\(m.fact): no example scores \(band.score)") }
      #expect(scores.contains(m.otherwise), "\(m.fact): no example past every band")
    }
  }
}
