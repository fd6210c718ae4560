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
    LinesAnalyzer(),
    CadenceAnalyzer(),
    TestsAnalyzer(),
    DependenciesAnalyzer(),
    VulnerabilitiesAnalyzer(),
    LicencesAnalyzer(),
    // Only reports in CI mode (--base).
    ChangeAnalyzer(),
  ]

  public static var ids: [String] { all.map(\.id) }

  /// Analyzers a scan runs only when `--analyzers` names them or `--lines` asks for them: following
  /// every line costs about 2.7x the history pass's CPU on git.git's first scan (issue 19's target is
  /// 0.5x `git log --numstat`), so until it shares the pass's diffs it is not on by default.
  public static let optIn: Set<String> = ["lines"]

  /// The order to start them in, the longest-running first (measured on warm scans of git.git and of a
  /// 100,000-commit history), so that no long analyzer starts last.
  public static let startOrder = ["tests", "secrets", "cadence", "hotspots", "dependencies", "vulnerabilities", "ownership", "lines", "inventory", "change"]
}
