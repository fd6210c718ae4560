import GlobEngine
import Synchronization
import TOML

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The secret-detection engine: keyword prefilter, PCRE2-JIT patterns, false-alarm filters.
///
/// Public API:
/// ```swift
/// let set = try SecretRuleSet.load(toml: [(name, text), ...])   // RuleError names file, rule and key
/// let matcher = try SecretMatcher(rules: set)                     // compiles every pattern once; Sendable
/// let scratch = matcher.makeScratch()                             // one per thread, not Sendable
/// matcher.scan(buffer, path: pathBytes, firstLine: 1, scratch: scratch) { (m: SecretMatch) in ... }
/// matcher.sensitiveFile(path: pathBytes)                          // -> SensitiveFileRule?
/// matcher.sensitiveFile(path:content:scratch:)                    // also rules that look at content
/// Redaction.preview(secret) / Redaction.fingerprint(rule: id, secret: secret)
/// ```
///
/// How a buffer is scanned:
/// 1. One Aho-Corasick pass over the bytes finds every rule keyword (ASCII case ignored). A line with
///    no keyword costs one table step per byte.
/// 2. On a line with keywords, each rule gated by one of them runs its PCRE2 pattern over the line
///    (byte mode, ASCII classes). Work is bounded: PCRE2 match and depth limits per match (a limit hit
///    is counted in `SecretScratch.limitHits`, never an error), at most 16 matches per rule and line,
///    and lines longer than `FalseAlarmFilters.maxLineLength` (4096 bytes by default) are only
///    examined in windows around at most `maxWindowsPerLine` keyword hits (256 bytes before,
///    1024 after), so a 10 MB single-line file costs one pass of the automaton plus a bounded number
///    of small regex runs. Multiline rules (PEM bodies) may match up to `multilineSpan` bytes (64 KiB)
///    past their line.
/// 3. Each captured secret is first compared with the values vendors publish (`publicValues`, exact
///    values and formats public by design: reported with a `publicValue` verdict), then goes through
///    the rule's entropy floor, allow-lists and stop-words, then the global filters (templates,
///    placeholders, repeated and sequential runs, environment and secret manager references, UUIDs,
///    40/64-hex values the line names a hash, integrity strings, `data:` URIs, natural-language values
///    for generic rules; see `FalseAlarmFilters.Name`), and last the offline check its format carries (`StructureCheck`:
///    CRC32 tails, PEM bodies, JWTs, PyPI macaroons), whose outcome is the match's `verdict`. Generic
///    rules are also skipped in lockfiles, minified bundles, vendored folders and translation files and
///    on lines over 1000 bytes. A line containing `salvage:ignore` yields nothing. Matches in test and
///    fixture paths are reported with `inTestPath: true`, not dropped.
/// 4. Decoding rules (`decode`) report nothing: their captures are decoded and queued, and once the
///    buffer is done each is scanned with every rule (bounded by `maxDecodedBytes`, `maxDecodeDepth`
///    and `maxDecodedSegments`); what is found is placed at the encoded segment.
///
/// Matches are reported in order of line for keyword-gated rules, then for path-restricted rules
/// without keywords. Several rules may report the same secret; deduplication is the caller's.
public final class SecretMatcher: Sendable {
  public let ruleSet: SecretRuleSet
  public var rules: [SecretRule] { ruleSet.rules }
  public var fileRules: [SensitiveFileRule] { ruleSet.fileRules }

  let compiled: [CompiledRule]
  private let automaton: KeywordAutomaton
  private let filters: FalseAlarmFilters
  private let templateValues: [Pattern]
  private let genericValueAllow: [Pattern]
  private let placeholderWords: [[UInt8]]
  private let environmentReferences: [[UInt8]]
  private let genericStopwords: [[UInt8]]
  private let hashNames: [[UInt8]]
  private let ignoreMarker: [UInt8]
  private let fileContains: [Pattern?]
  /// `FalseAlarmFilters.publicValues` by value: the index of each.
  private let publicValues: [[UInt8]: Int]
  /// The `publicValues` given as a pattern, with their indexes.
  private let publicFormats: [(pattern: Pattern, index: Int)]
  private let maxCaptures: Int
  /// Every glob of the rule set; its lists are numbered as `PathList` says.
  private let pathTable: GlobTable
  /// What a path no glob takes gets: the common case, shared rather than rebuilt.
  private let plainPathInfo: PathInfo
  /// The facts of every path asked about so far, by any thread.
  private let knownPaths = Mutex(PathFactsTable())
  static let maxMatchesPerRuleAndLine = 16
  /// Decoding rules: a segment decodes to at most this many bytes, decoded text is decoded again at
  /// most this deep, and one buffer decodes at most `maxDecodedSegments` segments.
  public static let maxDecodedBytes = 8192
  public static let maxDecodeDepth = 2
  public static let maxDecodedSegments = 64

