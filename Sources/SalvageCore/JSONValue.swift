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
  public func serialized() -> String {
    var out = ""
    out.reserveCapacity(1 << 16)
    write(into: &out, indent: 0)
    out.append("\n")
    return out
  }

  private func write(into out: inout String, indent: Int) {
    switch self {
    case .null: out.append("null")
    case let .bool(b): out.append(b ? "true" : "false")
    case let .int(i): out.append(String(i))
    case let .double(d):
      if !d.isFinite {
        out.append("null")
      } else if d == d.rounded(), abs(d) < 1e15 {
        out.append(String(Int(d)))
      } else {
        out.append(String(d))
      }
    case let .string(s): JSONValue.escape(s, into: &out)
    case let .array(items):
      if items.isEmpty { out.append("[]"); return }
      out.append("[\n")
      for (i, item) in items.enumerated() {
        out.append(String(repeating: " ", count: indent + 2))
        item.write(into: &out, indent: indent + 2)
        out.append(i + 1 < items.count ? ",\n" : "\n")
      }
      out.append(String(repeating: " ", count: indent))
      out.append("]")
    case let .object(pairs):
      if pairs.isEmpty { out.append("{}"); return }
      out.append("{\n")
      for (i, (key, value)) in pairs.enumerated() {
        out.append(String(repeating: " ", count: indent + 2))
        JSONValue.escape(key, into: &out)
        out.append(": ")
        value.write(into: &out, indent: indent + 2)
        out.append(i + 1 < pairs.count ? ",\n" : "\n")
      }
      out.append(String(repeating: " ", count: indent))
      out.append("}")
    }
  }

  static func escape(_ s: String, into out: inout String) {
    out.append("\"")
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out.append("\\\"")
      case "\\": out.append("\\\\")
      case "\n": out.append("\\n")
      case "\r": out.append("\\r")
      case "\t": out.append("\\t")
      case "\u{2028}": out.append("\\u2028")
      case "\u{2029}": out.append("\\u2029")
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          let hex = String(scalar.value, radix: 16)
          out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out.append("\"")
  }
}
