/// One TOML value. Date-times keep their source text: the scanner only compares and reports them,
/// so a calendar type would add weight without adding information.
public enum TOMLValue: Equatable, Sendable {
  case string(String)
  case integer(Int64)
  case float(Double)
  case boolean(Bool)
  /// Offset date-time, local date-time, local date or local time, exactly as written.
  case datetime(String)
  case array([TOMLValue])
  case table(TOMLTable)

  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  public var integer: Int64? {
    if case .integer(let value) = self { return value }
    return nil
  }

  /// The integer as `Int`; nil when it does not fit (only possible on 32-bit platforms).
  public var int: Int? {
    if case .integer(let value) = self { return Int(exactly: value) }
    return nil
  }

  /// Floats, and integers converted, because `ratio = 1` is as good as `ratio = 1.0` in a config file.
  public var double: Double? {
    switch self {
    case .float(let value): return value
    case .integer(let value): return Double(value)
    default: return nil
    }
  }

  public var bool: Bool? {
    if case .boolean(let value) = self { return value }
    return nil
  }

  public var array: [TOMLValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  public var table: TOMLTable? {
    if case .table(let value) = self { return value }
    return nil
  }

  /// The array when every element is a string (an empty array qualifies), else nil.
  public var stringArray: [String]? {
    guard case .array(let elements) = self else { return nil }
    var strings: [String] = []
    strings.reserveCapacity(elements.count)
    for element in elements {
      guard case .string(let value) = element else { return nil }
      strings.append(value)
    }
    return strings
  }
}

/// A table: its keys in source order and the line each key was defined on, so callers can point
/// users at the offending line of a config file.
///
/// Equality compares keys and values only: TOML tables are unordered, and line numbers are
/// bookkeeping rather than content.
public struct TOMLTable: Equatable, Sendable {
  private var order: [String] = []
  private var values: [String: TOMLValue] = [:]
  private var keyLines: [String: Int] = [:]

  /// Line of the `[a.b]` / `[[x]]` header that defined the table. Tables created by dotted keys
  /// (`a.b = 1`) or only as parents of a header get the line that first created them; the root
  /// table, inline tables and tables built in code get 0.
  public internal(set) var line: Int = 0

  public init() {}

  /// The keys in source order (insertion order for keys added in code).
  public var keys: [String] { order }

  public var count: Int { order.count }

  public var isEmpty: Bool { order.isEmpty }

  public subscript(key: String) -> TOMLValue? {
    get { values[key] }
    set {
      if let newValue {
        if values.updateValue(newValue, forKey: key) == nil { order.append(key) }
      } else if values.removeValue(forKey: key) != nil {
        order.removeAll { $0 == key }
        keyLines[key] = nil
      }
    }
  }

  /// The 1-based line where `key` was defined, nil for unknown keys and keys added in code.
  public func line(of key: String) -> Int? { keyLines[key] }

  /// Key/value pairs in source order.
  public var entries: [(key: String, value: TOMLValue)] {
    order.compactMap { key in values[key].map { (key: key, value: $0) } }
  }

  public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool {
    lhs.values == rhs.values
  }

  /// Adds a key known to be new; the parser has already rejected duplicates.
  mutating func appendNew(_ key: String, _ value: TOMLValue, line: Int) {
    order.append(key)
    values[key] = value
    keyLines[key] = line
  }

  mutating func reserveCapacity(_ capacity: Int) {
    order.reserveCapacity(capacity)
    values.reserveCapacity(capacity)
    keyLines.reserveCapacity(capacity)
  }
}
