import CPCRE2
import Synchronization

/// A regular expression from rules or configuration for short texts (tag names, people, commit
/// subjects, workflow lines): PCRE2 in UTF mode, case-insensitive, JIT-compiled where it can be, and
/// every match bounded by PCRE2's match, depth and heap limits (JIT honours the match limit). A match a
/// limit stops counts as no match and is counted in `limitHits`: `^(a+)+$` against a long run of `a`
/// and a `!` ends in milliseconds instead of running for minutes.
/// Compiled code and the match context are read-only once made and shared between threads; match data
/// is made per match.
public final class BoundedRegex: @unchecked Sendable {
  public let source: String
  private let code: OpaquePointer
  private let captures: UInt32
  private let hits = Atomic<Int>(0)
  private static let allHits = Atomic<Int>(0)

  /// Steps of one match; a normal match on a short text needs a few hundred.
  static let matchLimit: UInt32 = 100_000
  static let depthLimit: UInt32 = 1_000
  static let heapLimitKiB: UInt32 = 4_096
  nonisolated(unsafe) private static let context: OpaquePointer =
    salvage_pcre2_match_context_create(matchLimit, depthLimit, heapLimitKiB, nil)!

  public struct CompileError: Error, Sendable, CustomStringConvertible {
    public let pattern: String
    public let message: String
    public let offset: Int
    public var description: String { "bad regular expression '\(pattern)' at offset \(offset): \(message)" }
  }

  public init(_ source: String, caseInsensitive: Bool = true) throws(CompileError) {
    var errorCode: Int32 = 0
    var errorOffset = 0
    let bytes = Array(source.utf8)
    let options = PCRE2_UTF | PCRE2_UCP | (caseInsensitive ? PCRE2_CASELESS : 0)
    let compiled = bytes.withUnsafeBufferPointer { buffer in
      salvage_pcre2_compile(buffer.baseAddress, buffer.count, options, &errorCode, &errorOffset)
    }
    guard let compiled else {
      var message = [UInt8](repeating: 0, count: 256)
      let length = salvage_pcre2_error_message(errorCode, &message, message.count)
      let text = length > 0 ? String(decoding: message[0..<Int(length)], as: UTF8.self) : "error \(errorCode)"
      throw CompileError(pattern: source, message: text, offset: errorOffset)
    }
    _ = salvage_pcre2_jit_compile(compiled)
    code = compiled
    captures = salvage_pcre2_capture_count(compiled)
    self.source = source
  }

  deinit { salvage_pcre2_code_free(code) }

  /// Matches stopped by a limit so far (each one answered "no match").
  public var limitHits: Int { hits.load(ordering: .relaxed) }

  /// Matches stopped by a limit in this process, all expressions together (the command reports them).
  public static var totalLimitHits: Int { allHits.load(ordering: .relaxed) }

  public func matches(_ text: String) -> Bool { firstMatch(text) != nil }

  /// The first match in `text`, or nil (also when a limit stopped the search).
  public func firstMatch(_ text: String) -> Range<String.Index>? {
    var copy = text
    let bounds = copy.withUTF8 { utf8 -> (Int, Int)? in
      guard let data = salvage_pcre2_match_data_create(captures + 1) else { return nil }
      defer { salvage_pcre2_match_data_free(data) }
      var empty: UInt8 = 0
      let rc = withUnsafePointer(to: &empty) { salvage_pcre2_match(code, utf8.baseAddress ?? $0, utf8.count, 0, data, Self.context) }
      guard rc >= 0 else {
        switch rc {
        case salvage_pcre2_error_matchlimit, salvage_pcre2_error_depthlimit, salvage_pcre2_error_heaplimit,
          salvage_pcre2_error_jit_stacklimit:
          hits.add(1, ordering: .relaxed)
          Self.allHits.add(1, ordering: .relaxed)
        default: break
        }
        return nil
      }
      let ovector = salvage_pcre2_ovector(data)!
      return (ovector[0], max(ovector[0], ovector[1]))
    }
    guard let (from, to) = bounds else { return nil }
    // In UTF mode a match starts and ends on character boundaries.
    return text.utf8.index(text.startIndex, offsetBy: from)..<text.utf8.index(text.startIndex, offsetBy: to)
  }
}
