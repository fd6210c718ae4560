import SalvageCore

/// Identifying a licence in text: a full licence text by its phrases, a header by its notice, a README
/// section or free-text field by a licence's name, an SPDX expression by its ids. All on normalised
/// text (see `rules/licences.toml`).
public struct LicenceText: Sendable {
  public let rules: LicenceRules
  /// Each licence's phrases and notices, and the "or later" phrase, as bytes: normalised text is ASCII,
  /// so a byte search finds what a string search finds (Foundation's was most of the tip's read); an
  /// empty phrase never matches, as with Foundation's `contains`.
  private let phraseBytes: [[[UInt8]]]
  private let noticeBytes: [[[UInt8]]]
  private let orLaterBytes: [UInt8]

  public init(_ rules: LicenceRules) {
    self.rules = rules
    phraseBytes = rules.licences.map { $0.phrases.map { Array($0.utf8) } }
    noticeBytes = rules.licences.map { $0.notices.map { Array($0.utf8) } }
    orLaterBytes = Array(rules.orLaterPhrase.utf8)
  }

  /// What was identified: the licence (index into `rules.licences`), the id as stated (with
  /// `-or-later` where the notice says so), and how sure.
  public struct Match: Sendable, Equatable {
    public let licence: Int
    public let id: String
    public let confidence: Double
  }

