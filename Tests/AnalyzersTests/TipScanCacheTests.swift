import FixtureSupport
import Foundation
import Git
import Matcher
import SalvageCore
import Testing

@testable import Analyzers

/// The tip scan's cache: replaying it gives what scanning gives, it holds no secret, and a file that is
/// not sound is refused.
@Suite struct TipScanCacheTests {
  static let scanned: Result<(ScanResult, String), any Error> = Result {
    let repo = try Fixture.build("secrets-history")
    return (try Scanner(analyzers: [SecretsAnalyzer()]).scan(ScanOptions(path: repo)), repo)
  }

  /// Everything a `TipScan` reports, in a comparable form.
  static func outcome(_ tip: TipScan) -> [String] {
    var lines = tip.secrets.keys.sorted().map { key in
      let s = tip.secrets[key]!
      return "\(key) \(s.rule) \(s.preview) \(s.secretHash) \(s.allInTest) \(s.places.map { "\($0.file):\($0.line)" })"
    }
    lines.append("files \(tip.files.map { "\($0.rule)@\($0.file)" })")
    lines.append("\(tip.scannedFiles) \(tip.scannedBytes) \(tip.skippedBinary) \(tip.skippedLarge) \(tip.limitHits) \(tip.longLines) \(tip.truncatedLines)")
    return lines
  }

  @Test func replayEqualsScanAndHoldsNoSecret() throws {
    let (scan, repo) = try Self.scanned.get()
    let context = scan.context
    let matcher = try SecretsAnalyzer.matcher(context.rules)
    let plain = TipScan.run(matcher, context.snapshot, classifier: context.classifier)
    let cold = TipScan.run(matcher, context.snapshot, classifier: context.classifier, cache: [:], keep: true)
    let textFiles = context.snapshot.files.filter { $0.content != nil }.count
    #expect(cold.misses == textFiles && cold.examinedCount == textFiles)
    #expect(Self.outcome(cold) == Self.outcome(plain))
    #expect(!plain.secrets.isEmpty)

    let bytes = TipScanCache.encode(cold.examined)
    let decoded = try TipScanCache.decode(bytes)
    #expect(decoded == cold.examined)
    #expect(TipScanCache.encode(decoded) == bytes, "the same entries give the same file")
    let warm = TipScan.run(matcher, context.snapshot, classifier: context.classifier, cache: decoded, keep: true)
    #expect(warm.misses == 0)
    #expect(Self.outcome(warm) == Self.outcome(plain))

    // An entry naming a rule this rule set does not have is scanned again.
    var foreign = decoded
    let key = try #require(foreign.keys.first { !foreign[$0]!.matches.isEmpty })
    foreign[key]!.matches[0] = TipScanCache.Match(rule: 9999, line: 1, fingerprint: "x", preview: "x", secretHash: 0, inTestPath: false)
    let mended = TipScan.run(matcher, context.snapshot, classifier: context.classifier, cache: foreign)
    #expect(mended.misses == 1)
    #expect(Self.outcome(mended) == Self.outcome(plain))

    // Fingerprints, previews and hashes only: no secret is in the file whole.
    let text = String(decoding: bytes, as: UTF8.self)
    for (name, secret) in try Fixture.writtenSecrets(repo) where secret.count >= 8 {
      #expect(!text.contains(secret), "the cache holds the secret \(name)")
    }
  }

  @Test func unsoundFilesAreRefused() throws {
    let (scan, _) = try Self.scanned.get()
    let context = scan.context
    let matcher = try SecretsAnalyzer.matcher(context.rules)
    let bytes = TipScanCache.encode(TipScan.run(matcher, context.snapshot, classifier: context.classifier, keep: true).examined)
    var flipped = bytes
    flipped[bytes.count / 2] ^= 0x5A
    #expect(throws: TipScanCache.Unsound.self) { try TipScanCache.decode(flipped) }
    #expect(throws: TipScanCache.Unsound.self) { try TipScanCache.decode(Array(bytes.dropLast(9)) + Array(bytes.suffix(8))) }
    #expect(throws: TipScanCache.Unsound.self) { try TipScanCache.decode([]) }
    #expect(throws: (any Error).self) { try TipScanCache.decode([UInt8](repeating: 7, count: 1000)) }
    // Another format with a right checksum.
    var other = ByteWriter()
    other.bytes(Array("salvage-secrets-tip-0".utf8))
    other.u32(0)
    other.u64(TipScanCache.checksum(other.out[...]))
    #expect(throws: TipScanCache.Unsound.self) { try TipScanCache.decode(other.out) }
  }
}
