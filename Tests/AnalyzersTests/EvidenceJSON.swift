import SalvageCore

extension Finding {
  /// The evidence as the JSON report writes it (`analyzers`' findings are checked against the published
  /// keys, as a reader of the report sees them).
  var evidenceJSON: JSONValue { try! JSONTree.encode(evidence) }
}
