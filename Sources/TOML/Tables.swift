/// Mutable tables used while parsing. Headers reopen tables defined many lines earlier, which is
/// awkward with nested value types; reference nodes are converted to `TOMLTable` at the end.
final class TableNode {
  /// How a table came to exist decides what may still be added to it (TOML 1.0, "Table").
  enum Origin {
    /// Created only as the parent of a header (`a` for `[a.b]`): a later `[a]` may still define it.
    case implicit
    /// Defined by `[a]` or as an element of `[[a]]`: cannot be defined again.
    case header
    /// Created by a dotted key (`a.b = 1`): more dotted keys may add to it, headers may add
    /// sub-tables, but `[a]` cannot define it.
    case dotted
  }

  var origin: Origin
  var line: Int
  /// Tables above this one; bounds recursion when the tree is converted.
  let depth: Int
  // Same layout as TOMLTable, so that conversion hands these arrays and the index over as is.
  private(set) var keys: [String] = []
  private(set) var entries: [Entry] = []
  private var keyLines: [Int] = []
  private var positions: [String: Int] = [:]

  init(origin: Origin, line: Int, depth: Int) {
    self.origin = origin
    self.line = line
    self.depth = depth
  }

  func entry(_ key: String) -> Entry? {
    positions[key].map { entries[$0] }
  }

  /// Line where `key` was defined, 0 for a key that is not here.
  func line(of key: String) -> Int {
    positions[key].map { keyLines[$0] } ?? 0
  }

  func setLine(_ line: Int, of key: String) {
    if let position = positions[key] { keyLines[position] = line }
  }

  /// Adds a key the caller has checked is new.
  func add(_ key: String, _ entry: Entry, line: Int) {
    positions[key] = keys.count
    keys.append(key)
    entries.append(entry)
    keyLines.append(line)
  }

  /// The finished table; `inline` zeroes the header lines, which inline tables do not have.
  func makeTable(inline: Bool) -> TOMLTable {
    var values: [TOMLValue] = []
    values.reserveCapacity(entries.count)
    for entry in entries {
      switch entry {
      case .value(let plain):
        values.append(plain)
      case .table(let node):
        values.append(.table(node.makeTable(inline: inline)))
      case .tableArray(let array):
        values.append(.array(array.tables.map { .table($0.makeTable(inline: inline)) }))
      }
    }
    return TOMLTable(names: keys, values: values, lines: keyLines, positions: positions, line: inline ? 0 : line)
  }
}

enum Entry {
  case table(TableNode)
  /// An array of tables: `[[key]]` appends to it.
  case tableArray(TableArrayNode)
  /// Everything written after `=`, inline tables and arrays included: TOML forbids extending those.
  case value(TOMLValue)
}

final class TableArrayNode {
  /// Never empty: the node is created by its first `[[key]]`.
  var tables: [TableNode]

  init(first: TableNode) {
    tables = [first]
  }
}
