import Analyzers
import SalvageCore

/// The JSON report: the product's contract with data pipelines. Its shape is published in
/// `schema/salvage-report.schema.json`; within a major version fields are only ever added.
public enum ReportDocument {
  public static let schemaVersion = "1.4.0"
  public static let toolVersion = "0.1.0"

  /// The JSON lists the first missing blobs (by path); a blobless clone can lack every blob of its history.
  static let missingBlobsListed = 1000

  public static func build(_ report: ReportModel) -> JSONValue {
    let scan = report.scan, assessment = report.assessment
    let repo = scan.context.repository
    var repository: JSONValue = [
      "path": .string(repo.path),
      "head": repo.head.map(JSONValue.string) ?? .null,
      "branch": repo.branch.map(JSONValue.string) ?? .null,
      "revision": repo.revision.map(JSONValue.string) ?? .null,
      "commitCount": .int(repo.commitCount),
      "firstCommit": repo.firstCommit.map { .string(UTC.iso($0)) } ?? .null,
      "lastCommit": repo.lastCommit.map { .string(UTC.iso($0)) } ?? .null,
      "shallow": .bool(repo.shallow),
      "bare": .bool(repo.bare),
      "empty": .bool(repo.empty),
      "asOf": .string(UTC.iso(scan.context.now)),
    ]
    if !repo.missingBlobs.isEmpty {
      // Only when there are some: a complete repository's document is unchanged.
      repository.set("missingBlobCount", .int(repo.missingBlobs.count))
      repository.set("missingBlobs", .array(repo.missingBlobs.prefix(missingBlobsListed).map { missing in
        ["blob": .string(missing.blob.hex), "path": .string(PathText.display(missing.path)), "commit": .string(missing.commit.hex)]
      }))
    }
    // Limits the scan met, only when it met them (schema 1.3.0): dates moved into the sane range, and
    // rule or configuration regex matches PCRE2's limits stopped.
    if scan.context.history.clampedTimes > 0 { repository.set("clampedDates", .int(scan.context.history.clampedTimes)) }
    if scan.regexLimitHits > 0 { repository.set("regexLimitHits", .int(scan.regexLimitHits)) }
    // Each analyzer's object carries its area's score and grade (null when it is not graded).
    let analyzers = JSONValue.object(scan.results.map { id, result in
      var metrics = result.metrics
      let graded = assessment.grade(of: id)
      metrics.set("score", graded.score.map(JSONValue.int) ?? .null)
      metrics.set("grade", graded.grade.map(JSONValue.string) ?? .null)
      return (id, metrics)
    })
    let findings = JSONValue.array(report.findings.map { entry in
      let advice = entry.advice
      var entry = finding(advice.finding, suppressed: entry.suppressed)
      entry.set("remediation", [
        "action": .string(advice.remediation.action),
        "text": .string(advice.remediation.text),
        "effort": .string(advice.effort.rawValue),
        "estimate": true,
        "horizon": .string(advice.horizon.rawValue),
      ])
      return entry
    })
    var document: JSONValue = [
      "schemaVersion": .string(schemaVersion),
      "tool": ["name": "salvage", "version": .string(toolVersion)],
      "repository": repository,
      "summary": summary(assessment),
      "analyzers": analyzers,
      "findings": findings,
      "components": components(scan, assessment: assessment),
    ]
    if let change = scan.context.change {
      document.set("change", [
        "base": .string(change.base),
        "baseCommit": .string(change.baseCommit.hex),
        "mergeBase": change.mergeBase.map { .string($0.hex) } ?? .null,
        "commits": .array(change.commitIDs.sorted().map(JSONValue.string)),
        "files": .array(change.paths.sorted().map(JSONValue.string)),
      ])
    }
    return document
  }

  static func finding(_ f: Finding, suppressed: Bool) -> JSONValue {
    [
      "id": .string(f.id),
      "analyzer": .string(f.analyzer),
      "rule": .string(f.rule),
      "severity": .string(f.severity.rawValue),
      "title": .string(f.title),
      "message": .string(f.message),
      "location": [
        "path": f.location.path.map(JSONValue.string) ?? .null,
        "line": f.location.line.map(JSONValue.int) ?? .null,
        "commit": f.location.commit.map(JSONValue.string) ?? .null,
      ],
      // Typed evidence cannot fail to encode (no throwing `encode(to:)` among them).
      "evidence": (try? JSONTree.encode(f.evidence)) ?? .object([]),
      "suppressed": .bool(suppressed),
    ]
  }

