/// An advisory as the index keeps it: what a finding shows, and the affected entries per package.
public struct Advisory: Sendable {
  public let id: String
  /// CVE and GHSA ids and the like, as the record lists them.
  public let aliases: [String]
  public let summary: String
  public let severity: Severity
  public let affected: [AffectedPackage]
}

/// One `affected[]` entry of a supported ecosystem.
public struct AffectedPackage: Sendable {
  public let ecosystem: Ecosystem
  public let name: String
  /// SEMVER and ECOSYSTEM ranges; GIT ranges (commits) are left out.
  public let ranges: [AffectedRange]
  /// Versions listed one by one.
  public let versions: [String]
  /// The entry's own severity, when it has one (it overrides the record's).
  public let severity: Severity?
}

public struct AffectedRange: Sendable {
  public enum Kind: String, Sendable { case semver = "SEMVER", ecosystem = "ECOSYSTEM" }
  public let kind: Kind
  public let events: [RangeEvent]
}

public struct RangeEvent: Sendable, Hashable {
  public enum Kind: String, Sendable, CodingKey {
    case introduced, fixed
    case lastAffected = "last_affected"
    case limit
  }

  public let kind: Kind
  public let version: String

  public init(_ kind: Kind, _ version: String) {
    self.kind = kind
    self.version = version
  }
}

/// A resolved package to check: its ecosystem, its name as the lockfile writes it, its version.
public struct PackageVersion: Sendable, Hashable {
  public let ecosystem: Ecosystem
  public let name: String
  public let version: String

  public init(_ ecosystem: Ecosystem, _ name: String, _ version: String) {
    self.ecosystem = ecosystem
    self.name = name
    self.version = version
  }
}

/// A resolved package that an advisory covers.
public struct AdvisoryHit: Sendable, Hashable {
  public let package: PackageVersion
  public let id: String
  public let aliases: [String]
  public let summary: String
  public let severity: Severity
  /// The affected interval the version falls in, as text (`>= 1.0.0, < 1.2.3`), or `listed` when the
  /// record names the version itself.
  public let range: String
  /// The version that ends the interval, when the record gives one.
  public let fixed: String?
}

extension Advisory {
  init(_ record: OSVRecord) {
    id = Self.line(record.id, limit: 100)
    aliases = (record.aliases ?? []).map { Self.line($0, limit: 100) }
    summary = Self.line(record.summary ?? "", limit: 300)
    severity = Self.severity(record.severity, fallback: record.database_specific?.severity)
      ?? Severity(level: "unknown", score: nil, vector: nil)
    affected = (record.affected ?? []).compactMap { a in
      guard let p = a.package, let eco = Ecosystem(osv: p.ecosystem) else { return nil }
      let ranges = (a.ranges ?? []).compactMap { r -> AffectedRange? in
        guard let kind = AffectedRange.Kind(rawValue: r.type) else { return nil }
        return AffectedRange(kind: kind, events: r.events.map { RangeEvent($0.kind, $0.version) })
      }
      return AffectedPackage(ecosystem: eco, name: p.name, ranges: ranges, versions: a.versions ?? [],
                             severity: Self.severity(a.severity, fallback: nil))
    }
  }

  /// Advisory text comes from outside: one line, no control characters, of bounded length.
  static func line(_ text: String, limit: Int) -> String {
    // Nearly every text is short and clean: no C0 control, DEL, or C1 control (UTF-8 lead byte 0xC2).
    if text.utf8.count <= limit, !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) { return text }
    var out = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
    if out.count > limit { out = String(out.prefix(limit - 1)) + "…" }
    return out
  }

  /// The highest CVSS v3 score among the vectors; else the highest v4.0 score; else the database's word.
  static func severity(_ list: [OSVSeverity]?, fallback: String?) -> Severity? {
    for (type, score) in [("CVSS_V3", CVSS3.baseScore), ("CVSS_V4", CVSS4.baseScore)] as [(String, (String) -> Double?)] {
      var best: Severity?
      for s in list ?? [] where s.type == type {
        if let score = score(s.score), score > (best?.score ?? -1) {
          best = Severity(level: Severity.level(of: score), score: score, vector: s.score)
        }
      }
      if let best { return best }
    }
    if let word = fallback, let level = Severity.level(word: word) { return Severity(level: level, score: nil, vector: nil) }
    return nil
  }
}
