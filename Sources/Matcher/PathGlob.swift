/// A path pattern in the gitignore style, matched against the bytes of a repository-relative path with
/// `/` separators, ignoring ASCII case:
/// - a pattern without `/` matches the last path component (`*.pem`, `.env.*`, `id_rsa`);
/// - otherwise it matches the whole path; a leading `**/` matches any number of directories (none
///   included), a trailing `/**` everything below, `**` between slashes zero or more directories;
/// - `*` matches within one component, `?` one byte other than `/`, `[a-z]` / `[!a-z]` a byte class.
public struct PathGlob: Sendable, Hashable {
  public let text: String
  /// Folded, without a leading `/`.
  let bytes: [UInt8]
  let basenameOnly: Bool
  /// Most globs are a plain name or `*` and a suffix: those skip the general matcher (it runs for
  /// every file and every glob of the rule set).
  let shape: Shape

  enum Shape: Hashable {
    case exact
    case suffix
    case general
  }

  public init(_ text: String) {
    self.text = text
    var bytes = Array(text.utf8)
    if bytes.first == UInt8(ascii: "/") { bytes.removeFirst() }
    self.basenameOnly = !bytes.contains(UInt8(ascii: "/"))
    self.bytes = bytes.map(Self.fold)
    let special = Set("*?[".utf8)
    if !bytes.contains(where: special.contains) {
      shape = .exact
    } else if bytes.first == Self.star, !bytes.dropFirst().contains(where: special.contains) {
      shape = basenameOnly ? .suffix : .general
    } else {
      shape = .general
    }
  }

  public func matches(_ path: [UInt8]) -> Bool {
    path.withUnsafeBufferPointer { matches($0) }
  }

  func matches(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
    var subject = path
    if basenameOnly, let slash = path.lastIndex(of: UInt8(ascii: "/")) {
      subject = UnsafeBufferPointer(rebasing: path[(slash + 1)...])
    }
    switch shape {
    case .exact:
      return subject.count == bytes.count && zip(subject, bytes).allSatisfy { Self.fold($0) == $1 }
    case .suffix:
      let tail = bytes.count - 1
      guard subject.count >= tail else { return false }
      return zip(subject[(subject.count - tail)...], bytes[1...]).allSatisfy { Self.fold($0) == $1 }
    case .general:
      return bytes.withUnsafeBufferPointer { Self.match($0[...], subject[...]) }
    }
  }

  @inline(__always) static func fold(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }

  private static let slash = UInt8(ascii: "/")
  private static let star = UInt8(ascii: "*")

  /// The general matcher; `PathGlobTable` runs it on a subject already folded (folding is idempotent).
  static func match(_ p: Slice<UnsafeBufferPointer<UInt8>>, _ s: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
    var p = p
    var s = s
    while let pc = p.first {
      if pc == star {
        let doubled = p.dropFirst().first == star
        if doubled {
          // `**/` may match nothing, or any run of whole directories.
          var rest = p.dropFirst(2)
          let followedBySlash = rest.first == slash
          if followedBySlash { rest = rest.dropFirst() }
          if rest.isEmpty { return true }
          if match(rest, s) { return true }
          var t = s
          while let i = t.firstIndex(of: slash) {
            t = t[(i + 1)...]
            if match(rest, t) { return true }
          }
          if !followedBySlash {
            // `a**b`: treat as a star that may cross slashes.
            var u = s
            while !u.isEmpty {
              u = u.dropFirst()
              if match(rest, u) { return true }
            }
          }
          return false
        }
        let rest = p.dropFirst()
        var t = s
        while true {
          if match(rest, t) { return true }
          guard let c = t.first, c != slash else { return false }
          t = t.dropFirst()
        }
      }
      guard let sc = s.first else { return false }
      if pc == UInt8(ascii: "?") {
        if sc == slash { return false }
        p = p.dropFirst()
        s = s.dropFirst()
        continue
      }
      if pc == UInt8(ascii: "["), let close = p.dropFirst(2).firstIndex(of: UInt8(ascii: "]")) {
        var set = p[(p.startIndex + 1)..<close]
        let negated = set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^")
        if negated { set = set.dropFirst() }
        let c = fold(sc)
        var found = false
        var i = set.startIndex
        while i < set.endIndex {
          if i + 2 < set.endIndex, set[i + 1] == UInt8(ascii: "-") {
            if set[i] <= c && c <= set[i + 2] { found = true }
            i += 3
          } else {
            if set[i] == c { found = true }
            i += 1
          }
        }
        if found == negated || sc == slash { return false }
        p = p[(close + 1)...]
        s = s.dropFirst()
        continue
      }
      if pc != fold(sc) { return false }
      p = p.dropFirst()
      s = s.dropFirst()
    }
    return s.isEmpty
  }
}
