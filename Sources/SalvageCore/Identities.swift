import Foundation

/// One person known under several identities (name and address pairs, after `.mailmap`), merged into
/// the first: what the report lists under `ownership.identities`, so the client can check each merge
/// and correct it with a `.mailmap`.
public struct IdentityMerge: Sendable, Equatable {
  public enum Reason: String, Sendable, CaseIterable {
    /// Two GitHub noreply addresses of one login (`12345+login@users.noreply.github.com`, `login@…`).
    case githubLogin = "same GitHub login"
    /// A GitHub noreply address and an address under the same name: the login's owner.
    case githubNoreplyName = "GitHub noreply address under the same name"
    /// The same name and the same local part at another domain (`ann.lee@old.com`, `ann.lee@new.com`).
    case nameAndLocalPart = "same name and address local part"
    /// The same full name, one address taking over from the other (their active periods do not
    /// overlap by more than a month): a new job, a new address. A namesake committing beside them is
    /// not merged.
    case nameSuccession = "same full name, one address after the other"
  }

  /// The person the identities were merged into.
  public let person: PersonID
  /// The other identities, each with why it was merged.
  public let aliases: [(person: Person, reason: Reason)]

  public static func == (a: IdentityMerge, b: IdentityMerge) -> Bool {
    a.person == b.person && a.aliases.map(\.person) == b.aliases.map(\.person) && a.aliases.map(\.reason) == b.aliases.map(\.reason)
  }
}

/// Merges the identities one person committed under, as careful tools do, and only where the evidence
/// is specific: GitHub noreply logins, the same name with the same local part, or the same full name
/// with one address succeeding the other. Addresses equal but for case are one identity already.
/// Bots (`rules/bots.toml`) and one-word names never merge by name.
struct IdentityResolver {
  struct Identity {
    let name: String
    let email: String
    var first: Int64
    var last: Int64
  }

  /// Activity may overlap this long when one address takes over from another.
  static let handover: Int64 = 31 * 86400

  /// Local parts too common to say anything about who is behind them.
  static let genericLocalParts: Set<String> = [
    "admin", "root", "dev", "developer", "info", "mail", "contact", "hello", "support", "team", "git", "github", "gitlab",
    "noreply", "no-reply", "build", "ci", "bot", "user", "test", "me", "office", "code", "work", "hi", "web", "www",
  ]

  /// Group index per identity (identities in the order given); the first of each group is its
  /// representative.
  static func groups(_ identities: [Identity], bots: BotList = BotList()) -> (group: [Int], reasons: [Int: IdentityMerge.Reason]) {
    var parent = Array(identities.indices)
    func find(_ i: Int) -> Int {
      var i = i
      while parent[i] != i {
        parent[i] = parent[parent[i]]
        i = parent[i]
      }
      return i
    }
    var reasons: [Int: IdentityMerge.Reason] = [:]
    func union(_ a: Int, _ b: Int, _ reason: IdentityMerge.Reason) {
      let ra = find(a), rb = find(b)
      guard ra != rb else { return }
      // The earlier identity (newer commit: walk order is newest first) stays the representative.
      let (keep, merged) = ra < rb ? (ra, rb) : (rb, ra)
      parent[merged] = keep
      reasons[merged] = reasons[merged] ?? reason
    }
    /// The active period of each group among `members`, by the group's representative.
    func spans(of members: [Int]) -> [Int: (first: Int64, last: Int64)] {
      var out: [Int: (first: Int64, last: Int64)] = [:]
      for m in members {
        let r = find(m), id = identities[m]
        out[r] = out[r].map { (min($0.first, id.first), max($0.last, id.last)) } ?? (id.first, id.last)
      }
      return out
    }
    let keys = identities.map { Key($0, isBot: bots.isBot(name: $0.name, email: $0.email)) }
    var byLogin: [String: Int] = [:]
    var byNameLocal: [String: Int] = [:]
    var byName: [String: [Int]] = [:]
    for (i, key) in keys.enumerated() where !key.isBot {
      if let login = key.githubLogin {
        // `ID+login` and bare `login` addresses of one account; two different IDs are two accounts
        // (a login renamed and taken again), whatever the login.
        if let other = byLogin[login], keys[other].githubID == nil || key.githubID == nil || keys[other].githubID == key.githubID {
          union(other, i, .githubLogin)
        } else if byLogin[login] == nil {
          byLogin[login] = i
        }
      }
      if !key.name.isEmpty, let local = key.localPart {
        let k = key.name + "\u{0}" + local
        if let other = byNameLocal[k] { union(other, i, .nameAndLocalPart) } else { byNameLocal[k] = i }
      }
      if !key.name.isEmpty { byName[key.name, default: []].append(i) }
    }
    for (_, members) in byName.sorted(by: { $0.key < $1.key }) where members.count > 1 {
      let noreply = members.filter { keys[$0].githubLogin != nil }
      let addressed = members.filter { keys[$0].githubLogin == nil }
      if keys[members[0]].name.contains(" "), addressed.count > 1 {
        // Full names: merge groups whose activity succeeds one another, never two that work side by side.
        let ordered = spans(of: addressed).sorted { $0.value.first != $1.value.first ? $0.value.first < $1.value.first : $0.key < $1.key }
        var current = ordered[0]
        for next in ordered.dropFirst() {
          if next.value.first >= current.value.last - handover, next.value.last >= current.value.last {
            union(current.key, next.key, .nameSuccession)
            current = (find(current.key), (min(current.value.first, next.value.first), max(current.value.last, next.value.last)))
          } else if next.value.last > current.value.last {
            // Side by side: two people. The one still active later is compared with what follows.
            current = next
          }
        }
      }
      // A noreply identity joins the one person under its name who was active when it was used (within
      // a month); with none or several, it is left alone.
      let people = spans(of: addressed)
      for n in noreply where keys[n].name.contains(" ") || keys[n].name == keys[n].githubLogin {
        let used = identities[n]
        let active = people.filter { used.first >= $0.value.first - handover && used.last <= $0.value.last + handover }
        if active.count == 1 { union(active.first!.key, n, .githubNoreplyName) }
      }
    }
    return (identities.indices.map(find), reasons)
  }

