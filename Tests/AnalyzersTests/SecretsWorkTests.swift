import FixtureSupport
import Foundation
import SalvageCore
import Testing

@testable import Analyzers

/// The secrets scanner's work on input built to make it hang (`fixtures/secrets-hostile.sh`: a 10 MB
/// single line, a 900 KB line at the tip, runs of every rule's characters after every keyword, binary
/// and non-UTF-8 content), counted rather than timed: a clock bound failed under a shared machine's
/// load, while a count says the same on every machine.
@Suite struct SecretsWorkTests {
  /// The matcher hands its regexes the line of each keyword hit, or on a long line a window of at most
  /// 1,280 bytes around it, once per candidate rule and at most `maxMatchesPerRuleAndLine` + 1 times:
  /// linear in the bytes scanned. On this input that is about twice the bytes scanned; 32 times leaves
  /// room for more rules, while one search from each keyword hit to the end of the 10 MB line (the
  /// quadratic case the windows prevent) would hand over some 10^11 bytes.
  @Test func hostileInputWorkIsLinear() throws {
    let rules = Fixture.root.appendingPathComponent("rules/secrets").path
    let script = try String(contentsOf: Fixture.fixtures.appendingPathComponent("secrets-hostile.sh"), encoding: .utf8)
    let repo = try Fixture.build(script: "RULES_DIR='\(rules)'\n" + script, name: "secrets-work")
    let scan = try Scanner(analyzers: [SecretsAnalyzer()]).scan(ScanOptions(path: repo, useCache: false))
    let scanned = try #require(scan.output(SecretsOutput.self)).scanned
    let bytes = scanned.tipBytes + scanned.historyBytes
    #expect(bytes > 10 << 20 && scanned.longLines > 0, "the hostile lines were scanned")
    #expect(scanned.regexRuns > 1000 && scanned.regexBytes > 1 << 20, "the counters count: \(scanned.regexRuns) runs, \(scanned.regexBytes) bytes")
    #expect(scanned.regexBytes <= 32 * bytes, "regex work \(scanned.regexBytes) bytes for \(bytes) scanned")
  }
}
