import Foundation
import Git
import Matcher
import SalvageCore

/// What the tip scan found in each text file, by blob id and path, kept between scans in the user's
/// cache folder (never in the scanned repository) by the Scanner (`SecretsAnalyzer.cache`): a rescan
/// reads only the files it has not seen. Keyed by the repository's location, the secret rules' digest
/// and this very build of Salvage; a file that is corrupt, cut, stale or of another format is detected
/// (a checksum over every byte) and rebuilt, never trusted. Like the history cache it holds
/// fingerprints, redacted previews and hashes, never a secret.
enum TipScanCache {
  /// Bumped whenever the layout or the meaning of an entry changes.
  static let format = "salvage-secrets-tip-2"

  struct Key: Hashable {
    let id: ObjectID
    let path: [UInt8]
  }

  /// One match as `TipScan` keeps it.
  struct Match: Equatable {
    let rule: Int
    let line: Int
    let fingerprint: String
    let preview: String
    let secretHash: UInt64
    let inTestPath: Bool
    var verdict: SecretVerdict = .unchecked
  }

  /// What scanning one file gave: the sensitive-file rules it meets, the matcher's counters and matches.
  struct Entry: Equatable {
    var fileRules: [Int] = []
    var limitHits = 0
    var longLines = 0
    var truncatedLines = 0
    var matches: [Match] = []
  }

  static func encode(_ entries: [Key: Entry]) -> [UInt8] {
    var w = ByteWriter(format: format)
    w.u32(UInt32(entries.count))
    // Sorted, so the same tip gives the same file; positions are sorted rather than keys, which would
    // be moved (their paths retained and released) at every step.
    let keys = Array(entries.keys)
    let order = keys.withUnsafeBufferPointer { k in
      k.indices.sorted { a, b in k[a].id != k[b].id ? k[a].id < k[b].id : k[a].path.lexicographicallyPrecedes(k[b].path) }
    }
    for n in order {
      let key = keys[n]
      let entry = entries[key]!
      w.raw(key.id.bytes)
      w.bytes(key.path)
      w.u32(UInt32(entry.fileRules.count))
      for rule in entry.fileRules { w.u32(UInt32(rule)) }
      w.u64(UInt64(entry.limitHits))
      w.u64(UInt64(entry.longLines))
      w.u64(UInt64(entry.truncatedLines))
      w.u32(UInt32(entry.matches.count))
      for match in entry.matches {
        w.u32(UInt32(match.rule))
        w.u64(UInt64(match.line))
        w.bytes(Array(match.fingerprint.utf8))
        w.bytes(Array(match.preview.utf8))
        w.u64(match.secretHash)
        w.u8(match.inTestPath ? 1 : 0)
        w.u8(match.verdict.kind.rawValue)
        w.i64(match.verdict.detail)
      }
    }
    return w.sealed()
  }

  static func decode(_ bytes: [UInt8]) throws -> [Key: Entry] {
    var r = try ByteReader(sealed: bytes, format: format)
    let count = Int(try r.u32())
    var entries: [Key: Entry] = [:]
    entries.reserveCapacity(min(count, bytes.count / 32))
    for _ in 0..<count {
      let key = Key(id: try r.oid(), path: try r.bytes())
      var entry = Entry()
      for _ in 0..<Int(try r.u32()) { entry.fileRules.append(Int(try r.u32())) }
      entry.limitHits = Int(try r.u64())
      entry.longLines = Int(try r.u64())
      entry.truncatedLines = Int(try r.u64())
      for _ in 0..<Int(try r.u32()) {
        let rule = Int(try r.u32())
        let line = Int(try r.u64())
        let fingerprint = String(decoding: try r.bytes(), as: UTF8.self)
        let preview = String(decoding: try r.bytes(), as: UTF8.self)
        let secretHash = try r.u64()
        let inTest = try r.u8()
        guard inTest <= 1, let kind = SecretVerdict.Kind(rawValue: try r.u8()) else { throw Unsound(description: "bad flag") }
        let verdict = SecretVerdict(kind: kind, detail: try r.i64())
        entry.matches.append(Match(rule: rule, line: line, fingerprint: fingerprint, preview: preview, secretHash: secretHash,
                                   inTestPath: inTest == 1, verdict: verdict))
      }
      entries[key] = entry
    }
    guard r.atEnd else { throw Unsound(description: "trailing bytes") }
    return entries
  }

  /// What a refused file throws: the caches' one error.
  typealias Unsound = ByteReader.Corrupt

  /// The history cache's checksum (FNV-1a over 64-bit words, then the last bytes).
  static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 { HistoryCache.checksum(bytes) }
}
