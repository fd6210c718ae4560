import GlobEngine

/// The data of the global false-alarm filters (`[filters]` in the rule files; several files' tables
/// are merged: lists concatenate, numbers of a later file win). The logic lives in `SecretMatcher`.
public struct FalseAlarmFilters: Sendable {
  /// Filters a rule may opt out of with `skipFilters`.
  public enum Name: String, CaseIterable, Sendable {
    /// `${VAR}`, `{{ x }}`, `<your-key>`, `%VAR%`, `$VAR` and the `templateValues` regexes.
    case template
    /// Placeholder words anywhere in the secret (`changeme`, `xxxx`, `EXAMPLE`, `your_`...).
    case placeholder
    /// A run of the same byte, or a value made of three distinct bytes or fewer.
    case repeated
    /// A run of ascending or descending letters or digits (`123456`, `abcdef`).
    case sequential
    /// The value is read from the environment or a secret manager (`process.env.X`, `vault:`...).
    case environment
    /// The secret is a UUID.
    case uuid
    /// The secret is 40 or 64 hex digits and the line names it a hash before it (`commit`, `sha256`,
    /// `checksum`...): a commit id or a digest. The same digits assigned to `client_secret` stay.
    case hash
    /// Subresource-integrity and lockfile hashes (`sha512-...`, `integrity` on the line).
    case integrity
    /// The secret lies inside a `data:...;base64,` URI (inline images, fonts).
    case dataURI = "data-uri"
    /// Generic rules: the value is a word or phrase in any script (`Adgangskode`, `Contraseña`,
    /// `パスワード`), as translation files hold, not a credential.
    case naturalLanguage = "natural-language"
  }

  /// Lines longer than this are not matched whole: each keyword hit is examined in a window of
  /// `windowBefore` bytes before it and `windowAfter` after it, at most `maxWindowsPerLine` times per
  /// line. Bounds the work on a hostile or minified single-line file.
  public var maxLineLength = 4096
  public var windowBefore = 256
  public var windowAfter = 1024
  public var maxWindowsPerLine = 64
  /// Generic rules ignore lines longer than this (minified bundles, embedded data).
  public var genericMaxLineLength = 1000
  /// How far past its first line a multiline rule (PEM bodies) may match.
  public var multilineSpan = 64 * 1024
  /// Lower-case substrings of a secret that make it a placeholder.
  public var placeholderWords: [String] = []
  /// Regexes over the secret that make it a template or a reference.
  public var templateValues: [String] = []
  /// Lower-case substrings that mean "read from the environment or a secret manager"; checked in the
  /// secret for every rule and in the whole line for generic rules.
  public var environmentReferences: [String] = []
  /// Lower-case substrings that veto a generic rule's secret.
  public var genericStopwords: [String] = []
  /// Regexes over a generic rule's secret that veto it (identifiers, paths, URLs, type names).
  public var genericValueAllow: [String] = []
  /// Paths where generic rules do not run: lockfiles, minified bundles, vendored folders.
  public var genericSkipPaths: [Glob] = []
  /// Paths of tests and fixtures: matches there carry `inTestPath`.
  public var testPaths: [Glob] = []
  /// Lower-case words that, before a 40/64-hex value on its line, name it a hash rather than a secret.
  public var hashNames: [String] = []
  /// Values their vendors publish (emulator keys, documentation examples): reported as info, named.
  public var publicValues: [PublicValue] = []
  /// A line containing this marker (in any comment syntax) yields no match.
  public var ignoreMarker = "salvage:ignore"

  public init() {}
}
