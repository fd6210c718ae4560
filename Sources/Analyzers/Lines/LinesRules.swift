import Git
import SalvageCore

/// The thresholds of `rules/lines.toml`, read once per scan.
public struct LinesRules: Sendable {
  static let file = "lines.toml"

  var excludedClasses: Set<FileClass> = [.vendored, .generated, .lockfile, .binary, .translation]
  public internal(set) var reworkDays = 21

  init() {}

  public init(_ rules: RuleSet) throws(RuleError) {
    guard let table = rules.table(Self.file) else { return }
    let r = RuleReader(file: Self.file, table: table)
    try r.check(known: ["exclude_classes", "rework"])
    try r.check(known: ["days", "examples"], in: "rework")
    excludedClasses = try FileClass.set(try r.strings("exclude_classes"), file: Self.file, default: excludedClasses)
    reworkDays = try r.int("rework", "days", reworkDays, min: 0, max: 3650)
  }

  /// True when a line removed `seconds` after it was written counts as reworked: the tracker's own test.
  public func isRework(afterSeconds seconds: Int64) -> Bool { LineTracker.isRework(elapsed: seconds, reworkDays: reworkDays) }

  /// The thresholds as the output echoes them.
  public struct Echoed: Encodable, Sendable {
    public let excludeClasses: [FileClass]
    public let reworkDays: Int
  }

  var echoed: Echoed { Echoed(excludeClasses: excludedClasses.sorted(), reworkDays: reworkDays) }
}
