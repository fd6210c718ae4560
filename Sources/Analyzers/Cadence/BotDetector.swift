import SalvageCore

/// Tells bots from people by their name and address, so that automated commits never pass for a
/// team's work (a project kept "alive" by dependency bumps alone is not alive).
public struct BotDetector: Sendable {
  private let patterns: [Pattern]

  public init(patterns: [String]) throws {
    self.patterns = try patterns.map(Pattern.init)
  }

  /// `author` as git prints it: `Name <email>`.
  public func isBot(_ author: String) -> Bool {
    if author.lowercased().contains("[bot]") { return true }
    return patterns.contains { $0.matches(author) }
  }

  public func isBot(_ person: Person) -> Bool { isBot("\(person.name) <\(person.email)>") }
}
