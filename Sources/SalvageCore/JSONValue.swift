import Foundation

/// A JSON document held in memory with its object keys in a fixed order, so that the report is
/// byte-identical from run to run. Objects built by hand keep their order; objects converted from
/// `Encodable` values get their keys sorted.
public enum JSONValue: Sendable, Equatable {
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
    // Keys compared in place: `first(where:)` would copy, and retain, every pair it passes over. The
    // report reads a few keys of each of tens of thousands of file objects.
    return pairs.withUnsafeBufferPointer { pairs in
      for i in pairs.indices where pairs[i].0 == key { return pairs[i].1 }
      return nil
    }
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
  /// A number as the writing tree holds it: rounded as typed outputs store it (`Figures.rounded`), null
  /// when not finite.
  public static func number(_ value: Double, places: Int = 4) -> JSONValue {
    guard value.isFinite else { return .null }
    return .double(Figures.rounded(value, places: places))
  }

  /// Serialises with two-space indentation and a final newline.
  public func serialized() -> String { String(decoding: serializedBytes(), as: UTF8.self) }

  /// The UTF-8 bytes of `serialized()`, written straight into one buffer.
  public func serializedBytes() -> [UInt8] {
    var out = JSONOutput(capacity: 1 << 16)
    defer { out.release() }
    write(into: &out, indent: 0, flushAt: .max) { _ in }
    out.append(UInt8(ascii: "\n"))
    return Array(out.bytes)
  }

  /// Serialises in pieces of about 1 MiB handed to `sink` as they are made, so a report of tens of
  /// megabytes is never one buffer (nor the copy a growing buffer makes).
  public func serialize(to sink: (UnsafeRawBufferPointer) -> Void) {
    var out = JSONOutput(capacity: (1 << 20) + (1 << 16))
    defer { out.release() }
    write(into: &out, indent: 0, flushAt: 1 << 20) { out in
      sink(UnsafeRawBufferPointer(out.bytes))
      out.count = 0
    }
    out.append(UInt8(ascii: "\n"))
    sink(UnsafeRawBufferPointer(out.bytes))
  }

  /// `flush` is called after an element of an array or an object once the buffer holds `flushAt` bytes.
  private func write(into out: inout JSONOutput, indent: Int, flushAt: Int, flush: (inout JSONOutput) -> Void) {
    switch self {
    case .null: out.append("null")
    case let .bool(b): out.append(b ? "true" : "false")
    case let .int(i): out.decimal(i)
    case let .double(d):
      if !d.isFinite {
        out.append("null")
      } else if d == d.rounded(), abs(d) < 1e15 {
        out.decimal(Int(d))
      } else {
        var text = String(d)
        text.withUTF8 { out.append($0) }
      }
    case let .string(s): out.string(s)
    case let .array(items):
      if items.isEmpty { out.append("[]"); return }
      out.append("[\n")
      items.withUnsafeBufferPointer { items in
        for i in items.indices {
          out.spaces(indent + 2)
          items[i].write(into: &out, indent: indent + 2, flushAt: flushAt, flush: flush)
          if i + 1 < items.count { out.append(UInt8(ascii: ",")) }
          out.append(UInt8(ascii: "\n"))
          if out.count >= flushAt { flush(&out) }
        }
      }
      out.spaces(indent)
      out.append(UInt8(ascii: "]"))
    case let .object(pairs):
      if pairs.isEmpty { out.append("{}"); return }
      out.append("{\n")
      pairs.withUnsafeBufferPointer { pairs in
        for i in pairs.indices {
          out.spaces(indent + 2)
          out.string(pairs[i].0)
          out.append(": ")
          pairs[i].1.write(into: &out, indent: indent + 2, flushAt: flushAt, flush: flush)
          if i + 1 < pairs.count { out.append(UInt8(ascii: ",")) }
          out.append(UInt8(ascii: "\n"))
          if out.count >= flushAt { flush(&out) }
        }
      }
      out.spaces(indent)
      out.append(UInt8(ascii: "}"))
    }
  }
}

/// The serialiser's buffer: one allocation written through a pointer, grown by doubling (a flushed
/// report stays near its 1 MiB threshold). Not a class, so the hot path has no exclusivity checks;
/// `release()` frees it.
private struct JSONOutput {
  var base: UnsafeMutablePointer<UInt8>
  var capacity: Int
  var count = 0

  init(capacity: Int) {
    self.capacity = capacity
    base = .allocate(capacity: capacity)
  }

