import SalvageCore

/// Tornhill's indentation-based complexity ("Your Code as a Crime Scene", after Hindle, Godfrey and
/// Holt 2008): the leading whitespace of each non-blank line as logical levels, a tab or four spaces
/// being one level. Language-agnostic and cheap, and it tracks McCabe and Halstead well.
struct IndentationComplexity: Equatable, Sendable {
  /// Sum of the levels of all non-blank lines.
  var total = 0
  /// The deepest level.
  var max = 0
  /// Non-blank lines.
  var loc = 0

  init(total: Int = 0, max: Int = 0, loc: Int = 0) {
    self.total = total
    self.max = max
    self.loc = loc
  }

  init(_ content: [UInt8]) {
    self = content.withUnsafeBufferPointer(IndentationComplexity.init(buffer:))
  }

  init(buffer: UnsafeBufferPointer<UInt8>) {
    do {
      var i = 0
      let n = buffer.count
      while i < n {
        var tabs = 0, spaces = 0
        while i < n {
          let b = buffer[i]
          if b == 0x09 { tabs += 1 } else if b == 0x20 { spaces += 1 } else { break }
          i += 1
        }
        // Find the end of the line; a line of only whitespace (or CR) is blank.
        var blank = true
        while i < n, buffer[i] != 0x0A {
          if blank, buffer[i] != 0x0D, buffer[i] != 0x0C, buffer[i] != 0x0B { blank = false }
          i += 1
        }
        i += 1
        if blank { continue }
        let level = tabs + spaces / 4
        loc += 1
        total += level
        if level > max { max = level }
      }
    }
  }
}

extension IndentationComplexity {
  /// The profile of every text blob of the tip, drawn once per blob and kept between scans.
  struct Extractor: BlobFactExtractor {
    static let name = "indentation"
    func facts(of content: UnsafeBufferPointer<UInt8>) -> [UInt64] {
      let c = IndentationComplexity(buffer: content)
      return [UInt64(c.total), UInt64(c.max), UInt64(c.loc)]
    }
  }

  /// The profile of a tip file, as the tree read kept it or drawn now; nil without bytes at hand.
  init?(_ file: SnapshotFile, in snapshot: Snapshot) {
    guard let facts = snapshot.facts(of: file, named: Extractor.name, Extractor()), facts.count == 3 else { return nil }
    self.init(total: Int(facts[0]), max: Int(facts[1]), loc: Int(facts[2]))
  }
}
