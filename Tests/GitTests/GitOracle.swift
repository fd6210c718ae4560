import FixtureSupport
import Foundation

/// What git itself says about a repository's history: the oracle the history pass is checked against.
enum GitOracle {
  struct Record: Hashable, CustomStringConvertible {
    var added: Int?   // nil for binary ("-")
    var deleted: Int?
    var path: [UInt8]
    var oldPath: [UInt8]?
    var description: String {
      "\(added.map(String.init) ?? "-")\t\(deleted.map(String.init) ?? "-")\t\(oldPath.map { String(decoding: $0, as: UTF8.self) + " => " } ?? "")\(String(decoding: path, as: UTF8.self))"
    }
  }

  /// `git log --numstat` per commit id (hex), records in git's order.
  static func numstat(_ repo: String, renames: Bool = false, rev: String = "HEAD") throws -> [String: [Record]] {
    let out = try Fixture.run("/usr/bin/git", ["log", "--numstat", renames ? "-M" : "--no-renames", "-z", "--format=%x01%H", rev],
                              in: repo, environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"])
    guard out.status == 0 else { throw Fixture.Failure(description: out.stderr) }
    var result: [String: [Record]] = [:]
    for block in out.data.split(separator: 0x01, omittingEmptySubsequences: true) {
      let bytes = Array(block)
      let hash = String(decoding: bytes.prefix(40), as: UTF8.self)
      var fields = bytes.dropFirst(40).split(separator: 0, omittingEmptySubsequences: false).map { Array($0) }
      var records: [Record] = []
      // Fields: after the hash, "\n" precedes the first record; renames are "a\td\t", old, new.
      while !fields.isEmpty {
        var field = fields.removeFirst()
        while field.first == 0x0A { field.removeFirst() }
        if field.isEmpty { continue }
        let parts = field.split(separator: 0x09, maxSplits: 2, omittingEmptySubsequences: false).map { Array($0) }
        guard parts.count == 3 else { continue }
        let added = Int(String(decoding: parts[0], as: UTF8.self))
        let deleted = Int(String(decoding: parts[1], as: UTF8.self))
        if parts[2].isEmpty, fields.count >= 2 {
          let old = fields.removeFirst(), new = fields.removeFirst()
          records.append(Record(added: added, deleted: deleted, path: new, oldPath: old))
        } else {
          records.append(Record(added: added, deleted: deleted, path: parts[2], oldPath: nil))
        }
      }
      result[hash] = records
    }
    return result
  }

  /// One line per commit of `git log --format=...` fields separated by NUL.
  static func log(_ repo: String, format: String) throws -> [[String]] {
    let out = try Fixture.git(["log", "--format=\(format)%x01"], in: repo)
    return out.components(separatedBy: "\u{01}").map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }
      .map { $0.components(separatedBy: "\u{00}") }
  }
}
