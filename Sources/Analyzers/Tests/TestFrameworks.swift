#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import GlobEngine
import SalvageCore
import TOML

/// Test frameworks in use, from manifests (test packages), configuration files and imports in tests.
enum TestFrameworks {
  struct Detected: Sendable {
    let name: String
    let language: String
    let evidence: [String]
  }

  /// Which frameworks' imports are in a text blob's first 32 KiB, drawn once per blob and kept between
  /// scans: one bit per import of the rules (`needles`), in order.
  struct Imports: BlobFactExtractor {
    static let name = "test-imports"
    let needles: [[UInt8]]

    init(table: TOMLTable?) {
      let all = (table?["framework"]?.array ?? []).flatMap { $0.table?["imports"]?.stringArray ?? [] }
      needles = Set(all.map { Array($0.utf8) }).filter { !$0.isEmpty }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    func facts(of content: UnsafeBufferPointer<UInt8>) -> [UInt64] {
      let head = UnsafeBufferPointer(rebasing: content.prefix(32768))
      var found = [UInt64](repeating: 0, count: (needles.count + 63) / 64)
      for (n, needle) in needles.enumerated() where TestFrameworks.contains(head, needle) { found[n >> 6] |= 1 << UInt64(n & 63) }
      return found
    }

    /// True when the facts have the bit of any of these needles (indexes into `needles`).
    static func any(of needles: [Int], in found: [UInt64]) -> Bool {
      needles.contains { $0 >> 6 < found.count && found[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
    }
  }

  static func detect(table: TOMLTable, snapshot: Snapshot, manifests: [DependencyInventory.File],
                     testFiles: [SnapshotFile]) -> [Detected] {
    let importer = Imports(table: table)
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
        table: t, name: name, language: language, files: GlobSet(t["files"]?.stringArray ?? [], case: .sensitive, anchoring: .anyDepth),
        markers: (t["markers"]?.stringArray ?? []).compactMap { m -> (GlobSet, [UInt8])? in
          guard let colon = m.firstIndex(of: ":") else { return nil }
          configurationGlobs.append(String(m[..<colon]))
          return (GlobSet([String(m[..<colon])], case: .sensitive, anchoring: .anyDepth), Array(m[m.index(after: colon)...].utf8))
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
    let configuration = GlobSet(configurationGlobs, case: .sensitive, anchoring: .anyDepth)
    let named = snapshot.files.withUnsafeBufferPointer { all in
      all.indices.filter { all[$0].fileClass != .vendored && configuration.matches(all[$0].path) }
    }
    for file in named.map({ snapshot.files[$0] }) {
      for i in configured {
        if candidates[i].files.matches(file.path) { candidates[i].evidence.append("configuration \(file.displayPath)") }
        if file.hasContent, candidates[i].markers.contains(where: { marker in
          marker.0.matches(file.path) && file.content.map { contains($0, marker.1) } ?? false
        }) {
          candidates[i].evidence.append("configured in \(file.displayPath)")
        }
      }
    }
    var out: [Detected] = []
    for var candidate in candidates {
      let t = candidate.table, language = candidate.language
      let imports = (t["imports"]?.stringArray ?? []).compactMap { importer.needles.firstIndex(of: Array($0.utf8)) }
      if !imports.isEmpty {
        let scope = t["scan_all"]?.bool == true ? snapshot.files.filter { $0.language == language && ($0.fileClass == .source || $0.fileClass == .test) } : testFiles
        let using = scope.filter { f in snapshot.facts(of: f, named: Imports.name, importer).map { Imports.any(of: imports, in: $0) } ?? false }.count
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
