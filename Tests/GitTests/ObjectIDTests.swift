import Git
import Testing

@Suite struct ObjectIDTests {
  /// Ids order as their hex does (git's order), whatever the words they are held in.
  @Test func orderIsTheHexOrder() {
    var generator = SystemRandomNumberGenerator()
    let digits = Array("0123456789abcdef")
    let ids = (0..<2000).map { n -> ObjectID in
      // Many share a prefix, so every word decides some pairs.
      let prefix = String(repeating: "a", count: n % 41)
      let rest = (prefix.count..<40).map { _ in String(digits[Int.random(in: 0..<16, using: &generator)]) }.joined()
      return ObjectID(hex: prefix + rest)!
    }
    for (x, y) in zip(ids, ids.shuffled(using: &generator)) {
      #expect((x < y) == (x.hex < y.hex), "\(x.hex) \(y.hex)")
    }
    #expect(ids.sorted().map(\.hex) == ids.map(\.hex).sorted())
  }
}
