/// Counts by name, written as one JSON object with its keys in a fixed order (a `[String: Int]` has
/// none): every case of an enum in the order given (commit kinds, severities, secret contexts), or
/// names sorted (rule ids). Read back by the enum case, never by a string.
public struct NamedCounts: Encodable, Sendable, Equatable {
  public let entries: [(name: String, count: Int)]

  /// Every case of `cases`, in that order, with its count (0 included).
  public init<Key: RawRepresentable>(_ cases: [Key], count: (Key) -> Int) where Key.RawValue == String {
    entries = cases.map { ($0.rawValue, count($0)) }
  }

  /// Names in `String` order (rule ids).
  public init(sorting counts: [String: Int]) {
    entries = counts.keys.sorted().map { ($0, counts[$0]!) }
  }

  public subscript<Key: RawRepresentable>(_ key: Key) -> Int where Key.RawValue == String { self[name: key.rawValue] }

  /// A name that is data (a rule id), not a case of an enum.
  public subscript(name name: String) -> Int { entries.first { $0.name == name }?.count ?? 0 }

  public static func == (a: NamedCounts, b: NamedCounts) -> Bool {
    a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.name == $1.name && $0.count == $1.count }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: FieldName.self)
    for (name, count) in entries { try c.encode(count, forKey: FieldName(name)) }
  }
}

/// A JSON key made at run time: for an output whose key names a rule's value (cadence's
/// `commitsInLast90Days`) or a name that is data.
public struct FieldName: CodingKey {
  public let stringValue: String
  public init(_ name: String) { stringValue = name }
  public init(stringValue: String) { self.stringValue = stringValue }
  public var intValue: Int? { nil }
  public init?(intValue: Int) { nil }
}
