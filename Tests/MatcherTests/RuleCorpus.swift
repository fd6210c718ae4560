import BuiltinRules
import Matcher

/// The built-in secret rules, loaded once for all tests.
enum RuleCorpus {
  /// `rules/secrets/*.toml` as embedded by the EmbedRules plugin, in name order.
  static let files: [(name: String, text: String)] = BuiltinRules.files
    .filter { $0.key.hasPrefix("secrets/") }
    .sorted { $0.key < $1.key }
    .map { (name: $0.key, text: $0.value) }

  static let loaded: Result<SecretMatcher, any Error> = Result {
    try SecretMatcher(rules: try SecretRuleSet.load(toml: files))
  }

  static var matcher: SecretMatcher {
    get throws { try loaded.get() }
  }

  /// The verdict as rule examples name it.
  static func verdictName(_ verdict: SecretVerdict) -> String {
    switch verdict.kind {
    case .unchecked: return "unchecked"
    case .publicValue: return "public"
    case .placeholder: return "placeholder"
    case .valid: return "valid"
    }
  }

  /// Every example and counterexample of every rule, as test arguments.
  static let cases: [RuleCase] = {
    guard let matcher = try? loaded.get() else { return [] }
    var cases: [RuleCase] = []
    for (index, rule) in matcher.rules.enumerated() {
      for (n, example) in rule.examples.enumerated() {
        cases.append(RuleCase(kind: .example, rule: rule.id, index: index, number: n + 1, example: example, file: nil))
      }
      for (n, example) in rule.counterexamples.enumerated() {
        cases.append(RuleCase(kind: .counterexample, rule: rule.id, index: index, number: n + 1, example: example, file: nil))
      }
    }
    for (index, rule) in matcher.fileRules.enumerated() {
      for (n, example) in rule.examples.enumerated() {
        cases.append(RuleCase(kind: .fileExample, rule: rule.id, index: index, number: n + 1, example: nil, file: example))
      }
      for (n, example) in rule.counterexamples.enumerated() {
        cases.append(RuleCase(kind: .fileCounterexample, rule: rule.id, index: index, number: n + 1, example: nil, file: example))
      }
    }
    return cases
  }()
}

struct RuleCase: CustomTestStringConvertible, Sendable {
  enum Kind: String, Sendable { case example, counterexample, fileExample = "file example", fileCounterexample = "file counterexample" }
  let kind: Kind
  let rule: String
  let index: Int
  let number: Int
  let example: RuleExample?
  let file: FileExample?

  var testDescription: String {
    let text = example?.line ?? file?.path ?? ""
    let short = text.count > 70 ? String(text.prefix(70)) + "…" : text
    return "\(rule) \(kind.rawValue) #\(number): " + String(short.map { $0 == "\n" ? "⏎" : $0 })
  }
}

import Testing
