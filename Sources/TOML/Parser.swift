/// Byte values the grammar cares about; raw numbers would hide the grammar in the switches.
private enum Byte {
  static let tab: UInt8 = 0x09
  static let lineFeed: UInt8 = 0x0A
  static let carriageReturn: UInt8 = 0x0D
  static let space: UInt8 = 0x20
  static let quote: UInt8 = 0x22  // "
  static let hash: UInt8 = 0x23  // #
  static let apostrophe: UInt8 = 0x27  // '
  static let plus: UInt8 = 0x2B
  static let comma: UInt8 = 0x2C
  static let minus: UInt8 = 0x2D
  static let dot: UInt8 = 0x2E
  static let zero: UInt8 = 0x30
  static let nine: UInt8 = 0x39
  static let colon: UInt8 = 0x3A
  static let equals: UInt8 = 0x3D
  static let openBracket: UInt8 = 0x5B
  static let backslash: UInt8 = 0x5C
  static let closeBracket: UInt8 = 0x5D
  static let underscore: UInt8 = 0x5F
  static let openBrace: UInt8 = 0x7B
  static let closeBrace: UInt8 = 0x7D
  static let delete: UInt8 = 0x7F
}

private struct KeyPart {
  let name: String
  /// Where the part starts, for errors about that part.
  let offset: Int
}

/// Deep enough for any real document, shallow enough that the recursive descent (and the
/// recursive conversion and destruction of the result) stays far from the stack limit of a
/// secondary thread, whatever a hostile file contains.
private let maximumDepth = 100

