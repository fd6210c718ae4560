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
    var out: [UInt8] = []
    func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { out += $0 } }
    func blob(_ b: [UInt8]) { int(b.count); out += b }
    for v in [runs, self.bytes, skippedRuns, limitHits, longLines, truncatedLines, events.count] { int(v) }
    for e in events {
      out.append(e.kind.rawValue)
      int(e.rule)
      blob(Array(e.fingerprint.utf8))
      blob(Array(e.preview.utf8))
      int(Int(bitPattern: UInt(e.secretHash)))
      blob(e.path)
      int(Int(e.line))
      out.append(e.inTest ? 1 : 0)
    }
    return out
  }

  /// nil for bytes that are not a log (the cache's checksum makes that unlikely; never trap on it).
  init?(decoding data: [UInt8]) {
    var at = 0
    func int() -> Int? {
      guard at + 8 <= data.count else { return nil }
      var v: UInt64 = 0
      for i in 0..<8 { v |= UInt64(data[at + i]) << (8 * UInt64(i)) }
      at += 8
      return Int(Int64(bitPattern: v))
    }
    func byte() -> UInt8? {
      guard at < data.count else { return nil }
      defer { at += 1 }
      return data[at]
    }
    func bytes() -> [UInt8]? {
      guard let n = int(), n >= 0, at + n <= data.count else { return nil }
      defer { at += n }
      return Array(data[at..<(at + n)])
    }
    guard let runs = int(), let total = int(), let skipped = int(), let limits = int(), let long = int(), let truncated = int(),
          let count = int(), count >= 0 else { return nil }
    self.runs = runs
    self.bytes = total
    self.skippedRuns = skipped
    self.limitHits = limits
    self.longLines = long
    self.truncatedLines = truncated
    for _ in 0..<count {
      guard let kindByte = byte(), let kind = SightingEvent.Kind(rawValue: kindByte), let rule = int(), let fingerprint = bytes(),
            let preview = bytes(), let hash = int(), let path = bytes(), let line = int(), let inTest = byte() else { return nil }
      events.append(SightingEvent(kind: kind, rule: rule, fingerprint: String(decoding: fingerprint, as: UTF8.self),
                                  preview: String(decoding: preview, as: UTF8.self), secretHash: UInt64(bitPattern: Int64(hash)),
                                  path: path, line: Int32(clamping: line), inTest: inTest == 1))
    }
    guard at == data.count else { return nil }
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
        secrets[event.fingerprint] = HistorySighting(rule: event.rule, preview: event.preview, secretHash: event.secretHash)
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
