import SalvageCore

extension JSONValue {
  /// The same tree with every string and key passed through `OutputText.redact`: the JSON and SARIF
  /// reports hold repository text (dependency specs, paths, names, subjects) in many fields, and this
  /// is the one place they all pass before they are written. The serialiser escapes controls and bidi
  /// characters itself.
  func redactingSecrets() -> JSONValue {
    let seen = RedactedStrings()
    return redactingSecrets(seen)
  }

  private func redactingSecrets(_ seen: RedactedStrings) -> JSONValue {
    switch self {
    case .null, .bool, .int, .double: return self
    case let .string(s): return .string(seen.redact(s))
    case let .array(items): return .array(items.map { $0.redactingSecrets(seen) })
    case let .object(pairs):
      // A requirement or a value listed beside the name that says it is secret (a requirements.txt
      // line `AWS_SECRET_ACCESS_KEY=…` parsed into name and requirement).
      let name = pairs.first { $0.0 == "name" }.flatMap { if case let .string(s) = $0.1 { s } else { nil } }
      return .object(pairs.map { key, value in
        if let name, key != "name", case let .string(s) = value { return (key, .string(OutputText.redact(value: s, named: name))) }
        return (seen.redact(key), value.redactingSecrets(seen))
      })
    }
  }
}

/// `OutputText.redact` of each distinct string once: a large repository's JSON holds over a million
/// strings and keys, a few tens of thousands of them distinct (keys, paths and names repeat), and the
/// redaction runs the secret rules over each.
private final class RedactedStrings {
  private var done: [String: String] = [:]

  func redact(_ text: String) -> String {
    if let known = done[text] { return known }
    let redacted = OutputText.redact(text)
    done[text] = redacted
    return redacted
  }
}
