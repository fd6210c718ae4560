import Matcher
import Testing

/// Inputs built to make a scanner hang: these must complete (times are not asserted; the whole suite
/// stays within seconds in a debug build).
@Suite struct HostileInputTests {
  @Test func tenMegabyteSingleLine() throws {
    let matcher = try RuleCorpus.matcher
    let scratch = matcher.makeScratch()
    // Keywords of many rules every few hundred bytes, and one real-looking token in the middle.
    let chunk = Array("aaaa password= token: secret_access_key ghp_ AKIA -----BEGIN RSA PRIVATE KEY----- eyJ ".utf8)
    var line: [UInt8] = []
    line.reserveCapacity(10 << 20)
    while line.count < 5 << 20 { line += chunk + [UInt8](repeating: UInt8(ascii: "x"), count: 300) }
    line += Array((" " + "ghp_" + "Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0eG7u" + " ").utf8)
    while line.count < 10 << 20 { line += chunk + [UInt8](repeating: UInt8(ascii: "y"), count: 300) }
    let found = matcher.scan(line, path: Array("dist/app.js".utf8), scratch: scratch)
    #expect(scratch.longLines == 1)
    #expect(scratch.truncatedLines == 1)
    // Only the first keyword hits of a hostile line are examined: the token in the middle may be
    // missed, and that is the documented price of the bound.
    #expect(found.allSatisfy { $0.line == 1 })
  }

  @Test func secretInALongMinifiedLineIsFoundNearItsKeyword() throws {
    let matcher = try RuleCorpus.matcher
    let token = "ghp_" + "Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0eG7u"
    let line = String(repeating: "var a=function(b){return b+1};", count: 3_000) + "t=\"\(token)\";" + String(repeating: "x", count: 50_000)
    let found = matcher.scan(Array(line.utf8), path: Array("static/app.min.js".utf8), scratch: matcher.makeScratch())
    #expect(found.map { String(decoding: $0.secret, as: UTF8.self) } == [token])
    #expect(found.first?.column == 90_004)
  }

  /// For each rule: its keywords followed by long runs of the characters its patterns accept, with no
  /// terminator, so that backtracking engines explore as much as they can.
  @Test func pathologicalStringPerRule() throws {
    let matcher = try RuleCorpus.matcher
    let scratch = matcher.makeScratch()
    let fillers = ["a", "aA1", "a-", "a/+=", "a.", "a:", "a ", "\\n", "=", "$2y$", "-----", "A\n"]
    for rule in matcher.rules {
      for keyword in rule.keywords.isEmpty ? [""] : rule.keywords {
        for filler in fillers {
          let body = String(repeating: filler, count: 3_000 / filler.count)
          let text = keyword + " = '" + body + keyword + "=\"" + body + "\n" + String(repeating: keyword + " ", count: 200)
          let path = rule.paths.first.map { $0.pattern.replacingStars() } ?? "src/a.txt"
          _ = matcher.scan(Array(text.utf8), path: Array(path.utf8), scratch: scratch)
        }
      }
    }
    // Limit hits are counted, not errors; whatever their number, every scan returned.
    #expect(scratch.limitHits >= 0)
  }

  @Test func unterminatedPEMBlockIsBoundedByTheMultilineSpan() throws {
    let matcher = try RuleCorpus.matcher
    let scratch = matcher.makeScratch()
    var text = ""
    for _ in 0..<200 { text += "-----BEGIN RSA PRIVATE KEY-----\n" + String(repeating: "QUJD\n", count: 2_000) }
    let found = matcher.scan(Array(text.utf8), path: Array("keys.txt".utf8), scratch: scratch)
    #expect(found.isEmpty)
  }

  @Test func catastrophicPatternHitsTheLimitAndIsCounted() throws {
    let rules = try SecretRuleSet.load(toml: [
      (
        name: "evil.toml",
        text: """
          [[rules]]
          id = "evil"
          title = "Exponential backtracking"
          severity = "low"
          keywords = ["evil"]
          pattern = '''evil(\\w+\\s?)*$'''
          """
      )
    ])
    let matcher = try SecretMatcher(rules: rules)
    let scratch = matcher.makeScratch()
    let found = matcher.scan(Array(("evil" + String(repeating: "a", count: 40) + "!").utf8), path: Array("x".utf8), scratch: scratch)
    #expect(found.isEmpty)
    #expect(scratch.limitHits == 1)
  }
}

/// Regular expressions of rules and configuration outside the secrets matcher.
@Suite struct BoundedRegexTests {
  @Test func catastrophicBacktrackingStopsAtTheLimitAndIsCounted() throws {
    let regex = try BoundedRegex("^(a+)+$")
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      #expect(!regex.matches(String(repeating: "a", count: 40) + "!"))
    }
    #expect(regex.limitHits == 1)
    #expect(elapsed < .seconds(1), "\(elapsed)")
    #expect(regex.matches("aaaa"))
    #expect(regex.limitHits == 1)
  }

  @Test func matchesCaseInsensitivelyInUTF8() throws {
    let regex = try BoundedRegex("(?:^|\\s)(pytest|go test)\\b")
    let line = "run: Ünïcode && GO TEST ./..."
    let range = try #require(regex.firstMatch(line))
    #expect(line[range] == " GO TEST")
    #expect(try BoundedRegex("^é+$").matches("ÉÉé"))
    #expect(throws: BoundedRegex.CompileError.self) { try BoundedRegex("(unclosed") }
  }
}

extension String {
  /// A concrete path for a glob, good enough for rule paths like `*.env` or `**/.kube/config`.
  func replacingStars() -> String {
    var out = ""
    for c in self { out += c == "*" ? "x" : String(c) }
    return out.hasPrefix("x/") ? String(out.dropFirst(2)) : out
  }
}
