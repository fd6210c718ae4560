import GlobEngine
import TOML

/// The secret rules, sensitive-file rules and false-alarm filter data, loaded from TOML.
///
/// File layout (see `rules/secrets/`):
/// ```toml
/// [filters]          # merged over all files
/// maxLineLength = 4096
/// placeholderWords = ["changeme", ...]
///
/// [[rules]]
/// id = "github-pat"  title = "..."  severity = "critical"
/// keywords = ["ghp_"]
/// pattern = '''\b(ghp_[A-Za-z0-9]{36})\b'''
/// examples = ['token = "ghp_..."', { line = "...", secret = "...", path = "..." }]
/// counterexamples = [...]
///
/// [[files]]
/// id = "private-key-file"  title = "..."  severity = "high"
/// paths = ["id_rsa", "*.pem"]  exclude = ["*.pub"]
/// examples = ["home/.ssh/id_rsa"]  counterexamples = ["id_rsa.pub"]
/// ```
/// A rule whose id was already loaded replaces the earlier one (user rules override built-in ones);
/// `disabled = true` removes it.
public struct SecretRuleSet: Sendable {
  public let rules: [SecretRule]
  public let fileRules: [SensitiveFileRule]
  public let filters: FalseAlarmFilters

  public static let severities = ["critical", "high", "medium", "low", "info"]

  /// Every path glob of the secret rules (`paths`, `allowPaths`, `exclude`, the filters' paths): case
  /// folded (`ID_RSA` and `Secrets.PEM` are as sensitive in lower case), and anchored as in `.gitignore`
  /// (`config/master.key` is the root's; `**/` for any depth).
  public static func pathGlob(_ pattern: String) -> Glob { Glob(pattern, case: .folded, anchoring: .gitignore) }

  /// Loads the given files in order. Errors name the file, the rule id and the key.
  public static func load(toml texts: [(name: String, text: String)]) throws(RuleError) -> SecretRuleSet {
    var rules: [SecretRule] = []
    var fileRules: [SensitiveFileRule] = []
    var filters = FalseAlarmFilters()
    for (name, text) in texts {
      let document: TOMLTable
      do {
        document = try TOML.parse(text)
      } catch {
        throw RuleError(file: name, rule: nil, key: nil, line: error.line, message: error.message)
      }
      for key in document.keys where !["filters", "rules", "files"].contains(key) {
        throw RuleError(file: name, rule: nil, key: key, line: document.line(of: key), message: "unknown top-level key")
      }
      if let value = document["filters"] {
        guard let table = value.table else {
          throw RuleError(file: name, rule: nil, key: "filters", line: document.line(of: "filters"), message: "must be a table")
        }
        try mergeFilters(table, into: &filters, file: name)
      }
      for table in try tables(document, "rules", file: name) {
        var reader = Reader(table: table, file: name)
        let id = try reader.identifier()
        if try reader.bool("disabled") == true {
          rules.removeAll { $0.id == id }
          continue
        }
        let rule = try reader.secretRule(id: id)
        try reader.finish()
        if let index = rules.firstIndex(where: { $0.id == id }) { rules[index] = rule } else { rules.append(rule) }
      }
      for table in try tables(document, "files", file: name) {
        var reader = Reader(table: table, file: name)
        let id = try reader.identifier()
        if try reader.bool("disabled") == true {
          fileRules.removeAll { $0.id == id }
          continue
        }
        let rule = try reader.fileRule(id: id)
        try reader.finish()
        if let index = fileRules.firstIndex(where: { $0.id == id }) { fileRules[index] = rule } else { fileRules.append(rule) }
      }
    }
    return SecretRuleSet(rules: rules, fileRules: fileRules, filters: filters)
  }

  public init(rules: [SecretRule], fileRules: [SensitiveFileRule], filters: FalseAlarmFilters) {
    self.rules = rules
    self.fileRules = fileRules
    self.filters = filters
  }

  private static func tables(_ document: TOMLTable, _ key: String, file: String) throws(RuleError) -> [TOMLTable] {
    guard let value = document[key] else { return [] }
    guard let array = value.array else {
      throw RuleError(file: file, rule: nil, key: key, line: document.line(of: key), message: "must be an array of tables ([[\(key)]])")
    }
    var result: [TOMLTable] = []
    for element in array {
      guard let table = element.table else {
        throw RuleError(file: file, rule: nil, key: key, line: document.line(of: key), message: "must be an array of tables ([[\(key)]])")
      }
      result.append(table)
    }
    return result
  }

