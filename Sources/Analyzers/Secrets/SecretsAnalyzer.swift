import Git
import Matcher
import SalvageCore
import TOML

/// Every leaked credential, in the tip tree and in every line history ever added: one finding per
/// distinct secret (its fingerprint is a hash of the rule id and the secret, never its position), with
/// the oldest commit that added it, its author and date, how many places it appears in, whether it is
/// still in the tip (`inHead`) or survives only in history (it must be rotated either way), and files
/// that are sensitive by name or content.
///
/// Limits, all reported under `analyzers.secrets.limits`:
/// - tip files over `Snapshot.contentCap` (1 MiB) and binary files are not scanned at the tip (counted
///   in `scanned.tipSkippedLarge` / `tipSkippedBinary`); their added lines are still scanned in history.
///   A secret added to such a file is marked `tipUnscanned`, as the tip cannot confirm it either way;
/// - in history, a run of added lines over `historyRunCap` (64 MiB) is skipped (`scanned.historySkippedRuns`);
/// - `locations` lists at most `maxLocations` tip places; `occurrences` counts them all.
///
/// Whole secrets are never kept past the scan call that found them: workers keep fingerprints,
/// redacted previews, commit indexes and places, and the tip is compared with history by fingerprint.
///
/// JSON, `analyzers.secrets`: `findings`, `secrets`, `sensitiveFiles`; `bySeverity` (critical to info)
/// and `byRule` (rule id to count); `live` (live credentials in the tip), `historyOnly` (live credentials
/// in history only), `byContext` (every finding by context), `tipUnscanned`, `inTestPaths`;
/// `oldestUnrotated` (the oldest secret outside test paths: `findingId`, `rule`, `fingerprint`,
/// `preview`, `inHead`, `commit`, `author`, `date`, `path`, `line`, `ageDays`, or null); `rules`,
/// `scanned` (bytes, files, skips and regex limit hits) and `limits`.
/// Each finding: `rule`, `location` (the first tip place when `inHead`, else where the introducing
/// commit put it; `commit` is that commit, null when no diffed commit added it: a merge resolution or
/// a commit before `--since`), and `evidence`: `kind` (secret or file), `inHead`, `tipUnscanned`,
/// `fingerprint` (hex HMAC-SHA-256, keyed by the root commit id of the tip's first-parent line, of the
/// SHA-256 of rule id, NUL, secret: the key for baselines, which a report reader cannot test guesses
/// against), `preview` (no character of a secret under 16 bytes), `occurrences`
/// (additions by commits, or the tip places when more), `commits`, `locations` (tip places, at most
/// `maxLocations`), `introduced` (`commit`, `author`, `authorEmail`, `date`, `committedAt`, `path`,
/// `line`), `inTestPath`, `ruleSeverity`, `alsoMatchedBy` (other rules that captured the same bytes,
/// with their fingerprints) and `tags` (history-only, tip-unscanned, test, sensitive-file).
/// `context` says whether it counts as a live credential (`live`) or why not: `test` (every sighting in
/// a test, fixture or example path, or a sandbox key), `example` (its format's own check fails:
/// `verdict` placeholder), `public` (a value its vendor publishes, named in `reason`), `expired` (a JWT
/// whose `exp` is before the scan's date). Severity is the rule's for a live credential, at most low
/// for a test value, info for the others. The judgement itself is `SecretsReport.judge`.
public struct SecretsAnalyzer: Analyzer {
  public let id = "secrets"

  public static let tipFileCap = Snapshot.contentCap
  public static let historyRunCap = Snapshot.readCap
  public static let maxLocations = 20
  /// Per secret, the commits that added it remembered to find the first one (the oldest of the walk).
  static let maxCommitsPerSecret = 256
  /// Distinct secrets one history worker remembers; more (a generated file full of tokens) are counted
  /// in `scanned.droppedSecrets`.
  static let maxSecretsPerWorker = 100_000

  public init() {}

  /// The secret rules in force: every `secrets/*.toml` of the rule set, in name order (a user's file of
  /// the same name replaces a built-in one; to replace single rules by id, use a name that sorts after
  /// the built-in files, such as `secrets/zz-local.toml`).
  public static func matcher(_ rules: RuleSet) throws -> SecretMatcher {
    try SecretMatcher(rules: try SecretRuleSet.load(toml: ruleFiles(rules)))
  }

  /// What every output of a scan under `rules` redacts: whatever a content rule matches (the
  /// repository's own rules included), then the built-in credential shapes. Rules that do not compile
  /// (they compiled for the scan itself, so only a report put together apart from a scan) leave the
  /// shapes alone.
  public static func redactor(_ rules: RuleSet) -> Redactor {
    guard let matcher = try? matcher(rules) else { return .shapes }
    return Redactor(rules: SecretRedactor(matcher: matcher).redact)
  }

  static func ruleFiles(_ rules: RuleSet) -> [(name: String, text: String)] {
    rules.texts.filter { $0.key.hasPrefix("secrets/") && $0.key.hasSuffix(".toml") }
      .sorted { $0.key < $1.key }
      .map { (name: $0.key, text: $0.value) }
  }

  /// Names the secret rules in force, for the tip scan's cache.
  static func rulesDigest(_ rules: RuleSet) -> String {
    ruleFiles(rules).map { StableHash.hex($0.name) + StableHash.hex($0.text) + String($0.text.utf8.count) }.joined(separator: "/")
  }

  /// The secret rules compiled once, with the digest that keys the tip scan's cache.
  public struct Rules: Sendable {
    let matcher: SecretMatcher
    let digest: String
  }

  public func compile(_ rules: RuleSet) throws -> Rules {
    Rules(matcher: try Self.matcher(rules), digest: Self.rulesDigest(rules))
  }

  public func historyObserver(_ rules: Rules, options: ScanOptions, classifier: PathClassifier) -> (any HistoryObserver)? {
    SecretsObserver(matcher: rules.matcher, options: options, classifier: classifier)
  }

  /// What the tip scan found per file, kept by the Scanner between scans (`TipScanCache`).
  public func cache(_ rules: Rules) -> AnalyzerCache? {
    AnalyzerCache(name: "secrets-tip", key: "\(TipScanCache.format)\u{0}\(rules.digest)")
  }

  public func analyze(_ input: AnalysisInput, _ rules: Rules) -> Analysis<SecretsOutput> {
    let context = input.context
    let matcher = rules.matcher
    let history = input.observation as? HistoryTally ?? HistoryTally()
    let tip: TipScan
    var update: [UInt8]?
    if context.options.useCache {
      // A file that is corrupt, cut or of another format is rebuilt, never trusted.
      let known = input.cached.flatMap { try? TipScanCache.decode($0) } ?? [:]
      tip = TipScan.run(matcher, context.snapshot, classifier: context.classifier, cache: known, keep: true)
      if tip.misses > 0 || tip.examinedCount != known.count { update = TipScanCache.encode(tip.examined) }
    } else {
      tip = TipScan.run(matcher, context.snapshot, classifier: context.classifier)
    }
    var analysis = SecretsReport(context: context, matcher: matcher, history: history, tip: tip).build(analyzer: id)
    analysis.cacheUpdate = update
    return analysis
  }
}
