import Analyzers
import FixtureSupport
import Foundation
@testable import Report
import SalvageCore
import Testing

/// The CI formats (SARIF, GitHub annotations and job summary, CI lines) take their text from the
/// document, through the scan's own redactor; two scans in one process redact each by its own rules.
@Suite struct ScanRedactionTests {
  /// Every text of the CI formats goes through the document's redactor: with one that replaces every
  /// text it is handed by a mark, no finding's title, message, path or rule shows anywhere. A field
  /// written from a finding's `String` (not the document's `DocText`) would show it.
  @Test func ciFormatsTakeEveryTextFromTheDocument() throws {
    let report = SampleScan.report(SampleScan.full(hostile: true))
    let mark = "◊"
    let d = HumanDocument(report.scan, assessment: report.assessment, findings: report.findings, redactor: Redactor(rules: { _ in mark }))
    let outputs = ["sarif": SARIFRenderer().document(d).serialized(), "job summary": JobSummary.layout(d),
                   "annotations": GitHubAnnotationsRenderer().layout(d), "ci": CILinesRenderer().layout(d)]
    #expect(report.findings.count > 10)
    for (name, out) in outputs {
      #expect(out.contains(mark), "\(name) rendered text")
      for entry in report.findings {
        let f = entry.finding
        for text in [f.title, f.message, f.location.path ?? "", f.rule, f.id] where text.count >= 6 {
          #expect(!out.contains(text), "\(name) shows \(text) past the redactor")
        }
      }
    }
  }

  /// Two repositories, each with a `.salvage.toml` secret rule of its own, each holding both rules'
  /// tokens in a file name, a commit subject and its author's name, scanned and rendered side by side
  /// in one process: each report redacts its own rule's token and leaves the other's as it is (it is
  /// no secret under that scan's rules), in every format.
  @Test func twoScansInOneProcessRedactEachByItsOwnRules() async throws {
    let tokens = ["zq9corp_" + String("Tm4Xw8Lp2Rk7Vb3Nc6Jd1Fh5".reversed()), "kk7acme_" + String("Hq3Zr9Ws1Py6Lt4Mv8Nb2Cx7".reversed())]
    func repo(own: Int) throws -> String {
      let prefix = String(tokens[own].prefix(8))
      let rule = """
        [[rules]]
        id = "\(prefix.dropLast())-key"
        title = "Corp key"
        severity = "high"
        keywords = ["\(prefix)"]
        pattern = '''\\b(\(prefix)[A-Za-z0-9]{24})\\b'''
        examples = ["K=\(prefix)$[an:24]"]
        counterexamples = ["\(prefix)short"]
        """
      return try Fixture.build(script: """
        at 2024-01-01T10:00:00+0000; as "Ada \(tokens[0]) \(tokens[1]) <ada@example.com>"
        mkdir -p salvage-rules/secrets
        cat > salvage-rules/secrets/zz-corp.toml <<'RULE'
        \(rule)
        RULE
        git add salvage-rules
        put .salvage.toml '[rules]\\nextra = "salvage-rules"\\n'
        lines src/app.py 40
        put "docs/\(tokens[0]).md" 'notes\\n'
        put "docs/\(tokens[1]).md" 'notes\\n'
        commit "one"
        lines src/big.py 2100
        commit "ship \(tokens[0]) and \(tokens[1]) to production"
        """, name: "own-rules-\(own)")
    }
    let repos = [try repo(own: 0), try repo(own: 1)]
    let reports = try await withThrowingTaskGroup(of: (Int, [String: String]).self) { group in
      for (i, path) in repos.enumerated() {
        group.addTask {
          let ids = Set(AnalyzerRegistry.ids).subtracting(AnalyzerRegistry.optIn)
          let scan = try SalvageCore.Scanner(analyzers: AnalyzerRegistry.all, startOrder: AnalyzerRegistry.startOrder)
            .scan(ScanOptions(path: path, only: ids))
          let report = try ReportModel(scan)
          var out = JobSummary.render(report).isEmpty ? [:] : ["job summary": JobSummary.render(report)]
          for format in OutputFormat.allCases { out[format.rawValue] = format.renderer.render(report, color: false) }
          return (i, out)
        }
      }
      var all: [Int: [String: String]] = [:]
      for try await (i, out) in group { all[i] = out }
      return all
    }
    for own in 0..<2 {
      let other = 1 - own
      let outputs = try #require(reports[own])
      #expect(outputs.count == OutputFormat.allCases.count + 1)
      for (format, text) in outputs {
        #expect(!text.contains(tokens[own].suffix(16)), "scan \(own), \(format): its own rule's token whole")
      }
      // Its own token was reported, redacted; the other scan's token is only text here, shown as it is
      // where the format names the file (its rule is not this scan's).
      let json = try #require(outputs["json"])
      #expect(json.contains("docs/\(tokens[own].prefix(4))…(32 chars).md"), "scan \(own): the file, redacted by its own rule")
      #expect(json.contains("docs/\(tokens[other]).md"), "scan \(own): the other rule's token is left alone")
      for format in ["text", "md", "html"] {
        #expect(!(outputs[format] ?? "").contains(tokens[own]), "scan \(own), \(format)")
      }
    }
  }