  private static func mergeFilters(_ table: TOMLTable, into filters: inout FalseAlarmFilters, file: String) throws(RuleError) {
    var reader = Reader(table: table, file: file, rule: "[filters]")
    func number(_ key: String, _ target: inout Int) throws(RuleError) {
      if let value = try reader.int(key) {
        guard value > 0 else { throw reader.error(key, "must be positive") }
        target = value
      }
    }
    try number("maxLineLength", &filters.maxLineLength)
    try number("windowBefore", &filters.windowBefore)
    try number("windowAfter", &filters.windowAfter)
    try number("maxWindowsPerLine", &filters.maxWindowsPerLine)
    try number("genericMaxLineLength", &filters.genericMaxLineLength)
    try number("multilineSpan", &filters.multilineSpan)
    filters.placeholderWords += try reader.strings("placeholderWords").map { $0.lowercased() }
    filters.templateValues += try reader.strings("templateValues")
    filters.environmentReferences += try reader.strings("environmentReferences").map { $0.lowercased() }
    filters.genericStopwords += try reader.strings("genericStopwords").map { $0.lowercased() }
    filters.genericValueAllow += try reader.strings("genericValueAllow")
    filters.genericSkipPaths += try reader.strings("genericSkipPaths").map(SecretRuleSet.pathGlob)
    filters.testPaths += try reader.strings("testPaths").map(SecretRuleSet.pathGlob)
    filters.hashNames += try reader.strings("hashNames").map { $0.lowercased() }
    if let value = reader.value("publicValues") {
      let shape = "each entry is { name = ..., value = ... } or { name = ..., pattern = ... }, the value or pattern non-empty"
      guard let array = value.array else { throw reader.error("publicValues", shape) }
      for element in array {
        guard let table = element.table, let name = table["name"]?.string, table.keys.allSatisfy({ ["name", "value", "pattern"].contains($0) })
        else { throw reader.error("publicValues", shape) }
        switch (table["value"]?.string, table["pattern"]?.string) {
        case (let text?, nil) where !text.isEmpty: filters.publicValues.append(PublicValue(name: name, value: Array(text.utf8)))
        case (nil, let pattern?) where !pattern.isEmpty: filters.publicValues.append(PublicValue(name: name, value: [], pattern: pattern))
        default: throw reader.error("publicValues", shape)
        }
      }
    }
    if let marker = try reader.string("ignoreMarker") { filters.ignoreMarker = marker }
    try reader.finish()
  }
}

/// Reads the keys of one table, remembering which were used so that a misspelt key is an error
/// rather than a silently ignored setting.
private struct Reader {
  let table: TOMLTable
  let file: String
  var rule: String?
  var used: Set<String> = []

  init(table: TOMLTable, file: String, rule: String? = nil) {
    self.table = table
    self.file = file
    self.rule = rule
  }

  func error(_ key: String?, _ message: String) -> RuleError {
    RuleError(file: file, rule: rule, key: key, line: key.flatMap { table.line(of: $0) } ?? table.line, message: message)
  }

  mutating func value(_ key: String) -> TOMLValue? {
    used.insert(key)
    return table[key]
  }

  mutating func string(_ key: String) throws(RuleError) -> String? {
    guard let value = value(key) else { return nil }
    guard let string = value.string else { throw error(key, "must be a string") }
    return string
  }

  mutating func required(_ key: String) throws(RuleError) -> String {
    guard let string = try string(key) else { throw error(key, "is required") }
    guard !string.isEmpty else { throw error(key, "must not be empty") }
    return string
  }

  mutating func int(_ key: String) throws(RuleError) -> Int? {
    guard let value = value(key) else { return nil }
    guard let int = value.int else { throw error(key, "must be an integer") }
    return int
  }

  mutating func double(_ key: String) throws(RuleError) -> Double? {
    guard let value = value(key) else { return nil }
    guard let double = value.double else { throw error(key, "must be a number") }
    return double
  }

  mutating func bool(_ key: String) throws(RuleError) -> Bool? {
    guard let value = value(key) else { return nil }
    guard let bool = value.bool else { throw error(key, "must be true or false") }
    return bool
  }

  mutating func strings(_ key: String) throws(RuleError) -> [String] {
    guard let value = value(key) else { return [] }
    guard let strings = value.stringArray else { throw error(key, "must be an array of strings") }
    return strings
  }

