/// What we read out of a raw commit message, on bytes (messages need not be UTF-8).
enum CommitMessage {
  /// git's `%s`: the first paragraph, its lines joined by spaces.
  static func subject(_ message: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var index = 0
    // Leading blank lines are skipped, as git does.
    while index < message.count, message[index] == 0x0A { index += 1 }
    var lineStart = true
    while index < message.count {
      let byte = message[index]
      if byte == 0x0A {
        // A blank line ends the paragraph.
        var k = index + 1
        while k < message.count, message[k] == 0x20 || message[k] == 0x09 || message[k] == 0x0D { k += 1 }
        if k >= message.count || message[k] == 0x0A { break }
        out.append(0x20)
        lineStart = true
      } else if byte == 0x0D, index + 1 < message.count, message[index + 1] == 0x0A {
        // CRLF messages: drop the CR.
      } else {
        if lineStart, byte == 0x20 || byte == 0x09, out.last == 0x20 {
        } else {
          out.append(byte)
          lineStart = false
        }
      }
      index += 1
    }
    while let last = out.last, last == 0x20 || last == 0x09 || last == 0x0D { out.removeLast() }
    return out
  }

  private static let trailer = Array("co-authored-by:".utf8)

  /// `Co-authored-by: Name <email>` trailers, in order.
  static func coAuthors(_ message: [UInt8]) -> [Signature] {
    var out: [Signature] = []
    var start = 0
    while start < message.count {
      var end = start
      while end < message.count, message[end] != 0x0A { end += 1 }
      var s = start
      while s < end, message[s] == 0x20 || message[s] == 0x09 { s += 1 }
      if end - s > trailer.count, zip(message[s..<(s + trailer.count)], trailer).allSatisfy({ lower($0) == $1 }) {
        let rest = message[(s + trailer.count)..<end]
        if let open = rest.firstIndex(of: UInt8(ascii: "<")), let close = rest[open...].firstIndex(of: UInt8(ascii: ">")) {
          let name = trim(Array(rest[rest.startIndex..<open]))
          let email = Array(rest[(open + 1)..<close])
          if !email.isEmpty { out.append(Signature(name: name, email: email)) }
        }
      }
      start = end + 1
    }
    return out
  }

  private static func lower(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b + 32 : b }

  private static func trim(_ bytes: [UInt8]) -> [UInt8] {
    var slice = bytes[...]
    while let f = slice.first, f == 0x20 || f == 0x09 { slice = slice.dropFirst() }
    while let l = slice.last, l == 0x20 || l == 0x09 || l == 0x0D { slice = slice.dropLast() }
    return Array(slice)
  }
}
