/// A JSON reader for manifests that keeps the line of every value and names the line of the first
/// error. It also reads the JSON-with-comments-and-trailing-commas of `bun.lock` when asked.
struct JSONNode: Sendable {
  enum Value: Sendable {
    case object([(key: String, node: JSONNode)])
    case array([JSONNode])
    case string(String)
    case number(String)
    case bool(Bool)
    case null
  }
  let value: Value
  let line: Int

  subscript(key: String) -> JSONNode? {
    guard case let .object(pairs) = value else { return nil }
    return pairs.first { $0.key == key }?.node
  }
  var string: String? { if case let .string(s) = value { return s }; return nil }
  var array: [JSONNode]? { if case let .array(a) = value { return a }; return nil }
  var pairs: [(key: String, node: JSONNode)]? { if case let .object(p) = value { return p }; return nil }
  /// A number or string as text.
  var text: String? {
    switch value {
    case let .string(s), let .number(s): return s
    default: return nil
    }
  }
}

struct JSONDocument {
  private let bytes: [UInt8]
  private var i = 0
  private var line = 1
  private let lenient: Bool

  static func parse(_ bytes: [UInt8], lenient: Bool = false) throws(ManifestProblem) -> JSONNode {
    var reader = JSONDocument(bytes: bytes, lenient: lenient)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.i = 3 }
    reader.skipSpace()
    let node = try reader.value(depth: 0)
    reader.skipSpace()
    guard reader.i == bytes.count else { throw reader.fail("unexpected text after the end of the document") }
    return node
  }

  private init(bytes: [UInt8], lenient: Bool) {
    self.bytes = bytes
    self.lenient = lenient
  }

  private func fail(_ message: String) -> ManifestProblem { ManifestProblem(line: line, "invalid JSON: " + message) }

  private mutating func skipSpace() {
    while i < bytes.count {
      let c = bytes[i]
      if c == 0x0A { line += 1; i += 1 } else if c == 0x20 || c == 0x09 || c == 0x0D { i += 1 } else if lenient, c == 0x2F, i + 1 < bytes.count {
        if bytes[i + 1] == 0x2F {
          while i < bytes.count, bytes[i] != 0x0A { i += 1 }
        } else if bytes[i + 1] == 0x2A {
          i += 2
          while i + 1 < bytes.count, !(bytes[i] == 0x2A && bytes[i + 1] == 0x2F) {
            if bytes[i] == 0x0A { line += 1 }
            i += 1
          }
          i += 2
        } else {
          return
        }
      } else {
        return
      }
    }
  }

  private mutating func value(depth: Int) throws(ManifestProblem) -> JSONNode {
    guard depth < 512 else { throw fail("nested too deeply") }
    guard i < bytes.count else { throw fail("unexpected end of file") }
    let start = line
    switch bytes[i] {
    case UInt8(ascii: "{"):
      i += 1
      var pairs: [(key: String, node: JSONNode)] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return JSONNode(value: .object(pairs), line: start) }
      while true {
        skipSpace()
        if lenient, i < bytes.count, bytes[i] == UInt8(ascii: "}"), !pairs.isEmpty { i += 1; break }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
        let key = try string()
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
        i += 1
        skipSpace()
        pairs.append((key, try value(depth: depth + 1)))
        skipSpace()
        guard i < bytes.count else { throw fail("unexpected end of file inside an object") }
        if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
        if bytes[i] == UInt8(ascii: "}") { i += 1; break }
        throw fail("expected ',' or '}'")
      }
      return JSONNode(value: .object(pairs), line: start)
    case UInt8(ascii: "["):
      i += 1
      var items: [JSONNode] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return JSONNode(value: .array(items), line: start) }
      while true {
        skipSpace()
        if lenient, i < bytes.count, bytes[i] == UInt8(ascii: "]"), !items.isEmpty { i += 1; break }
        items.append(try value(depth: depth + 1))
        skipSpace()
        guard i < bytes.count else { throw fail("unexpected end of file inside an array") }
        if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
        if bytes[i] == UInt8(ascii: "]") { i += 1; break }
        throw fail("expected ',' or ']'")
      }
      return JSONNode(value: .array(items), line: start)
    case UInt8(ascii: "\""):
      return JSONNode(value: .string(try string()), line: start)
    case UInt8(ascii: "t"): try literal("true"); return JSONNode(value: .bool(true), line: start)
    case UInt8(ascii: "f"): try literal("false"); return JSONNode(value: .bool(false), line: start)
    case UInt8(ascii: "n"): try literal("null"); return JSONNode(value: .null, line: start)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      let from = i
      i += 1
      while i < bytes.count, "0123456789.eE+-".utf8.contains(bytes[i]) { i += 1 }
      return JSONNode(value: .number(String(decoding: bytes[from..<i], as: UTF8.self)), line: start)
    default:
      throw fail("unexpected character '\(String(decoding: [bytes[i]], as: UTF8.self))'")
    }
  }

  private mutating func literal(_ word: String) throws(ManifestProblem) {
    let w = Array(word.utf8)
    guard i + w.count <= bytes.count, bytes[i..<(i + w.count)].elementsEqual(w) else { throw fail("unexpected word") }
    i += w.count
  }

  private mutating func string() throws(ManifestProblem) -> String {
    i += 1
    let from = i
    var plain = true
    while i < bytes.count {
      let c = bytes[i]
      if c == UInt8(ascii: "\"") {
        let raw = bytes[from..<i]
        i += 1
        return plain ? String(decoding: raw, as: UTF8.self) : try Self.unescape(raw, line: line)
      }
      if c == UInt8(ascii: "\\") { plain = false; i += 2; continue }
      if c == 0x0A { throw fail("line break inside a string") }
      i += 1
    }
    throw fail("unterminated string")
  }

  private static func unescape(_ raw: ArraySlice<UInt8>, line: Int) throws(ManifestProblem) -> String {
    var out: [UInt8] = []
    var k = raw.startIndex
    while k < raw.endIndex {
      let c = raw[k]
      guard c == UInt8(ascii: "\\"), k + 1 < raw.endIndex else { out.append(c); k += 1; continue }
      let e = raw[k + 1]
      k += 2
      switch e {
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "u"):
        guard k + 4 <= raw.endIndex, let v = UInt32(String(decoding: raw[k..<(k + 4)], as: UTF8.self), radix: 16) else {
          throw ManifestProblem(line: line, "invalid JSON: bad \\u escape")
        }
        k += 4
        out.append(contentsOf: Array(String(Unicode.Scalar(v).map(Character.init) ?? "\u{FFFD}").utf8))
      default: out.append(e)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
