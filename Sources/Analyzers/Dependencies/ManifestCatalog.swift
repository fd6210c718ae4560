import GlobEngine
import SalvageCore
import TOML

/// Which files are manifests and lockfiles, of which ecosystem, read by which parser: `[[file]]` of
/// `rules/dependencies.toml`.
public struct ManifestCatalog: Sendable {
  public enum Kind: String, Sendable { case manifest, lockfile }

  public struct Entry: Sendable {
    public let ecosystem: String
    public let kind: Kind
    public let parser: String
    /// Lockfile family of a lockfile (`yarn`, `npm`...).
    public let family: String?
    /// Families that lock a manifest.
    public let families: [String]
    public let searchAncestors: Bool
    public let lockfileExpected: Bool
    public let anchorOutsideBundle: Bool
  }

  private let byName: [String: Entry]
  /// Glob entries, in the rules' order: the globs apart from their entries, so that trying one for a path
  /// does not copy (and retain the strings of) its entry.
  private let globs: [Glob]
  private let globEntries: [Entry]
  private let skip: [Glob]

  public init(rules: RuleSet) throws(RuleError) {
    let reader = try RuleReader(rules, file: "dependencies.toml", required: true)
    let table = reader.table
    var byName: [String: Entry] = [:]
    var byGlob: [(Glob, Entry)] = []
    for item in table["file"]?.array ?? [] {
      guard let t = item.table, let names = t["names"]?.stringArray, let ecosystem = t["ecosystem"]?.string,
            let kind = t["kind"]?.string.flatMap(Kind.init(rawValue:)), let parser = t["parser"]?.string,
            ManifestParsers.known.contains(parser) else {
        throw RuleError(file: "dependencies.toml", line: item.table?.line, message: "each [[file]] needs names, ecosystem, kind (manifest or lockfile) and a known parser")
      }
      try reader.check(t, known: ["names", "ecosystem", "kind", "parser", "families", "search", "family", "lockfile_expected", "anchor_outside_bundle"])
      _ = try (reader.optionalString(t, "family"), reader.strings(t, "families"), reader.optionalString(t, "search"),
               reader.bool(t, "lockfile_expected", default: true), reader.bool(t, "anchor_outside_bundle", default: false))
      let entry = Entry(ecosystem: ecosystem, kind: kind, parser: parser, family: t["family"]?.string,
                        families: t["families"]?.stringArray ?? [], searchAncestors: t["search"]?.string == "ancestors",
                        lockfileExpected: t["lockfile_expected"]?.bool ?? true, anchorOutsideBundle: t["anchor_outside_bundle"]?.bool ?? false)
      for name in names {
        if name.contains("*") || name.contains("?") || name.contains("[") || name.contains("/") {
          byGlob.append((Glob(name, case: .sensitive, anchoring: .anyDepth), entry))
        } else {
          byName[name] = entry
        }
      }
    }
    self.byName = byName
    self.globs = byGlob.map(\.0)
    self.globEntries = byGlob.map(\.1)
    self.skip = (table["scan"]?.table?["skip"]?.stringArray ?? []).map { Glob($0, case: .sensitive, anchoring: .anyDepth) }
  }

  /// The entry for a path, or nil when it is no manifest or lockfile (or lies in a skipped folder).
  public func entry(for path: [UInt8]) -> Entry? {
    let slash = path.lastIndex(of: UInt8(ascii: "/"))
    let name = String(decoding: slash.map { path[($0 + 1)...] } ?? path[...], as: UTF8.self)
    var found = byName[name]
    if found == nil {
      // Glob entries are few; cheap name checks first.
      if let i = globs.firstIndex(where: { $0.matches(path) }) { found = globEntries[i] }
    }
    guard let found, !isSkipped(path) else { return nil }
    return found
  }

  public func isSkipped(_ path: [UInt8]) -> Bool { skip.contains { $0.matches(path) } }

  /// The folder a manifest or lockfile belongs to ("" for the root): its own folder, or for files inside
  /// an Xcode bundle (`App.xcodeproj/…`) the folder that holds the bundle.
  public static func folder(of path: [UInt8], outsideBundle: Bool) -> [UInt8] {
    let segments = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
    var keep = segments.count - 1
    if outsideBundle, let bundle = segments.firstIndex(where: { $0.ends(with: ".xcodeproj") || $0.ends(with: ".xcworkspace") }) {
      keep = bundle
    }
    return Array(segments.prefix(keep).joined(separator: [UInt8(ascii: "/")]))
  }
}

extension ArraySlice where Element == UInt8 {
  func ends(with suffix: String) -> Bool {
    let s = Array(suffix.utf8)
    return count >= s.count && self.suffix(s.count).elementsEqual(s)
  }
}

/// Parser ids of `rules/dependencies.toml` to the code that reads each format.
enum ManifestParsers {
  static let table: [String: @Sendable ([UInt8]) throws(ManifestProblem) -> ParsedManifest] = [
    "package.json": NPM.packageJSON, "package-lock.json": NPM.packageLock, "yarn.lock": NPM.yarnLock,
    "pnpm-lock.yaml": NPM.pnpmLock, "bun.lock": NPM.bunLock,
    "requirements.txt": Python.requirements, "Pipfile": Python.pipfile, "Pipfile.lock": Python.pipfileLock,
    "pyproject.toml": Python.pyproject, "toml-lock": Python.tomlLock,
    "go.mod": GoModules.goMod, "go.sum": GoModules.goSum,
    "Cargo.toml": Cargo.manifest, "Cargo.lock": Cargo.lock,
    "pom.xml": Maven.pom, "build.gradle": Gradle.buildScript, "libs.versions.toml": Gradle.versionCatalog,
    "gradle.lockfile": Gradle.lockfile,
    "Gemfile": Bundler.gemfile, "Gemfile.lock": Bundler.lock,
    "composer.json": Composer.manifest, "composer.lock": Composer.lock,
    "msbuild": NuGet.project, "packages.config": NuGet.packagesConfig, "packages.lock.json": NuGet.lock,
    "Package.swift": SwiftPM.manifest, "Package.resolved": SwiftPM.resolved, "project.pbxproj": SwiftPM.xcodeProject,
    "Podfile": CocoaPods.podfile, "Podfile.lock": CocoaPods.lock,
    "Cartfile": Carthage.cartfile, "Cartfile.resolved": Carthage.resolved,
    "pubspec.yaml": Pub.manifest, "pubspec.lock": Pub.lock,
    "mix.exs": Mix.manifest, "mix.lock": Mix.lock,
    "conanfile.txt": Conan.conanfileText, "conanfile.py": Conan.conanfilePython, "conan.lock": Conan.lock,
    "vcpkg.json": Vcpkg.manifest,
  ]
  static var known: Set<String> { Set(table.keys).union(["binary"]) }

  static func parse(_ parser: String, _ bytes: [UInt8]) throws(ManifestProblem) -> ParsedManifest {
    guard let read = table[parser] else {
      var unread = ParsedManifest()
      unread.readable = false
      return unread
    }
    return try read(bytes)
  }
}