  /// A repository whose author name, file name and commit subject carry a whole token, terminal
  /// escapes, a CR followed by a workflow command, bidi and Markdown/HTML injection: SARIF, the job
  /// summary, the annotations and the CI lines hold none of it raw, and still name the places, redacted.
  @Test func ciFormatsOfAHostileRepository() throws {
    let t = "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"
    let repo = try Fixture.build(script: """
      at 2023-01-01T10:00:00+0000; as "Mallory ![i](http://e/x.png) **b** \(t) <m@example.com>"
      lines src/core.py 300
      put $'src/\\e[31m\\a<script>\(t)[x](javascript:1)\\xe2\\x80\\xae.py' 'GITHUB_TOKEN=\(t)\\n'
      commit "one"
      append src/core.py "x"
      commit "two"
      lines src/big.py 2100
      commit $'ship \\e[31m \(t) <script>x</script> [x](javascript:alert(1))\\r::error::owned'
      at 2024-06-01T10:00:00+0000; as "Bob <b@example.com>"
      lines src/other.py 50
      commit "three"
      """, name: "hostile-ci")
    let ids = Set(AnalyzerRegistry.ids).subtracting(AnalyzerRegistry.optIn)
    let report = try ReportModel(try SalvageCore.Scanner(analyzers: AnalyzerRegistry.all, startOrder: AnalyzerRegistry.startOrder)
      .scan(ScanOptions(path: repo, only: ids)))
    let sarif = SARIFRenderer().render(report, color: false)
    let outputs = ["sarif": sarif, "job summary": JobSummary.render(report),
                   "annotations": GitHubAnnotationsRenderer().render(report, color: false), "ci": CILinesRenderer().render(report, color: false)]
    for (name, out) in outputs {
      #expect(!out.contains(t.suffix(20)), "\(name) holds the token")
      for bad: Unicode.Scalar in ["\u{1B}", "\u{07}", "\r", "\u{202E}"] {
        #expect(!out.unicodeScalars.contains(bad), "\(name) holds U+\(String(bad.value, radix: 16))")
      }
    }
    // One workflow command a line, and the subject's "::error::owned" inside a message, not a command.
    let annotations = try #require(outputs["annotations"])
    for line in annotations.split(separator: "\n") {
      #expect(["::error ", "::warning ", "::notice "].contains { line.hasPrefix($0) }, "\(line)")
    }
    #expect(annotations.contains(#"\u{D}::error::owned"#), "the subject is quoted, its CR shown")
    // SARIF's Markdown (rules' help) and the job summary make no link, image, tag or emphasis.
    let document = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
    let run = try #require((document["runs"] as? [[String: Any]])?.first)
    let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
    let markdown = rules.compactMap { ($0["help"] as? [String: Any])?["markdown"] as? String }
    #expect(markdown.count == rules.count)
    for (name, text) in ["sarif markdown": markdown.joined(separator: "\n"), "job summary": outputs["job summary"] ?? ""] {
      for bad in ["<script", "<img", "[x](", "![i](", "**b**"] { #expect(!text.contains(bad), "\(name) holds \(bad)") }
    }
    #expect(markdown.contains { $0.contains(#"Mallory \!\[i\](http://e/x.png) \*\*b\*\* ghp\_…(40 chars)"#) }, "the author, escaped and redacted")
    #expect(outputs["job summary"]?.contains(#"&lt;script&gt;ghp\_…(40 chars)\[x\](javascript:1)"#) == true, "the file, escaped and redacted")
    #expect(sarif.contains(#"ship \\u{1B}[31m ghp_…(40 chars) <script>x</script>"#), "the subject in a result's text: controls shown, redacted")
  }
}
