import FixtureSupport
import Testing

@testable import GlobEngine

/// The glob, its plain shapes and the tables against a plain reference (the straightforward recursive
/// matcher over slices, every glob tried in turn), on random patterns and paths, in every dialect.
@Suite struct GlobEquivalenceTests {
  typealias Random = SeededRandom

  static func randomPattern(_ r: inout Random) -> String {
    let tokens = ["a", "b", "c", ".", "/", "*", "**", "?", "[", "]", "!", "^", "-", "[a-c]", "[!b]", "*.c", "a/", "/a", "ab", "é", "B", "[A-C]"]
    var s = ""
    for _ in 0..<(1 + r.below(6)) { s += r.pick(tokens) }
    return s
  }

  static func randomPath(_ r: inout Random) -> String {
    let tokens = ["a", "b", "c", ".", "/", "ab", ".c", "a/", "b/", "-", "!", "]", "[", "^", "*", "é", "x", "A", "B/", ".C"]
    var s = ""
    for _ in 0..<r.below(8) { s += r.pick(tokens) }
    return s
  }

  static let dialects: [(Glob.Case, Glob.Anchoring)] = [(.sensitive, .anyDepth), (.folded, .anyDepth), (.sensitive, .gitignore), (.folded, .gitignore)]

  @Test(arguments: 0..<4)
  func globMatchesLikeTheReference(dialect: Int) {
    let (letters, anchoring) = Self.dialects[dialect]
    var r = Random(state: 42)
    for _ in 0..<300 {
      let pattern = Self.randomPattern(&r)
      let glob = Glob(pattern, case: letters, anchoring: anchoring), reference = ReferenceGlob(pattern, letters, anchoring)
      for _ in 0..<60 {
        let path = Array(Self.randomPath(&r).utf8)
        #expect(glob.matches(path) == reference.matches(path[...]), "\(pattern) ~ \(String(decoding: path, as: UTF8.self))")
        #expect(glob.matches(path[...]) == reference.matches(path[...]))
        #expect(glob.matches(path.reversed().reversed()) == reference.matches(path[...]))
      }
    }
  }

