import FixtureSupport
import Foundation
import Testing

/// The built `salvage` binary on fixture repositories: output, exit codes, and the promises of the
/// README (read-only, deterministic, valid against the published schema).
@Suite struct ScanCommandTests {
  static func json(_ output: Fixture.Output) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: output.data) as? [String: Any])
  }

  static func validate(_ data: Data) throws -> Fixture.Output {
    let file = try Fixture.temporaryFolder("schema") + "/report.json"
    try data.write(to: URL(fileURLWithPath: file))
    return try Fixture.run("/usr/bin/env", ["python3", Fixture.root.appendingPathComponent("scripts/validate-json.py").path,
                                            Fixture.root.appendingPathComponent("schema/salvage-report.schema.json").path, file])
  }

  @Test func jsonIsValidAndDeterministic() throws {
    let repo = try Fixture.build("basic")
    let first = try Fixture.salvage(["scan", repo, "--format", "json"])
    #expect(first.status == 0, "\(first.stderr)")
    let second = try Fixture.salvage(["scan", repo, "--format", "json", "--workers", "1"])
    #expect(first.data == second.data, "same repository, same options: same bytes")
    let check = try Self.validate(first.data)
    #expect(check.status == 0, "schema: \(check.stderr)")
    // The document starts with the schema version.
    #expect(first.stdout.hasPrefix("{\n  \"schemaVersion\": \"1."))
  }

  @Test func repositoryAndInventoryFiguresEqualGit() throws {
    let repo = try Fixture.build("basic")
    let out = try Fixture.salvage(["scan", repo, "--format", "json"])
    let doc = try Self.json(out)
    let repository = try #require(doc["repository"] as? [String: Any])
    let head = try Fixture.git(["rev-parse", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(repository["head"] as? String == head)
    #expect(repository["branch"] as? String == "main")
    #expect(repository["commitCount"] as? Int == Int(try Fixture.git(["rev-list", "--count", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(repository["shallow"] as? Bool == false)
    let inventory = try #require((doc["analyzers"] as? [String: Any])?["inventory"] as? [String: Any])
    // Authors after .mailmap: Ada's old address folds into her current one.
    let authors = Set(try Fixture.git(["log", "--use-mailmap", "--format=%aE"], in: repo).split(separator: "\n").map { $0.lowercased() })
    #expect(inventory["authors"] as? Int == authors.count)
    #expect(authors.count == 2)
    #expect(inventory["mergeCommits"] as? Int == 1)
    let files = try #require(inventory["files"] as? [[String: Any]])
    let tree = try Fixture.git(["ls-files"], in: repo).split(separator: "\n").map(String.init)
    #expect(files.count == tree.count)
    // Per-file totals against git log --numstat for each path.
    for path in ["src/app.py", "README.md", "link.md", "src/util.py"] {
      let entry = try #require(files.first { $0["path"] as? String == path })
      let numstat = try Fixture.git(["log", "--numstat", "--no-renames", "--format=", "--", path], in: repo)
        .split(separator: "\n").map { $0.split(separator: "\t") }
      #expect(entry["revisions"] as? Int == numstat.count, "\(path) revisions")
      #expect(entry["added"] as? Int == numstat.reduce(0) { $0 + (Int($1[0]) ?? 0) }, "\(path) added")
      #expect(entry["deleted"] as? Int == numstat.reduce(0) { $0 + (Int($1[1]) ?? 0) }, "\(path) deleted")
      let gitAuthors = Set(try Fixture.git(["log", "--use-mailmap", "--no-merges", "--format=%aE", "--", path], in: repo).split(separator: "\n"))
      #expect(entry["authors"] as? Int == gitAuthors.count, "\(path) authors")
      let last = try Fixture.git(["log", "-1", "--no-merges", "--format=%ct", "--", path], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
      #expect((entry["lastChanged"] as? String).map(iso) == Int(last), "\(path) lastChanged")
    }
    let logo = try #require(files.first { $0["path"] as? String == "assets/logo.png" })
    #expect(logo["class"] as? String == "binary")
    #expect(files.contains { $0["path"] as? String == "\"docs/caf\\351.txt\"" }, "non-UTF-8 path printed git-quoted")
  }

  /// Seconds since 1970 of an ISO 8601 UTC time.
  func iso(_ text: String) -> Int {
    let f = ISO8601DateFormatter()
    return Int(f.date(from: text)!.timeIntervalSince1970)
  }

  @Test func scanDoesNotWriteToTheRepository() throws {
    let repo = try Fixture.build("basic")
    let before = try Self.digest(repo + "/.git")
    let out = try Fixture.salvage(["scan", repo, "--format", "json", "--renames"])
    #expect(out.status == 0)
    #expect(try Self.digest(repo + "/.git") == before, ".git is byte-identical after a scan")
  }

  /// Every file under a folder with its bytes and mode.
  static func digest(_ folder: String) throws -> [String: Data] {
    var out: [String: Data] = [:]
    let fm = FileManager.default
    for case let path as String in fm.enumerator(atPath: folder)! {
      let full = folder + "/" + path
      var isDir: ObjCBool = false
      _ = fm.fileExists(atPath: full, isDirectory: &isDir)
      let attributes = try fm.attributesOfItem(atPath: full)
      let mode = "\(attributes[.posixPermissions] ?? 0) \(attributes[.modificationDate] ?? "")"
      out[path] = isDir.boolValue ? Data(mode.utf8) : (try Data(contentsOf: URL(fileURLWithPath: full)) + Data(mode.utf8))
    }
    return out
  }

  @Test func emptyRepositoryAndUnbornHead() throws {
    let empty = try Fixture.build(script: "")
    let out = try Fixture.salvage(["scan", empty, "--format", "json"])
    #expect(out.status == 0, "\(out.stderr)")
    let repository = try #require(try Self.json(out)["repository"] as? [String: Any])
    #expect(repository["empty"] as? Bool == true)
    #expect(repository["commitCount"] as? Int == 0)
    #expect(try Self.validate(out.data).status == 0)
    let text = try Fixture.salvage(["scan", empty])
    #expect(text.status == 0 && text.stdout.contains("No history"))
    // A repository with commits whose HEAD names a branch that does not exist yet.
    let unborn = try Fixture.build(script: "put a 1; commit one; git symbolic-ref HEAD refs/heads/nothing-yet")
    let u = try Fixture.salvage(["scan", unborn, "--format", "json"])
    #expect(u.status == 0)
    #expect((try Self.json(u)["repository"] as? [String: Any])?["empty"] as? Bool == true)
  }

  @Test func shallowCloneIsScannedAndSaysSo() throws {
    let repo = try Fixture.build("basic")
    let folder = try Fixture.temporaryFolder("shallow")
    try Fixture.git(["clone", "-q", "--depth", "4", "file://" + repo, folder + "/s"], in: folder)
    let out = try Fixture.salvage(["scan", folder + "/s", "--format", "json"])
    #expect(out.status == 0, "\(out.stderr)")
    let doc = try Self.json(out)
    let repository = try #require(doc["repository"] as? [String: Any])
    #expect(repository["shallow"] as? Bool == true)
    let count = Int(try Fixture.git(["rev-list", "--count", "HEAD"], in: folder + "/s").trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(repository["commitCount"] as? Int == count)
    let findings = try #require(doc["findings"] as? [[String: Any]])
    #expect(findings.contains { $0["rule"] as? String == "shallow-history" })
    let text = try Fixture.salvage(["scan", folder + "/s"])
    #expect(text.stdout.contains("shallow clone"))
  }

  @Test func bareRepositoryAndRevision() throws {
    let repo = try Fixture.build("basic")
    let folder = try Fixture.temporaryFolder("bare")
    try Fixture.git(["clone", "-q", "--bare", repo, folder + "/b.git"], in: folder)
    let out = try Fixture.salvage(["scan", folder + "/b.git", "--format", "json", "--rev", "HEAD~3"])
    #expect(out.status == 0, "\(out.stderr)")
    let repository = try #require(try Self.json(out)["repository"] as? [String: Any])
    #expect(repository["bare"] as? Bool == true)
    let expected = try Fixture.git(["rev-parse", "HEAD~3"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(repository["head"] as? String == expected)
    #expect(repository["commitCount"] as? Int == Int(try Fixture.git(["rev-list", "--count", "HEAD~3"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)))
  }

  @Test func excludeAndSince() throws {
    let repo = try Fixture.build("basic")
    let out = try Fixture.salvage(["scan", repo, "--format", "json", "--exclude", "src/", "--since", "2024-01-05"])
    #expect(out.status == 0, "\(out.stderr)")
    let doc = try Self.json(out)
    let files = try #require(((doc["analyzers"] as? [String: Any])?["inventory"] as? [String: Any])?["files"] as? [[String: Any]])
    #expect(!files.contains { ($0["path"] as? String)?.hasPrefix("src/") == true })
    let since = try Fixture.git(["rev-list", "--count", "--since=2024-01-05T00:00:00Z", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect((doc["repository"] as? [String: Any])?["commitCount"] as? Int == Int(since))
  }

  @Test func multipleFormatsWriteOneFileEach() throws {
    let repo = try Fixture.build("basic")
    let folder = try Fixture.temporaryFolder("out")
    let out = try Fixture.salvage(["scan", repo, "--format", "json,text", "--output", folder + "/report"])
    #expect(out.status == 0, "\(out.stderr)")
    #expect(FileManager.default.fileExists(atPath: folder + "/report.json"))
    #expect(FileManager.default.fileExists(atPath: folder + "/report.txt"))
  }
}
