import ArgumentParser
import Foundation
import Git

/// `salvage line-origins`: every tip text file's lines by the commit that wrote them, as the line
/// tracker follows them (one line per file: the path in hex, then runs `commit*count`), for checking
/// the tracker against `git blame` on any repository (`benchmarks/blame-agreement.py`). Hidden from help.
struct LineOriginsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "line-origins",
    abstract: "Print the commit of every tip line as the line tracker follows it.",
    shouldDisplay: false)

  @Argument var path: String = "."
  @Option var rev: String = "HEAD"
  @Option var workers: Int = 0
  @Flag var renames = false

  func run() throws {
    let out: [UInt8]
    do {
      out = try listing()
    } catch {
      fail(.gitError, error.message)
    }
    FileHandle.standardOutput.write(Data(out))
  }

  private func listing() throws(GitError) -> [UInt8] {
    let repo = try Repository(path: path)
    let tip = try repo.resolveCommit(rev)
    let ids = try repo.commitIDs(from: tip)
    let tracked = try LineTracker(repositoryPath: path, commits: ids, tip: tip,
                                  options: .init(detectRenames: renames,
                                                 workers: workers > 0 ? workers : ProcessInfo.processInfo.activeProcessorCount)).run()
    var out = [UInt8]()
    let hex = Array("0123456789abcdef".utf8)
    for (path, runs) in tracked.tip.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) where !tracked.binaryAtTip.contains(path) {
      for byte in path { out += [hex[Int(byte >> 4)], hex[Int(byte & 15)]] }
      var i = 0
      while i < runs.count {
        var count = Int(runs[i].count)
        var j = i + 1
        while j < runs.count && runs[j].commit == runs[i].commit {
          count += Int(runs[j].count)
          j += 1
        }
        out += Array("\t\(ids[Int(runs[i].commit)].hex)*\(count)".utf8)
        i = j
      }
      out.append(0x0A)
    }
    return out
  }
}
