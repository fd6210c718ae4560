/// A Python package version (PEP 440), ordered as `packaging.version` orders them:
/// epoch (`1!2.0` is above every version without one), release numbers with trailing zeros ignored
/// (`1.0 == 1.0.0`), then `.devN` < `aN` < `bN` < `rcN` < release < `.postN`, a dev release of a
/// pre- or post-release just below it, and a local version (`+ubuntu1`) just above its public version.
/// Spellings are normalised: `1.0.0alpha1 == 1.0a1`, `1.0-1 == 1.0.post1`, `1.0c1 == 1.0rc1`.
public struct PEP440Version: EcosystemVersion, CustomStringConvertible {
  public let epoch: BigNumber
  /// Without trailing zeros.
  let release: [BigNumber]
  /// 0 alpha, 1 beta, 2 release candidate.
  let pre: (kind: Int, number: BigNumber)?
  let post: BigNumber?
  let dev: BigNumber?
  /// Numbers or lowercase words.
  let local: [LocalSegment]?
  public let description: String

  enum LocalSegment: Equatable {
    case number(BigNumber)
    case word(String)
  }

  public init?(_ text: String) {
    description = text
    var s = PEP440Scanner(text.lowercased())
    s.skipSpaces()
    _ = s.take("v")
    var first = s.number()
    guard first != nil else { return nil }
    if s.take("!") {
      epoch = first!
      first = s.number()
      guard first != nil else { return nil }
    } else {
      epoch = BigNumber("")
    }
    var release = [first!]
    while s.peek(".") && s.digitAfterNext() {
      _ = s.take(".")
      release.append(s.number()!)
    }
    while release.last?.isZero == true { release.removeLast() }
    self.release = release

    // Pre-release: [-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?N?
    var pre: (Int, BigNumber)?
    var mark = s
    mark.separator()
    if let word = mark.word(["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"]) {
      let kind = ["alpha": 0, "a": 0, "beta": 1, "b": 1][word] ?? 2
      pre = (kind, mark.optionalNumber())
      s = mark
    }
    self.pre = pre

    // Post-release: -N | [-_.]?(post|rev|r)[-_.]?N?
    var post: BigNumber?
    mark = s
    if mark.take("-"), let n = mark.number() {
      post = n
      s = mark
    } else {
      mark = s
      mark.separator()
      if mark.word(["post", "rev", "r"]) != nil {
        post = mark.optionalNumber()
        s = mark
      }
    }
    self.post = post

    var dev: BigNumber?
    mark = s
    mark.separator()
    if mark.word(["dev"]) != nil {
      dev = mark.optionalNumber()
      s = mark
    }
    self.dev = dev

    if s.take("+") {
      let label = s.rest
      let parts = label.split(omittingEmptySubsequences: false) { $0 == "." || $0 == "-" || $0 == "_" }
      guard parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) } }) else { return nil }
      local = parts.map { Order.isDigits($0) ? .number(BigNumber($0)) : .word(String($0)) }
      s.consumeAll()
    } else {
      local = nil
    }
    s.skipSpaces()
    guard s.atEnd else { return nil }
  }

  public var isPrerelease: Bool { pre != nil || dev != nil }

  public static func < (a: PEP440Version, b: PEP440Version) -> Bool { compare(a, b) < 0 }
  public static func == (a: PEP440Version, b: PEP440Version) -> Bool { compare(a, b) == 0 }

  static func compare(_ a: PEP440Version, _ b: PEP440Version) -> Int {
    if a.epoch != b.epoch { return a.epoch < b.epoch ? -1 : 1 }
    for i in 0..<max(a.release.count, b.release.count) {
      let x = i < a.release.count ? a.release[i] : BigNumber(""), y = i < b.release.count ? b.release[i] : BigNumber("")
      if x != y { return x < y ? -1 : 1 }
    }
    let c = compareNumbers(a.preKey, b.preKey)
    if c != 0 { return c }
    // No post-release is below every post-release; no dev release is above every dev release.
    let p = compareOptional(a.post, b.post, absentIsLowest: true)
    if p != 0 { return p }
    let d = compareOptional(a.dev, b.dev, absentIsLowest: false)
    if d != 0 { return d }
    return compareLocal(a.local, b.local)
  }

  /// A dev release with neither pre- nor post-release sorts below every pre-release of its release
  /// (`1.0.dev0 < 1.0a0`); no pre-release sorts above every pre-release.
  private var preKey: (Int, BigNumber) {
    if let pre { return (pre.kind, pre.number) }
    if post == nil && dev != nil { return (-1, BigNumber("")) }
    return (3, BigNumber(""))
  }

  private static func compareNumbers(_ a: (Int, BigNumber), _ b: (Int, BigNumber)) -> Int {
    if a.0 != b.0 { return a.0 < b.0 ? -1 : 1 }
    return a.1 == b.1 ? 0 : (a.1 < b.1 ? -1 : 1)
  }

  private static func compareOptional(_ a: BigNumber?, _ b: BigNumber?, absentIsLowest: Bool) -> Int {
    switch (a, b) {
    case (nil, nil): return 0
    case (nil, _): return absentIsLowest ? -1 : 1
    case (_, nil): return absentIsLowest ? 1 : -1
    case let (x?, y?): return x == y ? 0 : (x < y ? -1 : 1)
    }
  }

  /// Numbers above words; words in order; a label that is a prefix of another is below it.
  private static func compareLocal(_ a: [LocalSegment]?, _ b: [LocalSegment]?) -> Int {
    guard let a else { return b == nil ? 0 : -1 }
    guard let b else { return 1 }
    for (x, y) in zip(a, b) {
      switch (x, y) {
      case let (.number(m), .number(n)): if m != n { return m < n ? -1 : 1 }
      case (.number, .word): return 1
      case (.word, .number): return -1
      case let (.word(m), .word(n)): if m != n { return m < n ? -1 : 1 }
      }
    }
    return Order.of(a.count, b.count)
  }
}

