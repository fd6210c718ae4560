import FixtureSupport
import Foundation
import Report
import SalvageCore
import Testing

/// Names, messages and paths come from the repository, so from anyone: none of them may add markup to
/// the HTML or Markdown report, or escape sequences to the terminal.
@Suite struct InjectionTests {
  static func assertInert(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let lower = html.lowercased()
    #expect(!lower.contains("<script"), "no script element", sourceLocation: sourceLocation)
    #expect(!lower.contains("<img"), "no image element", sourceLocation: sourceLocation)
    #expect(!lower.contains("<b>departed"), "no markup from a name", sourceLocation: sourceLocation)
    #expect(!html.contains("\u{1B}"), "no escape character", sourceLocation: sourceLocation)
  }

  @Test func htmlEscapesEverythingFromTheRepository() {
    let html = HTMLRenderer().render(SampleScan.report(SampleScan.full(hostile: true)), color: false)
    Self.assertInert(html)
    #expect(html.contains("web/src/&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;.js"))
    #expect(html.contains("Dana &quot;&lt;b&gt;Departed&lt;/b&gt;&quot;"))
    #expect(html.contains("&lt;img src=x onerror=alert(1)&gt; and &#39;quotes&#39; &amp; &quot;double quotes&quot;"))
    // The page itself forbids scripts and network, whatever slips through.
    #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
  }

  @Test func markdownEscapesEverythingFromTheRepository() {
    let md = MarkdownRenderer().render(SampleScan.report(SampleScan.full(hostile: true)), color: false)
    Self.assertInert(md)
    #expect(md.contains("&lt;img src=x onerror=alert(1)&gt;"))
    #expect(md.contains("\\[link\\](http://x)"), "no link from a message")
    #expect(md.contains("\\| pipes"), "no table break from a message")
  }

  @Test func terminalDropsControlCharacters() {
    for color in [false, true] {
      let text = TextRenderer().render(SampleScan.report(SampleScan.full(hostile: true)), color: color)
      #expect(!text.contains("\u{1B}[31mred"), "the message's escape sequence is neutralised")
    }
  }

  /// The real binary on a repository whose folder, file, author and message carry markup.
  @Test func scanOfAHostileRepository() throws {
    let repo = try Fixture.build(script: """
      as "Eve \\"<script>alert(1)</script>\\" <eve@example.com>"
      put "<img src=x onerror=alert(1)>/app.py" "print(1)\\n"
      put "a\\"b'<i>.py" "x = 1\\n"
      commit "<script>alert('message')</script>"
      """, name: "hostile")
    let out = try Fixture.salvage(["scan", repo, "--format", "html"])
    #expect(out.status == 0, "\(out.stderr)")
    Self.assertInert(out.stdout)
    #expect(out.stdout.contains("&lt;img src=x onerror=alert(1)&gt;"), "the component named after the folder, escaped")
    let md = try Fixture.salvage(["scan", repo, "--format", "md"])
    Self.assertInert(md.stdout)
  }
}
