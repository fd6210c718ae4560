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

  /// Loads the given files in order, each read strictly through `RuleReader`. Errors name the file, the
  /// line, the rule id and the key.
  public static func load(toml texts: [(name: String, text: String)]) throws(RuleError) -> SecretRuleSet {
    var rules: [SecretRule] = []
    var fileRules: [SensitiveFileRule] = []
    var filters = FalseAlarmFilters()
    for (name, text) in texts {
      let document: TOMLTable
      do {
        document = try TOML.parse(text)
      } catch {
        throw RuleError(file: name, line: error.line, message: error.message)
      }
      let reader = RuleReader(file: name, table: document)
      try reader.check(known: ["filters", "rules", "files"])
      try mergeFilters(reader, into: &filters)
      for var entry in try reader.tables("rules") {
        let id = try entry.identifier()
        if try entry.bool(entry.table, "disabled", default: false) {
          rules.removeAll { $0.id == id }
          continue
        }
        let rule = try entry.secretRule(id: id)
        try entry.check(entry.table, known: SecretRule.keys)
        if let index = rules.firstIndex(where: { $0.id == id }) { rules[index] = rule } else { rules.append(rule) }
      }
      for var entry in try reader.tables("files") {
        let id = try entry.identifier()
        if try entry.bool(entry.table, "disabled", default: false) {
          fileRules.removeAll { $0.id == id }
          continue
        }
        let rule = try entry.fileRule(id: id)
        try entry.check(entry.table, known: SensitiveFileRule.keys)
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

  /// `[filters]` of one file, laid over those of the files before it: numbers replace, lists add.
  private static func mergeFilters(_ reader: RuleReader, into filters: inout FalseAlarmFilters) throws(RuleError) {
    let section = "filters"
    try reader.check(known: [
      "maxLineLength", "windowBefore", "windowAfter", "maxWindowsPerLine", "genericMaxLineLength", "multilineSpan",
      "placeholderWords", "templateValues", "environmentReferences", "genericStopwords", "genericValueAllow",
      "genericSkipPaths", "testPaths", "hashNames", "publicValues", "ignoreMarker",
    ], in: section)
    func number(_ key: String, _ target: inout Int) throws(RuleError) { target = try reader.int(section, key, target, min: 1) }
    func strings(_ key: String) throws(RuleError) -> [String] { try reader.strings(key, section: section) ?? [] }
    try number("maxLineLength", &filters.maxLineLength)
    try number("windowBefore", &filters.windowBefore)
    try number("windowAfter", &filters.windowAfter)
    try number("maxWindowsPerLine", &filters.maxWindowsPerLine)
    try number("genericMaxLineLength", &filters.genericMaxLineLength)
    try number("multilineSpan", &filters.multilineSpan)
    filters.placeholderWords += try strings("placeholderWords").map { $0.lowercased() }
    filters.templateValues += try strings("templateValues")
    filters.environmentReferences += try strings("environmentReferences").map { $0.lowercased() }
    filters.genericStopwords += try strings("genericStopwords").map { $0.lowercased() }
    filters.genericValueAllow += try strings("genericValueAllow")
    filters.genericSkipPaths += try strings("genericSkipPaths").map(SecretRuleSet.pathGlob)
    filters.testPaths += try strings("testPaths").map(SecretRuleSet.pathGlob)
    filters.hashNames += try strings("hashNames").map { $0.lowercased() }
    if let found = try reader.value(section, "publicValues") {
      let shape = "holds { name = ..., value = ... } or { name = ..., pattern = ... } entries, the value or pattern non-empty"
      guard let array = found.value.array else { throw reader.error(section, "publicValues", shape, line: found.line) }
      for element in array {
        guard let table = element.table, let name = table["name"]?.string, table.keys.allSatisfy({ ["name", "value", "pattern"].contains($0) })
        else { throw reader.error(section, "publicValues", shape, line: found.line) }
        switch (table["value"]?.string, table["pattern"]?.string) {
        case (let text?, nil) where !text.isEmpty: filters.publicValues.append(PublicValue(name: name, value: Array(text.utf8)))
        case (nil, let pattern?) where !pattern.isEmpty: filters.publicValues.append(PublicValue(name: name, value: [], pattern: pattern))
        default: throw reader.error(section, "publicValues", shape, line: found.line)
        }
      }
    }
    filters.ignoreMarker = try reader.string(section, "ignoreMarker", filters.ignoreMarker)
  }
}

extension SecretRule {
  /// The keys a `[[rules]]` entry may hold.
  static let keys = [
    "id", "title", "severity", "keywords", "pattern", "secretGroup", "entropy", "generic", "multiline", "paths", "allowPaths",
    "allowValues", "allowLines", "stopwords", "skipFilters", "examplePath", "check", "decode", "context", "examples",
    "counterexamples", "disabled",
  ]
}

extension SensitiveFileRule {
  /// The keys a `[[files]]` entry may hold.
  static let keys = ["id", "title", "severity", "paths", "exclude", "contains", "examples", "counterexamples", "disabled"]
}

/// A `[[rules]]` or `[[files]]` entry: once its id is read, every error names the rule.
extension RuleReader {
  fileprivate func required(_ key: String) throws(RuleError) -> String {
    let string = try string(table, key)
    guard !string.isEmpty else { throw error(table, key, "must not be empty") }
    return string
  }

  fileprivate func strings(_ key: String) throws(RuleError) -> [String] { try strings(table, key) }

  fileprivate mutating func identifier() throws(RuleError) -> String {
    let id = try required("id")
    let allowed = id.utf8.allSatisfy { byte in
      (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
    guard allowed else { throw error(table, "id", "must use lower-case letters, digits, '-' and '.'") }
    rule = id
    return id
  }

  fileprivate func severity() throws(RuleError) -> String {
    let severity = try required("severity")
    guard SecretRuleSet.severities.contains(severity) else {
      throw error(table, "severity", "is '\(severity)', none of \(SecretRuleSet.severities.joined(separator: ", "))")
    }
    return severity
  }

  fileprivate func secretRule(id: String) throws(RuleError) -> SecretRule {
    let title = try required("title")
    let severity = try severity()
    let keywords = try strings("keywords")
    for keyword in keywords {
      guard !keyword.isEmpty, keyword == keyword.lowercased(), !keyword.utf8.contains(10) else {
        throw error(table, "keywords", "'\(keyword)' must be a non-empty lower-case string without line feeds")
      }
    }
    let paths = try strings("paths").map(SecretRuleSet.pathGlob)
    if keywords.isEmpty && paths.isEmpty {
      throw error(table, "keywords", "must hold at least one keyword (or restrict the rule with 'paths')")
    }
    let pattern = try required("pattern")
    let secretGroup = try int(table, "secretGroup", in: 0...Self.intCeiling, default: 1)
    let entropy = try number(table, "entropy", in: 0...8, default: 0)
    let skip = try strings("skipFilters")
    for name in skip where FalseAlarmFilters.Name(rawValue: name) == nil {
      let known = FalseAlarmFilters.Name.allCases.map(\.rawValue).joined(separator: ", ")
      throw error(table, "skipFilters", "names an unknown filter '\(name)' (known: \(known))")
    }
    let examplePath = try string(table, "examplePath", default: "src/settings.txt")
    var check: StructureCheck?
    if let name = try optionalString(table, "check") {
      guard let known = StructureCheck(rawValue: name) else {
        throw error(table, "check", "is '\(name)', none of \(StructureCheck.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      check = known
    }
    var decode: Decoding?
    if let name = try optionalString(table, "decode") {
      guard let known = Decoding(rawValue: name) else { throw error(table, "decode", "must be \"base64\" or \"url\"") }
      decode = known
    }
    let context = try optionalString(table, "context")
    if let context, context != "test" { throw error(table, "context", "must be \"test\" (a sandbox key) when given") }
    return SecretRule(
      id: id, title: title, severity: severity, keywords: keywords, pattern: pattern, secretGroup: secretGroup,
      entropy: entropy, generic: try bool(table, "generic", default: false), multiline: try bool(table, "multiline", default: false),
      paths: paths, allowPaths: try strings("allowPaths").map(SecretRuleSet.pathGlob),
      allowValues: try strings("allowValues"), allowLines: try strings("allowLines"),
      stopwords: try strings("stopwords").map { $0.lowercased() }, skipFilters: skip, check: check, decode: decode, context: context,
      examples: try examples("examples", defaultPath: examplePath),
      counterexamples: try examples("counterexamples", defaultPath: examplePath),
      file: file)
  }

  fileprivate func examples(_ key: String, defaultPath: String) throws(RuleError) -> [RuleExample] {
    guard let value = table[key] else { return [] }
    guard let array = value.array else { throw error(table, key, "must be a list") }
    var result: [RuleExample] = []
    for element in array {
      if let line = element.string {
        result.append(RuleExample(line: line, secret: nil, path: defaultPath))
      } else if let example = element.table, let line = example["line"]?.string {
        for k in example.keys where !["line", "secret", "path", "verdict"].contains(k) {
          throw error(table, key, "holds an example table with '\(k)': it has 'line', 'secret', 'path' and 'verdict'")
        }
        let verdict = example["verdict"]?.string
        if let verdict, !["public", "placeholder", "valid", "unchecked"].contains(verdict) {
          throw error(table, key, "holds an example whose verdict is '\(verdict)', not public, placeholder, valid or unchecked")
        }
        result.append(RuleExample(line: line, secret: example["secret"]?.string, path: example["path"]?.string ?? defaultPath,
                                  verdict: verdict))
      } else {
        throw error(table, key, "must hold strings or tables { line = ..., secret = ..., path = ... }")
      }
    }
    return result
  }

  fileprivate func fileRule(id: String) throws(RuleError) -> SensitiveFileRule {
    let title = try required("title")
    let severity = try severity()
    let paths = try strings("paths").map(SecretRuleSet.pathGlob)
    guard !paths.isEmpty else { throw error(table, "paths", "must hold at least one path glob") }
    var examples: [FileExample] = []
    var counterexamples: [FileExample] = []
    for (key, target) in [("examples", 0), ("counterexamples", 1)] {
      guard let value = table[key] else { continue }
      guard let array = value.array else { throw error(table, key, "must be a list") }
      for element in array {
        let example: FileExample
        if let path = element.string {
          example = FileExample(path: path, content: nil)
        } else if let entry = element.table, let path = entry["path"]?.string {
          example = FileExample(path: path, content: entry["content"]?.string)
        } else {
          throw error(table, key, "must hold paths or tables { path = ..., content = ... }")
        }
        if target == 0 { examples.append(example) } else { counterexamples.append(example) }
      }
    }
    return SensitiveFileRule(
      id: id, title: title, severity: severity, paths: paths, exclude: try strings("exclude").map(SecretRuleSet.pathGlob),
      contains: try optionalString(table, "contains"), examples: examples, counterexamples: counterexamples, file: file)
  }
}
