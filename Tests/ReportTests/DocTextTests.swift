import Foundation
@testable import Report
import SalvageCore
import Testing

/// The human report's text type: repository text interpolated into it comes out redacted and inert in
/// every format, and the document holds no other text.
@Suite struct DocTextTests {
  static let token = "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"

  @Test func interpolatedTextIsRedactedAndInertInEveryFormat() {
    let path = "keys-\(Self.token)/<b>x</b>\u{1B}[31m\u{202E}*y*"
    let text: DocText = "Hotspot \(path) in \(code: path), \(3) times"
    let forms = [("html", text.html(.shapes)), ("markdown", text.markdown(.shapes)), ("terminal", text.terminal(.shapes)), ("description", "\(text.description)"),
                 ("debug", String(reflecting: text)), ("dump", { var s = ""; dump(text, to: &s); return s }())]
    for (name, out) in forms {
      #expect(!out.contains(Self.token.suffix(20)), "\(name): \(out)")
      #expect(out.contains("…(40 chars)") || name == "dump", "\(name) shows the place, redacted: \(out)")
      #expect(!out.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" }, "\(name)")
    }
    #expect(text.html(.shapes).hasPrefix("Hotspot keys-ghp_…(40 chars)/&lt;b&gt;x&lt;/b&gt;\\u{1B}[31m\\u{202E}*y* in <code>"))
    #expect(text.html(.shapes).hasSuffix("</code>, 3 times"))
    #expect(text.markdown(.shapes).contains("&lt;b&gt;x&lt;/b&gt;") && text.markdown(.shapes).contains("\\*y\\*"))
    #expect(text.terminal(.shapes) == "Hotspot keys-ghp_…(40 chars)/<b>x</b>\\u{1B}[31m\\u{202E}*y* in keys-ghp_…(40 chars)/<b>x</b>\\u{1B}[31m\\u{202E}*y*, 3 times")
    // The report's own words are escaped for the format too, and only emphasis is markup.
    let words: DocText = "a < b & \(strong: "keep")"
    #expect(words.html(.shapes) == "a &lt; b &amp; <b>keep</b>")
    #expect(words.markdown(.shapes) == "a &lt; b &amp; **keep**")
  }

  /// A label cut to fit a chart keeps the end of the redacted text: never the middle of a token.
  @Test func shorteningCutsAfterRedaction() {
    let text: DocText = "\("services/" + Self.token + "/app/handlers/orders.py")"
    for width in [8, 20, 30, 60] {
      let cut = text.keepingEnd(width, by: .shapes)
      #expect(cut.terminal(.shapes).count <= width)
      #expect(!cut.terminal(.shapes).contains(Self.token.dropFirst(4).prefix(10)), "\(cut.terminal(.shapes))")
    }
  }

  /// No `String`, `Substring` or `Character` anywhere in the document outside a `DocText`: a field of
  /// raw text added to it fails here, whatever the renderers do with it.
  @Test func theDocumentHoldsNoRawText() {
    let report = SampleScan.report(SampleScan.full(hostile: true))
    var raw: [String] = []
    func walk(_ value: Any, _ path: String, depth: Int) {
      guard depth < 40, !(value is DocText) else { return }
      if value is String || value is Substring || value is Character || value is OutputText {
        raw.append(path)
        return
      }
      for (i, child) in Mirror(reflecting: value).children.enumerated() { walk(child.value, path + "." + (child.label ?? "\(i)"), depth: depth + 1) }
    }
    walk(report.document, "document", depth: 0)
    #expect(raw.isEmpty, "raw text in the document: \(raw.prefix(10))")
    // The walk does reach the document's text: it is not passing on an empty document.
    #expect(report.document.findings.groups.count > 3)
    #expect(report.document.components.count > 3)
  }

  /// The treemap writes a component's size whole or not at all: "…8 lines" for 3,018 lines once was
  /// the end of a cut caption.
  @Test func treemapNeverCutsAFigure() {
    let rows = [HumanDocument.ComponentRow(path: "apps/web", loc: 20_000, lines: "20,000", verdict: .keep, summary: .empty, reasons: [], confidence: .high, basis: .empty),
                HumanDocument.ComponentRow(path: "packages/prisma-client-extensions", loc: 3_018, lines: "3,018", verdict: .refactor,
                                           summary: .empty, reasons: [], confidence: .medium, basis: .empty)]
    let svg = SVGCharts(r: .shapes).componentMap(rows)
    let labels = svg.components(separatedBy: "<text").dropFirst().compactMap { $0.split(separator: ">").dropFirst().first.map { String($0.prefix { $0 != "<" }) } }
    for label in labels where label.contains(where: \.isNumber) {
      #expect(!label.hasPrefix("…"), "a cut figure: \(label)")
    }
    #expect(labels.contains { $0.contains("3,018") }, "the small component's size is shown whole: \(labels)")
  }

  /// Every chart's text stays inside its picture: a caption or label running past the view box is cut
  /// off on the page (the hotspot chart's legend once was). Widths are estimated generously, at 0.6 of
  /// the font size per character.
  @Test func chartTextStaysInsideTheChart() throws {
    let html = HTMLRenderer().render(SampleScan.report(SampleScan.full()), color: false)
    let svgs = html.components(separatedBy: "<svg ").dropFirst()
    #expect(svgs.count >= 4, "the area, component, weekly and hotspot charts")
    let box = try NSRegularExpression(pattern: #"viewBox="0 0 (\d+) (\d+)""#)
    let text = try NSRegularExpression(pattern: #"<text x="([\d.]+)" y="([\d.]+)" font-size="(\d+)" text-anchor="(\w+)"[^>]*>([^<]*)</text>"#)
    var checked = 0
    for svg in svgs {
      let ns = svg as NSString
      guard let b = box.firstMatch(in: svg, range: NSRange(location: 0, length: ns.length)) else { continue }
      let width = Double(ns.substring(with: b.range(at: 1)))!
      for m in text.matches(in: svg, range: NSRange(location: 0, length: ns.length)) {
        let x = Double(ns.substring(with: m.range(at: 1)))!, size = Double(ns.substring(with: m.range(at: 3)))!
        let anchor = ns.substring(with: m.range(at: 4))
        let label = ns.substring(with: m.range(at: 5)).replacingOccurrences(of: "&amp;", with: "&")
        let w = Double(label.count) * size * 0.6
        let (left, right) = anchor == "end" ? (x - w, x) : anchor == "middle" ? (x - w / 2, x + w / 2) : (x, x + w)
        #expect(left >= -1 && right <= width + 1, "\(label) spans \(Int(left))...\(Int(right)) in a chart \(Int(width)) wide")
        checked += 1
      }
    }
    #expect(checked > 20)
  }
}
