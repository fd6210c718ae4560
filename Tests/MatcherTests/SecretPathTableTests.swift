import Foundation
import GlobEngine
import Testing

@testable import Matcher

/// The secret rules' glob table must say what `Glob.matches` says, glob list by glob list.
@Suite struct SecretPathTableTests {
  static func agree(_ lists: [[Glob]], _ paths: [[UInt8]]) -> [String] {
    let table = GlobTable(lists: lists)
    var disagreements: [String] = []
    var bits = [UInt64](repeating: 0, count: table.wordCount)
    for path in paths {
      let any = path.withUnsafeBufferPointer { path in bits.withUnsafeMutableBufferPointer { table.lists(path, into: $0) } }
      var expectedAny = false
      for (l, list) in lists.enumerated() {
        let expected = list.contains { $0.matches(path) }
        expectedAny = expectedAny || expected
        let got = bits[l >> 6] & (1 << UInt64(l & 63)) != 0
        if got != expected {
          disagreements.append("\(String(decoding: path, as: UTF8.self)): list \(l) \(list.map(\.pattern)) got \(got)")
        }
      }
      if any != expectedAny { disagreements.append("\(String(decoding: path, as: UTF8.self)): any \(any)") }
    }
    return disagreements
  }

  /// Paths made of the globs' own words, in several cases and depths, with the rules' example paths.
  static func corpus(_ matcher: SecretMatcher, _ globs: [Glob]) -> [[UInt8]] {
    var words = Set<String>(["", "a", "src", "x.y", "Test", "TESTS", "node_modules", "wg0.conf", "wg12.conf", "wgx.conf"])
    for glob in globs {
      for piece in glob.pattern.split(separator: "/", omittingEmptySubsequences: false) {
        let plain = piece.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "*", with: "x")
          .replacingOccurrences(of: "?", with: "q").replacingOccurrences(of: "[0-9]", with: "7")
        words.insert(String(plain))
        words.insert(String(piece.replacingOccurrences(of: "*", with: "")))
        words.insert(String(plain).uppercased())
      }
      words.insert(glob.pattern.replacingOccurrences(of: "**/", with: "").replacingOccurrences(of: "*", with: "k"))
    }
    let list = words.sorted()
    var paths: [String] = list
    for (i, first) in list.enumerated() {
      paths.append("\(first)/\(list[(i * 7 + 3) % list.count])")
      if i % 2 == 0 { paths.append("deep/\(first)/\(list[(i * 13 + 5) % list.count])/\(list[(i * 3 + 1) % list.count])") }
      if i % 2 == 1 { paths.append("\(list[(i * 11 + 2) % list.count])/\(first)/") }
      if i % 4 == 0 { paths.append("/\(first)") }
      if i % 4 == 2 { paths.append("a//\(first)") }
    }
    for rule in matcher.rules { for example in rule.examples + rule.counterexamples { paths.append(example.path) } }
    for rule in matcher.fileRules { for example in rule.examples + rule.counterexamples { paths.append(example.path) } }
    var bytes = paths.map { Array($0.utf8) }
    bytes.append([0xFF, 0x2F, 0x80, 0x2E, 0x70, 0x65, 0x6D])
    bytes.append(Array(repeating: UInt8(ascii: "a"), count: 3000) + Array("/x.pem".utf8))
    return bytes
  }

  static func ruleLists(_ matcher: SecretMatcher) -> [[Glob]] {
    let set = matcher.ruleSet
    var lists: [[Glob]] = [set.filters.genericSkipPaths, set.filters.testPaths]
    for rule in set.rules { lists += [rule.paths, rule.allowPaths] }
    for rule in set.fileRules { lists += [rule.paths, rule.exclude] }
    return lists
  }

  @Test func builtInRulesAgreeWithEachGlob() throws {
    let matcher = try RuleCorpus.matcher
    let lists = Self.ruleLists(matcher)
    let paths = Self.corpus(matcher, lists.flatMap { $0 })
    #expect(paths.count > 1000)
    let disagreements = Self.agree(lists, paths)
    #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
  }

  /// A list of paths, one a line (say `git log --name-only --format= | sort -u`), in `SALVAGE_PATH_CORPUS`.
  @Test func pathsOfARealRepositoryAgree() throws {
    guard let file = ProcessInfo.processInfo.environment["SALVAGE_PATH_CORPUS"] else { return }
    let matcher = try RuleCorpus.matcher
    let text = try String(contentsOfFile: file, encoding: .utf8)
    let paths = text.split(separator: "\n").map { Array($0.utf8) }
    let disagreements = Self.agree(Self.ruleLists(matcher), paths)
    #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
  }

  @Test func oddGlobsAgree() {
    let globs = [
      "*", "**", "/id_rsa", "/config/*.key", "a/**/b", "a**b", "**/x**", "**/*.svg", "[!a-c]*.txt", "[a-", "x]y",
      "**/test/**", "**/Tests/**", "*test*", "?", "??.env", "src/**", "**/", "*.[jt]s", "**/k/*", "secring.*",
      "ssh_host_*_key", "a/b", "A/B/c.PEM", "**/.aws/credentials", ".env.*", "*_test.go", "dir/",
    ].map(SecretRuleSet.pathGlob)
    let lists = globs.map { [$0] } + [globs]
    let paths = Self.corpus(RuleCorpusFallback.empty, globs) + [
      "a/b", "A/B", "a/x/y/b", "ab", "axxb", "a/b/c", "x", "xx", "test", "test/a", "b/test/a", "b/TEST/a", "b/test",
      "q.js", "q.ts", "q.cs", "k/z", "a/k/z", "a/k/z/w", "config/m.key", "app/config/m.key", "dir/a", "dir",
      "ssh_host__key", "ssh_host_rsa_key", "secring.gpg", "d.txt", "a.txt", "x]y", "[a-", "[a-x",
    ].map { Array($0.utf8) }
    let disagreements = Self.agree(lists, paths)
    #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
  }
}

/// A matcher without rules, for the corpus of hand-written globs.
enum RuleCorpusFallback {
  static let empty: SecretMatcher = try! SecretMatcher(rules: try! SecretRuleSet.load(toml: []))
}
