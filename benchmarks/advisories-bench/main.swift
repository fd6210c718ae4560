import Advisories
import Foundation

// Times loading, indexing and matching on synthetic OSV data: 200,000 records over 50,000 packages of
// four ecosystems, and 10,000 resolved packages of which about half have advisories.
// `swift run -c release advisories-bench [records] [packages]`. The figures go to standard output.

var seed: UInt64 = 0x5A17A6E
@MainActor func next(_ bound: Int) -> Int {
  seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
  return Int((seed >> 33) % UInt64(bound))
}

let args = CommandLine.arguments
let recordCount = args.count > 1 ? Int(args[1]) ?? 200_000 : 200_000
let packageCount = args.count > 2 ? Int(args[2]) ?? 10_000 : 10_000
let names = 50_000
let ecosystems: [(String, (Int) -> String, (Int, Int, Int) -> String)] = [
  ("npm", { "pkg-\($0)" }, { "\($0).\($1).\($2)" }),
  ("PyPI", { "Py_Pkg.\($0)" }, { "\($0).\($1).\($2)" }),
  ("Go", { "github.com/org\($0 % 97)/mod\($0)" }, { "v\($0).\($1).\($2)" }),
  ("Maven", { "org.example\($0 % 89):artifact\($0)" }, { "\($0).\($1).\($2)" }),
]

@MainActor func version(_ e: Int, bump: Int = 0) -> String {
  ecosystems[e].2(next(4), next(20), next(30) + bump)
}

/// Wall time and the process's CPU time (the machine may be shared: CPU time is the steadier figure).
struct Stamp {
  let wall = ContinuousClock.now
  let cpu: Double = {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }()

  func since(_ s: Stamp) -> String {
    let d = wall - s.wall
    let wallMs = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    return String(format: "%.0f ms (cpu %.0f ms)", wallMs, (cpu - s.cpu) * 1000)
  }
}

var start = Stamp()
var documents: [(name: String, data: Data)] = []
documents.reserveCapacity(recordCount)
for r in 0..<recordCount {
  let n = next(names), e = n % ecosystems.count
  let (eco, name, _) = ecosystems[e]
  let introduced = version(e)
  let fixed = version(e, bump: 40)
  let type = eco == "Go" || eco == "npm" ? "SEMVER" : "ECOSYSTEM"
  let events = next(5) == 0
    ? #"[{"introduced": "0"}, {"fixed": "\#(fixed.hasPrefix("v") ? String(fixed.dropFirst()) : fixed)"}]"#
    : #"[{"introduced": "\#(introduced.hasPrefix("v") ? String(introduced.dropFirst()) : introduced)"}, {"last_affected": "\#(fixed.hasPrefix("v") ? String(fixed.dropFirst()) : fixed)"}]"#
  let json = #"""
    {"id": "SYN-\#(r)", "aliases": ["CVE-2024-\#(r)"], "summary": "Synthetic advisory \#(r)", "modified": "2024-01-01T00:00:00Z",
     "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:\#(r % 2 == 0 ? "N" : "R")/S:U/C:H/I:H/A:H"}],
     "affected": [{"package": {"ecosystem": "\#(eco)", "name": "\#(name(n))", "purl": "pkg:x/\#(n)"},
                   "ranges": [{"type": "\#(type)", "events": \#(events)}],
                   "versions": ["\#(introduced)"]}],
     "references": [{"type": "ADVISORY", "url": "https://example.invalid/\#(r)"}]}
    """#
  documents.append(("SYN-\(r).json", Data(json.utf8)))
}
var packages: [PackageVersion] = []
for _ in 0..<packageCount {
  let n = next(names * 2), e = n % ecosystems.count
  let eco = [Ecosystem.npm, .pypi, .go, .maven][e]
  let name = ecosystems[e].1(n).replacingOccurrences(of: "Py_Pkg.", with: n % 3 == 0 ? "py-pkg-" : "Py_Pkg.")
  packages.append(PackageVersion(eco, name, version(e, bump: 10)))
}
let generated = Stamp().since(start)
let bytes = documents.reduce(0) { $0 + $1.data.count }

start = Stamp()
let (advisories, stats) = AdvisoryLoader.decode(documents: documents)
let decoded = Stamp().since(start)
start = Stamp()
let index = AdvisoryIndex(advisories, stats: stats)
let indexed = Stamp().since(start)
start = Stamp()
let hits = index.match(packages)
let matched = Stamp().since(start)

print("records \(recordCount) (\(bytes / 1_000_000) MB of JSON), packages \(packageCount)")
print("generate \(generated)\ndecode \(decoded)\nindex \(indexed)\nmatch \(matched)")
print("hits \(hits.count) over \(Set(hits.map(\.package)).count) packages; unreadable \(stats.unreadable)")
