/// One OSV record as osv.dev publishes it (https://ossf.github.io/osv-schema/): only the fields the
/// matcher reads. Unknown fields are ignored; a missing optional field is absent.
struct OSVRecord: Decodable {
  let id: String
  let aliases: [String]?
  let summary: String?
  let withdrawn: String?
  let severity: [OSVSeverity]?
  let affected: [OSVAffected]?
  let database_specific: OSVDatabaseSpecific?

  enum Keys: String, CodingKey { case id, aliases, summary, withdrawn, severity, affected, database_specific }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    id = try c.decode(String.self, forKey: .id)
    aliases = try c.decodeIfPresent([String].self, forKey: .aliases)
    summary = try c.decodeIfPresent(String.self, forKey: .summary)
    withdrawn = try c.decodeIfPresent(String.self, forKey: .withdrawn)
    severity = try c.decodeIfPresent([OSVSeverity].self, forKey: .severity)
    affected = try c.decodeIfPresent([OSVAffected].self, forKey: .affected)
    // Free-form per database: a shape other than an object with a `severity` word is no severity, not a bad record.
    database_specific = try? c.decodeIfPresent(OSVDatabaseSpecific.self, forKey: .database_specific)
  }
}

struct OSVSeverity: Decodable {
  let type: String
  let score: String
}

struct OSVDatabaseSpecific: Decodable {
  /// GitHub's word (LOW, MODERATE, HIGH, CRITICAL); other databases write other things here, or nothing.
  let severity: String?

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    severity = try? c.decodeIfPresent(String.self, forKey: .severity)
  }

  enum Keys: String, CodingKey { case severity }
}

struct OSVAffected: Decodable {
  let package: OSVPackage?
  let severity: [OSVSeverity]?
  let ranges: [OSVRange]?
  let versions: [String]?
}

struct OSVPackage: Decodable {
  let ecosystem: String
  let name: String
}

struct OSVRange: Decodable {
  let type: String
  let events: [OSVEvent]
}

/// One event of a range: an object with one of `introduced`, `fixed`, `last_affected`, `limit`.
struct OSVEvent: Decodable {
  let kind: RangeEvent.Kind
  let version: String

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: RangeEvent.Kind.self)
    for kind in [RangeEvent.Kind.introduced, .fixed, .lastAffected, .limit] {
      if let v = try c.decodeIfPresent(String.self, forKey: kind) {
        self.kind = kind
        version = v
        return
      }
    }
    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an event without introduced, fixed, last_affected or limit"))
  }
}
