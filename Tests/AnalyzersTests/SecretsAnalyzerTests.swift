import FixtureSupport
import Git
import GlobEngine
import Foundation
import Matcher
import SalvageCore
import Testing

@testable import Analyzers

/// The secrets analyzer over `fixtures/secrets-history.sh`: what each secret's finding says, the decoys
/// that must stay silent, and the figures of `analyzers.secrets`.
@Suite struct SecretsAnalyzerTests {
  static let repository: Result<String, any Error> = Result { try Fixture.build("secrets-history") }

  /// The secrets the fixture wrote, by name (see `note` in the fixture).
  static func secrets(_ repo: String) throws -> [String: String] { try Fixture.writtenSecrets(repo) }

  static func scan(_ repo: String, workers: Int = 2, excludes: [String] = [], rules: String? = nil) throws -> ScanResult {
    try Scanner(analyzers: [SecretsAnalyzer()]).scan(
      ScanOptions(path: repo, excludes: excludes.map { Glob($0, case: .sensitive, anchoring: .anyDepth) }, workers: workers, rulesDirectory: rules))
  }

  /// The finding of the secret `name` under `rule`, found by its fingerprint.
  static func finding(_ scan: ScanResult, rule: String, secret: String) -> Finding? {
    let fingerprint = printed(scan, rule: rule, secret: secret)
    return scan.findings.first { $0.evidenceJSON["fingerprint"]?.stringValue == fingerprint }
  }

  /// The fingerprint a report prints for `secret` under `rule`: keyed by a hash of the tree of the
  /// main line's root commit, as git names it.
  static func printed(_ scan: ScanResult, rule: String, secret: String) -> String {
    let key = (try? Self.expectedKey(scan.context.repository.path)) ?? []
    return Redaction.keyed(Redaction.fingerprint(rule: rule, secret: Array(secret.utf8)), key: key)
  }

  /// The root commit of HEAD's first-parent line, by git.
  static func mainLineRoot(_ repo: String) throws -> String {
    try #require(try Fixture.git(["rev-list", "--first-parent", "HEAD"], in: repo).split(separator: "\n").last.map(String.init))
  }

