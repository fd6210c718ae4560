/// An Aho-Corasick automaton over bytes that finds every occurrence of a set of keywords in one pass,
/// ignoring ASCII case. Each keyword carries a list of values (for the matcher: the rules it gates);
/// a hit reports the union of the values of every keyword ending at that byte.
///
/// The automaton is a full DFA over byte classes: bytes that occur in no keyword share class 0, so the
/// transition table stays small enough for the cache (states × classes, not states × 256). States are
/// numbered so that every accepting state comes after every other one: the hot loop tests a hit with a
/// single comparison.
struct KeywordAutomaton: Sendable {
  /// Byte to class, with ASCII letters folded to lower case.
  private let classOf: [UInt8]
  private let classCount: Int
  /// `next[row + class]` is the row of the next state, where a state's row is `state * classCount`.
  private let next: [Int32]
  /// Rows from `firstAccepting` on belong to states with outputs.
  private let firstAccepting: Int32
  /// Outputs of accepting state `s` are `outputs[outputStart[s - firstAccepting] ..< outputStart[s - firstAccepting + 1]]`.
  private let outputStart: [Int32]
  private let outputs: [Int32]
  let stateCount: Int
  var byteClasses: Int { classCount }

  /// - Parameter keywords: non-empty byte strings (matched case-insensitively for ASCII letters), each
  ///   with the values reported when it is found. A keyword must not contain a line feed.
  init(keywords: [(bytes: [UInt8], values: [Int32])]) {
    // 1. Byte classes.
    var classOf = [UInt8](repeating: 0, count: 256)
    var classCount = 1
    for keyword in keywords {
      for byte in keyword.bytes {
        let folded = Self.fold(byte)
        if classOf[Int(folded)] == 0 {
          precondition(classCount < 255, "too many distinct keyword bytes")
          classOf[Int(folded)] = UInt8(classCount)
          classCount += 1
        }
      }
    }
    for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { classOf[Int(byte)] = classOf[Int(byte | 0x20)] }

    // 2. The trie, with sparse children while it is built.
    var children: [[Int32]] = [[Int32](repeating: -1, count: classCount)]
    var values: [[Int32]] = [[]]
    for keyword in keywords where !keyword.bytes.isEmpty {
      var state = 0
      for byte in keyword.bytes {
        let c = Int(classOf[Int(Self.fold(byte))])
        if children[state][c] < 0 {
          children[state][c] = Int32(children.count)
          children.append([Int32](repeating: -1, count: classCount))
          values.append([])
        }
        state = Int(children[state][c])
      }
      values[state].append(contentsOf: keyword.values)
    }

    // 3. Failure links in breadth-first order turn the trie into a DFA; outputs inherit along them.
    let count = children.count
    var delta = [Int32](repeating: 0, count: count * classCount)
    var failure = [Int32](repeating: 0, count: count)
    var queue: [Int32] = []
    queue.reserveCapacity(count)
    for c in 0..<classCount {
      let child = children[0][c]
      if child >= 0 {
        delta[c] = child
        failure[Int(child)] = 0
        queue.append(child)
      } else {
        delta[c] = 0
      }
    }
    var head = 0
    while head < queue.count {
      let state = Int(queue[head])
      head += 1
      values[state].append(contentsOf: values[Int(failure[state])])
      for c in 0..<classCount {
        let child = children[state][c]
        let viaFailure = delta[Int(failure[state]) * classCount + c]
        if child >= 0 {
          delta[state * classCount + c] = child
          failure[Int(child)] = viaFailure
          queue.append(child)
        } else {
          delta[state * classCount + c] = viaFailure
        }
      }
    }
    for state in 0..<count { values[state] = Array(Set(values[state])).sorted() }

    // 4. Renumber: non-accepting states first (the root stays 0), accepting ones after.
    var order = (0..<count).filter { values[$0].isEmpty }
    let firstAccepting = order.count
    order += (0..<count).filter { !values[$0].isEmpty }
    var newID = [Int32](repeating: 0, count: count)
    for (new, old) in order.enumerated() { newID[old] = Int32(new) }
    // Transitions hold the target's row offset (state × classCount), so the hot loop adds the class
    // instead of multiplying: one load and one add per byte on the dependency chain.
    var next = [Int32](repeating: 0, count: count * classCount)
    for (new, old) in order.enumerated() {
      for c in 0..<classCount { next[new * classCount + c] = newID[Int(delta[old * classCount + c])] * Int32(classCount) }
    }
    var outputStart: [Int32] = [0]
    var outputs: [Int32] = []
    for old in order[firstAccepting...] {
      outputs += values[old]
      outputStart.append(Int32(outputs.count))
    }

    self.classOf = classOf
    self.classCount = classCount
    self.next = next
    self.firstAccepting = Int32(firstAccepting * classCount)
    self.outputStart = outputStart
    self.outputs = outputs
    self.stateCount = count
  }

  @inline(__always) private static func fold(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }

  /// Calls `hit(offset, values)` for every byte offset of `buffer` at which at least one keyword ends,
  /// in increasing order of offset. `values` is only valid during the call.
  @inline(__always)
  func forEachHit(in buffer: UnsafeRawBufferPointer, _ hit: (Int, UnsafeBufferPointer<Int32>) -> Void) {
    guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
    let length = buffer.count
    let classCount = self.classCount
    let firstAccepting = self.firstAccepting
    classOf.withUnsafeBufferPointer { classOf in
      next.withUnsafeBufferPointer { next in
        outputStart.withUnsafeBufferPointer { outputStart in
          outputs.withUnsafeBufferPointer { outputs in
            var row: Int32 = 0
            var i = 0
            while true {
              i = Self.nextAccepting(base, from: i, length, &row, classOf.baseAddress!, next.baseAddress!, firstAccepting)
              if i >= length { return }
              let k = Int(row &- firstAccepting) / classCount
              let from = Int(outputStart[k])
              let to = Int(outputStart[k &+ 1])
              hit(i, UnsafeBufferPointer(rebasing: outputs[from..<to]))
              i &+= 1
            }
          }
        }
      }
    }
  }

  /// Steps the automaton from `row` over `base[start..<length]` and returns the offset of the first byte
  /// that reaches an accepting state (`length` when none does), with `row` the state there. Hits are
  /// rare: this loop is the whole cost of a line without keywords, so it keeps the state in a register
  /// (inside the closures above it lived in memory, a store and a load on every byte's dependency chain).
  @inline(never)
  private static func nextAccepting(
    _ base: UnsafePointer<UInt8>, from start: Int, _ length: Int, _ row: inout Int32, _ classOf: UnsafePointer<UInt8>,
    _ next: UnsafePointer<Int32>, _ firstAccepting: Int32
  ) -> Int {
    var state = row
    var i = start
    while i < length {
      state = next[Int(state) &+ Int(classOf[Int(base[i])])]
      if state >= firstAccepting { break }
      i &+= 1
    }
    row = state
    return i
  }
}
