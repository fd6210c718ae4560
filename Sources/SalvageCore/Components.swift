import GlobEngine

/// Cuts the tree into components: a top-level folder by default; in a monorepo (package manifests in
/// several folders), the folder of the nearest manifest; or what the user's configuration declares.
/// Files at the root belong to the component ".".
public struct ComponentMap: Sendable {
  public struct Declared: Sendable {
    public let name: String
    public let paths: [Glob]
    public init(name: String, paths: [Glob]) {
      self.name = name
      self.paths = paths
    }
  }

  static let manifests: Set<String> = [
    "package.json", "go.mod", "Cargo.toml", "pom.xml", "build.gradle", "build.gradle.kts", "pyproject.toml",
    "setup.py", "Package.swift", "composer.json", "Gemfile", "pubspec.yaml", "mix.exs", "Podfile",
  ]

  private let declared: [Declared]
  /// Folders (with a trailing "/") that hold a manifest; empty unless the repository is a monorepo.
  private let packageRoots: Set<[UInt8]>

  public init(paths: [[UInt8]], declared: [Declared] = []) {
    self.declared = declared
    var roots = Set<[UInt8]>()
    for path in paths {
      guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { continue }
      let name = String(decoding: path[(slash + 1)...], as: UTF8.self)
      if Self.manifests.contains(name) || name.hasSuffix(".csproj") {
        roots.insert(Array(path[...slash]))
      }
    }
    // Several package folders make a monorepo; one nested package is just a project in a folder.
    packageRoots = roots.count >= 2 ? roots : []
  }

  /// The component of a path, as a folder path without trailing slash ("." for the root).
  public func component<C: Collection>(of path: C) -> String where C.Element == UInt8 {
    let bytes = Array(path)
    for entry in declared where entry.paths.contains(where: { $0.matches(bytes) }) { return entry.name }
    // The nearest package folder: the path's own folders, deepest first, looked up (a monorepo has
    // thousands of package folders, and every file and finding asks).
    if !packageRoots.isEmpty {
      var end = bytes.count
      while let slash = bytes[..<end].lastIndex(of: UInt8(ascii: "/")) {
        if packageRoots.contains(Array(bytes[...slash])) { return PathText.display(bytes[..<slash]) }
        end = slash
      }
    }
    guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return "." }
    return PathText.display(bytes[..<slash])
  }
}
