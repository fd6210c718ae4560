import Foundation
import SalvageCore
import TOML

/// The licence fields of package manifests, Python metadata and lockfiles, as the text they state
/// (an SPDX expression or free text), never interpreted here.
enum LicenceManifests {
  /// The manifests whose licence field is read, by file name.
  static func isManifest(_ name: String) -> Bool {
    ["package.json", "composer.json", "Cargo.toml", "pyproject.toml"].contains(name) || name.hasSuffix(".gemspec")
  }

  /// A manifest's licence field and the package it names; nil when it states none (or is unreadable).
  static func declared(name: String, _ bytes: [UInt8]) -> (licence: String, package: String?)? {
    switch name {
    case "package.json", "composer.json":
      guard let root = try? JSONDocument.parse(bytes, lenient: true) else { return nil }
      let package = root["name"]?.string
      return npmLicence(root).map { ($0, package) }
    case "Cargo.toml":
      guard let table = try? TOML.parse(bytes: bytes), let p = table["package"]?.table, let l = p["license"]?.string else { return nil }
      return (l, p["name"]?.string)
    case "pyproject.toml":
      guard let table = try? TOML.parse(bytes: bytes) else { return nil }
      let project = table["project"]?.table, poetry = table["tool"]?.table?["poetry"]?.table
      let package = project?["name"]?.string ?? poetry?["name"]?.string
      if let l = project?["license"]?.string ?? project?["license"]?.table?["text"]?.string ?? poetry?["license"]?.string { return (l, package) }
      let classifiers = (project?["classifiers"]?.stringArray ?? []) + (poetry?["classifiers"]?.stringArray ?? [])
      return classifierLicence(classifiers).map { ($0, package) }
    default:
      guard name.hasSuffix(".gemspec") else { return nil }
      return gemspecLicence(String(decoding: bytes.prefix(256 * 1024), as: UTF8.self)).map { ($0, nil) }
    }
  }

  /// npm's `license` (a string, or the old `{ "type": … }`) or `licenses: [{ type }]`; composer's
  /// `license`, a string or an array of alternatives.
  static func npmLicence(_ node: JSONNode) -> String? {
    if let l = node["license"] {
      if let s = l.string { return s }
      if let t = l["type"]?.string { return t }
      if let list = l.array?.compactMap({ $0.string ?? $0["type"]?.string }), !list.isEmpty { return alternatives(list) }
    }
    if let list = node["licenses"]?.array?.compactMap({ $0.string ?? $0["type"]?.string }), !list.isEmpty { return alternatives(list) }
    return nil
  }

  static func alternatives(_ list: [String]) -> String {
    list.count == 1 ? list[0] : "(" + list.joined(separator: " OR ") + ")"
  }

  /// "License :: OSI Approved :: MIT License" classifiers: their last part, as alternatives.
  static func classifierLicence(_ classifiers: [String]) -> String? {
    let names = classifiers.filter { $0.hasPrefix("License ::") }.compactMap { c in
      c.split(separator: ":").last.map { LicenceText.trim($0) }
    }.filter { !$0.isEmpty && $0 != "OSI Approved" }
    return names.isEmpty ? nil : alternatives(names)
  }

  /// `spec.license = "MIT"` or `spec.licenses = ["MIT", "GPL-2.0"]`.
  static func gemspecLicence(_ text: String) -> String? {
    for line in text.split(separator: "\n") {
      let t = LicenceText.trim(line)
      guard t.contains(".license"), let eq = t.firstIndex(of: "=") else { continue }
      let value = t[t.index(after: eq)...]
      let quoted = value.split(whereSeparator: { $0 == "\"" || $0 == "'" }).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
      if !quoted.isEmpty { return alternatives(quoted) }
    }
    return nil
  }

  /// A Python package's `METADATA` (or `PKG-INFO`): `License-Expression`, else `License` (unless
  /// UNKNOWN), else the licence classifiers; and the package's name.
  static func pythonMetadata(_ bytes: [UInt8]) -> (licence: String?, package: String?) {
    var expression: String?, license: String?, package: String?
    var classifiers: [String] = []
    for raw in String(decoding: bytes.prefix(256 * 1024), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
      if raw.isEmpty { break }  // the headers end at the first empty line
      func value(_ key: String) -> String? { raw.hasPrefix(key) ? LicenceText.trim(raw.dropFirst(key.count)) : nil }
      if let v = value("License-Expression:") { expression = v }
      if let v = value("License:"), license == nil, !v.isEmpty, v.uppercased() != "UNKNOWN" { license = String(v.prefix(200)) }
      if let v = value("Classifier:") { classifiers.append(v) }
      if let v = value("Name:") { package = v }
    }
    return (expression ?? license ?? classifierLicence(classifiers), package)
  }

  /// One package of a lockfile with its declared licence (nil when it declares none).
  struct Locked {
    let name: String
    let version: String
    let licence: String?
    let dev: Bool
  }

  /// The packages of an npm v2/v3 `package-lock.json` (`packages`) or a `composer.lock`, with their
  /// `license` fields; nil for a lockfile that records no licences.
  static func locked(parser: String, _ bytes: [UInt8]) -> [Locked]? {
    switch parser {
    case "package-lock.json":
      guard let root = try? JSONDocument.parse(bytes), let packages = root["packages"]?.pairs else { return nil }
      return packages.compactMap { entry in
        guard let at = entry.key.range(of: "node_modules/", options: .backwards) else { return nil }
        let name = String(entry.key[at.upperBound...])
        return Locked(name: name, version: entry.node["version"]?.string ?? "", licence: npmLicence(entry.node),
                      dev: entry.node["dev"].map { if case .bool(true) = $0.value { true } else { false } } ?? false)
      }
    case "composer.lock":
      guard let root = try? JSONDocument.parse(bytes) else { return nil }
      var out: [Locked] = []
      for (key, dev) in [("packages", false), ("packages-dev", true)] {
        for p in root[key]?.array ?? [] {
          guard let name = p["name"]?.string else { continue }
          out.append(Locked(name: name, version: p["version"]?.string ?? "", licence: npmLicence(p), dev: dev))
        }
      }
      return out
    default:
      return nil
    }
  }
}
