/// A deterministic generator for the randomised tests: the seed is in the test, so a failure replays.
public struct SeededRandom {
  public var state: UInt64

  public init(state: UInt64) { self.state = state }

  public mutating func next() -> UInt64 {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    var z = state
    z = (z ^ (z >> 33)) &* 0xff51afd7ed558ccd
    return z ^ (z >> 33)
  }

  public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

  public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
