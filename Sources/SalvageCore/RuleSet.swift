import BuiltinRules
import Foundation
import TOML

/// Every rule file in force for a scan: the built-in ones, with a user's `--rules DIR` files laid over
/// them (a file of the same name replaces the built-in one, a new name adds a file).
public struct RuleSet: Sendable {
  /// File name under `rules/` (e.g. `classify.toml`) to its parsed table.
  public let tables: [String: TOMLTable]
  /// The raw texts, for rule families that parse their own files (secrets).
  public let texts: [String: String]

  public init(texts: [String: String]) throws(RuleError) {
    var tables: [String: TOMLTable] = [:]
    for (name, text) in texts {
      do {
        tables[name] = try TOML.parse(text)
      } catch {
        throw RuleError(file: name, line: error.line, message: error.message)
      }
    }
    self.tables = tables
    self.texts = texts
  }

  /// The built-in rules, overlaid by the `.toml` files of `directory` when given.
  public static func load(overrides directory: String? = nil) throws(RuleError) -> RuleSet {
    var texts = BuiltinRules.files
    if let directory {
      let fm = FileManager.default
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
        throw RuleError(file: directory, message: "rules directory not found")
      }
      let root = URL(fileURLWithPath: directory)
      let walker = fm.enumerator(at: root, includingPropertiesForKeys: nil)
      while let url = walker?.nextObject() as? URL {
        guard url.pathExtension == "toml" else { continue }
        let name = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
        // A file replaces the built-in file of its name, and new secret rules may go in `secrets/`:
        // any other name would be read by nothing, so a misnamed file is an error, not a silent no-op.
        let secrets = "secrets/"
        guard BuiltinRules.files[name] != nil || (name.hasPrefix(secrets) && !name.dropFirst(secrets.count).contains("/")) else {
          let known = BuiltinRules.files.keys.filter { !$0.hasPrefix(secrets) }.sorted().joined(separator: ", ")
          throw RuleError(file: name, message: "not a rule file Salvage reads (a file replaces the built-in one of its name: \(known); "
                            + "new secret rules go in secrets/)")
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
          throw RuleError(file: url.path, message: "cannot read the file as UTF-8 text")
        }
        texts[name] = text
      }
    }
    return try RuleSet(texts: texts)
  }

  public func table(_ name: String) -> TOMLTable? { tables[name] }

  /// These rules with more rule files laid over them (same name replaces) and threshold overlays from a
  /// repository's `.salvage.toml`.
  public func overlaid(texts extra: [String: String], thresholds: [String: TOMLTable]) throws -> RuleSet {
    var texts = self.texts
    for (name, text) in extra { texts[name] = text }
    var set = try RuleSet(texts: texts)
    var tables = set.tables
    for (name, overlay) in thresholds.sorted(by: { $0.key < $1.key }) {
      guard let base = tables[name] else {
        throw ConfigError(file: RepoConfig.fileName, key: "thresholds.\(name)", line: nil, message: "no such rule file")
      }
      tables[name] = try base.overlaid(with: overlay, path: "thresholds.\(name)")
    }
    set = RuleSet(tables: tables, texts: texts)
    // The overlays change answers as the texts do: they are part of the version (and so of every cache
    // key), or a changed overlay would reuse the facts of the old one.
    set.overlays = thresholds.keys.sorted().map { "\($0)=\(Self.canonical(.table(thresholds[$0]!)))" }.joined(separator: "\n")
    return set
  }

  private init(tables: [String: TOMLTable], texts: [String: String]) {
    self.tables = tables
    self.texts = texts
  }

  /// `.salvage.toml`'s `[thresholds]` laid over the tables, in one canonical text.
  private var overlays = ""

  /// A value as one line of text, the same for the same value (table keys in their order).
  static func canonical(_ value: TOMLValue) -> String {
    switch value {
    case .string(let s): return "s" + String(reflecting: s)
    case .integer(let n): return "i\(n)"
    case .float(let x): return "f\(x.bitPattern)"
    case .boolean(let b): return b ? "true" : "false"
    case .datetime(let d): return "d" + String(reflecting: d)
    case .array(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
    case .table(let t): return "{" + t.keys.map { String(reflecting: $0) + ":" + canonical(t[$0]!) }.joined(separator: ",") + "}"
    }
  }

  /// A stable digest of all rule texts: part of the cache key, so changed rules never reuse old results.
  public var version: String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for name in texts.keys.sorted() {
      for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
      for byte in texts[name]!.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }
    // Without overlays the version is what it always was: caches written before stay valid.
    if !overlays.isEmpty {
      for byte in ("\u{0}overlays\u{0}" + overlays).utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }
    return String(hash, radix: 16)
  }
}

extension RuleReader {
  /// Reads `file` of `rules`; a missing file is an error when `required`, else an empty table.
  public init(_ rules: RuleSet, file: String, required: Bool = false) throws(RuleError) {
    guard let table = rules.table(file) else {
      if required { throw RuleError(file: file, message: "missing") }
      self.init(file: file, table: TOMLTable())
      return
    }
    self.init(file: file, table: table)
  }
}
