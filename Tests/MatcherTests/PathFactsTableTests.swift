import Foundation
import GlobEngine
import Synchronization
import Testing

@testable import Matcher

/// A matcher remembers each path's facts in one table its threads share: what it answers for a path
/// must be what the rules' globs say of that path, list by list, whichever thread asked first.
@Suite struct PathFactsTableTests {
  /// Each path's facts by `Glob.matches`, glob by glob (no table involved).
  static func expected(_ matcher: SecretMatcher, _ path: [UInt8]) -> (fileRules: [Int], test: Bool) {
    let fileRules = matcher.fileRules.indices.filter { rule in
      matcher.fileRules[rule].paths.contains { $0.matches(path) } && !matcher.fileRules[rule].exclude.contains { $0.matches(path) }
    }
    return (fileRules, matcher.ruleSet.filters.testPaths.contains { $0.matches(path) })
  }

  @Test func sharedFactsAgreeWithTheGlobsFromEveryThread() throws {
    // A matcher of its own: the facts it remembers are then only those this test asked for.
    let matcher = try SecretMatcher(rules: try SecretRuleSet.load(toml: RuleCorpus.files))
    let paths = SecretPathTableTests.corpus(matcher, SecretPathTableTests.ruleLists(matcher).flatMap { $0 })
    #expect(paths.count > 1000)
    let expected = paths.map { Self.expected(matcher, $0) }
    #expect(expected.contains { !$0.fileRules.isEmpty } && expected.contains { $0.test })
    let threads = 4
    let disagreements = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: threads) { thread in
      // Each thread in its own order, twice over: first sight and remembered facts alike.
      var order = Array(paths.indices)
      var seed = UInt64(thread + 1)
      for i in order.indices.reversed() {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        order.swapAt(i, Int(seed >> 33) % (i + 1))
      }
      let scratch = matcher.makeScratch()
      for index in order + order {
        let path = paths[index]
        let fileRules = matcher.sensitiveFileRules(path: path)
        let test = matcher.isTestPath(path)
        let contentRules = path.withUnsafeBytes { matcher.contentFileRules(path: $0, scratch: scratch) }
        let want = expected[index]
        let wantContent = want.fileRules.filter { matcher.fileRules[$0].contains != nil }
        if fileRules != want.fileRules || test != want.test || contentRules != wantContent {
          disagreements.withLock { $0.append("\(String(decoding: path, as: UTF8.self)): \(fileRules) \(test) \(contentRules)") }
        }
      }
    }
    disagreements.withLock { list in #expect(list.isEmpty, "\(list.prefix(20))") }
  }

  /// Paths that share a hash are told apart by their bytes; the table grows past its first size and
  /// keeps every path's own facts; a path met twice keeps the facts it was first given.
  @Test func collidingPathsKeepTheirOwnFacts() {
    var table = PathFactsTable()
    func info(_ n: Int) -> SecretMatcher.PathInfo {
      SecretMatcher.PathInfo(enabled: [n % 2 == 0], keywordless: [], inTestPath: n % 3 == 0, fileRules: [n], contentFileRules: [])
    }
    let paths = (0..<5000).map { Array("dir\($0 % 17)/file\($0).txt".utf8) }
    for (n, path) in paths.enumerated() {
      // Every fourth path is given the hash of the first, the rest their own.
      let hash = n % 4 == 0 ? 7 : path.withUnsafeBytes(PathFactsTable.hash)
      _ = path.withUnsafeBytes { table.insert($0, hash: hash, info(n)) }
    }
    for (n, path) in paths.enumerated() {
      let hash = n % 4 == 0 ? 7 : path.withUnsafeBytes(PathFactsTable.hash)
      let found = path.withUnsafeBytes { table.find($0, hash: hash) }
      #expect(found?.fileRules == [n], "\(n)")
      let again = path.withUnsafeBytes { table.insert($0, hash: hash, info(n + 1)) }
      #expect(again.fileRules == [n])
    }
    #expect(Array("dir0/file1.txt".utf8).withUnsafeBytes { table.find($0, hash: 7) } == nil)
  }
}
