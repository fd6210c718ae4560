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
  // Parallel arrays in source order plus one index: the parser hands over its own arrays and
  // index as they are, so finishing a table costs no hashing.
  private var names: [String] = []
  private var values: [TOMLValue] = []
  /// 0 where the line is unknown (keys added in code).
  private var lines: [Int] = []
  private var positions: [String: Int] = [:]

  /// Line of the `[a.b]` / `[[x]]` header that defined the table. Tables created by dotted keys
  /// (`a.b = 1`) or only as parents of a header get the line that first created them; the root
  /// table, inline tables and tables built in code get 0.
  public private(set) var line: Int = 0

  public init() {}

  init(names: [String], values: [TOMLValue], lines: [Int], positions: [String: Int], line: Int) {
    self.names = names
    self.values = values
    self.lines = lines
    self.positions = positions
    self.line = line
  }

  /// The keys in source order (insertion order for keys added in code).
  public var keys: [String] { names }

  public var count: Int { names.count }

  public var isEmpty: Bool { names.isEmpty }

  public subscript(key: String) -> TOMLValue? {
    get { positions[key].map { values[$0] } }
    set {
      if let newValue {
        if let position = positions[key] {
          values[position] = newValue
        } else {
          positions[key] = names.count
          names.append(key)
          values.append(newValue)
          lines.append(0)
        }
      } else if let position = positions.removeValue(forKey: key) {
        names.remove(at: position)
        values.remove(at: position)
        lines.remove(at: position)
        for later in position..<names.count { positions[names[later]] = later }
      }
    }
  }

  /// The 1-based line where `key` was defined, nil for unknown keys and keys added in code.
  public func line(of key: String) -> Int? {
    guard let position = positions[key], lines[position] > 0 else { return nil }
    return lines[position]
  }

  /// Key/value pairs in source order.
  public var entries: [(key: String, value: TOMLValue)] {
    zip(names, values).map { (key: $0, value: $1) }
  }

  public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool {
    guard lhs.names.count == rhs.names.count else { return false }
    for (name, value) in zip(lhs.names, lhs.values) where rhs[name] != value {
      return false
    }
    return true
  }
}
