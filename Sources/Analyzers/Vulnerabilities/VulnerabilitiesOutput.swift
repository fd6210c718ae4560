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
  /// Hits by severity.
  public let severities: Severities
  public let hits: [Hit]

  public struct Source: Encodable, Sendable {
    public let path: String
    public let records: Int
    public let withdrawn: Int
    public let unreadable: Int
    /// Affected entries of ecosystems not matched here.
    public let otherEcosystems: Int
  }

  public struct Severities: Encodable, Sendable, Equatable {
    public var critical = 0
    public var high = 0
    public var medium = 0
    public var low = 0
    /// No score and no word in the record (counted as medium findings), or a score of 0.
    public var unknown = 0

    public init() {}

    mutating func count(_ level: String) {
      switch level {
      case "critical": critical += 1
      case "high": high += 1
      case "medium": medium += 1
      case "low": low += 1
      default: unknown += 1
      }
    }
  }

  public struct Hit: Encodable, Sendable {
    public let id: String
    public let aliases: [String]
    public let summary: String
    /// critical, high, medium, low, none, unknown.
    public let severity: String
    /// CVSS base score computed from `vector` (v3.x, or v4.0 when the record has only that).
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
    /// The oldest commit whose added lockfile lines pinned a version this advisory covers; nil when the
    /// history shows none (a bump that changed only a `version` line, or a cut history).
    public let vulnerableSince: Since?
    /// With `--base`: whether the change brought this version (no commit outside the change pinned it).
    /// nil without `--base`.
    public let introducedByChange: Bool?
  }

  public struct Since: Encodable, Sendable, Equatable {
    public let commit: String
    /// UTC day of the commit.
    public let date: String
    /// Days from the commit to the scan's now.
    public let days: Int
    /// The affected version that commit pinned.
    public let version: String
  }

  /// Per component (`componentOutputs`): the vulnerable versions its lockfiles resolve.
  public struct Component: AnalyzerOutput, Equatable {
    public let hits: Int
    public let severities: Severities
    /// "name version" of each vulnerable package, sorted.
    public let packages: [String]
  }
}

/// The evidence of a `known-vulnerability` finding: its hit, written without the summary, vector and
/// lockfile (the finding's message and location carry them), the first pinning as its date and age.
public struct VulnerabilityEvidence: FindingEvidence {
  public let hit: VulnerabilitiesOutput.Hit

  /// Whether the change pinned that version (CI mode): `ChangeSet.introduced` reads it in place of the
  /// lockfile's path, since touching a lockfile does not bring its old versions. Written only when known.
  public var introducedByChange: Bool? { hit.introducedByChange }

  private enum Keys: String, CodingKey {
    case id, aliases, severity, score, ecosystem, package, version, range, fixed, direct, vulnerableSince, daysVulnerable, introducedByChange
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(hit.id, forKey: .id)
    try c.encode(hit.aliases, forKey: .aliases)
    try c.encode(hit.severity, forKey: .severity)
    try c.encodeIfPresent(hit.score, forKey: .score)
    try c.encode(hit.ecosystem, forKey: .ecosystem)
    try c.encode(hit.package, forKey: .package)
    try c.encode(hit.version, forKey: .version)
    try c.encode(hit.range, forKey: .range)
    try c.encodeIfPresent(hit.fixed, forKey: .fixed)
    try c.encode(hit.direct, forKey: .direct)
    try c.encodeIfPresent(hit.vulnerableSince?.date, forKey: .vulnerableSince)
    try c.encodeIfPresent(hit.vulnerableSince?.days, forKey: .daysVulnerable)
    if let introducedByChange = hit.introducedByChange { try c.encode(introducedByChange, forKey: .introducedByChange) }
  }
}
