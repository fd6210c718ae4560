import FixtureSupport
import Foundation
import Testing

/// Repositories crafted to make a scan hang, crash or run away: each must end, quickly, with a report or
/// with its one-line error and documented exit code. Every run has a deadline; a hang fails the test.
/// The deadline catches a hang, not a slow run: the slowest scan here (deeply nested YAML) takes about
/// 7 s in a debug build alone, and more than 10 s inside a full suite on two loaded cores.
@Suite struct HostileRepositoryTests {
  static let deadline = 60.0

  func expectOneLineError(_ out: Fixture.Output, code: Int32, mentioning texts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(out.status == code, "exit \(out.status): \(out.stderr)", sourceLocation: sourceLocation)
    #expect(out.stderr.split(separator: "\n").count == 1, "one line: \(out.stderr)", sourceLocation: sourceLocation)
    #expect(out.stderr.hasPrefix("salvage: "), sourceLocation: sourceLocation)
    for text in texts { #expect(out.stderr.contains(text), "\(text) in \(out.stderr)", sourceLocation: sourceLocation) }
  }

  /// The loose object file of `id`, made writable.
  func looseFile(_ id: String, in repo: String) throws -> String {
    let file = "\(repo)/.git/objects/\(id.prefix(2))/\(id.dropFirst(2))"
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
    return file
  }

  func rev(_ name: String, in repo: String) throws -> String {
    try Fixture.git(["rev-parse", name], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// An interrupted write leaves the first bytes of an object's zlib stream: libgit2 1.5 loops forever
  /// inflating it, so loose objects are read by our own bounded inflate.
  @Test(arguments: ["HEAD:README.md", "HEAD~5:src/app.py", "HEAD^{tree}", "HEAD~3"])
  func truncatedLooseObjectIsNamed(object: String) throws {
    let repo = try Fixture.build("basic")
    let id = try rev(object, in: repo)
    let file = try looseFile(id, in: repo)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
    try bytes.prefix(min(40, bytes.count - 4)).write(to: URL(fileURLWithPath: file))
    let out = try Fixture.salvage(["scan", repo, "--no-cache"], timeout: Self.deadline)
    expectOneLineError(out, code: 5, mentioning: ["unreadable object", id])
  }

  /// A tip tree that inflates but does not parse names the tree (it was exit 8, "failed to parse tree").
  @Test func corruptTipTreeIsNamed() throws {
    let repo = try Fixture.build("basic")
    let tree = try rev("HEAD^{tree}", in: repo)
    let file = try looseFile(tree, in: repo)
    let body = Data("100644 a.txt\0abc".utf8)
    let compressed = try zlib(Data("tree \(body.count)\0".utf8) + body)
    try compressed.write(to: URL(fileURLWithPath: file))
    let out = try Fixture.salvage(["scan", repo, "--no-cache"], timeout: Self.deadline)
    expectOneLineError(out, code: 5, mentioning: ["unreadable object", tree])
  }

  /// A backtracking glob took over 20 s on one 251-byte name; globs come from `.salvage.toml`'s
  /// `exclude` and `[components]` and from `--exclude`.
  @Test func pathologicalGlobsEndQuickly() throws {
    let name = String(repeating: "a", count: 250) + "b"
    let glob = "*a*a*a*a*a*a*a*a*a*ac*b"
    let repo = try Fixture.build(script: """
      at 2024-01-01T10:00:00+0000; as "Ada <ada@example.com>"
      lines src/\(name) 3
      lines lib/\(name)/\(name) 3
      put .salvage.toml 'exclude = ["\(glob)"]\n[components]\napi = ["\(glob)", "src/**/\(glob)"]\n'
      commit "one"
      """)
    let clock = ContinuousClock()
    var out: Fixture.Output?
    let elapsed = try clock.measure {
      out = try Fixture.salvage(["scan", repo, "--no-cache", "--format", "json", "--exclude", glob, "--exclude", "**/" + glob],
                                timeout: Self.deadline)
    }
    #expect(out?.status == 0, "\(out?.stderr ?? "")")
    #expect(elapsed < .seconds(Self.deadline))
  }

  /// A regular expression of `.salvage.toml` that backtracks exponentially ran 37 s on 20 tags; every
  /// match now stops at PCRE2's work limit, counts as no match and is reported on stderr.
  @Test func backtrackingVersionPatternEndsQuickly() throws {
    let repo = try Fixture.build(script: #"""
      at 2024-01-01T10:00:00+0000; as "Ada <ada@example.com>"
      put .salvage.toml '[thresholds."cadence.toml".releases]\nversion_pattern = '"'"'^(a+)+$'"'"'\n'
      commit "one"
      for i in $(seq 20); do tag "$(printf 'a%.0s' $(seq $((28 + i))))!$i"; done
      """#)
    let clock = ContinuousClock()
    var out: Fixture.Output?
    let elapsed = try clock.measure {
      out = try Fixture.salvage(["scan", repo, "--no-cache", "--format", "json"], timeout: Self.deadline)
    }
    #expect(out?.status == 0, "\(out?.stderr ?? "")")
    #expect(out?.stderr.contains("salvage: note: 20 regular-expression matches stopped") == true, "\(out?.stderr ?? "")")
    #expect(elapsed < .seconds(Self.deadline))
    // The count is in the JSON and in the report's limitations, not only on stderr.
    let data = try #require(out).data
    let repository = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])["repository"] as? [String: Any]
    #expect(repository?["regexLimitHits"] as? Int == 20)
    #expect(repository?["clampedDates"] == nil)
    let markdown = try Fixture.salvage(["scan", repo, "--no-cache", "--format", "md"], timeout: Self.deadline)
    #expect(markdown.stdout.contains("20 regular-expression matches of the rules or .salvage.toml stopped at PCRE2's work limit"), "\(markdown.stdout)")
  }

  /// A FIFO (or a link) where a cache file should be blocked the scan on `open()`: a cache file is read
  /// only when it is a regular file, else it is no cache, and the scan's save puts a file back.
  @Test func fifoInPlaceOfACacheFileDoesNotBlock() throws {
    let repo = try Fixture.build("basic")
    let cache = try Fixture.temporaryFolder("cache")
    let environment = ["SALVAGE_CACHE_DIR": cache]
    let cold = try Fixture.salvage(["scan", repo, "--format", "json"], environment: environment, timeout: Self.deadline)
    #expect(cold.status == 0)
    let files = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".cache") || $0.hasSuffix(".bin") }
    #expect(files.count >= 3, "\(files)")
    for file in files {
      try FileManager.default.removeItem(atPath: cache + "/" + file)
      #expect(mkfifo(cache + "/" + file, 0o644) == 0)
    }
    let warm = try Fixture.salvage(["scan", repo, "--format", "json"], environment: environment, timeout: Self.deadline)
    #expect(warm.status == 0, "exit \(warm.status): \(warm.stderr)")
    #expect(warm.data == cold.data)
    var info = stat()
    for file in files {
      #expect(lstat(cache + "/" + file, &info) == 0 && info.st_mode & S_IFMT == S_IFREG, "\(file) is a file again")
    }
  }

  /// A commit dated 99999999999999 made one weekly entry per week up to then (6.6 GB asked of the
  /// allocator, then a crash); year 9999 a 93 MB report. Times more than a year past the tip's (the
  /// scan's "now") are clamped, counted and reported on stderr.
  @Test func farFutureCommitDatesAreClamped() throws {
    let repo = try Fixture.build(script: #"""
      at 2024-01-01T10:00:00+0000; as "Ada <ada@example.com>"
      lines a.txt 3
      commit "one"
      for date in 99999999999999 253402300799; do
        body=$(printf 'tree %s\nparent %s\nauthor A <a@example.com> %s +0000\ncommitter A <a@example.com> %s +0000\n\nfuture\n' \
          "$(git rev-parse HEAD^{tree})" "$(git rev-parse HEAD)" "$date" "$date")
        git update-ref HEAD "$(printf '%s' "$body" | git hash-object -t commit -w --stdin --literally)"
      done
      at 2024-01-03T10:00:00+0000
      lines a.txt 4
      commit "after"
      """#)
    let clock = ContinuousClock()
    var out: Fixture.Output?
    let elapsed = try clock.measure {
      out = try Fixture.salvage(["scan", repo, "--no-cache", "--format", "json"], timeout: Self.deadline)
    }
    let result = try #require(out)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("salvage: note: 2 commit or tag dates"), "\(result.stderr)")
    #expect(result.stdout.contains(#""lastCommit": "2025-01-02T10:00:00Z""#))
    #expect(result.data.count < 1 << 20, "\(result.data.count) bytes")
    #expect(elapsed < .seconds(Self.deadline))
    // Counted in the JSON and listed among the report's limitations.
    let repository = try #require(try JSONSerialization.jsonObject(with: result.data) as? [String: Any])["repository"] as? [String: Any]
    #expect(repository?["clampedDates"] as? Int == 2)
    #expect(repository?["regexLimitHits"] == nil)
    let text = try Fixture.salvage(["scan", repo, "--no-cache", "--format", "text"], timeout: Self.deadline)
    #expect(text.stdout.contains("2 commit or tag dates before 1970 or more than a year past the scan's date were moved"), "\(text.stdout)")
  }

  /// A `pom.xml` or `.csproj` nested 50,000 deep overflowed the stack (the element tree was freed one
  /// deinit inside the other): deeper than 256 the manifest is unreadable, reported as malformed.
  @Test func deeplyNestedManifestsAreMalformedNotACrash() throws {
    let repo = try Fixture.build(script: #"""
      at 2024-01-01T10:00:00+0000; as "Ada <ada@example.com>"
      open=$(printf '<a>%.0s' $(seq 50000)); close=$(printf '</a>%.0s' $(seq 50000))
      mkdir -p java dotnet
      printf '<project>%s%s</project>\n' "$open" "$close" > java/pom.xml
      printf '<Project>%s%s</Project>\n' "$open" "$close" > dotnet/app.csproj
      git add -A
      commit "deep"
      """#)
    let out = try Fixture.salvage(["scan", repo, "--no-cache", "--format", "json"], timeout: Self.deadline)
    #expect(out.status == 0, "exit \(out.status): \(out.stderr.prefix(300))")
    #expect(out.stdout.components(separatedBy: "elements nested more than 256 deep").count - 1 >= 2)
  }

  /// 20,000 trees nested one in the other overflowed a history worker's stack (exit 139): the tree
  /// walks stop at `RawCursor.maximumDepth` (1,024) with the error naming the tree, and a tree just
  /// within it is scanned whole.
  @Test func deepTreesAreAnErrorNotACrash() throws {
    let repo = try Fixture.build(script: #"""
      at 2024-01-01T10:00:00+0000; as "Ada <ada@example.com>"
      python3 - <<'PY'
      import hashlib, os, subprocess, zlib
      def put(kind, body):
          data = b"%s %d\0" % (kind, len(body)) + body
          oid = hashlib.sha1(data).hexdigest()
          os.makedirs(".git/objects/" + oid[:2], exist_ok=True)
          with open(".git/objects/%s/%s" % (oid[:2], oid[2:]), "wb") as f:
              f.write(zlib.compress(data))
          return oid
      def nest(levels):
          tree = put(b"tree", b"100644 app.py\0" + bytes.fromhex(put(b"blob", b"print(1)\n")))
          for _ in range(levels - 1):
              tree = put(b"tree", b"40000 d\0" + bytes.fromhex(tree))
          return tree
      env = dict(os.environ)
      ok = subprocess.check_output(["git", "commit-tree", nest(1024), "-m", "deep"], env=env, text=True).strip()
      bad = subprocess.check_output(["git", "commit-tree", nest(20000), "-p", ok, "-m", "deeper"], env=env, text=True).strip()
      subprocess.check_call(["git", "update-ref", "refs/heads/main", bad])
      subprocess.check_call(["git", "update-ref", "refs/heads/ok", ok])
      PY
      git symbolic-ref HEAD refs/heads/main
      """#)
    let out = try Fixture.salvage(["scan", repo, "--no-cache", "--format", "json"], timeout: Self.deadline)
    expectOneLineError(out, code: 5, mentioning: ["nests deeper than 1024 levels"])
    let ok = try Fixture.salvage(["scan", repo, "--rev", "ok", "--no-cache", "--format", "json"], timeout: Self.deadline)
    #expect(ok.status == 0, "exit \(ok.status): \(ok.stderr.prefix(300))")
    #expect(ok.stdout.contains(String(repeating: "d/", count: 1023) + "app.py"))
  }

  /// A `.salvage.toml` or a rule file of its `[rules] extra` folder committed as a symbolic link (to
  /// `/etc/passwd`, to itself): its blob is the path it names, which was read as TOML. Salvage follows
  /// no link (none can loop or leave the tree): exit 7 naming the file.
  @Test(arguments: [("/etc/passwd", ".salvage.toml"), ("x.toml", "r/secrets/x.toml")])
  func symbolicLinksInTheConfigurationAreRefused(target: String, file: String) throws {
    let repo = try Fixture.build(script: """
      at 2024-01-01T10:00:00+0000; as "Ada <ada@example.com>"
      lines src/app.py 3
      \(file == ".salvage.toml" ? "" : "put .salvage.toml '[rules]\\nextra = \"r\"\\n'")
      mkdir -p r/secrets
      ln -s '\(target)' '\(file)'
      git add -A
      commit "one"
      """)
    let out = try Fixture.salvage(["scan", repo, "--no-cache"], timeout: Self.deadline)
    expectOneLineError(out, code: 7, mentioning: ["\(file): is a symbolic link"])
  }

  /// YAML nested 30,000 deep on one line (`- - - … y`, 60 KB), in a workflow and in a pubspec,
  /// overflowed the analyzer thread's stack inside LineYAML's recursion (exit 139): deeper than 100
  /// levels the file is unreadable, reported as malformed.
  @Test func deeplyNestedYAMLIsMalformedNotACrash() throws {
    let repo = try Fixture.build(script: #"""
      at 2024-01-01T10:00:00+0000; as "Ada <ada@example.com>"
      mkdir -p .github/workflows
      deep=$(printf -- '- %.0s' $(seq 30000))
      printf '%sy\n' "$deep" > .github/workflows/ci.yml
      printf 'name: lib\ndependencies:\n  %sy\n' "$deep" > pubspec.yaml
      git add -A
      commit "deep"
      """#)
    let out = try Fixture.salvage(["scan", repo, "--no-cache", "--format", "json"], timeout: Self.deadline)
    #expect(out.status == 0, "exit \(out.status): \(out.stderr.prefix(300))")
    #expect(out.stdout.contains("pubspec.yaml line 3: invalid YAML: collections nested more than 100 deep"), "\(out.stdout.prefix(2000))")
    #expect(out.stdout.contains(".github/workflows/ci.yml line 1: invalid YAML: collections nested more than 100 deep"))
  }

  /// Numbers laid over the rules by `.salvage.toml` feed their arithmetic: `window_days` at Int64.max
  /// trapped on overflow with a 90-line backtrace. Out of range is a configuration error naming the key.
  @Test(arguments: [
    ("cadence.toml\".fixes", "window_days = 9223372036854775807", "out of range"),
    ("hotspots.toml\".score", "window_days = 9223372036854775807", "out of range"),
    ("cadence.toml\".fixes", "min_commits = -5", "must not be negative"),
    ("cadence.toml\".fixes", "rise = nan", "finite"),
    ("cadence.toml\".fixes", "rise = -inf", "finite"),
  ])
  func extremeNumbersInTheConfigurationAreErrors(table: String, line: String, problem: String) throws {
    let repo = try Fixture.build(script: """
      at 2024-01-01T10:00:00+0000; as "Ada <ada@example.com>"
      printf '[thresholds."\(table)]\\n\(line)\\n' > .salvage.toml
      git add .salvage.toml
      commit "one"
      """)
    let out = try Fixture.salvage(["scan", repo, "--no-cache"], timeout: Self.deadline)
    let key = line.split(separator: " ")[0]
    expectOneLineError(out, code: 7, mentioning: [".salvage.toml:2", "\(key)", problem])
  }

  /// The bytes as one zlib stream (git's loose-object format).
  func zlib(_ data: Data) throws -> Data {
    let folder = try Fixture.temporaryFolder("zlib")
    try data.write(to: URL(fileURLWithPath: folder + "/in"))
    let out = try Fixture.run("/bin/sh", ["-c", "python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.compress(open(\"in\", \"rb\").read()))'"],
                              in: folder)
    guard out.status == 0 else { throw Fixture.Failure(description: out.stderr) }
    return out.data
  }
}
