/// How people are named in the report's sentences and lists. Two different people can share a name
/// (usememos/memos has two "Johnny"s, whom identity merging rightly keeps apart): where a name stands
/// for more than one person, each is shown with what tells them apart, the domain of their address,
/// or, when that is the same too, its local part: "Johnny (example.com)", "Johnny (jd@…)". Names are
/// repository text like the rest: they reach an output only through `OutputText`.
public struct PersonNames: Sendable {
  private let shown: [String]

  /// Everyone of a history (`History.people`): a name two of them share is told apart wherever it
  /// appears, so one person is named the same way in every list.
  public init(_ people: [Person]) { shown = Self.distinct(people.map { ($0.name, $0.email) }) }

  public subscript(_ person: Int32) -> String { shown[Int(person)] }
  public subscript(_ person: Int) -> String { shown[person] }

  /// The names of `people`, one each, in order; those shared by people of different addresses with
  /// their domain, or local part, or whole address, whichever first tells all of them apart.
  public static func distinct(_ people: [(name: String, email: String)]) -> [String] {
    var byName: [String: [Int]] = [:]
    for (i, p) in people.enumerated() { byName[p.name, default: []].append(i) }
    var out = people.map(\.name)
    for indices in byName.values where indices.count > 1 {
      let emails = indices.map { people[$0].email.lowercased() }
      // The same person listed twice is not two people.
      guard Set(emails).count > 1 else { continue }
      let at = emails.map { $0.lastIndex(of: "@") }
      let domains = zip(emails, at).map { email, at in at.map { String(email[email.index(after: $0)...]) } ?? "" }
      let locals = zip(emails, at).map { email, at in at.map { String(email[..<$0]) + "@…" } ?? email }
      let marks = [domains, locals].first { Set($0).count == emails.count && !$0.contains("") } ?? emails
      for (k, i) in indices.enumerated() { out[i] = people[i].name + " (" + marks[k] + ")" }
    }
    return out
  }
}
