import Analyzers
import SalvageCore

/// What the report reads from a finding's typed evidence.
extension Finding {
  /// What a secret's value is; `live` for every other finding (none is a test or example value).
  var secretContext: SecretContext { (evidence as? SecretEvidence)?.context ?? .live }

  /// False only for a secret or sensitive file no longer in the tip.
  var inHead: Bool { (evidence as? SecretEvidence)?.inHead ?? true }

  /// A secret's redacted preview.
  var secretPreview: String? { (evidence as? SecretEvidence)?.preview }

  /// The evidence figure `report.toml` names (`scale_by`, `[summary] lead`), when this finding has it.
  func figure(_ name: String) -> Double? { EvidenceFigures.all[name]?(evidence) }
}

/// The evidence figures `report.toml` may name, each read from the evidence types that carry it: a
/// name missing here is refused when the rules are compiled (exit 7), never read as "absent".
enum EvidenceFigures {
  static let all: [String: @Sendable (any FindingEvidence) -> Double?] = [
    // Lines of code of a hotspot, with or without a test.
    "loc": { evidence in
      if let hotspot = evidence as? HotspotsOutput.HotspotEvidence { return Double(hotspot.loc) }
      return (evidence as? TestsOutput.UntestedHotspotEvidence)?.loc.map(Double.init)
    },
    "daysSinceLastCommit": { evidence in (evidence as? CadenceEvidence.NotMaintained).map { Double($0.daysSinceLastCommit) } },
  ]
}
