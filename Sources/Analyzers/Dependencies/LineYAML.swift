/// A YAML value with the line it starts on.
struct YAMLNode: Sendable {
  enum Kind: Sendable {
    case scalar(String)
    case mapping([(key: String, node: YAMLNode)])
    case sequence([YAMLNode])
    case null
  }
  let kind: Kind
  let line: Int

  static let empty = YAMLNode(kind: .null, line: 0)

  subscript(key: String) -> YAMLNode? {
    guard case let .mapping(pairs) = kind else { return nil }
    return pairs.first { $0.key == key }?.node
  }
  var scalar: String? { if case let .scalar(s) = kind { return s }; return nil }
  var items: [YAMLNode]? { if case let .sequence(a) = kind { return a }; return nil }
  var pairs: [(key: String, node: YAMLNode)]? { if case let .mapping(p) = kind { return p }; return nil }
  /// A scalar as a one-element list, a sequence of scalars as it is, a mapping's keys.
  var names: [String] {
    switch kind {
    case let .scalar(s): return [s]
    case let .sequence(items): return items.compactMap(\.scalar)
    case let .mapping(pairs): return pairs.map(\.key)
    case .null: return []
    }
  }
}

/// The YAML the scanner needs (lockfiles, pubspecs, CI workflows), read line by line: block mappings
/// and sequences, one-line flow collections, quoted and plain scalars, block scalars. Anchors and tags
/// are dropped, aliases stay as text (so an alias bomb is a few short strings). Not a full YAML parser:
/// it is tolerant where the files we read are, and names the line where it gives up. Why not Yams:
/// ARCHITECTURE, "YAML".
struct LineYAML {
  private let raw: [Substring]
  private var k = 0
  /// A line seen with part of it already read (the text after "- ").
  private var virtual: (index: Int, indent: Int, text: Substring)?
  /// Block collections open now. Each level is a few stack frames, and a line may open many (`- - - x`):
  /// deeper than `maximumDepth` is an error, not a recursion as deep as the input (3,000 levels of
  /// indentation overflowed a 512 KiB thread stack). Real files nest under 20.
  private var depth = 0
  static let maximumDepth = 100

  static func parse(_ bytes: [UInt8]) throws(ManifestProblem) -> YAMLNode {
    var reader = LineYAML(raw: ManifestText.lines(bytes))
    guard let first = try reader.peek() else { return .empty }
    let node = try reader.node(indent: first.indent)
    if let extra = try reader.peek() {
      throw ManifestProblem(line: extra.line, "invalid YAML: unexpected indentation")
    }
    return node
  }

  private init(raw: [Substring]) { self.raw = raw }

  private func fail(_ line: Int, _ message: String) -> ManifestProblem { ManifestProblem(line: line, "invalid YAML: " + message) }

  /// The next line with content, not consumed.
  private mutating func peek() throws(ManifestProblem) -> (indent: Int, text: Substring, line: Int)? {
    if let v = virtual, v.index == k { return (v.indent, v.text, k + 1) }
    while k < raw.count {
      let line = raw[k]
      var indent = 0
      var idx = line.startIndex
      while idx < line.endIndex, line[idx] == " " { indent += 1; idx = line.index(after: idx) }
      if idx < line.endIndex, line[idx] == "\t" {
        let rest = line[idx...].drop { $0 == "\t" || $0 == " " }
        if rest.isEmpty || rest.first == "#" { k += 1; continue }
        throw fail(k + 1, "tab character used for indentation")
      }
      let text = Self.stripComment(line[idx...])
      if text.isEmpty || text == "---" || text == "..." || text.hasPrefix("%") { k += 1; continue }
      if text.hasPrefix("--- ") { k += 1; continue }
      return (indent, text, k + 1)
    }
    return nil
  }

  private mutating func consume() {
    virtual = nil
    k += 1
  }

  static func stripComment(_ s: Substring) -> Substring {
    var quote: Character?
    var previous: Character = " "
    for idx in s.indices {
      let c = s[idx]
      if let q = quote {
        if c == q { quote = nil }
      } else if c == "\"" || c == "'" {
        if previous == " " || previous == "[" || previous == "{" || previous == "," || previous == ":" || previous == "-" { quote = c }
      } else if c == "#", previous == " " || previous == "\t" {
        return Self.trimRight(s[..<idx])
      }
      previous = c
    }
    return trimRight(s)
  }

  static func trimRight(_ s: Substring) -> Substring {
    var end = s.endIndex
    while end > s.startIndex, s[s.index(before: end)] == " " || s[s.index(before: end)] == "\t" { end = s.index(before: end) }
    return s[s.startIndex..<end]
  }

  private static func isItem(_ text: Substring) -> Bool { text == "-" || text.hasPrefix("- ") }

  private mutating func node(indent: Int) throws(ManifestProblem) -> YAMLNode {
    guard let next = try peek(), next.indent >= indent else { return .empty }
    guard depth < Self.maximumDepth else { throw fail(next.line, "collections nested more than \(Self.maximumDepth) deep") }
    depth += 1
    defer { depth -= 1 }
    return Self.isItem(next.text) ? try sequence(indent: next.indent) : try mapping(indent: next.indent)
  }