  struct CompiledRule: Sendable {
    let pattern: Pattern
    let group: Int
    let entropy: Double
    let generic: Bool
    let multiline: Bool
    let keywordless: Bool
    let paths: [Glob]
    let allowPaths: [Glob]
    let allowValues: [Pattern]
    let allowLines: [Pattern]
    let stopwords: [[UInt8]]
    let skip: Set<FalseAlarmFilters.Name>
    let check: StructureCheck?
    let decode: Decoding?
  }

  public init(rules set: SecretRuleSet) throws(RuleError) {
    ruleSet = set
    filters = set.filters
    var captures = 1
    func compile(_ source: String, file: String, rule: String?, key: String) throws(RuleError) -> Pattern {
      do {
        let pattern = try Pattern(source)
        captures = max(captures, pattern.captureCount)
        return pattern
      } catch {
        throw RuleError(
          file: file, rule: rule, key: key, line: nil,
          message: "\(error.message) at offset \(error.offset) of /\(source)/")
      }
    }
    var compiled: [CompiledRule] = []
    var keywords: [(bytes: [UInt8], values: [Int32])] = []
    for (index, rule) in set.rules.enumerated() {
      let pattern = try compile(rule.pattern, file: rule.file, rule: rule.id, key: "pattern")
      guard rule.secretGroup <= pattern.captureCount else {
        throw RuleError(
          file: rule.file, rule: rule.id, key: "secretGroup", line: nil,
          message: "the pattern has only \(pattern.captureCount) capture groups")
      }
      var allowValues: [Pattern] = []
      for source in rule.allowValues { allowValues.append(try compile(source, file: rule.file, rule: rule.id, key: "allowValues")) }
      var allowLines: [Pattern] = []
      for source in rule.allowLines { allowLines.append(try compile(source, file: rule.file, rule: rule.id, key: "allowLines")) }
      compiled.append(
        CompiledRule(
          pattern: pattern, group: rule.secretGroup, entropy: rule.entropy, generic: rule.generic,
          multiline: rule.multiline, keywordless: rule.keywords.isEmpty, paths: rule.paths,
          allowPaths: rule.allowPaths, allowValues: allowValues, allowLines: allowLines,
          stopwords: rule.stopwords.map { Array($0.utf8) },
          skip: Set(rule.skipFilters.compactMap(FalseAlarmFilters.Name.init(rawValue:))), check: rule.check, decode: rule.decode))
      for keyword in rule.keywords { keywords.append((Array(keyword.utf8), [Int32(index)])) }
    }
    var templates: [Pattern] = []
    for source in set.filters.templateValues {
      templates.append(try compile(source, file: "[filters]", rule: nil, key: "templateValues"))
    }
    var genericAllow: [Pattern] = []
    for source in set.filters.genericValueAllow {
      genericAllow.append(try compile(source, file: "[filters]", rule: nil, key: "genericValueAllow"))
    }
    var contains: [Pattern?] = []
    for rule in set.fileRules {
      contains.append(try rule.contains.map { (source) throws(RuleError) in try compile(source, file: rule.file, rule: rule.id, key: "contains") })
    }
    self.compiled = compiled
    self.automaton = KeywordAutomaton(keywords: keywords)
    self.templateValues = templates
    self.genericValueAllow = genericAllow
    self.placeholderWords = set.filters.placeholderWords.map { Array($0.utf8) }
    self.environmentReferences = set.filters.environmentReferences.map { Array($0.utf8) }
    self.genericStopwords = set.filters.genericStopwords.map { Array($0.utf8) }
    self.hashNames = set.filters.hashNames.map { Array($0.utf8) }
    self.ignoreMarker = Array(set.filters.ignoreMarker.lowercased().utf8)
    self.fileContains = contains
    var publics: [[UInt8]: Int] = [:]
    var formats: [(pattern: Pattern, index: Int)] = []
    for (index, value) in set.filters.publicValues.enumerated() {
      if let source = value.pattern {
        formats.append((try compile(source, file: "[filters]", rule: nil, key: "publicValues"), index))
      } else if publics[value.value] == nil {
        publics[value.value] = index
      }
    }
    self.publicValues = publics
    self.publicFormats = formats
    self.maxCaptures = captures
    var lists: [[Glob]] = [set.filters.genericSkipPaths, set.filters.testPaths]
    for rule in set.rules { lists += [rule.paths, rule.allowPaths] }
    for rule in set.fileRules { lists += [rule.paths, rule.exclude] }
    let table = GlobTable(lists: lists)
    self.pathTable = table
    self.plainPathInfo = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: table.wordCount) { bits in
      for w in bits.indices { bits[w] = 0 }
      return Self.pathInfo(PathMatches(bits: UnsafeBufferPointer(bits)), compiled, contains)
    }
  }

  /// The numbers of the glob lists in `pathTable`.
  private enum PathList {
    static let genericSkip = 0
    static let test = 1
    static func paths(rule: Int) -> Int { 2 + 2 * rule }
    static func allowPaths(rule: Int) -> Int { 3 + 2 * rule }
    static func paths(fileRule: Int, ruleCount: Int) -> Int { 2 + 2 * ruleCount + 2 * fileRule }
    static func exclude(fileRule: Int, ruleCount: Int) -> Int { 3 + 2 * ruleCount + 2 * fileRule }
  }

  /// Which lists took a path: a view of `pathTable`'s bits.
  private struct PathMatches {
    let bits: UnsafeBufferPointer<UInt64>
    @inline(__always) func contains(_ list: Int) -> Bool { bits[list >> 6] & (1 << UInt64(list & 63)) != 0 }
  }

  /// Runs the glob table over `path`; `body` gets nil when no glob takes it.
  private func withPathMatches<R>(_ path: UnsafeBufferPointer<UInt8>, _ body: (PathMatches?) -> R) -> R {
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: pathTable.wordCount) { bits in
      let any = pathTable.lists(path, into: bits)
      return body(any ? PathMatches(bits: UnsafeBufferPointer(bits)) : nil)
    }
  }

  /// States and byte classes of the keyword automaton (for measurements).
  public var automatonSize: (states: Int, classes: Int) { (automaton.stateCount, automaton.byteClasses) }

  public func makeScratch() -> SecretScratch {
    SecretScratch(ruleCount: compiled.count, maxCaptures: maxCaptures)
  }

  // MARK: - Scanning

  /// Scans a buffer line by line (a whole file, or added lines from a diff); `firstLine` numbers the
  /// first line. `path` (repository-relative bytes) decides which rules apply and sets `inTestPath`.
  public func scan(
    _ buffer: UnsafeRawBufferPointer, path: UnsafeRawBufferPointer, firstLine: Int, scratch: SecretScratch,
    _ found: (SecretMatch) -> Void
  ) {
    let info = scratch.pathInfo(for: path, matcher: self)
    scratch.pending.removeAll(keepingCapacity: true)
    scratch.decodedSegments = 0
    // What the buffer itself gave, so that a secret also seen plainly on the same line (a token after
    // `%3D`) is not reported twice. Matches are few: a list will do.
    var plain: [(rule: Int, line: Int, secret: [UInt8])] = []
    scan(buffer, info: info, firstLine: firstLine, depth: 0, scratch: scratch) { match in
      plain.append((match.rule, match.line, match.secret))
      found(match)
    }
    guard !scratch.pending.isEmpty else { return }
    // Segments the decoding rules found, scanned once the buffer is done (the scratch is free then);
    // what they hold is placed at the segment, and may queue deeper segments in turn.
    var next = 0
    while next < scratch.pending.count {
      let segment = scratch.pending[next]
      next += 1
      segment.bytes.withUnsafeBytes { bytes in
        scan(bytes, info: info, firstLine: segment.line, depth: segment.depth, scratch: scratch) { inner in
          if plain.contains(where: { $0.rule == inner.rule && $0.line == segment.line && $0.secret == inner.secret }) { return }
          plain.append((inner.rule, segment.line, inner.secret))
          found(SecretMatch(rule: inner.rule, line: segment.line, column: segment.column, secret: inner.secret,
                            inTestPath: inner.inTestPath, verdict: inner.verdict))
        }
      }
    }
    scratch.pending.removeAll(keepingCapacity: true)
  }

  private func scan(
    _ buffer: UnsafeRawBufferPointer, info: PathInfo, firstLine: Int, depth: Int, scratch: SecretScratch,
    _ found: (SecretMatch) -> Void
  ) {
    withoutActuallyEscaping(found) { found in
      var run = Run(buffer: buffer, firstLine: firstLine, info: info, depth: depth, found: found)
      var lineStart = 0
      var lineEnd = -1  // offset of the current line's line feed, or buffer.count
      scratch.resetLine()
      info.enabled.withUnsafeBufferPointer { enabled in
        automaton.forEachHit(in: buffer) { offset, rules in
          if offset >= lineEnd {
            if scratch.hasCandidates { examine(lineStart, lineEnd, &run, scratch) }
            var start = offset
            while start > 0 && start > lineEnd && buffer[start - 1] != 0x0A { start -= 1 }
            lineStart = start
            lineEnd = ByteSearch.lineFeed(in: buffer, from: offset) ?? buffer.count
            scratch.resetLine()
          }
          for rule in rules where enabled[Int(rule)] {
            scratch.addCandidate(rule: rule, at: offset, limit: filters.maxWindowsPerLine)
          }
        }
      }
      if scratch.hasCandidates { examine(lineStart, lineEnd, &run, scratch) }
      if !info.keywordless.isEmpty { scanKeywordless(&run, scratch) }
    }
  }

  /// Convenience for callers holding arrays.
  public func scan(_ buffer: [UInt8], path: [UInt8], firstLine: Int = 1, scratch: SecretScratch) -> [SecretMatch] {
    var result: [SecretMatch] = []
    buffer.withUnsafeBytes { bytes in
      path.withUnsafeBytes { pathBytes in
        scan(bytes, path: pathBytes, firstLine: firstLine, scratch: scratch) { result.append($0) }
      }
    }
    return result
  }

  /// State of one `scan` call: the buffer, the path facts, and a line counter that only moves forward.
  struct Run {
    let buffer: UnsafeRawBufferPointer
    let firstLine: Int
    let info: PathInfo
    /// 0 for the buffer given to `scan`, 1 and more for decoded segments.
    let depth: Int
    let found: (SecretMatch) -> Void
    var countedUpTo = 0
    var linesBefore = 0

    init(buffer: UnsafeRawBufferPointer, firstLine: Int, info: PathInfo, depth: Int, found: @escaping (SecretMatch) -> Void) {
      self.buffer = buffer
      self.firstLine = firstLine
      self.info = info
      self.depth = depth
      self.found = found
    }

    mutating func lineNumber(at lineStart: Int) -> Int {
      if lineStart < countedUpTo {
        countedUpTo = 0
        linesBefore = 0
      }
      linesBefore += ByteSearch.countLineFeeds(in: buffer, from: countedUpTo, to: lineStart)
      countedUpTo = lineStart
      return firstLine + linesBefore
    }
  }

  private func examine(_ lineStart: Int, _ rawLineEnd: Int, _ run: inout Run, _ scratch: SecretScratch) {
    let buffer = run.buffer
    var lineEnd = rawLineEnd
    if lineEnd > lineStart && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
    let line = UnsafeRawBufferPointer(rebasing: buffer[lineStart..<lineEnd])
    if ByteSearch.containsFolded(line, ignoreMarker) { return }
    let length = lineEnd - lineStart
    scratch.linesExamined += 1
    scratch.emitted.removeAll(keepingCapacity: true)
    if length <= filters.maxLineLength {
      // Specific rules first, so that a generic rule can step aside for the secret they found; rule
      // order within each kind keeps the outcome independent of where the keywords were hit.
      scratch.sortCandidates()
      for generic in [false, true] {
        if generic && length > filters.genericMaxLineLength { break }
        for rule in scratch.candidateRules where compiled[Int(rule)].generic == generic {
          let r = Int(rule)
          let end = compiled[r].multiline ? min(buffer.count, lineStart + filters.multilineSpan) : lineEnd
          match(rule: r, subject: lineStart..<end, line: lineStart..<lineEnd, &run, scratch)
        }
      }
    } else {
      scratch.longLines += 1
      var lastWindowEnd: [Int32: Int] = [:]
      for (rule, hit) in scratch.candidateHits {
        let r = Int(rule)
        if compiled[r].generic { continue }
        if let end = lastWindowEnd[rule], hit + filters.windowBefore / 2 < end { continue }
        let from = max(lineStart, hit - filters.windowBefore)
        let to = compiled[r].multiline ? min(buffer.count, hit + filters.multilineSpan) : min(lineEnd, hit + filters.windowAfter)
        lastWindowEnd[rule] = to
        match(rule: r, subject: from..<to, line: lineStart..<lineEnd, &run, scratch)
      }
    }
  }

  private func scanKeywordless(_ run: inout Run, _ scratch: SecretScratch) {
    let buffer = run.buffer
    var start = 0
    var number = run.firstLine
    run.countedUpTo = 0
    run.linesBefore = 0
    while start < buffer.count {
      let feed = ByteSearch.lineFeed(in: buffer, from: start) ?? buffer.count
      var end = feed
      if end > start && buffer[end - 1] == 0x0D { end -= 1 }
      if end - start <= filters.maxLineLength {
        let line = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
        if !ByteSearch.containsFolded(line, ignoreMarker) {
          scratch.emitted.removeAll(keepingCapacity: true)
          run.countedUpTo = start
          run.linesBefore = number - run.firstLine
          for rule in run.info.keywordless {
            let r = Int(rule)
            if compiled[r].generic && end - start > filters.genericMaxLineLength { continue }
            match(rule: r, subject: start..<end, line: start..<end, &run, scratch)
          }
        }
      }
      start = feed + 1
      number += 1
    }
  }

  /// Runs one rule over `subject` (absolute offsets), reporting matches that start inside `line`.
  private func match(rule r: Int, subject: Range<Int>, line: Range<Int>, _ run: inout Run, _ scratch: SecretScratch) {
    let rule = compiled[r]
    let bytes = UnsafeRawBufferPointer(rebasing: run.buffer[subject])
    var start = 0
    var count = 0
    while start <= bytes.count && count < Self.maxMatchesPerRuleAndLine {
      guard let m = scratch.patterns.firstMatch(rule.pattern, in: bytes, from: start, group: rule.group) else { break }
      count += 1
      if subject.lowerBound + m.whole.lowerBound >= line.upperBound && line.upperBound < subject.upperBound { break }
      let secretRange = m.group ?? m.whole
      let absolute = (subject.lowerBound + secretRange.lowerBound)..<(subject.lowerBound + secretRange.upperBound)
      start = max(m.whole.upperBound, m.whole.lowerBound + 1)
      if scratch.emitted.contains(where: { $0.rule == r && $0.range.lowerBound == absolute.lowerBound }) { continue }
      // A generic rule does not repeat a secret another rule already reported on this line.
      if rule.generic && scratch.emitted.contains(where: { $0.rule != r && $0.range.overlaps(absolute) }) { continue }
      var secret = Array(UnsafeRawBufferPointer(rebasing: run.buffer[absolute]))
      if let decoding = rule.decode {
        queue(decoding, secret, at: absolute.lowerBound, line: line, &run, scratch)
        continue
      }
      if rule.multiline { secret = Self.stripLayout(secret) }
      guard let verdict = accept(secret: secret, at: absolute.lowerBound, rule: rule, line: line, run.buffer, scratch) else { continue }
      scratch.emitted.append((r, absolute))
      let number = run.lineNumber(at: line.lowerBound)
      run.found(
        SecretMatch(
          rule: r, line: number, column: absolute.lowerBound - line.lowerBound + 1, secret: secret,
          inTestPath: run.info.inTestPath, verdict: verdict))
    }
  }

  /// Decodes a decoding rule's capture and queues it for scanning, when it is text, small enough, not
  /// too deep and not one segment too many.
  private func queue(_ decoding: Decoding, _ encoded: [UInt8], at offset: Int, line: Range<Int>, _ run: inout Run,
                     _ scratch: SecretScratch) {
    guard run.depth < Self.maxDecodeDepth, scratch.decodedSegments < Self.maxDecodedSegments,
      encoded.count <= Self.maxDecodedBytes * 2
    else { return }
    let decoded: [UInt8]?
    switch decoding {
    case .url: decoded = PercentEncoding.decode(encoded)
    case .base64: decoded = Base64.decode((encoded.contains(UInt8(ascii: "%")) ? PercentEncoding.decode(encoded) ?? encoded : encoded)[...])
    }
    guard let decoded, decoded.count >= 8, decoded.count <= Self.maxDecodedBytes, decoded != encoded, FalseAlarm.isText(decoded) else { return }
    scratch.decodedSegments += 1
    scratch.pending.append(DecodedSegment(bytes: decoded, line: run.lineNumber(at: line.lowerBound),
                                          column: offset - line.lowerBound + 1, depth: run.depth + 1))
  }

  /// Removes whitespace and `\n`/`\r` escapes, so a PEM body has one form whatever its layout.
  static func stripLayout(_ secret: [UInt8]) -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(secret.count)
    var i = 0
    while i < secret.count {
      let byte = secret[i]
      if byte == UInt8(ascii: "\\"), i + 1 < secret.count, secret[i + 1] == UInt8(ascii: "n") || secret[i + 1] == UInt8(ascii: "r") {
        i += 2
        continue
      }
      if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { result.append(byte) }
      i += 1
    }
    return result
  }

  // MARK: - False alarms

  /// The secret's verdict when it is one to report, nil when a filter vetoes it. A value its vendor
  /// publishes is reported (as such) before any filter can take it for a placeholder; a format public
  /// by design and then the format's own check run last, on the few candidates every filter let through.
  private func accept(
    secret: [UInt8], at offset: Int, rule: CompiledRule, line: Range<Int>, _ buffer: UnsafeRawBufferPointer,
    _ scratch: SecretScratch
  ) -> SecretVerdict? {
    guard !secret.isEmpty else { return nil }
    if let index = publicValues[secret] { return SecretVerdict(kind: .publicValue, detail: Int64(index)) }
    guard passes(secret: secret, at: offset, rule: rule, line: line, buffer, scratch) else { return nil }
    // A format public by design comes after the filters: `phc_xxxx…` is a placeholder, not a key.
    if !publicFormats.isEmpty {
      let format = secret.withUnsafeBytes { value in publicFormats.first { scratch.patterns.matches($0.pattern, value) } }
      if let format { return SecretVerdict(kind: .publicValue, detail: Int64(format.index)) }
    }
    return rule.check?.verdict(secret) ?? .unchecked
  }

  private func passes(
    secret: [UInt8], at offset: Int, rule: CompiledRule, line: Range<Int>, _ buffer: UnsafeRawBufferPointer,
    _ scratch: SecretScratch
  ) -> Bool {
    let lineBytes = UnsafeRawBufferPointer(rebasing: buffer[line])
    if rule.entropy > 0 && Self.entropy(secret) < rule.entropy { return false }
    return secret.withUnsafeBytes { value in
      for pattern in rule.allowValues where scratch.patterns.matches(pattern, value) { return false }
      for pattern in rule.allowLines where scratch.patterns.matches(pattern, lineBytes) { return false }
      for word in rule.stopwords where ByteSearch.containsFolded(value, word) { return false }
      let skip = rule.skip
      if standsIn(value, skip: skip, scratch) { return false }
      if !skip.contains(.environment) && rule.generic {
        for word in environmentReferences where ByteSearch.containsFolded(lineBytes, word) { return false }
      }
      if !skip.contains(.uuid) && FalseAlarm.isUUID(value) { return false }
      if !skip.contains(.hash) && FalseAlarm.isHexHash(value) {
        let before = UnsafeRawBufferPointer(rebasing: buffer[line.lowerBound..<max(line.lowerBound, min(offset, line.upperBound))])
        for word in hashNames where ByteSearch.containsFolded(before, word) { return false }
      }
      if !skip.contains(.integrity) && FalseAlarm.isIntegrity(value, line: lineBytes) { return false }
      if !skip.contains(.dataURI) && FalseAlarm.isInDataURI(buffer, offset: offset, lineStart: line.lowerBound) {
        return false
      }
      if rule.generic && isGenericNonSecret(value, skip: skip, scratch) { return false }
      return true
    }
  }

  /// The filters that judge a value alone: a template or reference, a placeholder word, a repeated or
  /// sequential run, an environment or secret-manager reference.
  private func standsIn(_ value: UnsafeRawBufferPointer, skip: Set<FalseAlarmFilters.Name>, _ scratch: SecretScratch) -> Bool {
    if !skip.contains(.template) {
      if FalseAlarm.isTemplate(value) { return true }
      for pattern in templateValues where scratch.patterns.matches(pattern, value) { return true }
    }
    if !skip.contains(.placeholder) {
      for word in placeholderWords where ByteSearch.containsFolded(value, word) { return true }
    }
    if !skip.contains(.repeated) && FalseAlarm.isRepeated(value) { return true }
    if !skip.contains(.sequential) && FalseAlarm.hasSequence(value) { return true }
    if !skip.contains(.environment) {
      for word in environmentReferences where ByteSearch.containsFolded(value, word) { return true }
    }
    return false
  }

  /// What generic rules also drop: a word or phrase, a stop-word (`localhost`, `password`), an
  /// identifier, a path, a URL without credentials, a version.
  private func isGenericNonSecret(_ value: UnsafeRawBufferPointer, skip: Set<FalseAlarmFilters.Name>, _ scratch: SecretScratch) -> Bool {
    if !skip.contains(.naturalLanguage) && FalseAlarm.isNaturalLanguage(value) { return true }
    for word in genericStopwords where ByteSearch.containsFolded(value, word) { return true }
    for pattern in genericValueAllow where scratch.patterns.matches(pattern, value) { return true }
    return false
  }

  /// Shannon entropy of the bytes, in bits per byte.
  public static func entropy(_ bytes: [UInt8]) -> Double { FalseAlarm.entropy(bytes) }

  // MARK: - Paths

  /// Facts about one path that do not change from line to line. A class: the scan hands the facts of
  /// the current path around with every run of added lines, and one reference is cheaper to pass than
  /// four arrays.
  final class PathInfo: Equatable, Sendable {
    let enabled: [Bool]
    let keywordless: [Int32]
    let inTestPath: Bool
    /// The sensitive-file rules whose globs take the path (content not considered), in rule order.
    let fileRules: [Int]
    /// Those of `fileRules` with a `contains` pattern.
    let contentFileRules: [Int]

    init(enabled: [Bool], keywordless: [Int32], inTestPath: Bool, fileRules: [Int], contentFileRules: [Int]) {
      self.enabled = enabled
      self.keywordless = keywordless
      self.inTestPath = inTestPath
      self.fileRules = fileRules
      self.contentFileRules = contentFileRules
    }

    static func == (a: PathInfo, b: PathInfo) -> Bool {
      a === b || (a.enabled == b.enabled && a.keywordless == b.keywordless && a.inTestPath == b.inTestPath
        && a.fileRules == b.fileRules && a.contentFileRules == b.contentFileRules)
    }
  }

  /// The facts of `path`: remembered from an earlier call by any thread, else its globs matched now.
  func pathInfo(_ path: UnsafeRawBufferPointer) -> PathInfo {
    let hash = PathFactsTable.hash(path)
    if let known = knownPaths.withLock({ $0.find(path, hash: hash) }) { return known }
    let bytes = UnsafeBufferPointer(start: path.baseAddress?.assumingMemoryBound(to: UInt8.self), count: path.count)
    let info = withPathMatches(bytes) { matches in
      guard let matches else { return plainPathInfo }
      return Self.pathInfo(matches, compiled, fileContains)
    }
    return knownPaths.withLock { $0.insert(path, hash: hash, info) }
  }

  func pathInfo(_ path: UnsafeBufferPointer<UInt8>) -> PathInfo { pathInfo(UnsafeRawBufferPointer(path)) }

  /// The sensitive-file rules with a `contains` pattern whose globs take `path`, in rule order: the
  /// ones to ask `fileRule(_:matchesContent:scratch:)`. Remembered per path in the scratch, as the
  /// history pass meets the same paths again and again.
  public func contentFileRules(path: UnsafeRawBufferPointer, scratch: SecretScratch) -> [Int] {
    scratch.pathInfo(for: path, matcher: self).contentFileRules
  }

  private static func pathInfo(_ matches: PathMatches, _ compiled: [CompiledRule], _ fileContains: [Pattern?]) -> PathInfo {
    let genericSkipped = matches.contains(PathList.genericSkip)
    var enabled = [Bool](repeating: true, count: compiled.count)
    var keywordlessRules: [Int32] = []
    // Indexing rather than iterating avoids copying each rule (and retaining its arrays) per file.
    for index in compiled.indices {
      var on = !(compiled[index].generic && genericSkipped)
      if on && !compiled[index].paths.isEmpty && !matches.contains(PathList.paths(rule: index)) { on = false }
      if on && matches.contains(PathList.allowPaths(rule: index)) { on = false }
      let keywordless = compiled[index].keywordless
      enabled[index] = on && !keywordless
      if on && keywordless { keywordlessRules.append(Int32(index)) }
    }
    let fileRules = fileContains.indices.filter {
      matches.contains(PathList.paths(fileRule: $0, ruleCount: compiled.count))
        && !matches.contains(PathList.exclude(fileRule: $0, ruleCount: compiled.count))
    }
    return PathInfo(enabled: enabled, keywordless: keywordlessRules, inTestPath: matches.contains(PathList.test),
                    fileRules: fileRules, contentFileRules: fileRules.filter { fileContains[$0] != nil })
  }

  /// The sensitive-file rules whose globs take `path` (content not considered), in rule order.
  public func sensitiveFileRules(path: UnsafeBufferPointer<UInt8>) -> [Int] {
    pathInfo(path).fileRules
  }

  public func sensitiveFileRules(path: [UInt8]) -> [Int] {
    path.withUnsafeBufferPointer { sensitiveFileRules(path: $0) }
  }

  /// A test or fixture path by the filters' `testPaths`.
  public func isTestPath(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
    pathInfo(path).inTestPath
  }

  public func isTestPath(_ path: [UInt8]) -> Bool {
    path.withUnsafeBufferPointer { isTestPath($0) }
  }

  /// The first sensitive-file rule whose globs match `path`, skipping rules that need the content.
  public func sensitiveFile(path: [UInt8]) -> SensitiveFileRule? {
    sensitiveFileRules(path: path).first { fileContains[$0] == nil }.map { ruleSet.fileRules[$0] }
  }

  /// The first sensitive-file rule matching `path` and, for rules with `contains`, the content (its
  /// first `multilineSpan` bytes are examined).
  public func sensitiveFile(path: [UInt8], content: UnsafeRawBufferPointer, scratch: SecretScratch) -> SensitiveFileRule? {
    for index in sensitiveFileRules(path: path) where fileRule(index, matchesContent: content, scratch: scratch) {
      return ruleSet.fileRules[index]
    }
    return nil
  }

  /// True when file rule `index` needs no content, or its `contains` pattern matches the content. A
  /// pattern with a capture group captures the value: a match counts only when that value is not a
  /// published one, a placeholder, a template or what a generic rule drops (`.env.development` holding
  /// only reCAPTCHA's test secret, `SECRET_KEY=changeme` or a `localhost` database URL is not a
  /// committed credential).
  public func fileRule(_ index: Int, matchesContent content: UnsafeRawBufferPointer, scratch: SecretScratch) -> Bool {
    guard let pattern = fileContains[index] else { return true }
    let head = UnsafeRawBufferPointer(rebasing: content[0..<min(content.count, filters.multilineSpan)])
    guard pattern.captureCount > 0 else { return scratch.patterns.matches(pattern, head) }
    var start = 0
    for _ in 0..<Self.maxValuesPerFile {
      guard start <= head.count, let m = scratch.patterns.firstMatch(pattern, in: head, from: start, group: 1) else { return false }
      guard let value = m.group else { return true }
      if !isStandIn(UnsafeRawBufferPointer(rebasing: head[value]), scratch) { return true }
      start = max(m.whole.upperBound, m.whole.lowerBound + 1)
    }
    return true  // more values than are worth judging one by one
  }

  /// How many captured values of a `contains` pattern are judged before the file is taken as sensitive.
  static let maxValuesPerFile = 256

  /// A value anyone may know or that stands in for one (published, a placeholder, a template), or one
  /// a generic rule would not take for a secret (a word, a local URL, an identifier).
  private func isStandIn(_ value: UnsafeRawBufferPointer, _ scratch: SecretScratch) -> Bool {
    if value.isEmpty || publicValues[Array(value)] != nil { return true }
    if publicFormats.contains(where: { scratch.patterns.matches($0.pattern, value) }) { return true }
    return standsIn(value, skip: [], scratch) || isGenericNonSecret(value, skip: [], scratch)
  }
}