  func release() { base.deallocate() }

  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  @inline(__always) mutating func reserve(_ extra: Int) {
    if count + extra > capacity { grow(to: count + extra) }
  }

  private mutating func grow(to needed: Int) {
    var size = capacity * 2
    while size < needed { size *= 2 }
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    bigger.update(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity = size
  }

  @inline(__always) mutating func append(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    count += 1
  }

  @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
    reserve(bytes.count)
    (base + count).update(from: source, count: bytes.count)
    count += bytes.count
  }

  @inline(__always) mutating func append(_ text: StaticString) {
    append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  mutating func spaces(_ n: Int) {
    reserve(n)
    (base + count).initialize(repeating: UInt8(ascii: " "), count: n)
    count += n
  }

  /// An integer in decimal, without going through a `String`.
  mutating func decimal(_ value: Int) {
    reserve(20)
    if value < 0 {
      base[count] = UInt8(ascii: "-")
      count += 1
    }
    var magnitude = value.magnitude
    let first = count
    repeat {
      base[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
      count += 1
      magnitude /= 10
    } while magnitude > 0
    var i = first, j = count - 1
    while i < j {
      let t = base[i]
      base[i] = base[j]
      base[j] = t
      i += 1
      j -= 1
    }
  }

  /// Bytes that may need an escape: controls, quote, backslash, DEL, and 0xE2 (the lead byte of
  /// U+2028 and U+2029).
  private static let special: [Bool] = (0..<256).map { byte in
    byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xE2
  }

  /// A JSON string literal.
  mutating func string(_ s: String) {
    append(UInt8(ascii: "\""))
    // Native strings lend their bytes in place; others (bridged) are made contiguous first.
    if s.utf8.withContiguousStorageIfAvailable({ escaped($0) }) == nil {
      var s = s
      s.withUTF8 { escaped($0) }
    }
    append(UInt8(ascii: "\""))
  }

  /// The bytes of a string literal between its quotes: runs that need no escape are copied whole.
  private mutating func escaped(_ bytes: UnsafeBufferPointer<UInt8>) {
    Self.special.withUnsafeBufferPointer { special in
      var run = 0
      var i = 0
      while i < bytes.count {
        let byte = bytes[i]
        guard special[Int(byte)] else {
          i += 1
          continue
        }
        let replacement: StaticString
        switch byte {
        case UInt8(ascii: "\""): replacement = "\\\""
        case UInt8(ascii: "\\"): replacement = "\\\\"
        case UInt8(ascii: "\n"): replacement = "\\n"
        case UInt8(ascii: "\r"): replacement = "\\r"
        case UInt8(ascii: "\t"): replacement = "\\t"
        // U+2028 and U+2029 (E2 80 A8, E2 80 A9), and the characters that reorder or hide text (zero
        // widths U+200B-200F, bidi embeddings and overrides U+202A-202E, U+2060-2064, isolates
        // U+2066-2069): escaped at their first byte, so a report viewed raw shows them inert.
        case 0xE2:
          guard i + 2 < bytes.count, bytes[i + 1] == 0x80 || bytes[i + 1] == 0x81 else {
            i += 1
            continue
          }
          let scalar = 0x2000 | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F)
          guard (0x200B...0x200F).contains(scalar) || (0x2028...0x202E).contains(scalar) || (0x2060...0x2064).contains(scalar)
            || (0x2066...0x2069).contains(scalar)
          else {
            i += 1
            continue
          }
          append(UnsafeBufferPointer(rebasing: bytes[run..<i]))
          let hex: StaticString = "0123456789abcdef"
          append("\\u")
          for shift in [12, 8, 4, 0] as [UInt32] { append(hex.utf8Start[Int((scalar >> shift) & 15)]) }
          i += 3
          run = i
          continue
        default:
          append(UnsafeBufferPointer(rebasing: bytes[run..<i]))
          let hex: StaticString = "0123456789abcdef"
          append("\\u00")
          append(hex.utf8Start[Int(byte >> 4)])
          append(hex.utf8Start[Int(byte & 15)])
          i += 1
          run = i
          continue
        }
        append(UnsafeBufferPointer(rebasing: bytes[run..<i]))
        append(replacement)
        i = byte == 0xE2 ? i + 3 : i + 1
        run = i
      }
      append(UnsafeBufferPointer(rebasing: bytes[run...]))
    }
  }
}
