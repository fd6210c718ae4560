import Synchronization

/// Text that came from the repository (a path, a name, an e-mail, a commit subject, a requirement) on
/// its way to an output. It can only be turned into a `String` for a named target, and every target
/// first redacts what the secret rules match (through `OutputText.redactor`, which the secrets rules
/// fill) and then makes control and bidi characters harmless in the way that target needs.
/// Not wired into the analyzers and renderers yet: they take it one by one.
public struct OutputText: Sendable, Hashable, ExpressibleByStringLiteral {
  /// Where the text goes.
  public enum Target: Sendable, CaseIterable {
    /// A terminal or a plain-text report: one line, controls shown as `\u{…}`.
    case terminal
    /// A `path:line: severity: title` line of `--format ci`: as the terminal.
    case ciLine
    /// The message of a GitHub workflow command (`::error …::message`): `%`, CR and LF escaped as the
    /// Actions toolkit does, so a CR cannot start a new command.
    case workflowMessage
    /// A property of a workflow command (`file=…,title=…`): also `:` and `,`.
    case workflowProperty
    /// Markdown (the job summary, the `.md` report): every character Markdown or HTML would act on is
    /// escaped, so repository text makes no link, image, code span or tag.
    case markdown
    /// SARIF `help.markdown` and `message.markdown`: as Markdown.
    case sarifMarkdown
    /// HTML text or a quoted attribute.
    case html
    /// The contents of a JSON string (without the quotes).
    case json
  }

  private let raw: String

  public init(repository text: String) { raw = text }
  /// Bytes as git keeps them: a name that is not UTF-8 is shown git-quoted, never repaired.
  public init(bytes: [UInt8]) { raw = PathText.display(bytes) }
  public init(stringLiteral value: String) { raw = value }

  // MARK: - Redaction

  private static let hook = Mutex<(@Sendable (String) -> String)?>(nil)

  /// What replaces secrets in every output: the secrets rules set it once, before rendering starts.
  public static var redactor: (@Sendable (String) -> String)? {
    get { hook.withLock { $0 } }
    set { hook.withLock { $0 = newValue } }
  }

  /// The text with secrets redacted, nothing else changed.
  var redacted: String { Self.redactor.map { $0(raw) } ?? raw }

  // MARK: - Rendering

  public func rendered(for target: Target) -> String {
    var out = ""
    let text = redacted
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      if Self.isUnsafe(scalar) {
        out += target == .json ? Self.jsonEscape(scalar) : Self.visible(scalar)
        continue
      }
      switch target {
      case .terminal, .ciLine:
        out.unicodeScalars.append(scalar)
      case .workflowMessage:
        out += scalar == "%" ? "%25" : String(scalar)
      case .workflowProperty:
        switch scalar {
        case "%": out += "%25"
        case ":": out += "%3A"
        case ",": out += "%2C"
        default: out.unicodeScalars.append(scalar)
        }
      case .markdown, .sarifMarkdown:
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "-", ".", "!", "|", "~", "\"", "'", "=", ":":
          out += "\\" + String(scalar)
        default: out.unicodeScalars.append(scalar)
        }
      case .html:
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(scalar)
        }
      case .json:
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default: out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// Controls (C0 with CR, LF and TAB, DEL, C1), and the format characters that reorder or hide text
  /// (bidi embeddings, overrides and isolates, marks, zero-width characters, the BOM).
  static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    if v < 0x20 || (0x7f...0x9f).contains(v) { return true }
    return scalar.properties.generalCategory == .format || (0x2028...0x2029).contains(v)
  }

  /// As Swift writes the scalar in a string literal: visible, and inert in every target.
  static func visible(_ scalar: Unicode.Scalar) -> String {
    "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
  }

  static func jsonEscape(_ scalar: Unicode.Scalar) -> String {
    var out = ""
    for unit in String(scalar).utf16 {
      let hex = String(unit, radix: 16)
      out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
    return out
  }

  public static func == (a: OutputText, b: OutputText) -> Bool { a.raw == b.raw }
  public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}
