/// A Maven version, ordered as Maven's `ComparableVersion` (3.x) orders them: items split at `.`, `-`
/// and between digits and letters; a `-` opens a sub-list; trailing zeros and empty qualifiers are
/// dropped (`1 == 1.0 == 1-ga == 1.final`); qualifiers rank
/// `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp`, unknown words
/// after `sp` in alphabetical order; `a1`, `b1`, `m1` are `alpha-1`, `beta-1`, `milestone-1`; a number
/// is above any qualifier.
public struct MavenVersion: EcosystemVersion, CustomStringConvertible {
  indirect enum Item: Sendable {
    case number(BigNumber)
    case word(String)
    case list([Item])
  }

  let items: [Item]
  public let description: String

  public init?(_ text: String) {
    let t = String(Substring(text).trimmingSpaces)
    guard !t.isEmpty, !t.contains(where: { $0 == " " || $0.isNewline }) else { return nil }
    description = t
    items = Self.parse(t.lowercased())
  }

  public static func < (a: MavenVersion, b: MavenVersion) -> Bool { compareLists(a.items, b.items) < 0 }
  public static func == (a: MavenVersion, b: MavenVersion) -> Bool { compareLists(a.items, b.items) == 0 }

  // MARK: Parsing (ComparableVersion.parseVersion)

  /// A list under construction: the stack holds the open lists, innermost last.
  private static func parse(_ version: String) -> [Item] {
    var stack: [[Item]] = [[]]
    let chars = Array(version.utf8)
    var isDigit = false
    var start = 0
    func text(_ a: Int, _ b: Int) -> String { String(decoding: chars[a..<b], as: UTF8.self) }
    func item(_ digit: Bool, _ s: String, followedByDigit: Bool = false) -> Item {
      digit ? .number(BigNumber(Substring(s))) : .word(canonicalWord(s, followedByDigit: followedByDigit))
    }
    func add(_ i: Item) { stack[stack.count - 1].append(i) }
    func openList() { stack.append([]) }

    for (i, c) in chars.enumerated() {
      if c == 0x2E {  // .
        add(i == start ? .number(BigNumber("")) : item(isDigit, text(start, i)))
        start = i + 1
      } else if c == 0x2D {  // -
        add(i == start ? .number(BigNumber("")) : item(isDigit, text(start, i)))
        start = i + 1
        openList()
      } else if c >= 0x30 && c <= 0x39 {
        if !isDigit && i > start {
          add(.word(canonicalWord(text(start, i), followedByDigit: true)))
          start = i
          openList()
        }
        isDigit = true
      } else {
        if isDigit && i > start {
          add(item(true, text(start, i)))
          start = i
          openList()
        }
        isDigit = false
      }
    }
    if chars.count > start { add(item(isDigit, text(start, chars.count))) }
    // Close the open lists innermost first, normalising each, and nest each in its parent.
    while stack.count > 1 {
      let inner = normalize(stack.removeLast())
      stack[stack.count - 1].append(.list(inner))
    }
    return normalize(stack[0])
  }

  /// Drops null items (0, "", empty lists) from the end, stopping at the first non-null item that is not a list.
  private static func normalize(_ list: [Item]) -> [Item] {
    var l = list
    var i = l.count - 1
    while i >= 0 {
      if isNull(l[i]) {
        l.remove(at: i)
      } else if case .list = l[i] {
      } else {
        break
      }
      i -= 1
    }
    return l
  }

  private static func isNull(_ item: Item) -> Bool {
    switch item {
    case .number(let n): return n.isZero
    case .word(let w): return w.isEmpty
    case .list(let l): return l.isEmpty
    }
  }

  private static func canonicalWord(_ w: String, followedByDigit: Bool) -> String {
    if followedByDigit, w.count == 1 {
      switch w {
      case "a": return "alpha"
      case "b": return "beta"
      case "m": return "milestone"
      default: break
      }
    }
    switch w {
    case "ga", "final", "release": return ""
    case "cr": return "rc"
    default: return w
    }
  }

  // MARK: Ordering (the compareTo of IntItem, StringItem and ListItem)

  private static let qualifiers = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"]

  /// The qualifier's rank as ComparableVersion writes it: its index, or `7-word` for unknown words (a
  /// string compared as a string).
  private static func rank(_ w: String) -> String {
    if let i = qualifiers.firstIndex(of: w) { return String(i) }
    return "\(qualifiers.count)-\(w)"
  }

  private static let releaseRank = rank("")

  /// `b` nil is the padding of a shorter list.
  private static func compare(_ a: Item, _ b: Item?) -> Int {
    switch a {
    case .number(let n):
      switch b {
      case nil: return n.isZero ? 0 : 1
      case .number(let m)?: return n == m ? 0 : (n < m ? -1 : 1)
      case .word?, .list?: return 1
      }
    case .word(let w):
      switch b {
      case nil: return Order.bytes(rank(w), releaseRank)
      case .number?: return -1
      case .word(let v)?: return Order.bytes(rank(w), rank(v))
      case .list?: return -1
      }
    case .list(let l):
      switch b {
      case nil: return l.first.map { compare($0, nil) } ?? 0
      case .number?: return -1
      case .word?: return 1
      case .list(let m)?: return compareLists(l, m)
      }
    }
  }

  static func compareLists(_ a: [Item], _ b: [Item]) -> Int {
    for i in 0..<max(a.count, b.count) {
      let l = i < a.count ? a[i] : nil, r = i < b.count ? b[i] : nil
      let c: Int
      if let l { c = compare(l, r) } else if let r { c = -compare(r, nil) } else { c = 0 }
      if c != 0 { return c }
    }
    return 0
  }
}
