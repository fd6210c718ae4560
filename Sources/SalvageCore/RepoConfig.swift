import TOML

/// A `.salvage.toml` that cannot be used: names the key, and the line where known.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
  public let file: String
  public let key: String?
  public let line: Int?
  public let message: String
  public var description: String {
    var out = file
    if let line { out += ":\(line)" }
    if let key { out += ": \(Self.shown(key))" }
    return out + ": " + message
  }

  /// A key as the error may show it: the file is the repository's, and a pasted token as a key must not
  /// reach a CI log whole. Each dotted part that does not look like a setting's name (more than 16
  /// characters with capitals, digits or other signs) shows its first four characters and its length;
  /// control and format characters (escape sequences, bidi overrides) show as `?`.
  static func shown(_ key: String) -> String {
    key.split(separator: ".", omittingEmptySubsequences: false).map { part -> String in
      let plain = part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || $0 == "_" || $0 == "-" }
      let text = part.count <= 16 || plain ? String(part) : String(part.prefix(4)) + "…(\(part.count) characters)"
      return String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
        scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format ? "?" : scalar
      }))
    }.joined(separator: ".")
  }
}

/// The scanned repository's own settings, read from `.salvage.toml` at the scanned tip:
///
/// ```toml
/// exclude = ["legacy/", "*.gen.ts"]          # paths left out of every figure
/// baseline = ".salvage-baseline.json"        # accepted findings (a file of the repository)
/// fail-on = "high"                           # CI exit code threshold
///
/// [components]                                # name = path globs; the rest: top-level folders
/// api = ["services/api/", "libs/api-client/"]
///
/// [rules]
/// disabled = ["secrets.generic-api-key", "cadence.off-hours"]   # analyzer.rule, or a rule id alone
/// extra = "tools/salvage-rules"              # a folder of the repository with more rule files
///
/// [thresholds."hotspots.toml"]                # laid over a rule file's values, key by key
/// coupling = { minShared = 8 }
/// ```
/// Unknown keys and values of the wrong kind are errors that name the key.
public struct RepoConfig: Sendable, Equatable {
  public static let fileName = ".salvage.toml"

  public var exclude: [String] = []
  public var baseline: String?
  public var failOn: Severity?
  public var components: [(name: String, paths: [String])] = []
  public var disabledRules: [String] = []
  public var extraRules: String?
  public var thresholds: [String: TOMLTable] = [:]

  public init() {}

  public static func == (a: RepoConfig, b: RepoConfig) -> Bool {
    a.exclude == b.exclude && a.baseline == b.baseline && a.failOn == b.failOn && a.disabledRules == b.disabledRules
      && a.extraRules == b.extraRules && a.components.map(\.name) == b.components.map(\.name)
      && a.components.map(\.paths) == b.components.map(\.paths) && a.thresholds == b.thresholds
  }

