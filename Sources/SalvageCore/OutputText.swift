/// What replaces secrets in one scan's outputs: whatever the scan's own secret rules match (built-in,
/// `--rules`, the repository's `[rules] extra` overlay; the report builds it from the scan's rule set),
/// then the built-in credential shapes. A value handed to every output with the report, never a global:
/// two scans in one process each redact by their own rules.
public struct Redactor: Sendable {
  private let rules: (@Sendable (String) -> String)?

  /// `rules` replaces each secret it finds in a text (the secrets analyzer's `SecretRedactor`).
  public init(rules: @escaping @Sendable (String) -> String) { self.rules = rules }
  private init() { rules = nil }

  /// The built-in credential shapes alone: for what is written before a scan's rules are known (the
  /// progress line, usage and input errors) and for text that the rules never see.
  public static let shapes = Redactor()

  /// `text` with the rules' secrets and every credential shape `SecretShapes` knows redacted: for
  /// outputs that escape on their own (a JSON tree, a SARIF URI).
  public func redact(_ text: String) -> String { SecretShapes.redact(rules.map { $0(text) } ?? text) }

  /// A value given apart from its name (a requirement of `AWS_SECRET_ACCESS_KEY`, a JSON field beside
  /// a `name`): hidden whole when the name says it is secret, else redacted as any text.
  public func redact(value: String, named name: String) -> String {
    guard SecretShapes.isSecretName(Array(name.utf8)), value.utf8.count >= 8 else { return redact(value) }
    return SecretShapes.hidden(Array(value.utf8)[...])
  }
}

