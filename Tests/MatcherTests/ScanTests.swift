import Matcher
import Testing

@Suite struct ScanTests {
  static let token = "ghp_" + "Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0eG7u"

  @Test func linesAndColumnsCountFromFirstLine() throws {
    let matcher = try RuleCorpus.matcher
    let text = "one\r\ntwo\r\n  x = \(Self.token)\r\nfour\n\(Self.token)"
    let found = matcher.scan(Array(text.utf8), path: Array("a.txt".utf8), firstLine: 10, scratch: matcher.makeScratch())
    #expect(found.map(\.line) == [12, 14])
    #expect(found.map(\.column) == [7, 1])
    #expect(found.allSatisfy { String(decoding: $0.secret, as: UTF8.self) == Self.token })
  }

  @Test func scratchIsReusableAcrossBuffersAndPaths() throws {
    let matcher = try RuleCorpus.matcher
    let scratch = matcher.makeScratch()
    for path in ["a.txt", "test/a.txt", "a.txt"] {
      let found = matcher.scan(Array("t=\(Self.token)".utf8), path: Array(path.utf8), scratch: scratch)
      #expect(found.count == 1)
      #expect(found.first?.inTestPath == path.hasPrefix("test/"))
    }
  }

  @Test func pemKeyHasTheSameSecretWhateverItsLayout() throws {
    let matcher = try RuleCorpus.matcher
    let body = ["MIIEowIBAAKCAQEAv1Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0eG7uQm7vT2pLx9Rk", "W3nB8cY5dZ1fH6jK4sA0eG7uQm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0eG7u=="]
    let lf = "-----BEGIN RSA PRIVATE KEY-----\n" + body.joined(separator: "\n") + "\n-----END RSA PRIVATE KEY-----\n"
    let crlf = lf.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    let json = "{\"key\": \"-----BEGIN RSA PRIVATE KEY-----\\n" + body.joined(separator: "\\n") + "\\n-----END RSA PRIVATE KEY-----\\n\"}"
    let scratch = matcher.makeScratch()
    let secrets = [lf, crlf, json].map { text in
      matcher.scan(Array(text.utf8), path: Array("k.txt".utf8), scratch: scratch).map(\.secret)
    }
    #expect(secrets[0].count == 1)
    #expect(secrets[0] == secrets[1])
    #expect(secrets[0] == secrets[2])
    #expect(secrets[0].first.map { String(decoding: $0, as: UTF8.self) } == body.joined())
  }

  @Test func keywordlessRulesRunOnlyInTheirPaths() throws {
    let matcher = try RuleCorpus.matcher
    let line = "db.internal:5432:*:app:Qm7vT2pLx9RkW3nB\n# comment\nreplica:5432:*:app:W3nB8cY5dZ1fH6jK"
    let scratch = matcher.makeScratch()
    let inPgpass = matcher.scan(Array(line.utf8), path: Array("home/.pgpass".utf8), firstLine: 5, scratch: scratch)
    #expect(inPgpass.map(\.line) == [5, 7])
    #expect(matcher.scan(Array(line.utf8), path: Array("notes.txt".utf8), scratch: scratch).isEmpty)
  }

  @Test func emptyAndBinaryBuffersAreHarmless() throws {
    let matcher = try RuleCorpus.matcher
    let scratch = matcher.makeScratch()
    #expect(matcher.scan([], path: [], scratch: scratch).isEmpty)
    let binary = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
    _ = matcher.scan(binary, path: [0xFF, 0xFE, 0x2F, 0x80], scratch: scratch)
  }

  @Test func sensitiveFilesByPath() throws {
    let matcher = try RuleCorpus.matcher
    #expect(matcher.sensitiveFile(path: Array("deploy/.ssh/id_ed25519".utf8))?.id == "private-key-file")
    #expect(matcher.sensitiveFile(path: Array("infra/terraform.tfstate".utf8))?.id == "terraform-state")
    #expect(matcher.sensitiveFile(path: Array(".env.example".utf8)) == nil)
    #expect(matcher.sensitiveFile(path: Array("src/main.swift".utf8)) == nil)
    // A kubeconfig only counts with credentials in it, which needs the content.
    #expect(matcher.sensitiveFile(path: Array("ops/kubeconfig".utf8)) == nil)
  }

