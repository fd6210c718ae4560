/// Why a document is not valid TOML, and where. Columns count Unicode scalars, so they match
/// what an editor shows for non-ASCII lines.
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
  /// 1-based.
  public let line: Int
  /// 1-based.
  public let column: Int
  public let message: String

  public init(line: Int, column: Int, message: String) {
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String { "line \(line), column \(column): \(message)" }
}