  mutating func identifier() throws(RuleError) -> String {
    let id = try required("id")
    let allowed = id.utf8.allSatisfy { byte in
      (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
    guard allowed else { throw error("id", "must use lower-case letters, digits, '-' and '.'") }
    rule = id
    return id
  }

  mutating func severity() throws(RuleError) -> String {
    let severity = try required("severity")
    guard SecretRuleSet.severities.contains(severity) else {
      throw error("severity", "must be one of \(SecretRuleSet.severities.joined(separator: ", "))")
    }
    return severity
  }

  mutating func secretRule(id: String) throws(RuleError) -> SecretRule {
    let title = try required("title")
    let severity = try severity()
    let keywords = try strings("keywords")
    for keyword in keywords {
      guard !keyword.isEmpty, keyword == keyword.lowercased(), !keyword.utf8.contains(10) else {
        throw error("keywords", "'\(keyword)' must be a non-empty lower-case string without line feeds")
      }
    }
    let paths = try strings("paths").map(SecretRuleSet.pathGlob)
    if keywords.isEmpty && paths.isEmpty {
      throw error("keywords", "at least one keyword is required (or restrict the rule with 'paths')")
    }
    let pattern = try required("pattern")
    let secretGroup = try int("secretGroup") ?? 1
    guard secretGroup >= 0 else { throw error("secretGroup", "must not be negative") }
    let entropy = try double("entropy") ?? 0
    guard entropy >= 0 && entropy <= 8 else { throw error("entropy", "must be between 0 and 8 bits per byte") }
    let skip = try strings("skipFilters")
    for name in skip where FalseAlarmFilters.Name(rawValue: name) == nil {
      let known = FalseAlarmFilters.Name.allCases.map(\.rawValue).joined(separator: ", ")
      throw error("skipFilters", "unknown filter '\(name)' (known: \(known))")
    }
    let examplePath = try string("examplePath") ?? "src/settings.txt"
    var check: StructureCheck?
    if let name = try string("check") {
      guard let known = StructureCheck(rawValue: name) else {
        throw error("check", "unknown check '\(name)' (known: \(StructureCheck.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      check = known
    }
    var decode: Decoding?
    if let name = try string("decode") {
      guard let known = Decoding(rawValue: name) else { throw error("decode", "must be \"base64\" or \"url\"") }
      decode = known
    }
    let context = try string("context")
    if let context, context != "test" { throw error("context", "must be \"test\" (a sandbox key) when given") }
    return SecretRule(
      id: id, title: title, severity: severity, keywords: keywords, pattern: pattern, secretGroup: secretGroup,
      entropy: entropy, generic: try bool("generic") ?? false, multiline: try bool("multiline") ?? false,
      paths: paths, allowPaths: try strings("allowPaths").map(SecretRuleSet.pathGlob),
      allowValues: try strings("allowValues"), allowLines: try strings("allowLines"),
      stopwords: try strings("stopwords").map { $0.lowercased() }, skipFilters: skip, check: check, decode: decode, context: context,
      examples: try examples("examples", defaultPath: examplePath),
      counterexamples: try examples("counterexamples", defaultPath: examplePath),
      file: file)
  }

  mutating func examples(_ key: String, defaultPath: String) throws(RuleError) -> [RuleExample] {
    guard let value = value(key) else { return [] }
    guard let array = value.array else { throw error(key, "must be an array") }
    var result: [RuleExample] = []
    for element in array {
      if let line = element.string {
        result.append(RuleExample(line: line, secret: nil, path: defaultPath))
      } else if let table = element.table, let line = table["line"]?.string {
        for k in table.keys where !["line", "secret", "path", "verdict"].contains(k) {
          throw error(key, "an example table has 'line', 'secret', 'path' and 'verdict', not '\(k)'")
        }
        let verdict = table["verdict"]?.string
        if let verdict, !["public", "placeholder", "valid", "unchecked"].contains(verdict) {
          throw error(key, "an example's verdict is public, placeholder, valid or unchecked, not '\(verdict)'")
        }
        result.append(RuleExample(line: line, secret: table["secret"]?.string, path: table["path"]?.string ?? defaultPath,
                                  verdict: verdict))
      } else {
        throw error(key, "each example is a string or a table { line = ..., secret = ..., path = ... }")
      }
    }
    return result
  }

  mutating func fileRule(id: String) throws(RuleError) -> SensitiveFileRule {
    let title = try required("title")
    let severity = try severity()
    let paths = try strings("paths").map(SecretRuleSet.pathGlob)
    guard !paths.isEmpty else { throw error("paths", "at least one path glob is required") }
    var examples: [FileExample] = []
    var counterexamples: [FileExample] = []
    for (key, target) in [("examples", 0), ("counterexamples", 1)] {
      guard let value = value(key) else { continue }
      guard let array = value.array else { throw error(key, "must be an array") }
      for element in array {
        let example: FileExample
        if let path = element.string {
          example = FileExample(path: path, content: nil)
        } else if let table = element.table, let path = table["path"]?.string {
          example = FileExample(path: path, content: table["content"]?.string)
        } else {
          throw error(key, "each example is a path or a table { path = ..., content = ... }")
        }
        if target == 0 { examples.append(example) } else { counterexamples.append(example) }
      }
    }
    return SensitiveFileRule(
      id: id, title: title, severity: severity, paths: paths, exclude: try strings("exclude").map(SecretRuleSet.pathGlob),
      contains: try string("contains"), examples: examples, counterexamples: counterexamples, file: file)
  }

  func finish() throws(RuleError) {
    for key in table.keys where !used.contains(key) { throw error(key, "unknown key") }
  }
}
