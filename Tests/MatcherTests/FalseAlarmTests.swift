import Matcher
import Testing

/// One filter per case: a rule that would match anything after `key=` shows what each filter drops.
@Suite struct FalseAlarmTests {
  static let probe = """
    [[rules]]
    id = "probe"
    title = "Probe"
    severity = "high"
    keywords = ["key="]
    pattern = '''key=(\\S+)'''

    [[rules]]
    id = "probe-generic"
    title = "Generic probe"
    severity = "low"
    keywords = ["gen:"]
    pattern = '''gen:(\\S+)'''
    generic = true

    [[rules]]
    id = "probe-uuid"
    title = "Probe keeping UUIDs"
    severity = "low"
    keywords = ["ukey="]
    pattern = '''ukey=(\\S+)'''
    skipFilters = ["uuid"]
    """

  static func matcher() throws -> SecretMatcher {
    let filters = RuleCorpus.files.filter { $0.name == "secrets/filters.toml" }
    return try SecretMatcher(rules: try SecretRuleSet.load(toml: filters + [(name: "probe.toml", text: probe)]))
  }

  static func scan(_ line: String, path: String = "src/app.conf") throws -> [SecretMatch] {
    let matcher = try matcher()
    return matcher.scan(Array(line.utf8), path: Array(path.utf8), scratch: matcher.makeScratch())
  }

  @Test func controlValueIsReported() throws {
    let found = try Self.scan("key=Qm7vT2pLx9Rk")
    #expect(found.count == 1)
    #expect(found.first.map { String(decoding: $0.secret, as: UTF8.self) } == "Qm7vT2pLx9Rk")
    #expect(found.first?.column == 5)
  }

  @Test(arguments: [
    ("template ${VAR}", "key=${API_KEY}"),
    ("template {{ }}", "key={{api_key}}"),
    ("template <your-key>", "key=<your-api-key>"),
    ("template %VAR%", "key=%API_KEY%"),
    ("shell variable", "key=$API_KEY"),
    ("command substitution", "key=$(vault-read-key)"),
    ("changeme", "key=changeme123"),
    ("xxxx", "key=sk_xxxxxxxxxxxxxxxx"),
    ("asterisks", "key=********"),
    ("repeated characters", "key=aaaaaaaaaaaa"),
    ("few distinct characters", "key=abababababab"),
    ("sequential characters", "key=Q7abcdefgh"),
    ("sequential digits", "key=pw1234567"),
    ("process.env", "key=process.env.API_KEY"),
    ("os.environ", "key=os.environ['API_KEY']"),
    ("getenv", "key=getenv('API_KEY')"),
    ("vault reference", "key=vault:secret/data/app#key"),
    ("documentation EXAMPLE", "key=Qm7vT2EXAMPLEpLx9Rk"),
    ("integrity string", "key=sha512-Qm7vT2pLx9RkQm7vT2pLx9Rk"),
    ("integrity line", "\"integrity\": \"x\", key=Qm7vT2pLx9Rk"),
    ("UUID", "key=3f2b9c1e-7d4a-4e8b-9a6c-1d2e3f4a5b6c"),
    ("commit id", "commit key=9fceb02d0ae598e95dc970b74767f19372d61af8"),
    ("sha-256 digest", "sha256 key=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("data URI", "<img src=\"data:image/png;base64,iVBORw0KGgo\" key=data:image/png;base64,iVBORw0KGgoAAAANSUhEUg>"),
    ("inline ignore", "key=Qm7vT2pLx9Rk  # salvage:ignore"),
    ("inline ignore, other case", "key=Qm7vT2pLx9Rk  // SALVAGE:IGNORE test key"),
    ("boolean", "key=true"),
  ])
  func filterDropsValue(_ name: String, _ line: String) throws {
    #expect(try Self.scan(line).isEmpty, "filter '\(name)' let through: \(line)")
  }

  /// 40 or 64 hex digits are a hash only when the line says so before them: assigned to a credential
  /// name they are a candidate (GitHub OAuth client secrets are 40 hex digits).
  @Test func hexValueAssignedToACredentialNameIsKept() throws {
    #expect(try Self.scan("client_secret key=9fceb02d0ae598e95dc970b74767f19372d61af8").count == 1)
    #expect(try Self.scan("key=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855").count == 1)
    #expect(try Self.scan("key=9fceb02d0ae598e95dc970b74767f19372d61af8 # commit").count == 1)
  }

  @Test func secretInsideDataURIPayloadIsDropped() throws {
    let matcher = try RuleCorpus.matcher
    let line = "background: url(data:image/png;base64,iVBORwAAAA0KGgoghp_Qm7vT2pLx9RkQm7vT2pLx9RkQm7vT2pLx9Rk+/A==)"
    #expect(matcher.scan(Array(line.utf8), path: Array("site.css".utf8), scratch: matcher.makeScratch()).isEmpty)
  }

  @Test func ruleCanOptOutOfAFilter() throws {
    let uuid = "3f2b9c1e-7d4a-4e8b-9a6c-1d2e3f4a5b6c"
    #expect(try Self.scan("key=\(uuid)").isEmpty)
    #expect(try Self.scan("ukey=\(uuid)").count == 1)
  }

  @Test func genericRulesSkipLockfilesMinifiedAndVendoredPaths() throws {
    for path in ["package-lock.json", "web/yarn.lock", "go.sum", "static/app.min.js", "node_modules/x/index.js", "vendor/lib/a.php"] {
      #expect(try Self.scan("gen:Qm7vT2pLx9Rk", path: path).isEmpty, "generic rule ran in \(path)")
      #expect(try Self.scan("key=Qm7vT2pLx9Rk", path: path).count == 1, "specific rule skipped in \(path)")
    }
    #expect(try Self.scan("gen:Qm7vT2pLx9Rk", path: "src/app.js").count == 1)
  }

  @Test func genericRulesSkipLongLines() throws {
    let padding = String(repeating: "a=1; ", count: 300)
    #expect(try Self.scan(padding + "gen:Qm7vT2pLx9Rk").isEmpty)
    #expect(try Self.scan(padding + "key=Qm7vT2pLx9Rk").count == 1)
  }

  @Test func genericRulesIgnoreEnvironmentLines() throws {
    #expect(try Self.scan("gen:Qm7vT2pLx9Rk if not os.getenv('X')").isEmpty)
    #expect(try Self.scan("key=Qm7vT2pLx9Rk if not os.getenv('X')").count == 1)
  }

  @Test(arguments: ["test/fixtures/keys.txt", "src/__tests__/api.test.ts", "pkg/auth/token_test.go", "spec/models/user_spec.rb", "Tests/AppTests/LoginTests.swift"])
  func testPathsAreTaggedNotDropped(_ path: String) throws {
    let found = try Self.scan("key=Qm7vT2pLx9Rk", path: path)
    #expect(found.count == 1)
    #expect(found.first?.inTestPath == true)
  }

  @Test func ordinaryPathsAreNotTagged() throws {
    #expect(try Self.scan("key=Qm7vT2pLx9Rk", path: "src/contest/latest.txt").first?.inTestPath == false)
  }

  @Test func genericRuleStepsAsideForSpecificRule() throws {
    let matcher = try RuleCorpus.matcher
    let token = "ghp_" + "Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0eG7u"
    let found = matcher.scan(Array("GITHUB_TOKEN = \"\(token)\"".utf8), path: Array("ci/deploy.py".utf8), scratch: matcher.makeScratch())
    #expect(found.map { matcher.rules[$0.rule].id } == ["github-pat"])
  }
}
