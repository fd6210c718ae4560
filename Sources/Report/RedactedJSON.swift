import SalvageCore

extension JSONValue {
  /// The same tree with every string and key passed through the scan's `redactor`: the JSON and SARIF
  /// reports hold repository text (dependency specs, paths, names, subjects) in many fields, and this
  /// is the one place they all pass before they are written. The serialiser escapes controls and bidi
  /// characters itself.
  func redactingSecrets(_ redactor: Redactor) -> JSONValue {
    switch self {
    case .null, .bool, .int, .double: return self
    case let .string(s): return .string(redactor.redact(s))
    case let .array(items): return .array(items.map { $0.redactingSecrets(redactor) })
    case let .object(pairs):
      // A requirement or a value listed beside the name that says it is secret (a requirements.txt
      // line `AWS_SECRET_ACCESS_KEY=…` parsed into name and requirement).
      let name = pairs.first { $0.0 == "name" }.flatMap { if case let .string(s) = $0.1 { s } else { nil } }
      return .object(pairs.map { key, value in
        if let name, key != "name", case let .string(s) = value { return (key, .string(redactor.redact(value: s, named: name))) }
        return (redactor.redact(key), value.redactingSecrets(redactor))
      })
    }
  }
}
