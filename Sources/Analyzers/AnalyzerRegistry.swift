import SalvageCore

/// Every built-in analyzer, in the order their objects appear in the report. Analyzers are independent
/// of each other (each is a pure function of the scan context), so the order matters only for the
/// report's layout.
public enum AnalyzerRegistry {
  public static let all: [any Analyzer] = [
    InventoryAnalyzer(),
    SecretsAnalyzer(),
    HotspotAnalyzer(),
    OwnershipAnalyzer(),
    CadenceAnalyzer(),
    TestsAnalyzer(),
    DependenciesAnalyzer(),
    VulnerabilitiesAnalyzer(),
    LicencesAnalyzer(),
    // Only reports in CI mode (--base).
    ChangeAnalyzer(),
  ]

  public static var ids: [String] { all.map(\.id) }

  /// The order to start them in, the longest-running first (measured on warm scans of git.git and of a
  /// 100,000-commit history), so that no long analyzer starts last.
  public static let startOrder = ["tests", "secrets", "cadence", "hotspots", "dependencies", "vulnerabilities", "ownership", "inventory", "change"]
}