  private mutating func sequence(indent: Int) throws(ManifestProblem) -> YAMLNode {
    var items: [YAMLNode] = []
    let start = try peek()?.line ?? 0
    while let next = try peek(), next.indent == indent, Self.isItem(next.text) {
      let rest = next.text.dropFirst().drop { $0 == " " }
      if rest.isEmpty {
        consume()
        if let child = try peek(), child.indent > indent {
          items.append(try node(indent: child.indent))
        } else {
          items.append(YAMLNode(kind: .null, line: next.line))
        }
        continue
      }
      let itemIndent = indent + (next.text.count - rest.count)
      if Self.isItem(rest) || Self.keySplit(rest) != nil {
        virtual = (k, itemIndent, rest)
        items.append(try node(indent: itemIndent))
      } else {
        consume()
        items.append(try scalarValue(rest, line: next.line, parentIndent: indent))
      }
    }
    if let next = try peek(), next.indent > indent {
      throw fail(next.line, "unexpected indentation")
    }
    return YAMLNode(kind: .sequence(items), line: start)
  }

  /// Splits `key: value` (or `key:`) into the key and the text after the colon.
  static func keySplit(_ text: Substring) -> (key: String, rest: Substring)? {
    if let q = text.first, q == "\"" || q == "'" {
      var idx = text.index(after: text.startIndex)
      while idx < text.endIndex, text[idx] != q { idx = text.index(after: idx) }
      guard idx < text.endIndex else { return nil }
      let key = String(text[text.index(after: text.startIndex)..<idx])
      let after = text[text.index(after: idx)...].drop { $0 == " " }
      guard after.first == ":" else { return nil }
      return (key, after.dropFirst().drop { $0 == " " })
    }
    if text.first == "[" || text.first == "{" { return nil }
    var idx = text.startIndex
    while idx < text.endIndex {
      if text[idx] == ":" {
        let after = text.index(after: idx)
        if after == text.endIndex || text[after] == " " {
          return (String(trimRight(text[..<idx])), text[after...].drop { $0 == " " })
        }
      }
      idx = text.index(after: idx)
    }
    return nil
  }

  private mutating func mapping(indent: Int) throws(ManifestProblem) -> YAMLNode {
    var pairs: [(key: String, node: YAMLNode)] = []
    let start = try peek()?.line ?? 0
    while let next = try peek(), next.indent >= indent {
      if next.indent > indent { throw fail(next.line, "unexpected indentation") }
      if Self.isItem(next.text) { break }
      guard let (key, rest) = Self.keySplit(next.text) else {
        throw fail(next.line, "expected 'key: value'")
      }
      consume()
      if rest.isEmpty || rest.first == "&" && !rest.contains(" ") {
        if let child = try peek(), child.indent > indent {
          pairs.append((key, try node(indent: child.indent)))
        } else if let child = try peek(), child.indent == indent, Self.isItem(child.text) {
          pairs.append((key, try sequence(indent: indent)))
        } else {
          pairs.append((key, YAMLNode(kind: .null, line: next.line)))
        }
      } else {
        pairs.append((key, try scalarValue(rest, line: next.line, parentIndent: indent)))
      }
    }
    return YAMLNode(kind: .mapping(pairs), line: start)
  }

  /// A value written after `key:` or `- `: a block scalar, a flow collection or a scalar.
  private mutating func scalarValue(_ text: Substring, line: Int, parentIndent: Int) throws(ManifestProblem) -> YAMLNode {
    var text = text
    while text.first == "&" || text.hasPrefix("!") {
      guard let space = text.firstIndex(of: " ") else { return YAMLNode(kind: .null, line: line) }
      text = text[text.index(after: space)...]
    }
    if let first = text.first, first == "|" || first == ">" {
      return YAMLNode(kind: .scalar(blockScalar(parentIndent: parentIndent, folded: first == ">")), line: line)
    }
    if text.first == "[" || text.first == "{" {
      var flow = String(text)
      while !Self.balanced(flow) {
        guard k < raw.count else { throw fail(line, "unclosed '\(text.first!)'") }
        flow += " " + Self.stripComment(raw[k].drop { $0 == " " })
        k += 1
      }
      var reader = FlowReader(chars: Array(flow), line: line)
      return try reader.value()
    }
    var value = try Self.unquote(text, line: line)
    // Plain scalars may continue on more-indented lines.
    if text.first != "\"" && text.first != "'" {
      while let next = try peek(), next.indent > parentIndent, Self.keySplit(next.text) == nil, !Self.isItem(next.text) {
        value += " " + next.text
        consume()
      }
    }
    return YAMLNode(kind: .scalar(value), line: line)
  }

