/// Advisories indexed by (ecosystem, normalised package name): matching a package looks at the few
/// records that name it, not at all of them.
public struct AdvisoryIndex: Sendable {
  struct Key: Hashable {
    let ecosystem: Ecosystem
    let name: String
  }

  public let advisories: [Advisory]
  /// (advisory, affected entry) pairs per package.
  private let entries: [Key: [(advisory: Int32, affected: Int32)]]
  public let stats: Stats

  /// What loading skipped, for the report to say.
  public struct Stats: Sendable, Equatable {
    public var records = 0
    public var withdrawn = 0
    /// Affected entries of ecosystems without an ordering here (Debian, NuGet, …).
    public var otherEcosystems = 0
    /// Files that are not OSV records.
    public var unreadable = 0
    public var unreadableExamples: [String] = []
    public init() {}
  }

  public init(_ advisories: [Advisory], stats: Stats = Stats()) {
    var entries: [Key: [(Int32, Int32)]] = [:]
    for (a, advisory) in advisories.enumerated() {
      for (n, affected) in advisory.affected.enumerated() {
        entries[Key(ecosystem: affected.ecosystem, name: affected.ecosystem.normalisedName(affected.name)), default: []]
          .append((Int32(a), Int32(n)))
      }
    }
    self.advisories = advisories
    self.entries = entries
    self.stats = stats
  }

  /// The advisories that cover each package's version: one hit per package and advisory, in the order
  /// of the packages, then of the advisories' ids.
  public func match(_ packages: [PackageVersion]) -> [AdvisoryHit] {
    var hits: [AdvisoryHit] = []
    for package in packages {
      guard let list = entries[Key(ecosystem: package.ecosystem, name: package.ecosystem.normalisedName(package.name))] else { continue }
      var found: [AdvisoryHit] = []
      var seen = Set<Int32>()
      for (a, n) in list where !seen.contains(a) {
        let advisory = advisories[Int(a)]
        let entry = advisory.affected[Int(n)]
        guard let interval = RangeEvaluation.match(package.version, entry) else { continue }
        seen.insert(a)
        found.append(AdvisoryHit(package: package, id: advisory.id, aliases: advisory.aliases, summary: advisory.summary,
                                 severity: entry.severity ?? advisory.severity, range: interval.text, fixed: interval.fixed))
      }
      hits += found.sorted { $0.id < $1.id }
    }
    return hits
  }
}