/// A recursive-descent parser over UTF-8 bytes that the caller has already validated.
struct Parser {
  private let bytes: UnsafeBufferPointer<UInt8>
  private let end: Int
  private var offset = 0
  private let root = TableNode(origin: .header, line: 0, depth: 0)
  /// The table that key/value lines go into: the last header's, or the root.
  private var current: TableNode
  // Lines of keys are needed on the success path too; counting up to the latest key as the parse
  // advances keeps that linear.
  private var countedUpTo = 0
  private var lineAtCounted = 1

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
    end = bytes.count
    current = root
  }

  mutating func parseDocument() throws(TOMLError) -> TOMLTable {
    // Editors on Windows add a byte order mark; it carries no meaning in UTF-8.
    if end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
      offset = 3
    }
    while offset < end {
      skipWhitespace()
      guard offset < end else { break }
      switch bytes[offset] {
      case Byte.hash, Byte.lineFeed, Byte.carriageReturn:
        try expectLineEnd(after: "")
      case Byte.openBracket:
        try parseHeader()
        try expectLineEnd(after: "table header")
      default:
        try parseKeyValue(into: current)
        try expectLineEnd(after: "value")
      }
    }
    return root.makeTable(inline: false)
  }

  // MARK: Errors and positions

  private func fail(_ message: String, at position: Int) -> TOMLError {
    Position.error(in: bytes, at: position, message)
  }

  private mutating func line(at position: Int) -> Int {
    if position < countedUpTo {
      // Not reached by the parser, which asks in source order; kept correct anyway.
      countedUpTo = 0
      lineAtCounted = 1
    }
    while countedUpTo < position && countedUpTo < end {
      if bytes[countedUpTo] == Byte.lineFeed { lineAtCounted += 1 }
      countedUpTo += 1
    }
    return lineAtCounted
  }

  /// How a byte reads in a message: the character, or a description for invisible ones.
  private func describe(at position: Int) -> String {
    guard position < end else { return "end of file" }
    let byte = bytes[position]
    switch byte {
    case Byte.lineFeed, Byte.carriageReturn: return "end of line"
    case Byte.space: return "a space"
    case Byte.tab: return "a tab"
    case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
    case 0x00..<0x20, Byte.delete: return "control character U+00\(hex(byte))"
    default:
      var length = 1
      while position + length < end && length < 4 && bytes[position + length] & 0xC0 == 0x80 {
        length += 1
      }
      let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + length]), as: UTF8.self)
      return "'\(text)'"
    }
  }

  private func text(_ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  private static func display(_ parts: ArraySlice<KeyPart>) -> String {
    parts.map { part in
      let name = part.name
      if !name.isEmpty && name.utf8.allSatisfy(isBareKeyByte) { return name }
      var quoted = "\""
      for scalar in name.unicodeScalars {
        switch scalar {
        case "\"": quoted += "\\\""
        case "\\": quoted += "\\\\"
        default: quoted.unicodeScalars.append(scalar)
        }
      }
      return quoted + "\""
    }.joined(separator: ".")
  }

  // MARK: Lexical helpers

  private static func isBareKeyByte(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x41...0x5A, 0x61...0x7A, Byte.zero...Byte.nine, Byte.minus, Byte.underscore: return true
    default: return false
    }
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= Byte.zero && byte <= Byte.nine }

  private static func isControl(_ byte: UInt8) -> Bool {
    (byte < 0x20 && byte != Byte.tab) || byte == Byte.delete
  }

  private func byte(at position: Int) -> UInt8? {
    position < end ? bytes[position] : nil
  }

  private func isDigit(at position: Int) -> Bool {
    position < end && Parser.isDigit(bytes[position])
  }

  private mutating func skipWhitespace() {
    while offset < end && (bytes[offset] == Byte.space || bytes[offset] == Byte.tab) { offset += 1 }
  }

  /// Skips a comment up to, not including, its line end.
  private mutating func skipComment() throws(TOMLError) {
    offset += 1
    while offset < end {
      let byte = bytes[offset]
      if byte == Byte.lineFeed { return }
      if byte == Byte.carriageReturn {
        if self.byte(at: offset + 1) == Byte.lineFeed { return }
        throw fail("carriage return not followed by a line feed", at: offset)
      }
      if Parser.isControl(byte) {
        throw fail("control character U+00\(hex(byte)) in comment", at: offset)
      }
      offset += 1
    }
  }

  /// Consumes trailing whitespace, an optional comment and the line end (or end of file).
  private mutating func expectLineEnd(after what: String) throws(TOMLError) {
    skipWhitespace()
    if offset < end && bytes[offset] == Byte.hash { try skipComment() }
    guard offset < end else { return }
    switch bytes[offset] {
    case Byte.lineFeed:
      offset += 1
    case Byte.carriageReturn where byte(at: offset + 1) == Byte.lineFeed:
      offset += 2
    case Byte.carriageReturn:
      throw fail("carriage return not followed by a line feed", at: offset)
    default:
      let context = what.isEmpty ? "" : " after \(what)"
      throw fail("expected end of line\(context), found \(describe(at: offset))", at: offset)
    }
  }

  // MARK: Keys

  private mutating func parseKey() throws(TOMLError) -> [KeyPart] {
    var parts: [KeyPart] = []
    while true {
      skipWhitespace()
      let start = offset
      guard let first = byte(at: offset) else {
        throw fail("expected a key, found end of file", at: offset)
      }
      let name: String
      switch first {
      case Byte.quote:
        if byte(at: offset + 1) == Byte.quote && byte(at: offset + 2) == Byte.quote {
          throw fail("a multi-line string cannot be a key", at: offset)
        }
        name = try parseBasicString()
      case Byte.apostrophe:
        if byte(at: offset + 1) == Byte.apostrophe && byte(at: offset + 2) == Byte.apostrophe {
          throw fail("a multi-line string cannot be a key", at: offset)
        }
        name = try parseLiteralString()
      default:
        while offset < end && Parser.isBareKeyByte(bytes[offset]) { offset += 1 }
        guard offset > start else {
          if first == Byte.equals { throw fail("missing key before '='", at: offset) }
          throw fail("expected a key, found \(describe(at: offset))", at: offset)
        }
        name = text(start..<offset)
      }
      parts.append(KeyPart(name: name, offset: start))
      if parts.count > maximumDepth {
        throw fail("key has more than \(maximumDepth) dotted parts", at: start)
      }
      skipWhitespace()
      guard offset < end && bytes[offset] == Byte.dot else { return parts }
      offset += 1
    }
  }

  private mutating func parseKeyValue(into table: TableNode) throws(TOMLError) {
    let (parts, keyLine) = try parseKeyAndEquals()
    let value = try parseValue(depth: table.depth + parts.count)
    try insert(value, at: parts, into: table, line: keyLine)
  }

  /// `key =`, leaving `offset` at the value; also returns the key's line.
  private mutating func parseKeyAndEquals() throws(TOMLError) -> ([KeyPart], Int) {
    let keyLine = line(at: offset)
    let parts = try parseKey()
    guard offset < end && bytes[offset] == Byte.equals else { throw missingEquals(after: parts) }
    offset += 1
    skipWhitespace()
    return (parts, keyLine)
  }

  @inline(never)
  private func missingEquals(after parts: [KeyPart]) -> TOMLError {
    fail("expected '=' after key \(Parser.display(parts[...])), found \(describe(at: offset))", at: offset)
  }

  /// Stores `key = value`, creating the tables of a dotted key on the way.
  private func insert(
    _ value: TOMLValue, at parts: [KeyPart], into table: TableNode, line: Int
  ) throws(TOMLError) {
    guard let last = parts.last else { return }
    var parent = table
    for (index, part) in parts.dropLast().enumerated() {
      // Only messages need the path; building it for every key would slow big files down.
      func path() -> String { Parser.display(parts[...index]) }
      switch parent.entry(part.name) {
      case nil:
        let child = TableNode(origin: .dotted, line: line, depth: parent.depth + 1)
        parent.add(part.name, .table(child), line: line)
        parent = child
      case .table(let child):
        switch child.origin {
        case .header:
          throw fail(
            "cannot add to table [\(path())] (defined at line \(child.line)) with a dotted key",
            at: part.offset)
        case .implicit:
          // From now on it is defined, by these dotted keys: `[path]` may no longer define it.
          child.origin = .dotted
        case .dotted:
          break
        }
        parent = child
      case .tableArray:
        throw fail("cannot add to array of tables [[\(path())]] with a dotted key", at: part.offset)
      case .value(let existing):
        let definedAt = parent.line(of: part.name)
        throw fail(Parser.notATable(path(), existing, definedAt: definedAt), at: part.offset)
      }
    }
    guard parent.entry(last.name) == nil else {
      let definedAt = parent.line(of: last.name)
      throw fail("duplicate key \(Parser.display(parts[...])) (first defined at line \(definedAt))", at: last.offset)
    }
    parent.add(last.name, .value(value), line: line)
  }

  private static func notATable(_ path: String, _ value: TOMLValue, definedAt line: Int) -> String {
    switch value {
    case .table: return "cannot add to inline table \(path) (defined at line \(line))"
    case .array: return "cannot add to array \(path) (defined at line \(line))"
    default: return "key \(path) (defined at line \(line)) is a value, not a table"
    }
  }

  // MARK: Headers

  private mutating func parseHeader() throws(TOMLError) {
    let start = offset
    let headerLine = line(at: start)
    offset += 1
    let isArray = byte(at: offset) == Byte.openBracket
    if isArray { offset += 1 }
    let parts = try parseKey()
    guard byte(at: offset) == Byte.closeBracket else {
      throw fail("expected '\(isArray ? "]]" : "]")' to close the header, found \(describe(at: offset))", at: offset)
    }
    offset += 1
    if isArray {
      guard byte(at: offset) == Byte.closeBracket else {
        throw fail("expected ']]' to close the array of tables header, found \(describe(at: offset))", at: offset)
      }
      offset += 1
    }
    current = try defineTable(parts, isArray: isArray, line: headerLine)
  }

  /// Walks `[a.b.c]` or `[[a.b.c]]` from the root and returns the table that its lines fill.
  private func defineTable(_ parts: [KeyPart], isArray: Bool, line: Int) throws(TOMLError) -> TableNode {
    var parent = root
    for (index, part) in parts.enumerated() {
      let isLast = index == parts.count - 1
      // Only messages need the path; building it for every key would slow big files down.
      func path() -> String { Parser.display(parts[...index]) }
      let depth = parent.depth + 1
      switch parent.entry(part.name) {
      case nil:
        let child = TableNode(origin: isLast ? .header : .implicit, line: line, depth: depth)
        if isLast && isArray {
          parent.add(part.name, .tableArray(TableArrayNode(first: child)), line: line)
        } else {
          parent.add(part.name, .table(child), line: line)
        }
        parent = child
      case .table(let child):
        if isLast {
          if isArray {
            throw fail("cannot define array of tables [[\(path())]]: [\(path())] is a table (line \(child.line))", at: part.offset)
          }
          switch child.origin {
          case .implicit:
            child.origin = .header
            child.line = line
            parent.setLine(line, of: part.name)
          case .header:
            throw fail("table [\(path())] is already defined at line \(child.line)", at: part.offset)
          case .dotted:
            throw fail("table [\(path())] is already defined by dotted keys at line \(child.line)", at: part.offset)
          }
        }
        parent = child
      case .tableArray(let array):
        if isLast && !isArray {
          let definedAt = parent.line(of: part.name)
          throw fail("cannot define table [\(path())]: it is an array of tables (line \(definedAt))", at: part.offset)
        }
        if isLast {
          let element = TableNode(origin: .header, line: line, depth: depth)
          array.tables.append(element)
          parent = element
        } else {
          // Headers below an array of tables go into its latest element.
          guard let latest = array.tables.last else { return parent }
          parent = latest
        }
      case .value(let existing):
        let definedAt = parent.line(of: part.name)
        if isArray, case .array = existing {
          throw fail("cannot append to static array \(path()) (defined at line \(definedAt))", at: part.offset)
        }
        throw fail(Parser.notATable(path(), existing, definedAt: definedAt), at: part.offset)
      }
      if depth > maximumDepth {
        throw fail("tables nested more than \(maximumDepth) deep", at: part.offset)
      }
    }
    return parent
  }

  // MARK: Values

  // parseValue, parseArray, parseInlineTable and parseKeyValue recurse into each other, so they
  // only dispatch: messages and scalars live in separate functions, which keeps each nesting level
  // to a few hundred bytes of stack in debug builds instead of kilobytes.

  private mutating func parseValue(depth: Int) throws(TOMLError) -> TOMLValue {
    guard depth <= maximumDepth else { throw tooDeep() }
    switch byte(at: offset) {
    case Byte.openBracket: return try parseArray(depth: depth)
    case Byte.openBrace: return try parseInlineTable(depth: depth)
    default: return try parseScalar()
    }
  }

  @inline(never)
  private func tooDeep() -> TOMLError {
    fail("values nested more than \(maximumDepth) deep", at: offset)
  }

  /// Any value but arrays and inline tables.
  @inline(never)
  private mutating func parseScalar() throws(TOMLError) -> TOMLValue {
    guard let first = byte(at: offset) else {
      throw fail("expected a value, found end of file", at: offset)
    }
    switch first {
    case Byte.quote:
      if byte(at: offset + 1) == Byte.quote && byte(at: offset + 2) == Byte.quote {
        return .string(try parseMultilineString(delimiter: Byte.quote))
      }
      return .string(try parseBasicString())
    case Byte.apostrophe:
      if byte(at: offset + 1) == Byte.apostrophe && byte(at: offset + 2) == Byte.apostrophe {
        return .string(try parseMultilineString(delimiter: Byte.apostrophe))
      }
      return .string(try parseLiteralString())
    case 0x74:  // t
      return .boolean(try expectWord("true", value: true))
    case 0x66:  // f
      return .boolean(try expectWord("false", value: false))
    case Byte.zero...Byte.nine, Byte.plus, Byte.minus, 0x69, 0x6E:  // digits, signs, i(nf), n(an)
      return try parseNumberOrDateTime()
    default:
      throw unquotedWordError()
    }
  }

  /// The most likely mistake in a config value is a missing pair of quotes; say so.
  private func unquotedWordError() -> TOMLError {
    var wordEnd = offset
    while wordEnd < end && wordEnd - offset < 40 && Parser.isBareKeyByte(bytes[wordEnd]) { wordEnd += 1 }
    guard wordEnd > offset else { return fail("expected a value, found \(describe(at: offset))", at: offset) }
    return fail("invalid value '\(text(offset..<wordEnd))' (strings need quotes; booleans are true and false)", at: offset)
  }

  private mutating func expectWord(_ word: StaticString, value: Bool) throws(TOMLError) -> Bool {
    let start = offset
    var tokenEnd = offset
    while tokenEnd < end && Parser.isBareKeyByte(bytes[tokenEnd]) { tokenEnd += 1 }
    let matches = word.withUTF8Buffer { expected in
      tokenEnd - start == expected.count && zip(expected, bytes[start..<tokenEnd]).allSatisfy { $0 == $1 }
    }
    guard matches else { throw unquotedWordError() }
    offset = tokenEnd
    return value
  }

  private mutating func parseArray(depth: Int) throws(TOMLError) -> TOMLValue {
    let open = offset
    offset += 1
    var elements: [TOMLValue] = []
    while try arrayHasElement(open: open, afterElement: !elements.isEmpty) {
      elements.append(try parseValue(depth: depth + 1))
    }
    return .array(elements)
  }

  /// Moves to the next element of an array, or past its `]` (then returns false).
  private mutating func arrayHasElement(open: Int, afterElement: Bool) throws(TOMLError) -> Bool {
    try skipArrayFiller()
    guard offset < end else { throw arrayError(open: open) }
    if afterElement {
      switch bytes[offset] {
      case Byte.comma:
        offset += 1
        try skipArrayFiller()
        guard offset < end else { throw arrayError(open: open) }
      case Byte.closeBracket:
        break
      default:
        throw arrayError(open: open)
      }
    }
    if bytes[offset] == Byte.closeBracket {
      offset += 1
      return false
    }
    return true
  }

  @inline(never)
  private func arrayError(open: Int) -> TOMLError {
    guard offset < end else { return fail("unterminated array", at: open) }
    // Usually a forgotten ']' noticed lines later, so point back at the opening bracket too.
    let opened = Position.error(in: bytes, at: open, "").line
    return fail("expected ',' or ']' in array opened at line \(opened), found \(describe(at: offset))", at: offset)
  }

  /// Whitespace, line ends and comments, all allowed between array elements.
  private mutating func skipArrayFiller() throws(TOMLError) {
    while offset < end {
      switch bytes[offset] {
      case Byte.space, Byte.tab, Byte.lineFeed:
        offset += 1
      case Byte.carriageReturn:
        guard byte(at: offset + 1) == Byte.lineFeed else {
          throw fail("carriage return not followed by a line feed", at: offset)
        }
        offset += 2
      case Byte.hash:
        try skipComment()
      default:
        return
      }
    }
  }

  private mutating func parseInlineTable(depth: Int) throws(TOMLError) -> TOMLValue {
    let open = offset
    offset += 1
    let table = TableNode(origin: .dotted, line: 0, depth: depth)
    var isFirst = true
    while try inlineTableHasEntry(open: open, isFirst: isFirst) {
      try parseKeyValue(into: table)
      isFirst = false
    }
    return .table(table.makeTable(inline: true))
  }

  /// Moves to the next `key = value` of an inline table, or past its `}` (then returns false).
  private mutating func inlineTableHasEntry(open: Int, isFirst: Bool) throws(TOMLError) -> Bool {
    skipWhitespace()
    if isFirst {
      if byte(at: offset) == Byte.closeBrace {
        offset += 1
        return false
      }
    } else {
      try checkInsideInlineTable(open: open)
      switch bytes[offset] {
      case Byte.comma:
        offset += 1
        skipWhitespace()
        if byte(at: offset) == Byte.closeBrace { throw inlineTableError() }
      case Byte.closeBrace:
        offset += 1
        return false
      default:
        throw inlineTableError()
      }
    }
    try checkInsideInlineTable(open: open)
    return true
  }

  @inline(never)
  private func inlineTableError() -> TOMLError {
    if byte(at: offset) == Byte.closeBrace {
      return fail("trailing comma not allowed in an inline table", at: offset)
    }
    return fail("expected ',' or '}' in inline table, found \(describe(at: offset))", at: offset)
  }

  /// TOML 1.0 keeps inline tables on one line; say so rather than "expected a key".
  private func checkInsideInlineTable(open: Int) throws(TOMLError) {
    guard offset < end else { throw fail("unterminated inline table", at: open) }
    switch bytes[offset] {
    case Byte.lineFeed, Byte.carriageReturn:
      throw fail("newline inside an inline table (it must stay on one line)", at: offset)
    case Byte.hash:
      throw fail("comment inside an inline table (it must stay on one line)", at: offset)
    default:
      return
    }
  }

  // MARK: Strings

  /// `"..."`, starting at the opening quote.
  private mutating func parseBasicString() throws(TOMLError) -> String {
    let open = offset
    offset += 1
    var segmentStart = offset
    // Stays empty unless there is an escape, so plain strings are decoded straight from the input.
    var unescaped: [UInt8] = []
    var hasEscapes = false
    while offset < end {
      let byte = bytes[offset]
      switch byte {
      case Byte.quote:
        let contentEnd = offset
        offset += 1
        if !hasEscapes { return text(segmentStart..<contentEnd) }
        unescaped.append(contentsOf: bytes[segmentStart..<contentEnd])
        return String(decoding: unescaped, as: UTF8.self)
      case Byte.backslash:
        hasEscapes = true
        unescaped.append(contentsOf: bytes[segmentStart..<offset])
        try parseEscape(into: &unescaped)
        segmentStart = offset
      case Byte.lineFeed, Byte.carriageReturn:
        throw fail("unterminated string (use \"\"\" for a multi-line string)", at: open)
      default:
        if Parser.isControl(byte) {
          throw fail("control character U+00\(hex(byte)) in string must be escaped", at: offset)
        }
        offset += 1
      }
    }
    throw fail("unterminated string", at: open)
  }

  /// `'...'`: no escapes at all.
  private mutating func parseLiteralString() throws(TOMLError) -> String {
    let open = offset
    offset += 1
    let start = offset
    while offset < end {
      let byte = bytes[offset]
      switch byte {
      case Byte.apostrophe:
        offset += 1
        return text(start..<offset - 1)
      case Byte.lineFeed, Byte.carriageReturn:
        throw fail("unterminated literal string (use ''' for a multi-line string)", at: open)
      default:
        if Parser.isControl(byte) {
          throw fail("control character U+00\(hex(byte)) in literal string", at: offset)
        }
        offset += 1
      }
    }
    throw fail("unterminated literal string", at: open)
  }

  /// `"""..."""` (escapes, line-ending backslash) or `'''...'''` (raw), starting at the delimiter.
  /// Line ends come out as "\n" whatever the file uses, so results do not depend on checkout settings.
  private mutating func parseMultilineString(delimiter: UInt8) throws(TOMLError) -> String {
    let open = offset
    let isBasic = delimiter == Byte.quote
    offset += 3
    // A line end right after the opening delimiter is not part of the string.
    if byte(at: offset) == Byte.lineFeed {
      offset += 1
    } else if byte(at: offset) == Byte.carriageReturn && byte(at: offset + 1) == Byte.lineFeed {
      offset += 2
    }
    var segmentStart = offset
    var content: [UInt8] = []
    while offset < end {
      let byte = bytes[offset]
      switch byte {
      case delimiter:
        var run = 1
        while run < 6 && self.byte(at: offset + run) == delimiter { run += 1 }
        guard run >= 3 else {
          offset += run
          continue
        }
        // Up to two quotes right before the closing delimiter belong to the content; any more are
        // left for the caller to report as garbage after the value.
        let contentEnd = offset + min(run - 3, 2)
        content.append(contentsOf: bytes[segmentStart..<contentEnd])
        offset = contentEnd + 3
        return String(decoding: content, as: UTF8.self)
      case Byte.backslash where isBasic:
        content.append(contentsOf: bytes[segmentStart..<offset])
        if !skipLineEndingBackslash() {
          try parseEscape(into: &content)
        }
        segmentStart = offset
      case Byte.lineFeed:
        offset += 1
      case Byte.carriageReturn:
        guard self.byte(at: offset + 1) == Byte.lineFeed else {
          throw fail("carriage return not followed by a line feed", at: offset)
        }
        content.append(contentsOf: bytes[segmentStart..<offset])
        offset += 1
        segmentStart = offset
      default:
        if Parser.isControl(byte) {
          throw fail("control character U+00\(hex(byte)) in string", at: offset)
        }
        offset += 1
      }
    }
    throw fail("unterminated multi-line string", at: open)
  }

  /// A backslash that ends its line joins the lines: it swallows all whitespace and line ends up
  /// to the next visible character. Returns false (consuming nothing) for an ordinary escape.
  private mutating func skipLineEndingBackslash() -> Bool {
    var position = offset + 1
    while position < end && (bytes[position] == Byte.space || bytes[position] == Byte.tab) {
      position += 1
    }
    let atLineEnd =
      byte(at: position) == Byte.lineFeed
      || (byte(at: position) == Byte.carriageReturn && byte(at: position + 1) == Byte.lineFeed)
    guard atLineEnd else { return false }
    while position < end {
      switch bytes[position] {
      case Byte.space, Byte.tab, Byte.lineFeed:
        position += 1
      case Byte.carriageReturn where byte(at: position + 1) == Byte.lineFeed:
        position += 2
      default:
        offset = position
        return true
      }
    }
    offset = position
    return true
  }

  /// Decodes the escape at `offset` (a backslash) and appends its UTF-8.
  private mutating func parseEscape(into output: inout [UInt8]) throws(TOMLError) {
    let start = offset
    guard let kind = byte(at: offset + 1) else {
      throw fail("unterminated string", at: start)
    }
    offset += 2
    switch kind {
    case 0x62: output.append(0x08)  // \b
    case 0x74: output.append(Byte.tab)  // \t
    case 0x6E: output.append(Byte.lineFeed)  // \n
    case 0x66: output.append(0x0C)  // \f
    case 0x72: output.append(Byte.carriageReturn)  // \r
    case Byte.quote: output.append(Byte.quote)
    case Byte.backslash: output.append(Byte.backslash)
    case 0x75, 0x55:  // \uXXXX, \UXXXXXXXX
      let digits = kind == 0x75 ? 4 : 8
      var scalarValue: UInt32 = 0
      for index in 0..<digits {
        guard let digit = byte(at: offset + index).flatMap(Parser.hexValue) else {
          throw fail("\\\(kind == 0x75 ? "u" : "U") needs \(digits) hexadecimal digits", at: start)
        }
        scalarValue = scalarValue << 4 | UInt32(digit)
      }
      guard let scalar = Unicode.Scalar(scalarValue) else {
        let code = String(scalarValue, radix: 16, uppercase: true)
        throw fail("escape \\\(kind == 0x75 ? "u" : "U")\(code) is not a Unicode scalar value", at: start)
      }
      offset += digits
      UTF8.encode(scalar) { output.append($0) }
    default:
      if kind > Byte.space && kind < Byte.delete {
        throw fail("invalid escape sequence '\\\(Character(Unicode.Scalar(kind)))'", at: start)
      }
      throw fail("invalid escape sequence: backslash followed by \(describe(at: start + 1))", at: start)
    }
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case Byte.zero...Byte.nine: return byte - Byte.zero
    case 0x41...0x46: return byte - 0x41 + 10
    case 0x61...0x66: return byte - 0x61 + 10
    default: return nil
    }
  }

  // MARK: Numbers and date-times

  private mutating func parseNumberOrDateTime() throws(TOMLError) -> TOMLValue {
    let start = offset
    // Date-times start with `dddd-` or `dd:`; numbers never do.
    let firstDigit = byte(at: start) == Byte.plus || byte(at: start) == Byte.minus ? start + 1 : start
    if !isDigit(at: firstDigit) && !startsWithInfOrNan(at: firstDigit) {
      throw unquotedWordError()
    }
    if isDigit(at: start) && isDigit(at: start + 1) {
      if isDigit(at: start + 2) && isDigit(at: start + 3) && byte(at: start + 4) == Byte.minus {
        return try parseDateTime()
      }
      if byte(at: start + 2) == Byte.colon {
        try parseTime()
        try expectDateTimeEnd(start: start)
        return .datetime(text(start..<offset))
      }
    }
    var tokenEnd = start
    while tokenEnd < end {
      let byte = bytes[tokenEnd]
      guard Parser.isBareKeyByte(byte) || byte == Byte.dot || byte == Byte.plus else { break }
      tokenEnd += 1
    }
    offset = tokenEnd
    return try NumberReader(bytes: bytes, start: start, end: tokenEnd).read()
  }

  private func startsWithInfOrNan(at position: Int) -> Bool {
    guard position + 2 < end else { return false }
    let word = (bytes[position], bytes[position + 1], bytes[position + 2])
    return word == (0x69, 0x6E, 0x66) || word == (0x6E, 0x61, 0x6E)  // inf, nan
  }

  /// `YYYY-MM-DD`, optionally followed by a time (after `T`, `t` or a space) and an offset.
  private mutating func parseDateTime() throws(TOMLError) -> TOMLValue {
    let start = offset
    let year = try digits(at: start, count: 4)
    guard byte(at: start + 4) == Byte.minus else { throw fail("invalid date", at: start) }
    let month = try digits(at: start + 5, count: 2)
    guard byte(at: start + 7) == Byte.minus else { throw fail("invalid date: expected '-' after the month", at: start + 7) }
    let day = try digits(at: start + 8, count: 2)
    guard (1...12).contains(month) else { throw fail("invalid month \(month) in date", at: start + 5) }
    guard day >= 1 && day <= Parser.daysIn(month: month, year: year) else {
      throw fail("invalid day \(day) for month \(month) in date", at: start + 8)
    }
    offset = start + 10
    let separator = byte(at: offset)
    let timeFollows =
      separator == 0x54 || separator == 0x74  // T, t
      || (separator == Byte.space && isDigit(at: offset + 1) && isDigit(at: offset + 2)
        && byte(at: offset + 3) == Byte.colon)
    if timeFollows {
      offset += 1
      try parseTime()
      switch byte(at: offset) {
      case 0x5A, 0x7A:  // Z, z
        offset += 1
      case Byte.plus, Byte.minus:
        let hours = try digits(at: offset + 1, count: 2)
        guard byte(at: offset + 3) == Byte.colon else {
          throw fail("invalid time offset: expected '+HH:MM'", at: offset)
        }
        let minutes = try digits(at: offset + 4, count: 2)
        guard hours <= 23 && minutes <= 59 else { throw fail("invalid time offset", at: offset) }
        offset += 6
      default:
        break
      }
    }
    try expectDateTimeEnd(start: start)
    return .datetime(text(start..<offset))
  }

  /// `HH:MM:SS` with optional fractional seconds, at `offset`.
  private mutating func parseTime() throws(TOMLError) {
    let start = offset
    let hour = try digits(at: start, count: 2)
    guard byte(at: start + 2) == Byte.colon else { throw fail("invalid time: expected ':' after the hour", at: start + 2) }
    let minute = try digits(at: start + 3, count: 2)
    guard byte(at: start + 5) == Byte.colon else {
      throw fail("invalid time: expected ':' and seconds after the minutes", at: start + 5)
    }
    let second = try digits(at: start + 6, count: 2)
    guard hour <= 23 else { throw fail("invalid hour \(hour) in time", at: start) }
    guard minute <= 59 else { throw fail("invalid minute \(minute) in time", at: start + 3) }
    // 60 allows leap seconds.
    guard second <= 60 else { throw fail("invalid second \(second) in time", at: start + 6) }
    offset = start + 8
    if byte(at: offset) == Byte.dot {
      offset += 1
      guard isDigit(at: offset) else { throw fail("invalid time: expected digits after '.'", at: offset) }
      while isDigit(at: offset) { offset += 1 }
    }
  }

  /// Rejects date-times that run on into more token characters, like `1979-05-27T07:32:00Zabc`.
  private func expectDateTimeEnd(start: Int) throws(TOMLError) {
    guard let next = byte(at: offset) else { return }
    if Parser.isBareKeyByte(next) || next == Byte.dot || next == Byte.colon || next == Byte.plus {
      var tokenEnd = offset
      // Quote the run-on token, not the brackets and separators that close the value.
      while tokenEnd < end && tokenEnd - start < 40 {
        let byte = bytes[tokenEnd]
        guard Parser.isBareKeyByte(byte) || byte == Byte.dot || byte == Byte.colon || byte == Byte.plus else { break }
        tokenEnd += 1
      }
      throw fail("invalid date-time '\(text(start..<tokenEnd))'", at: start)
    }
  }

  /// The value of exactly `count` decimal digits starting at `position`.
  private func digits(at position: Int, count: Int) throws(TOMLError) -> Int {
    var value = 0
    for index in position..<position + count {
      guard isDigit(at: index) else { throw fail("invalid date-time: expected a digit", at: index) }
      value = value * 10 + Int(bytes[index] - Byte.zero)
    }
    return value
  }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2:
      let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      return isLeap ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

