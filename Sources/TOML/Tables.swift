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
  var keys: [String] = []
  var entries: [String: Entry] = [:]
  var keyLines: [String: Int] = [:]

  init(origin: Origin, line: Int, depth: Int) {
    self.origin = origin
    self.line = line
    self.depth = depth
  }

  func add(_ key: String, _ entry: Entry, line: Int) {
    keys.append(key)
    entries[key] = entry
    keyLines[key] = line
  }

  /// The finished table; `inline` zeroes the header lines, which inline tables do not have.
  func makeTable(inline: Bool) -> TOMLTable {
    var table = TOMLTable()
    table.line = inline ? 0 : line
    table.reserveCapacity(keys.count)
    for key in keys {
      guard let entry = entries[key] else { continue }
      let value: TOMLValue
      switch entry {
      case .value(let plain):
        value = plain
      case .table(let node):
        value = .table(node.makeTable(inline: inline))
      case .tableArray(let array):
        value = .array(array.tables.map { .table($0.makeTable(inline: inline)) })
      }
      table.appendNew(key, value, line: keyLines[key] ?? 0)
    }
    return table
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