/// One secret found by a rule.
public struct SecretMatch: Sendable, Equatable {
  /// Index into `SecretMatcher.rules`.
  public let rule: Int
  /// Line number of the start of the match (counted from `firstLine`).
  public let line: Int
  /// 1-based byte column of the secret in its line.
  public let column: Int
  /// The secret's bytes (multiline secrets without their layout). Never print it: see `Redaction`.
  public let secret: [UInt8]
  /// The path is a test or fixture path: keep the finding, lower it.
  public let inTestPath: Bool
  /// A public value, or what the format's own check said.
  public let verdict: SecretVerdict

  public init(rule: Int, line: Int, column: Int, secret: [UInt8], inTestPath: Bool, verdict: SecretVerdict = .unchecked) {
    self.rule = rule
    self.line = line
    self.column = column
    self.secret = secret
    self.inTestPath = inTestPath
    self.verdict = verdict
  }
}

/// Per-thread working memory of a `SecretMatcher`: PCRE2 match data and limits, the candidate rules
/// of the current line, and the facts of the last path seen. Create one per worker with
/// `makeScratch()`; never share it.
public final class SecretScratch {
  let patterns: PatternScratch
  private(set) var candidateRules: [Int32] = []
  private(set) var candidateHits: [(Int32, Int)] = []
  private var ruleStamp: [UInt32]
  private var stamp: UInt32 = 1
  var emitted: [(rule: Int, range: Range<Int>)] = []
  /// Decoded segments waiting to be scanned, and how many this buffer has queued.
  var pending: [DecodedSegment] = []
  var decodedSegments = 0
  /// The paths this scratch met, with their facts (the matcher's shared table answers the first sight).
  private var knownPaths = PathFactsTable()
  /// The last path asked about and its facts: a commit's runs of one file come one after another.
  private var cachedPath: [UInt8] = []
  private var cachedInfo: SecretMatcher.PathInfo? = nil