/// A cursor over a lowercased version text.
struct PEP440Scanner {
  private let bytes: [UInt8]
  private var i = 0
  private let text: String

  init(_ text: String) {
    self.text = text
    bytes = Array(text.utf8)
  }

  var atEnd: Bool { i == bytes.count }
  var rest: Substring { Substring(decoding: bytes[i...], as: UTF8.self) }
  mutating func consumeAll() { i = bytes.count }

  mutating func skipSpaces() { while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A { i += 1 } }

  func peek(_ c: Character) -> Bool { i < bytes.count && bytes[i] == c.asciiValue! }

  func digitAfterNext() -> Bool { i + 1 < bytes.count && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39 }

  mutating func take(_ c: Character) -> Bool {
    guard peek(c) else { return false }
    i += 1
    return true
  }

  mutating func separator() {
    if i < bytes.count, bytes[i] == 0x2D || bytes[i] == 0x5F || bytes[i] == 0x2E { i += 1 }
  }

  mutating func number() -> BigNumber? {
    let start = i
    while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
    return i > start ? BigNumber(Substring(decoding: bytes[start..<i], as: UTF8.self)) : nil
  }

  /// `[-_.]?N`, or zero when no number follows (`1.0a` is `1.0a0`).
  mutating func optionalNumber() -> BigNumber {
    var mark = self
    mark.separator()
    if let n = mark.number() {
      self = mark
      return n
    }
    return BigNumber("")
  }

  /// The first of `words` (longest listed first where one is a prefix of another) at the cursor.
  mutating func word(_ words: [String]) -> String? {
    for w in words {
      let u = Array(w.utf8)
      if i + u.count <= bytes.count, Array(bytes[i..<(i + u.count)]) == u {
        i += u.count
        return w
      }
    }
    return nil
  }
}
