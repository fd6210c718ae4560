import Analyzers
import FixtureSupport
import SalvageCore
import Testing

@Suite struct DependenciesSprawlTests {
  static let sprawl = Result { try Scan.run("deps-sprawl") }
  static let tidy = Result { try Scan.run("deps-tidy") }

  static func rules(_ findings: [Finding]) -> Set<String> { Set(findings.filter { $0.analyzer == "dependencies" && !$0.rule.hasPrefix("scorecard-") }.map(\.rule)) }

  @Test func sprawlSignalsShow() throws {
    let (m, findings) = try Self.sprawl.get()
    #expect(Self.rules(findings) == ["mixed-lockfiles", "manifest-without-lockfile", "unpinned-requirements", "same-job-packages",
                                     "several-versions", "vendored-dependencies"])
    #expect(m["mixedLockfiles"] == [["folder": "web", "ecosystem": "npm", "lockfiles": ["web/package-lock.json", "web/yarn.lock"]]])
    #expect(m["manifestsWithoutLockfile"] == ["admin/package.json"])
    let web = m["manifests"]?.arrayValue?.first { $0["path"]?.stringValue == "web/package.json" }
    #expect(web?["lockfile"] == "web/package-lock.json", "npm's own lockfile comes first in the manifest's families")
    #expect(m["sameJob"]?.arrayValue?.first?["packages"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["axios", "node-fetch"])
    #expect(m["severalVersions"] == [["ecosystem": "npm", "name": "react", "versions": ["17.0.2", "18.2.0"],
                                      "manifests": ["admin/package.json", "web/package.json"]]])
    #expect(m["resolvedWithSeveralVersions"]?["packages"] == 1, "axios resolves to 1.6.2 and 1.6.0 in the two lockfiles")
    // Vendored: 4 of 31 text lines (index.js 3, its package.json 1).
    #expect(m["vendored"]?["files"] == 2)
    #expect(m["vendored"]?["lines"] == 4)
    #expect(m["vendored"]?["share"] == .number(4.0 / 31.0))
    #expect(m["vendored"]?["kinds"]?.arrayValue?.first?["folders"] == [["path": "web/node_modules", "files": 2, "lines": 4]])
    let vendored = try #require(findings.first { $0.rule == "vendored-dependencies" })
    #expect(vendored.severity == .high)
    #expect(m["manifestChurn"]?["commits"] == 3)
    #expect(m["manifestChurn"]?["manifestWithoutLockfileChange"] == 2)
    #expect(m["manifestChurn"]?["byYear"] == [["year": 2023, "commits": 2], ["year": 2024, "commits": 1]])
    let unpinned = try #require(findings.first { $0.rule == "unpinned-requirements" })
    #expect(unpinned.message.contains("moment (no version)") || unpinned.message.contains("moment *"), "\(unpinned.message)")
    let several = try #require(findings.first { $0.rule == "several-versions" })
    #expect(several.severity == .medium)
    #expect(several.title == "react is used at 2 versions")
  }

  @Test func tidyRepositoryShowsNone() throws {
    let (m, findings) = try Self.tidy.get()
    #expect(Self.rules(findings).isEmpty, "\(findings.map(\.title))")
    #expect(m["mixedLockfiles"] == [])
    #expect(m["manifestsWithoutLockfile"] == [])
    #expect(m["sameJob"] == [])
    #expect(m["severalVersions"] == [])
    #expect(m["vendored"]?["files"] == 0)
    #expect(m["totals"] == ["manifests": 2, "lockfiles": 2, "direct": 3, "resolved": 3, "transitiveAmplification": .number(1)])
  }

  @Test func outputIsByteIdenticalAcrossRuns() throws {
    let repo = try Fixture.build("deps-sprawl")
    let a = try SalvageCore.Scanner(analyzers: [DependenciesAnalyzer(), TestsAnalyzer()]).scan(ScanOptions(path: repo))
    let b = try SalvageCore.Scanner(analyzers: [DependenciesAnalyzer(), TestsAnalyzer()]).scan(ScanOptions(path: repo))
    for i in 0..<2 {
      #expect(a.results[i].result.metrics.serialized() == b.results[i].result.metrics.serialized())
    }
    #expect(a.findings.map(\.id) == b.findings.map(\.id))
  }
}