  private mutating func blockScalar(parentIndent: Int, folded: Bool) -> String {
    var lines: [Substring] = []
    var blockIndent: Int?
    while k < raw.count {
      let line = raw[k]
      let indent = line.prefix { $0 == " " }.count
      let isBlank = line.allSatisfy { $0 == " " || $0 == "\t" }
      if !isBlank {
        if indent <= parentIndent { break }
        if blockIndent == nil { blockIndent = indent }
        if indent < blockIndent! { break }
      }
      lines.append(isBlank ? "" : line.dropFirst(blockIndent ?? 0))
      k += 1
    }
    while lines.last == "" { lines.removeLast() }
    return lines.joined(separator: folded ? " " : "\n")
  }

  static func balanced(_ s: String) -> Bool {
    var depth = 0
    var quote: Character?
    for c in s {
      if let q = quote { if c == q { quote = nil }; continue }
      switch c {
      case "\"", "'": quote = c
      case "[", "{": depth += 1
      case "]", "}": depth -= 1
      default: break
      }
    }
    return depth <= 0
  }

  static func unquote(_ text: Substring, line: Int) throws(ManifestProblem) -> String {
    guard let q = text.first, q == "\"" || q == "'" else { return String(text) }
    var out = ""
    var idx = text.index(after: text.startIndex)
    while idx < text.endIndex {
      let c = text[idx]
      if c == q {
        let next = text.index(after: idx)
        if q == "'", next < text.endIndex, text[next] == "'" { out.append("'"); idx = text.index(after: next); continue }
        return out
      }
      if q == "\"", c == "\\" {
        let next = text.index(after: idx)
        guard next < text.endIndex else { break }
        switch text[next] {
        case "n": out.append("\n")
        case "t": out.append("\t")
        default: out.append(text[next])
        }
        idx = text.index(after: next)
        continue
      }
      out.append(c)
      idx = text.index(after: idx)
    }
    throw ManifestProblem(line: line, "invalid YAML: unterminated quoted string")
  }
}

/// `[a, b]` and `{a: 1, b: [c]}` written on one logical line.
private struct FlowReader {
  let chars: [Character]
  let line: Int
  var i = 0
  /// Flow collections open now: deeper than `maximumDepth` is an error, not a deep recursion.
  private var depth = 0
  static let maximumDepth = 100

  init(chars: [Character], line: Int) {
    self.chars = chars
    self.line = line
  }

  private mutating func space() { while i < chars.count, chars[i] == " " { i += 1 } }
  private func fail(_ m: String) -> ManifestProblem { ManifestProblem(line: line, "invalid YAML: " + m) }

  mutating func value() throws(ManifestProblem) -> YAMLNode {
    space()
    guard i < chars.count else { return YAMLNode(kind: .null, line: line) }
    if chars[i] == "[" || chars[i] == "{" {
      guard depth < Self.maximumDepth else { throw fail("flow collections nested more than \(Self.maximumDepth) deep") }
      depth += 1
    }
    switch chars[i] {
    case "[":
      i += 1
      var items: [YAMLNode] = []
      while true {
        space()
        guard i < chars.count else { throw fail("unclosed '['") }
        if chars[i] == "]" { i += 1; break }
        let before = i
        items.append(try value())
        space()
        if i < chars.count, chars[i] == "," { i += 1 }
        // A closing '}' here reads as nothing: without this the loop never ended (found by fuzzing).
        guard i > before else { throw fail("unexpected '\(chars[i])'") }
      }
      depth -= 1
      return YAMLNode(kind: .sequence(items), line: line)
    case "{":
      i += 1
      var pairs: [(key: String, node: YAMLNode)] = []
      while true {
        space()
        guard i < chars.count else { throw fail("unclosed '{'") }
        if chars[i] == "}" { i += 1; break }
        let before = i
        let key = try scalar(stopAtColon: true)
        space()
        var node = YAMLNode(kind: .null, line: line)
        if i < chars.count, chars[i] == ":" {
          i += 1
          node = try value()
        }
        pairs.append((key, node))
        space()
        if i < chars.count, chars[i] == "," { i += 1 }
        guard i > before else { throw fail("unexpected '\(chars[i])'") }
      }
      depth -= 1
      return YAMLNode(kind: .mapping(pairs), line: line)
    default:
      return YAMLNode(kind: .scalar(try scalar(stopAtColon: false)), line: line)
    }
  }

  private mutating func scalar(stopAtColon: Bool) throws(ManifestProblem) -> String {
    if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
      let q = chars[i]
      i += 1
      var out = ""
      while i < chars.count, chars[i] != q { out.append(chars[i]); i += 1 }
      guard i < chars.count else { throw fail("unterminated quoted string") }
      i += 1
      return out
    }
    var out = ""
    while i < chars.count, chars[i] != ",", chars[i] != "]", chars[i] != "}" {
      if stopAtColon, chars[i] == ":", i + 1 >= chars.count || chars[i + 1] == " " { break }
      out.append(chars[i])
      i += 1
    }
    return out.trimmingSpaces()
  }
}

extension StringProtocol {
  /// Without leading and trailing spaces and tabs.
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while s.first == " " || s.first == "\t" { s = s.dropFirst() }
    while s.last == " " || s.last == "\t" || s.last == "\r" { s = s.dropLast() }
    return String(s)
  }
}
