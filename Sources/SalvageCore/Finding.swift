/// How much a finding matters, from `info` to `critical`.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
  case info, low, medium, high, critical

  var rank: Int { Self.allCases.firstIndex(of: self)! }
  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Where a finding points: a file and line of the tip, or the commit that introduced it, or both.
public struct Location: Sendable, Codable, Equatable {
  public var path: String?
  public var line: Int?
  public var commit: String?
  public init(path: String? = nil, line: Int? = nil, commit: String? = nil) {
    self.path = path
    self.line = line
    self.commit = commit
  }
}

/// What a finding rests on: typed facts of the analyzer that raised it (`SecretEvidence`,
/// `VulnerabilityEvidence`…), written under `evidence` in the JSON with their keys in declaration
/// order. The report reads them by type, never by a key's name.
public protocol FindingEvidence: Encodable, Sendable {
  /// In CI mode, whether the change brought the finding in, when the analyzer decided it (a known
  /// vulnerability: was the version pinned outside the change). nil: the change's commits and paths decide.
  var introducedByChange: Bool? { get }
}

extension FindingEvidence {
  public var introducedByChange: Bool? { nil }
}

/// The evidence of a finding its message and location say all about: `{}`.
public struct NoEvidence: FindingEvidence {
  public init() {}

  public func encode(to encoder: any Encoder) throws { _ = encoder.container(keyedBy: FieldName.self) }
}

/// One thing the report tells the reader to look at, with the evidence behind it.
public struct Finding: Sendable {
  /// Stable across runs and line moves: derived from the analyzer, the rule and a content key.
  public let id: String
  public let analyzer: String
  public let rule: String
  public var severity: Severity
  public let title: String
  public let message: String
  public let location: Location
  public let evidence: any FindingEvidence
  /// The ids earlier versions gave this finding (when its key changed), so that a baseline written by
  /// one still accepts it. Never printed.
  public let formerIDs: [String]

  /// `key` identifies the finding by content (a path, a pair of paths, a secret's fingerprint), never
  /// by a line number or a date, so that the id survives edits elsewhere; `formerKeys` are the keys
  /// earlier versions used for the same finding.
  public init(analyzer: String, rule: String, key: String, severity: Severity, title: String, message: String,
              location: Location = Location(), evidence: any FindingEvidence = NoEvidence(), formerKeys: [String] = []) {
    self.id = Self.id(analyzer: analyzer, rule: rule, key: key)
    self.formerIDs = formerKeys.map { Self.id(analyzer: analyzer, rule: rule, key: $0) }
    self.analyzer = analyzer
    self.rule = rule
    self.severity = severity
    self.title = title
    self.message = message
    self.location = location
    self.evidence = evidence
  }

  private static func id(analyzer: String, rule: String, key: String) -> String {
    "\(analyzer).\(rule).\(StableHash.hex("\(analyzer)\u{0}\(rule)\u{0}\(key)"))"
  }
}

/// FNV-1a, 64 bits: stable across runs and platforms (Swift's `Hasher` is seeded per process).
public enum StableHash {
  public static func value<S: Sequence>(_ bytes: S, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 where S.Element == UInt8 {
    var hash = seed
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
  }

  public static func hex(_ text: String) -> String {
    let h = value(text.utf8)
    let s = String(h, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
  }
}
