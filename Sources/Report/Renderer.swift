import SalvageCore

/// Lays the report out in one output format. It reads the `ReportModel`, built once per scan whatever
/// the number of formats, and computes nothing of its own.
public protocol Renderer: Sendable {
  /// The file extension used when several formats are written at once.
  var fileExtension: String { get }
  func render(_ report: ReportModel, color: Bool) -> String
  /// The same report as UTF-8 bytes, as it is written out: formats built as bytes skip the `String`.
  func renderBytes(_ report: ReportModel, color: Bool) -> [UInt8]
  /// The same bytes handed to `sink` piece by piece, for formats that can be written as they are made.
  func render(_ report: ReportModel, color: Bool, to sink: (UnsafeRawBufferPointer) -> Void)
}

extension Renderer {
  public func renderBytes(_ report: ReportModel, color: Bool) -> [UInt8] { Array(render(report, color: color).utf8) }
  public func render(_ report: ReportModel, color: Bool, to sink: (UnsafeRawBufferPointer) -> Void) {
    renderBytes(report, color: color).withUnsafeBytes(sink)
  }
}

/// The output formats `--format` accepts.
public enum OutputFormat: String, CaseIterable, Sendable {
  case text, json, html, md
  /// SARIF 2.1.0 for code scanning.
  case sarif
  /// GitHub Actions annotations (workflow commands); also writes the job summary when
  /// `GITHUB_STEP_SUMMARY` is set.
  case github
  /// One line per finding, `path:line: severity: title [rule]`, for other CI systems.
  case ci

  public var renderer: any Renderer {
    switch self {
    case .text: return TextRenderer()
    case .json: return JSONRenderer()
    case .sarif: return SARIFRenderer()
    case .github: return GitHubAnnotationsRenderer()
    case .ci: return CILinesRenderer()
    case .html: return HTMLRenderer()
    case .md: return MarkdownRenderer()
    }
  }
}

public struct JSONRenderer: Renderer {
  public init() {}
  public var fileExtension: String { "json" }
  public func render(_ report: ReportModel, color: Bool) -> String { String(decoding: renderBytes(report, color: color), as: UTF8.self) }

  public func renderBytes(_ report: ReportModel, color: Bool) -> [UInt8] {
    var bytes: [UInt8] = []
    render(report, color: color) { bytes.append(contentsOf: $0) }
    return bytes
  }

  /// Written as it is serialised: the JSON of a large repository runs to tens of megabytes.
  public func render(_ report: ReportModel, color: Bool, to sink: (UnsafeRawBufferPointer) -> Void) {
    let clock = PhaseClock()
    let document = ReportDocument.build(report).redactingSecrets(report.redactor)
    clock.mark("report: build json document")
    document.serialize(to: sink)
  }
}
