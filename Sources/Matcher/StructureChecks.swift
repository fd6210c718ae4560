/// Offline checks of formats that carry their own structure (`check` in a rule). Each reads the secret's
/// bytes only and says `valid` or why it is a placeholder; none ever reaches the network.
public enum StructureCheck: String, CaseIterable, Sendable {
  /// GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm tokens (`npm_`): 4-byte prefix,
  /// 30 random characters, then 6 base62 digits of the CRC32 of those 30.
  case crc32Tail = "crc32-tail"
  /// A PEM private key body: base64 of one DER SEQUENCE whose length is the decoded length, or an
  /// OpenSSH key (`openssh-key-v1`). Bodies with RFC 1421 headers (legacy encryption) are not judged.
  case pem
  /// A JSON Web Token: header and payload decode to JSON objects, the header names a real algorithm;
  /// the payload's `exp`, when present, is handed to the report.
  case jwt
  /// A PyPI token: `pypi-` and a base64url macaroon (version 2, location `pypi.org`, an identifier).
  case macaroon

  func verdict(_ secret: [UInt8]) -> SecretVerdict {
    switch self {
    case .crc32Tail: return Self.crc32Tail(secret)
    case .pem: return Self.pem(secret)
    case .jwt: return Self.jwt(secret)
    case .macaroon: return Self.macaroon(secret)
    }
  }

  static func crc32Tail(_ secret: [UInt8]) -> SecretVerdict {
    // The prefix is `ghx_` or `npm_`; the rest 30 + 6.
    guard secret.count == 40 else { return .unchecked }
    let body = Array(secret[4..<34])
    guard let tail = Base62.value(secret[34..<40]) else { return .failed(.checksum) }
    return tail == UInt64(CRC32.checksum(body)) ? SecretVerdict(kind: .valid) : .failed(.checksum)
  }

  static func pem(_ secret: [UInt8]) -> SecretVerdict {
    if secret.contains(UInt8(ascii: ":")) { return .unchecked }
    guard let der = Base64.decode(secret[...]), der.count >= 32 else { return .failed(.pemBody) }
    if der.starts(with: Array("openssh-key-v1".utf8) + [0]) { return SecretVerdict(kind: .valid) }
    guard der[0] == 0x30, let (length, header) = DER.length(der, at: 1), header + length == der.count else {
      return .failed(.pemBody)
    }
    return SecretVerdict(kind: .valid)
  }

  static func jwt(_ secret: [UInt8]) -> SecretVerdict {
    let parts = secret.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count == 3, let header = Base64.decode(parts[0]), let payload = Base64.decode(parts[1]),
      JSONText.isObject(header), JSONText.isObject(payload)
    else { return .failed(.jwtMalformed) }
    guard let alg = JSONText.string(header, key: "alg") else { return .failed(.jwtMalformed) }
    if alg.lowercased() == "none" { return .failed(.jwtUnsigned) }
    return SecretVerdict(kind: .valid, detail: JSONText.integer(payload, key: "exp") ?? 0)
  }

  static func macaroon(_ secret: [UInt8]) -> SecretVerdict {
    guard secret.starts(with: Array("pypi-".utf8)), let data = Base64.decode(secret[5...]) else { return .failed(.macaroon) }
    // Version 2, field 1 (location) of 8 bytes "pypi.org", field 2 (identifier) with a varint length.
    let head: [UInt8] = [0x02, 0x01, 0x08] + Array("pypi.org".utf8) + [0x02]
    guard data.starts(with: head) else { return .failed(.macaroon) }
    var i = head.count
    var length = 0
    var shift = 0
    while i < data.count, shift < 28 {
      let byte = data[i]
      length |= Int(byte & 0x7f) << shift
      i += 1
      if byte & 0x80 == 0 { break }
      shift += 7
    }
    guard length > 0, i + length < data.count else { return .failed(.macaroon) }
    return SecretVerdict(kind: .valid)
  }
}

/// CRC-32 (IEEE 802.3, reflected, as zlib computes it).
enum CRC32 {
  static let table: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }
}

/// Base62 digits `0-9A-Za-z`, most significant first.
enum Base62 {
  static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

  /// `value` in base62, left-padded with `0` to `width` digits.
  static func digits(_ value: UInt64, width: Int) -> [UInt8] {
    var out: [UInt8] = []
    var v = value
    repeat {
      out.append(alphabet[Int(v % 62)])
      v /= 62
    } while v > 0
    while out.count < width { out.append(UInt8(ascii: "0")) }
    return out.reversed()
  }

