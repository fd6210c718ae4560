import FixtureSupport
import Foundation
import Testing

/// `salvage scan --base`: only what the change introduces, in the formats CI systems read.
@Suite struct CIModeTests {
  static func findings(_ out: Fixture.Output) throws -> [[String: Any]] {
    let doc = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    return try #require(doc["findings"] as? [[String: Any]])
  }

  static func path(_ f: [String: Any]) -> String? { (f["location"] as? [String: Any])?["path"] as? String }

  @Test func onlyWhatTheBranchIntroduces() throws {
    let repo = try Fixture.build("ci-branch")
    let out = try Fixture.salvage(["scan", repo, "--base", "main", "--format", "json"])
    #expect(out.status == 0, "\(out.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    let change = try #require(doc["change"] as? [String: Any])
    let branchCommits = try Fixture.git(["rev-list", "main..feature"], in: repo).split(separator: "\n").map(String.init)
    #expect(Set(change["commits"] as? [String] ?? []) == Set(branchCommits))
    #expect(change["mergeBase"] as? String == (try Fixture.git(["merge-base", "main", "feature"], in: repo)).trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(Set(change["files"] as? [String] ?? []) == ["src/payment.py", "package.json"])
    let findings = try Self.findings(out)
    let untested = findings.filter { $0["rule"] as? String == "untested-change" }.compactMap(Self.path)
    #expect(untested == ["src/payment.py"], "legacy.py is untested too, but it is not the branch's")
    #expect(findings.contains { $0["rule"] as? String == "dependency-change" && Self.path($0) == "package.json" })
    #expect(!findings.contains { Self.path($0) == "src/legacy.py" || Self.path($0) == "src/app.py" })
    // Every reported finding stands in a changed file or comes from a branch commit.
    for f in findings {
      let location = f["location"] as? [String: Any]
      let inChange = (location?["path"] as? String).map { ["src/payment.py", "package.json"].contains($0) } ?? false
      let fromBranch = (location?["commit"] as? String).map { branchCommits.contains($0) } ?? false
      #expect(inChange || fromBranch, "\(f)")
    }
  }

  @Test func failOnSetsTheExitCode() throws {
    let repo = try Fixture.build("ci-branch")
    let medium = try Fixture.salvage(["scan", repo, "--base", "main", "--fail-on", "medium", "--analyzers", "inventory,change"])
    #expect(medium.status == 1, "a medium finding at --fail-on medium: exit 1")
    let critical = try Fixture.salvage(["scan", repo, "--base", "main", "--fail-on", "critical", "--analyzers", "inventory,change"])
    #expect(critical.status == 0)
    let bad = try Fixture.salvage(["scan", repo, "--fail-on", "severe"])
    #expect(bad.status == 64)
  }

