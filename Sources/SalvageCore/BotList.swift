/// Who is a bot, by `rules/bots.toml`: a name or e-mail containing one of `contains`, a name or e-mail
/// listed exactly, or an e-mail starting with one of `email_prefixes` (all case-insensitive). The one
/// list every analyzer and the identity merging use, so that cadence, ownership and the people list
/// never disagree on who is a person.
public struct BotList: Sendable {
  public static let file = "bots.toml"

  let contains: [String]
  let names: Set<String>
  let emails: Set<String>
  let emailPrefixes: [String]
  /// "Name <email>" examples the rules promise to classify as bots and as people.
  public let botExamples: [String]
  public let humanExamples: [String]

  public init(contains: [String] = ["[bot]"], names: [String] = [], emails: [String] = [], emailPrefixes: [String] = [],
       botExamples: [String] = [], humanExamples: [String] = []) {
    self.contains = contains.map { $0.lowercased() }
    self.names = Set(names.map { $0.lowercased() })
    self.emails = Set(emails.map { $0.lowercased() })
    self.emailPrefixes = emailPrefixes.map { $0.lowercased() }
    self.botExamples = botExamples
    self.humanExamples = humanExamples
  }

  public init(_ rules: RuleSet) throws(RuleError) {
    let r = try RuleReader(rules, file: Self.file, required: true)
    try r.check(known: ["bots"])
    try r.check(known: ["contains", "names", "emails", "email_prefixes", "examples_bot", "examples_human"], in: "bots")
    self.init(
      contains: try r.strings("contains", section: "bots") ?? ["[bot]"],
      names: try r.strings("names", section: "bots") ?? [],
      emails: try r.strings("emails", section: "bots") ?? [],
      emailPrefixes: try r.strings("email_prefixes", section: "bots") ?? [],
      botExamples: try r.strings("examples_bot", section: "bots") ?? [],
      humanExamples: try r.strings("examples_human", section: "bots") ?? [])
  }

  public func isBot(name: String, email: String) -> Bool {
    let n = name.lowercased(), e = email.lowercased()
    if names.contains(n) || emails.contains(e) { return true }
    if emailPrefixes.contains(where: { e.hasPrefix($0) }) { return true }
    return contains.contains { n.contains($0) || e.contains($0) }
  }

  public func isBot(_ person: Person) -> Bool { isBot(name: person.name, email: person.email) }

  /// Splits an example "Name <email>".
  public static func signature(_ text: String) -> (name: String, email: String) {
    guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else { return (text, "") }
    var name = text[..<open]
    while name.last == " " { name.removeLast() }
    while name.first == " " { name.removeFirst() }
    return (String(name), String(text[text.index(after: open)..<close]))
  }

  /// The list as the report echoes it (`ownership.thresholds.bots`).
  public struct Echoed: Encodable, Sendable {
    public let contains: [String]
    public let names: [String]
    public let emails: [String]
  }
  public var echoed: Echoed { Echoed(contains: contains.sorted(), names: names.sorted(), emails: emails.sorted()) }
}
