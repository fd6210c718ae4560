import GlobEngine
import SalvageCore
import TOML

/// `rules/licences.toml`, compiled: the licences the analyzer knows (texts, notices, names, aliases),
/// the kinds and the risks they raise, and where licence statements are looked for.
public struct LicenceRules: Sendable {
  public struct Licence: Sendable {
    public let id: String
    public let name: String
    public let kind: String
    public let orLater: Bool
    public let phrases: [String]
    public let notices: [String]
    public let names: [String]
    public let compatibleWith: [String]
  }

  public struct Kind: Sendable {
    public let rank: Int
    public let risk: String?
    public let serviceRisk: String?
  }

  /// A licence as stated: which licence, and whether it is the "or later" variant (GNU licences).
  public struct Stated: Sendable, Hashable {
    public let licence: Int
    public let orLater: Bool
  }

  /// Licences that cannot be combined in one distributed work (`[[incompatible]]`).
  public struct Incompatibility: Sendable {
    /// A licence and the variants it covers: nil for every variant.
    struct Variant: Sendable {
      let licence: Int
      let orLater: Bool?
      func covers(_ s: Stated) -> Bool { s.licence == licence && (orLater == nil || orLater == s.orLater) }
    }
    let licences: [Variant]
    let with: [Variant]
    public let why: String
  }

  public struct Risk: Sendable {
    public let severity: Severity
    public let title: String
    public let explanation: String
  }

  public let headerLines: Int
  public let headerBytes: Int
  public let minConfidence: Double
  public let noticeConfidence: Double
  public let nameConfidence: Double
  public let orLaterPhrase: String
  public let licenceFiles: [String]
  public let licenceExtensions: Set<String>
  public let readmeFiles: [String]
  public let serviceMarkers: [Glob]
  public let servicePackages: Set<String>
  /// The one bot detector (`rules/bots.toml`): bots are no committers whose consent a relicensing needs.
  public let bots: BotList
  public let listLimit: Int
  public let licences: [Licence]
  public let kinds: [String: Kind]
  public let risks: [String: Risk]
  public let incompatible: [Incompatibility]
  /// Lower-cased ids and aliases to their licence's index.
  let byAlias: [String: Int]

  static let file = "licences.toml"

