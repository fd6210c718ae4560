import SalvageCore

/// `analyzers.dependencies`: manifests and lockfiles per ecosystem, sprawl and supply-chain hygiene.
/// The sprawl lists (`mixedLockfiles` to `malformed`) are still written as JSON by the analyzer.
public struct DependenciesOutput: AnalyzerOutput {
  /// One component's manifests and packages.
  public struct Component: Encodable, Sendable {
    public let manifests: Int
    public let direct: Int
    public let unpinned: Int
    public let resolved: Int
    public let ecosystems: [String]
  }

  public struct Ecosystem: Encodable, Sendable {
    public let ecosystem: String
    public let manifests: Int
    public let lockfiles: Int
    public let direct: Int
    public let unpinned: Int
    public let resolved: Int
  }

  public struct Totals: Encodable, Sendable {
    public let manifests: Int
    public let lockfiles: Int
    public let direct: Int
    public let resolved: Int
    /// Resolved packages per direct one; nil when either is zero.
    public let transitiveAmplification: Double?
  }

  public struct Direct: Encodable, Sendable {
    public let name: String
    public let requirement: String
    public let pinned: Bool
    public let scope: String
    public let looseness: String?
  }

  public struct Problem: Encodable, Sendable {
    public let line: Int?
    public let message: String
  }

  public struct Manifest: Encodable, Sendable {
    public let path: String
    public let ecosystem: String
    /// The lockfile that resolves it, if any.
    public let lockfile: String?
    public let direct: [Direct]
    public let resolved: Int
    public let error: Problem?
  }

  public struct Lockfile: Encodable, Sendable {
    public let path: String
    public let ecosystem: String
    public let family: String
    public let resolved: Int
    public let readable: Bool
  }

  /// One OpenSSF Scorecard check; `score` is -1 when it does not apply.
  public struct Check: Encodable, Sendable {
    public let check: String
    public let score: Int
    public let reason: String
    public let risk: String?
  }

  public let ecosystems: [Ecosystem]
  public let totals: Totals
  public let manifests: [Manifest]
  public let lockfiles: [Lockfile]
  public let manifestsWithoutLockfile: [String]
  public let mixedLockfiles: JSONValue
  public let severalVersions: JSONValue
  public let resolvedWithSeveralVersions: JSONValue
  public let sameJob: JSONValue
  public let vendored: JSONValue
  public let manifestChurn: JSONValue
  public let malformed: JSONValue
  public let scorecard: [Check]
}
