/// Paths stay bytes until they are printed. Printing follows git: valid UTF-8 is shown as it is, anything
/// else is quoted with octal escapes, as `git log` does with `core.quotePath=false`, so no byte is lost
/// or turned into U+FFFD.
public enum PathText {
  public static func display<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    if let text = String(validating: bytes, as: UTF8.self), !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") }) {
      return text
    }
    var out = "\""
    var index = bytes.startIndex
    var pending: [UInt8] = []
    func flush() {
      guard !pending.isEmpty else { return }
      if let valid = String(validating: pending, as: UTF8.self) {
        out += valid
      } else {
        for byte in pending { out += "\\" + octal(byte) }
      }
      pending.removeAll()
    }
    while index != bytes.endIndex {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""): flush(); out += "\\\""
      case UInt8(ascii: "\\"): flush(); out += "\\\\"
      case 0x0A: flush(); out += "\\n"
      case 0x09: flush(); out += "\\t"
      case 0..<0x20, 0x7F: flush(); out += "\\" + octal(byte)
      case 0x80...:
        // Gather a run of high bytes and keep it if it is valid UTF-8.
        pending.append(byte)
      default:
        flush()
        out.unicodeScalars.append(Unicode.Scalar(byte))
      }
      index = bytes.index(after: index)
    }
    flush()
    return out + "\""
  }

  private static func octal(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 8)
    return String(repeating: "0", count: 3 - digits.count) + digits
  }

  /// Text taken from the repository (names, messages) that may not be UTF-8: invalid bytes become U+FFFD.
  /// Only for prose, never for identity.
  public static func prose<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    String(decoding: Array(bytes), as: UTF8.self)
  }
}
