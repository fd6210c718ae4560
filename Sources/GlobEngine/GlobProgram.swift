/// The automaton behind every `Glob` (the path globs of rules, `.salvage.toml` and `--exclude`), in
/// gitignore's syntax:
/// - `*` matches any bytes but `/`, `?` one byte but `/`, `[a-z]` / `[!a-z]` / `[^a-z]` a byte class
///   (never `/`; a `]` right after the opening bracket, or after its `!`/`^`, is a member);
/// - `**` as a whole segment (`**/x`, `a/**/b`, `a/**`) matches any number of whole segments, none
///   included; `**` at the end matches everything; `**` inside a segment (`a**b`) is a plain `*`.
///
/// Matching simulates the pattern's automaton over the text, one byte at a time with the set of pattern
/// positions alive: time is at most the text's length times the pattern's, whatever the pattern (a
/// backtracking matcher takes exponential time on `*a*a*a*a*ac*b` against a long name).
struct GlobProgram: Sendable, Hashable {
  enum Op: UInt8 {
    /// Takes one byte of its class and moves on.
    case byte
    /// `*`: stays on any byte but `/`.
    case star
    /// `**/` at a segment start; the next state is the same `**` inside a segment.
    case segments
    case inSegment
    /// A final `**`: takes everything.
    case anything
    case accept
  }

  /// The pattern as compiled, behind one reference: globs are copied around rule sets.
  final class Storage: @unchecked Sendable {
    let pattern: [UInt8]
    let foldCase: Bool
    let count: Int
    let words: Int
    let ops: UnsafeMutableBufferPointer<Op>
    /// Per state, the state reached without reading (or -1).
    let epsilon: UnsafeMutableBufferPointer<Int32>
    /// Per `byte` state, its class: 256 bits.
    let classes: UnsafeMutableBufferPointer<UInt64>

    init(_ pattern: [UInt8], foldCase: Bool) {
      self.pattern = pattern
      self.foldCase = foldCase
      var ops: [Op] = [], sets: [[UInt64]] = []
      let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*")
      let n = pattern.count
      var i = 0
      func add(_ op: Op, _ set: [UInt64] = [0, 0, 0, 0]) {
        ops.append(op)
        sets.append(set)
      }
      while i < n {
        let c = pattern[i]
        if c == star {
          var j = i
          while j < n, pattern[j] == star { j += 1 }
          let whole = j - i >= 2 && (i == 0 || pattern[i - 1] == slash) && (j == n || pattern[j] == slash)
          if !whole {
            add(.star)
          } else if j == n || j + 1 == n {
            add(.anything)
            j = n
          } else {
            add(.segments)
            add(.inSegment)
            j += 1
          }
          i = j
        } else if c == UInt8(ascii: "?") {
          add(.byte, Self.set { $0 != slash })
          i += 1
        } else if c == UInt8(ascii: "["), let (members, negated, close) = Self.bracket(pattern, i) {
          add(.byte, Self.set { b in
            guard b != slash else { return false }
            return Self.contains(members, foldCase ? fold(b) : b, foldCase: foldCase) != negated
          })
          i = close + 1
        } else {
          let literal = foldCase ? fold(c) : c
          add(.byte, Self.set { b in (foldCase ? fold(b) : b) == literal })
          i += 1
        }
      }
      add(.accept)
      count = ops.count
      words = (count + 63) / 64
      self.ops = .allocate(capacity: count)
      _ = self.ops.initialize(from: ops)
      epsilon = .allocate(capacity: count)
      classes = .allocate(capacity: count * 4)
      for s in 0..<count {
        switch ops[s] {
        case .star, .anything: epsilon[s] = Int32(s + 1)
        case .segments: epsilon[s] = Int32(s + 2)
        default: epsilon[s] = -1
        }
        for w in 0..<4 { classes[s * 4 + w] = sets[s][w] }
      }
    }

    deinit {
      ops.deallocate()
      epsilon.deallocate()
      classes.deallocate()
    }

    static func set(_ member: (UInt8) -> Bool) -> [UInt64] {
      var out: [UInt64] = [0, 0, 0, 0]
      for b in 0...255 where member(UInt8(b)) { out[b >> 6] |= 1 << UInt64(b & 63) }
      return out
    }

