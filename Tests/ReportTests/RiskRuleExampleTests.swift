import Report
import SalvageCore
import Testing

/// Every example in `rules/report.toml` is a test: each grade's scores must get that grade, and each
/// measure's [value, score] pairs must come out of its bands.
@Suite struct RiskRuleExampleTests {
  enum Example: Sendable, CustomTestStringConvertible {
    case grade(score: Double, grade: String)
    case measure(fact: String, value: Double, score: Double)

    var testDescription: String {
      switch self {
      case let .grade(score, grade): return "score \(score) is \(grade)"
      case let .measure(fact, value, score): return "\(fact) \(value) scores \(score)"
      }
    }
  }

  static let rules = RiskRules.builtin

  static var examples: [Example] {
    rules.grades.flatMap { g in g.examples.map { Example.grade(score: $0, grade: g.grade) } }
      + rules.areas.flatMap(\.measures).flatMap { m in m.examples.map { Example.measure(fact: m.fact, value: $0.value, score: $0.score) } }
  }

  @Test(arguments: examples)
  func example(_ example: Example) {
    switch example {
    case let .grade(score, grade):
      #expect(Self.rules.grade(score) == grade)
    case let .measure(fact, value, score):
      let measure = Self.rules.areas.flatMap(\.measures).first { $0.fact == fact }
      #expect(measure?.score(value) == score)
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