  /// The secret rules' paths fold case and anchor as in `.gitignore` (`GlobEngineTests` has the rest).
  @Test(arguments: [
    ("config/master.key", "config/master.key", true), ("config/master.key", "app/config/master.key", false),
    (".env.*", "x/.ENV.Production", true), ("**/.aws/credentials", "home/u/.aws/credentials", true),
  ])
  func globs(_ glob: String, _ path: String, _ expected: Bool) {
    #expect(SecretRuleSet.pathGlob(glob).matches(Array(path.utf8)) == expected)
  }
}

@Suite struct RuleErrorTests {
  static func error(_ text: String) -> RuleError? {
    do {
      _ = try SecretMatcher(rules: try SecretRuleSet.load(toml: [(name: "user.toml", text: text)]))
      return nil
    } catch {
      return error
    }
  }

  static let valid = """
    [[rules]]
    id = "x"
    title = "X"
    severity = "high"
    keywords = ["x_"]
    pattern = '''(x_\\w+)'''
    """

  @Test func validRuleLoads() {
    #expect(Self.error(Self.valid) == nil)
  }

  @Test(arguments: [
    ("severity = \"high\"", "severity = \"urgent\"", "severity"),
    ("keywords = [\"x_\"]", "keywords = [\"X_\"]", "keywords"),
    ("keywords = [\"x_\"]", "keywords = []", "keywords"),
    ("pattern = '''(x_\\w+)'''", "pattern = '''(x_\\w+'''", "pattern"),
    ("pattern = '''(x_\\w+)'''", "pattern = '''(x_\\w+)'''\nsecretGroup = 3", "secretGroup"),
    ("pattern = '''(x_\\w+)'''", "pattern = '''(x_\\w+)'''\nentrop = 3.0", "entrop"),
    ("pattern = '''(x_\\w+)'''", "pattern = '''(x_\\w+)'''\nskipFilters = [\"nonsense\"]", "skipFilters"),
    ("title = \"X\"\n", "", "title"),
  ])
  func errorsNameFileRuleAndKey(_ original: String, _ replacement: String, _ key: String) throws {
    let text = Self.valid.replacingFirst(original, with: replacement)
    let error = try #require(Self.error(text))
    #expect(error.file == "user.toml")
    #expect(error.rule == "x")
    #expect(error.key == key)
    #expect(error.description.contains("user.toml"))
    #expect(error.description.contains("'x'"))
  }

  @Test func tomlSyntaxErrorsCarryTheLine() throws {
    let error = try #require(Self.error("[[rules]]\nid = \"x\n"))
    #expect(error.file == "user.toml")
    #expect(error.line == 2)
  }

  @Test func laterFilesOverrideAndDisableRules() throws {
    let set = try SecretRuleSet.load(toml: [
      (name: "a.toml", text: Self.valid),
      (name: "b.toml", text: Self.valid.replacingFirst("title = \"X\"", with: "title = \"Y\"")),
    ])
    #expect(set.rules.map(\.title) == ["Y"])
    let disabled = try SecretRuleSet.load(toml: [
      (name: "a.toml", text: Self.valid), (name: "b.toml", text: "[[rules]]\nid = \"x\"\ndisabled = true\n"),
    ])
    #expect(disabled.rules.isEmpty)
  }
}

extension String {
  /// Replaces the first occurrence of `target` (no Foundation in this test target).
  func replacingFirst(_ target: String, with replacement: String) -> String {
    let chars = Array(self)
    let needle = Array(target)
    guard !needle.isEmpty, chars.count >= needle.count else { return self }
    for start in 0...(chars.count - needle.count) where Array(chars[start..<(start + needle.count)]) == needle {
      return String(chars[..<start]) + replacement + String(chars[(start + needle.count)...])
    }
    return self
  }
}