  /// The fingerprints' key worked out with git: SHA-256 of a label, a zero byte and the root's tree id.
  static func expectedKey(_ repo: String) throws -> [UInt8] {
    let tree = try Fixture.git(["rev-parse", try mainLineRoot(repo) + "^{tree}"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    let bytes = try #require(ObjectID(hex: tree)).bytes
    return SHA256.digest(Array("salvage secret fingerprints, key 2".utf8) + [0] + bytes)
  }

  static func subject(_ scan: ScanResult, _ finding: Finding?) -> String? {
    guard let id = finding?.location.commit else { return nil }
    return scan.context.history.commits.first { $0.id.hex == id }?.subject
  }

  @Test func liveSecretCopiedIntoTwoFiles() throws {
    let repo = try Self.repository.get()
    let scan = try Self.scan(repo)
    let f = try #require(Self.finding(scan, rule: "github-pat", secret: try Self.secrets(repo)["github-live"]!))
    #expect(f.analyzer == "secrets")
    #expect(f.severity == .critical)
    #expect(f.evidenceJSON["inHead"] == true)
    #expect(f.location.path == "config/settings.py")
    #expect(f.location.line == 2)
    #expect(Self.subject(scan, f) == "Initial settings")
    #expect(f.evidenceJSON["locations"] == [["path": "config/settings.py", "line": 2], ["path": "scripts/publish.sh", "line": 3]])
    #expect(f.evidenceJSON["occurrences"] == 2)
    #expect(f.evidenceJSON["commits"] == 2)
    #expect(f.evidenceJSON["introduced"]?["author"] == "Ada Lovelace")
    #expect(f.evidenceJSON["introduced"]?["date"] == "2023-01-10T09:00:00Z")
    #expect(f.evidenceJSON["preview"]?.stringValue?.hasPrefix("ghp_…(40 chars)") == true)
    #expect(f.evidenceJSON["tags"] == [])
  }

  @Test func removedSecretsSurviveInHistoryAndMustBeRotated() throws {
    let repo = try Self.repository.get()
    let scan = try Self.scan(repo)
    let secrets = try Self.secrets(repo)
    for (rule, name, line) in [("aws-access-key-id", "aws-id", 2), ("aws-secret-access-key", "aws-secret", 3)] {
      let f = try #require(Self.finding(scan, rule: rule, secret: secrets[name]!))
      #expect(f.evidenceJSON["inHead"] == false)
      #expect(f.evidenceJSON["tags"] == ["history-only"])
      #expect(f.evidenceJSON["locations"] == [])
      #expect(f.location.path == "deploy/aws.sh")
      #expect(f.location.line == line)
      #expect(Self.subject(scan, f) == "Deploy script, server key, kubeconfig")
      #expect(f.evidenceJSON["introduced"]?["author"] == "Grace Hopper")
      #expect(f.message.contains("must still be rotated"))
    }
    let key = try #require(Self.finding(scan, rule: "private-key-rsa", secret: secrets["rsa-deleted"]!))
    #expect(key.evidenceJSON["inHead"] == false)
    #expect(key.location.path == "keys/server.key")
    let kube = try #require(Self.finding(scan, rule: "kubeconfig-credential", secret: secrets["kube-token"]!))
    #expect(kube.evidenceJSON["inHead"] == false)
  }

  @Test func reAddedSecretKeepsItsFirstCommitAndJoinsTheRulesThatSawIt() throws {
    let repo = try Self.repository.get()
    let scan = try Self.scan(repo)
    let npm = try Self.secrets(repo)["npm-readded"]!
    let f = try #require(Self.finding(scan, rule: "npm-token", secret: npm))
    #expect(f.evidenceJSON["inHead"] == true)
    #expect(f.location.path == "scripts/publish.sh")
    #expect(Self.subject(scan, f) == "Deploy script, server key, kubeconfig")
    #expect(f.evidenceJSON["introduced"]?["path"] == "web/.npmrc.txt")
    #expect(f.evidenceJSON["commits"] == 2)
    let also = Self.printed(scan, rule: "npmrc-auth", secret: npm)
    #expect(f.evidenceJSON["alsoMatchedBy"] == [["rule": "npmrc-auth", "fingerprint": .string(also)]])
    #expect(!scan.findings.contains { $0.evidenceJSON["fingerprint"]?.stringValue == also })
  }

  @Test func mergesAreNotCountedAsIntroductions() throws {
    let repo = try Self.repository.get()
    let scan = try Self.scan(repo)
    let secrets = try Self.secrets(repo)
    // Brought in by a merge: the branch commit introduced it.
    let branch = try #require(Self.finding(scan, rule: "gitlab-pat", secret: secrets["gitlab-branch"]!))
    #expect(Self.subject(scan, branch) == "CI variables")
    #expect(branch.evidenceJSON["introduced"]?["author"] == "Linus Dev")
    #expect(branch.evidenceJSON["occurrences"] == 1)
    // Split across a merge: no commit holds the key whole, the tip does.
    let split = try #require(Self.finding(scan, rule: "private-key-rsa", secret: secrets["rsa-merged"]!))
    #expect(split.evidenceJSON["inHead"] == true)
    #expect(split.location.path == "certs/tls.txt")
    #expect(split.location.commit == nil)
    #expect(split.evidenceJSON["introduced"] == .null)
    #expect(split.message.contains("merge"))
  }

  @Test func testFixturesAreKeptTaggedAndLowered() throws {
    let repo = try Self.repository.get()
    let scan = try Self.scan(repo)
    let f = try #require(Self.finding(scan, rule: "slack-bot-token", secret: try Self.secrets(repo)["slack-test"]!))
    #expect(f.evidenceJSON["inTestPath"] == true)
    #expect(f.evidenceJSON["tags"] == ["test"])
    let ruleSeverity = try #require(f.evidenceJSON["ruleSeverity"]?.stringValue.flatMap(Severity.init(rawValue:)))
    #expect(f.severity < ruleSeverity)
    #expect(f.severity == .low)
    #expect(f.evidenceJSON["context"] == "test")
    #expect(f.evidenceJSON["reason"]?.stringValue?.contains("not counted as a live credential") == true)
    #expect(SecretsReport.severity("critical", inTest: true) == .low)
    #expect(SecretsReport.severity("low", inTest: true) == .low)
    #expect(SecretsReport.severity("info", inTest: true) == .info)
  }

  @Test func ignoredDecoysAndOversizedFiles() throws {
    let repo = try Self.repository.get()
    let scan = try Self.scan(repo)
    let secrets = try Self.secrets(repo)
    #expect(Self.finding(scan, rule: "github-pat", secret: secrets["ignored"]!) == nil)
    let decoyPaths: Set<String> = [
      "docs/setup.md", "config/templates.yml", "src/env.js", "src/vault.py", "src/ids.py", "package-lock.json",
      "web/logo.css", "web/app.min.js", "src/app.py", ".env.example",
    ]
    // AWS's documentation key is reported, as info and by name, and never as a credential.
    let documented = scan.findings.filter { $0.location.path == "docs/setup.md" }
    #expect(documented.map(\.rule) == ["aws-access-key-id"])
    #expect(documented.first?.severity == .info)
    #expect(documented.first?.evidenceJSON["context"] == "public")
    #expect(documented.first?.message.contains("AWS documentation example access key id") == true)
    let noisy = scan.findings.filter { decoyPaths.contains($0.location.path ?? "") && $0.evidenceJSON["context"] != "public" }
    #expect(noisy.isEmpty, "decoys reported: \(noisy.map { "\($0.rule) \($0.location.path ?? "")" })")
    let large = try #require(Self.finding(scan, rule: "github-pat", secret: secrets["large-file"]!))
    #expect(large.evidenceJSON["inHead"] == false)
    #expect(large.evidenceJSON["tipUnscanned"] == true)
    #expect(large.evidenceJSON["tags"] == ["tip-unscanned"])
  }

  @Test func sensitiveFilesByNameAndByContent() throws {
    let scan = try Self.scan(try Self.repository.get())
    func file(_ rule: String, _ path: String) -> Finding? {
      scan.findings.first { $0.rule == rule && $0.location.path == path && $0.evidenceJSON["kind"] == "file" }
    }
    let env = try #require(file("dotenv-file", ".env"))
    #expect(env.evidenceJSON["inHead"] == true)
    #expect(env.severity == .medium)
    let key = try #require(file("private-key-file", "keys/server.key"))
    #expect(key.evidenceJSON["inHead"] == false)
    #expect(Self.subject(scan, key) == "Deploy script, server key, kubeconfig")
    let kube = try #require(file("kubeconfig", "ops/kubeconfig"))
    #expect(kube.evidenceJSON["inHead"] == false)
    #expect(file("dotenv-file", ".env.example") == nil)
  }

  @Test func figures() throws {
    let scan = try Self.scan(try Self.repository.get())
    let metrics = try #require(scan.results.first { $0.id == "secrets" }?.result.metrics)
    let findings = scan.findings
    #expect(metrics["findings"]?.intValue == findings.count)
    // Live credentials only: the test fixture and the documentation key are counted apart.
    let credentials = findings.filter { $0.evidenceJSON["context"] == "live" }
    #expect(metrics["live"]?.intValue == credentials.filter { $0.evidenceJSON["inHead"] == true }.count)
    #expect(metrics["historyOnly"]?.intValue == credentials.filter { $0.evidenceJSON["tags"]?.arrayValue?.contains("history-only") == true }.count)
    #expect((metrics["live"]?.intValue ?? 0) + (metrics["historyOnly"]?.intValue ?? 0) + credentials.filter { $0.evidenceJSON["tipUnscanned"] == true }.count == credentials.count)
    guard case let .object(byContext)? = metrics["byContext"] else {
      Issue.record("byContext must be an object")
      return
    }
    #expect(byContext.map(\.0) == ["live", "test", "example", "public", "expired"])
    #expect(byContext.reduce(0) { $0 + ($1.1.intValue ?? 0) } == findings.count)
    #expect(metrics["byContext"]?["public"] == 1)
    #expect((metrics["byContext"]?["test"]?.intValue ?? 0) >= 1)
    guard case let .object(bySeverity)? = metrics["bySeverity"], case let .object(byRule)? = metrics["byRule"] else {
      Issue.record("bySeverity and byRule must be objects")
      return
    }
    #expect(bySeverity.map(\.0) == ["critical", "high", "medium", "low", "info"])
    #expect(bySeverity.reduce(0) { $0 + ($1.1.intValue ?? 0) } == findings.count)
    #expect(byRule.reduce(0) { $0 + ($1.1.intValue ?? 0) } == findings.count)
    #expect(byRule.map(\.0) == byRule.map(\.0).sorted())
    // The three secrets of the first commit are the oldest; none of them is in a test path.
    let oldest = try #require(metrics["oldestUnrotated"])
    #expect(oldest["date"] == "2023-01-10T09:00:00Z")
    #expect(oldest["author"] == "Ada Lovelace")
    #expect(oldest["inHead"] == true)
    #expect(metrics["rules"]?["patterns"]?.intValue ?? 0 >= 60)
  }

  /// Per-worker tallies merged after the pass: the outcome cannot depend on the number of workers.
  @Test func sameFindingsWhateverTheWorkers() throws {
    let repo = try Self.repository.get()
    func summary(_ scan: ScanResult) -> [String] {
      scan.findings.map { "\($0.id) \($0.severity) \($0.location) \($0.message) \($0.evidenceJSON.serialized())" }
    }
    let one = try Self.scan(repo, workers: 1)
    let four = try Self.scan(repo, workers: 4)
    #expect(summary(one) == summary(four))
    #expect(one.results[0].result.metrics == four.results[0].result.metrics)
  }

  @Test func analyzingTheSameContextTwiceGivesTheSameResult() throws {
    let scan = try Self.scan(try Self.repository.get())
    let again = try SecretsAnalyzer().run(scan.context, observation: scan.observations["secrets"])
    #expect(again.metrics == scan.results[0].result.metrics)
    #expect(again.findings.map(\.id).sorted() == scan.results[0].result.findings.map(\.id).sorted())
  }

  @Test func excludedPathsAreLeftOutOfTipAndHistory() throws {
    let repo = try Self.repository.get()
    let scan = try Self.scan(repo, excludes: ["tests/**", "deploy/**"])
    #expect(!scan.findings.contains { $0.location.path?.hasPrefix("tests/") == true || $0.location.path?.hasPrefix("deploy/") == true })
    #expect(Self.finding(scan, rule: "github-pat", secret: try Self.secrets(repo)["github-live"]!) != nil)
  }

  @Test func userRulesOverrideAndBadRulesFailTheScan() throws {
    let repo = try Self.repository.get()
    let folder = try Fixture.temporaryFolder("rules")
    try FileManager.default.createDirectory(atPath: folder + "/secrets", withIntermediateDirectories: true)
    try "[[rules]]\nid = \"github-pat\"\ndisabled = true\n".write(toFile: folder + "/secrets/zz-local.toml", atomically: true, encoding: .utf8)
    let scan = try Self.scan(repo, rules: folder)
    #expect(!scan.findings.contains { $0.rule == "github-pat" })
    #expect(scan.findings.contains { $0.rule == "gitlab-pat" })

    try "[[rules]]\nid = \"broken\"\ntitle = \"x\"\nseverity = \"high\"\nkeywords = [\"zz\"]\npattern = '''(unclosed'''\n"
      .write(toFile: folder + "/secrets/zz-local.toml", atomically: true, encoding: .utf8)
    #expect {
      _ = try Self.scan(repo, rules: folder)
    } throws: { error in
      guard let error = error as? ScanError, case let .rules(rule) = error else { return false }
      return rule.file.contains("zz-local.toml") && rule.rule == "broken" && "\(rule)".contains("rule 'broken'")
    }
  }

  /// The fingerprints' key comes from the root of the tip's first-parent line (git is the oracle): a
  /// history merged in with its own root does not change it, so baselines made before the merge still
  /// match. It is a hash of that root's tree, which no report prints; the former key (the root commit
  /// id, which reports do print) only gives the former ids an old baseline holds.
  @Test func fingerprintKeyIsTheMainLineRoot() throws {
    let script = """
      at 2024-01-01T10:00:00+0000
      put app.py "TOKEN = 1\\n"
      commit "Main root"
      git checkout -q --orphan vendored
      git rm -q -r -f .
      at 2023-01-01T10:00:00+0000
      put lib/util.py "X = 1\\n"
      commit "Other root, older"
      git checkout -q main
      at 2024-02-01T10:00:00+0000
      GIT_AUTHOR_DATE="$FIXTURE_DATE" GIT_COMMITTER_DATE="$FIXTURE_DATE" git merge -q --no-edit --allow-unrelated-histories -m "Merge vendored" vendored
      at 2024-03-01T10:00:00+0000
      put app.py "TOKEN = 2\\n"
      commit "Later"
      """
    let repo = try Fixture.build(script: script, name: "secrets-two-roots")
    let scan = try Self.scan(repo)
    let root = try Self.mainLineRoot(repo)
    #expect(SecretsReport.fingerprintKey(scan.context) == (try Self.expectedKey(repo)))
    let former = SecretsReport.formerFingerprintKey(scan.context.history, head: scan.context.repository.head)
    #expect(former.map { String(format: "%02x", $0) }.joined() == root)
    let roots = try Fixture.git(["rev-list", "--max-parents=0", "HEAD"], in: repo).split(separator: "\n")
    #expect(roots.count == 2)
  }

  /// Rewriting every commit, the root included (`git rebase --root` under another committer: new ids,
  /// same trees), keeps every printed fingerprint and finding id, so a baseline still matches. The
  /// root commit id, the former key, changes.
  @Test func fingerprintsSurviveARewriteOfTheRoot() throws {
    let password = try ExampleText.expand("$[an:10#root]7$[an:6#root]")
    let script = """
      at 2024-01-01T10:00:00+0000
      put app.py "print(1)\\n"
      commit "Root"
      at 2024-01-02T10:00:00+0000
      put config/prod.env "DB_PASSWORD=\(password)\\n"
      commit "Add settings"
      at 2024-01-03T10:00:00+0000
      put app.py "print(2)\\n"
      commit "Later"
      """
    let repo = try Fixture.build(script: script, name: "secrets-rewrite-root")
    let before = try Self.scan(repo)
    let rootBefore = try Self.mainLineRoot(repo)
    let rewrite = try Fixture.run("/usr/bin/git", ["-c", "user.name=Other", "-c", "user.email=other@example.com", "rebase", "-q", "--root", "--force-rebase"],
                                  in: repo, environment: ["GIT_COMMITTER_DATE": "2024-02-01T10:00:00+0000", "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1"])
    #expect(rewrite.status == 0, "\(rewrite.stderr)")
    #expect(try Self.mainLineRoot(repo) != rootBefore, "the root commit was rewritten")
    let after = try Self.scan(repo)
    let ids = { (scan: ScanResult) in scan.findings.map(\.id).sorted() }
    let prints = { (scan: ScanResult) in scan.findings.compactMap { $0.evidenceJSON["fingerprint"]?.stringValue }.sorted() }
    #expect(!before.findings.isEmpty)
    #expect(ids(after) == ids(before))
    #expect(prints(after) == prints(before))
    #expect(Self.finding(after, rule: "env-password", secret: password) != nil || Self.finding(after, rule: "generic-password", secret: password) != nil)
  }

  /// A baseline written before the key changed holds ids under the former key (the root commit id):
  /// it still accepts those findings, and the scan counts them so the user can be told to rewrite it.
  @Test func baselineOfTheFormerKeyStillAccepts() throws {
    let repo = try Self.repository.get()
    let token = try Self.secrets(repo)["github-live"]!
    let rootID = try #require(ObjectID(hex: try Self.mainLineRoot(repo)))
    let formerPrint = Redaction.keyed(Redaction.fingerprint(rule: "github-pat", secret: Array(token.utf8)), key: rootID.bytes)
    let formerID = Finding(analyzer: "secrets", rule: "github-pat", key: formerPrint, severity: .critical, title: "", message: "").id
    let scan = try Scanner(analyzers: [SecretsAnalyzer()]).scan(ScanOptions(path: repo, workers: 2, baseline: [formerID]))
    let f = try #require(Self.finding(scan, rule: "github-pat", secret: token))
    #expect(f.id != formerID, "the id is under the new key")
    #expect(f.evidenceJSON["fingerprint"]?.stringValue != formerPrint)
    #expect(scan.isSuppressed(f))
    #expect(scan.findings.filter { scan.isSuppressed($0) }.count == 1)
    #expect(scan.acceptedByFormerID == 1)
    // Under the current id, nothing is counted as accepted by a former one.
    let current = try Scanner(analyzers: [SecretsAnalyzer()]).scan(ScanOptions(path: repo, workers: 2, baseline: [f.id]))
    #expect(current.findings.contains { $0.id == f.id && current.isSuppressed($0) })
    #expect(current.acceptedByFormerID == 0)
  }

  @Test func emptyRepositoryHasNoFindings() throws {
    let repo = try Fixture.build(script: "", name: "secrets-empty")
    let scan = try Self.scan(repo)
    #expect(scan.findings.isEmpty)
    let metrics = try #require(scan.results.first?.result.metrics)
    #expect(metrics["findings"] == 0)
    #expect(metrics["oldestUnrotated"] == .null)
  }

  /// Workers keep fingerprints, previews, commit indexes and places: never the secret itself.
  @Test func historyTallyHoldsNoSecret() throws {
    let rules = try RuleSet.load()
    let observer = SecretsObserver(matcher: try SecretsAnalyzer.matcher(rules), options: ScanOptions(path: "."),
                                   classifier: try PathClassifier(rules: rules))
    let token = "ghp_" + "Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0eG7u"
    let a = observer.makeVisitor(), b = observer.makeVisitor()
    func feed(_ visitor: any AddedLineVisitor, _ commit: Int, _ path: String, _ text: String, line: Int = 1) {
      Array(path.utf8).withUnsafeBufferPointer { p in
        Array(text.utf8).withUnsafeBufferPointer { c in visitor.addedLines(commit: commit, path: p, firstLine: line, content: c, file: c) }
      }
    }
    feed(a, 3, "a.env", "TOKEN=\(token)\n", line: 7)
    feed(a, 3, "b.env", "x\nTOKEN=\(token)")
    feed(b, 9, "old/a.env", "TOKEN=\(token)", line: 2)
    let tally = observer.tally()
    #expect(!String(reflecting: tally).contains(String(token.dropFirst(4))))
    let sighting = try #require(tally.secrets[Redaction.fingerprint(rule: "github-pat", secret: Array(token.utf8))])
    #expect(sighting.additions == 3)
    #expect(sighting.commitCount == 2)
    #expect(sighting.firstPlaces.keys.sorted() == [3, 9])
    #expect(tally.paths[sighting.firstPlaces[3]!.path] == Array("a.env".utf8))
    #expect(sighting.firstPlaces[3]!.line == 7)
    #expect(tally.paths[sighting.firstPlaces[9]!.path] == Array("old/a.env".utf8))
  }
}
