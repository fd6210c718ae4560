import Foundation
@testable import SalvageCore
import Testing

/// Repository text on its way to each output: nothing in it may act on the output (a new workflow
/// command, a link, a tag, a terminal escape, reordered text), and the scan's redactor applies everywhere.
@Suite struct OutputTextTests {
  static let hostile = "a\r::error::x\u{1B}[31m\u{07}\u{202E}txt.exe\u{2066}<script>[x](javascript:alert(1))`b`%0A,c:d\u{0}\u{85}\u{FEFF}"

  @Test func everyTargetRemovesControlsAndBidi() {
    let text = OutputText(repository: Self.hostile)
    for target in OutputText.Target.allCases {
      let out = text.rendered(for: target, by: .shapes)
      let bad = out.unicodeScalars.filter { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) || $0.properties.generalCategory == .format }
      #expect(bad.isEmpty, "\(target): \(bad.map { String($0.value, radix: 16) })")
    }
  }

  @Test func eachTargetEscapesItsOwnSyntax() {
    let text = OutputText(repository: Self.hostile)
    #expect(text.rendered(for: .terminal, by: .shapes) == #"a\u{D}::error::x\u{1B}[31m\u{7}\u{202E}txt.exe\u{2066}<script>[x](javascript:alert(1))`b`%0A,c:d\u{0}\u{85}\u{FEFF}"#)
    #expect(text.rendered(for: .workflowMessage, by: .shapes).hasPrefix(#"a\u{D}::error::x"#))
    #expect(text.rendered(for: .workflowMessage, by: .shapes).contains("%250A,c:d"))
    #expect(text.rendered(for: .workflowProperty, by: .shapes).contains("%3A%3Aerror%3A%3Ax") && text.rendered(for: .workflowProperty, by: .shapes).contains("%250A%2Cc%3Ad"))
    let markdown = text.rendered(for: .markdown, by: .shapes)
    #expect(markdown.contains(#"&lt;script&gt;\[x\](javascript:alert(1))\`b\`"#), "\(markdown)")
    #expect(text.rendered(for: .sarifMarkdown, by: .shapes) == markdown)
    #expect(text.rendered(for: .html, by: .shapes).contains("&lt;script&gt;[x](javascript:alert(1))"))
    #expect(OutputText(repository: #"say "hi" & 'bye'"#).rendered(for: .html, by: .shapes) == "say &quot;hi&quot; &amp; &#39;bye&#39;")
    #expect(OutputText(repository: "q\"\\\u{1B}\u{202E}").rendered(for: .json, by: .shapes) == #"q\"\\\u001b\u202e"#)
    #expect(OutputText(repository: "😀\u{1F}").rendered(for: .json, by: .shapes) == #"😀\u001f"#)
  }

  @Test func nonUTF8BytesAreGitQuotedNotRepaired() {
    #expect(OutputText(bytes: Array("caf".utf8) + [0xe9]).rendered(for: .terminal, by: .shapes) == #""caf\351""#)
  }

  @Test func theRedactorAppliesToEveryTarget() {
    let token = "ghp_" + "Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0eG7u"
    let redactor = Redactor(rules: { $0.replacingOccurrences(of: token, with: "ghp_…REDACTED") })
    let text = OutputText(repository: "git+https://\(token):x-oauth-basic@github.com/org/lib.git")
    for target in OutputText.Target.allCases {
      let out = text.rendered(for: target, by: redactor)
      #expect(!out.contains(token.dropFirst(4)), "\(target)")
      #expect(out.contains("REDACTED"), "\(target): \(out)")
    }
    // Used as often as a large report uses it (a stored closure once came back wrapped in more thunks
    // at each read, and a real repository's JSON overflowed the stack).
    for _ in 0..<300_000 { _ = redactor.redact("x") }
    #expect(redactor.redact(token) == "ghp_…REDACTED")
    // Another redactor in the same process knows nothing of this one's rule.
    let other = Redactor(rules: { $0 })
    #expect(other.redact("id-" + token.dropFirst(4)) == "id-" + token.dropFirst(4))
  }

  /// The shapes redacted whatever the rules say, worked out by hand: the prefix and at most four
  /// characters kept, and the length.
  @Test func credentialShapesAreRedactedWithoutAHook() {
    let token = "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"
    #expect(Redactor.shapes.redact("\"lib\": \"git+https://\(token):x-oauth-basic@github.com/org/lib.git\"")
      == "\"lib\": \"git+https://ghp_…(40 chars):…(13 chars)@github.com/org/lib.git\"")
    #expect(Redactor.shapes.redact("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
      == "AWS_SECRET_ACCESS_KEY=wJal…(40 chars)")
    #expect(Redactor.shapes.redact("feature/AKIAIOSFODNN7EXAMPLE-fix") == "feature/AKIA…(20 chars)-fix")
    #expect(Redactor.shapes.redact("db_password: hunter22") == "db_password: …(8 chars)")
    #expect(Redactor.shapes.redact("https://user:pw@host") == "https://user:…(2 chars)@host")
    #expect(Redactor.shapes.redact("key sk-ant-api03-" + String(repeating: "Zx9", count: 10) + ".") == "key sk-a…(43 chars).")
    // Every prefix the in-place check knows leads to a redaction (the check and the pass agree).
    for shape in SecretShapes.prefixes {
      let text = "x " + String(decoding: shape.prefix, as: UTF8.self) + String(repeating: "Q7", count: 30)
      #expect(Redactor.shapes.redact(text) != text, "\(String(decoding: shape.prefix, as: UTF8.self))")
    }
    // Ordinary text is left alone: a word that merely starts like a prefix, a short value, a path.
    for plain in ["ghp_short", "the token: none", "src/tokenizer.py:12: high", "password=short", "AKIAB", "https://github.com/org/lib.git",
                  "max_tokens=10", "shopify-api-sk_live"] {
      #expect(Redactor.shapes.redact(plain) == plain, "\(plain)")
    }
    #expect(OutputText(repository: "x \(token)").rendered(for: .markdown, by: .shapes) == "x ghp\\_…(40 chars)")
  }
}
