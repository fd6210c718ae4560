import Foundation

/// A JSON document held in memory with its object keys in a fixed order, so that the report is
/// byte-identical from run to run. Objects built by hand keep their order; objects converted from
/// `Encodable` values get their keys sorted.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case let (.bool(a), .bool(b)): return a == b
    case let (.int(a), .int(b)): return a == b
    case let (.double(a), .double(b)): return a == b
    case let (.string(a), .string(b)): return a == b
    case let (.array(a), .array(b)): return a == b
    case let (.object(a), .object(b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// Converts any `Encodable` value (keys sorted).
  public init(encoding value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(value)
    self = try JSONValue.parse(data)
  }

  /// Parses JSON text; object keys come out sorted.
  public static func parse(_ data: Data) throws -> JSONValue {
    let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    return from(object)
  }

  private static func from(_ any: Any) -> JSONValue {
    switch any {
    case is NSNull: return .null
    case let s as String: return .string(s)
    case let n as NSNumber:
      // Foundation hands back NSNumber for booleans too; its type code tells them apart.
      switch String(cString: n.objCType) {
      case "c": return .bool(n.boolValue)
      case "d", "f": return .double(n.doubleValue)
      default: return .int(n.intValue)
      }
    case let a as [Any]: return .array(a.map(from))
    case let d as [String: Any]: return .object(d.keys.sorted().map { ($0, from(d[$0]!)) })
    default: return .null
    }
  }

  public subscript(key: String) -> JSONValue? {
    guard case let .object(pairs) = self else { return nil }
    return pairs.first { $0.0 == key }?.1
  }

  /// Adds or replaces a key of an object, keeping its place when it exists.
  public mutating func set(_ key: String, _ value: JSONValue) {
    guard case var .object(pairs) = self else { return }
    if let index = pairs.firstIndex(where: { $0.0 == key }) {
      pairs[index].1 = value
    } else {
      pairs.append((key, value))
    }
    self = .object(pairs)
  }

  public var intValue: Int? { if case let .int(i) = self { return i }; return nil }
  public var stringValue: String? { if case let .string(s) = self { return s }; return nil }
  public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a }; return nil }
  public var doubleValue: Double? {
    switch self {
    case let .double(d): return d
    case let .int(i): return Double(i)
    default: return nil
    }
  }
  public var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral, ExpressibleByNilLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(nilLiteral: ()) { self = .null }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
}

extension JSONValue {
  /// A number rounded to `places` decimals, so that floating-point noise never reaches the report.
  public static func number(_ value: Double, places: Int = 4) -> JSONValue {
    guard value.isFinite else { return .null }
    let scale = pow(10.0, Double(places))
    return .double((value * scale).rounded() / scale)
  }

  /// Serialises with two-space indentation and a final newline.
  public func serialized() -> String { String(decoding: serializedBytes(), as: UTF8.self) }

  /// The UTF-8 bytes of `serialized()`, written straight into one buffer.
  public func serializedBytes() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(1 << 16)
    write(into: &out, indent: 0)
    out.append(UInt8(ascii: "\n"))
    return out
  }

  /// Serialises in pieces of about 1 MiB handed to `sink` as they are made, so a report of tens of
  /// megabytes is never one buffer (nor the copy a growing buffer makes).
  public func serialize(to sink: (UnsafeRawBufferPointer) -> Void) {
    var out: [UInt8] = []
    out.reserveCapacity((1 << 20) + (1 << 16))
    write(into: &out, indent: 0) { out in
      guard out.count >= 1 << 20 else { return }
      out.withUnsafeBytes(sink)
      out.removeAll(keepingCapacity: true)
    }
    out.append(UInt8(ascii: "\n"))
    out.withUnsafeBytes(sink)
  }

  /// `flush` is offered the buffer after every element of an array or an object.
  private func write(into out: inout [UInt8], indent: Int, flush: (inout [UInt8]) -> Void = { _ in }) {
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case let .bool(b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case let .int(i): JSONValue.decimal(i, into: &out)
    case let .double(d):
      if !d.isFinite {
        out.append(contentsOf: "null".utf8)
      } else if d == d.rounded(), abs(d) < 1e15 {
        JSONValue.decimal(Int(d), into: &out)
      } else {
        out.append(contentsOf: String(d).utf8)
      }
    case let .string(s): JSONValue.escape(s, into: &out)
    case let .array(items):
      if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
      out.append(contentsOf: "[\n".utf8)
      for (i, item) in items.enumerated() {
        JSONValue.spaces(indent + 2, into: &out)
        item.write(into: &out, indent: indent + 2, flush: flush)
        if i + 1 < items.count { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\n"))
        flush(&out)
      }
      JSONValue.spaces(indent, into: &out)
      out.append(UInt8(ascii: "]"))
    case let .object(pairs):
      if pairs.isEmpty { out.append(contentsOf: "{}".utf8); return }
      out.append(contentsOf: "{\n".utf8)
      for (i, (key, value)) in pairs.enumerated() {
        JSONValue.spaces(indent + 2, into: &out)
        JSONValue.escape(key, into: &out)
        out.append(contentsOf: ": ".utf8)
        value.write(into: &out, indent: indent + 2, flush: flush)
        if i + 1 < pairs.count { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\n"))
        flush(&out)
      }
      JSONValue.spaces(indent, into: &out)
      out.append(UInt8(ascii: "}"))
    }
  }

  private static func spaces(_ count: Int, into out: inout [UInt8]) {
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
  }

  /// An integer in decimal, without going through a `String`.
  private static func decimal(_ value: Int, into out: inout [UInt8]) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    let first = out.count
    repeat {
      out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
      magnitude /= 10
    } while magnitude > 0
    out[first...].reverse()
  }

  /// A JSON string literal: runs that need no escape are copied whole.
  private static func escape(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var s = s
    s.withUTF8 { bytes in
      var run = 0
      for (i, byte) in bytes.enumerated() {
        let escaped: String
        switch byte {
        case UInt8(ascii: "\""): escaped = "\\\""
        case UInt8(ascii: "\\"): escaped = "\\\\"
        case UInt8(ascii: "\n"): escaped = "\\n"
        case UInt8(ascii: "\r"): escaped = "\\r"
        case UInt8(ascii: "\t"): escaped = "\\t"
        case 0..<0x20, 0x7F: escaped = "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
        // U+2028 and U+2029 (E2 80 A8, E2 80 A9): escaped at their first byte.
        case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
          escaped = bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
        default: continue
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
        out.append(contentsOf: escaped.utf8)
        run = byte == 0xE2 ? i + 3 : i + 1
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
    }
    out.append(UInt8(ascii: "\""))
  }
}
