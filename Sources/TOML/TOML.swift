/// Entry points of the TOML 1.0 reader.
public enum TOML {
  /// Parses a whole document. A leading byte order mark is ignored.
  public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
    // A String is always valid UTF-8, so the validation pass of `parse(bytes:)` is not needed.
    try parseValidUTF8(Array(text.utf8))
  }

  /// Parses a document read from disk; bytes that are not valid UTF-8 are reported with their line,
  /// since a manifest of a scanned repository may be in any state.
  public static func parse(bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
    if let bad = UTF8Check.firstInvalidOffset(in: bytes) {
      throw Position.error(in: bytes, at: bad, "invalid UTF-8 byte 0x\(hex(bytes[bad]))")
    }
    return try parseValidUTF8(bytes)
  }

  private static func parseValidUTF8(_ bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
    // The parser reads through a buffer pointer: in debug builds an array subscript costs about
    // four times as much, and debug builds are what tests and development run.
    let outcome: Result<TOMLTable, TOMLError> = bytes.withUnsafeBufferPointer { buffer in
      var parser = Parser(buffer)
      do throws(TOMLError) {
        return .success(try parser.parseDocument())
      } catch {
        return .failure(error)
      }
    }
    return try outcome.get()
  }
}

func hex(_ byte: UInt8) -> String {
  let digits = String(byte, radix: 16, uppercase: true)
  return byte < 16 ? "0" + digits : digits
}

/// Line and column of a byte offset, computed on demand: errors are rare, so a rescan of the
/// prefix is cheaper than tracking columns on every byte.
enum Position {
  static func error<Bytes: RandomAccessCollection>(
    in bytes: Bytes, at offset: Int, _ message: String
  ) -> TOMLError where Bytes.Element == UInt8, Bytes.Index == Int {
    let end = min(max(offset, bytes.startIndex), bytes.endIndex)
    var line = 1
    var lineStart = bytes.startIndex
    var index = bytes.startIndex
    while index < end {
      if bytes[index] == 0x0A {
        line += 1
        lineStart = index + 1
      }
      index += 1
    }
    var column = 1
    index = lineStart
    while index < end {
      // Continuation bytes belong to the scalar already counted.
      if bytes[index] & 0xC0 != 0x80 { column += 1 }
      index += 1
    }
    return TOMLError(line: line, column: column, message: message)
  }
}

enum UTF8Check {
  /// Offset of the first byte that does not start a well-formed UTF-8 sequence (overlong forms,
  /// surrogates and values above U+10FFFF included), or nil when all of `bytes` is valid.
  static func firstInvalidOffset(in bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBufferPointer { buffer in
      let count = buffer.count
      var index = 0
      while index < count {
        let lead = buffer[index]
        if lead < 0x80 {
          index += 1
          continue
        }
        let trailing: Int
        // The second byte has a narrower range for leads that could otherwise encode overlong
        // forms, surrogates or values past U+10FFFF.
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: trailing = 1
        case 0xE0: trailing = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: trailing = 2
        case 0xED: trailing = 2; high = 0x9F
        case 0xF0: trailing = 3; low = 0x90
        case 0xF1...0xF3: trailing = 3
        case 0xF4: trailing = 3; high = 0x8F
        default: return index
        }
        guard index + trailing < count else { return index }
        let second = buffer[index + 1]
        guard second >= low && second <= high else { return index }
        var offset = 2
        while offset <= trailing {
          guard buffer[index + offset] & 0xC0 == 0x80 else { return index }
          offset += 1
        }
        index += trailing + 1
      }
      return nil
    }
  }
}
