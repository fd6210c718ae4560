import SalvageCore

/// `analyzers.licences`: the product's own licence, the third-party code inside the repository and the
/// licences its dependencies declare, with what each means for a buyer.
public struct LicencesOutput: AnalyzerOutput {
  /// The product's own licence, decided from its declarations.
  public let licence: Own
  /// Every place the product states its licence: root licence files, the README's licence section,
  /// root manifests' licence fields.
  public let declarations: [Declaration]
  /// The tip holds a file that marks a network service (`service_markers`): the AGPL's network clause applies.
  public let networkService: Bool
  /// Up to five of those files, then up to five "manifest: package" of runtime dependencies that serve
  /// requests (`service_packages`).
  public let serviceMarkers: [String]
  /// How `networkService` was decided: a guess from marker files and server dependencies, never confirmed.
  public let networkServiceBasis: String
  /// Files whose header states a licence (an SPDX tag or a notice), by licence, the product's own included.
  public let fileHeaders: [Count]
  /// Third-party code inside the repository (at most `list_limit`, those with a risk first).
  public let thirdParty: [Item]
  /// All third-party items, listed or not.
  public let thirdPartyCount: Int
  public let dependencies: Dependencies
  /// Licences shipped together in one component that cannot be combined (`[[incompatible]]`).
  public let incompatible: [Incompatible]
  public let counts: Counts

  public struct Own: Encodable, Sendable {
    /// The licence as an SPDX id (or expression); nil when the repository states none.
    public let id: String?
    /// public-domain, permissive, weak-copyleft, strong-copyleft, network-copyleft, source-available,
    /// proprietary, unknown, or none.
    public let kind: String
    /// 0-1: how sure the identification is (1 for an SPDX id in a manifest).
    public let confidence: Double
    /// Where it was found.
    public let source: String?
  }

  public struct Declaration: Encodable, Sendable {
    public let path: String
    /// "licence file", "readme" or "manifest".
    public let source: String
    /// The SPDX id or expression; nil when the text was not recognised.
    public let id: String?
    public let kind: String
    public let confidence: Double
  }

  public struct Count: Encodable, Sendable {
    public let id: String
    public let kind: String
    public let files: Int
  }

  public struct Item: Encodable, Sendable {
    /// The file (or the folder of a vendored package) that carries the licence.
    public let path: String
    /// "spdx tag", "file header", "licence file", "package manifest", "python metadata" or "go vendor".
    public let source: String
    /// The package's name, for package manifests, Python metadata and Go modules.
    public let package: String?
    /// The licence as stated (an SPDX expression or identified id); nil when not recognised.
    public let id: String?
    public let kind: String
    public let confidence: Double
    public let vendored: Bool
    public let component: String
    /// The risk rule it raises, nil when none.
    public let risk: String?
    /// When it entered the history; nil when the history does not show it (a shallow clone, a rename).
    public let arrived: Arrival?
  }

  public struct Arrival: Encodable, Sendable {
    public let commit: String
    public let date: String
    public let author: String
  }

  public struct Dependencies: Encodable, Sendable {
    public let lockfiles: [Lockfile]
    /// Packages whose declared licence raises a risk, or is not recognised (at most `list_limit`).
    public let packages: [Package]
    /// Resolved packages in all lockfiles, and how many of them have a declared licence.
    public let resolved: Int
    public let withLicence: Int
    /// Resolved packages whose licence no lockfile or vendored manifest records: unknown, not assessed.
    public let unknown: Int
  }

  public struct Lockfile: Encodable, Sendable {
    public let path: String
    public let ecosystem: String
    public let packages: Int
    public let withLicence: Int
    /// Why licences are missing, when the lockfile format does not record them.
    public let note: String?
  }

  public struct Package: Encodable, Sendable {
    public let lockfile: String
    public let name: String
    public let version: String
    public let id: String
    public let kind: String
    /// A development-only dependency: not shipped, so it raises no risk.
    public let dev: Bool
    public let risk: String?
  }

  public struct Incompatible: Encodable, Sendable {
    public let component: String
    /// The two licences, each with up to three of the places that carry it.
    public let sides: [Side]
    /// Why they cannot be combined (the rule's `why`).
    public let why: String

    public struct Side: Encodable, Sendable {
      /// As shown: GNU licences with `-only` or `-or-later`.
      public let licence: String
      /// Files, vendored folders, "lockfile: name version", or the product's licence file.
      public let places: [String]
      public let count: Int
    }
  }

  public struct Counts: Encodable, Sendable {
    /// Third-party items and packages raising the copyleft risks (`copyleft-in-product`, `network-copyleft`).
    public let copyleft: Int
    public let weakCopyleft: Int
    /// Third-party items and packages whose licence is stated but not recognised.
    public let unknown: Int
    /// Disagreeing declarations, plus incompatible licences combined in a component.
    public let conflicts: Int
  }

  /// Per component: the licences its manifests and licence files declare, and its third-party code.
  public struct Component: Encodable, Sendable {
    public let declared: [String]
    public let thirdParty: Int
    public let copyleft: Int
    public let unknown: Int
  }
}

extension LicencesOutput {
  /// The evidence of a `no-licence` finding: the declarations found elsewhere (manifests, README).
  public struct NoLicenceEvidence: FindingEvidence {
    public let declarations: Int
  }

  /// The evidence of an `unknown-licence` finding on the repository's own licence.
  public struct UnknownOwnEvidence: FindingEvidence {
    public let kind: String
  }

  /// The evidence of an `own-copyleft` finding.
  public struct OwnCopyleftEvidence: FindingEvidence {
    public let id: String
    public let kind: String
    public let networkService: Bool
    /// How `networkService` was guessed (`LicencesOutput.networkServiceBasis`).
    public let networkServiceBasis: String
    /// People who committed, bots excluded (`rules/bots.toml`), and the bots left out.
    public let committers: Int
    public let bots: Int
  }

  /// The evidence of an `incompatible-licences` finding: the component, the two licences and how many
  /// places carry each.
  public struct IncompatibleEvidence: FindingEvidence {
    public let component: String
    public let licences: [String]
    public let places: [Int]
  }

  /// The evidence of a `licence-conflict` finding between licence families.
  public struct ConflictEvidence: FindingEvidence {
    public let licences: [String]
  }

  /// The evidence of a finding on one locked package's licence.
  public struct PackageEvidence: FindingEvidence {
    public let package: String
    public let version: String
    public let licence: String
    public let kind: String
  }

  /// The evidence of an `unknown-licence` finding on a lockfile's packages.
  public struct UnknownPackagesEvidence: FindingEvidence {
    public let packages: Int
  }

  /// The evidence of a `licence-conflict` finding between components and the product.
  public struct ComponentsEvidence: FindingEvidence {
    public let components: Int
  }

  /// The evidence of a finding on one licensed item of the tip (a file, a vendored package).
  public struct ItemEvidence: FindingEvidence {
    public let licence: String?
    public let kind: String
    public let source: String
    public let vendored: Bool
    /// The date it arrived, when the history shows it.
    public let arrived: String?
  }
}
