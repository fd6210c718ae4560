import ArgumentParser
import Foundation
import Git

/// `salvage numstat`: the history pass's raw per-file counts in `git log --numstat --no-renames
/// --format=%H` layout, for checking Salvage against git on any repository. Hidden from help.
struct Numstat: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the history pass's per-file line counts as git log --numstat does.",
    shouldDisplay: false)

  @Argument var path: String = "."
  @Option var rev: String = "HEAD"
  @Option var workers: Int = 0
  @Flag var renames = false

  func run() throws {
    do {
      let repo = try Repository(path: path)
      let tip = try repo.resolveCommit(rev)
      let ids = try repo.commitIDs(from: tip)
      let walk = HistoryWalk(repositoryPath: path, commits: ids,
                             options: .init(workers: workers > 0 ? workers : ProcessInfo.processInfo.activeProcessorCount, detectRenames: renames))
      var out = [UInt8]()
      out.reserveCapacity(1 << 20)
      let stdout = FileHandle.standardOutput
      try walk.run { chunk in
        var d = 0
        for commit in chunk.commits {
          out += Array(commit.id.hex.utf8)
          out.append(0x0A)
          if commit.deltaCount > 0 { out.append(0x0A) }
          for delta in chunk.deltas[d..<(d + commit.deltaCount)] {
            if delta.binary {
              out += Array("-\t-\t".utf8)
            } else {
              out += Array("\(delta.added)\t\(delta.deleted)\t".utf8)
            }
            if let old = chunk.oldPath(delta) {
              out += old
              out += Array(" => ".utf8)
            }
            out += chunk.path(delta)
            out.append(0x0A)
          }
          d += commit.deltaCount
        }
        if out.count > 1 << 20 {
          stdout.write(Data(out))
          out.removeAll(keepingCapacity: true)
        }
      }
      stdout.write(Data(out))
    } catch let error as GitError {
      fail(.gitError, error.message)
    }
  }
}
