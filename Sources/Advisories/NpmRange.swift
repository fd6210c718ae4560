/// An npm requirement range as node-semver reads it: `||` alternatives of comparator sets, each
/// comparator `<`, `<=`, `>`, `>=`, `=`, `^` or `~` before a full or partial version (`1`, `1.2`,
/// `1.x`, `*`), and hyphen ranges (`1.2 - 2.3.4`). Pre-releases are compared by precedence (node-semver's
/// rule that a pre-release only satisfies a range naming the same tuple is not applied).
public enum NpmRange {
  /// Whether `version` is in `range`; nil when the text is no range (a tag, a URL, `workspace:`,
  /// `file:`, an alias) or the version is no SemVer.
  public static func admits(_ range: String, _ version: String) -> Bool? {
    guard let v = SemanticVersion(version) else { return nil }
    var alternatives: [[Bound]] = []
    for alternative in range.split(separator: "||", omittingEmptySubsequences: false) {
      guard let set = comparatorSet(alternative.trimmingSpaces) else { return nil }
      alternatives.append(set)
    }
    return alternatives.contains { set in set.allSatisfy { $0.admits(v) } }
  }

  /// One side of a range: above (`>`/`>=`) or below (`<`/`<=`) a version.
  struct Bound {
    let version: SemanticVersion
    let below: Bool
    let inclusive: Bool
    func admits(_ v: SemanticVersion) -> Bool {
      below ? (v < version || (inclusive && v == version)) : (version < v || (inclusive && v == version))
    }
  }

  /// A partial version: the numbers given (nil from the first `x`, `X` or `*` or missing part on).
  struct Partial {
    let parts: [Int]
    let prerelease: String?
    var full: Bool { parts.count == 3 }
    func version(_ p: [Int], pre: String? = nil) -> SemanticVersion? {
      var p = p
      while p.count < 3 { p.append(0) }
      return SemanticVersion("\(p[0]).\(p[1]).\(p[2])" + (pre.map { "-" + $0 } ?? ""))
    }
    /// The lowest version in it, and the first version past it (as `x.y.z-0`); nil upper for `*`.
    var lowest: SemanticVersion? { version(parts, pre: full ? prerelease : nil) }
    var pastEnd: SemanticVersion? {
      switch parts.count {
      case 0: return nil
      case 1: return version([parts[0] + 1], pre: "0")
      case 2: return version([parts[0], parts[1] + 1], pre: "0")
      default: return version([parts[0], parts[1], parts[2] + 1], pre: "0")
      }
    }
  }

  static func partial(_ text: Substring) -> Partial? {
    if text.isEmpty { return Partial(parts: [], prerelease: nil) }
    var t = text
    if t.first == "v" || t.first == "=" { t = t.dropFirst() }
    var prerelease: String?
    if let dash = t.firstIndex(of: "-") {
      prerelease = String(t[t.index(after: dash)...])
      t = t[..<dash]
    }
    if let plus = t.firstIndex(of: "+") { t = t[..<plus] }
    var parts: [Int] = []
    for piece in t.split(separator: ".", omittingEmptySubsequences: false) {
      if piece == "x" || piece == "X" || piece == "*" { break }
      guard parts.count < 3, let n = Int(piece), n >= 0, !piece.isEmpty else { return nil }
      parts.append(n)
    }
    return Partial(parts: parts, prerelease: prerelease)
  }

  static func comparatorSet(_ text: Substring) -> [Bound]? {
    if text.isEmpty { return [] }
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    if words.count == 3, words[1] == "-" {
      guard let low = partial(words[0]), let high = partial(words[2]), let from = low.lowest else { return nil }
      if high.full { return [Bound(version: from, below: false, inclusive: true)] + (high.lowest.map { [Bound(version: $0, below: true, inclusive: true)] } ?? []) }
      return [Bound(version: from, below: false, inclusive: true)] + (high.pastEnd.map { [Bound(version: $0, below: true, inclusive: false)] } ?? [])
    }
    var bounds: [Bound] = []
    var pendingOperator: Substring?
    for word in words {
      var w = word
      if let op = pendingOperator { w = op + w; pendingOperator = nil }
      if [">=", "<=", ">", "<", "=", "^", "~", "~>"].contains(w) { pendingOperator = w; continue }
      guard let more = comparator(w) else { return nil }
      bounds += more
    }
    return pendingOperator == nil ? bounds : nil
  }

  static func comparator(_ text: Substring) -> [Bound]? {
    let ops = [">=", "<=", "~>", ">", "<", "=", "^", "~"]
    let op = ops.first { text.hasPrefix($0) } ?? ""
    guard let p = partial(text.dropFirst(op.count)) else { return nil }
    let low = p.lowest, past = p.pastEnd
    func atLeast(_ v: SemanticVersion?) -> [Bound] { v.map { [Bound(version: $0, below: false, inclusive: true)] } ?? [] }
    func before(_ v: SemanticVersion?) -> [Bound] { v.map { [Bound(version: $0, below: true, inclusive: false)] } ?? [] }
    switch op {
    case "", "=":
      return atLeast(low) + before(p.full ? nil : past) + (p.full ? low.map { [Bound(version: $0, below: true, inclusive: true)] } ?? [] : [])
    case ">=": return atLeast(low)
    case ">": return p.full ? low.map { [Bound(version: $0, below: false, inclusive: false)] } ?? [] : atLeast(past)
    case "<": return before(low)
    case "<=": return p.full ? low.map { [Bound(version: $0, below: true, inclusive: true)] } ?? [] : before(past)
    case "~", "~>":
      // ~1.2.3 and ~1.2 allow patch changes; ~1 minor ones.
      let end = p.parts.count >= 2 ? p.version([p.parts[0], p.parts[1] + 1], pre: "0") : past
      return atLeast(low) + before(end)
    case "^":
      // The first non-zero part (of those given) may not change.
      guard let first = p.parts.first else { return [] }
      let end: SemanticVersion?
      if first > 0 || p.parts.count == 1 {
        end = p.version([first + 1], pre: "0")
      } else if p.parts[1] > 0 || p.parts.count == 2 {
        end = p.version([0, p.parts[1] + 1], pre: "0")
      } else {
        end = p.version([0, 0, p.parts[2] + 1], pre: "0")
      }
      return atLeast(low) + before(end)
    default: return nil
    }
  }
}
