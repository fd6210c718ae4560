/// A commit read from its raw object, field for field as libgit2 1.5 parses it (`commit_parse` and
/// `git_signature__parse`), so the history pass need not go through libgit2's object cache and locks.
struct CommitObject {
  struct Person {
    var signature: Signature
    var time: Int64
    /// Minutes east of UTC.
    var offset: Int16
  }

  var tree: ObjectID
  var parents: [ObjectID]
  var author: Person
  var committer: Person
  /// The message with leading newlines dropped, up to a NUL if there is one (libgit2's C string).
  var message: [UInt8]

  struct Malformed: Error {
    let reason: String
  }

  init(_ data: [UInt8]) throws(Malformed) {
    var i = 0
    let end = data.count
    (tree, parents, author, committer) = try Self.people(data, &i, names: true)
    // The other headers run to the first empty line.
    while i < end {
      if data[i - 1] == 0x0A, data[i] == 0x0A { break }
      i = (data[i...].firstIndex(of: 0x0A) ?? (end - 1)) + 1
    }
    var start = i + 1
    while start < end, data[start] == 0x0A { start += 1 }
    let stop = start < end ? (data[start...].firstIndex(of: 0) ?? end) : start
    message = start < stop ? Array(data[start..<stop]) : []
  }

  /// What the history walk orders commits by, parsed as `init` parses it (the same commits are
  /// malformed) without building the names, the e-mails or the message.
  static func parentsAndCommitterTime(_ data: [UInt8]) throws(Malformed) -> (parents: [ObjectID], committerTime: Int64) {
    var i = 0
    let (_, parents, _, committer) = try people(data, &i, names: false)
    return (parents, committer.time)
  }

  /// The tree, parents, author and committer headers; leaves `i` after the committer's line. Without
  /// `names`, the signatures are left empty.
  private static func people(_ data: [UInt8], _ i: inout Int, names: Bool) throws(Malformed)
    -> (tree: ObjectID, parents: [ObjectID], author: Person, committer: Person) {
    guard let tree = idHeader(data, &i, "tree ") else { throw Malformed(reason: "no tree") }
    var parents: [ObjectID] = []
    while let parent = idHeader(data, &i, "parent ") { parents.append(parent) }
    let author = try person(data, &i, "author ", names: names)
    // Some tools write several author lines: the first counts.
    while hasPrefix(data, i, "author ") {
      guard let newline = data[i...].firstIndex(of: 0x0A) else { throw Malformed(reason: "truncated author") }
      i = newline + 1
    }
    let committer = try person(data, &i, "committer ", names: names)
    return (tree, parents, author, committer)
  }

  private static func hasPrefix(_ data: [UInt8], _ i: Int, _ prefix: StaticString) -> Bool {
    let count = prefix.utf8CodeUnitCount
    guard i + count <= data.count else { return false }
    let p = prefix.utf8Start
    for k in 0..<count where data[i + k] != p[k] { return false }
    return true
  }

  /// `<header><40 hex digits>\n`.
  private static func idHeader(_ data: [UInt8], _ i: inout Int, _ header: StaticString) -> ObjectID? {
    let n = header.utf8CodeUnitCount
    guard hasPrefix(data, i, header), i + n + 41 <= data.count, data[i + n + 40] == 0x0A,
          let id = ObjectID(hexBytes: data[(i + n)..<(i + n + 40)]) else { return nil }
    i += n + 41
    return id
  }

  private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

  /// `git_signature__parse`: name and email around the last `<` and `>`, then a time and a zone.
  private static func person(_ data: [UInt8], _ i: inout Int, _ header: StaticString, names: Bool) throws(Malformed) -> Person {
    guard let lineEnd = data[i...].firstIndex(of: 0x0A) else { throw Malformed(reason: "no newline in \(header)") }
    let n = header.utf8CodeUnitCount
    guard i + n < lineEnd, hasPrefix(data, i, header) else { throw Malformed(reason: "expected \(header)") }
    let start = i + n
    guard let open = data[start..<lineEnd].lastIndex(of: UInt8(ascii: "<")),
          let close = data[start..<lineEnd].lastIndex(of: UInt8(ascii: ">")), close > open else {
      throw Malformed(reason: "malformed e-mail")
    }
    let name = names ? trimmed(data, start, open) : [], email = names ? trimmed(data, open + 1, close) : []
    var time: Int64 = 0
    var offset: Int16 = 0
    if close + 2 < lineEnd {
      var p = close + 2
      guard let t = number(data, &p, lineEnd) else { throw Malformed(reason: "invalid Unix timestamp") }
      time = t
      if p + 1 < lineEnd {
        let zone = p + 1
        var q = zone + 1
        var value: Int64 = 0
        if data[zone] == UInt8(ascii: "-") || data[zone] == UInt8(ascii: "+"), let v = number(data, &q, lineEnd),
           v >= Int64(Int32.min), v <= Int64(Int32.max) {
          value = v
        }
        // Truncating division, as C does.
        let hours = value / 100, minutes = value % 100
        if hours <= 14, minutes <= 59 {
          let total = hours * 60 + minutes
          offset = Int16(clamping: data[zone] == UInt8(ascii: "-") ? -total : total)
        }
      }
    }
    i = lineEnd + 1
    return Person(signature: Signature(name: name, email: email), time: time, offset: offset)
  }

  /// libgit2's "crud" around names and e-mails: control characters, spaces and `.,:;<>"\\'`.
  /// (git itself keeps a trailing `.`: `git log` shows "A. N. Other." where libgit2 gives "A. N. Other".)
  private static func isCrud(_ c: UInt8) -> Bool {
    c <= 32 || c == UInt8(ascii: ".") || c == UInt8(ascii: ",") || c == UInt8(ascii: ":") || c == UInt8(ascii: ";")
      || c == UInt8(ascii: "<") || c == UInt8(ascii: ">") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\")
      || c == UInt8(ascii: "'")
  }

  /// Trimmed of crud at both ends; like a C string, it stops at a NUL.
  private static func trimmed(_ data: [UInt8], _ from: Int, _ to: Int) -> [UInt8] {
    var a = from, b = to
    while a < b, isCrud(data[a]) { a += 1 }
    while b > a, isCrud(data[b - 1]) { b -= 1 }
    let stop = data[a..<b].firstIndex(of: 0) ?? b
    return Array(data[a..<stop])
  }

  /// `git__strntol64` in base 10: leading whitespace, an optional sign, digits; nil without digits or
  /// on overflow. Leaves `p` after the digits.
  private static func number(_ data: [UInt8], _ p: inout Int, _ end: Int) -> Int64? {
    while p < end, isSpace(data[p]) { p += 1 }
    var negative = false
    if p < end, data[p] == UInt8(ascii: "-") || data[p] == UInt8(ascii: "+") {
      negative = data[p] == UInt8(ascii: "-")
      p += 1
    }
    var value: Int64 = 0
    var digits = 0
    while p < end, data[p] >= 0x30, data[p] <= 0x39 {
      let (m, o1) = value.multipliedReportingOverflow(by: 10)
      let (s, o2) = m.addingReportingOverflow(Int64(data[p] - 0x30))
      if o1 || o2 { return nil }
      value = s
      digits += 1
      p += 1
    }
    guard digits > 0 else { return nil }
    return negative ? -value : value
  }
}