/// Integers and floats in one token (already cut at the first character that cannot belong to a
/// number, so errors can quote the whole token).
private struct NumberReader {
  let bytes: UnsafeBufferPointer<UInt8>
  let start: Int
  let end: Int

  private var token: String {
    let shown = min(end, start + 40)
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<shown]), as: UTF8.self)
  }

  private func byte(at position: Int) -> UInt8? {
    position < end ? bytes[position] : nil
  }

  private func invalid(_ reason: String, at position: Int? = nil) -> TOMLError {
    Position.error(in: bytes, at: position ?? start, "invalid number '\(token)': \(reason)")
  }

  func read() throws(TOMLError) -> TOMLValue {
    var digitsStart = start
    var isNegative = false
    let hasSign = byte(at: start) == Byte.plus || byte(at: start) == Byte.minus
    if hasSign {
      isNegative = byte(at: start) == Byte.minus
      digitsStart += 1
    }
    if matches("inf", from: digitsStart) { return .float(isNegative ? -.infinity : .infinity) }
    if matches("nan", from: digitsStart) { return .float(isNegative ? -.nan : .nan) }
    guard digitsStart < end else { throw invalid("expected digits") }

    if byte(at: digitsStart) == Byte.zero, let radixByte = byte(at: digitsStart + 1) {
      let radix: UInt64? =
        switch radixByte {
        case 0x78: 16  // x
        case 0x6F: 8  // o
        case 0x62: 2  // b
        default: nil
        }
      if let radix {
        guard !hasSign else { throw invalid("hexadecimal, octal and binary numbers cannot have a sign") }
        let magnitude = try readDigits(from: digitsStart + 2, to: end, radix: radix)
        guard magnitude <= UInt64(Int64.max) else { throw invalid("out of range for a 64-bit integer") }
        return .integer(Int64(magnitude))
      }
    }

    var isFloat = false
    for position in digitsStart..<end {
      switch bytes[position] {
      case Byte.dot, 0x65, 0x45: isFloat = true  // . e E
      default: break
      }
    }
    if isFloat { return try readFloat(from: digitsStart) }
    return try readDecimal(from: digitsStart, negative: isNegative)
  }

  private func matches(_ word: StaticString, from position: Int) -> Bool {
    word.withUTF8Buffer { expected in
      end - position == expected.count && zip(expected, bytes[position..<end]).allSatisfy { $0 == $1 }
    }
  }

  private func readDecimal(from position: Int, negative: Bool) throws(TOMLError) -> TOMLValue {
    try checkNoLeadingZero(from: position, to: end)
    let magnitude = try readDigits(from: position, to: end, radix: 10)
    // Int64.min has no positive counterpart, so the range check differs by sign.
    if negative {
      guard magnitude <= UInt64(Int64.max) + 1 else { throw invalid("out of range for a 64-bit integer") }
      return .integer(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude))
    }
    guard magnitude <= UInt64(Int64.max) else { throw invalid("out of range for a 64-bit integer") }
    return .integer(Int64(magnitude))
  }

  private func checkNoLeadingZero(from position: Int, to limit: Int) throws(TOMLError) {
    if byte(at: position) == Byte.zero && position + 1 < limit {
      throw invalid("leading zeros are not allowed", at: position)
    }
  }

  /// Digits of `radix` with single underscores between digits; the value, or an error on overflow.
  private func readDigits(from first: Int, to limit: Int, radix: UInt64) throws(TOMLError) -> UInt64 {
    guard first < limit else { throw invalid("expected digits", at: first) }
    var value: UInt64 = 0
    var overflowed = false
    var previousWasDigit = false
    for position in first..<limit {
      let byte = bytes[position]
      if byte == Byte.underscore {
        guard previousWasDigit else { throw invalid("an underscore must be between two digits", at: position) }
        previousWasDigit = false
        continue
      }
      guard let digit = Parser.digitValue(byte), UInt64(digit) < radix else {
        throw invalid("unexpected character '\(Character(Unicode.Scalar(byte)))'", at: position)
      }
      let (shifted, overflow1) = value.multipliedReportingOverflow(by: radix)
      let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(digit))
      overflowed = overflowed || overflow1 || overflow2
      value = sum
      previousWasDigit = true
    }
    guard previousWasDigit else { throw invalid("an underscore must be between two digits", at: limit - 1) }
    guard !overflowed else { throw invalid("out of range for a 64-bit integer") }
    return value
  }

  /// `int [. digits] [e [sign] digits]`, with at least a fraction or an exponent.
  private func readFloat(from digitsStart: Int) throws(TOMLError) -> TOMLValue {
    var position = digitsStart
    func scanDigits() -> Int {
      let first = position
      while position < end && (Parser.isDigitOrUnderscore(bytes[position])) { position += 1 }
      return first
    }
    let integerStart = scanDigits()
    guard integerStart < position else { throw invalid("expected digits before the fraction or exponent") }
    try checkNoLeadingZero(from: integerStart, to: position)
    try checkDigitsOnly(from: integerStart, to: position)
    if byte(at: position) == Byte.dot {
      position += 1
      let fractionStart = scanDigits()
      guard fractionStart < position else { throw invalid("expected digits after '.'", at: fractionStart) }
      try checkDigitsOnly(from: fractionStart, to: position)
    }
    if byte(at: position) == 0x65 || byte(at: position) == 0x45 {  // e E
      position += 1
      if byte(at: position) == Byte.plus || byte(at: position) == Byte.minus { position += 1 }
      let exponentStart = scanDigits()
      guard exponentStart < position else { throw invalid("expected digits in the exponent", at: exponentStart) }
      try checkDigitsOnly(from: exponentStart, to: position)
    }
    guard position == end else {
      throw invalid("unexpected character '\(Character(Unicode.Scalar(bytes[position])))'", at: position)
    }
    var cleaned = ""
    cleaned.reserveCapacity(end - start)
    for index in start..<end where bytes[index] != Byte.underscore {
      cleaned.unicodeScalars.append(Unicode.Scalar(bytes[index]))
    }
    guard let value = Double(cleaned) else { throw invalid("not representable as a double") }
    return .float(value)
  }

  /// Underscore placement only: the digits of a fraction or exponent may be as long as they like,
  /// so their value is left to `Double`.
  private func checkDigitsOnly(from first: Int, to limit: Int) throws(TOMLError) {
    var previousWasDigit = false
    for position in first..<limit {
      if bytes[position] == Byte.underscore {
        guard previousWasDigit else { throw invalid("an underscore must be between two digits", at: position) }
        previousWasDigit = false
      } else {
        previousWasDigit = true
      }
    }
    guard previousWasDigit else { throw invalid("an underscore must be between two digits", at: limit - 1) }
  }
}

extension Parser {
  fileprivate static func digitValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case Byte.zero...Byte.nine: return byte - Byte.zero
    case 0x41...0x5A: return byte - 0x41 + 10
    case 0x61...0x7A: return byte - 0x61 + 10
    default: return nil
    }
  }

  fileprivate static func isDigitOrUnderscore(_ byte: UInt8) -> Bool {
    (byte >= Byte.zero && byte <= Byte.nine) || byte == Byte.underscore
  }
}