  /// One entry per component, sorted by path, with each analyzer's facts under its id.
  static func components(_ scan: ScanResult, assessment: Assessment) -> JSONValue {
    var names = Set<String>()
    for (_, result) in scan.results { names.formUnion(result.components.keys) }
    return .array(names.sorted().map { name in
      let inventory = scan.results.first { $0.id == "inventory" }?.result.component(name, as: InventoryOutput.Component.self)
      var entry: JSONValue = [
        "id": .string("component." + StableHash.hex(name)),
        "path": .string(name),
        "files": .int(inventory?.files ?? 0),
        "loc": .int(inventory?.loc ?? 0),
      ]
      var facts: [(String, JSONValue)] = []
      for (id, result) in scan.results {
        if let value = result.components[name] { facts.append((id, value)) }
      }
      entry.set("analyzers", .object(facts))
      if let verdict = assessment.components.first(where: { $0.path == name }) {
        entry.set("verdict", .string(verdict.verdict.rawValue))
        entry.set("verdictRule", .string(verdict.summary))
        entry.set("confidence", .string(verdict.confidence.rawValue))
        entry.set("decidedBy", .array(verdict.decidedBy.map(JSONValue.string)))
        entry.set("corroboratedBy", .array(verdict.corroboratedBy.map(JSONValue.string)))
        entry.set("against", .array(verdict.against.map(JSONValue.string)))
        entry.set("reasons", .array(verdict.reasons.map { ["signal": .string($0.signal), "text": .string($0.text)] }))
        entry.set("findings", .array(verdict.findings.sorted().map(JSONValue.string)))
      }
      return entry
    })
  }

  static func summary(_ a: Assessment) -> JSONValue {
    [
      "score": a.score.map(JSONValue.int) ?? .null,
      "grade": a.grade.map(JSONValue.string) ?? .null,
      "headline": .string(a.headline),
      "keepShare": a.keepShare.map { .number($0) } ?? .null,
      "linesByVerdict": .object(Verdict.allCases.map { ($0.rawValue, .int(a.linesByVerdict[$0] ?? 0)) }),
      "areas": .array(a.areas.map { area in
        [
          "id": .string(area.area.id),
          "title": .string(area.area.title),
          "score": area.score.map(JSONValue.int) ?? .null,
          "grade": area.grade.map(JSONValue.string) ?? .null,
          "assessed": .bool(area.score != nil),
          "notAssessed": area.notAssessed.map(JSONValue.string) ?? .null,
          "source": area.source.map(JSONValue.string) ?? .null,
          "weight": .number(area.area.weight),
          "measures": .array(area.measures.map { m in
            [
              "fact": .string(m.measure.fact),
              "title": .string(m.measure.title),
              "unit": .string(m.measure.unit.rawValue),
              "value": m.value.map { .number($0) } ?? .null,
              "score": m.score.map { .number($0, places: 1) } ?? .null,
              "weight": .number(m.measure.weight),
              "better": .string(m.measure.better.rawValue),
              "bands": .array(m.measure.bands.map { [.number($0.bound), .number($0.score)] }),
              "otherwise": .number(m.measure.otherwise),
            ]
          }),
        ]
      }),
      "caps": .array(a.caps.map(JSONValue.string)),
      "risks": .array(a.risks.map { risk in
        [
          "title": .string(risk.title),
          "detail": .string(risk.detail),
          "area": .string(risk.area),
          "findings": .array(risk.findings.map(JSONValue.string)),
        ]
      }),
      "actions": .array(a.actions.map { action in
        [
          "horizon": .string(action.horizon.rawValue),
          "text": .string(action.text),
          "effort": .string(action.effort.rawValue),
          "estimate": true,
          "findings": .array(action.findings.map(JSONValue.string)),
        ]
      }),
      "grades": .array(a.rules.grades.map { ["grade": .string($0.grade), "minimum": .number($0.minimum), "meaning": .string($0.meaning)] }),
      "notes": .array(a.notes.map(JSONValue.string)),
    ]
  }
}
