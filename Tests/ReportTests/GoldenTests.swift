import FixtureSupport
import Foundation
import Report
import SalvageCore
import Testing

/// Each renderer's output on a fixed, hand-built scan, byte for byte against a file in Goldens/.
/// After an intended change to the report, re-record them and review the diff:
///
///     SALVAGE_RECORD_GOLDENS=1 swift test --scratch-path .build-rep --filter GoldenTests
@Suite struct GoldenTests {
  static let folder = Fixture.root.appendingPathComponent("Tests/ReportTests/Goldens")
  static var recording: Bool { ProcessInfo.processInfo.environment["SALVAGE_RECORD_GOLDENS"] == "1" }

  static func check(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = folder.appendingPathComponent(name)
    if recording {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record("missing golden \(name): record it with SALVAGE_RECORD_GOLDENS=1", sourceLocation: sourceLocation)
      return
    }
    if expected != text {
      let a = expected.split(separator: "\n", omittingEmptySubsequences: false), b = text.split(separator: "\n", omittingEmptySubsequences: false)
      let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
      Issue.record("""
        \(name) differs from its golden at line \(line + 1):
          golden: \(line < a.count ? String(a[line]) : "<end>")
          now:    \(line < b.count ? String(b[line]) : "<end>")
        Re-record with SALVAGE_RECORD_GOLDENS=1 if the change is intended.
        """, sourceLocation: sourceLocation)
    }
  }

  @Test(arguments: [OutputFormat.text, .json, .html, .md])
  func fullScan(_ format: OutputFormat) throws {
    let text = format.renderer.render(SampleScan.report(SampleScan.full()), color: false)
    try Self.check(text, "full.\(format.renderer.fileExtension)")
  }

  @Test func terminalInColour() throws {
    let text = TextRenderer().render(SampleScan.report(SampleScan.full()), color: true)
    #expect(text.contains("\u{1B}["))
    try Self.check(text, "full-colour.txt")
  }

  @Test(arguments: [OutputFormat.text, .html, .md])
  func inventoryOnlySaysNotAssessed(_ format: OutputFormat) throws {
    let text = format.renderer.render(SampleScan.report(SampleScan.inventoryOnly()), color: false)
    #expect(text.contains("not assessed") || text.contains("Not assessed"))
    try Self.check(text, "inventory-only.\(format.renderer.fileExtension)")
  }

  @Test func renderingIsDeterministic() {
    for format in OutputFormat.allCases {
      #expect(format.renderer.render(SampleScan.report(SampleScan.full()), color: false) == format.renderer.render(SampleScan.report(SampleScan.full()), color: false))
    }
  }
}
