/// Turns an analyzer's typed output into the report's `JSONValue`. Keys come out in the order the
/// type declares its properties (the order of the published report, which is what readers diff), and
/// an absent optional is written as `null` rather than left out: the schema lists every key.
/// Dictionaries have no fixed order: outputs hold arrays instead.
public enum JSONTree {
  public static func encode(_ value: some Encodable) throws -> JSONValue {
    if let json = value as? JSONValue { return json }
    return try TreeEncoder.child(value).resolved
  }
}

extension JSONValue: Encodable {
  /// Through any encoder: objects keep their order only with `JSONTree`, which takes the value whole.
  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .null:
      var c = encoder.singleValueContainer()
      try c.encodeNil()
    case let .bool(b):
      var c = encoder.singleValueContainer()
      try c.encode(b)
    case let .int(i):
      var c = encoder.singleValueContainer()
      try c.encode(i)
    case let .double(d):
      var c = encoder.singleValueContainer()
      try c.encode(d)
    case let .string(s):
      var c = encoder.singleValueContainer()
      try c.encode(s)
    case let .array(items):
      var c = encoder.unkeyedContainer()
      for item in items { try c.encode(item) }
    case let .object(pairs):
      var c = encoder.container(keyedBy: NameKey.self)
      for (key, value) in pairs { try c.encode(value, forKey: NameKey(stringValue: key)) }
    }
  }
}

private struct NameKey: CodingKey {
  let stringValue: String
  init(stringValue: String) { self.stringValue = stringValue }
  var intValue: Int? { nil }
  init?(intValue: Int) { nil }
}

/// A value under construction: containers are filled after they are handed out, so they are references.
/// Leaves are kept as values (no object per number or string: a report has millions).
private final class Node {
  enum Kind { case leaf, object, array }
  var kind: Kind = .leaf
  var leaf: JSONValue = .null
  var pairs: [(String, Child)] = []
  var items: [Child] = []

  var resolved: JSONValue {
    switch kind {
    case .leaf: return leaf
    case .object: return .object(pairs.map { ($0.0, $0.1.resolved) })
    case .array: return .array(items.map(\.resolved))
    }
  }

  func becomeObject() { if kind != .object { kind = .object; pairs = [] } }
  func becomeArray() { if kind != .array { kind = .array; items = [] } }
}

private enum Child {
  case value(JSONValue)
  case node(Node)

  var resolved: JSONValue {
    switch self {
    case let .value(v): return v
    case let .node(n): return n.resolved
    }
  }
}

private final class TreeEncoder: Encoder {
  let codingPath: [any CodingKey] = []
  let userInfo: [CodingUserInfoKey: Any] = [:]
  let root: Node

  init(root: Node = Node()) { self.root = root }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    root.becomeObject()
    return KeyedEncodingContainer(KeyedTree<Key>(node: root))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    root.becomeArray()
    return UnkeyedTree(node: root)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { SingleTree(node: root) }

  /// A leaf written straight (told apart by its type, not by casts), anything else through a nested encoder.
  static func child<T: Encodable>(_ value: T) throws -> Child {
    if T.self == String.self { return .value(.string(value as! String)) }
    if T.self == Int.self { return .value(.int(value as! Int)) }
    if T.self == Double.self { return .value(.double(value as! Double)) }
    if T.self == Bool.self { return .value(.bool(value as! Bool)) }
    if T.self == Timestamp.self { return .value(.string(UTC.iso((value as! Timestamp).seconds))) }
    if T.self == JSONValue.self { return .value(value as! JSONValue) }
    let encoder = TreeEncoder()
    try value.encode(to: encoder)
    let node = encoder.root
    return node.kind == .leaf ? .value(node.leaf) : .node(node)
  }
}

private struct KeyedTree<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let node: Node
  var codingPath: [any CodingKey] { [] }

  private func add(_ key: Key, _ child: Child) { node.pairs.append((key.stringValue, child)) }

  mutating func encodeNil(forKey key: Key) throws { add(key, .value(.null)) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { add(key, .value(.bool(value))) }
  mutating func encode(_ value: String, forKey key: Key) throws { add(key, .value(.string(value))) }
  mutating func encode(_ value: Double, forKey key: Key) throws { add(key, .value(.double(value))) }
  mutating func encode(_ value: Int, forKey key: Key) throws { add(key, .value(.int(value))) }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { add(key, try TreeEncoder.child(value)) }

  // An absent optional is a `null`, not a missing key.
  mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { add(key, .value(value.map(JSONValue.bool) ?? .null)) }
  mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { add(key, .value(value.map(JSONValue.string) ?? .null)) }
  mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { add(key, .value(value.map(JSONValue.double) ?? .null)) }
  mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { add(key, .value(value.map(JSONValue.int) ?? .null)) }
  mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
    guard let value else { return add(key, .value(.null)) }
    add(key, try TreeEncoder.child(value))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
    let child = Node()
    child.becomeObject()
    add(key, .node(child))
    return KeyedEncodingContainer(KeyedTree<NestedKey>(node: child))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let child = Node()
    child.becomeArray()
    add(key, .node(child))
    return UnkeyedTree(node: child)
  }

  mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
  mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

  private func superEncoder(named name: String) -> any Encoder {
    let child = Node()
    node.pairs.append((name, .node(child)))
    return TreeEncoder(root: child)
  }
}

private struct UnkeyedTree: UnkeyedEncodingContainer {
  let node: Node
  var codingPath: [any CodingKey] { [] }
  var count: Int { node.items.count }

  private func add(_ child: Child) { node.items.append(child) }

  mutating func encodeNil() throws { add(.value(.null)) }
  mutating func encode(_ value: Bool) throws { add(.value(.bool(value))) }
  mutating func encode(_ value: String) throws { add(.value(.string(value))) }
  mutating func encode(_ value: Double) throws { add(.value(.double(value))) }
  mutating func encode(_ value: Int) throws { add(.value(.int(value))) }
  mutating func encode<T: Encodable>(_ value: T) throws { add(try TreeEncoder.child(value)) }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
    let child = Node()
    child.becomeObject()
    add(.node(child))
    return KeyedEncodingContainer(KeyedTree<NestedKey>(node: child))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let child = Node()
    child.becomeArray()
    add(.node(child))
    return UnkeyedTree(node: child)
  }

  mutating func superEncoder() -> any Encoder {
    let child = Node()
    add(.node(child))
    return TreeEncoder(root: child)
  }
}

private struct SingleTree: SingleValueEncodingContainer {
  let node: Node
  var codingPath: [any CodingKey] { [] }

  private func set(_ value: JSONValue) {
    node.kind = .leaf
    node.leaf = value
  }

  mutating func encodeNil() throws { set(.null) }
  mutating func encode(_ value: Bool) throws { set(.bool(value)) }
  mutating func encode(_ value: String) throws { set(.string(value)) }
  mutating func encode(_ value: Double) throws { set(.double(value)) }
  mutating func encode(_ value: Int) throws { set(.int(value)) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    switch try TreeEncoder.child(value) {
    case let .value(v): set(v)
    case let .node(n):
      node.kind = n.kind
      node.leaf = n.leaf
      node.pairs = n.pairs
      node.items = n.items
    }
  }
}
