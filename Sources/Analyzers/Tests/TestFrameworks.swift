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

  /// One `[[framework]]` of tests.toml, compiled once.
  struct Framework: Sendable {
    let name: String
    let language: String
    let files: GlobSet
    /// `file-glob:text`: a file the glob names that contains the text.
    let markers: [(files: GlobSet, text: [UInt8])]
    /// The globs of `files` and of the markers, to pick the few files the detection reads.
    let globs: [String]
    let packages: [String]
    let imports: [String]
    /// Imports are looked for in every source file of the language, not only in test files.
    let scanAll: Bool

    /// `[[framework]]` of tests.toml (its keys are checked by `TestsAnalyzer.checkKeys`).
    static func compile(_ tests: RuleReader) throws(RuleError) -> [Framework] {
      try tests.tables(tests.table, "framework").map { t throws(RuleError) in
        let files = try tests.strings(t, "files")
        var markers: [(files: GlobSet, text: [UInt8])] = []
        var globs: [String] = []
        for m in try tests.strings(t, "markers") {
          guard let colon = m.firstIndex(of: ":") else { throw tests.error(t, "markers", "holds '\(m)', not file-glob:text") }
          globs.append(String(m[..<colon]))
          markers.append((GlobSet([String(m[..<colon])], case: .sensitive, anchoring: .anyDepth), Array(m[m.index(after: colon)...].utf8)))
        }
        return Framework(
          name: try tests.string(t, "name"), language: try tests.string(t, "language"),
          files: GlobSet(files, case: .sensitive, anchoring: .anyDepth), markers: markers, globs: globs + files,
          packages: try tests.strings(t, "packages"), imports: try tests.strings(t, "imports"),
          scanAll: try tests.bool(t, "scan_all", default: false))
      }
    }
  }

  /// Which frameworks' imports are in a text blob's first 32 KiB, drawn once per blob and kept between
  /// scans: one bit per import of the rules (`needles`), in order.
  struct Imports: BlobFactExtractor {
    static let name = "test-imports"
    let needles: [[UInt8]]
    /// The needles of two bytes or more by their first two (a bucket index per pair, -1 for none), so
    /// the head is read once whatever the number of needles; needles of one byte are looked for alone.
    private let bucketOfPair: [Int16]
    private let buckets: [[Int]]
    private let short: [Int]

    init(_ frameworks: [Framework]) {
      let all = frameworks.flatMap(\.imports)
      needles = Set(all.map { Array($0.utf8) }).filter { !$0.isEmpty }.sorted { $0.lexicographicallyPrecedes($1) }
      var bucketOfPair = [Int16](repeating: -1, count: 1 << 16)
      var buckets: [[Int]] = [], short: [Int] = []
      for (n, needle) in needles.enumerated() {
        guard needle.count >= 2 else {
          short.append(n)
          continue
        }
        let pair = Int(needle[0]) | Int(needle[1]) << 8
        if bucketOfPair[pair] < 0 {
          bucketOfPair[pair] = Int16(buckets.count)
          buckets.append([])
        }
        buckets[Int(bucketOfPair[pair])].append(n)
      }
      self.bucketOfPair = bucketOfPair
      self.buckets = buckets
      self.short = short
    }

    func facts(of content: UnsafeBufferPointer<UInt8>) -> [UInt64] {
      let head = UnsafeBufferPointer(rebasing: content.prefix(32768))
      var found = [UInt64](repeating: 0, count: (needles.count + 63) / 64)
      for n in short where TestFrameworks.contains(head, needles[n]) { found[n >> 6] |= 1 << UInt64(n & 63) }
      guard head.count >= 2, let base = head.baseAddress else { return found }
      bucketOfPair.withUnsafeBufferPointer { table in
        for i in 0..<(head.count - 1) {
          let bucket = table[Int(base[i]) | Int(base[i + 1]) << 8]
          guard bucket >= 0 else { continue }
          for n in buckets[Int(bucket)] where found[n >> 6] & (1 << UInt64(n & 63)) == 0 {
            let needle = needles[n]
            guard needle.count <= head.count - i else { continue }
            var k = 2
            while k < needle.count, base[i + k] == needle[k] { k += 1 }
            if k == needle.count { found[n >> 6] |= 1 << UInt64(n & 63) }
          }
        }
      }
      return found
    }

    /// True when the facts have the bit of any of these needles (indexes into `needles`).
    static func any(of needles: [Int], in found: [UInt64]) -> Bool {
      needles.contains { $0 >> 6 < found.count && found[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
    }
  }

  static func detect(_ frameworks: [Framework], importer: Imports, snapshot: Snapshot, manifests: [DependencyInventory.File],
                     testFiles: [SnapshotFile]) -> [Detected] {
    var packages: [String: Set<String>] = [:]
    for m in manifests {
      for d in m.parsed.direct { packages[(m.entry.ecosystem + ":" + d.name).lowercased(), default: []].insert(m.displayPath) }
    }
    var candidates = frameworks.map { (framework: $0, evidence: [String]()) }
    for i in candidates.indices {
      for p in frameworks[i].packages {
        for path in (packages[p.lowercased()] ?? []).sorted() {
          candidates[i].evidence.append("package \(p.split(separator: ":", maxSplits: 1).last ?? "") in \(path)")
        }
      }
    }
    // Configuration files and markers: one pass over the tree for every framework, over the files that
    // one of their globs names (picked in place, through a buffer pointer, rather than copying every file).
    let configured = frameworks.indices.filter { !frameworks[$0].files.isEmpty || !frameworks[$0].markers.isEmpty }
    let configuration = GlobSet(frameworks.flatMap(\.globs), case: .sensitive, anchoring: .anyDepth)
    let named = snapshot.files.withUnsafeBufferPointer { all in
      all.indices.filter { all[$0].fileClass != .vendored && configuration.matches(all[$0].path) }
    }
    for file in named.map({ snapshot.files[$0] }) {
      for i in configured {
        if frameworks[i].files.matches(file.path) { candidates[i].evidence.append("configuration \(file.displayPath)") }
        if file.hasContent, frameworks[i].markers.contains(where: { marker in
          marker.files.matches(file.path) && file.content.map { contains($0, marker.text) } ?? false
        }) {
          candidates[i].evidence.append("configured in \(file.displayPath)")
        }
      }
    }
    var out: [Detected] = []
    for var (framework, evidence) in candidates {
      let language = framework.language
      let imports = framework.imports.compactMap { importer.needles.firstIndex(of: Array($0.utf8)) }
      if !imports.isEmpty {
        let scope = framework.scanAll ? snapshot.files.filter { $0.language == language && ($0.fileClass == .source || $0.fileClass == .test) } : testFiles
        let using = scope.filter { f in snapshot.facts(of: f, named: Imports.name, importer).map { Imports.any(of: imports, in: $0) } ?? false }.count
        if using > 0 { evidence.append("used in \(using) \(framework.scanAll ? "" : "test ")file\(using == 1 ? "" : "s")") }
      }
      if !evidence.isEmpty {
        out.append(Detected(name: framework.name, language: language, evidence: Array(Set(evidence)).sorted()))
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