  /// Every list a table reports, and the first, are those a glob of the list takes.
  @Test(arguments: 0..<4)
  func tablesMatchLikeTheReference(dialect: Int) {
    let (letters, anchoring) = Self.dialects[dialect]
    var r = Random(state: 7)
    for _ in 0..<200 {
      let patterns = (0..<(1 + r.below(10))).map { _ in Self.randomPattern(&r) }
      // Some patterns in several lists, and some lists empty.
      let lists = (0..<(1 + r.below(70))).map { _ in (0..<r.below(3)).map { _ in r.pick(patterns) } }
      let references = lists.map { $0.map { ReferenceGlob($0, letters, anchoring) } }
      let table = GlobTable(lists: lists.map { $0.map { Glob($0, case: letters, anchoring: anchoring) } })
      let set = GlobSet(patterns, case: letters, anchoring: anchoring)
      var bits = [UInt64](repeating: 0, count: table.wordCount)
      for _ in 0..<60 {
        let path = Array(Self.randomPath(&r).utf8)
        let expected = references.indices.filter { references[$0].contains { $0.matches(path[...]) } }
        let any = path.withUnsafeBufferPointer { path in bits.withUnsafeMutableBufferPointer { table.lists(path, into: $0) } }
        let got = lists.indices.filter { bits[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
        #expect(got == expected, "\(lists) ~ \(String(decoding: path, as: UTF8.self))")
        #expect(any == !expected.isEmpty)
        #expect(path.withUnsafeBufferPointer { table.firstList($0) } == expected.first, "\(lists) ~ \(String(decoding: path, as: UTF8.self))")
        #expect(set.matches(path) == patterns.contains { ReferenceGlob($0, letters, anchoring).matches(path[...]) })
      }
    }
  }
}

/// The matcher as first written: recursive over slices. Since the one linear matcher (`GlobProgram`),
/// gitignore's rules: a run of stars is `**` only as a whole segment, else a `*` (it was "any whole
/// segments" anywhere), and a `]` first in a class is a member (it closed an empty class). Case folding
/// folds the pattern and the path; in gitignore's anchoring, a pattern with no `/` but a trailing one
/// is matched against the file name alone (as `.gitignore` says), one with a `/` inside from the root.
struct ReferenceGlob {
  let bytes: [UInt8]
  let anchored: Bool
  let onName: Bool
  let folded: Bool

  init(_ pattern: String, _ letters: Glob.Case, _ anchoring: Glob.Anchoring) {
    let folded = letters == .folded
    self.folded = folded
    var p = Array(pattern.utf8).map { folded ? Self.fold($0) : $0 }
    let folder = p.last == UInt8(ascii: "/")
    if folder { p += Array("**".utf8) }
    if p.first == UInt8(ascii: "/") {
      p.removeFirst()
      anchored = true
    } else {
      anchored = anchoring == .gitignore && p.dropLast(folder ? 3 : 0).contains(UInt8(ascii: "/"))
    }
    onName = anchoring == .gitignore && !anchored && !folder
    bytes = Self.gitignoreStars(p)
  }

  static func fold(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

  /// Every run of stars as `**` when it is a whole segment, else as `*`.
  static func gitignoreStars(_ p: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    while i < p.count {
      guard p[i] == star else {
        out.append(p[i])
        i += 1
        continue
      }
      var j = i
      while j < p.count, p[j] == star { j += 1 }
      let whole = j - i >= 2 && (i == 0 || p[i - 1] == slash) && (j == p.count || p[j] == slash)
      out += whole ? [star, star] : [star]
      i = j
    }
    return out
  }

  /// The closing bracket of the class that opens `p`: a `]` first (after a `!` or `^`) is a member.
  static func classEnd(_ p: ArraySlice<UInt8>) -> Int? {
    var k = p.startIndex + 1
    if k < p.endIndex, p[k] == UInt8(ascii: "!") || p[k] == UInt8(ascii: "^") { k += 1 }
    if k < p.endIndex, p[k] == close { k += 1 }
    return p[k...].firstIndex(of: close)
  }

  func matches(_ path: ArraySlice<UInt8>) -> Bool {
    var text = folded ? ArraySlice(path.map(Self.fold)) : path
    if onName, let slash = text.lastIndex(of: UInt8(ascii: "/")) { text = text[(slash + 1)...] }
    if anchored || onName { return Self.match(bytes[...], text) }
    if Self.match(bytes[...], text) { return true }
    var i = text.startIndex
    while i < text.endIndex {
      if text[i] == UInt8(ascii: "/"), Self.match(bytes[...], text[(i + 1)...]) { return true }
      i += 1
    }
    return false
  }

  private static let star = UInt8(ascii: "*"), question = UInt8(ascii: "?"), slash = UInt8(ascii: "/")
  private static let open = UInt8(ascii: "["), close = UInt8(ascii: "]")

  static func match(_ p: ArraySlice<UInt8>, _ t: ArraySlice<UInt8>) -> Bool {
    var p = p, t = t
    while let c = p.first {
      if c == star {
        if p.dropFirst().first == star {
          var rest = p.dropFirst(2)
          if rest.first == slash { rest = rest.dropFirst() }
          if rest.isEmpty { return true }
          var s = t
          while true {
            if match(rest, s) { return true }
            guard let next = s.firstIndex(of: slash) else { return false }
            s = s[(next + 1)...]
          }
        }
        let rest = p.dropFirst()
        var s = t
        while true {
          if match(rest, s) { return true }
          guard let first = s.first, first != slash else { return false }
          s = s.dropFirst()
        }
      }
      guard let ch = t.first else { return false }
      if c == question {
        if ch == slash { return false }
      } else if c == open, let end = Self.classEnd(p) {
        var set = p[(p.startIndex + 1)..<end]
        var negate = false
        if set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^") { negate = true; set = set.dropFirst() }
        var hit = false
        var k = set.startIndex
        while k < set.endIndex {
          if k + 2 < set.endIndex, set[k + 1] == UInt8(ascii: "-") {
            if set[k] <= ch && ch <= set[k + 2] { hit = true }
            k += 3
          } else {
            if set[k] == ch { hit = true }
            k += 1
          }
        }
        if hit == negate || ch == slash { return false }
        p = p[(end + 1)...]
        t = t.dropFirst()
        continue
      } else if c != ch {
        return false
      }
      p = p.dropFirst()
      t = t.dropFirst()
    }
    return t.isEmpty
  }
}

