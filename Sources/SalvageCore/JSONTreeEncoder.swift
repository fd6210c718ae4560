/// Turns an analyzer's typed output into the report's `JSONValue`. Keys come out in the order the
/// type declares its properties (the order of the published report, which is what readers diff), and
/// an absent optional is written as `null` rather than left out: the schema lists every key.
/// Dictionaries have no fixed order: outputs hold arrays instead.
public enum JSONTree {
  public static func encode(_ value: some Encodable) throws -> JSONValue {
    if let json = value as? JSONValue { return json }
    let encoder = TreeEncoder()
    try value.encode(to: encoder)
    return encoder.root.resolved
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
private final class Node {
  enum Content {
    case value(JSONValue)
    case object([(String, Node)])
    case array([Node])
  }
  var content: Content

  init(_ content: Content) { self.content = content }

  var resolved: JSONValue {
    switch content {
    case let .value(v): return v
    case let .object(pairs): return .object(pairs.map { ($0.0, $0.1.resolved) })
    case let .array(items): return .array(items.map(\.resolved))
    }
  }
}

private final class TreeEncoder: Encoder {
  let codingPath: [any CodingKey] = []
  let userInfo: [CodingUserInfoKey: Any] = [:]
  let root = Node(.value(.null))

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .object = root.content {} else { root.content = .object([]) }
    return KeyedEncodingContainer(KeyedTree<Key>(node: root))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .array = root.content {} else { root.content = .array([]) }
    return UnkeyedTree(node: root)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { SingleTree(node: root) }

  /// A leaf written straight, anything else through a nested encoder.
  static func node(_ value: some Encodable) throws -> Node {
    switch value {
    case let v as JSONValue: return Node(.value(v))
    case let v as String: return Node(.value(.string(v)))
    case let v as Int: return Node(.value(.int(v)))
    case let v as Double: return Node(.value(.double(v)))
    case let v as Bool: return Node(.value(.bool(v)))
    case let v as Timestamp: return Node(.value(.string(UTC.iso(v.seconds))))
    default:
      let encoder = TreeEncoder()
      try value.encode(to: encoder)
      return encoder.root
    }
  }
}

private struct KeyedTree<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let node: Node
  var codingPath: [any CodingKey] { [] }

  private func add(_ key: Key, _ child: Node) {
    guard case var .object(pairs) = node.content else { return }
    node.content = .value(.null)  // drop the reference so the append does not copy
    pairs.append((key.stringValue, child))
    node.content = .object(pairs)
  }

  mutating func encodeNil(forKey key: Key) throws { add(key, Node(.value(.null))) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { add(key, Node(.value(.bool(value)))) }
  mutating func encode(_ value: String, forKey key: Key) throws { add(key, Node(.value(.string(value)))) }
  mutating func encode(_ value: Double, forKey key: Key) throws { add(key, Node(.value(.double(value)))) }
  mutating func encode(_ value: Int, forKey key: Key) throws { add(key, Node(.value(.int(value)))) }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { add(key, try TreeEncoder.node(value)) }

  // An absent optional is a `null`, not a missing key.
  mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { add(key, Node(.value(value.map(JSONValue.bool) ?? .null))) }
  mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { add(key, Node(.value(value.map(JSONValue.string) ?? .null))) }
  mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { add(key, Node(.value(value.map(JSONValue.double) ?? .null))) }
  mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { add(key, Node(.value(value.map(JSONValue.int) ?? .null))) }
  mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
    guard let value else { return add(key, Node(.value(.null))) }
    add(key, try TreeEncoder.node(value))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
    let child = Node(.object([]))
    add(key, child)
    return KeyedEncodingContainer(KeyedTree<NestedKey>(node: child))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let child = Node(.array([]))
    add(key, child)
    return UnkeyedTree(node: child)
  }

  mutating func superEncoder() -> any Encoder { ChildEncoder(parent: node, key: "super") }
  mutating func superEncoder(forKey key: Key) -> any Encoder { ChildEncoder(parent: node, key: key.stringValue) }
}

private struct UnkeyedTree: UnkeyedEncodingContainer {
  let node: Node
  var codingPath: [any CodingKey] { [] }
  var count: Int {
    if case let .array(items) = node.content { return items.count }
    return 0
  }

  private func add(_ child: Node) {
    guard case var .array(items) = node.content else { return }
    node.content = .value(.null)
    items.append(child)
    node.content = .array(items)
  }

  mutating func encodeNil() throws { add(Node(.value(.null))) }
  mutating func encode(_ value: Bool) throws { add(Node(.value(.bool(value)))) }
  mutating func encode(_ value: String) throws { add(Node(.value(.string(value)))) }
  mutating func encode(_ value: Double) throws { add(Node(.value(.double(value)))) }
  mutating func encode(_ value: Int) throws { add(Node(.value(.int(value)))) }
  mutating func encode<T: Encodable>(_ value: T) throws { add(try TreeEncoder.node(value)) }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
    let child = Node(.object([]))
    add(child)
    return KeyedEncodingContainer(KeyedTree<NestedKey>(node: child))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let child = Node(.array([]))
    add(child)
    return UnkeyedTree(node: child)
  }

  mutating func superEncoder() -> any Encoder {
    let child = Node(.value(.null))
    add(child)
    return NodeEncoder(node: child)
  }
}

private struct SingleTree: SingleValueEncodingContainer {
  let node: Node
  var codingPath: [any CodingKey] { [] }
  mutating func encodeNil() throws { node.content = .value(.null) }
  mutating func encode(_ value: Bool) throws { node.content = .value(.bool(value)) }
  mutating func encode(_ value: String) throws { node.content = .value(.string(value)) }
  mutating func encode(_ value: Double) throws { node.content = .value(.double(value)) }
  mutating func encode(_ value: Int) throws { node.content = .value(.int(value)) }
  mutating func encode<T: Encodable>(_ value: T) throws { node.content = try TreeEncoder.node(value).content }
}

/// An encoder writing into a node that already has its place in the tree.
private final class NodeEncoder: Encoder {
  let codingPath: [any CodingKey] = []
  let userInfo: [CodingUserInfoKey: Any] = [:]
  let node: Node
  init(node: Node) { self.node = node }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .object = node.content {} else { node.content = .object([]) }
    return KeyedEncodingContainer(KeyedTree<Key>(node: node))
  }
  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .array = node.content {} else { node.content = .array([]) }
    return UnkeyedTree(node: node)
  }
  func singleValueContainer() -> any SingleValueEncodingContainer { SingleTree(node: node) }
}

private func ChildEncoder(parent: Node, key: String) -> any Encoder {
  let child = Node(.value(.null))
  if case var .object(pairs) = parent.content {
    parent.content = .value(.null)
    pairs.append((key, child))
    parent.content = .object(pairs)
  }
  return NodeEncoder(node: child)
}
