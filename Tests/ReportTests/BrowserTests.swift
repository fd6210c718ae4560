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
}
