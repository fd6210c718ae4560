import CDeflate
import Foundation

/// A minimal zip reader for advisory archives: the central directory, stored (0) and deflated (8)
/// entries. Zip64, encryption and multi-disk archives are refused with a message.
enum ZipArchive {
  /// Every `*.json` entry's name and bytes, in the archive's order.
  static func jsonEntries(_ data: Data, name: String) throws(AdvisoryError) -> [(name: String, data: Data)] {
    let bytes = [UInt8](data)
    func fail(_ why: String) -> AdvisoryError { AdvisoryError("advisories: \(name) is not a zip this reader handles: \(why)") }
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }

    // End of central directory: 22 bytes plus a comment of up to 65535 bytes, from the end.
    guard bytes.count >= 22 else { throw fail("too short") }
    var eocd = -1
    var at = bytes.count - 22
    while at >= max(0, bytes.count - 22 - 65_535) {
      if bytes[at] == 0x50 && bytes[at + 1] == 0x4B && bytes[at + 2] == 5 && bytes[at + 3] == 6 {
        eocd = at
        break
      }
      at -= 1
    }
    guard eocd >= 0 else { throw fail("no end of central directory") }
    let count = u16(eocd + 10)
    var entry = u32(eocd + 16)
    guard count != 0xFFFF, entry != 0xFFFF_FFFF else { throw fail("zip64") }

    var out: [(String, Data)] = []
    guard let decompressor = libdeflate_alloc_decompressor() else { throw AdvisoryError("advisories: out of memory") }
    defer { libdeflate_free_decompressor(decompressor) }
    for _ in 0..<count {
      guard entry + 46 <= bytes.count, u32(entry) == 0x0201_4B50 else { throw fail("bad central directory entry") }
      let flags = u16(entry + 8), method = u16(entry + 10)
      let compressed = u32(entry + 20), size = u32(entry + 24)
      let nameLength = u16(entry + 28), extraLength = u16(entry + 30), commentLength = u16(entry + 32)
      let local = u32(entry + 42)
      guard entry + 46 + nameLength <= bytes.count else { throw fail("bad central directory entry") }
      let entryName = String(decoding: bytes[(entry + 46)..<(entry + 46 + nameLength)], as: UTF8.self)
      entry += 46 + nameLength + extraLength + commentLength
      guard entryName.hasSuffix(".json") else { continue }
      guard flags & 1 == 0 else { throw fail("encrypted entry \(entryName)") }
      guard compressed != 0xFFFF_FFFF, size != 0xFFFF_FFFF else { throw fail("zip64") }
      guard local + 30 <= bytes.count, u32(local) == 0x0403_4B50 else { throw fail("bad local header for \(entryName)") }
      let start = local + 30 + u16(local + 26) + u16(local + 28)
      guard start + compressed <= bytes.count else { throw fail("entry \(entryName) runs past the end") }
      switch method {
      case 0:
        out.append((entryName, Data(bytes[start..<(start + compressed)])))
      case 8:
        // Deflate expands at most about 1032 to 1: a larger declared size is a lie, not an allocation to make.
        guard size <= max(compressed, 1) * 1032 + 1024 else { throw fail("entry \(entryName) declares an impossible size") }
        var inflated = [UInt8](repeating: 0, count: size)
        let result = bytes.withUnsafeBufferPointer { input in
          inflated.withUnsafeMutableBufferPointer { output in
            libdeflate_deflate_decompress(decompressor, input.baseAddress! + start, compressed, output.baseAddress, size, nil)
          }
        }
        guard result == LIBDEFLATE_SUCCESS else { throw fail("entry \(entryName) does not inflate") }
        out.append((entryName, Data(inflated)))
      default:
        throw fail("entry \(entryName) uses compression method \(method)")
      }
    }
    return out
  }
}
