import SalvageCore

/// `analyzers.ownership`: main developers, the truck factor, knowledge loss and islands, bots apart.
public struct OwnershipOutput: AnalyzerOutput {
  public struct ExcludedFiles: Encodable, Sendable {
    public let byClass: Int
    public let byAttributes: Int
  }

  public struct Member: Encodable, Sendable {
    public let name: String
    public let email: String
    /// Files they author.
    public let files: Int
    public let former: Bool
  }

  /// Avelino et al.'s truck factor.
  public struct TruckFactorFigures: Encodable, Sendable {
    public let value: Int
    public let people: [Member]
    public let files: Int
    public let coverageAfter: Double
  }

  public struct Islands: Encodable, Sendable {
    public let files: Int
    public let lines: Int
    public let share: Double
  }

  public struct Bot: Encodable, Sendable {
    public let name: String
    public let email: String
    public let commits: Int
  }

  /// A person who authors a file or is a file's main developer.
  public struct Contributor: Encodable, Sendable {
    public let name: String
    public let email: String
    public let commits: Int
    public let addedLines: Int
    public let filesAuthored: Int
    public let mainDeveloperOf: Int
    public let lastCommit: Timestamp?
    public let former: Bool
  }

  public struct File: Encodable, Sendable {
    public let path: String
    public let component: String
    public let lines: Int
    public let mainDeveloper: String?
    public let mainDeveloperEmail: String?
    public let share: Double
    public let contributors: Int
    public let minorContributors: Int
    public let fragmentation: Double
    public let authors: [String]
    public let island: Bool
    public let orphaned: Bool
  }

  /// One component's own truck factor, knowledge loss and main developers.
  public struct Component: Encodable, Sendable {
    public struct MainDeveloper: Encodable, Sendable {
      public let name: String
      /// Files of the component they are the main developer of.
      public let files: Int
      public let former: Bool
    }
    public let files: Int
    public let lines: Int
    public let truckFactor: Int
    public let truckFactorPeople: [String]
    public let orphanedShare: Double
    public let knowledgeIslands: Int
    /// The top three.
    public let mainDevelopers: [MainDeveloper]
  }

  /// The thresholds of `ownership.toml` (and the bot list of `bots.toml`) in force, echoed.
  public struct Thresholds: Encodable, Sendable {
    public struct TruckFactor: Encodable, Sendable {
      public let algorithm: String
      public let constant: Double
      public let firstAuthorship: Double
      public let deliveries: Double
      public let acceptances: Double
      public let normalizedThreshold: Double
      public let absoluteThreshold: Double
      public let coverage: Double
    }
    public let excludeClasses: [String]
    public let excludeAttributes: [String]
    public let minorShare: Double
    public let islandShare: Double
    public let formerAfterDays: Int
    public let truckFactor: TruckFactor
    public let bots: BotList.Echoed
  }

  /// The rules in force, echoed.
  public let thresholds: Thresholds
  public let analyzedFiles: Int
  public let excludedFiles: ExcludedFiles
  public let truckFactor: TruckFactorFigures
  /// How knowledge loss is counted: "lines" (each tip line for the person who wrote it, as git blame
  /// attributes it: the line origins were followed) or "files" (every line of a file for its main
  /// developer).
  public let orphanedBasis: String
  public let orphanedShare: Double
  public let orphanedLines: Int
  public let orphanedFiles: Int
  public let totalLines: Int
  public let knowledgeIslands: Islands
  public let contributors: Int
  public let formerContributors: Int
  public let botCommits: Int
  public let bots: [Bot]
  public let people: [Contributor]
  public let files: [File]
  /// People who committed under several identities, merged (`IdentityMerge`): the identity shown and
  /// the others, each with why.
  public let identities: [Identity]
  /// The merges as `.mailmap` lines, for the client to check and commit.
  public let suggestedMailmap: String

  public struct Identity: Encodable, Sendable {
    public struct Alias: Encodable, Sendable {
      public let name: String
      public let email: String
      public let reason: String
    }
    public let name: String
    public let email: String
    public let aliases: [Alias]
  }
}

extension OwnershipOutput {
  /// The evidence of a `truck-factor` finding of 1 or 2.
  public struct TruckFactorEvidence: FindingEvidence {
    public let value: Int
    public let people: [String]
    public let files: Int
    public let coverageAfter: Double
  }

  /// The evidence of a `truck-factor` finding of 0 (no clear authors).
  public struct NoAuthorsEvidence: FindingEvidence {
    public let value: Int
    public let files: Int
  }

  /// The evidence of an `orphaned-code` finding.
  public struct OrphanedEvidence: FindingEvidence {
    public struct Former: Encodable, Sendable {
      public let name: String
      public let lines: Int
    }

    public let orphanedLines: Int
    public let totalLines: Int
    public let share: Double
    public let files: Int
    public let formerDevelopers: [Former]
  }

  /// The evidence of a `hotspot-knowledge-island` finding.
  public struct IslandEvidence: FindingEvidence {
    public let rank: Int
    public let mainDeveloper: String
    public let share: Double
    public let former: Bool
  }

  /// The evidence of a `component-truck-factor` finding.
  public struct ComponentEvidence: FindingEvidence {
    public let component: String
    public let person: String
    public let files: Int
    public let authored: Int
    public let former: Bool
  }
}
