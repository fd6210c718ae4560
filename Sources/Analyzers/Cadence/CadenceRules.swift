import Foundation
import GlobEngine
import SalvageCore
import TOML

/// The thresholds and word lists of `rules/cadence.toml`. Every key is required, so that a user's
/// replacement file that forgets one fails with the key's name instead of silently using another value.
public struct CadenceRules: Sendable {
  public static let file = "cadence.toml"

  public struct Trend: Sendable {
    public var flatBand: Double
    public var stallDrop90d: Double
    public var stallDrop12m: Double
    public var stallMinCommits: Int
  }

  public struct Liveness: Sendable {
    public var maintainedDays: Int
    public var longGapDays: Int
    public var gapsListed: Int
  }

  public struct Releases: Sendable {
    public var versionPattern: String
    public var prereleasePattern: String
    public var recentIntervals: Int
    public var slowdownFactor: Double
    public var overdueFactor: Double
  }

  public struct Wip: Sendable {
    public var subjects: Set<String> { didSet { longestSubject = subjects.map(\.utf8.count).max() ?? 0 } }
    public var prefixes: Set<String> { didSet { longestPrefix = prefixes.map(\.utf8.count).max() ?? 0 } }
    /// Longer texts need no look-up.
    private(set) var longestSubject = 0
    private(set) var longestPrefix = 0
    public var share: Double
    public var minCommits: Int
  }

  public struct Fixes: Sendable {
    public var windowDays: Int
    public var rise: Double
    public var minCommits: Int
  }

  public struct Landing: Sendable {
    public var dumpFiles: Int
    public var dumpLines: Int
    public var dumpIgnoreClasses: Set<FileClass>
    public var dumpIgnorePaths: [Glob]
    public var dumpsListed: Int
    public var dumpMinCount: Int
  }

  public struct Team: Sendable {
    public var shortStayDays: Int
    public var shortStayMinCommits: Int
    public var leftAfterDays: Int
    public var shortStayShare: Double
  }

  public struct Hours: Sendable {
    public var nightStart: Int
    public var nightEnd: Int
    public var nightShare: Double
    public var weekendShare: Double
    public var recentDays: Int
    public var shift: Double
    public var minCommits: Int
    public var zeroOffsetCaveat: Double
  }

  public var trend: Trend
  public var liveness: Liveness
  public var releases: Releases
  public var kinds: CommitClassifier
  public var wip: Wip
  public var fixes: Fixes
  public var landing: Landing
  public var team: Team
  public var bots: BotList
  public var hours: Hours

