import Git

/// Little-endian binary records, for what Salvage keeps between scans (the history cache and the
/// observers' per-commit records in it).
public struct ByteWriter {
  public var out: [UInt8] = []
  public init() {}
  /// A cache file's writer: the format's name first (see `ByteReader(sealed:format:)`).
  public init(format: String) { bytes(Array(format.utf8)) }
  /// The bytes, with a checksum over all of them appended.
  public mutating func sealed() -> [UInt8] {
    u64(HistoryCache.checksum(out[...]))
    return out
  }
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
    public init(description: String) { self.description = description }
  }

  let data: [UInt8]
  var at = 0
  /// Where reading stops: the end of `data`, or before a trailer the reader is not to see.
  let end: Int
  public init(data: [UInt8], end: Int? = nil) {
    self.data = data
    self.end = min(end ?? data.count, data.count)
  }
  public var atEnd: Bool { at == end }

  /// A cache file's reader: its checksum (the last 8 bytes, over all before them) and its format's name
  /// (the first record) are checked here; reading stops before the checksum.
  public init(sealed bytes: [UInt8], format: String) throws {
    guard bytes.count >= 8 else { throw Corrupt(description: "truncated") }
    let sum = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)) }
    guard HistoryCache.checksum(bytes[0..<(bytes.count - 8)]) == sum else { throw Corrupt(description: "checksum mismatch") }
    self.init(data: bytes, end: bytes.count - 8)
    guard try self.bytes() == Array(format.utf8) else { throw Corrupt(description: "another format") }
  }

  mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
    try check(n)
    defer { at += n }
    return data[at..<(at + n)]
  }
  private func check(_ n: Int) throws {
    guard n >= 0, at + n <= end else { throw Corrupt(description: "truncated record") }
  }
  /// A fixed-width little-endian integer, loaded in place.
  private mutating func load<T: FixedWidthInteger>(_: T.Type) throws -> T {
    try check(MemoryLayout<T>.size)
    defer { at += MemoryLayout<T>.size }
    return T(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: T.self) })
  }
  public mutating func u8() throws -> UInt8 { try load(UInt8.self) }
  public mutating func u32() throws -> UInt32 { try load(UInt32.self) }
  public mutating func u64() throws -> UInt64 { try load(UInt64.self) }
  public mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
  public mutating func bytes() throws -> [UInt8] { Array(try take(Int(try u32()))) }
  public mutating func oid() throws -> ObjectID {
    guard let id = ObjectID(bytes: Array(try take(20))) else { throw Corrupt(description: "bad id") }
    return id
  }
  public mutating func signature() throws -> Signature { Signature(name: try bytes(), email: try bytes()) }
}
