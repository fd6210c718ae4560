/// Values under a packed pair of ids (`Int64(a) << 32 | Int64(b)`, never negative), in one open-addressing
/// table: the passes over every change of the history look pairs up millions of times, and a
/// `Dictionary` would hash each key with SipHash and check its storage's uniqueness on every write.
final class PairTable {
  private var keys: UnsafeMutablePointer<Int64>
  private var values: UnsafeMutablePointer<Int32>
  private var capacity: Int
  private var shift: Int
  private(set) var count = 0

  init(expected: Int = 0) {
    var capacity = 16
    while capacity < expected * 2 { capacity <<= 1 }
    self.capacity = capacity
    shift = 64 - capacity.trailingZeroBitCount
    keys = .allocate(capacity: capacity)
    keys.initialize(repeating: -1, count: capacity)
    values = .allocate(capacity: capacity)
    values.initialize(repeating: 0, count: capacity)
  }

  deinit {
    keys.deallocate()
    values.deallocate()
  }

  @inline(__always) private func home(_ key: Int64) -> Int {
    Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
  }

  /// The slot holding `key`, or the empty slot where it would go.
  @inline(__always) private func find(_ key: Int64) -> Int {
    var i = home(key)
    let mask = capacity - 1
    while true {
      let k = keys[i]
      if k == key || k < 0 { return i }
      i = (i + 1) & mask
    }
  }

  func value(_ key: Int64) -> Int32? {
    let i = find(key)
    return keys[i] < 0 ? nil : values[i]
  }

  /// Stores `value` under a key that is not in the table yet.
  func insertNew(_ key: Int64, _ value: Int32) {
    let i = find(key)
    keys[i] = key
    values[i] = value
    grown()
  }

  /// Adds the key when it is new; true when it was.
  func insert(_ key: Int64) -> Bool {
    let i = find(key)
    if keys[i] >= 0 { return false }
    keys[i] = key
    grown()
    return true
  }

  /// Adds `delta` to the key's value (0 when new).
  func add(_ key: Int64, _ delta: Int32) {
    let i = find(key)
    if keys[i] < 0 {
      keys[i] = key
      values[i] = delta
      grown()
    } else {
      values[i] += delta
    }
  }

  @inline(__always) private func grown() {
    count += 1
    if count * 2 > capacity { resize() }
  }

  private func resize() {
    let oldKeys = keys, oldValues = values, oldCapacity = capacity
    capacity <<= 1
    shift -= 1
    keys = .allocate(capacity: capacity)
    keys.initialize(repeating: -1, count: capacity)
    values = .allocate(capacity: capacity)
    values.initialize(repeating: 0, count: capacity)
    for i in 0..<oldCapacity where oldKeys[i] >= 0 {
      let j = find(oldKeys[i])
      keys[j] = oldKeys[i]
      values[j] = oldValues[i]
    }
    oldKeys.deallocate()
    oldValues.deallocate()
  }

  /// Every key and value, in no particular order.
  func forEach(_ body: (Int64, Int32) -> Void) {
    for i in 0..<capacity where keys[i] >= 0 { body(keys[i], values[i]) }
  }
}
