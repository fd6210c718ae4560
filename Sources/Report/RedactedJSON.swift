import SalvageCore

extension JSONValue {
  /// The same tree with every string and key passed through `OutputText.redact`: the JSON and SARIF
  /// reports hold repository text (dependency specs, paths, names, subjects) in many fields, and this
  /// is the one place they all pass before they are written. The serialiser escapes controls and bidi
  /// characters itself.
  func redactingSecrets() -> JSONValue {
    switch self {
    case .null, .bool, .int, .double: return self
    case let .string(s): return .string(OutputText.redact(s))
    case let .array(items): return .array(items.map { $0.redactingSecrets() })
    case let .object(pairs): return .object(pairs.map { (OutputText.redact($0.0), $0.1.redactingSecrets()) })
    }
  }
}