  /// Lower case; runs of anything but letters, digits, '+' and a '.' between digits become one space.
  public static func normalised<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var out: [UInt8] = [UInt8(ascii: " ")]
    out.reserveCapacity(bytes.count + 2)
    var previous: UInt8 = 0
    var it = bytes.makeIterator()
    var next = it.next()
    while let b = next {
      let following = it.next()
      let keep: UInt8?
      switch b {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): keep = b | 0x20
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"): keep = b
      case UInt8(ascii: "."):
        let digit = { (c: UInt8?) in c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        keep = digit(previous) && digit(following) ? b : nil
      default: keep = nil
      }
      if let keep {
        out.append(keep)
      } else if out.last != UInt8(ascii: " ") {
        out.append(UInt8(ascii: " "))
      }
      previous = b
      next = following
    }
    if out.last != UInt8(ascii: " ") { out.append(UInt8(ascii: " ")) }
    return String(decoding: out, as: UTF8.self)
  }

  public static func normalised(_ text: String) -> String {
    let n = normalised(Array(text.utf8))
    // Rule phrases are stored without the padding spaces; texts keep them so that names match whole words.
    return String(n.dropFirst().dropLast())
  }

  static func trim(_ s: Substring) -> String {
    var s = s
    while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
    return String(s)
  }

  /// A licence text or header (normalised, padded with spaces): the best licence by phrases, else by
  /// notice; nil when none reaches the threshold.
  public func identify(normalised text: String) -> Match? {
    Array(text.utf8).withUnsafeBufferPointer { text in
      var best: (licence: Int, confidence: Double, notice: Bool)?
      for (i, licence) in rules.licences.enumerated() {
        var confidence = 0.0, notice = false
        if !licence.phrases.isEmpty {
          let found = phraseBytes[i].filter { TestFrameworks.contains(text, $0) }.count
          confidence = Double(found) / Double(licence.phrases.count)
          if confidence < rules.minConfidence { confidence = 0 }
        }
        if confidence < rules.noticeConfidence, noticeBytes[i].contains(where: { TestFrameworks.contains(text, $0) }) {
          confidence = rules.noticeConfidence
          notice = true
        }
        if confidence > 0, confidence > (best?.confidence ?? 0) { best = (i, confidence, notice) }
      }
      guard let best else { return nil }
      let licence = rules.licences[best.licence]
      // Only a notice says "or later": a whole GNU text ends with the "How to apply" template, which says
      // it whatever the project chose (git's COPYING is GPL-2.0 only).
      let later = best.notice && licence.orLater && TestFrameworks.contains(text, orLaterBytes)
      return Match(licence: best.licence, id: licence.id + (later ? "-or-later" : ""), confidence: best.confidence)
    }
  }

  public func identify<C: Collection>(_ bytes: C) -> Match? where C.Element == UInt8 { identify(normalised: Self.normalised(bytes)) }

  /// Short text naming a licence (a README's licence section, a free-text manifest field): the licence
  /// whose name occurs first, as a whole word sequence.
  public func named(normalised text: String) -> Match? {
    var best: (licence: Int, at: String.Index)?
    for (i, licence) in rules.licences.enumerated() {
      for name in licence.names {
        guard let r = text.range(of: " \(name) ") else { continue }
        if best == nil || r.lowerBound < best!.at { best = (i, r.lowerBound) }
      }
    }
    return best.map { Match(licence: $0.licence, id: rules.licences[$0.licence].id, confidence: rules.nameConfidence) }
  }

  /// The licence section of a README: the lines under a heading that says "licen…" up to the next
  /// heading, else the sentence that says "licensed under"; nil when there is neither.
  public func readmeSection(_ bytes: [UInt8]) -> Match? {
    let text = String(decoding: bytes.prefix(256 * 1024), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Self.trim($0) }
    func isHeading(_ i: Int) -> Bool {
      let line = lines[i]
      if line.hasPrefix("#") || line.hasPrefix("=") && line.allSatisfy({ $0 == "=" }) { return true }
      if i + 1 < lines.count, !line.isEmpty, let next = lines[i + 1].first, next == "=" || next == "-",
         lines[i + 1].count >= 3, lines[i + 1].allSatisfy({ $0 == next }) { return true }
      return false
    }
    for i in lines.indices where isHeading(i) && (lines[i].lowercased().contains("licen")) {
      var body: [String] = []
      var j = i + 1
      while j < lines.count, body.joined().count < 4000 {
        if j > i + 1 && isHeading(j) { break }
        if !(lines[j].allSatisfy { $0 == "=" || $0 == "-" }) { body.append(lines[j]) }
        j += 1
      }
      let section = " " + Self.normalised(body.joined(separator: "\n")) + " "
      // A name first: a section that names a licence and mentions a commercial offer is that licence.
      if let m = named(normalised: section) ?? identify(normalised: section) { return m }
    }
    let all = " " + Self.normalised(text) + " "
    if let r = all.range(of: " licensed under ") ?? all.range(of: " released under ") ?? all.range(of: " available under ") {
      let tail = " " + String(all[r.upperBound...].prefix(120))
      return named(normalised: tail)
    }
    return nil
  }

  /// An SPDX expression (or a manifest's licence field): each id resolved, OR taking the least
  /// restrictive choice and AND the most restrictive; `WITH` exceptions are kept in the text only.
  public struct Resolved: Sendable {
    public let expression: String
    /// The licence that decides the expression's kind; nil when none is known.
    public let licence: Int?
    public let kind: String
  }

  /// The variant of `licence` that `id` (an SPDX expression or an identified id) states: "or later" when
  /// the id naming it ends in `-or-later` or `+`; a GNU licence stated without is the version alone.
  public func stated(_ id: String?, licence: Int?) -> LicenceRules.Stated? {
    guard let licence else { return nil }
    guard rules.licences[licence].orLater, let id else { return .init(licence: licence, orLater: false) }
    let token = id.split(whereSeparator: { " ()/,".contains($0) }).first { rules.licence(named: String($0)) == licence }?.lowercased() ?? ""
    return .init(licence: licence, orLater: token.hasSuffix("-or-later") || token.hasSuffix("+"))
  }

  public func resolve(expression raw: String) -> Resolved {
    let expression = Self.trim(Substring(raw))
    // A whole free-text field that is an alias ("Apache 2.0", "MIT License").
    if let whole = rules.licence(named: expression) { return Resolved(expression: expression, licence: whole, kind: rules.licences[whole].kind) }
    var tokens: [String] = []
    var word = ""
    for c in expression {
      if c == "(" || c == ")" || c == " " || c == "," || c == "/" {
        if !word.isEmpty { tokens.append(word); word = "" }
        if c == "(" || c == ")" { tokens.append(String(c)) }
        if c == "/" { tokens.append("OR") }
      } else {
        word.append(c)
      }
    }
    if !word.isEmpty { tokens.append(word) }
    var position = 0
    let unknown = (licence: Int?.none, rank: rules.rank(of: "unknown"))
    func leaf() -> (licence: Int?, rank: Int) {
      guard position < tokens.count else { return unknown }
      let token = tokens[position]
      position += 1
      if token == "(" {
        let inner = or()
        if position < tokens.count, tokens[position] == ")" { position += 1 }
        return inner
      }
      if position + 1 < tokens.count, tokens[position].uppercased() == "WITH" { position += 2 }
      guard let l = rules.licence(named: token) else { return unknown }
      return (l, rules.rank(of: rules.licences[l].kind))
    }
    func and() -> (licence: Int?, rank: Int) {
      var result = leaf()
      while position < tokens.count, tokens[position].uppercased() == "AND" {
        position += 1
        let next = leaf()
        if next.rank > result.rank { result = next }
      }
      return result
    }
    func or() -> (licence: Int?, rank: Int) {
      var result = and()
      while position < tokens.count, tokens[position].uppercased() == "OR" {
        position += 1
        let next = and()
        if next.rank < result.rank { result = next }
      }
      return result
    }
    var result = or()
    // Trailing words that are no operator: a free-text field ("MIT License (see LICENSE)"); its name decides.
    if position < tokens.count || result.licence == nil, let named = named(normalised: " " + Self.normalised(expression) + " ") {
      result = (named.licence, rules.rank(of: rules.licences[named.licence].kind))
    }
    return Resolved(expression: expression, licence: result.licence, kind: result.licence.map { rules.licences[$0].kind } ?? "unknown")
  }
}

