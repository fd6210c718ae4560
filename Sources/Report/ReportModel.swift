import Analyzers
import SalvageCore
import TOML

/// The report as data, built once per scan: the assessment (the risk model runs here and nowhere
/// else), the findings every format lists, and the human-readable document with every figure and
/// sentence already written, and the redactor of this scan's secret rules, which every format's text
/// passes through. Each output format lays it out; none computes.
public struct ReportModel: Sendable {
  public let scan: ScanResult
  public let assessment: Assessment
  /// Every finding shown, most severe first, with its remediation and whether the baseline accepts it.
  public let findings: [ReportFinding]
  /// The findings that count: shown and not accepted.
  public let activeFindings: [Finding]
  /// What every output of this report redacts: the scan's own secret rules (its repository's overlay
  /// included) and the built-in credential shapes.
  public let redactor: Redactor
  /// What the human-readable formats show, and the text of the CI formats.
  let document: HumanDocument

  /// The report under the scan's own report rules (`report.toml`, with any overlay the scan read).
  public init(_ scan: ScanResult) throws(RuleError) {
    self.init(scan, assessment: RiskModel.assess(scan, rules: try RiskRules(scan.context.rules)))
  }

  public init(_ scan: ScanResult, assessment: Assessment) {
    self.scan = scan
    redactor = SecretsAnalyzer.redactor(scan.context.rules)
    self.assessment = assessment
    findings = assessment.advice.map { ReportFinding(advice: $0, suppressed: scan.isSuppressed($0.finding)) }
    activeFindings = findings.filter { !$0.suppressed }.map(\.finding)
    document = HumanDocument(scan, assessment: assessment, findings: findings, redactor: redactor)
  }
}

/// A finding as every format reports it.
public struct ReportFinding: Sendable {
  public let advice: Assessment.Advice
  /// Accepted in the baseline: listed, but not counted.
  public let suppressed: Bool
  public var finding: Finding { advice.finding }
}
