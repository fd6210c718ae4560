import GlobEngine
import SalvageCore

/// What the repository's own `.gitattributes` files say about `linguist-vendored` and
/// `linguist-generated`: GitHub's way to mark code that nobody here writes by hand.
///
/// Follows gitattributes: a pattern without a slash matches a file name at any depth below the
/// folder of the `.gitattributes` file, one with a slash is relative to that folder; later lines win,
/// and a deeper `.gitattributes` wins over a shallower one. `attr`, `attr=true` set; `-attr`,
/// `!attr`, `attr=false` unset.
public struct LinguistAttributes: Sendable {
  struct Line: Sendable {
    let glob: Glob
    let vendored: Bool?
    let generated: Bool?
  }

  /// All lines of all `.gitattributes` files, shallowest file first, in file order.
  private let lines: [Line]

  public init(snapshot: Snapshot) {
    let name = Array(".gitattributes".utf8)
    var files: [(folder: [UInt8], content: [UInt8])] = []
    for file in snapshot.files {
      guard file.path.count >= name.count, file.path.suffix(name.count).elementsEqual(name), let content = file.content else { continue }
      let folder = Array(file.path.dropLast(name.count))
      guard folder.isEmpty || folder.last == UInt8(ascii: "/") else { continue }
      files.append((folder, content))
    }
    files.sort { a, b in
      let da = a.folder.filter { $0 == UInt8(ascii: "/") }.count, db = b.folder.filter { $0 == UInt8(ascii: "/") }.count
      return da != db ? da < db : a.folder.lexicographicallyPrecedes(b.folder)
    }
    var lines: [Line] = []
    for (folder, content) in files {
      for raw in content.split(separator: UInt8(ascii: "\n")) {
        if let line = Self.parse(raw, folder: folder) { lines.append(line) }
      }
    }
    self.lines = lines
  }

  public var isEmpty: Bool { lines.isEmpty }

  /// (vendored, generated) for a path; nil where no line decides.
  public func attributes(of path: [UInt8]) -> (vendored: Bool?, generated: Bool?) {
    var vendored: Bool?, generated: Bool?
    for line in lines where line.vendored != nil || line.generated != nil {
      guard line.glob.matches(path) else { continue }
      if let v = line.vendored { vendored = v }
      if let g = line.generated { generated = g }
    }
    return (vendored, generated)
  }

  /// True when the attributes mark the path vendored or generated.
  public func excludes(_ path: [UInt8]) -> Bool {
    guard !lines.isEmpty else { return false }
    let (vendored, generated) = attributes(of: path)
    return vendored == true || generated == true
  }

  static func parse(_ raw: ArraySlice<UInt8>, folder: [UInt8]) -> Line? {
    let text = trim(String(decoding: raw, as: UTF8.self))
    guard !text.isEmpty, !text.hasPrefix("#"), !text.hasPrefix("[attr]") else { return nil }
    let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard fields.count >= 2 else { return nil }
    var vendored: Bool?, generated: Bool?
    for field in fields.dropFirst() {
      var key = field
      var value = true
      if key.hasPrefix("-") || key.hasPrefix("!") {
        key.removeFirst()
        value = false
      } else if let eq = key.firstIndex(of: "=") {
        let v = key[key.index(after: eq)...].lowercased()
        key = String(key[..<eq])
        value = !(v == "false" || v == "0" || v == "no")
      }
      switch key {
      case "linguist-vendored": vendored = value
      case "linguist-generated": generated = value
      default: break
      }
    }
    guard vendored != nil || generated != nil else { return nil }
    var pattern = fields[0]
    let prefix = String(decoding: folder, as: UTF8.self)
    // A pattern with a slash (other than a trailing one) is anchored to the folder of its file.
    if pattern.dropLast().contains("/") {
      if pattern.hasPrefix("/") { pattern.removeFirst() }
      pattern = "/" + prefix + pattern
    } else if !prefix.isEmpty {
      pattern = "/" + prefix + "**/" + pattern
    }
    return Line(glob: Glob(pattern, case: .sensitive, anchoring: .anyDepth), vendored: vendored, generated: generated)
  }

  private static func trim(_ text: String) -> String {
    var s = Substring(text)
    while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
    return String(s)
  }
}
