import FixtureSupport
import Foundation
import Testing

/// Every bad input gets one line on stderr and its own documented exit code, never a crash.
@Suite struct BadInputTests {
  func expectOneLineError(_ out: Fixture.Output, code: Int32, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(out.status == code, "exit \(out.status): \(out.stderr)", sourceLocation: sourceLocation)
    let lines = out.stderr.split(separator: "\n")
    #expect(lines.count == 1, "one line: \(out.stderr)", sourceLocation: sourceLocation)
    #expect(out.stderr.hasPrefix("salvage: "), sourceLocation: sourceLocation)
    #expect(out.stderr.contains(text), "\(out.stderr)", sourceLocation: sourceLocation)
    #expect(out.stdout.isEmpty, sourceLocation: sourceLocation)
  }

  @Test func noSuchPath() throws {
    expectOneLineError(try Fixture.salvage(["scan", "/nonexistent/salvage-e2e"]), code: 2, mentioning: "/nonexistent/salvage-e2e")
  }

  @Test func notARepository() throws {
    let folder = try Fixture.temporaryFolder("plain")
    expectOneLineError(try Fixture.salvage(["scan", folder]), code: 3, mentioning: "not a git repository")
  }

  @Test func unknownRevision() throws {
    let repo = try Fixture.build("basic")
    expectOneLineError(try Fixture.salvage(["scan", repo, "--rev", "no-such-thing"]), code: 4, mentioning: "no-such-thing")
  }

