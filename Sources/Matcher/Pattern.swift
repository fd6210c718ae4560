import CPCRE2

/// A PCRE2 pattern compiled once, in byte mode (no UTF, no UCP: `\w`, `\s`, `\b` are ASCII, as in
/// gitleaks' RE2), JIT-compiled when the platform supports it. PCRE2 documents compiled code as
/// read-only and shareable between threads; the per-match state lives in a `PatternScratch`.
final class Pattern: @unchecked Sendable {
  let code: OpaquePointer
  let captureCount: Int
  let source: String

  struct CompileError: Error {
    let message: String
    let offset: Int
  }

  init(_ source: String) throws(CompileError) {
    var errorCode: Int32 = 0
    var errorOffset = 0
    let bytes = Array(source.utf8)
    let compiled = bytes.withUnsafeBufferPointer { buffer in
      salvage_pcre2_compile(buffer.baseAddress, buffer.count, PCRE2_NEVER_UTF | PCRE2_NEVER_UCP, &errorCode, &errorOffset)
    }
    guard let compiled else {
      var message = [UInt8](repeating: 0, count: 256)
      let length = salvage_pcre2_error_message(errorCode, &message, message.count)
      let text = length > 0 ? String(decoding: message[0..<Int(length)], as: UTF8.self) : "error \(errorCode)"
      throw CompileError(message: text, offset: errorOffset)
    }
    // A failed JIT compile (unsupported CPU, no executable memory) leaves the interpreter in charge;
    // the depth and heap limits of the match context then bound its work.
    _ = salvage_pcre2_jit_compile(compiled)
    self.code = compiled
    self.captureCount = Int(salvage_pcre2_capture_count(compiled))
    self.source = source
  }

  deinit { salvage_pcre2_code_free(code) }
}

/// Per-thread state for running `Pattern`s: match data sized for the largest pattern, a JIT stack and a
/// match context with the work limits. Not thread-safe; one per worker.
final class PatternScratch {
  /// Caps the backtracking steps of one match; a normal match on a 4 KiB line needs a few thousand.
  static let matchLimit: UInt32 = 200_000
  static let depthLimit: UInt32 = 2_000
  static let heapLimitKiB: UInt32 = 8_192
  static let jitStackMax = 1 << 20

  private let matchData: OpaquePointer
  private let context: OpaquePointer
  private let jitStack: OpaquePointer?
  /// Matches abandoned because a limit was reached.
  var limitHits = 0
  /// Matches that failed for any other reason (none are expected).
  var otherErrors = 0
  /// The work done, counted whatever the outcome: searches started, and the bytes they were handed
  /// from their start (each search's own work is bounded by the match limit).
  var runs = 0
  var subjectBytes = 0

  init(maxCaptures: Int) {
    jitStack = salvage_pcre2_jit_stack_create(32 * 1024, Self.jitStackMax)
    context = salvage_pcre2_match_context_create(Self.matchLimit, Self.depthLimit, Self.heapLimitKiB, jitStack)!
    matchData = salvage_pcre2_match_data_create(UInt32(maxCaptures + 1))!
  }

  deinit {
    salvage_pcre2_match_data_free(matchData)
    salvage_pcre2_match_context_free(context)
    if let jitStack { salvage_pcre2_jit_stack_free(jitStack) }
  }

  /// Searches `subject` from `start`. Returns the byte ranges (relative to `subject`) of group 0 and of
  /// `group`, or nil when there is no match or a limit stopped the search. The group range is nil when
  /// the group did not take part in the match.
  @inline(__always)
  func firstMatch(_ pattern: Pattern, in subject: UnsafeRawBufferPointer, from start: Int, group: Int)
    -> (whole: Range<Int>, group: Range<Int>?)?
  {
    runs += 1
    guard let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
      return firstMatchInEmpty(pattern, group: group)
    }
    subjectBytes += subject.count - start
    let rc = salvage_pcre2_match(pattern.code, base, subject.count, start, matchData, context)
    return result(rc, group: group)
  }

  private func firstMatchInEmpty(_ pattern: Pattern, group: Int) -> (whole: Range<Int>, group: Range<Int>?)? {
    var empty: UInt8 = 0
    let rc = salvage_pcre2_match(pattern.code, &empty, 0, 0, matchData, context)
    return result(rc, group: group)
  }

  @inline(__always)
  private func result(_ rc: Int32, group: Int) -> (whole: Range<Int>, group: Range<Int>?)? {
    if rc < 0 {
      switch rc {
      case salvage_pcre2_error_nomatch: break
      case salvage_pcre2_error_matchlimit, salvage_pcre2_error_depthlimit, salvage_pcre2_error_heaplimit,
        salvage_pcre2_error_jit_stacklimit:
        limitHits += 1
      default: otherErrors += 1
      }
      return nil
    }
    let ovector = salvage_pcre2_ovector(matchData)!
    let whole = ovector[0]..<max(ovector[0], ovector[1])
    var captured: Range<Int>? = nil
    if group > 0 && group < Int(rc) {
      // size_t comes through as Int: PCRE2_UNSET (all bits set) reads as -1.
      let from = ovector[2 * group]
      let to = ovector[2 * group + 1]
      if from >= 0 && to >= from { captured = from..<to }
    } else if group == 0 {
      captured = whole
    }
    return (whole, captured)
  }

  /// True when `pattern` matches anywhere in `subject`.
  func matches(_ pattern: Pattern, _ subject: UnsafeRawBufferPointer) -> Bool {
    firstMatch(pattern, in: subject, from: 0, group: 0) != nil
  }
}
