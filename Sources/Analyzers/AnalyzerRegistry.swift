import SalvageCore

/// Every built-in analyzer, in the order their objects appear in the report. Analyzers are independent
/// of each other, so the order matters only for the report's layout.
public enum AnalyzerRegistry {
  public static let all: [any Analyzer] = [
    InventoryAnalyzer(),
    SecretsAnalyzer(),
  ]

  public static var ids: [String] { all.map(\.id) }
}