  /// Regex runs abandoned because the PCRE2 match or depth limit was reached (hostile input).
  public var limitHits: Int { patterns.limitHits }
  /// Regex searches started, and the bytes they were handed: the matcher's work beyond its one
  /// automaton pass, which input cannot make more than linear (`SecretsEndToEndTests`).
  public var regexRuns: Int { patterns.runs }
  public var regexBytes: Int { patterns.subjectBytes }
  /// Lines on which at least one rule ran its pattern.
  public internal(set) var linesExamined = 0
  /// Lines over `maxLineLength` examined only around their keyword hits.
  public internal(set) var longLines = 0
  /// Lines with more keyword hits than `maxWindowsPerLine`, of which only the first were examined.
  public internal(set) var truncatedLines = 0

  init(ruleCount: Int, maxCaptures: Int) {
    patterns = PatternScratch(maxCaptures: maxCaptures)
    ruleStamp = [UInt32](repeating: 0, count: ruleCount)
  }

  var hasCandidates: Bool { !candidateRules.isEmpty }

  @inline(__always) func resetLine() {
    candidateRules.removeAll(keepingCapacity: true)
    candidateHits.removeAll(keepingCapacity: true)
    stamp &+= 1
    if stamp == 0 {
      for i in ruleStamp.indices { ruleStamp[i] = 0 }
      stamp = 1
    }
  }

  func sortCandidates() { candidateRules.sort() }

  @inline(__always) func addCandidate(rule: Int32, at offset: Int, limit: Int) {
    if ruleStamp[Int(rule)] != stamp {
      ruleStamp[Int(rule)] = stamp
      candidateRules.append(rule)
    }
    if candidateHits.count < limit {
      candidateHits.append((rule, offset))
    } else if candidateHits.count == limit {
      truncatedLines += 1
      candidateHits.append((rule, offset))
    }
  }

  func pathInfo(for path: UnsafeRawBufferPointer, matcher: SecretMatcher) -> SecretMatcher.PathInfo {
    if let cachedInfo, PathFactsTable.same(cachedPath, path) { return cachedInfo }
    let hash = PathFactsTable.hash(path)
    let info = knownPaths.find(path, hash: hash) ?? knownPaths.insert(path, hash: hash, matcher.pathInfo(path))
    cachedPath.removeAll(keepingCapacity: true)
    cachedPath.append(contentsOf: path)
    cachedInfo = info
    return info
  }
}

/// A segment a decoding rule decoded, with where its matches are reported.
struct DecodedSegment {
  let bytes: [UInt8]
  let line: Int
  let column: Int
  let depth: Int
}