  public init(text: String, file: String = RepoConfig.fileName) throws(ConfigError) {
    let table: TOMLTable
    do {
      table = try TOML.parse(text)
    } catch {
      throw ConfigError(file: file, key: nil, line: error.line, message: error.message)
    }
    func fail(_ key: String, _ message: String, line: Int? = nil) -> ConfigError {
      ConfigError(file: file, key: key, line: line ?? table.line(of: key.split(separator: ".").first.map(String.init) ?? key), message: message)
    }
    func strings(_ value: TOMLValue, _ key: String) throws(ConfigError) -> [String] {
      guard let list = value.stringArray else { throw fail(key, "expected a list of strings") }
      return list
    }
    for key in table.keys {
      let value = table[key]!
      switch key {
      case "exclude":
        exclude = try strings(value, key)
      case "baseline":
        guard let path = value.string, !path.isEmpty else { throw fail(key, "expected a path (a string)") }
        baseline = path
      case "fail-on":
        guard let name = value.string, let severity = Severity(rawValue: name) else {
          throw fail(key, "expected one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        failOn = severity
      case "components":
        guard let components = value.table else { throw fail(key, "expected a table of name = [path globs]") }
        for name in components.keys {
          let paths = try strings(components[name]!, "components.\(name)")
          if paths.isEmpty { throw fail("components.\(name)", "needs at least one path") }
          self.components.append((name, paths))
        }
      case "rules":
        guard let rules = value.table else { throw fail(key, "expected a table") }
        for sub in rules.keys {
          switch sub {
          case "disabled": disabledRules = try strings(rules[sub]!, "rules.disabled")
          case "extra":
            guard let path = rules[sub]!.string else { throw fail("rules.extra", "expected a folder path (a string)") }
            extraRules = path
          default: throw fail("rules.\(sub)", "unknown key (known: disabled, extra)", line: rules.line(of: sub))
          }
        }
      case "thresholds":
        guard let files = value.table else { throw fail(key, "expected tables named after rule files, e.g. [thresholds.\"hotspots.toml\"]") }
        for name in files.keys {
          guard name.hasSuffix(".toml"), let overlay = files[name]!.table else {
            throw fail("thresholds.\(name)", "expected a table named after a rule file (e.g. \"hotspots.toml\")", line: files.line(of: name))
          }
          thresholds[name] = overlay
        }
      default:
        throw fail(key, "unknown key (known: exclude, baseline, fail-on, components, rules, thresholds)")
      }
    }
  }
}

extension TOMLTable {
  /// This table with `overlay`'s values laid over it, key by key (tables merge, other values replace).
  /// A key the base does not have is an error: an override must name a real setting.
  func overlaid(with overlay: TOMLTable, path: String) throws(ConfigError) -> TOMLTable {
    var out = self
    for key in overlay.keys {
      let value = overlay[key]!
      guard let existing = self[key] else {
        throw ConfigError(file: RepoConfig.fileName, key: "\(path).\(key)", line: overlay.line(of: key), message: "no such setting in the rules")
      }
      if let base = existing.table, let sub = value.table {
        out[key] = .table(try base.overlaid(with: sub, path: "\(path).\(key)"))
      } else {
        guard Self.sameKind(existing, value) else {
          throw ConfigError(file: RepoConfig.fileName, key: "\(path).\(key)", line: overlay.line(of: key), message: "wrong kind of value")
        }
        if let problem = Self.outOfRange(value, base: existing) {
          throw ConfigError(file: RepoConfig.fileName, key: "\(path).\(key)", line: overlay.line(of: key), message: problem)
        }
        out[key] = value
      }
    }
    return out
  }

  /// Numbers of the repository's configuration feed the rules' arithmetic (days times seconds, counts
  /// that size arrays): `window_days = 9223372036854775807` trapped on overflow, and `nan`, `inf` or a
  /// negative count would turn into traps or nonsense. An overlaid number is finite, within ±2^31, and
  /// not negative where the built-in value is not.
  static func outOfRange(_ value: TOMLValue, base: TOMLValue) -> String? {
    let limit = Double(Int32.max)
    let number: Double
    switch value {
    case .integer(let n): number = Double(n)
    case .float(let x): number = x
    default: return nil
    }
    guard number.isFinite else { return "expected a finite number" }
    guard abs(number) <= limit else { return "out of range (at most \(Int32.max) either way)" }
    let baseNumber: Double
    switch base {
    case .integer(let n): baseNumber = Double(n)
    case .float(let x): baseNumber = x
    default: return nil
    }
    if baseNumber >= 0, number < 0 { return "must not be negative" }
    return nil
  }

  private static func sameKind(_ a: TOMLValue, _ b: TOMLValue) -> Bool {
    switch (a, b) {
    case (.string, .string), (.boolean, .boolean), (.array, .array), (.table, .table), (.datetime, .datetime): return true
    case (.integer, .integer), (.float, .float), (.integer, .float), (.float, .integer): return true
    default: return false
    }
  }
}