/// What the tree read keeps of every text blob for the licences analyzer: whether its header carries an
/// SPDX tag, else the licence its header's notice or text names. Nothing for the many files with neither.
struct LicenceHeaderFacts: BlobFactExtractor {
  let text: LicenceText
  /// Facts: `spdx` alone, or `identified | confidence% << 16 | orLater << 15 | licence index`.
  static let spdx: UInt64 = 1 << 40
  static let identified: UInt64 = 2 << 40

  func facts(of content: UnsafeBufferPointer<UInt8>) -> [UInt64] {
    let header = Self.header(content, lines: text.rules.headerLines, bytes: text.rules.headerBytes)
    guard Self.mentionsLicence(header) else { return [] }
    if Self.spdxLine(header) != nil { return [Self.spdx] }
    guard let m = text.identify(header) else { return [] }
    let later: UInt64 = m.id.hasSuffix("-or-later") ? 1 << 15 : 0
    return [Self.identified | UInt64(min(100, Int(m.confidence * 100))) << 16 | later | UInt64(m.licence)]
  }

  static func decode(_ fact: UInt64, rules: LicenceRules) -> LicenceText.Match? {
    guard fact & identified != 0 else { return nil }
    let index = Int(fact & 0x7FFF)
    guard index < rules.licences.count else { return nil }
    let later = fact & (1 << 15) != 0
    return LicenceText.Match(licence: index, id: rules.licences[index].id + (later ? "-or-later" : ""),
                             confidence: Double((fact >> 16) & 0xFF) / 100)
  }

  /// The first `lines` lines, at most `bytes` bytes.
  static func header(_ content: UnsafeBufferPointer<UInt8>, lines: Int, bytes: Int) -> UnsafeBufferPointer<UInt8> {
    var seen = 0, end = 0
    let limit = min(content.count, bytes)
    while end < limit {
      if content[end] == 0x0A {
        seen += 1
        if seen == lines { break }
      }
      end += 1
    }
    return UnsafeBufferPointer(rebasing: content[0..<end])
  }

  /// Words one of which every licence header holds ("licen…", an SPDX tag, BSD's "redistribution", a
  /// public-domain dedication): the cheap test before any matching.
  static let triggers: [[UInt8]] = ["licen", "spdx", "redistribution", "public domain"].map { Array($0.utf8) }

  static func mentionsLicence(_ header: UnsafeBufferPointer<UInt8>) -> Bool {
    triggers.contains { find($0, in: header) != nil }
  }

  /// Where `word` (lower case) starts in `bytes`, ignoring case.
  static func find<C: RandomAccessCollection>(_ word: [UInt8], in bytes: C) -> C.Index? where C.Element == UInt8 {
    guard bytes.count >= word.count, let first = word.first else { return nil }
    var i = bytes.startIndex
    let last = bytes.index(bytes.endIndex, offsetBy: -word.count)
    while i <= last {
      if bytes[i] | 0x20 == first {
        var j = bytes.index(after: i), k = 1
        while k < word.count, bytes[j] | 0x20 == word[k] {
          j = bytes.index(after: j)
          k += 1
        }
        if k == word.count { return i }
      }
      i = bytes.index(after: i)
    }
    return nil
  }

  /// The expression after `SPDX-License-Identifier:` in the header, without a comment's closing marks.
  static func spdxLine<C: RandomAccessCollection>(_ header: C) -> String? where C.Element == UInt8 {
    let tag = Array("spdx-license-identifier:".utf8)
    guard let at = find(tag, in: header) else { return nil }
    var end = header.index(at, offsetBy: tag.count)
    let start = end
    while end < header.endIndex, header[end] != 0x0A { end = header.index(after: end) }
    var value = LicenceText.trim(Substring(String(decoding: header[start..<end], as: UTF8.self)))
    for closer in ["*/", "-->", "#}", "--}}", "%>"] where value.hasSuffix(closer) { value = LicenceText.trim(Substring(value.dropLast(closer.count))) }
    return value.isEmpty ? nil : String(value.prefix(200))
  }
}
