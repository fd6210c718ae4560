import FixtureSupport
import Foundation
import Report
import Testing

/// The HTML report in a real browser: headless Chromium prints it to PDF and a screenshot. Skipped,
/// with the reason, when no Chromium is installed (Debian: apt-get install chromium; scripts/test.sh
/// installs it unless SALVAGE_NO_BROWSER=1).
@Suite struct BrowserTests {
  static let chromium: String? = {
    for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
      for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let path = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
      }
    }
    return nil
  }()

  @Test(.enabled(if: chromium != nil, "chromium is not installed: the HTML report was not rendered in a browser (apt-get install chromium)"))
  func htmlRendersToPDFAndPNG() throws {
    let folder = try Fixture.temporaryFolder("browser")
    let html = folder + "/report.html"
    try Data(HTMLRenderer().render(SampleScan.report(SampleScan.full()), color: false).utf8).write(to: URL(fileURLWithPath: html))
    let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--user-data-dir=\(folder)/profile"]
    let pdf = try Fixture.run(Self.chromium!, common + ["--no-pdf-header-footer", "--print-to-pdf=\(folder)/report.pdf", "file://\(html)"])
    #expect(pdf.status == 0, "\(pdf.stderr)")
    let pdfData = try Data(contentsOf: URL(fileURLWithPath: folder + "/report.pdf"))
    #expect(pdfData.starts(with: Data("%PDF".utf8)))
    #expect(pdfData.count > 20_000, "a report with charts, not an empty page")
    let png = try Fixture.run(Self.chromium!, common + ["--window-size=1100,1600", "--screenshot=\(folder)/report.png", "file://\(html)"])
    #expect(png.status == 0, "\(png.stderr)")
    let pngData = try Data(contentsOf: URL(fileURLWithPath: folder + "/report.png"))
    #expect(pngData.starts(with: Data([0x89, 0x50, 0x4E, 0x47])))
    #expect(pngData.count > 20_000)
  }

  /// Pages of a PDF: its page objects (`/Type /Page`, not the `/Pages` tree nodes).
  static func pageCount(_ pdf: Data) -> Int {
    let text = String(decoding: pdf, as: UTF8.self)
    let regex = try! NSRegularExpression(pattern: #"/Type\s*/Page(?![a-zA-Z])"#)
    return regex.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
  }

  /// A sizeable product (30 packages, 145 commits, about fifty findings, most answered by the same few
  /// remediations) prints in under 25 pages: findings grouped by remediation, the long lists in the
  /// appendix. The same report laid out one finding per row with its remediation ran to 31.
  @Test(.enabled(if: chromium != nil, "chromium is not installed: the printed length of the report was not measured (apt-get install chromium)"))
  func aSizeableReportPrintsInUnder25Pages() throws {
    let repo = try Fixture.build("report-large")
    let folder = try Fixture.temporaryFolder("browser-pages")
    let out = try Fixture.salvage(["scan", repo, "--format", "html,json", "--output", folder + "/report"], timeout: 300)
    #expect(out.status == 0, "\(out.stderr)")
    let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/report.json"))) as? [String: Any]
    let findings = doc?["findings"] as? [[String: Any]] ?? []
    #expect(findings.count >= 40, "a report with many findings: \(findings.count)")
    let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--user-data-dir=\(folder)/profile"]
    let pdf = try Fixture.run(Self.chromium!, common + ["--no-pdf-header-footer", "--print-to-pdf=\(folder)/report.pdf", "file://\(folder)/report.html"])
    #expect(pdf.status == 0, "\(pdf.stderr)")
    let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/report.pdf"))
    let pages = Self.pageCount(data)
    #expect(pages >= 5, "a whole report, not a blank page: \(pages) pages")
    #expect(pages < 25, "the printed report runs to \(pages) pages")
  }
}
