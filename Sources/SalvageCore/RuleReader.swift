import TOML

/// The one strict reader of rule files: every value is checked for its type and range when the rules
/// are compiled, before any git work, and an error names the file, the line and the key. Numbers have
/// an upper bound too, so that a huge value (`window_days = 9223372036854775807`) is a rules error
/// rather than an overflow later.
public struct RuleReader: Sendable {
  public let file: String
  public let table: TOMLTable
  /// Where errors point when neither the key nor the table has a line (an inline table of a list).
  var fallbackLine: Int?

  /// The largest integer a rule may hold unless it says otherwise: days times 86,400 seconds, lines
  /// and counts all stay far from overflow below it.
  public static let intCeiling = 1_000_000_000

  public init(file: String, table: TOMLTable) {
    self.file = file
    self.table = table
  }

  /// Reads `file` of `rules`; a missing file is an error when `required`, else an empty table.
  public init(_ rules: RuleSet, file: String, required: Bool = false) throws(RuleError) {
    guard let table = rules.table(file) else {
      if required { throw RuleError(file: file, message: "missing") }
      self.init(file: file, table: TOMLTable())
      return
    }
    self.init(file: file, table: table)
  }

  public func error(_ section: String?, _ key: String, _ message: String, line: Int? = nil) -> RuleError {
    // Without a line of its own, the section's, else the table's (an entry of a list of tables).
    RuleError(file: file, line: line ?? section.flatMap { table.line(of: $0) } ?? (table.line > 0 ? table.line : fallbackLine),
              message: "`\(Self.name(section, key))` \(message)")
  }

  static func name(_ section: String?, _ key: String) -> String { section.map { $0 + "." + key } ?? key }

  /// The value and its line; nil when the key is absent.
  public func value(_ section: String?, _ key: String) throws(RuleError) -> (value: TOMLValue, line: Int?)? {
    guard let section else { return table[key].map { ($0, table.line(of: key)) } }
    guard let sub = table[section] else { return nil }
    guard let subTable = sub.table else { throw RuleError(file: file, line: table.line(of: section), message: "`\(section)` must be a table") }
    return subTable[key].map { ($0, subTable.line(of: key) ?? table.line(of: section)) }
  }

  private func required(_ section: String?, _ key: String) throws(RuleError) -> (value: TOMLValue, line: Int?) {
    guard let found = try value(section, key) else { throw error(section, key, "is missing") }
    return found
  }

  // MARK: With a default

  public func int(_ section: String?, _ key: String, _ fallback: Int, min: Int, max: Int = intCeiling) throws(RuleError) -> Int {
    guard let found = try value(section, key) else { return fallback }
    return try int(found, section, key, min: min, max: max)
  }

  public func double(_ section: String?, _ key: String, _ fallback: Double, range: ClosedRange<Double> = 0...1) throws(RuleError) -> Double {
    guard let found = try value(section, key) else { return fallback }
    return try double(found, section, key, range: range)
  }

  public func strings(_ key: String, section: String? = nil) throws(RuleError) -> [String]? {
    guard let found = try value(section, key) else { return nil }
    return try strings(found, section, key)
  }

  // MARK: Required

  public func int(_ section: String?, _ key: String, min: Int, max: Int = intCeiling) throws(RuleError) -> Int {
    try int(try required(section, key), section, key, min: min, max: max)
  }

  public func double(_ section: String?, _ key: String, range: ClosedRange<Double>) throws(RuleError) -> Double {
    try double(try required(section, key), section, key, range: range)
  }

  public func string(_ section: String?, _ key: String) throws(RuleError) -> String {
    let found = try required(section, key)
    guard let s = found.value.string else { throw error(section, key, "must be a string", line: found.line) }
    return s
  }

  public func strings(_ section: String?, _ key: String) throws(RuleError) -> [String] {
    try strings(try required(section, key), section, key)
  }

  /// A list of tables (`[[key]]`), each read by a reader of its own (its keys' lines are its own).
  public func tables(_ key: String) throws(RuleError) -> [RuleReader] {
    guard let found = try value(nil, key) else { return [] }
    guard let list = found.value.array, list.allSatisfy({ $0.table != nil }) else {
      throw error(nil, key, "must be a list of tables ([[\(key)]])", line: found.line)
    }
    return list.compactMap(\.table).map { item in
      var reader = RuleReader(file: file, table: item)
      reader.fallbackLine = found.line
      return reader
    }
  }

  /// An optional string.
  public func string(_ section: String?, _ key: String, _ fallback: String) throws(RuleError) -> String {
    guard let found = try value(section, key) else { return fallback }
    guard let s = found.value.string else { throw error(section, key, "must be a string", line: found.line) }
    return s
  }

  public func table(_ section: String?, _ key: String) throws(RuleError) -> TOMLTable {
    let found = try required(section, key)
    guard let t = found.value.table else { throw error(section, key, "must be a table", line: found.line) }
    return t
  }

  // MARK: Checks

  private func int(_ found: (value: TOMLValue, line: Int?), _ section: String?, _ key: String, min: Int, max: Int) throws(RuleError) -> Int {
    guard let n = found.value.int, n >= min, n <= max else {
      throw error(section, key, "must be an integer from \(min) to \(max)", line: found.line)
    }
    return n
  }

  private func double(_ found: (value: TOMLValue, line: Int?), _ section: String?, _ key: String, range: ClosedRange<Double>) throws(RuleError) -> Double {
    guard let d = found.value.double, d.isFinite, range.contains(d) else {
      throw error(section, key, "must be a number in \(range.lowerBound)...\(range.upperBound)", line: found.line)
    }
    return d
  }

  private func strings(_ found: (value: TOMLValue, line: Int?), _ section: String?, _ key: String) throws(RuleError) -> [String] {
    guard let list = found.value.stringArray else { throw error(section, key, "must be a list of strings", line: found.line) }
    return list
  }
}
