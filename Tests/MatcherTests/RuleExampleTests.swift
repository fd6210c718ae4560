import Matcher
import Testing

@Suite struct RuleExampleTests {
  @Test func ruleFilesLoadAndCompile() throws {
    let matcher = try RuleCorpus.matcher
    #expect(matcher.rules.count >= 60)
    #expect(!matcher.fileRules.isEmpty)
    #expect(RuleCorpus.cases.count > 300)
    for rule in matcher.rules {
      #expect(!rule.examples.isEmpty, "rule \(rule.id) has no example")
      #expect(!rule.counterexamples.isEmpty, "rule \(rule.id) has no counterexample")
    }
    let ids = matcher.rules.map(\.id) + matcher.fileRules.map(\.id)
    #expect(Set(ids).count == ids.count, "rule ids are unique")
  }

  /// Every example of every rule must be found by that rule (with its secret, when the example names
  /// one); no counterexample may be. File rules likewise for paths.
  @Test(arguments: RuleCorpus.cases)
  func ruleExample(_ c: RuleCase) throws {
    let matcher = try RuleCorpus.matcher
    let scratch = matcher.makeScratch()
    if let example = c.example {
      let line = try example.expandedLine()
      // A decoding rule reports nothing itself: its examples are found by whichever rule reads the
      // decoded text.
      let decoding = matcher.rules[c.index].decode != nil
      let found = matcher.scan(Array(line.utf8), path: Array(example.path.utf8), scratch: scratch).filter { decoding || $0.rule == c.index }
      let secrets = found.map { String(decoding: $0.secret, as: UTF8.self) }
      switch c.kind {
      case .example:
        #expect(!found.isEmpty, "rule \(c.rule) missed its example #\(c.number): \(line)")
        if let expected = try example.expandedSecret() {
          #expect(secrets.contains(expected), "rule \(c.rule) example #\(c.number) captured \(secrets), expected \(expected)")
        }
        if let verdict = example.verdict {
          let names = found.map { RuleCorpus.verdictName($0.verdict) }
          #expect(names.contains(verdict), "rule \(c.rule) example #\(c.number): verdicts \(names), expected \(verdict)")
        }
      default:
        #expect(found.isEmpty, "rule \(c.rule) matched its counterexample #\(c.number): \(line) -> \(secrets)")
      }
    } else if let file = c.file {
      let rule = matcher.fileRules[c.index]
      let path = Array(try ExampleText.expand(file.path).utf8)
      let content = Array(try ExampleText.expand(file.content ?? "").utf8)
      let hit = content.withUnsafeBytes { bytes in
        rule.contains == nil
          ? SecretMatcherProbe.fileRuleMatches(matcher, index: c.index, path: path)
          : SecretMatcherProbe.fileRuleMatches(matcher, index: c.index, path: path, content: bytes, scratch: scratch)
      }
      if c.kind == .fileExample {
        #expect(hit, "file rule \(c.rule) missed its example #\(c.number): \(file.path)")
        let any = content.withUnsafeBytes { matcher.sensitiveFile(path: path, content: $0, scratch: scratch) }
        #expect(any != nil)
      } else {
        #expect(!hit, "file rule \(c.rule) matched its counterexample #\(c.number): \(file.path)")
      }
    }
  }
}

/// Checks one file rule in isolation, so that an example is credited to its own rule rather than to
/// whichever rule happens to come first.
enum SecretMatcherProbe {
  static func fileRuleMatches(_ matcher: SecretMatcher, index: Int, path: [UInt8]) -> Bool {
    let rule = matcher.fileRules[index]
    return rule.paths.contains { $0.matches(path) } && !rule.exclude.contains { $0.matches(path) }
  }

  static func fileRuleMatches(
    _ matcher: SecretMatcher, index: Int, path: [UInt8], content: UnsafeRawBufferPointer, scratch: SecretScratch
  ) -> Bool {
    guard fileRuleMatches(matcher, index: index, path: path) else { return false }
    return matcher.fileRule(index, matchesContent: content, scratch: scratch)
  }
}