    /// The class opening at `open`: its member bytes, negation and closing bracket; nil when it does not
    /// close (the `[` is then a plain byte).
    static func bracket(_ p: [UInt8], _ open: Int) -> (members: ArraySlice<UInt8>, negated: Bool, close: Int)? {
      var k = open + 1
      let negated = k < p.count && (p[k] == UInt8(ascii: "!") || p[k] == UInt8(ascii: "^"))
      if negated { k += 1 }
      let start = k
      if k < p.count, p[k] == UInt8(ascii: "]") { k += 1 }
      while k < p.count, p[k] != UInt8(ascii: "]") { k += 1 }
      guard k < p.count else { return nil }
      return (p[start..<k], negated, k)
    }

    /// Members and ranges (`a-z`; a `-` first or last is a member).
    static func contains(_ members: ArraySlice<UInt8>, _ b: UInt8, foldCase: Bool) -> Bool {
      var k = members.startIndex
      while k < members.endIndex {
        let m = foldCase ? fold(members[k]) : members[k]
        if k + 2 < members.endIndex, members[k + 1] == UInt8(ascii: "-") {
          let high = foldCase ? fold(members[k + 2]) : members[k + 2]
          if m <= b && b <= high { return true }
          k += 3
        } else {
          if m == b { return true }
          k += 1
        }
      }
      return false
    }
  }

  let storage: Storage

  /// `foldCase` matches ASCII letters whatever their case (the secrets rules' paths).
  init<C: Collection>(_ pattern: C, foldCase: Bool) where C.Element == UInt8 {
    storage = Storage(Array(pattern), foldCase: foldCase)
  }

  static func == (a: GlobProgram, b: GlobProgram) -> Bool {
    a.storage.pattern == b.storage.pattern && a.storage.foldCase == b.storage.foldCase
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(storage.pattern)
    hasher.combine(storage.foldCase)
  }

  @inline(__always) static func fold(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }

  func matches(_ text: [UInt8], atAnySegment: Bool) -> Bool {
    var none = NoWork()
    return text.withUnsafeBufferPointer { run($0.baseAddress, $0.count, atAnySegment: atAnySegment, &none) }
  }

  @inline(__always) func matches(_ text: UnsafePointer<UInt8>?, _ n: Int, atAnySegment: Bool) -> Bool {
    var none = NoWork()
    return run(text, n, atAnySegment: atAnySegment, &none)
  }

  /// The whole text matches; with `atAnySegment`, or the text after any `/` does. `work` counts the
  /// live states stepped over (the tests' measure of linear time; `NoWork` compiles to nothing).
  func run<W: GlobWork>(_ text: UnsafePointer<UInt8>?, _ n: Int, atAnySegment: Bool, _ work: inout W) -> Bool {
    let s = storage
    let words = s.words
    let ops = s.ops.baseAddress!, epsilon = s.epsilon.baseAddress!, classes = s.classes.baseAddress!
    let slash = UInt8(ascii: "/")
    return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * words) { buffer in
      var current = buffer.baseAddress!, next = current + words
      @inline(__always) func add(_ set: UnsafeMutablePointer<UInt64>, _ state: Int) {
        var state = state
        while true {
          let bit: UInt64 = 1 << UInt64(state & 63)
          if set[state >> 6] & bit != 0 { return }
          set[state >> 6] |= bit
          let e = Int(epsilon[state])
          if e < 0 { return }
          state = e
        }
      }
      current.update(repeating: 0, count: words)
      add(current, 0)
      var i = 0
      while i < n {
        let c = text![i]
        next.update(repeating: 0, count: words)
        var alive = false
        for w in 0..<words {
          var bits = current[w]
          while bits != 0 {
            let state = w << 6 | bits.trailingZeroBitCount
            bits &= bits - 1
            work.step()
            switch ops[state] {
            case .byte:
              if classes[state * 4 + Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 {
                add(next, state + 1)
                alive = true
              }
            case .star:
              if c != slash {
                add(next, state)
                alive = true
              }
            case .segments:
              add(next, c == slash ? state : state + 1)
              alive = true
            case .inSegment:
              add(next, c == slash ? state - 1 : state)
              alive = true
            case .anything:
              add(next, state)
              alive = true
            case .accept:
              break
            }
          }
        }
        if atAnySegment, c == slash {
          add(next, 0)
          alive = true
        }
        swap(&current, &next)
        i += 1
        if !alive {
          // Nothing can match until the next segment starts over.
          guard atAnySegment else { return false }
          while i < n, text![i] != slash { i += 1 }
          guard i < n else { return false }
        }
      }
      let last = s.count - 1
      return current[last >> 6] & (1 << UInt64(last & 63)) != 0
    }
  }
}

/// What matching costs, counted by state steps (see `GlobProgram.run`).
protocol GlobWork {
  mutating func step()
}

struct NoWork: GlobWork {
  @inline(__always) mutating func step() {}
}
