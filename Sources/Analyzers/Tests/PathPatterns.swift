import SalvageCore

/// A set of gitignore-style patterns matched cheaply: a pattern without "/" can only match the file
/// name, so it is tried once on the name (or looked up, when it has no wildcard) instead of at every
/// folder depth.
struct PathPatterns: Sendable {
  /// Names without wildcards, as slices so that a path's name is looked up without a copy.
  private let exact: Set<ArraySlice<UInt8>>
  private let nameGlobs: [Glob]
  private let pathGlobs: [Glob]

  init(_ patterns: [String]) {
    var exact = Set<ArraySlice<UInt8>>(), names: [Glob] = [], paths: [Glob] = []
    for p in patterns {
      if p.contains("/") || p.contains("**") {
        paths.append(Glob(p))
      } else if p.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
        names.append(Glob(p))
      } else {
        exact.insert(Array(p.utf8)[...])
      }
    }
    self.exact = exact
    nameGlobs = names
    pathGlobs = paths
  }

  var isEmpty: Bool { exact.isEmpty && nameGlobs.isEmpty && pathGlobs.isEmpty }

  func matches(_ path: [UInt8]) -> Bool {
    let name = path.lastIndex(of: UInt8(ascii: "/")).map { path[($0 + 1)...] } ?? path[...]
    if !exact.isEmpty, exact.contains(name) { return true }
    for glob in nameGlobs where glob.matches(name) { return true }
    for glob in pathGlobs where glob.matches(path) { return true }
    return false
  }
}
