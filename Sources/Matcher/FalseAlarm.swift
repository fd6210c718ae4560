#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The built-in shape tests of the false-alarm filters; the word lists and regexes come from the
/// rule files (`FalseAlarmFilters`).
enum FalseAlarm {
  static func entropy(_ bytes: [UInt8]) -> Double {
    guard !bytes.isEmpty else { return 0 }
    var counts = [Int](repeating: 0, count: 256)
    for byte in bytes { counts[Int(byte)] += 1 }
    let total = Double(bytes.count)
    var result = 0.0
    for count in counts where count > 0 {
      let p = Double(count) / total
      result -= p * log2(p)
    }
    return result
  }

  @inline(__always) private static func isLetter(_ b: UInt8) -> Bool {
    (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
  }
  @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
  @inline(__always) private static func isHex(_ b: UInt8) -> Bool {
    isDigit(b) || ((b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "f"))
  }
  @inline(__always) private static func isBase64(_ b: UInt8) -> Bool {
    isLetter(b) || isDigit(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=")
      || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
  }

  private static func has(_ value: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
    let needle = UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
    guard value.count >= needle.count else { return false }
    for i in 0...(value.count - needle.count) where value[i] == needle[0] {
      if (1..<needle.count).allSatisfy({ value[i + $0] == needle[$0] }) { return true }
    }
    return false
  }

  /// `${VAR}`, `{{ x }}`, `#{x}`, `%(x)s`, `<your-key>`, `%VAR%`, `$VAR`, `$(cmd)`.
  static func isTemplate(_ value: UnsafeRawBufferPointer) -> Bool {
    guard let first = value.first, let last = value.last else { return false }
    if has(value, "${") || has(value, "{{") || has(value, "}}") || has(value, "#{") || has(value, "%(") || has(value, "$(") {
      return true
    }
    if first == UInt8(ascii: "<") || last == UInt8(ascii: ">") { return true }
    if first == UInt8(ascii: "%") && last == UInt8(ascii: "%") && value.count > 2 { return true }
    if first == UInt8(ascii: "$") && value.count > 1 {
      // A shell or PHP variable: `$` and an identifier, nothing else.
      let rest = value.dropFirst()
      if let head = rest.first, isLetter(head) || head == UInt8(ascii: "_"),
        rest.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") })
      {
        return true
      }
    }
    return false
  }

  /// A run of six identical bytes, or a value of six bytes or more made of three distinct ones.
  static func isRepeated(_ value: UnsafeRawBufferPointer) -> Bool {
    var run = 1
    var distinct: [UInt8] = []
    for (i, byte) in value.enumerated() {
      if i > 0 && byte == value[i - 1] {
        run += 1
        if run >= 6 { return true }
      } else {
        run = 1
      }
      if distinct.count <= 3 && !distinct.contains(byte) { distinct.append(byte) }
    }
    return value.count >= 6 && distinct.count <= 3
  }

  /// Six or more letters or digits in ascending or descending order (`123456`, `abcdef`, `FEDCBA`).
  static func hasSequence(_ value: UnsafeRawBufferPointer) -> Bool {
    var up = 1
    var down = 1
    for i in value.indices.dropFirst() {
      let a = value[i - 1]
      let b = value[i]
      let alike = (isDigit(a) && isDigit(b)) || (isLetter(a) && isLetter(b) && (a & 0x20) == (b & 0x20))
      up = alike && b == a &+ 1 ? up + 1 : 1
      down = alike && b == a &- 1 ? down + 1 : 1
      if up >= 6 || down >= 6 { return true }
    }
    return false
  }

  /// 8-4-4-4-12 hex digits.
  static func isUUID(_ value: UnsafeRawBufferPointer) -> Bool {
    guard value.count == 36 else { return false }
    for (i, byte) in value.enumerated() {
      if i == 8 || i == 13 || i == 18 || i == 23 {
        if byte != UInt8(ascii: "-") { return false }
      } else if !isHex(byte) {
        return false
      }
    }
    return true
  }

  /// Exactly 40 or 64 hex digits: a commit id or a SHA-256 digest.
  static func isHexHash(_ value: UnsafeRawBufferPointer) -> Bool {
    (value.count == 40 || value.count == 64) && value.allSatisfy(isHex)
  }

  /// Subresource-integrity values (`sha512-...`) or a lockfile `integrity` / `checksum` line.
  static func isIntegrity(_ value: UnsafeRawBufferPointer, line: UnsafeRawBufferPointer) -> Bool {
    for prefix in ["sha1-", "sha256-", "sha384-", "sha512-"] {
      let bytes = Array(prefix.utf8)
      if value.count > bytes.count && zip(value, bytes).allSatisfy({ ByteSearch.fold($0) == $1 }) { return true }
    }
    return ByteSearch.containsFolded(line, Array("integrity".utf8))
  }

  /// The byte at `offset` is inside the payload of a `data:<type>;base64,` URI.
  static func isInDataURI(_ buffer: UnsafeRawBufferPointer, offset: Int, lineStart: Int) -> Bool {
    let head = Array("data:".utf8)
    if buffer.count - offset >= head.count, (0..<head.count).allSatisfy({ ByteSearch.fold(buffer[offset + $0]) == head[$0] }) {
      return true
    }
    var start = offset
    while start > lineStart && isBase64(buffer[start - 1]) { start -= 1 }
    let marker = Array(";base64,".utf8)
    guard start - lineStart >= marker.count + 5 else { return false }
    for (i, byte) in marker.enumerated() where ByteSearch.fold(buffer[start - marker.count + i]) != byte { return false }
    // `data:` must open the media type, within a short distance of `;base64,`.
    let typeEnd = start - marker.count
    let from = max(lineStart, typeEnd - 100)
    let window = UnsafeRawBufferPointer(rebasing: buffer[from..<typeEnd])
    return ByteSearch.containsFolded(window, Array("data:".utf8))
  }

  /// Decoded bytes that read as text: no control byte but tab and line ends, at most a tenth non-ASCII.
  static func isText(_ bytes: [UInt8]) -> Bool {
    var high = 0
    for byte in bytes {
      if byte >= 0x80 {
        high += 1
      } else if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F {
        return false
      }
    }
    return high * 10 <= bytes.count
  }

  /// A word or phrase in any script, as a translation file holds (`Adgangskode`, `mot-de-passe`,
  /// `Contraseña`, `Пароль`, `パスワード`): letters only (ASCII, or any multi-byte UTF-8 character), words
  /// joined by a space, hyphen, apostrophe or dot; an ASCII word is lower-case after its first letter,
  /// or all upper-case. Digits or other symbols make it a candidate credential.
  static func isNaturalLanguage(_ value: UnsafeRawBufferPointer) -> Bool {
    var letters = 0
    var wordLength = 0
    var wordUpper = 0
    var wordFirstUpper = false
    func wordIsNatural() -> Bool {
      wordUpper == 0 || (wordUpper == 1 && wordFirstUpper) || wordUpper == wordLength
    }
    for byte in value {
      if byte >= 0x80 {
        // Part of a multi-byte character: a letter of another script (or a symbol, rare in values).
        letters += 1
        continue
      }
      if isLetter(byte) {
        let upper = byte < UInt8(ascii: "a")
        if upper {
          wordUpper += 1
          if wordLength == 0 { wordFirstUpper = true }
        }
        wordLength += 1
        letters += 1
        continue
      }
      guard byte == 0x20 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: ".") else { return false }
      guard wordIsNatural() else { return false }
      wordLength = 0
      wordUpper = 0
      wordFirstUpper = false
    }
    return letters >= 2 && wordIsNatural()
  }
}
