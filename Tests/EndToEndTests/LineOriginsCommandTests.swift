import FixtureSupport
import Foundation
import Testing

/// The hidden `salvage line-origins` (what benchmarks/blame-agreement.py compares with `git blame` on
/// long histories) on a fixture: every tip file's lines by commit, as `git blame --porcelain` gives them.
@Suite struct LineOriginsCommandTests {
  @Test func everyLineAsGitBlame() throws {
    let repo = try Fixture.build("lines-blame")
    let out = try Fixture.salvage(["line-origins", repo])
    #expect(out.status == 0)
    var listed: [String: [String]] = [:]
    for line in out.stdout.split(separator: "\n") {
      let fields = line.split(separator: "\t")
      var bytes: [UInt8] = []
      var hex = Array(fields[0].utf8)[...]
      while hex.count >= 2, let byte = UInt8(String(decoding: hex.prefix(2), as: UTF8.self), radix: 16) {
        bytes.append(byte)
        hex = hex.dropFirst(2)
      }
      listed[String(decoding: bytes, as: UTF8.self)] = fields.dropFirst().flatMap { run -> [String] in
        let parts = run.split(separator: "*")
        return [String](repeating: String(parts[0]), count: Int(parts[1]) ?? 0)
      }
    }
    let paths = try Fixture.git(["ls-tree", "-r", "--name-only", "HEAD"], in: repo).split(separator: "\n").map(String.init)
    #expect(Set(listed.keys) == Set(paths))
    var lines = 0
    for path in paths {
      let porcelain = try Fixture.git(["blame", "--line-porcelain", "HEAD", "--", path], in: repo)
      let commits = porcelain.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { _, line -> String? in
        let head = line.split(separator: " ")
        return head.count >= 3 && head[0].count == 40 && Int(head[1]) != nil ? String(head[0]) : nil
      }
      #expect(listed[path] == commits, "\(path)")
      lines += commits.count
    }
    #expect(lines > 20)
  }

  @Test func aMissingRepositoryIsAGitError() throws {
    let out = try Fixture.salvage(["line-origins", "/nonexistent/repository"])
    #expect(out.status != 0)
  }
}
