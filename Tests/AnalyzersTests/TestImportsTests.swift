@testable import Analyzers
import FixtureSupport
import SalvageCore
import Testing

/// A blob's test-import facts come from one read of its first 32 KiB: every import of the rules is
/// found exactly where a search for that import alone finds it (at the start, at the end of the head,
/// after a false start, next to other imports), and never past the head.
@Suite struct TestImportsTests {
  static let importer = Result { try TestsAnalyzer().compile(try RuleSet.load()).imports }

  /// The reference: each import searched for on its own (as the facts were drawn before).
  static func oneByOne(_ needles: [[UInt8]], _ text: [UInt8]) -> [UInt64] {
    let head = Array(text.prefix(32768))
    var found = [UInt64](repeating: 0, count: (needles.count + 63) / 64)
    for (n, needle) in needles.enumerated() where TestFrameworks.contains(head, needle) { found[n >> 6] |= 1 << UInt64(n & 63) }
    return found
  }

  static func facts(_ importer: TestFrameworks.Imports, _ text: [UInt8]) -> [UInt64] {
    text.withUnsafeBufferPointer { importer.facts(of: $0) }
  }

  @Test func oneReadFindsWhatEachSearchFinds() throws {
    let importer = try Self.importer.get()
    let needles = importer.needles
    #expect(needles.count > 30)
    var texts: [[UInt8]] = [[], Array("i".utf8), Array("import".utf8)]
    for needle in needles {
      texts.append(needle)
      texts.append(Array("x".utf8) + needle.dropLast())
      // A false start just before the real one, as `impimport pytest`.
      texts.append(Array(needle.prefix(3)) + needle + Array(" tail\n".utf8))
      // Last thing in the head, and cut by the head's end.
      let filler = [UInt8](repeating: UInt8(ascii: " "), count: 32768 - needle.count)
      texts.append(filler + needle)
      texts.append(filler + [UInt8(ascii: " ")] + needle)
    }
    var random = SeededRandom(state: 19)
    for _ in 0..<300 {
      var text: [UInt8] = []
      for _ in 0..<Int(random.next() % 12) {
        switch random.next() % 3 {
        case 0: text += needles[Int(random.next() % UInt64(needles.count))]
        case 1: text += needles[Int(random.next() % UInt64(needles.count))].prefix(Int(random.next() % 6))
        default: text += Array("\nline of code (x) { y }\n".utf8)
        }
      }
      texts.append(text)
    }
    var differing = 0
    for text in texts where Self.facts(importer, text) != Self.oneByOne(needles, text) { differing += 1 }
    #expect(differing == 0, "\(differing) of \(texts.count) texts")
    // The test itself finds something: a text of every import has every bit.
    let all = needles.reduce([UInt8]()) { $0 + $1 + [0x0A] }
    #expect(Self.facts(importer, all).map(\.nonzeroBitCount).reduce(0, +) == needles.count)
  }
}
