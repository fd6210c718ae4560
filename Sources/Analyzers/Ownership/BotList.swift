import SalvageCore

/// Who is a bot, by the `[bots]` table of `rules/ownership.toml`: a name or e-mail containing one of
/// `contains`, or a name or e-mail listed exactly (case-insensitive).
struct BotList: Sendable {
  let contains: [String]
  let names: Set<String>
  let emails: Set<String>
  /// "Name <email>" examples the rules promise to classify as bots and as people.
  let botExamples: [String]
  let humanExamples: [String]

  init(contains: [String] = ["[bot]"], names: [String] = [], emails: [String] = [], botExamples: [String] = [], humanExamples: [String] = []) {
    self.contains = contains.map { $0.lowercased() }
    self.names = Set(names.map { $0.lowercased() })
    self.emails = Set(emails.map { $0.lowercased() })
    self.botExamples = botExamples
    self.humanExamples = humanExamples
  }

  func isBot(name: String, email: String) -> Bool {
    let n = name.lowercased(), e = email.lowercased()
    if names.contains(n) || emails.contains(e) { return true }
    return contains.contains { n.contains($0) || e.contains($0) }
  }

  func isBot(_ person: Person) -> Bool { isBot(name: person.name, email: person.email) }

  /// Splits an example "Name <email>".
  static func signature(_ text: String) -> (name: String, email: String) {
    guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else { return (text, "") }
    var name = text[..<open]
    while name.last == " " { name.removeLast() }
    while name.first == " " { name.removeFirst() }
    return (String(name), String(text[text.index(after: open)..<close]))
  }
}