  public init(rules: RuleSet) throws(RuleError) {
    let r = try RuleReader(rules, file: Self.file, required: true)
    try Self.checkKeys(r)
    trend = Trend(flatBand: try r.double("trend", "flat_band", range: Self.anyNumber), stallDrop90d: try r.double("trend", "stall_drop_90d", range: Self.anyNumber),
                  stallDrop12m: try r.double("trend", "stall_drop_12m", range: Self.anyNumber), stallMinCommits: try r.int("trend", "stall_min_commits", min: 0))
    liveness = Liveness(maintainedDays: try r.int("liveness", "maintained_days", min: 0), longGapDays: try r.int("liveness", "long_gap_days", min: 0),
                        gapsListed: try r.int("liveness", "gaps_listed", min: 0))
    releases = Releases(versionPattern: try r.string("releases", "version_pattern"),
                        prereleasePattern: try r.string("releases", "prerelease_pattern"),
                        recentIntervals: max(1, try r.int("releases", "recent_intervals", min: 0)),
                        slowdownFactor: try r.double("releases", "slowdown_factor", range: Self.anyNumber), overdueFactor: try r.double("releases", "overdue_factor", range: Self.anyNumber))
    var conventional: [String: CommitKind] = [:]
    for (key, value) in try r.table("kinds", "conventional").entries {
      guard let name = value.string, let kind = CommitKind(rawValue: name) else {
        throw r.error("kinds", "conventional.\(key)", "must name a kind (\(CommitKind.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      conventional[key.lowercased()] = kind
    }
    var areas: [String: CommitKind] = [:]
    for (key, value) in try r.table("kinds", "areas").entries {
      guard let kind = CommitKind(rawValue: key), let words = value.stringArray else { throw r.error("kinds", "areas.\(key)", "must be a kind and a list of words") }
      for word in words { areas[word.lowercased()] = kind }
    }
    var keywords: [(CommitKind, Set<String>)] = [], firstWords: [(CommitKind, Set<String>)] = []
    let anywhere = try r.table("kinds", "keywords"), opening = try r.table("kinds", "first_words")
    // Each names a kind and lists words (a misspelt kind was never asked for, a wrong kind of value was skipped).
    for (name, table) in [("keywords", anywhere), ("first_words", opening)] {
      for (key, value) in table.entries where CommitKind(rawValue: key) == nil || value.stringArray == nil {
        throw r.error("kinds", "\(name).\(key)", "must be a kind and a list of words")
      }
    }
    for name in try r.strings("kinds", "order") {
      guard let kind = CommitKind(rawValue: name) else { throw r.error("kinds", "order", "unknown kind '\(name)'") }
      let words = Set((anywhere[name]?.stringArray ?? []).map { $0.lowercased() })
      keywords.append((kind, words))
      firstWords.append((kind, words.union((opening[name]?.stringArray ?? []).map { $0.lowercased() })))
    }
    kinds = CommitClassifier(conventional: conventional, areas: areas, firstWords: firstWords, keywords: keywords)
    wip = Wip(subjects: [], prefixes: [], share: try r.double("wip", "share", range: Self.anyNumber), minCommits: try r.int("wip", "min_commits", min: 0))
    wip.subjects = Set(try r.strings("wip", "subjects").map { $0.lowercased() })
    wip.prefixes = Set(try r.strings("wip", "prefixes").map { $0.lowercased() })
    fixes = Fixes(windowDays: try r.int("fixes", "window_days", min: 0), rise: try r.double("fixes", "rise", range: Self.anyNumber), minCommits: try r.int("fixes", "min_commits", min: 0))
    var ignored = Set<FileClass>()
    for name in try r.strings("landing", "dump_ignore_classes") {
      guard let fileClass = FileClass(rawValue: name) else { throw r.error("landing", "dump_ignore_classes", "unknown file class '\(name)'") }
      ignored.insert(fileClass)
    }
    landing = Landing(dumpFiles: try r.int("landing", "dump_files", min: 0), dumpLines: try r.int("landing", "dump_lines", min: 0), dumpIgnoreClasses: ignored,
                      dumpIgnorePaths: try r.strings("landing", "dump_ignore_paths").map { Glob($0, case: .sensitive, anchoring: .anyDepth) },
                      dumpsListed: try r.int("landing", "dumps_listed", min: 0), dumpMinCount: try r.int("landing", "dump_min_count", min: 0))
    team = Team(shortStayDays: try r.int("team", "short_stay_days", min: 0), shortStayMinCommits: try r.int("team", "short_stay_min_commits", min: 0),
                leftAfterDays: try r.int("team", "left_after_days", min: 0), shortStayShare: try r.double("team", "short_stay_share", range: Self.anyNumber))
    bots = try BotList(rules)
    hours = Hours(nightStart: try r.int("hours", "night_start", min: 0), nightEnd: try r.int("hours", "night_end", min: 0),
                  nightShare: try r.double("hours", "night_share", range: Self.anyNumber), weekendShare: try r.double("hours", "weekend_share", range: Self.anyNumber),
                  recentDays: try r.int("hours", "recent_days", min: 0), shift: try r.double("hours", "shift", range: Self.anyNumber), minCommits: try r.int("hours", "min_commits", min: 0),
                  zeroOffsetCaveat: try r.double("hours", "zero_offset_caveat", range: Self.anyNumber))
    guard (0...23).contains(hours.nightStart), (0...23).contains(hours.nightEnd) else {
      throw r.error("hours", "night_start", "night hours must be between 0 and 23")
    }
  }

  /// Shares, factors and offsets: any number that cannot overflow the arithmetic it feeds.
  static let anyNumber = 0.0...Double(RuleReader.intCeiling)

  /// The keys each section may hold; `examples` are run by the suite (`CadenceRuleExampleTests`).
  static func checkKeys(_ r: RuleReader) throws(RuleError) {
    try r.check(known: ["trend", "liveness", "releases", "kinds", "wip", "fixes", "landing", "team", "hours"])
    for (section, keys) in [
      ("trend", ["flat_band", "stall_drop_90d", "stall_drop_12m", "stall_min_commits"]),
      ("liveness", ["maintained_days", "long_gap_days", "gaps_listed"]),
      ("releases", ["version_pattern", "prerelease_pattern", "recent_intervals", "slowdown_factor", "overdue_factor", "examples"]),
      ("kinds", ["order", "conventional", "areas", "first_words", "keywords", "examples"]),
      ("wip", ["subjects", "prefixes", "share", "min_commits", "examples"]),
      ("fixes", ["window_days", "rise", "min_commits"]),
      ("landing", ["dump_files", "dump_lines", "dump_ignore_classes", "dump_ignore_paths", "dumps_listed", "dump_min_count"]),
      ("team", ["short_stay_days", "short_stay_min_commits", "left_after_days", "short_stay_share"]),
      ("hours", ["night_start", "night_end", "night_share", "weekend_share", "recent_days", "shift", "min_commits", "zero_offset_caveat"]),
    ] {
      try r.check(known: keys, in: section)
    }
  }
}
