import SalvageCore

/// Text of the human-readable report, the only text `HumanDocument` holds and the only text the
/// terminal, Markdown and HTML layouts print from it. It is made from string literals and
/// interpolation alone: a literal is the report's own words (a `StaticString`, so no `String` can pose
/// as one), and every interpolated `String` is kept as `OutputText`, redacted and made inert for the
/// target when it is rendered. No repository string can reach these formats without passing there.
struct DocText: Sendable, Equatable, ExpressibleByStringInterpolation {
  enum Style: Sendable, Equatable { case plain, strong, code }

  struct Piece: Sendable, Equatable {
    let text: OutputText
    let style: Style
  }

  private(set) var pieces: [Piece]

  typealias StringLiteralType = StaticString

  init(stringLiteral value: StaticString) { pieces = [Piece(text: OutputText(stringLiteral: value.description), style: .plain)] }
  init(stringInterpolation: Interpolation) { pieces = stringInterpolation.pieces }
  private init(pieces: [Piece]) { self.pieces = pieces }

  struct Interpolation: StringInterpolationProtocol {
    typealias StringLiteralType = StaticString
    fileprivate var pieces: [Piece] = []

    init(literalCapacity: Int, interpolationCount: Int) { pieces.reserveCapacity(interpolationCount * 2 + 1) }

    mutating func appendLiteral(_ literal: StaticString) {
      if literal.utf8CodeUnitCount > 0 { pieces.append(Piece(text: OutputText(stringLiteral: literal.description), style: .plain)) }
    }
    /// Any string not written in a literal here: repository text, whatever its origin.
    mutating func appendInterpolation(_ text: String) { pieces.append(Piece(text: OutputText(repository: text), style: .plain)) }
    /// Repository text in monospace (a path, a command).
    mutating func appendInterpolation(code text: String) { pieces.append(Piece(text: OutputText(repository: text), style: .code)) }
    mutating func appendInterpolation(_ n: Int) { pieces.append(Piece(text: OutputText(repository: String(n)), style: .plain)) }
    mutating func appendInterpolation(_ text: DocText) { pieces += text.pieces }
    mutating func appendInterpolation(code text: DocText) { pieces += text.pieces.map { Piece(text: $0.text, style: .code) } }
    mutating func appendInterpolation(strong text: DocText) { pieces += text.strong.pieces }
  }

  static let empty = DocText(pieces: [])
  var isEmpty: Bool { pieces.allSatisfy { $0.text.rendered(for: .terminal, by: .shapes).isEmpty } }

  static func + (a: DocText, b: DocText) -> DocText { DocText(pieces: a.pieces + b.pieces) }
  static func += (a: inout DocText, b: DocText) { a.pieces += b.pieces }

  /// The same text, emphasised.
  var strong: DocText { DocText(pieces: pieces.map { Piece(text: $0.text, style: $0.style == .code ? .code : .strong) }) }

  /// The text in each format: escaped for it, secrets redacted by the scan's `redactor`, emphasis and
  /// monospace as the format writes them (none on a terminal).
  func rendered(for target: OutputText.Target, by redactor: Redactor) -> String {
    var out = ""
    for piece in pieces {
      let text = piece.text.rendered(for: target, by: redactor)
      guard !text.isEmpty else { continue }
      switch (target, piece.style) {
      case (.html, .strong): out += "<b>" + text + "</b>"
      case (.html, .code), (.markdown, .code), (.sarifMarkdown, .code): out += "<code>" + text + "</code>"
      case (.markdown, .strong), (.sarifMarkdown, .strong): out += "**" + text + "**"
      default: out += text
      }
    }
    return out
  }

  func html(_ redactor: Redactor) -> String { rendered(for: .html, by: redactor) }
  func markdown(_ redactor: Redactor) -> String { rendered(for: .markdown, by: redactor) }
  func terminal(_ redactor: Redactor) -> String { rendered(for: .terminal, by: redactor) }

  /// At most `max` characters as a terminal shows them, keeping the end (which names the file): cut
  /// after redaction, so a cut never reveals a token that whole would have been redacted, and only
  /// ever with a leading "…" that says so.
  func keepingEnd(_ max: Int, by redactor: Redactor) -> DocText {
    let shown = terminal(redactor)
    guard max > 1, shown.count > max else { return self }
    return "…\(String(shown.suffix(max - 1)))"
  }

  static func joined(_ list: [DocText], separator: DocText) -> DocText {
    var out = DocText.empty
    for (i, text) in list.enumerated() {
      if i > 0 { out += separator }
      out += text
    }
    return out
  }
}

/// Printing a `DocText` some other way shows what a terminal shows (credential shapes redacted), never
/// the text as it came.
extension DocText: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  var description: String { terminal(.shapes) }
  var debugDescription: String { terminal(.shapes) }
  var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension DefaultStringInterpolation {
  /// A `DocText` goes into a `String` only through `rendered(for:by:)`, which says for which format
  /// and with which scan's redactor.
  @available(*, unavailable, message: "render the DocText for its format with the scan's redactor: .html(r), .markdown(r) or .terminal(r)")
  mutating func appendInterpolation(_ text: DocText) {}
}

extension Array where Element == DocText {
  func joined(separator: DocText) -> DocText { DocText.joined(self, separator: separator) }
}
