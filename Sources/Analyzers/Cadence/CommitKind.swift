/// What a commit's work is about, read from its message.
public enum CommitKind: String, CaseIterable, Sendable {
  // The order of the report's `kinds` object.
  case fix, feature, refactor, docs, test, chore, revert, merge, other
}

/// Reads a commit's kind from its subject: Conventional Commits types first, then the area before a
/// colon, then the first word of the rest, then keywords anywhere (kinds in the rule's order).
public struct CommitClassifier: Sendable {
  let conventional: [String: CommitKind]
  let areas: [String: CommitKind]
  /// Words that say the kind when they open the subject (the keywords included), kinds in order.
  let firstWords: [(CommitKind, Set<String>)]
  /// Words that say the kind anywhere, kinds in order.
  let keywords: [(CommitKind, Set<String>)]
  /// Each word of `firstWords` and `keywords` to the position of the first kind that lists it: one
  /// lookup per word of a subject instead of one per word and kind.
  private let firstWordRank: [String: Int]
  private let keywordRank: [String: Int]

  public init(conventional: [String: CommitKind], areas: [String: CommitKind], firstWords: [(CommitKind, Set<String>)],
              keywords: [(CommitKind, Set<String>)]) {
    self.conventional = conventional
    self.areas = areas
    self.firstWords = firstWords
    self.keywords = keywords
    firstWordRank = Self.ranks(firstWords)
    keywordRank = Self.ranks(keywords)
  }

  private static func ranks(_ kinds: [(CommitKind, Set<String>)]) -> [String: Int] {
    var out: [String: Int] = [:]
    for (rank, (_, words)) in kinds.enumerated().reversed() {
      for word in words { out[word] = rank }
    }
    return out
  }

  public func kind(subject: String, isMerge: Bool) -> CommitKind {
    if isMerge { return .merge }
    // Lowered in place in one copy of the bytes (mapping the UTF-8 view goes byte by byte through the
    // generic collection code).
    var bytes = Array(subject.utf8)
    for i in bytes.indices { bytes[i] = Self.lower(bytes[i]) }
    var text = bytes[...]
    while let first = text.first, Self.isSpace(first) { text = text.dropFirst() }
    if let kind = conventionalKind(text) { return kind }
    // Strip `area: ` prefixes (`builtin/log: `, `doc: trailers: `); the outermost may say the kind.
    var outermost = true
    while let colon = text.firstIndex(of: UInt8(ascii: ":")), colon > text.startIndex,
          !text[..<colon].contains(where: Self.isSpace),
          colon + 1 == text.endIndex || Self.isSpace(text[colon + 1]) {
      if outermost {
        // `l10n: ` by its whole word, `t5510: ` by its letters.
        let word = text[..<colon].prefix { Self.isLetter($0) || Self.isDigit($0) }
        let letters = word.prefix(while: Self.isLetter)
        if let kind = areas[String(decoding: word, as: UTF8.self)] ?? areas[String(decoding: letters, as: UTF8.self)] { return kind }
        outermost = false
      }
      text = text[(colon + 1)...]
      while let first = text.first, Self.isSpace(first) { text = text.dropFirst() }
    }
    let words = Self.words(text)
    if let first = words.first, let rank = firstWordRank[first] { return firstWords[rank].0 }
    // The first kind in order that any word names.
    let rank = words.reduce(Int.max) { min($0, keywordRank[$1] ?? .max) }
    return rank < keywords.count ? keywords[rank].0 : .other
  }

  /// `type(scope)!: ` at the start, when `type` is a known Conventional Commits type.
  private func conventionalKind(_ text: ArraySlice<UInt8>) -> CommitKind? {
    let type = text.prefix(while: Self.isLetter)
    guard !type.isEmpty, let kind = conventional[String(decoding: type, as: UTF8.self)] else { return nil }
    var rest = text[type.endIndex...]
    if rest.first == UInt8(ascii: "(") {
      guard let close = rest.firstIndex(of: UInt8(ascii: ")")) else { return nil }
      rest = rest[(close + 1)...]
    }
    if rest.first == UInt8(ascii: "!") { rest = rest.dropFirst() }
    guard rest.first == UInt8(ascii: ":") else { return nil }
    rest = rest.dropFirst()
    guard rest.isEmpty || Self.isSpace(rest.first!) else { return nil }
    return kind
  }

  static func words(_ text: ArraySlice<UInt8>) -> [String] {
    var out: [String] = []
    var start: Int?
    for i in text.indices {
      let isWord = isLetter(text[i]) || isDigit(text[i])
      if isWord, start == nil { start = i }
      if !isWord, let s = start {
        out.append(String(decoding: text[s..<i], as: UTF8.self))
        start = nil
      }
    }
    if let s = start { out.append(String(decoding: text[s...], as: UTF8.self)) }
    return out
  }

  static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }
  static func isLetter(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
  static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
  static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 }
}

extension CadenceRules.Wip {
  /// A message that says nothing about the work: a whole subject from the list, or one that opens
  /// with a work-in-progress word. Read as bytes: this runs once per commit.
  public func matches(_ subject: String) -> Bool {
    var text = subject
    return text.withUTF8 { bytes in
      let first = bytes.prefix { !CommitClassifier.isSpace($0) }
      if first.count <= longestPrefix, prefixes.contains(String(decoding: first.map(CommitClassifier.lower), as: UTF8.self)) {
        return true
      }
      guard let start = bytes.firstIndex(where: { !Self.noise.contains($0) }) else { return subjects.contains("") }
      let end = bytes.lastIndex { !Self.noise.contains($0) }! + 1
      guard end - start <= longestSubject else { return false }
      return subjects.contains(String(decoding: bytes[start..<end].map(CommitClassifier.lower), as: UTF8.self))
    }
  }

  private static let noise: Set<UInt8> = Set(" \t.!?,;:-*~\"'".utf8)
}
