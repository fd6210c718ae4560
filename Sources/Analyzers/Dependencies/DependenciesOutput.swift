import SalvageCore

/// `analyzers.dependencies`: manifests and lockfiles per ecosystem, sprawl and supply-chain hygiene.
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
    /// The name it gives its own package (package.json's `name`), nil when it gives none.
    public let package: String?
    /// Workspace packages its scripts run by name (`-w`, `--workspace`, `--filter`), sorted.
    public let scriptTargets: [String]
    /// The lockfile that resolves it, if any.
    public let lockfile: String?
    public let direct: [Direct]
    /// Requirements the manifest records for others (go.mod's `// indirect`): never counted as direct.
    public let indirect: Int
    public let indirectDependencies: [Indirect]
    public let resolved: Int
    public let error: Problem?
  }

  public struct Indirect: Encodable, Sendable {
    public let name: String
    public let requirement: String
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

  /// Lockfiles of two tools for one ecosystem in one folder.
  public struct MixedLockfiles: Encodable, Sendable {
    public let folder: String
    public let ecosystem: String
    public let lockfiles: [String]
  }

  /// A direct dependency at several versions across the manifests.
  public struct SeveralVersions: Encodable, Sendable {
    public let ecosystem: String
    public let name: String
    public let versions: [String]
    public let manifests: [String]
  }

  public struct ResolvedPackage: Encodable, Sendable {
    public let ecosystem: String
    public let name: String
    public let versions: [String]
  }

  /// Resolved packages at several versions: how many, and the 20 with most versions.
  public struct ResolvedSeveral: Encodable, Sendable {
    public let packages: Int
    public let top: [ResolvedPackage]
  }

  /// Packages that do the same job side by side.
  public struct SameJob: Encodable, Sendable {
    public struct Package: Encodable, Sendable {
      public let name: String
      public let manifests: [String]
    }
    public let ecosystem: String
    public let job: String
    public let packages: [Package]
  }

  public struct Malformed: Encodable, Sendable {
    public let path: String
    public let line: Int?
    public let message: String
  }

  public let ecosystems: [Ecosystem]
  public let totals: Totals
  public let manifests: [Manifest]
  public let lockfiles: [Lockfile]
  public let manifestsWithoutLockfile: [String]
  public let mixedLockfiles: [MixedLockfiles]
  public let severalVersions: [SeveralVersions]
  public let resolvedWithSeveralVersions: ResolvedSeveral
  public let sameJob: [SameJob]
  /// Committed third-party code (files of the vendored class) by kind (`[[vendored]]` of
  /// dependencies.toml, else "other vendored code") and folder.
  public struct Vendored: Encodable, Sendable {
    public struct Folder: Encodable, Sendable {
      public let path: String
      public let files: Int
      public let lines: Int
    }
    public struct Kind: Encodable, Sendable {
      public let kind: String
      public let files: Int
      public let lines: Int
      public let folders: [Folder]
    }
    public let files: Int
    public let lines: Int
    /// Of all text lines of the tip.
    public let share: Double
    public let kinds: [Kind]
  }

  /// Non-merge commits that touched a manifest or a lockfile.
  public struct ManifestChurn: Encodable, Sendable {
    public struct Year: Encodable, Sendable {
      public let year: Int
      public let commits: Int
    }
    public let commits: Int
    /// Over the months from the first commit to the last; nil without history.
    public let perMonth: Double?
    public let manifestWithoutLockfileChange: Int
    public let lockfileOnly: Int
    public let lastChange: Timestamp?
    public let byYear: [Year]
  }

  public let vendored: Vendored
  public let manifestChurn: ManifestChurn
  public let malformed: [Malformed]
  public let scorecard: [Check]
}

extension DependenciesOutput {
  /// The evidence of a `malformed-manifest` finding.
  public struct MalformedEvidence: FindingEvidence {
    public let ecosystem: String
    public let message: String
  }

  /// The evidence of a `mixed-lockfiles` finding.
  public struct LockfilesEvidence: FindingEvidence {
    public let lockfiles: [String]
  }

  /// The evidence of a `manifest-without-lockfile` finding.
  public struct NoLockfileEvidence: FindingEvidence {
    public let manifests: [String]
    public let unpinnedDirect: Int
  }

  /// The evidence of an `unpinned-requirements` or `moving-requirements` finding (at most 50).
  public struct RequirementsEvidence: FindingEvidence {
    public struct Requirement: Encodable, Sendable {
      public let path: String
      public let name: String
      public let requirement: String
      public let looseness: String
    }

    public let requirements: [Requirement]
  }

  /// The evidence of a `several-versions` finding.
  public struct VersionsEvidence: FindingEvidence {
    public let versions: [String]
  }

  /// The evidence of a `several-versions-more` or `same-job-packages` finding.
  public struct PackagesEvidence: FindingEvidence {
    public let packages: [String]
  }

  /// The evidence of a `scorecard-*` finding (at most 50 details).
  public struct ScorecardEvidence: FindingEvidence {
    public let score: Int
    public let details: [String]
  }

  /// The evidence of a `vendored-dependencies` finding.
  public struct VendoredEvidence: FindingEvidence {
    public let files: Int
    public let lines: Int
    public let share: Double
  }
}
