import SalvageCore

/// `analyzers.vulnerabilities`: the resolved packages of the lockfiles matched against OSV advisories.
public struct VulnerabilitiesOutput: AnalyzerOutput {
  /// "assessed", or "not assessed" (no advisories given, or they could not be read).
  public let status: String
  /// Why not assessed and how to get the data; nil when assessed.
  public let note: String?
  public let advisories: Source?
  /// Distinct (ecosystem, package, version) checked.
  public let packagesChecked: Int
  public let packagesVulnerable: Int
  /// Ecosystems of the lockfiles that no ordering here covers (NuGet, SwiftPM, …): not checked.
  public let uncheckedEcosystems: [String]
  public let hits: [Hit]

  public struct Source: Encodable, Sendable {
    public let path: String
    public let records: Int
    public let withdrawn: Int
    public let unreadable: Int
    /// Affected entries of ecosystems not matched here.
    public let otherEcosystems: Int
  }

  public struct Hit: Encodable, Sendable {
    public let id: String
    public let aliases: [String]
    public let summary: String
    /// critical, high, medium, low, none, unknown.
    public let severity: String
    /// CVSS v3 base score computed from `vector`.
    public let score: Double?
    public let vector: String?
    public let ecosystem: String
    public let package: String
    public let version: String
    public let range: String
    public let fixed: String?
    /// A manifest next to the lockfile names the package itself.
    public let direct: Bool
    public let lockfile: String
  }
}
