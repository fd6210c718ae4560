import Matcher
import SalvageCore

/// One sighting in history, as a visitor saw it: enough to rebuild the tally, never the secret.
struct SightingEvent: Sendable, Equatable {
  enum Kind: UInt8, Sendable { case secret = 0, file = 1 }
  let kind: Kind
  let rule: Int
  /// `Redaction.fingerprint` of a secret; empty for a sensitive file.
  let fingerprint: String
  let preview: String
  let secretHash: UInt64
  let path: [UInt8]
  let line: Int32
  let inTest: Bool
  var verdict: SecretVerdict = .unchecked
}

/// What the secrets pass saw in one commit: its counters and sightings. Kept in the history cache and
/// replayed by warm scans, so they give the same report without diffing the commit again.
struct CommitLog: Sendable, Equatable {
  var runs = 0
  var bytes = 0
  var skippedRuns = 0
  var limitHits = 0
  var longLines = 0
  var truncatedLines = 0
  var events: [SightingEvent] = []

  init() {}

  func encoded() -> [UInt8] {
    var w = ByteWriter()
    for v in [runs, bytes, skippedRuns, limitHits, longLines, truncatedLines, events.count] { w.i64(Int64(v)) }
    for e in events {
      w.u8(e.kind.rawValue)
      w.i64(Int64(e.rule))
      w.bytes(Array(e.fingerprint.utf8))
      w.bytes(Array(e.preview.utf8))
      w.u64(e.secretHash)
      w.bytes(e.path)
      w.i64(Int64(e.line))
      w.u8(e.inTest ? 1 : 0)
      w.u8(e.verdict.kind.rawValue)
      w.i64(e.verdict.detail)
    }
    return w.out
  }

  /// nil for bytes that are not a log (the cache's checksum makes that unlikely; never trap on it).
  init?(decoding data: [UInt8]) {
    var r = ByteReader(data: data)
    func int() throws -> Int { Int(try r.i64()) }
    do {
      runs = try int()
      bytes = try int()
      skippedRuns = try int()
      limitHits = try int()
      longLines = try int()
      truncatedLines = try int()
      let count = try int()
      guard count >= 0 else { return nil }
      for _ in 0..<count {
        guard let kind = SightingEvent.Kind(rawValue: try r.u8()) else { return nil }
        let rule = try int()
        let fingerprint = String(decoding: try r.bytes(), as: UTF8.self)
        let preview = String(decoding: try r.bytes(), as: UTF8.self)
        let hash = try r.u64()
        let path = try r.bytes()
        let line = Int32(clamping: try r.i64())
        let inTest = try r.u8() == 1
        guard let verdictKind = SecretVerdict.Kind(rawValue: try r.u8()) else { return nil }
        let verdict = SecretVerdict(kind: verdictKind, detail: try r.i64())
        events.append(SightingEvent(kind: kind, rule: rule, fingerprint: fingerprint, preview: preview, secretHash: hash,
                                    path: path, line: line, inTest: inTest, verdict: verdict))
      }
    } catch {
      return nil
    }
    guard r.atEnd else { return nil }
  }
}

extension HistoryTally {
  /// Counts one sighting, from a visitor now or from a cached log.
  mutating func apply(_ event: SightingEvent, commit: Int32) {
    let pathID = paths.intern(event.path)
    let place = SecretPlace(path: pathID, line: event.line)
    switch event.kind {
    case .secret:
      if secrets[event.fingerprint] == nil {
        guard secrets.count < SecretsAnalyzer.maxSecretsPerWorker else {
          droppedSecrets += 1
          return
        }
        secrets[event.fingerprint] = HistorySighting(rule: event.rule, preview: event.preview, secretHash: event.secretHash,
                                                     verdict: event.verdict)
      }
      secrets[event.fingerprint]!.add(commit: commit, place: place, inTest: event.inTest)
    case .file:
      let key = FileSightingKey(rule: event.rule, path: pathID)
      if files[key] == nil { files[key] = HistorySighting(rule: event.rule, preview: "", secretHash: 0) }
      files[key]!.add(commit: commit, place: place, inTest: event.inTest)
    }
  }

  /// Replays what an earlier scan saw in one commit.
  mutating func replay(_ log: CommitLog, commit: Int32) {
    runs += log.runs
    bytes += log.bytes
    skippedRuns += log.skippedRuns
    limitHits += log.limitHits
    longLines += log.longLines
    truncatedLines += log.truncatedLines
    for event in log.events { apply(event, commit: commit) }
  }
}
