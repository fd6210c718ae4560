import SalvageCore

/// Can the buyer own this code: the product's own licence (licence files, README, manifests), the
/// third-party code inside the repository (SPDX tags, licence headers, vendored folders' licence files,
/// committed `node_modules`, Go `vendor/`, virtualenvs' metadata) with when and by whom it arrived, and
/// the licences the lockfiles record for the dependencies. The risks (copyleft in a product under other
/// terms, network copyleft in a service, conflicting declarations, unknown licences) and what they
/// are worth are data in `rules/licences.toml`.
///
/// It reads the tip and the history the pass already made (the commit that added each third-party
/// file): no observer, so it costs the history pass nothing.
public struct LicencesAnalyzer: Analyzer {
  public let id = "licences"
  public init() {}

  public typealias Rules = LicenceText

  public var inputs: [any ScanModel.Type] { [DependencyInventory.self] }

  public func compile(_ rules: RuleSet) throws -> LicenceText { LicenceText(try LicenceRules(rules)) }

  /// Named after the rules version, so facts drawn under other rules are never read (the tip-facts
  /// cache is keyed by the rules digest too).
  static let extractorName = "licence-header-1"

  public func blobFactExtractors(_ rules: LicenceText) -> [String: any BlobFactExtractor] {
    [Self.extractorName: LicenceHeaderFacts(text: rules)]
  }

  public func analyze(_ input: AnalysisInput, _ text: LicenceText) throws -> Analysis<LicencesOutput> {
    let inventory = try input.model(DependencyInventory.self)
    var survey = LicenceSurvey(context: input.context, text: text)
    survey.read(inventory: inventory)
    return survey.analysis()
  }
}
