import Git
import GlobEngine
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import TOML

/// What a file of the tree is, for every figure that must leave some files out.
public enum FileClass: String, Sendable, Codable, CaseIterable, Comparable {
  case source, test, docs, config, vendored, generated, lockfile, binary, translation, other

  public static func < (a: FileClass, b: FileClass) -> Bool { a.rawValue < b.rawValue }
}

/// What classifying a file needs of its bytes (see `PathClassifier.signature(of:)`).
public struct ContentSignature: Equatable, Sendable {
  /// git's test: a NUL byte in the first 8,000.
  public var isBinary: Bool
  /// Bit n set: the markers of the n-th class that has markers are in the file's header (its first
  /// `PathClassifier.headerLines` lines, at most `PathClassifier.headerBytes` bytes).
  public var markers: UInt64
  /// The header's lines average more than `PathClassifier.longLine` bytes: minified code, as linguist
  /// tells it (which paths this can mark is the rules' `long_lines`).
  public var longLines: Bool

  public init(isBinary: Bool, markers: UInt64, longLines: Bool = false) {
    self.isBinary = isBinary
    self.markers = markers
    self.longLines = longLines
  }
}

/// Classifies paths (and, for binary and generated files, content) by the rules of `classify.toml` and
/// `languages.toml`.
public struct PathClassifier: Sendable {
  struct ClassRule: Sendable {
    let fileClass: FileClass
    /// The markers grouped by their first byte: each byte is looked for once (memchr), however many
    /// markers start with it.
    let markers: [(first: UInt8, needles: [[UInt8]])]
    /// Paths that belong to the class when their header's lines are long (minified code).
    let longLines: GlobSet?
  }

  /// Markers are looked for in a file's header: a licence header of 15 to 30 lines may come first
  /// (Go's rule reads 40 lines), and 4 KiB bounds the search in a file of very long lines.
  public static let headerLines = 40
  public static let headerBytes = 4096
  /// Average bytes a line above which a header reads as minified (linguist's figure).
  public static let longLine = 110

  private let classes: [ClassRule]
  /// For each class, its bit in `ContentSignature.markers`, or -1 when it has no markers.
  private let markerBits: [Int]
  /// Every class's globs in one table, a list per class in order: the first list that matches is
  /// the first class whose paths claim the file.
  private let globs: GlobTable
  private let extensions: [String: String]
  private let filenames: [String: String]
  private let code: Set<String>
  /// `filenames` and `extensions` by bytes (values index `languages`), for file names in ASCII; nil when
  /// a key is not ASCII (String equality is Unicode equivalence there, which bytes cannot follow).
  private let asciiNames: ByteTable?
  private let asciiExtensions: ByteTable?
  private let languages: [String]

