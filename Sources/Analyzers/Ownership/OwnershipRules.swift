import SalvageCore

/// The thresholds of `rules/ownership.toml`, read once per scan.
public struct OwnershipRules: Sendable {
  static let file = "ownership.toml"

  var excludedClasses: Set<FileClass> = [.vendored, .generated, .lockfile, .binary, .docs, .translation]
  var minorShare = 0.05
  var islandShare = 0.95
  var formerAfterDays = 180
  var doa = DegreeOfAuthorship()
  var coverage = 0.5
  var orphanedMedium = 0.2
  var orphanedHigh = 0.5
  var componentMinFiles = 10
  var maxFindings = 10
  var bots = BotList()

  init() {}

  init(_ rules: RuleSet) throws(RuleError) {
    bots = try BotList(rules)
    guard let table = rules.table(Self.file) else { return }
    let r = RuleReader(file: Self.file, table: table)
    // Each section's `examples` are run by the suite.
    try r.check(known: ["exclude_classes", "ownership", "truck_factor", "findings"])
    try r.check(known: ["minor_share", "island_share", "former_after_days", "examples"], in: "ownership")
    try r.check(known: ["constant", "first_authorship", "deliveries", "acceptances", "normalized_threshold", "absolute_threshold", "coverage",
                        "examples"], in: "truck_factor")
    try r.check(known: ["orphaned_medium", "orphaned_high", "component_min_files", "max_findings", "examples"], in: "findings")
    excludedClasses = try FileClass.set(try r.strings("exclude_classes"), file: Self.file, default: excludedClasses)
    minorShare = try r.double("ownership", "minor_share", minorShare)
    islandShare = try r.double("ownership", "island_share", islandShare)
    formerAfterDays = try r.int("ownership", "former_after_days", formerAfterDays, min: 1)
    let any = -1000.0...1000.0
    doa = DegreeOfAuthorship(
      constant: try r.double("truck_factor", "constant", doa.constant, range: any),
      firstAuthorship: try r.double("truck_factor", "first_authorship", doa.firstAuthorship, range: any),
      deliveries: try r.double("truck_factor", "deliveries", doa.deliveries, range: any),
      acceptances: try r.double("truck_factor", "acceptances", doa.acceptances, range: any),
      normalizedThreshold: try r.double("truck_factor", "normalized_threshold", doa.normalizedThreshold),
      absoluteThreshold: try r.double("truck_factor", "absolute_threshold", doa.absoluteThreshold, range: any))
    coverage = try r.double("truck_factor", "coverage", coverage)
    orphanedMedium = try r.double("findings", "orphaned_medium", orphanedMedium)
    orphanedHigh = try r.double("findings", "orphaned_high", orphanedHigh)
    componentMinFiles = try r.int("findings", "component_min_files", componentMinFiles, min: 1)
    maxFindings = try r.int("findings", "max_findings", maxFindings, min: 0)
  }

  /// A contributor with this share of a file's added lines is a minor one.
  func isMinor(share: Double) -> Bool { share < minorShare }
  /// A file whose main developer has this share of its added lines is a knowledge island.
  func isIsland(share: Double) -> Bool { share >= islandShare }

  /// The severity of orphaned code (lines whose main developer left) at this share of all lines, nil
  /// under `orphaned_medium`. `[findings] examples` of the rule file are run against it.
  func orphanedSeverity(share: Double) -> Severity? {
    share < orphanedMedium ? nil : share >= orphanedHigh ? .high : .medium
  }

  /// The thresholds as the report echoes them.
  var echoed: OwnershipOutput.Thresholds {
    OwnershipOutput.Thresholds(
      excludeClasses: excludedClasses.sorted().map(\.rawValue), excludeAttributes: ["linguist-vendored", "linguist-generated"],
      minorShare: minorShare, islandShare: islandShare, formerAfterDays: formerAfterDays,
      truckFactor: .init(algorithm: "Avelino et al. 2016, degree of authorship, greedy removal", constant: doa.constant,
                         firstAuthorship: doa.firstAuthorship, deliveries: doa.deliveries, acceptances: doa.acceptances,
                         normalizedThreshold: doa.normalizedThreshold, absoluteThreshold: doa.absoluteThreshold, coverage: coverage),
      bots: bots.echoed)
  }
}
