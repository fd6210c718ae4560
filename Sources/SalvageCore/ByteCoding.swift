import Git

/// Little-endian binary records, for what Salvage keeps between scans (the history cache and the
/// observers' per-commit records in it).
public struct ByteWriter {
  public var out: [UInt8] = []
  public init() {}
  public mutating func raw(_ b: [UInt8]) { out += b }
  public mutating func u8(_ v: UInt8) { out.append(v) }
  public mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
  public mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
  public mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
  /// A length, then the bytes.
  public mutating func bytes(_ b: [UInt8]) { u32(UInt32(b.count)); out += b }
  public mutating func signature(_ s: Signature) { bytes(s.name); bytes(s.email) }
}

/// Reads what `ByteWriter` wrote; any overrun or bad value throws, never traps.
public struct ByteReader {
  public struct Corrupt: Error, CustomStringConvertible {
    public let description: String
  }

  let data: [UInt8]
  var at = 0
  public init(data: [UInt8]) { self.data = data }
  public var atEnd: Bool { at == data.count }

  mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
    guard n >= 0, at + n <= data.count else { throw Corrupt(description: "truncated record") }
    defer { at += n }
    return data[at..<(at + n)]
  }
  public mutating func u8() throws -> UInt8 { try take(1).first! }
  public mutating func u32() throws -> UInt32 {
    var v: UInt32 = 0
    for (i, b) in try take(4).enumerated() { v |= UInt32(b) << (8 * UInt32(i)) }
    return v
  }
  public mutating func u64() throws -> UInt64 {
    var v: UInt64 = 0
    for (i, b) in try take(8).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
    return v
  }
  public mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
  public mutating func bytes() throws -> [UInt8] { Array(try take(Int(try u32()))) }
  public mutating func oid() throws -> ObjectID {
    guard let id = ObjectID(bytes: Array(try take(20))) else { throw Corrupt(description: "bad id") }
    return id
  }
  public mutating func signature() throws -> Signature { Signature(name: try bytes(), email: try bytes()) }
}
