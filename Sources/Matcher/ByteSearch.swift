#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Small byte-string helpers for the matcher's cold paths (filters run only on regex matches).
enum ByteSearch {
  @inline(__always) static func fold(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }

  /// Offset of the first line feed at or after `from`, or nil.
  @inline(__always) static func lineFeed(in buffer: UnsafeRawBufferPointer, from: Int) -> Int? {
    guard from < buffer.count, let base = buffer.baseAddress else { return nil }
    guard let found = memchr(base + from, 0x0A, buffer.count - from) else { return nil }
    return base.distance(to: UnsafeRawPointer(found))
  }

  /// Number of line feeds in `buffer[from..<to]`.
  static func countLineFeeds(in buffer: UnsafeRawBufferPointer, from: Int, to: Int) -> Int {
    var count = 0
    var position = from
    while position < to, let found = lineFeed(in: buffer, from: position), found < to {
      count += 1
      position = found + 1
    }
    return count
  }

  /// True when `haystack` contains `needle` (already lower-case), ignoring ASCII case.
  static func containsFolded(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
    firstIndexFolded(haystack, needle) != nil
  }

  static func firstIndexFolded(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8], from: Int = 0) -> Int? {
    let n = needle.count
    guard n > 0 else { return from }
    guard haystack.count - from >= n else { return nil }
    let first = needle[0]
    let last = haystack.count - n
    var i = from
    while i <= last {
      if fold(haystack[i]) == first {
        var j = 1
        while j < n && fold(haystack[i + j]) == needle[j] { j += 1 }
        if j == n { return i }
      }
      i += 1
    }
    return nil
  }

  static func containsFolded(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    haystack.withUnsafeBytes { containsFolded($0, needle) }
  }
}
