import Analyzers
import FixtureSupport
import Foundation
import SalvageCore

/// Runs the real scanner with the cadence analyzer on a fixture, "now" pinned to the last commit
/// unless given.
struct CadenceScan {
  let repo: String
  let metrics: JSONValue
  let findings: [Finding]

  init(_ fixture: String, now: String? = nil) throws {
    try self.init(path: try Fixture.build(fixture), now: now)
  }

  init(path: String, now: String? = nil) throws {
    repo = path
    let options = ScanOptions(path: path, now: now.flatMap(UTC.parse))
    let result = try SalvageCore.Scanner(analyzers: [CadenceAnalyzer()]).scan(options)
    metrics = result.results[0].result.metrics
    findings = result.results[0].result.findings
  }

  subscript(_ path: String) -> JSONValue? {
    var value: JSONValue? = metrics
    for key in path.split(separator: ".") {
      if let index = Int(key) { value = value?.arrayValue.flatMap { index < $0.count ? $0[index] : nil } } else { value = value?[String(key)] }
    }
    return value
  }

  func int(_ path: String) -> Int? { self[path]?.intValue }
  func double(_ path: String) -> Double? { self[path]?.doubleValue }
  func string(_ path: String) -> String? { self[path]?.stringValue }

  func findings(_ rule: String) -> [Finding] { findings.filter { $0.rule == rule } }

  /// A commit id by its exact subject, as git finds it.
  func commit(subject: String) throws -> String {
    let out = try Fixture.git(["log", "--format=%H %s"], in: repo)
    let line = out.split(separator: "\n").first { $0.dropFirst(41) == Substring(subject) }
    return line.map { String($0.prefix(40)) } ?? ""
  }
}
