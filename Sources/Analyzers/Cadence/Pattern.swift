import Foundation

/// A case-insensitive regular expression from a rule file. Only used on short texts that are few
/// (tag names, people), never per line or per commit.
struct Pattern: @unchecked Sendable {
  // NSRegularExpression is immutable and documented as safe to share between threads.
  private let regex: NSRegularExpression
  let source: String

  init(_ source: String) throws {
    self.source = source
    regex = try NSRegularExpression(pattern: source, options: [.caseInsensitive])
  }

  func matches(_ text: String) -> Bool {
    regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
  }
}
