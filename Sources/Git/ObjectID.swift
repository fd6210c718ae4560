import CLibGit2

/// A git object id (SHA-1), 20 bytes held inline so it is cheap to copy, hash and send across threads.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
  // 20 bytes as 8 + 8 + 4: no heap, trivially Sendable.
  public let a: UInt64
  public let b: UInt64
  public let c: UInt32

  public static let zero = ObjectID(a: 0, b: 0, c: 0)

  init(a: UInt64, b: UInt64, c: UInt32) {
    self.a = a
    self.b = b
    self.c = c
  }

  init(_ oid: git_oid) {
    var copy = oid
    let (a, b, c) = withUnsafeBytes(of: &copy.id) { raw in
      (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
       raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
       raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }
    self.init(a: a, b: b, c: c)
  }

  init(_ pointer: UnsafePointer<git_oid>) { self.init(pointer.pointee) }

  /// From the 20 raw bytes.
  public init?(bytes: [UInt8]) {
    guard bytes.count == 20 else { return nil }
    let (a, b, c) = bytes.withUnsafeBytes { raw in
      (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
       raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
       raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }
    self.init(a: a, b: b, c: c)
  }

  /// Parses 40 hexadecimal digits.
  public init?(hex: String) { self.init(hexBytes: Array(hex.utf8)) }

  /// Parses 40 hexadecimal digits given as bytes (either case, as libgit2 reads them).
  init?<C: RandomAccessCollection>(hexBytes digits: C) where C.Element == UInt8, C.Index == Int {
    guard digits.count == 40 else { return nil }
    var words: (UInt64, UInt64, UInt32) = (0, 0, 0)
    let ok = withUnsafeMutableBytes(of: &words) { raw -> Bool in
      let base = digits.startIndex
      for i in 0..<20 {
        guard let hi = Self.nibble(digits[base + 2 * i]), let lo = Self.nibble(digits[base + 2 * i + 1]) else { return false }
        raw[i] = hi << 4 | lo
      }
      return true
    }
    guard ok else { return nil }
    self.init(a: words.0, b: words.1, c: words.2)
  }

  private static func nibble(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
  }

  /// The 20 raw bytes.
  public var bytes: [UInt8] {
    var out = [UInt8](repeating: 0, count: 20)
    out.withUnsafeMutableBytes { raw in
      raw.storeBytes(of: a, toByteOffset: 0, as: UInt64.self)
      raw.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
      raw.storeBytes(of: c, toByteOffset: 16, as: UInt32.self)
    }
    return out
  }

  var raw: git_oid {
    var oid = git_oid()
    withUnsafeMutableBytes(of: &oid.id) { dst in
      dst.storeBytes(of: a, toByteOffset: 0, as: UInt64.self)
      dst.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
      dst.storeBytes(of: c, toByteOffset: 16, as: UInt32.self)
    }
    return oid
  }

  public var hex: String {
    let table = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(40)
    for byte in bytes {
      out.append(table[Int(byte >> 4)])
      out.append(table[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  public var description: String { hex }

  public var isZero: Bool { a == 0 && b == 0 && c == 0 }

  /// The order of the hex ids (the bytes' order): each word's bytes as stored, most significant first.
  public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
    if lhs.a != rhs.a { return lhs.a.bigEndian < rhs.a.bigEndian }
    if lhs.b != rhs.b { return lhs.b.bigEndian < rhs.b.bigEndian }
    return lhs.c.bigEndian < rhs.c.bigEndian
  }
}