  static func value<C: Collection>(_ digits: C) -> UInt64? where C.Element == UInt8 {
    var result: UInt64 = 0
    for byte in digits {
      let digit: UInt64
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(byte - UInt8(ascii: "A")) + 10
      case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(byte - UInt8(ascii: "a")) + 36
      default: return nil
      }
      let (times, overflow) = result.multipliedReportingOverflow(by: 62)
      guard !overflow else { return nil }
      result = times + digit
    }
    return result
  }
}

/// Base64 in either alphabet (`+/` or `-_`), padding optional; nil for any other byte or a length no
/// encoder gives.
public enum Base64 {
  static let values: [Int8] = {
    var table = [Int8](repeating: -1, count: 256)
    for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8.enumerated() { table[Int(c)] = Int8(i) }
    table[Int(UInt8(ascii: "+"))] = 62
    table[Int(UInt8(ascii: "-"))] = 62
    table[Int(UInt8(ascii: "/"))] = 63
    table[Int(UInt8(ascii: "_"))] = 63
    return table
  }()

  public static func decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
    var end = text.endIndex
    while end > text.startIndex && text[end - 1] == UInt8(ascii: "=") { end -= 1 }
    let count = end - text.startIndex
    guard count % 4 != 1, text.endIndex - end <= 2 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(count * 3 / 4)
    var buffer: UInt32 = 0
    var bits = 0
    for i in text.startIndex..<end {
      let v = values[Int(text[i])]
      guard v >= 0 else { return nil }
      buffer = buffer << 6 | UInt32(v)
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
      }
    }
    return out
  }
}

/// Percent-encoding (`%2F`); nil when a `%` is not followed by two hex digits.
enum PercentEncoding {
  static func decode(_ text: [UInt8]) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(text.count)
    var i = 0
    while i < text.count {
      if text[i] == UInt8(ascii: "%") {
        guard i + 2 < text.count, let high = hex(text[i + 1]), let low = hex(text[i + 2]) else { return nil }
        out.append(high << 4 | low)
        i += 3
      } else {
        out.append(text[i])
        i += 1
      }
    }
    return out
  }

  private static func hex(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}

/// DER definite lengths.
enum DER {
  /// The length at `offset` and the bytes from the start of the value (tag included) to its content.
  static func length(_ der: [UInt8], at offset: Int) -> (length: Int, header: Int)? {
    guard offset < der.count else { return nil }
    let first = der[offset]
    if first < 0x80 { return (Int(first), offset + 1) }
    let count = Int(first & 0x7f)
    guard count >= 1, count <= 4, offset + count < der.count else { return nil }
    var length = 0
    for i in 1...count { length = length << 8 | Int(der[offset + i]) }
    return (length, offset + 1 + count)
  }
}

/// Just enough JSON reading for token headers: an object's top-level string or integer by key.
enum JSONText {
  static func isObject(_ text: [UInt8]) -> Bool {
    let trimmed = text.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    return trimmed.first == UInt8(ascii: "{") && text.last(where: { $0 > 0x20 }) == UInt8(ascii: "}")
  }

  /// The bytes just after `"key"` and its colon.
  private static func value(_ text: [UInt8], key: String) -> Int? {
    let needle = Array("\"\(key)\"".utf8)
    guard text.count >= needle.count else { return nil }
    for start in 0...(text.count - needle.count) where text[start] == needle[0] {
      guard text[start..<(start + needle.count)].elementsEqual(needle) else { continue }
      var i = start + needle.count
      while i < text.count && (text[i] == 0x20 || text[i] == 0x09) { i += 1 }
      guard i < text.count, text[i] == UInt8(ascii: ":") else { continue }
      i += 1
      while i < text.count && (text[i] == 0x20 || text[i] == 0x09) { i += 1 }
      return i
    }
    return nil
  }

  static func string(_ text: [UInt8], key: String) -> String? {
    guard let at = value(text, key: key), at < text.count, text[at] == UInt8(ascii: "\"") else { return nil }
    guard let close = text[(at + 1)...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
    return String(decoding: text[(at + 1)..<close], as: UTF8.self)
  }

  static func integer(_ text: [UInt8], key: String) -> Int64? {
    guard let at = value(text, key: key) else { return nil }
    var i = at
    var result: Int64 = 0
    while i < text.count, text[i] >= UInt8(ascii: "0"), text[i] <= UInt8(ascii: "9"), i - at < 15 {
      result = result * 10 + Int64(text[i] - UInt8(ascii: "0"))
      i += 1
    }
    return i > at ? result : nil
  }
}
