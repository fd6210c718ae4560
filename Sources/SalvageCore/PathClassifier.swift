import Git
import Glibc
import TOML

/// What a file of the tree is, for every figure that must leave some files out.
public enum FileClass: String, Sendable, Codable, CaseIterable, Comparable {
  case source, test, docs, config, vendored, generated, lockfile, binary, other

  public static func < (a: FileClass, b: FileClass) -> Bool { a.rawValue < b.rawValue }
}

/// Classifies paths (and, for binary and generated files, content) by the rules of `classify.toml` and
/// `languages.toml`.
public struct PathClassifier: Sendable {
  struct ClassRule: Sendable {
    let fileClass: FileClass
    let globs: GlobSet
    let markers: [[UInt8]]
  }

  private let classes: [ClassRule]
  private let extensions: [String: String]
  private let filenames: [String: String]
  private let code: Set<String>

  public init(rules: RuleSet) throws(RuleError) {
    guard let classify = rules.table("classify.toml") else { throw RuleError(file: "classify.toml", message: "missing") }
    guard let entries = classify["class"]?.array else {
      throw RuleError(file: "classify.toml", message: "expected [[class]] tables")
    }
    var classes: [ClassRule] = []
    for entry in entries {
      guard let table = entry.table, let name = table["name"]?.string, let fileClass = FileClass(rawValue: name) else {
        throw RuleError(file: "classify.toml", line: entry.table?.line, message: "each [[class]] needs a known `name`")
      }
      let globs = GlobSet(table["paths"]?.stringArray ?? [])
      let markers = (table["markers"]?.stringArray ?? []).map { Array($0.utf8) }
      classes.append(ClassRule(fileClass: fileClass, globs: globs, markers: markers))
    }
    self.classes = classes
    var extensions: [String: String] = [:], filenames: [String: String] = [:]
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
  }

  /// The language of a path by its file name or extension, or nil.
  public func language<C: BidirectionalCollection>(of path: C) -> String? where C.Element == UInt8 {
    let name = path.split(separator: UInt8(ascii: "/")).last.map { String(decoding: $0, as: UTF8.self) } ?? ""
    if let language = filenames[name] { return language }
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
    return extensions[name[name.index(after: dot)...].lowercased()]
  }

  /// The class of a file. `head` is the start of its content when known (binary check, generated markers).
  public func classify<C: BidirectionalCollection>(_ path: C, head: UnsafeRawBufferPointer? = nil) -> FileClass where C.Element == UInt8 {
    let bytes = Array(path)
    let isBinary = head.map(GitText.isBinary) ?? false
    for rule in classes {
      if rule.fileClass == .binary {
        if isBinary || rule.globs.matches(bytes) { return .binary }
        continue
      }
      if rule.globs.matches(bytes) { return rule.fileClass }
      if !rule.markers.isEmpty, let head, !isBinary, Self.containsMarker(rule.markers, in: head) { return rule.fileClass }
    }
    if isBinary { return .binary }
    if let language = language(of: bytes), code.contains(language) { return .source }
    return .other
  }


  private static func containsMarker(_ markers: [[UInt8]], in content: UnsafeRawBufferPointer) -> Bool {
    // Only the first five lines: a marker deep inside a file is prose about generation, not a header.
    var end = 0, lines = 0
    while end < content.count, lines < 5 {
      if content[end] == 0x0A { lines += 1 }
      end += 1
    }
    guard let base = content.baseAddress else { return false }
    return markers.contains { marker in
      marker.withUnsafeBytes { needle in
        guard let first = needle.first, needle.count <= end else { return false }
        var at = base
        var rest = end - needle.count + 1
        // Candidates by their first byte (memchr), then the whole marker.
        while rest > 0, let hit = memchr(at, Int32(first), rest) {
          if memcmp(hit, needle.baseAddress!, needle.count) == 0 { return true }
          let skipped = at.distance(to: UnsafeRawPointer(hit)) + 1
          at += skipped
          rest -= skipped
        }
        return false
      }
    }
  }
}
