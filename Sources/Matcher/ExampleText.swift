/// Expands the generators of rule examples, `$[class:length]` or `$[class:length#tag]`, into a fixed
/// pseudo-random string of that class. Rule files write example secrets this way so that no line of
/// the repository looks like a live provider key to push protection, while the tests still see
/// realistic values. The same generator text always gives the same value (the seed is a hash of the
/// text), so an example's `secret` can repeat the generator of its `line`.
///
/// Classes: an, al, lo, lod, up, upd, up27, hex, HEX, d, b64, b64u, b64dot, w, bech; and `crc`, which
/// gives `length` alphanumerics followed by the 6 base62 digits of their CRC32 (the tail of GitHub and
/// npm tokens: `ghp_$[crc:30]` is a token whose checksum holds).
public enum ExampleText {
  static let classes: [String: [UInt8]] = {
    let lower = Array("abcdefghijklmnopqrstuvwxyz".utf8)
    let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
    let digits = Array("0123456789".utf8)
    return [
      "an": upper + lower + digits, "al": upper + lower, "lo": lower, "lod": lower + digits, "up": upper,
      "upd": upper + digits, "up27": upper + Array("234567".utf8), "hex": digits + Array("abcdef".utf8),
      "HEX": digits + Array("ABCDEF".utf8), "d": digits, "b64": upper + lower + digits + Array("+/".utf8),
      "b64u": upper + lower + digits + Array("_-".utf8), "b64dot": Array("./".utf8) + digits + upper + lower,
      "w": upper + lower + digits + Array("_".utf8), "bech": Array("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L".utf8),
    ]
  }()

  public enum ExpansionError: Error, CustomStringConvertible {
    case malformed(String)
    public var description: String {
      switch self {
      case .malformed(let text): return "malformed example generator '\(text)'"
      }
    }
  }

  public static func expand(_ text: String) throws(ExpansionError) -> String {
    var bytes = Array(text.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: "$"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "["),
        let close = bytes[(i + 2)...].firstIndex(of: UInt8(ascii: "]"))
      {
        let spec = String(decoding: bytes[(i + 2)..<close], as: UTF8.self)
        out += try generate(spec)
        i = close + 1
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    bytes = out
    return String(decoding: bytes, as: UTF8.self)
  }

  static func generate(_ spec: String) throws(ExpansionError) -> [UInt8] {
    let body = spec.split(separator: "#", maxSplits: 1).first.map(String.init) ?? spec
    if body.hasPrefix("crc:") {
      let random = try generate("an" + spec.dropFirst(3))
      return random + Base62.digits(UInt64(CRC32.checksum(random)), width: 6)
    }
    let parts = body.split(separator: ":")
    guard parts.count == 2, let alphabet = classes[String(parts[0])], let length = Int(parts[1]), length > 0, length < 10_000
    else { throw .malformed(spec) }
    // FNV-1a of the whole spec seeds a SplitMix64 stream.
    var seed: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in spec.utf8 {
      seed ^= UInt64(byte)
      seed = seed &* 0x100_0000_01b3
    }
    var result: [UInt8] = []
    result.reserveCapacity(length)
    while result.count < length {
      seed = seed &+ 0x9e37_79b9_7f4a_7c15
      var z = seed
      z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
      z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
      z ^= z >> 31
      let next = alphabet[Int(z % UInt64(alphabet.count))]
      // Avoid runs and steps that the repeated/sequential filters would (rightly) reject.
      if let last = result.last, next == last || next == last &+ 1 || next == last &- 1 { continue }
      result.append(next)
    }
    return result
  }
}

extension RuleExample {
  /// The line with its generators expanded.
  public func expandedLine() throws(ExampleText.ExpansionError) -> String { try ExampleText.expand(line) }
  /// The expected secret with its generators expanded, if the example names one.
  public func expandedSecret() throws(ExampleText.ExpansionError) -> String? {
    guard let secret else { return nil }
    return try ExampleText.expand(secret)
  }
}
