import SalvageCore

/// `analyzers.secrets`: counts of the leaked credentials and sensitive files (each one is a finding),
/// the oldest unrotated one, and what was scanned within which limits.
public struct SecretsOutput: AnalyzerOutput {
  /// The oldest secret outside test paths.
  public struct Unrotated: Encodable, Sendable {
    public let findingId: String
    public let rule: String
    public let fingerprint: String
    public let preview: String?
    public let inHead: Bool
    public let commit: String
    public let author: String
    public let date: Timestamp
    public let path: String?
    public let line: Int?
    public let ageDays: Int
  }

  public struct RuleCounts: Encodable, Sendable {
    public let patterns: Int
    public let files: Int
  }

  public struct Scanned: Encodable, Sendable {
    public let tipFiles: Int
    public let tipBytes: Int
    public let tipSkippedBinary: Int
    public let tipSkippedLarge: Int
    public let historyRuns: Int
    public let historyBytes: Int
    public let historySkippedRuns: Int
    public let droppedSecrets: Int
    public let regexLimitHits: Int
    public let longLines: Int
    public let truncatedLines: Int
  }

  public struct Limits: Encodable, Sendable {
    public let tipFileBytes: Int
    public let historyRunBytes: Int
    public let maxLocations: Int
  }

  /// One component's findings and how many are still in the tip.
  public struct Component: Encodable, Sendable {
    public let findings: Int
    public let live: Int
  }

  public let findings: Int
  public let secrets: Int
  public let sensitiveFiles: Int
  /// Every severity, critical first, with its count.
  public let bySeverity: NamedCounts
  /// Rule id (sorted) to count.
  public let byRule: NamedCounts
  /// Findings still in the tip.
  public let live: Int
  public let historyOnly: Int
  /// Every finding by what its value is: live, test, example, public, expired.
  public let byContext: NamedCounts
  public let tipUnscanned: Int
  public let inTestPaths: Int
  public let oldestUnrotated: Unrotated?
  public let rules: RuleCounts
  public let scanned: Scanned
  public let limits: Limits
}

/// What a secret's value is, as the secrets analyzer judges it: only `live` counts as a leaked
/// credential. In this order in `byContext`.
public enum SecretContext: String, CaseIterable, Sendable, Encodable {
  case live, test, example, `public`, expired
}

/// The evidence of a secret or sensitive-file finding (`kind` "secret" or "file").
public struct SecretEvidence: FindingEvidence {
  public struct Place: Encodable, Sendable {
    public let path: String
    /// nil for a sensitive file (the whole file).
    public let line: Int?
  }

  /// The commit that first added it.
  public struct Introduction: Encodable, Sendable {
    public let commit: String
    public let author: String
    public let authorEmail: String
    public let date: Timestamp
    public let committedAt: Timestamp
    public let path: String?
    public let line: Int?
  }

  /// Another rule that matched the same value.
  public struct AlsoMatched: Encodable, Sendable {
    public let rule: String
    public let fingerprint: String
  }

  public let kind: String
  public let inHead: Bool
  public let tipUnscanned: Bool
  public let fingerprint: String
  /// `Redaction.preview`; nil for a sensitive file.
  public let preview: String?
  public let occurrences: Int
  public let commits: Int
  /// In the tip, at most `SecretsAnalyzer.maxLocations`.
  public let locations: [Place]
  public let introduced: Introduction?
  public let inTestPath: Bool
  public let context: SecretContext
  public let verdict: String
  /// Why a value is not live, or a note on a live one.
  public let reason: String?
  public let ruleSeverity: String
  public let alsoMatchedBy: [AlsoMatched]
  public let tags: [String]
}
