#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// git's rules for file contents, shared by the history pass and the tree read.
public enum GitText {
  /// git's `buffer_is_binary`: a NUL in the first 8000 bytes.
  public static func isBinary(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    return memchr(base, 0, min(bytes.count, 8000)) != nil
  }

  /// Lines as git counts them: newlines, plus one for a last line without its newline.
  public static func lineCount(_ bytes: UnsafeRawBufferPointer) -> Int {
    let n = bytes.count
    guard n > 0, let raw = bytes.baseAddress else { return 0 }
    var lines = 0, i = 0
    while i + 8 <= n {
      let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ 0x0A0A_0A0A_0A0A_0A0A
      // Exact zero-byte flags (no borrow across bytes).
      let t = ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x | 0x7F7F_7F7F_7F7F_7F7F)
      lines &+= t.nonzeroBitCount
      i += 8
    }
    while i < n { if bytes[i] == 0x0A { lines += 1 }; i += 1 }
    if bytes[n - 1] != 0x0A { lines += 1 }
    return lines
  }
}
