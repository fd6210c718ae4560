import Foundation
@testable import SalvageCore
import Testing

/// Repository text on its way to each output: nothing in it may act on the output (a new workflow
/// command, a link, a tag, a terminal escape, reordered text), and the secrets hook applies everywhere.
@Suite(.serialized) struct OutputTextTests {
  static let hostile = "a\r::error::x\u{1B}[31m\u{07}\u{202E}txt.exe\u{2066}<script>[x](javascript:alert(1))`b`%0A,c:d\u{0}\u{85}\u{FEFF}"

  @Test func everyTargetRemovesControlsAndBidi() {
    let text = OutputText(repository: Self.hostile)
    for target in OutputText.Target.allCases {
      let out = text.rendered(for: target)
      let bad = out.unicodeScalars.filter { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) || $0.properties.generalCategory == .format }
      #expect(bad.isEmpty, "\(target): \(bad.map { String($0.value, radix: 16) })")
    }
  }

  @Test func eachTargetEscapesItsOwnSyntax() {
    let text = OutputText(repository: Self.hostile)
    #expect(text.rendered(for: .terminal) == #"a\u{D}::error::x\u{1B}[31m\u{7}\u{202E}txt.exe\u{2066}<script>[x](javascript:alert(1))`b`%0A,c:d\u{0}\u{85}\u{FEFF}"#)
    #expect(text.rendered(for: .workflowMessage).hasPrefix(#"a\u{D}::error::x"#))
    #expect(text.rendered(for: .workflowMessage).contains("%250A,c:d"))
    #expect(text.rendered(for: .workflowProperty).contains("%3A%3Aerror%3A%3Ax") && text.rendered(for: .workflowProperty).contains("%250A%2Cc%3Ad"))
    let markdown = text.rendered(for: .markdown)
    #expect(markdown.contains(#"&lt;script&gt;\[x\](javascript:alert(1))\`b\`"#), "\(markdown)")
    #expect(text.rendered(for: .sarifMarkdown) == markdown)
    #expect(text.rendered(for: .html).contains("&lt;script&gt;[x](javascript:alert(1))"))
    #expect(OutputText(repository: #"say "hi" & 'bye'"#).rendered(for: .html) == "say &quot;hi&quot; &amp; &#39;bye&#39;")
    #expect(OutputText(repository: "q\"\\\u{1B}\u{202E}").rendered(for: .json) == #"q\"\\\u001b\u202e"#)
    #expect(OutputText(repository: "😀\u{1F}").rendered(for: .json) == #"😀\u001f"#)
  }

  @Test func nonUTF8BytesAreGitQuotedNotRepaired() {
    #expect(OutputText(bytes: Array("caf".utf8) + [0xe9]).rendered(for: .terminal) == #""caf\351""#)
  }

  @Test func theRedactorAppliesToEveryTarget() {
    let token = "ghp_" + "Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0eG7u"
    OutputText.redactor = { $0.replacingOccurrences(of: token, with: "ghp_…REDACTED") }
    defer { OutputText.redactor = nil }
    let text = OutputText(repository: "git+https://\(token):x-oauth-basic@github.com/org/lib.git")
    for target in OutputText.Target.allCases {
      let out = text.rendered(for: target)
      #expect(!out.contains(token.dropFirst(4)), "\(target)")
      #expect(out.contains("REDACTED"), "\(target): \(out)")
    }
    // Read as often as a large report reads it: each read once wrapped the stored closure in two more
    // thunks, and a real repository's JSON overflowed the stack (140,000 frames) in the redactor.
    for _ in 0..<300_000 { _ = OutputText.redactor }
    #expect(OutputText.redact(token) == "ghp_…REDACTED")
  }

  /// The shapes redacted whatever the rules say, worked out by hand: the prefix and at most four
  /// characters kept, and the length.
  @Test func credentialShapesAreRedactedWithoutAHook() {
    let token = "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"
    #expect(OutputText.redact("\"lib\": \"git+https://\(token):x-oauth-basic@github.com/org/lib.git\"")
      == "\"lib\": \"git+https://ghp_…(40 chars):…(13 chars)@github.com/org/lib.git\"")
    #expect(OutputText.redact("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
      == "AWS_SECRET_ACCESS_KEY=wJal…(40 chars)")
    #expect(OutputText.redact("feature/AKIAIOSFODNN7EXAMPLE-fix") == "feature/AKIA…(20 chars)-fix")
    #expect(OutputText.redact("db_password: hunter22") == "db_password: …(8 chars)")
    #expect(OutputText.redact("https://user:pw@host") == "https://user:…(2 chars)@host")
    #expect(OutputText.redact("key sk-ant-api03-" + String(repeating: "Zx9", count: 10) + ".") == "key sk-a…(43 chars).")
    // Every prefix the in-place check knows leads to a redaction (the check and the pass agree).
    for shape in SecretShapes.prefixes {
      let text = "x " + String(decoding: shape.prefix, as: UTF8.self) + String(repeating: "Q7", count: 30)
      #expect(OutputText.redact(text) != text, "\(String(decoding: shape.prefix, as: UTF8.self))")
    }
    // Ordinary text is left alone: a word that merely starts like a prefix, a short value, a path.
    for plain in ["ghp_short", "the token: none", "src/tokenizer.py:12: high", "password=short", "AKIAB", "https://github.com/org/lib.git",
                  "max_tokens=10", "shopify-api-sk_live"] {
      #expect(OutputText.redact(plain) == plain, "\(plain)")
    }
    #expect(OutputText(repository: "x \(token)").rendered(for: .markdown) == "x ghp\\_…(40 chars)")
  }
}
