import Synchronization

/// Redacts, in any text about to be written (a path, a package name, a commit subject, a message),
/// whatever the compiled secret rules match, including a repository's own rules from its
/// `.salvage.toml` overlay: each secret becomes its `Redaction.preview`. Content rules only (the rules
/// that name sensitive files judge paths, not text), scanned as a file without a path would be.
///
/// The CLI installs `redact` as `OutputText.redactor` once the scan's rules are known, so every output
/// target redacts through it before the built-in credential shapes. Thread-safe: scratches are pooled.
public final class SecretRedactor: Sendable {
  private let matcher: SecretMatcher
  /// Scratches not in use; one is only ever used by the thread that took it out.
  private let scratches = Mutex<[Lent]>([])
  private struct Lent: @unchecked Sendable { let scratch: SecretScratch }
  public init(matcher: SecretMatcher) { self.matcher = matcher }

  public func redact(_ text: String) -> String {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty else { return text }
    let lent = scratches.withLock { $0.popLast() } ?? Lent(scratch: matcher.makeScratch())
    let matches = matcher.scan(bytes, path: [], scratch: lent.scratch)
    scratches.withLock { $0.append(lent) }
    guard !matches.isEmpty else { return text }
    // Byte ranges to replace: every place a match's secret occurs literally; a secret found only after
    // decoding (base64 and the like) is not in the text as such, so the word at its column goes.
    var ranges: [Range<Int>] = []
    let lineStarts = [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }
    for match in matches where !match.secret.isEmpty {
      var found = false
      var from = 0
      while let at = Self.find(match.secret, in: bytes, from: from) {
        ranges.append(at..<(at + match.secret.count))
        found = true
        from = at + match.secret.count
      }
      if !found, match.line >= 1, match.line <= lineStarts.count {
        var start = min(bytes.count, lineStarts[match.line - 1] + max(0, match.column - 1))
        while start > 0, !Self.isSpace(bytes[start - 1]) { start -= 1 }
        var end = start
        while end < bytes.count, !Self.isSpace(bytes[end]) { end += 1 }
        if end > start { ranges.append(start..<end) }
      }
    }
    guard !ranges.isEmpty else { return text }
    ranges.sort { $0.lowerBound < $1.lowerBound }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var at = 0
    var index = 0
    while index < ranges.count {
      var range = ranges[index]
      index += 1
      while index < ranges.count, ranges[index].lowerBound <= range.upperBound {  // overlapping: one piece
        range = range.lowerBound..<max(range.upperBound, ranges[index].upperBound)
        index += 1
      }
      guard range.lowerBound >= at else { continue }
      out += bytes[at..<range.lowerBound]
      out += Array(Redaction.preview(Array(bytes[range])).utf8)
      at = range.upperBound
    }
    out += bytes[at...]
    return String(decoding: out, as: UTF8.self)
  }

  private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

  private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
    guard needle.count <= haystack.count - from, let first = needle.first else { return nil }
    var i = from
    while i + needle.count <= haystack.count {
      if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
      i += 1
    }
    return nil
  }
}
