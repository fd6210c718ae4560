import GlobEngine

/// A path pattern in the gitignore style, matched against the bytes of a repository-relative path with
/// `/` separators, ignoring ASCII case:
/// - a pattern without `/` matches the last path component (`*.pem`, `.env.*`, `id_rsa`);
/// - otherwise it matches the whole path; a leading `**/` matches any number of directories (none
///   included), a trailing `/**` everything below, `**` between slashes zero or more directories,
///   `**` inside a component is a `*`;
/// - `*` matches within one component, `?` one byte other than `/`, `[a-z]` / `[!a-z]` a byte class.
/// The general matcher is `GlobProgram`, the one of every glob of Salvage, case-folding here.
public struct PathGlob: Sendable, Hashable {
  public let text: String
  /// Folded, without a leading `/`.
  let bytes: [UInt8]
  let basenameOnly: Bool
  /// Most globs are a plain name or `*` and a suffix: those skip the general matcher (it runs for
  /// every file and every glob of the rule set).
  let shape: Shape
  let program: GlobProgram

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
    program = GlobProgram(self.bytes, foldCase: true)
    let special = Set("*?[".utf8)
    if !bytes.contains(where: special.contains) {
      shape = .exact
    } else if bytes.first == UInt8(ascii: "*"), !bytes.dropFirst().contains(where: special.contains) {
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
      return program.matches(subject)
    }
  }

  @inline(__always) static func fold(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }
}
