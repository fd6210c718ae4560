import Matcher

/// Where a secret stood when a commit added it: a path (an id in the tally's `PathInterner`) and line.
struct SecretPlace: Sendable, Equatable {
  var path: Int32
  var line: Int32
}

/// Paths as bytes, stored once per tally.
struct PathInterner: Sendable {
  private(set) var paths: [[UInt8]] = []
  private var ids: [[UInt8]: Int32] = [:]

  mutating func intern<C: Collection>(_ path: C) -> Int32 where C.Element == UInt8 {
    let key = Array(path)
    if let id = ids[key] { return id }
    let id = Int32(paths.count)
    paths.append(key)
    ids[key] = id
    return id
  }

  subscript(id: Int32) -> [UInt8] { paths[Int(id)] }
}

/// What history says about one secret (or one sensitive file found by its content): never the secret
/// itself, only its redacted preview and the commits that added it.
struct HistorySighting: Sendable {
  let rule: Int
  let preview: String
  /// A hash of the secret alone (no rule), to join the reports of several rules on the same bytes.
  let secretHash: UInt64
  /// Each (commit, path, line) that added it.
  var additions = 0
  /// Distinct commits that added it.
  var commitCount = 0
  /// The first place each commit added it, for the commits with the largest walk indexes (the oldest:
  /// the walk goes newest first), at most `SecretsAnalyzer.maxCommitsPerSecret` of them.
  var firstPlaces: [Int32: SecretPlace] = [:]
  /// Every addition was in a test or fixture path.
  var allInTest = true
  /// The matcher's verdict (the same for every sighting: a function of rule and secret).
  let verdict: SecretVerdict
  private var lastCommit: Int32 = -1

  init(rule: Int, preview: String, secretHash: UInt64, verdict: SecretVerdict = .unchecked) {
    self.rule = rule
    self.preview = preview
    self.secretHash = secretHash
    self.verdict = verdict
  }

  mutating func add(commit: Int32, place: SecretPlace, inTest: Bool) {
    additions += 1
    allInTest = allInTest && inTest
    // A worker diffs a commit whole before the next, so a commit's additions arrive together.
    guard commit != lastCommit else { return }
    lastCommit = commit
    commitCount += 1
    remember(commit, place)
  }

  private mutating func remember(_ commit: Int32, _ place: SecretPlace) {
    if firstPlaces[commit] != nil { return }
    if firstPlaces.count >= SecretsAnalyzer.maxCommitsPerSecret {
      // Keep the oldest commits; the result does not depend on the order the workers saw them in.
      guard let newest = firstPlaces.keys.min(), newest < commit else { return }
      firstPlaces[newest] = nil
    }
    firstPlaces[commit] = place
  }

  /// Adds another worker's sighting of the same secret; its path ids are translated by `paths`.
  mutating func merge(_ other: HistorySighting, paths: (Int32) -> Int32) {
    additions += other.additions
    commitCount += other.commitCount
    allInTest = allInTest && other.allInTest
    for commit in other.firstPlaces.keys.sorted() {
      let place = other.firstPlaces[commit]!
      remember(commit, SecretPlace(path: paths(place.path), line: place.line))
    }
  }

  /// Takes in another rule's sighting of the same bytes (same path ids). Both rules saw the same lines,
  /// so counts take the larger of the two rather than the sum.
  mutating func absorb(_ other: HistorySighting) {
    additions = max(additions, other.additions)
    commitCount = max(commitCount, other.commitCount)
    allInTest = allInTest && other.allInTest
    for commit in other.firstPlaces.keys.sorted() { remember(commit, other.firstPlaces[commit]!) }
  }

  func translated(_ paths: (Int32) -> Int32) -> HistorySighting {
    var copy = self
    copy.firstPlaces = firstPlaces.mapValues { SecretPlace(path: paths($0.path), line: $0.line) }
    return copy
  }
}

/// A sensitive file found in history by its content (kubeconfig with a token, service-account JSON).
struct FileSightingKey: Hashable, Sendable {
  let rule: Int
  let path: Int32
}

/// Everything one history worker found, and what the scan cost; merged into one after the pass.
struct HistoryTally: Sendable {
  var paths = PathInterner()
  /// By fingerprint (`Redaction.fingerprint`).
  var secrets: [String: HistorySighting] = [:]
  var files: [FileSightingKey: HistorySighting] = [:]
  var runs = 0
  var bytes = 0
  var skippedRuns = 0
  var droppedSecrets = 0
  var limitHits = 0
  var longLines = 0
  var truncatedLines = 0
  /// The regex work this scan did (commits replayed from the cache did none).
  var regexRuns = 0
  var regexBytes = 0

  /// Adds another worker's tally. Workers never diff the same commit, so counts add up exactly.
  mutating func merge(_ other: HistoryTally) {
    var map = [Int32](repeating: -1, count: other.paths.paths.count)
    func translate(_ id: Int32) -> Int32 {
      if map[Int(id)] < 0 { map[Int(id)] = paths.intern(other.paths[id]) }
      return map[Int(id)]
    }
    for fingerprint in other.secrets.keys.sorted() {
      let sighting = other.secrets[fingerprint]!
      if secrets[fingerprint] != nil {
        secrets[fingerprint]!.merge(sighting, paths: translate)
      } else {
        secrets[fingerprint] = sighting.translated(translate)
      }
    }
    for (key, sighting) in other.files.sorted(by: { ($0.key.rule, $0.key.path) < ($1.key.rule, $1.key.path) }) {
      let mapped = FileSightingKey(rule: key.rule, path: translate(key.path))
      if files[mapped] != nil {
        files[mapped]!.merge(sighting, paths: translate)
      } else {
        files[mapped] = sighting.translated(translate)
      }
    }
    runs += other.runs
    bytes += other.bytes
    skippedRuns += other.skippedRuns
    droppedSecrets += other.droppedSecrets
    limitHits += other.limitHits
    longLines += other.longLines
    truncatedLines += other.truncatedLines
    regexRuns += other.regexRuns
    regexBytes += other.regexBytes
  }
}
