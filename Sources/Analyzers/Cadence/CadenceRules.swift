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
    guard let root = rules.table(Self.file) else { throw RuleError(file: Self.file, message: "missing") }
    let r = Reader(root: root)
    trend = Trend(flatBand: try r.double("trend", "flat_band"), stallDrop90d: try r.double("trend", "stall_drop_90d"),
                  stallDrop12m: try r.double("trend", "stall_drop_12m"), stallMinCommits: try r.int("trend", "stall_min_commits"))
    liveness = Liveness(maintainedDays: try r.int("liveness", "maintained_days"), longGapDays: try r.int("liveness", "long_gap_days"),
                        gapsListed: try r.int("liveness", "gaps_listed"))
    releases = Releases(versionPattern: try r.string("releases", "version_pattern"),
                        prereleasePattern: try r.string("releases", "prerelease_pattern"),
                        recentIntervals: max(1, try r.int("releases", "recent_intervals")),
                        slowdownFactor: try r.double("releases", "slowdown_factor"), overdueFactor: try r.double("releases", "overdue_factor"))
    var conventional: [String: CommitKind] = [:]
    for (key, value) in try r.table("kinds", "conventional").entries {
      guard let name = value.string, let kind = CommitKind(rawValue: name) else {
        throw r.error("kinds.conventional.\(key)", "must name a kind (\(CommitKind.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      conventional[key.lowercased()] = kind
    }
    var areas: [String: CommitKind] = [:]
    for (key, value) in try r.table("kinds", "areas").entries {
      guard let kind = CommitKind(rawValue: key), let words = value.stringArray else { throw r.error("kinds.areas.\(key)", "must be a kind and a list of words") }
      for word in words { areas[word.lowercased()] = kind }
    }
    var keywords: [(CommitKind, Set<String>)] = [], firstWords: [(CommitKind, Set<String>)] = []
    let anywhere = try r.table("kinds", "keywords"), opening = try r.table("kinds", "first_words")
    for name in try r.strings("kinds", "order") {
      guard let kind = CommitKind(rawValue: name) else { throw r.error("kinds.order", "unknown kind '\(name)'") }
      let words = Set((anywhere[name]?.stringArray ?? []).map { $0.lowercased() })
      keywords.append((kind, words))
      firstWords.append((kind, words.union((opening[name]?.stringArray ?? []).map { $0.lowercased() })))
    }
    kinds = CommitClassifier(conventional: conventional, areas: areas, firstWords: firstWords, keywords: keywords)
    wip = Wip(subjects: [], prefixes: [], share: try r.double("wip", "share"), minCommits: try r.int("wip", "min_commits"))
    wip.subjects = Set(try r.strings("wip", "subjects").map { $0.lowercased() })
    wip.prefixes = Set(try r.strings("wip", "prefixes").map { $0.lowercased() })
    fixes = Fixes(windowDays: try r.int("fixes", "window_days"), rise: try r.double("fixes", "rise"), minCommits: try r.int("fixes", "min_commits"))
    var ignored = Set<FileClass>()
    for name in try r.strings("landing", "dump_ignore_classes") {
      guard let fileClass = FileClass(rawValue: name) else { throw r.error("landing.dump_ignore_classes", "unknown file class '\(name)'") }
      ignored.insert(fileClass)
    }
    landing = Landing(dumpFiles: try r.int("landing", "dump_files"), dumpLines: try r.int("landing", "dump_lines"), dumpIgnoreClasses: ignored,
                      dumpIgnorePaths: try r.strings("landing", "dump_ignore_paths").map { Glob($0, case: .sensitive, anchoring: .anyDepth) },
                      dumpsListed: try r.int("landing", "dumps_listed"), dumpMinCount: try r.int("landing", "dump_min_count"))
    team = Team(shortStayDays: try r.int("team", "short_stay_days"), shortStayMinCommits: try r.int("team", "short_stay_min_commits"),
                leftAfterDays: try r.int("team", "left_after_days"), shortStayShare: try r.double("team", "short_stay_share"))
    bots = try BotList(rules)
    hours = Hours(nightStart: try r.int("hours", "night_start"), nightEnd: try r.int("hours", "night_end"),
                  nightShare: try r.double("hours", "night_share"), weekendShare: try r.double("hours", "weekend_share"),
                  recentDays: try r.int("hours", "recent_days"), shift: try r.double("hours", "shift"), minCommits: try r.int("hours", "min_commits"),
                  zeroOffsetCaveat: try r.double("hours", "zero_offset_caveat"))
    guard (0...23).contains(hours.nightStart), (0...23).contains(hours.nightEnd) else {
      throw r.error("hours.night_start", "night hours must be between 0 and 23")
    }
  }

  /// Required keys of `[section]`, each error naming the file, the line of the section and the key.
  struct Reader {
    let root: TOMLTable

    func error(_ key: String, _ message: String) -> RuleError {
      let section = String(key.split(separator: ".").first ?? "")
      return RuleError(file: CadenceRules.file, line: root[section]?.table?.line, message: "`\(key)` \(message)")
    }

    func value(_ section: String, _ key: String) throws(RuleError) -> TOMLValue {
      guard let value = root[section]?.table?[key] else { throw error("\(section).\(key)", "is missing") }
      return value
    }

    func int(_ section: String, _ key: String) throws(RuleError) -> Int {
      guard let v = try value(section, key).int, abs(v) <= RuleReader.intCeiling else {
        throw error("\(section).\(key)", "must be an integer (at most \(RuleReader.intCeiling))")
      }
      return v
    }

    func double(_ section: String, _ key: String) throws(RuleError) -> Double {
      guard let v = try value(section, key).double, v.isFinite, abs(v) <= Double(RuleReader.intCeiling) else {
        throw error("\(section).\(key)", "must be a number")
      }
      return v
    }

    func string(_ section: String, _ key: String) throws(RuleError) -> String {
      guard let v = try value(section, key).string else { throw error("\(section).\(key)", "must be a string") }
      return v
    }

    func strings(_ section: String, _ key: String) throws(RuleError) -> [String] {
      guard let v = try value(section, key).stringArray else { throw error("\(section).\(key)", "must be a list of strings") }
      return v
    }

    func table(_ section: String, _ key: String) throws(RuleError) -> TOMLTable {
      guard let v = try value(section, key).table else { throw error("\(section).\(key)", "must be a table") }
      return v
    }
  }
}
