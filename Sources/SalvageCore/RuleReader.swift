import TOML

/// The one strict reader of rule files: every value is checked for its type and range when the rules
/// are compiled, before any git work, and an error names the file, the line and the key. Numbers have
/// an upper bound too, so that a huge value (`window_days = 9223372036854775807`) is a rules error
/// rather than an overflow later. Every table states the keys it may hold (`check(known:)`), so that a
/// misspelt key is an error too rather than a silent default.
///
/// Two ways in: by `[section]` and key of the file's top level (`int("score", "window_days", 0, min: 0)`),
/// or by a nested table and key (`string(entry, "id")`) for entries of `[[lists]]` and deeper tables.
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

  // MARK: Keys

  /// Every key of the top level, or of `[section]`, is one the rules read: a misspelt key is an error
  /// naming the file, its line and the key, not a silent default.
  public func check(known: [String], in section: String? = nil) throws(RuleError) {
    guard let section else { return try check(table, known: known) }
    guard let value = table[section] else { return }
    guard let sub = value.table else { throw error(nil, section, "must be a table") }
    if let key = sub.keys.first(where: { !known.contains($0) }) {
      throw error(section, key, "is not a key of [\(section)] (known: \(known.joined(separator: ", ")))", line: sub.line(of: key))
    }
  }

  /// The same for a nested table (an entry of a `[[list]]`).
  public func check(_ t: TOMLTable, known: [String]) throws(RuleError) {
    if let key = t.keys.first(where: { !known.contains($0) }) {
      throw error(t, key, "is not a key of this table (known: \(known.joined(separator: ", ")))")
    }
  }

  // MARK: Nested tables

  public func error(_ t: TOMLTable, _ key: String, _ message: String, line: Int? = nil) -> RuleError {
    RuleError(file: file, line: line ?? t.line(of: key) ?? (t.line > 0 ? t.line : fallbackLine), message: "`\(key)` \(message)")
  }

  /// The entries of `[[key]]` of `t`; with `required`, at least one.
  public func tables(_ t: TOMLTable, _ key: String, required: Bool = false) throws(RuleError) -> [TOMLTable] {
    guard let value = t[key] else {
      if required { throw RuleError(file: file, message: "`\(key)` is missing: at least one [[\(key)]] table") }
      return []
    }
    guard let list = value.array, list.allSatisfy({ $0.table != nil }) else { throw error(t, key, "must be a list of tables ([[\(key)]])") }
    if required && list.isEmpty { throw error(t, key, "must hold at least one table") }
    return list.compactMap(\.table)
  }

  public func optionalTable(_ t: TOMLTable, _ key: String) throws(RuleError) -> TOMLTable? {
    guard let value = t[key] else { return nil }
    guard let table = value.table else { throw error(t, key, "must be a table") }
    return table
  }

  public func optionalString(_ t: TOMLTable, _ key: String) throws(RuleError) -> String? {
    guard let value = t[key] else { return nil }
    guard let s = value.string else { throw error(t, key, "must be a string") }
    return s
  }

  public func string(_ t: TOMLTable, _ key: String, default fallback: String? = nil) throws(RuleError) -> String {
    guard let s = try optionalString(t, key) ?? fallback else { throw error(t, key, "is missing", line: t.line) }
    return s
  }

  public func strings(_ t: TOMLTable, _ key: String, default fallback: [String] = []) throws(RuleError) -> [String] {
    guard let value = t[key] else { return fallback }
    guard let list = value.stringArray else { throw error(t, key, "must be a list of strings") }
    return list
  }

  public func bool(_ t: TOMLTable, _ key: String, default fallback: Bool) throws(RuleError) -> Bool {
    guard let value = t[key] else { return fallback }
    guard let b = value.bool else { throw error(t, key, "must be true or false") }
    return b
  }

  public func optionalNumber(_ t: TOMLTable, _ key: String, in range: ClosedRange<Double>) throws(RuleError) -> Double? {
    guard let value = t[key] else { return nil }
    guard let d = value.double, d.isFinite, range.contains(d) else {
      throw error(t, key, "must be a number from \(Figures.plain(range.lowerBound)) to \(Figures.plain(range.upperBound))")
    }
    return d
  }

  public func number(_ t: TOMLTable, _ key: String, in range: ClosedRange<Double>, default fallback: Double? = nil) throws(RuleError) -> Double {
    guard let d = try optionalNumber(t, key, in: range) ?? fallback else { throw error(t, key, "is missing", line: t.line) }
    return d
  }

  public func int(_ t: TOMLTable, _ key: String, in range: ClosedRange<Int>, default fallback: Int) throws(RuleError) -> Int {
    guard let value = t[key] else { return fallback }
    guard let n = value.int, range.contains(n) else { throw error(t, key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)") }
    return n
  }

  public func numbers(_ t: TOMLTable, _ key: String, in range: ClosedRange<Double>) throws(RuleError) -> [Double] {
    guard let value = t[key] else { return [] }
    guard let list = value.array?.compactMap(\.double), list.count == value.array?.count, list.allSatisfy({ $0.isFinite && range.contains($0) }) else {
      throw error(t, key, "must be a list of numbers from \(Figures.plain(range.lowerBound)) to \(Figures.plain(range.upperBound))")
    }
    return list
  }

  /// `[[a, b], …]` with every `b` in `second`.
  public func pairs(_ t: TOMLTable, _ key: String, second: ClosedRange<Double>, required: Bool = true) throws(RuleError) -> [(Double, Double)] {
    guard let value = t[key] else {
      if required { throw error(t, key, "is missing", line: t.line) }
      return []
    }
    var out: [(Double, Double)] = []
    for item in value.array ?? [] {
      guard let pair = item.array, pair.count == 2, let a = pair[0].double, let b = pair[1].double, a.isFinite, second.contains(b) else {
        throw error(t, key, "must hold [value, score] pairs, each score from \(Figures.plain(second.lowerBound)) to \(Figures.plain(second.upperBound))")
      }
      out.append((a, b))
    }
    if value.array == nil { throw error(t, key, "must be a list of [value, score] pairs") }
    return out
  }

  /// A name one of `T`'s cases has.
  public func optionalChoice<T: RawRepresentable & CaseIterable>(_ t: TOMLTable, _ key: String, _ type: T.Type) throws(RuleError) -> T?
  where T.RawValue == String {
    guard let name = try optionalString(t, key) else { return nil }
    guard let choice = T(rawValue: name) else {
      throw error(t, key, "is '\(name)', none of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return choice
  }

  public func choice<T: RawRepresentable & CaseIterable>(_ t: TOMLTable, _ key: String, _ type: T.Type) throws(RuleError) -> T where T.RawValue == String {
    guard let choice = try optionalChoice(t, key, type) else { throw error(t, key, "is missing", line: t.line) }
    return choice
  }
}