/// Text that came from the repository (a path, a name, an e-mail, a commit subject, a requirement) on
/// its way to an output. It can only be turned into a `String` for a named target and with a
/// `Redactor`: every target first redacts what the scan's secret rules match and the high-confidence
/// credential shapes (`SecretShapes`), then makes control and bidi characters harmless in the way that
/// target needs. Every renderer's escaping goes through it.
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
    /// SARIF `text` fields (a rule's descriptions, a result's message): as the terminal, controls
    /// visible; the JSON writer escapes the rest.
    case sarifText
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

  // MARK: - Rendering

  /// The text for `target`, secrets redacted by `redactor` (the scan's), controls and bidi characters
  /// made inert.
  public func rendered(for target: Target, by redactor: Redactor) -> String {
    var out = ""
    let text = redactor.redact(raw)
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      if Self.isUnsafe(scalar) {
        switch (target, scalar) {
        case (.json, _): out += Self.jsonEscape(scalar)
        // Line breaks and tabs are inert in Markdown (as spaces, on the one line a table cell has) and
        // in HTML.
        case (.markdown, "\n"), (.markdown, "\r"), (.markdown, "\t"), (.sarifMarkdown, "\n"), (.sarifMarkdown, "\r"), (.sarifMarkdown, "\t"):
          out += " "
        case (.html, "\n"), (.html, "\t"): out.unicodeScalars.append(scalar)
        default: out += Self.visible(scalar)
        }
        continue
      }
      switch target {
      case .terminal, .ciLine, .sarifText:
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
        // Enough that no link, image, emphasis, code span, tag or table cell can open (`[`, `]` and
        // `!` escaped leave a URL as text); ordinary punctuation stays as it is.
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "|": out += "\\|"
        case "\\", "`", "*", "_", "[", "]", "#", "!": out += "\\" + String(scalar)
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

/// The credential shapes redacted in every output whatever the secrets rules say: tokens whose prefix
/// alone names them (GitHub, GitLab, Slack, Stripe, AWS key ids, npm, PyPI, Google API keys, Anthropic,
/// OpenAI project keys, Shopify, DigitalOcean), the
/// password of a URL's userinfo, and the value assigned to a name that says it is secret
/// (`AWS_SECRET_ACCESS_KEY=…`, `api_token: …`). One linear pass; a redacted value keeps at most four
/// characters and its length, as `Redaction.preview` shows secrets.
enum SecretShapes {
  /// Prefix, the characters the token is made of after it, and the fewest of them that make a token.
  /// (`upper`: only upper-case letters and digits follow, as in AWS key ids.)
  static let prefixes: [(prefix: [UInt8], upper: Bool, minimum: Int)] = [
    ("github_pat_", false, 20), ("ghp_", false, 20), ("gho_", false, 20), ("ghu_", false, 20),
    ("ghs_", false, 20), ("ghr_", false, 20), ("glpat-", false, 16), ("xoxb-", false, 10),
    ("xoxp-", false, 10), ("xoxa-", false, 10), ("xoxr-", false, 10), ("xoxs-", false, 10),
    ("xapp-", false, 10), ("sk_live_", false, 16), ("rk_live_", false, 16), ("sk_test_", false, 16),
    ("AKIA", true, 16), ("ASIA", true, 16), ("npm_", false, 30), ("pypi-", false, 40),
    ("AIza", false, 30), ("sk-ant-", false, 20), ("sk-proj-", false, 20), ("shpat_", false, 20), ("dop_v1_", false, 40),
  ].map { (Array($0.0.utf8), $0.1, $0.2) }

  /// Words that make the value assigned to a name secret.
  static let secretWords: [[UInt8]] = ["secret", "token", "password", "passwd", "api_key", "apikey", "private_key", "access_key", "credential", "auth_key"]
    .map { Array($0.utf8) }

  static func isTokenByte(_ b: UInt8) -> Bool { isAlphanumeric(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") }
  static func isUpperOrDigit(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x30...0x39).contains(b) }
  static func isAlphanumeric(_ b: UInt8) -> Bool { isUpperOrDigit(b) || (0x61...0x7A).contains(b) }
  static func isNameByte(_ b: UInt8) -> Bool { isAlphanumeric(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") }
  /// What ends an assigned value or a URL's password.
  static func isValueEnd(_ b: UInt8) -> Bool {
    b <= 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: ",") || b == UInt8(ascii: ";") || b == UInt8(ascii: "`")
  }

  static func redact(_ text: String) -> String {
    // Every string of a report passes here: most hold no candidate, and are checked in place.
    var copy = text
    guard copy.withUTF8(mightHold) else { return text }
    let bytes = Array(text.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var changed = false
    var i = 0
    func hide(_ value: ArraySlice<UInt8>) {
      out += Array(hidden(value).utf8)
      changed = true
    }
    scan: while i < bytes.count {
      let atWordStart = i == 0 || !isAlphanumeric(bytes[i - 1])
      if atWordStart {
        for shape in prefixes where bytes[i...].starts(with: shape.prefix) {
          var end = i + shape.prefix.count
          while end < bytes.count && (shape.upper ? isUpperOrDigit(bytes[end]) : isTokenByte(bytes[end])) { end += 1 }
          if end - i - shape.prefix.count >= shape.minimum && (end == bytes.count || !isAlphanumeric(bytes[end])) {
            hide(bytes[i..<end])
            i = end
            continue scan
          }
        }
      }
      // "://user:password@host": the password.
      if bytes[i] == UInt8(ascii: ":"), bytes[i...].starts(with: Array("://".utf8)) {
        var end = i + 3
        while end < bytes.count && bytes[end] != UInt8(ascii: "@") && bytes[end] != UInt8(ascii: "/") && !isValueEnd(bytes[end]) { end += 1 }
        if end < bytes.count && bytes[end] == UInt8(ascii: "@"), let colon = bytes[(i + 3)..<end].firstIndex(of: UInt8(ascii: ":")), colon + 1 < end {
          // The user part may itself be a token: redact it by the prefixes above.
          out += Array(redact(String(decoding: bytes[i...colon], as: UTF8.self)).utf8)
          hide(bytes[(colon + 1)..<end])
          i = end
          continue scan
        }
      }
      // NAME=value or NAME: value, NAME holding a secret word.
      if bytes[i] == UInt8(ascii: "=") || bytes[i] == UInt8(ascii: ":"), let valueRange = assignedSecret(bytes, at: i) {
        out += bytes[i..<valueRange.lowerBound]
        hide(bytes[valueRange])
        i = valueRange.upperBound
        continue scan
      }
      out.append(bytes[i])
      i += 1
    }
    return changed ? String(decoding: out, as: UTF8.self) : text
  }

  /// Whether a shape may start anywhere in `b`: a prefix at a word start, `://`, or `=` or `:` after
  /// a secret-named name. No allocation; `redact` decides.
  static func mightHold(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    for i in b.indices {
      switch b[i] {
      case UInt8(ascii: ":"), UInt8(ascii: "="):
        if b[i] == UInt8(ascii: ":"), i + 2 < b.count, b[i + 1] == UInt8(ascii: "/"), b[i + 2] == UInt8(ascii: "/") { return true }
        var end = i
        while end > 0 && (b[end - 1] == UInt8(ascii: " ") || b[end - 1] == UInt8(ascii: "\"") || b[end - 1] == UInt8(ascii: "'")) { end -= 1 }
        var start = end
        while start > 0 && isNameByte(b[start - 1]) { start -= 1 }
        if start < end && holdsSecretWord(UnsafeBufferPointer(rebasing: b[start..<end])) { return true }
      case UInt8(ascii: "g"), UInt8(ascii: "x"), UInt8(ascii: "s"), UInt8(ascii: "r"), UInt8(ascii: "A"), UInt8(ascii: "n"), UInt8(ascii: "p"),
           UInt8(ascii: "d"):
        guard i == 0 || !isAlphanumeric(b[i - 1]) else { continue }
        for shape in prefixes where i + shape.prefix.count <= b.count {
          if shape.prefix.indices.allSatisfy({ b[i + $0] == shape.prefix[$0] }) { return true }
        }
      default: continue
      }
    }
    return false
  }

  /// Whether `name` holds a secret word, ignoring case.
  static func holdsSecretWord(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
    secretWords.contains { word in
      name.count >= word.count && (0...(name.count - word.count)).contains { start in
        word.indices.allSatisfy { k in
          let c = name[start + k]
          return ((0x41...0x5A).contains(c) ? c | 0x20 : c) == word[k]
        }
      }
    }
  }

  /// At most four characters (none of a value under 16 bytes) and the length, as `Redaction.preview`.
  static func hidden(_ value: ArraySlice<UInt8>) -> String {
    let shown = value.count < 16 ? 0 : min(4, value.count / 4)
    return String(decoding: value.prefix(shown), as: UTF8.self) + "…(\(value.count) chars)"
  }

  /// A name (one word of name characters) that holds a secret word.
  static func isSecretName(_ bytes: [UInt8]) -> Bool {
    guard !bytes.isEmpty, bytes.allSatisfy(isNameByte) else { return false }
    let name = bytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
    return secretWords.contains { word in
      name.count >= word.count && (0...(name.count - word.count)).contains { name[$0..<($0 + word.count)].elementsEqual(word) }
    }
  }

  /// The value after the `=` or `:` at `i` when the name before it holds a secret word, the value is
  /// at least 8 bytes and is not already redacted.
  static func assignedSecret(_ bytes: [UInt8], at i: Int) -> Range<Int>? {
    var nameEnd = i
    while nameEnd > 0 && (bytes[nameEnd - 1] == UInt8(ascii: " ") || bytes[nameEnd - 1] == UInt8(ascii: "\"") || bytes[nameEnd - 1] == UInt8(ascii: "'")) && bytes[i] == UInt8(ascii: "=") { nameEnd -= 1 }
    if nameEnd > 0 && (bytes[nameEnd - 1] == UInt8(ascii: "\"") || bytes[nameEnd - 1] == UInt8(ascii: "'")) { nameEnd -= 1 }
    var nameStart = nameEnd
    while nameStart > 0 && isNameByte(bytes[nameStart - 1]) { nameStart -= 1 }
    guard nameStart < nameEnd, isSecretName(Array(bytes[nameStart..<nameEnd])) else { return nil }
    var start = i + 1
    while start < bytes.count && (bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\"") || bytes[start] == UInt8(ascii: "'")) { start += 1 }
    var end = start
    while end < bytes.count && !isValueEnd(bytes[end]) { end += 1 }
    guard end - start >= 8, !bytes[start..<end].starts(with: Array("…".utf8)), !bytes[start..<end].contains(0xE2) else { return nil }
    return start..<end
  }
}

/// Printed any other way than through `rendered(for:by:)` (interpolated, dumped, in a debug message),
/// the text shows as a terminal would show it: credential shapes redacted, controls visible.
extension OutputText: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  public var description: String { rendered(for: .terminal, by: .shapes) }
  public var debugDescription: String { rendered(for: .terminal, by: .shapes) }
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
