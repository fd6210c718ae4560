import GlobEngine

/// One secret-detection rule, as written in `rules/secrets/*.toml` (`[[rules]]`).
public struct SecretRule: Sendable {
  public let id: String
  public let title: String
  /// critical, high, medium, low or info.
  public let severity: String
  /// Lower-case substrings; the pattern runs on a line only when one of them appears in it (ASCII case
  /// ignored). Empty only for rules restricted by `paths`, which then examine every line of those files.
  public let keywords: [String]
  /// PCRE2 syntax, byte mode; the secret is capture group `secretGroup` (the whole match when that
  /// group did not take part).
  public let pattern: String
  public let secretGroup: Int
  /// Minimum Shannon entropy of the secret in bits per byte; 0 means no floor.
  public let entropy: Double
  /// A generic rule (keyword plus assignment) is skipped in lockfiles, minified bundles, vendored
  /// folders and on lines longer than `FalseAlarmFilters.genericMaxLineLength`, and its values go
  /// through the generic stop-words.
  public let generic: Bool
  /// The match may run past the end of its line (PEM bodies); the secret is then stripped of
  /// whitespace and `\n` escapes so that the same key gives the same fingerprint in any layout.
  public let multiline: Bool
  /// When non-empty, the rule only applies to files matching one of these globs.
  public let paths: [Glob]
  public let allowPaths: [Glob]
  /// Regexes over the secret and over the whole line that veto a match.
  public let allowValues: [String]
  public let allowLines: [String]
  /// Case-insensitive substrings that veto a secret containing them.
  public let stopwords: [String]
  /// Names of global false-alarm filters this rule opts out of (see `FalseAlarmFilters.Name`).
  public let skipFilters: [String]
  /// The offline check the format carries (`check = "crc32-tail"`, `"pem"`, `"jwt"`, `"macaroon"`).
  public let check: StructureCheck?
  /// `"base64"` or `"url"`: the rule reports nothing itself; what its pattern captures is decoded
  /// (bounded: `SecretMatcher.maxDecodedBytes`, `maxDecodeDepth`) and scanned again with every rule,
  /// whose matches are placed at the encoded segment.
  public let decode: Decoding?
  /// `"test"` for keys that only ever open a sandbox (Stripe test mode): reported low, never counted
  /// as live credentials. nil for the usual case.
  public let context: String?
  public let examples: [RuleExample]
  public let counterexamples: [RuleExample]
  /// The rule file this rule came from, for error messages.
  public let file: String
}

/// How a decoding rule turns its capture back into text.
public enum Decoding: String, Sendable {
  /// Base64 or base64url, after percent-decoding (a URL parameter's `%2B`, `%3D`).
  case base64
  /// Percent-encoding (`%2F`, `%40`), `+` left as is.
  case url
}

/// A line a rule must match (an example) or must not (a counterexample), with the path it is scanned
/// under and, optionally, the secret it must capture.
public struct RuleExample: Sendable {
  public let line: String
  public let secret: String?
  public let path: String
  /// The verdict the match must carry: `public`, `placeholder` or `valid` (nil: any).
  public let verdict: String?

  public init(line: String, secret: String?, path: String, verdict: String? = nil) {
    self.line = line
    self.secret = secret
    self.path = path
    self.verdict = verdict
  }
}

/// A file that is sensitive because of its name, whatever its content (`[[files]]`).
public struct SensitiveFileRule: Sendable {
  public let id: String
  public let title: String
  public let severity: String
  public let paths: [Glob]
  public let exclude: [Glob]
  /// When set, the file counts only if its content matches (kubeconfig with credentials); such rules
  /// need the content, see `SecretMatcher.sensitiveFile(path:content:scratch:)`.
  public let contains: String?
  /// Paths (with content for `contains` rules) that must be reported, and ones that must not.
  public let examples: [FileExample]
  public let counterexamples: [FileExample]
  public let file: String
}

public struct FileExample: Sendable {
  public let path: String
  public let content: String?
}

/// A rule file that cannot be used; names the file, the rule and the key so the user can fix it.
public struct RuleError: Error, CustomStringConvertible, Sendable {
  public let file: String
  public let rule: String?
  public let key: String?
  public let line: Int?
  public let message: String

  public var description: String {
    var text = file
    if let line { text += ":\(line)" }
    if let rule { text += ": rule '\(rule)'" }
    if let key { text += ": key '\(key)'" }
    return text + ": " + message
  }
}
