import Glibc
import SalvageCore
import TOML

/// Test frameworks in use, from manifests (test packages), configuration files and imports in tests.
enum TestFrameworks {
  struct Detected: Sendable {
    let name: String
    let language: String
    let evidence: [String]
  }

  static func detect(table: TOMLTable, snapshot: Snapshot, manifests: [DependencyInventory.File],
                     testFiles: [SnapshotFile]) -> [Detected] {
    var packages: [String: Set<String>] = [:]
    for m in manifests {
      for d in m.parsed.direct { packages[(m.entry.ecosystem + ":" + d.name).lowercased(), default: []].insert(m.displayPath) }
    }
    struct Candidate {
      let table: TOMLTable
      let name: String
      let language: String
      let files: GlobSet
      let markers: [(GlobSet, [UInt8])]
      var evidence: [String] = []
    }
    var candidates: [Candidate] = []
    // Every configuration and marker glob of every framework, to pick the few files the pass below reads.
    var configurationGlobs: [String] = []
    for item in table["framework"]?.array ?? [] {
      guard let t = item.table, let name = t["name"]?.string, let language = t["language"]?.string else { continue }
      var candidate = Candidate(
        table: t, name: name, language: language, files: GlobSet(t["files"]?.stringArray ?? []),
        markers: (t["markers"]?.stringArray ?? []).compactMap { m -> (GlobSet, [UInt8])? in
          guard let colon = m.firstIndex(of: ":") else { return nil }
          configurationGlobs.append(String(m[..<colon]))
          return (GlobSet([String(m[..<colon])]), Array(m[m.index(after: colon)...].utf8))
        })
      configurationGlobs += t["files"]?.stringArray ?? []
      for p in t["packages"]?.stringArray ?? [] {
        for path in (packages[p.lowercased()] ?? []).sorted() {
          candidate.evidence.append("package \(p.split(separator: ":", maxSplits: 1).last ?? "") in \(path)")
        }
      }
      candidates.append(candidate)
    }
    // Configuration files and markers: one pass over the tree for every framework, over the files that
    // one of their globs names (picked in place, through a buffer pointer, rather than copying every file).
    let configured = candidates.indices.filter { !candidates[$0].files.isEmpty || !candidates[$0].markers.isEmpty }
    let configuration = GlobSet(configurationGlobs)
    let named = snapshot.files.withUnsafeBufferPointer { all in
      all.indices.filter { all[$0].fileClass != .vendored && configuration.matches(all[$0].path) }
    }
    for file in named.map({ snapshot.files[$0] }) {
      for i in configured {
        if candidates[i].files.matches(file.path) { candidates[i].evidence.append("configuration \(file.displayPath)") }
        if let content = file.content, candidates[i].markers.contains(where: { $0.0.matches(file.path) && contains(content, $0.1) }) {
          candidates[i].evidence.append("configured in \(file.displayPath)")
        }
      }
    }
    var out: [Detected] = []
    for var candidate in candidates {
      let t = candidate.table, language = candidate.language
      let imports = (t["imports"]?.stringArray ?? []).map { Array($0.utf8) }
      if !imports.isEmpty {
        let scope = t["scan_all"]?.bool == true ? snapshot.files.filter { $0.language == language && ($0.fileClass == .source || $0.fileClass == .test) } : testFiles
        let using = scope.filter { f in f.content.map { c in imports.contains { contains(c.prefix(32768), $0) } } ?? false }.count
        if using > 0 { candidate.evidence.append("used in \(using) \(t["scan_all"]?.bool == true ? "" : "test ")file\(using == 1 ? "" : "s")") }
      }
      if !candidate.evidence.isEmpty {
        out.append(Detected(name: candidate.name, language: language, evidence: Array(Set(candidate.evidence)).sorted()))
      }
    }
    return out.sorted { ($0.language, $0.name) < ($1.language, $1.name) }
  }

  static func contains<C: Collection>(_ haystack: C, _ needle: [UInt8]) -> Bool where C.Element == UInt8, C.Index == Int {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    // Contiguous bytes (every caller's): candidates by their first byte (memchr), then the whole needle.
    let found = haystack.withContiguousStorageIfAvailable { hay in
      needle.withUnsafeBytes { n in
        var at = UnsafeRawPointer(hay.baseAddress!)
        var rest = hay.count - n.count + 1
        while rest > 0, let hit = memchr(at, Int32(n[0]), rest) {
          if memcmp(hit, n.baseAddress!, n.count) == 0 { return true }
          let skipped = at.distance(to: UnsafeRawPointer(hit)) + 1
          at += skipped
          rest -= skipped
        }
        return false
      }
    }
    if let found { return found }
    guard let first = needle.first else { return false }
    var i = haystack.startIndex
    let last = haystack.endIndex - needle.count
    while i <= last {
      if haystack[i] == first {
        var k = 1
        while k < needle.count, haystack[i + k] == needle[k] { k += 1 }
        if k == needle.count { return true }
      }
      i += 1
    }
    return false
  }
}
