import Matcher

/// A case-insensitive regular expression from a rule file or `.salvage.toml`, matched with PCRE2's work
/// limits (`BoundedRegex`): a hostile pattern answers "no match", counted, instead of hanging the scan.
struct Pattern: Sendable {
  private let regex: BoundedRegex
  let source: String

  init(_ source: String) throws {
    self.source = source
    regex = try BoundedRegex(source)
  }

  func matches(_ text: String) -> Bool { regex.matches(text) }

  /// Matches a limit stopped (answered "no match").
  var limitHits: Int { regex.limitHits }
}
