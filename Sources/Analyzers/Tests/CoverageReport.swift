import Foundation
import SalvageCore

/// A committed coverage report, read for its real line coverage.
struct CoverageReport: Sendable {
  let format: String
  let covered: Int
  let valid: Int
  var lineCoverage: Double? { valid > 0 ? Double(covered) / Double(valid) : nil }

  static func parse(format: String, bytes: [UInt8]) throws(ManifestProblem) -> CoverageReport {
    switch format {
    case "lcov": return lcov(bytes)
    case "go": return try goProfile(bytes)
    default: return try xml(format: format, bytes)
    }
  }

  /// lcov tracefile: DA records merged by (file, line) across test sections; LF/LH when there are none.
  static func lcov(_ bytes: [UInt8]) -> CoverageReport {
    var hits: [String: [Int: Bool]] = [:]
    var file = ""
    var found = 0, hit = 0
    for line in ManifestText.lines(bytes) {
      if line.hasPrefix("SF:") {
        file = String(line.dropFirst(3))
      } else if line.hasPrefix("DA:") {
        let parts = line.dropFirst(3).split(separator: ",")
        guard parts.count >= 2, let n = Int(parts[0]), let count = Int(parts[1]) else { continue }
        hits[file, default: [:]][n] = (hits[file]?[n] ?? false) || count > 0
      } else if line.hasPrefix("LF:") {
        found += Int(line.dropFirst(3)) ?? 0
      } else if line.hasPrefix("LH:") {
        hit += Int(line.dropFirst(3)) ?? 0
      }
    }
    if hits.isEmpty { return CoverageReport(format: "lcov", covered: hit, valid: found) }
    let all = hits.values.flatMap(\.values)
    return CoverageReport(format: "lcov", covered: all.filter { $0 }.count, valid: all.count)
  }

  /// Go cover profile: `file:l.c,l.c statements count`, blocks merged across profiles.
  static func goProfile(_ bytes: [UInt8]) throws(ManifestProblem) -> CoverageReport {
    var blocks: [Substring: (statements: Int, covered: Bool)] = [:]
    for (n, line) in ManifestText.lines(bytes).enumerated() where !line.isEmpty {
      if n == 0 {
        guard line.hasPrefix("mode:") else { throw ManifestProblem(line: 1, "not a Go cover profile: the first line must be 'mode: …'") }
        continue
      }
      let parts = line.split(separator: " ")
      guard parts.count == 3, let statements = Int(parts[1]), let count = Int(parts[2]) else {
        throw ManifestProblem(line: n + 1, "invalid Go cover profile line")
      }
      let old = blocks[parts[0]]
      blocks[parts[0]] = (statements, (old?.covered ?? false) || count > 0)
    }
    let valid = blocks.values.reduce(0) { $0 + $1.statements }
    let covered = blocks.values.reduce(0) { $0 + ($1.covered ? $1.statements : 0) }
    return CoverageReport(format: "go", covered: covered, valid: valid)
  }

  static func xml(format: String, _ bytes: [UInt8]) throws(ManifestProblem) -> CoverageReport {
    let root = try MarkupDocument.parse(bytes)
    var format = format
    if format == "xml" {
      if root.localName == "report" { format = "jacoco" } else if root.first("project") != nil { format = "clover" } else { format = "cobertura" }
    }
    switch format {
    case "jacoco":
      guard let counter = root.all("counter").first(where: { $0.attributes["type"] == "LINE" }),
            let missed = Int(counter.attributes["missed"] ?? ""), let covered = Int(counter.attributes["covered"] ?? "") else {
        throw ManifestProblem(line: root.line, "JaCoCo report without a report-level LINE counter")
      }
      return CoverageReport(format: "jacoco", covered: covered, valid: covered + missed)
    case "clover":
      guard let metrics = root.first("project")?.first("metrics"), let statements = Int(metrics.attributes["statements"] ?? ""),
            let covered = Int(metrics.attributes["coveredstatements"] ?? "") else {
        throw ManifestProblem(line: root.line, "Clover report without project metrics")
      }
      return CoverageReport(format: "clover", covered: covered, valid: statements)
    default:
      guard root.localName == "coverage" else { throw ManifestProblem(line: root.line, "not a Cobertura report: the root element is <\(root.name)>") }
      if let covered = Int(root.attributes["lines-covered"] ?? ""), let valid = Int(root.attributes["lines-valid"] ?? ""), valid > 0 {
        return CoverageReport(format: "cobertura", covered: covered, valid: valid)
      }
      // Older writers leave the totals out: count the lines, a file's line once even when several classes list it.
      var lines: [String: Bool] = [:]
      for cls in root.descendants("class") {
        let file = cls.attributes["filename"] ?? cls.attributes["name"] ?? ""
        for line in cls.first("lines")?.all("line") ?? [] {
          let k = file + ":" + (line.attributes["number"] ?? "")
          lines[k] = (lines[k] ?? false) || (Int(line.attributes["hits"] ?? "0") ?? 0) > 0
        }
      }
      return CoverageReport(format: "cobertura", covered: lines.values.filter { $0 }.count, valid: lines.count)
    }
  }
}