  @Test func corruptObjectIsNamed() throws {
    let repo = try Fixture.build("basic")
    // Corrupt the loose object of a blob that history has to read.
    let blob = try Fixture.git(["rev-parse", "HEAD~5:src/app.py"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    let file = "\(repo)/.git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))"
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
    try Data("this is not zlib".utf8).write(to: URL(fileURLWithPath: file))
    let out = try Fixture.salvage(["scan", repo])
    expectOneLineError(out, code: 5, mentioning: "unreadable object")
    #expect(out.stderr.range(of: "[0-9a-f]{40}", options: .regularExpression) != nil, "names the commit or object: \(out.stderr)")
  }

  /// A blob missing from the object store (a blobless clone, a damaged copy) does not stop the scan: it
  /// is listed, with every commit and file that needed it, as a limitation; `--strict` makes it exit 5.
  @Test func missingBlobIsALimitationUnlessStrict() throws {
    let repo = try Fixture.build("basic")
    let blob = try Fixture.git(["rev-parse", "HEAD:README.md"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    try FileManager.default.removeItem(atPath: "\(repo)/.git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))")
    // git's own answer: the commits whose diff adds or removes the blob, and the tip, whose tree holds it.
    let head = try Fixture.git(["rev-parse", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    let needing = try Fixture.git(["log", "--format=%H", "--no-renames", "--find-object=\(blob)"], in: repo)
      .split(separator: "\n").map(String.init)
    #expect(!needing.isEmpty)

    let out = try Fixture.salvage(["scan", repo, "--format", "json", "--now", "2025-01-01"])
    #expect(out.status == 0, "\(out.stderr)")
    #expect(out.stderr.isEmpty, "\(out.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    let repository = try #require(doc["repository"] as? [String: Any])
    let listed = try #require(repository["missingBlobs"] as? [[String: String]])
    #expect(repository["missingBlobCount"] as? Int == listed.count)
    #expect(Set(listed.map { $0["blob"] }) == [blob])
    #expect(Set(listed.map { $0["path"] }) == ["README.md"])
    #expect(Set(listed.compactMap { $0["commit"] }) == Set(needing + [head]))

    let text = try Fixture.salvage(["scan", repo, "--format", "text", "--now", "2025-01-01"])
    #expect(text.status == 0)
    let firstLines = text.stdout.split(separator: "\n").prefix(2).joined(separator: "\n")
    #expect(firstLines.contains("missing: see the limitations"), "\(firstLines)")
    #expect(text.stdout.contains("Limitations of this scan"))
    #expect(text.stdout.contains("README.md"))

    let strict = try Fixture.salvage(["scan", repo, "--strict"])
    expectOneLineError(strict, code: 5, mentioning: "unreadable object")
  }

  /// With `--renames` (and line tracking, which follows them) a missing blob is a limitation too: the
  /// commit that deletes one file and adds the missing one is diffed without a rename pair (the blob
  /// cannot be compared), and only `--strict` fails.
  @Test(arguments: [["--renames"], ["--renames", "--lines"]])
  func missingBlobWithRenamesIsALimitationUnlessStrict(flags: [String]) throws {
    let repo = try Fixture.build(script: """
      lines docs/guide.txt 40 guide
      lines src/tool.py 30 code
      commit "start"
      at 2024-01-02T12:00:00+0000
      remove docs/guide.txt
      lines docs/manual.txt 40 manual
      commit "the guide becomes a manual"
      at 2024-01-03T12:00:00+0000
      git mv src/tool.py src/cli.py
      commit "rename the tool"
      """, name: "missing-rename")
    let blob = try Fixture.git(["rev-parse", "HEAD:docs/manual.txt"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
    try FileManager.default.removeItem(atPath: "\(repo)/.git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))")
    let out = try Fixture.salvage(["scan", repo, "--format", "json", "--now", "2025-01-01", "--no-cache"] + flags)
    #expect(out.status == 0, "\(out.stderr)")
    #expect(out.stderr.isEmpty, "\(out.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    let repository = try #require(doc["repository"] as? [String: Any])
    let listed = try #require(repository["missingBlobs"] as? [[String: String]])
    #expect(Set(listed.map { $0["blob"] }) == [blob])
    #expect(Set(listed.map { $0["path"] }) == ["docs/manual.txt"])
    expectOneLineError(try Fixture.salvage(["scan", repo, "--strict", "--no-cache"] + flags), code: 5, mentioning: "unreadable object")
  }

  @Test func unwritableOutput() throws {
    let repo = try Fixture.build("basic")
    expectOneLineError(try Fixture.salvage(["scan", repo, "--output", "/nonexistent/dir/report.json"]), code: 6, mentioning: "cannot write")
    let folder = try Fixture.temporaryFolder("outdir")
    expectOneLineError(try Fixture.salvage(["scan", repo, "--output", folder]), code: 6, mentioning: "cannot write")
  }

  @Test func badRules() throws {
    let repo = try Fixture.build("basic")
    let rules = try Fixture.temporaryFolder("rules")
    try "[[class]\nname = ".write(toFile: rules + "/classify.toml", atomically: true, encoding: .utf8)
    expectOneLineError(try Fixture.salvage(["scan", repo, "--rules", rules]), code: 7, mentioning: "classify.toml:1")
  }

  /// A rule file no analyzer reads (a misnamed file, a secret rule outside `secrets/`) is an error,
  /// not a folder of rules silently ignored; a new file of secret rules in `secrets/` is read.
  @Test(arguments: ["secrets.toml", "hotspot.toml", "extra/classify.toml"])
  func ruleFilesNothingReads(name: String) throws {
    let repo = try Fixture.build("basic")
    let rules = try Fixture.temporaryFolder("rules")
    try FileManager.default.createDirectory(atPath: rules + "/extra", withIntermediateDirectories: true)
    try "[score]\n".write(toFile: rules + "/" + name, atomically: true, encoding: .utf8)
    expectOneLineError(try Fixture.salvage(["scan", repo, "--rules", rules]), code: 7, mentioning: "\(name)")
    try FileManager.default.removeItem(atPath: rules + "/" + name)
    try FileManager.default.createDirectory(atPath: rules + "/secrets", withIntermediateDirectories: true)
    try "[[rules]]\nid = \"local\"\n".write(toFile: rules + "/secrets/local.toml", atomically: true, encoding: .utf8)
    expectOneLineError(try Fixture.salvage(["scan", repo, "--rules", rules]), code: 7, mentioning: "secrets/local.toml")
  }

  /// Rules are compiled strictly before any history is read: a value out of range or of the wrong type
  /// is exit 7 naming the file, the line and the key, never an overflow or a silent default.
  @Test(arguments: [
    ("hotspots.toml", "window_days = 0", "window_days = 9223372036854775807", "`score.window_days`"),
    ("tests.toml", "stale_days = 90", "stale_days = \"soon\"", "`counting.stale_days`"),
    ("dependencies.toml", "large_share = 0.2", "large_share = 3", "`vendoring.large_share`"),
  ])
  func badRuleValues(file: String, line: String, replacement: String, key: String) throws {
    let repo = try Fixture.build("basic")
    let rules = try Fixture.temporaryFolder("rules")
    let builtin = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("rules/" + file)
    let lines = try String(contentsOf: builtin, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let at = try #require(lines.firstIndex(of: line))
    var changed = lines
    changed[at] = replacement
    try changed.joined(separator: "\n").write(toFile: rules + "/" + file, atomically: true, encoding: .utf8)
    expectOneLineError(try Fixture.salvage(["scan", repo, "--rules", rules]), code: 7, mentioning: "\(file):\(at + 1): \(key)")
  }

  /// ArgumentParser's errors were three or four lines (error, help, usage).
  @Test(arguments: [["scan", "--bogus"], ["scan", "--workers", "abc"], ["scan", "--format"], ["scan", "x", "y", "z"]])
  func usageErrorsAreOneLine(arguments: [String]) throws {
    expectOneLineError(try Fixture.salvage(arguments), code: 64, mentioning: arguments.last!)
  }

  /// A token pasted into `.salvage.toml` as a key must not reach the error (a CI log) whole, nor an
  /// escape sequence the terminal.
  @Test func configurationKeysAreShownRedactedAndWithoutControls() throws {
    let token = "ghp_" + "Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0eG7u"
    let repo = try Fixture.build(script: """
      at 2024-01-01T10:00:00+0000; as "Ada <ada@example.com>"
      printf '%s = 1\\n' '\(token)' > .salvage.toml
      git add .salvage.toml
      commit "token as a key"
      """)
    let out = try Fixture.salvage(["scan", repo])
    expectOneLineError(out, code: 7, mentioning: "ghp_…(40 characters): unknown key")
    #expect(!out.stderr.contains(token.dropFirst(4).prefix(8)))
    try "\"a\\u001b[31mb\u{202E}c\" = 1\n".write(toFile: repo + "/.salvage.toml", atomically: true, encoding: .utf8)
    try Fixture.git(["-c", "user.name=N", "-c", "user.email=n@example.com", "commit", "-qam", "escape"], in: repo)
    let escaped = try Fixture.salvage(["scan", repo])
    expectOneLineError(escaped, code: 7, mentioning: "a?[31mb?c: unknown key")
    #expect(!escaped.stderr.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x202e })
  }

  @Test func badOptions() throws {
    let repo = try Fixture.build("basic")
    expectOneLineError(try Fixture.salvage(["scan", repo, "--format", "pdf"]), code: 64, mentioning: "pdf")
    expectOneLineError(try Fixture.salvage(["scan", repo, "--since", "yesterday"]), code: 64, mentioning: "yesterday")
  }
}
