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

  var json: JSONValue {
    [
      "excludeClasses": .array(excludedClasses.sorted().map { .string($0.rawValue) }),
      "excludeAttributes": ["linguist-vendored", "linguist-generated"],
      "minorShare": .number(minorShare),
      "islandShare": .number(islandShare),
      "formerAfterDays": .int(formerAfterDays),
      "truckFactor": [
        "algorithm": "Avelino et al. 2016, degree of authorship, greedy removal",
        "constant": .number(doa.constant),
        "firstAuthorship": .number(doa.firstAuthorship),
        "deliveries": .number(doa.deliveries),
        "acceptances": .number(doa.acceptances),
        "normalizedThreshold": .number(doa.normalizedThreshold),
        "absoluteThreshold": .number(doa.absoluteThreshold),
        "coverage": .number(coverage),
      ],
      "bots": bots.json,
    ]
  }
}