  public init(_ rules: RuleSet) throws(RuleError) {
    let reader = try RuleReader(rules, file: Self.file, required: true)
    let table = reader.table
    // `examples` and `incompatible_examples` are run by the suite.
    try reader.check(known: ["scan", "kind", "risk", "licence", "incompatible", "incompatible_examples", "examples"])
    try reader.check(known: ["header_lines", "header_bytes", "min_confidence", "notice_confidence", "name_confidence", "or_later_phrase",
                             "licence_files", "licence_extensions", "readme_files", "service_markers", "service_packages", "list_limit"], in: "scan")
    headerLines = try reader.int("scan", "header_lines", 40, min: 1, max: 1000)
    headerBytes = try reader.int("scan", "header_bytes", 4096, min: 64, max: 1 << 20)
    minConfidence = try reader.double("scan", "min_confidence", 0.5)
    noticeConfidence = try reader.double("scan", "notice_confidence", 0.9)
    nameConfidence = try reader.double("scan", "name_confidence", 0.7)
    orLaterPhrase = try reader.string("scan", "or_later_phrase")
    licenceFiles = try reader.strings("scan", "licence_files").map { $0.uppercased() }
    licenceExtensions = Set(try reader.strings("scan", "licence_extensions").map { $0.uppercased() })
    readmeFiles = try reader.strings("scan", "readme_files").map { $0.uppercased() }
    serviceMarkers = try reader.strings("scan", "service_markers").map { Glob($0, case: .sensitive, anchoring: .anyDepth) }
    servicePackages = Set(try reader.strings("scan", "service_packages"))
    bots = try BotList(rules)
    listLimit = try reader.int("scan", "list_limit", 200, min: 1, max: 100_000)

    func fail(_ line: Int?, _ message: String) -> RuleError { RuleError(file: Self.file, line: line, message: message) }
    var kinds: [String: Kind] = [:]
    for item in table["kind"]?.array ?? [] {
      guard let t = item.table, let id = t["id"]?.string, let rank = t["rank"]?.int else {
        throw fail(item.table?.line, "each [[kind]] needs an id and a rank")
      }
      try reader.check(t, known: ["id", "rank", "risk", "service_risk"])
      _ = try (reader.optionalString(t, "risk"), reader.optionalString(t, "service_risk"))
      kinds[id] = Kind(rank: rank, risk: t["risk"]?.string, serviceRisk: t["service_risk"]?.string)
    }
    guard kinds["unknown"] != nil else { throw fail(nil, "[[kind]] must define \"unknown\"") }
    var risks: [String: Risk] = [:]
    for item in table["risk"]?.array ?? [] {
      guard let t = item.table, let id = t["id"]?.string, let severity = t["severity"]?.string.flatMap(Severity.init(rawValue:)),
            let title = t["title"]?.string, let explanation = t["explanation"]?.string else {
        throw fail(item.table?.line, "each [[risk]] needs id, severity (info, low, medium, high, critical), title and explanation")
      }
      try reader.check(t, known: ["id", "severity", "title", "explanation"])
      risks[id] = Risk(severity: severity, title: title, explanation: explanation)
    }
    for (id, kind) in kinds {
      for risk in [kind.risk, kind.serviceRisk].compactMap({ $0 }) where risks[risk] == nil {
        throw fail(nil, "kind \(id) names risk \(risk), which no [[risk]] defines")
      }
    }
    for needed in ["no-licence", "own-copyleft", "licence-conflict", "unknown-licence"] where risks[needed] == nil {
      throw fail(nil, "[[risk]] \(needed) is missing")
    }
    var licences: [Licence] = []
    var byAlias: [String: Int] = [:]
    for item in table["licence"]?.array ?? [] {
      guard let t = item.table, let id = t["id"]?.string, let kind = t["kind"]?.string else {
        throw fail(item.table?.line, "each [[licence]] needs an id and a kind")
      }
      guard kinds[kind] != nil else { throw fail(t.line, "licence \(id): unknown kind \(kind)") }
      try reader.check(t, known: ["id", "name", "kind", "or_later", "phrases", "notices", "names", "aliases", "compatible_with"])
      _ = try (reader.optionalString(t, "name"), reader.bool(t, "or_later", default: false))
      for key in ["phrases", "notices", "names", "aliases", "compatible_with"] { _ = try reader.strings(t, key) }
      let licence = Licence(
        id: id, name: t["name"]?.string ?? id, kind: kind, orLater: t["or_later"]?.bool ?? false,
        phrases: (t["phrases"]?.stringArray ?? []).map(LicenceText.normalised),
        notices: (t["notices"]?.stringArray ?? []).map(LicenceText.normalised),
        names: ((t["names"]?.stringArray ?? []) + [id]).map(LicenceText.normalised),
        compatibleWith: t["compatible_with"]?.stringArray ?? [])
      for alias in [id] + (t["aliases"]?.stringArray ?? []) where byAlias[alias.lowercased()] == nil {
        byAlias[alias.lowercased()] = licences.count
      }
      licences.append(licence)
    }
    guard !licences.isEmpty else { throw fail(nil, "no [[licence]]") }
    func variant(_ spelled: String, line: Int?) throws(RuleError) -> Incompatibility.Variant {
      let lower = spelled.lowercased()
      let orLater: Bool? = lower.hasSuffix("-only") ? false : lower.hasSuffix("-or-later") || lower.hasSuffix("+") ? true : nil
      var base = lower
      for suffix in ["-only", "-or-later", "+"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
      guard let licence = byAlias[lower] ?? byAlias[base] else { throw fail(line, "[[incompatible]] names \(spelled), which no [[licence]] defines") }
      return .init(licence: licence, orLater: orLater)
    }
    var incompatible: [Incompatibility] = []
    for item in table["incompatible"]?.array ?? [] {
      guard let t = item.table, let left = t["licences"]?.stringArray, let right = t["with"]?.stringArray, let why = t["why"]?.string,
            !left.isEmpty, !right.isEmpty else {
        throw fail(item.table?.line, "each [[incompatible]] needs licences, with (lists of ids) and why")
      }
      try reader.check(t, known: ["licences", "with", "why"])
      var l: [Incompatibility.Variant] = [], r: [Incompatibility.Variant] = []
      for id in left { l.append(try variant(id, line: t.line)) }
      for id in right { r.append(try variant(id, line: t.line)) }
      incompatible.append(Incompatibility(licences: l, with: r, why: why))
    }
    if !incompatible.isEmpty && risks["incompatible-licences"] == nil { throw fail(nil, "[[risk]] incompatible-licences is missing") }
    self.incompatible = incompatible
    self.kinds = kinds
    self.risks = risks
    self.licences = licences
    self.byAlias = byAlias
  }

  /// Why code under `a` and code under `b` cannot be shipped together; nil when they can.
  public func incompatibility(_ a: Stated, _ b: Stated) -> Incompatibility? {
    incompatible.first { i in
      (i.licences.contains { $0.covers(a) } && i.with.contains { $0.covers(b) }) || (i.licences.contains { $0.covers(b) } && i.with.contains { $0.covers(a) })
    }
  }

  /// The id a stated licence is shown as: GNU licences with `-only` or `-or-later`, others as listed.
  public func display(_ s: Stated) -> String {
    let l = licences[s.licence]
    return l.orLater ? l.id + (s.orLater ? "-or-later" : "-only") : l.id
  }

  public func rank(of kind: String) -> Int { kinds[kind]?.rank ?? kinds["unknown"]!.rank }

  /// The licence an SPDX id or alias names (`-only`, `-or-later` and `+` are the same licence's).
  public func licence(named id: String) -> Int? {
    var key = LicenceText.trim(Substring(id.lowercased()))
    if let exact = byAlias[key] { return exact }
    for suffix in ["-only", "-or-later", "+"] where key.hasSuffix(suffix) {
      key.removeLast(suffix.count)
      return byAlias[key]
    }
    return nil
  }

  /// Whether a file name (any case) is one of `patterns`: a pattern ending in `*` is a prefix, else the
  /// name itself or the name with an extension; the extension must be one of `extensions` when given.
  static func nameMatches(_ name: String, _ patterns: [String], extensions: Set<String>? = nil) -> Bool {
    let upper = name.uppercased()
    return patterns.contains { p in
      let base = p.hasSuffix("*") ? String(p.dropLast()) : p
      guard upper.hasPrefix(base) else { return false }
      let rest = upper.dropFirst(base.count)
      if p.hasSuffix("*") {
        guard let extensions, let dot = rest.lastIndex(of: ".") else { return true }
        return extensions.contains(String(rest[rest.index(after: dot)...]))
      }
      guard rest.isEmpty || rest.hasPrefix(".") else { return false }
      return extensions?.contains(String(rest.dropFirst())) ?? true
    }
  }

  func isLicenceFile(_ name: String) -> Bool { Self.nameMatches(name, licenceFiles, extensions: licenceExtensions) }
  func isReadme(_ name: String) -> Bool { Self.nameMatches(name, readmeFiles) }
}