  @Test func baselineSuppressesExactlyItsFingerprints() throws {
    let repo = try Fixture.build("ci-branch")
    let folder = try Fixture.temporaryFolder("baseline")
    let file = folder + "/baseline.json"
    // Accept what the branch's first commit brings; its second commit's findings must still count.
    try Fixture.git(["checkout", "-q", "feature~1"], in: repo)
    let made = try Fixture.salvage(["baseline", repo, "--base", "main", "--output", file])
    #expect(made.status == 0, "\(made.stderr)")
    try Fixture.git(["checkout", "-q", "feature"], in: repo)
    let baseline = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
    let accepted = Set((baseline["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
    #expect(!accepted.isEmpty)

    let found = try Self.findings(try Fixture.salvage(["scan", repo, "--base", "main", "--format", "json", "--baseline", file]))
    for f in found {
      let id = f["id"] as? String ?? ""
      #expect((f["suppressed"] as? Bool) == accepted.contains(id), "\(id)")
    }
    #expect(found.contains { $0["suppressed"] as? Bool == true && Self.path($0) == "src/payment.py" })
    #expect(found.contains { $0["suppressed"] as? Bool == false && Self.path($0) == "package.json" })

    // Accepting everything on the branch silences --fail-on.
    let all = folder + "/all.json"
    #expect(try Fixture.salvage(["baseline", repo, "--base", "main", "--output", all]).status == 0)
    let quiet = try Fixture.salvage(["scan", repo, "--base", "main", "--fail-on", "low", "--baseline", all])
    #expect(quiet.status == 0, "\(quiet.stdout)")
    // The fingerprints survive a rebase: same content, new commit ids.
    // (Dated like the rest of the fixture, so the rebase itself opens no gap in the history.)
    let rebase = try Fixture.run("/usr/bin/git", ["-c", "user.name=R", "-c", "user.email=r@example.com", "rebase", "-q", "main"], in: repo,
                                 environment: ["GIT_COMMITTER_DATE": "2024-03-06T10:00:00+0000", "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1"])
    #expect(rebase.status == 0, "\(rebase.stderr)")
    let rebased = try Fixture.salvage(["scan", repo, "--base", "main", "--fail-on", "low", "--baseline", all])
    #expect(rebased.status == 0, "\(rebased.stdout)")
    let loud = try Fixture.salvage(["scan", repo, "--base", "main", "--fail-on", "low"])
    #expect(loud.status == 1)
  }

  @Test func sarifValidatesAgainstTheOASISSchema() throws {
    let repo = try Fixture.build("ci-branch")
    let folder = try Fixture.temporaryFolder("sarif")
    let file = folder + "/first.json"
    try Fixture.git(["checkout", "-q", "feature~1"], in: repo)
    #expect(try Fixture.salvage(["baseline", repo, "--base", "main", "--output", file]).status == 0)
    try Fixture.git(["checkout", "-q", "feature"], in: repo)
    let out = try Fixture.salvage(["scan", repo, "--base", "main", "--format", "sarif", "--baseline", file])
    #expect(out.status == 0, "\(out.stderr)")
    // The OASIS schema, kept in the repository (schema/SARIF-SCHEMA-NOTICE.md says where it comes from).
    let schema = Fixture.root.appendingPathComponent("schema/sarif-schema-2.1.0.json").path
    try #require(FileManager.default.fileExists(atPath: schema), "the OASIS schema is in the repository")
    let sarifFile = folder + "/report.sarif"
    try out.data.write(to: URL(fileURLWithPath: sarifFile))
    let check = try Fixture.run("/usr/bin/env", ["python3", Fixture.root.appendingPathComponent("scripts/validate-json.py").path, schema, sarifFile])
    #expect(check.status == 0, "\(check.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    let run = try #require((doc["runs"] as? [[String: Any]])?.first)
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.count >= 2)
    for r in results {
      #expect((r["partialFingerprints"] as? [String: String])?["salvageFindingId/v1"] != nil)
      let location = ((r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
      #expect((location?["artifactLocation"] as? [String: Any])?["uri"] as? String != nil)
    }
    #expect(results.contains { $0["suppressions"] != nil }, "accepted findings stay in SARIF as suppressed")
    #expect(results.contains { $0["suppressions"] == nil })
    let rules = try #require((run["tool"] as? [String: Any]).flatMap { $0["driver"] as? [String: Any] }?["rules"] as? [[String: Any]])
    #expect(rules.allSatisfy { $0["shortDescription"] != nil && $0["fullDescription"] != nil && $0["help"] != nil })
  }

  @Test func githubAnnotationsAndPlainLines() throws {
    let repo = try Fixture.build("ci-branch")
    let summary = try Fixture.temporaryFolder("summary") + "/summary.md"
    let out = try Fixture.run(Fixture.salvage, ["scan", repo, "--base", "main", "--format", "github"], environment: ["GITHUB_STEP_SUMMARY": summary])
    #expect(out.status == 0)
    let lines = out.stdout.split(separator: "\n")
    #expect(lines.contains { $0.hasPrefix("::warning file=src/payment.py,line=1,title=") })
    #expect(lines.allSatisfy { $0.hasPrefix("::") })
    let md = try String(contentsOfFile: summary, encoding: .utf8)
    #expect(md.contains("## Salvage") && md.contains("src/payment.py"))
    let plain = try Fixture.salvage(["scan", repo, "--base", "main", "--format", "ci"])
    #expect(plain.stdout.contains("src/payment.py:1: medium: Production code changed without tests [change/untested-change]"))
  }

  @Test func repositoryConfiguration() throws {
    let repo = try Fixture.build("ci-branch")
    // A bad key is an error that names it.
    try "exclude = [\"vendor/\"]\nfial-on = \"high\"\n".write(toFile: repo + "/.salvage.toml", atomically: true, encoding: .utf8)
    try Fixture.git(["add", ".salvage.toml"], in: repo)
    try Fixture.git(["-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-qm", "config"], in: repo)
    let bad = try Fixture.salvage(["scan", repo])
    #expect(bad.status == 7)
    #expect(bad.stderr.contains("fial-on") && bad.stderr.contains(".salvage.toml:2"), "\(bad.stderr)")
    // A good one: exclusions, a disabled rule, fail-on and components all apply.
    try """
      exclude = ["src/legacy.py"]
      fail-on = "medium"
      [components]
      money = ["src/payment.py"]
      [rules]
      disabled = ["change.dependency-change"]
      """.write(toFile: repo + "/.salvage.toml", atomically: true, encoding: .utf8)
    try Fixture.git(["add", ".salvage.toml"], in: repo)
    try Fixture.git(["-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-qm", "config"], in: repo)
    let out = try Fixture.salvage(["scan", repo, "--base", "main", "--format", "json"])
    #expect(out.status == 1, "fail-on from the configuration")
    let doc = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    let findings = try #require(doc["findings"] as? [[String: Any]])
    #expect(!findings.contains { $0["rule"] as? String == "dependency-change" })
    let files = (((doc["analyzers"] as? [String: Any])?["inventory"] as? [String: Any])?["files"] as? [[String: Any]]) ?? []
    #expect(!files.contains { $0["path"] as? String == "src/legacy.py" })
    let components = (doc["components"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
    #expect(components.contains("money"))
    let ignored = try Fixture.salvage(["scan", repo, "--base", "main", "--no-config"])
    #expect(ignored.status == 0)
  }

  @Test func annotationEscaping() throws {
    let repo = try Fixture.build(script: """
      put "src/a,b:c%.py" "x = 1\\n"
      commit one
      git checkout -q -b topic
      at 2024-01-02T00:00:00+0000
      put "src/a,b:c%.py" "x = 1\\ny = 2\\n"
      commit two
      """)
    let out = try Fixture.salvage(["scan", repo, "--base", "main", "--format", "github"])
    #expect(out.stdout.contains("file=src/a%2Cb%3Ac%25.py,line=1"), "\(out.stdout)")
  }
}