  /// What an identity is compared by.
  struct Key {
    let name: String
    let localPart: String?
    let githubLogin: String?
    /// The account's number in `12345+login@users.noreply.github.com`.
    let githubID: String?
    let isBot: Bool

    init(_ identity: Identity, isBot: Bool) {
      let email = identity.email.lowercased()
      self.isBot = isBot
      name = Self.normalise(identity.name)
      let at = email.lastIndex(of: "@")
      let local = at.map { String(email[..<$0]) } ?? ""
      let domain = at.map { String(email[email.index(after: $0)...]) } ?? ""
      if domain == "users.noreply.github.com" {
        let parts = local.split(separator: "+", maxSplits: 1).map(String.init)
        let login = parts.last ?? local
        githubLogin = login.isEmpty ? nil : login
        githubID = parts.count == 2 ? parts[0] : nil
        localPart = nil
      } else {
        githubLogin = nil
        githubID = nil
        localPart = local.count >= 3 && !IdentityResolver.genericLocalParts.contains(local) ? local : nil
      }
    }

    /// Lower case, accents folded, punctuation dropped, words separated by one space: "José  O'Neil"
    /// and "jose oneil" are one name.
    static func normalise(_ name: String) -> String {
      let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
      var words: [String] = []
      var word = ""
      for scalar in folded.unicodeScalars {
        if CharacterSet.letters.contains(scalar) || CharacterSet.decimalDigits.contains(scalar) {
          word.unicodeScalars.append(scalar)
        } else if scalar == "'" || scalar == "’" {
          continue  // O'Neil, O’Neil, ONeil
        } else if CharacterSet.whitespaces.contains(scalar) || scalar == "-" || scalar == "_" || scalar == "." {
          if !word.isEmpty { words.append(word); word = "" }
        }
      }
      if !word.isEmpty { words.append(word) }
      return words.joined(separator: " ")
    }
  }
}

/// The `.mailmap` that states the merges Salvage made, for the client to check, correct and commit: a
/// line per alias, `Proper Name <proper@address> Alias Name <alias@address>` (git's format), so a scan
/// with merging off (`--no-merge-identities`) gives the same people.
public enum Mailmap {
  public static func suggestion(_ merges: [IdentityMerge], people: [Person]) -> String {
    var out = ""
    for merge in merges {
      let person = people[Int(merge.person)]
      for alias in merge.aliases {
        out += "\(entry(person)) \(entry(alias.person))\n"
      }
    }
    return out
  }

  private static func entry(_ person: Person) -> String {
    // Angle brackets and line breaks cannot stand in a mailmap name or address: dropped.
    let clean: (String) -> String = { $0.filter { !"<>\n\r".contains($0) } }
    return "\(clean(person.name)) <\(clean(person.email))>"
  }
}
