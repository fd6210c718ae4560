import FixtureSupport
import SalvageCore
import Testing

@testable import Analyzers

/// Builds a fixture and runs the real scanner with the given analyzers.
func scanFixture(_ name: String, _ analyzers: [any Analyzer]) throws -> (repo: String, result: ScanResult) {
  let repo = try Fixture.build(name)
  let result = try SalvageCore.Scanner(analyzers: analyzers).scan(ScanOptions(path: repo))
  return (repo, result)
}

extension ScanResult {
  func analyzer(_ id: String) -> AnalyzerResult? { results.first { $0.id == id }?.result }
}

extension JSONValue {
  /// The entry of a list of objects whose `key` is `value`.
  func entry(_ key: String, _ value: String) -> JSONValue? {
    arrayValue?.first { $0[key]?.stringValue == value }
  }
}

/// What `git log --numstat` says about one path: commits, added and deleted lines.
func gitTotals(_ path: String, in repo: String) throws -> (revisions: Int, added: Int, deleted: Int) {
  let out = try Fixture.git(["log", "--no-renames", "--numstat", "--format=tformat:@commit", "--", path], in: repo)
  var revisions = 0, added = 0, deleted = 0
  for line in out.split(separator: "\n") {
    if line == "@commit" { continue }
    let fields = line.split(separator: "\t")
    guard fields.count == 3 else { continue }
    revisions += 1
    added += Int(fields[0]) ?? 0
    deleted += Int(fields[1]) ?? 0
  }
  return (revisions, added, deleted)
}