  public init(rules: RuleSet) throws(RuleError) {
    let reader = try RuleReader(rules, file: "classify.toml", required: true)
    let classify = reader.table
    // The examples are run by the suite.
    try reader.check(known: ["class", "examples"])
    try reader.check(known: ["cases"], in: "examples")
    guard let entries = classify["class"]?.array else {
      throw RuleError(file: "classify.toml", message: "expected [[class]] tables")
    }
    var classes: [ClassRule] = []
    var globs: [[Glob]] = []
    for entry in entries {
      guard let table = entry.table, let name = table["name"]?.string, let fileClass = FileClass(rawValue: name) else {
        throw RuleError(file: "classify.toml", line: entry.table?.line, message: "each [[class]] needs a known `name`")
      }
      try reader.check(table, known: ["name", "paths", "markers", "long_lines", "examples", "counterexamples"])
      for key in ["paths", "markers", "long_lines"] { _ = try reader.strings(table, key) }
      globs.append((table["paths"]?.stringArray ?? []).map { Glob($0, case: .sensitive, anchoring: .anyDepth) })
      var groups: [UInt8: [[UInt8]]] = [:]
      for marker in table["markers"]?.stringArray ?? [] where !marker.isEmpty { groups[marker.utf8.first!, default: []].append(Array(marker.utf8)) }
      let markers = groups.keys.sorted().map { (first: $0, needles: groups[$0]!) }
      let longLines = table["long_lines"]?.stringArray.map { GlobSet($0, case: .sensitive, anchoring: .anyDepth) }
      classes.append(ClassRule(fileClass: fileClass, markers: markers, longLines: longLines))
    }
    var markerBits: [Int] = []
    var bits = 0
    for rule in classes {
      markerBits.append(rule.markers.isEmpty ? -1 : bits)
      if !rule.markers.isEmpty { bits += 1 }
    }
    guard bits <= 64 else { throw RuleError(file: "classify.toml", message: "at most 64 classes can have `markers`") }
    self.classes = classes
    self.markerBits = markerBits
    self.globs = GlobTable(lists: globs)
    var extensions: [String: String] = [:], filenames: [String: String] = [:]
    let languageRules = try RuleReader(rules, file: "languages.toml")
    try languageRules.check(known: ["extensions", "filenames", "code", "examples"])
    try languageRules.check(known: ["languages"], in: "code")
    try languageRules.check(known: ["cases"], in: "examples")
    _ = try languageRules.strings("languages", section: "code")
    for section in ["extensions", "filenames"] {
      guard let names = try languageRules.value(nil, section) else { continue }
      guard let table = names.value.table else { throw languageRules.error(nil, section, "must be a table", line: names.line) }
      for language in table.keys { _ = try languageRules.strings(table, language) }
    }
    let languages = rules.table("languages.toml")
    for (language, value) in languages?["extensions"]?.table?.entries ?? [] {
      for ext in value.stringArray ?? [] { extensions[ext.lowercased()] = language }
    }
    for (language, value) in languages?["filenames"]?.table?.entries ?? [] {
      for name in value.stringArray ?? [] { filenames[name] = language }
    }
    self.extensions = extensions
    self.filenames = filenames
    self.code = Set(languages?["code"]?.table?["languages"]?.stringArray ?? [])
    let names = Array(Set(extensions.values).union(filenames.values)).sorted()
    let number = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
    func table(_ map: [String: String]) -> ByteTable? {
      guard map.keys.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return nil }
      return ByteTable(map.map { (Array($0.key.utf8), number[$0.value]!) })
    }
    self.languages = names
    asciiNames = table(filenames)
    asciiExtensions = table(extensions)
  }

  /// The language of a path by its file name or extension, or nil.
  public func language<C: BidirectionalCollection>(of path: C) -> String? where C.Element == UInt8 {
    if let known = path.withContiguousStorageIfAvailable({ language(bytes: $0) }) { return known }
    return Array(path).withUnsafeBufferPointer { language(bytes: $0) }
  }

  private func language(bytes path: UnsafeBufferPointer<UInt8>) -> String? {
    // The last non-empty segment.
    var end = path.count
    while end > 0, path[end - 1] == UInt8(ascii: "/") { end -= 1 }
    var start = end
    var ascii = true
    while start > 0, path[start - 1] != UInt8(ascii: "/") {
      start -= 1
      if path[start] >= 0x80 { ascii = false }
    }
    guard ascii, let asciiNames, let asciiExtensions, let base = path.baseAddress else { return language(slow: path) }
    let name = base + start, count = end - start
    if let n = asciiNames.value(name, count) { return languages[Int(n)] }
    var dot = count - 1
    while dot >= 0, name[dot] != UInt8(ascii: ".") { dot -= 1 }
    guard dot > 0 else { return nil }
    // The extension in lower case, as the table keys are.
    let length = count - dot - 1
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, length)) { ext in
      for i in 0..<length {
        let b = name[dot + 1 + i]
        ext[i] = b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b + 32 : b
      }
      return asciiExtensions.value(UnsafePointer(ext.baseAddress!), length).map { languages[Int($0)] }
    }
  }

  private func language(slow path: UnsafeBufferPointer<UInt8>) -> String? {
    let name = path.split(separator: UInt8(ascii: "/")).last.map { String(decoding: $0, as: UTF8.self) } ?? ""
    if let language = filenames[name] { return language }
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
    return extensions[name[name.index(after: dot)...].lowercased()]
  }

  /// The class of a file. `head` is the start of its content when known (binary check, generated markers).
  public func classify<C: BidirectionalCollection>(_ path: C, head: UnsafeRawBufferPointer? = nil) -> FileClass where C.Element == UInt8 {
    classify(path, content: head.map(signature(of:)))
  }

  /// The class of a file whose content is known by its signature (from `signature(of:)`), or unknown.
  public func classify<C: BidirectionalCollection>(_ path: C, content: ContentSignature?) -> FileClass where C.Element == UInt8 {
    if let known = path.withContiguousStorageIfAvailable({ classify(bytes: $0, content: content) }) { return known }
    return Array(path).withUnsafeBufferPointer { classify(bytes: $0, content: content) }
  }

  /// What classifying needs of a file's bytes: git's binary test, and which classes' markers are in its
  /// first lines. It depends on the bytes and the rules only, so it is kept per blob between scans.
  public func signature(of head: UnsafeRawBufferPointer) -> ContentSignature {
    let isBinary = GitText.isBinary(head)
    var markers: UInt64 = 0
    var longLines = false
    if !isBinary {
      let header = Self.header(of: head)
      for (n, rule) in classes.enumerated() where markerBits[n] >= 0 && Self.containsMarker(rule.markers, in: head, end: header.end) {
        markers |= 1 << UInt64(markerBits[n])
      }
      longLines = header.end > 0 && header.end / header.lines > Self.longLine
    }
    return ContentSignature(isBinary: isBinary, markers: markers, longLines: longLines)
  }

  /// Where the header ends (at most `headerLines` lines and `headerBytes` bytes) and how many lines it
  /// holds, a cut last line counting as one.
  static func header(of content: UnsafeRawBufferPointer) -> (end: Int, lines: Int) {
    let limit = min(content.count, headerBytes)
    guard limit > 0, let base = content.baseAddress else { return (0, 1) }
    var end = 0, lines = 0
    while end < limit, lines < headerLines, let hit = memchr(base + end, 0x0A, limit - end) {
      end = base.distance(to: UnsafeRawPointer(hit)) + 1
      lines += 1
    }
    if lines < headerLines, end < limit {
      end = limit
      lines += 1
    }
    return (end, max(1, lines))
  }

  private func classify(bytes: UnsafeBufferPointer<UInt8>, content: ContentSignature?) -> FileClass {
    let claimed = globs.firstList(bytes) ?? classes.count
    if let content {
      // Content decides before the paths of later classes: binary by a NUL byte, others by markers.
      for (n, rule) in classes.prefix(claimed).enumerated() {
        if rule.fileClass == .binary {
          if content.isBinary { return .binary }
          continue
        }
        if markerBits[n] >= 0, content.markers & (1 << UInt64(markerBits[n])) != 0 { return rule.fileClass }
        if content.longLines, let globs = rule.longLines, globs.matches(bytes) { return rule.fileClass }
      }
      if claimed < classes.count { return classes[claimed].fileClass }
      if content.isBinary { return .binary }
    } else if claimed < classes.count {
      return classes[claimed].fileClass
    }
    if let language = language(bytes: bytes), code.contains(language) { return .source }
    return .other
  }


  private static func containsMarker(_ markers: [(first: UInt8, needles: [[UInt8]])], in content: UnsafeRawBufferPointer, end: Int) -> Bool {
    // Only the header: a marker deep inside a file is prose about generation, not a header.
    guard let base = content.baseAddress else { return false }
    return markers.contains { group in
      var at = base
      var rest = end
      // Candidates by the group's first byte (memchr), then each whole marker that fits.
      while rest > 0, let hit = memchr(at, Int32(group.first), rest) {
        let left = end - base.distance(to: UnsafeRawPointer(hit))
        for needle in group.needles where needle.count <= left {
          if needle.withUnsafeBytes({ memcmp(hit, $0.baseAddress!, $0.count) }) == 0 { return true }
        }
        let skipped = at.distance(to: UnsafeRawPointer(hit)) + 1
        at += skipped
        rest -= skipped
      }
      return false
    }
  }
}
