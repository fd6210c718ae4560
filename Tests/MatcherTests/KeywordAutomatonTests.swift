@testable import Matcher
import Testing

@Suite struct KeywordAutomatonTests {
  /// A small deterministic generator, so failures reproduce.
  struct Generator {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
  }

  static func naiveHits(_ text: [UInt8], _ keywords: [[UInt8]]) -> [Int: Set<Int32>] {
    func fold(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }
    var hits: [Int: Set<Int32>] = [:]
    for (k, keyword) in keywords.enumerated() where keyword.count <= text.count {
      for start in 0...(text.count - keyword.count)
      where (0..<keyword.count).allSatisfy({ fold(text[start + $0]) == fold(keyword[$0]) }) {
        hits[start + keyword.count - 1, default: []].insert(Int32(k))
      }
    }
    return hits
  }

  @Test(arguments: 1...20)
  func agreesWithNaiveSearch(_ seed: Int) {
    var random = Generator(state: UInt64(seed))
    // A small alphabet (with both cases and a newline) makes overlapping matches frequent.
    let alphabet = Array("abcAB_-\n".utf8)
    let keywords: [[UInt8]] = (0..<(1 + random.next(12))).map { _ in
      (0..<(1 + random.next(5))).map { _ in Array("abcab_-".utf8)[random.next(7)] }
    }
    let text: [UInt8] = (0..<2_000).map { _ in alphabet[random.next(alphabet.count)] }
    let automaton = KeywordAutomaton(keywords: keywords.enumerated().map { ($0.element, [Int32($0.offset)]) })
    var found: [Int: Set<Int32>] = [:]
    text.withUnsafeBytes { bytes in
      automaton.forEachHit(in: bytes) { offset, values in found[offset, default: []].formUnion(values) }
    }
    #expect(found == Self.naiveHits(text, keywords), "keywords \(keywords.map { String(decoding: $0, as: UTF8.self) })")
  }

  @Test func keywordsAreFoundCaseInsensitively() {
    let automaton = KeywordAutomaton(keywords: [(Array("ghp_".utf8), [7]), (Array("xoxb-".utf8), [9])])
    var hits: [(Int, [Int32])] = []
    Array("token GHP_abc and XoXb-1".utf8).withUnsafeBytes { bytes in
      automaton.forEachHit(in: bytes) { offset, values in hits.append((offset, Array(values))) }
    }
    #expect(hits.map(\.0) == [9, 22])
    #expect(hits.map(\.1) == [[7], [9]])
  }
}
