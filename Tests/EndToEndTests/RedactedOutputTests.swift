import FixtureSupport
import Foundation
import Testing

/// A repository that plants one credential in every place repository text reaches a report (a
/// dependency's git URL, a requirements line, the branch, a file name, the author's name and e-mail, a
/// commit subject) and control and bidi characters in a folder name: no output of any format, nor
/// stderr, nor the job summary, holds the credential or a raw control or bidi character.
@Suite struct RedactedOutputTests {
  /// A structurally valid GitHub token (its CRC32 checks).
  static let token = "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"
  /// An AWS secret access key shape, made at test time.
  static let awsSecret = "wJalrXUtnFEMI/K7MDENG/" + String("q8Zk2LmP1xR4tY7uW0".reversed())

  @Test func noOutputHoldsAPlantedCredentialOrARawControl() throws {
    let t = Self.token
    #expect(Self.awsSecret.count == 40)
    let repo = try Fixture.build(script: """
      git symbolic-ref HEAD refs/heads/release-\(t)
      at 2024-01-01T10:00:00+0000; as "Ada \(t) <ada.\(t)@example.com>"
      put package.json '{"name": "app", "dependencies": {"lib": "git+https://\(t):x-oauth-basic@github.com/org/lib.git", "evil\\\\u001b[31m\\\\u0007\\\\r\\\\u202ename": "1.0.0"}}\\n'
      put requirements.txt 'requests==2.31.0\\nAWS_SECRET_ACCESS_KEY=\(Self.awsSecret)\\n'
      lines src/app.py 40
      put "docs/\(t).md" 'notes\\n'
      put "keys-\(t)/prod.env" 'DEBUG=1\\n'
      put $'svc\\e[31m\\a\\r\\xe2\\x80\\xae/config.env' 'GITHUB_TOKEN=\(t)\\n'
      commit "deploy with \(t)"
      append src/app.py "more"
      commit "fix: rotate AWS_SECRET_ACCESS_KEY=\(Self.awsSecret)"
      """)
    let folder = try Fixture.temporaryFolder("redacted-out")
    let base = folder + "/report"
    let summary = folder + "/summary.md"
    let out = try Fixture.salvage(["scan", repo, "--no-cache", "--format", "json,sarif,html,md,text,github,ci", "--output", base],
                                  environment: ["GITHUB_STEP_SUMMARY": summary], timeout: 60)
    #expect(out.status == 0, "\(out.stderr)")
    var outputs = ["stdout (annotations)": out.stdout, "stderr": out.stderr]
    for ext in ["json", "sarif", "html", "md", "txt", "ci.txt"] {
      outputs[ext] = try String(contentsOfFile: "\(base).\(ext)", encoding: .utf8)
    }
    outputs["job summary"] = try String(contentsOfFile: summary, encoding: .utf8)
    let baseline = try Fixture.salvage(["baseline", repo, "--no-cache", "--output", folder + "/baseline.json"], timeout: 60)
    #expect(baseline.status == 0, "\(baseline.stderr)")
    outputs["baseline"] = try String(contentsOfFile: folder + "/baseline.json", encoding: .utf8)
    outputs["baseline stderr"] = baseline.stderr
    for (name, text) in outputs {
      #expect(!text.contains(t.suffix(20)), "\(name) holds the token")
      #expect(!text.contains(Self.awsSecret.suffix(20)), "\(name) holds the AWS secret")
      for bad in ["\u{1B}", "\u{07}", "\r", "\u{202E}"] {
        #expect(!text.unicodeScalars.contains { String($0) == bad }, "\(name) holds U+\(String(bad.unicodeScalars.first!.value, radix: 16))")
      }
    }
    // The places were reported, redacted: the test is not passing on outputs that left them out.
    let json = outputs["json"] ?? ""
    #expect(json.contains("ghp_…(40 chars)"), "the JSON report names the token's place, redacted")
    // The folder's name is git-quoted, its bidi character escaped (JSON) or shown as `\u{…}`.
    #expect(json.contains(#"\"svc\\033[31m\\007\\015\u202e/config.env\""#), "the folder, escaped")
    #expect(json.contains(#""requirement": "=wJa…(41 chars)""#), "the requirement of the secret-named line, hidden")
    let ci = outputs["ci.txt"] ?? ""
    #expect(ci.contains(#""svc\033[31m\007\015\u{202E}/config.env":1: medium:"#), "\(ci)")
    #expect(outputs["stdout (annotations)"]?.contains(#"file="svc\033[31m\007\015\u{202E}/config.env",line=1"#) == true)
    #expect(outputs["txt"]?.contains("release-ghp_…(40 chars)") == true, "\(outputs["txt"] ?? "")")
  }

  /// A secret rule of the repository's own (a `[rules] extra` folder of `.salvage.toml`) redacts its
  /// token wherever it appears, not only where the secrets analyzer looks: a token of a shape no built-in
  /// rule or credential shape knows, planted in a file name, a package name and a commit subject, is in
  /// no format whole (issue 18: redaction through the secret rules).
  @Test func aCustomSecretRuleRedactsItsTokenInEveryOutput() throws {
    let token = "zq9corp_" + String("Tm4Xw8Lp2Rk7Vb3Nc6Jd1Fh5".reversed())
    let rule = #"""
      [[rules]]
      id = "zq9corp-key"
      title = "ZQ9 Corp service key"
      severity = "high"
      keywords = ["zq9corp_"]
      pattern = '''\b(zq9corp_[A-Za-z0-9]{24})\b'''
      examples = ["ZQ9=zq9corp_$[an:24]"]
      counterexamples = ["zq9corp_short"]
      """#
    let repo = try Fixture.build(script: """
      at 2024-01-01T10:00:00+0000; as "Ada <ada@example.com>"
      mkdir -p salvage-rules/secrets
      cat > salvage-rules/secrets/zz-corp.toml <<'RULE'
      \(rule)
      RULE
      git add salvage-rules
      put .salvage.toml '[rules]\\nextra = "salvage-rules"\\n'
      put package.json '{"name": "app", "dependencies": {"\(token)": "1.0.0", "left-pad": "1.3.0"}}\\n'
      lines src/app.py 40
      put "docs/\(token).md" 'notes\\n'
      commit "one"
      lines src/big.py 2100
      commit "ship \(token) to production"
      """)
    let folder = try Fixture.temporaryFolder("custom-rule-out")
    let base = folder + "/report"
    let summary = folder + "/summary.md"
    let out = try Fixture.salvage(["scan", repo, "--no-cache", "--format", "json,sarif,html,md,text,github,ci", "--output", base],
                                  environment: ["GITHUB_STEP_SUMMARY": summary], timeout: 60)
    #expect(out.status == 0, "\(out.stderr)")
    var outputs = ["stdout (annotations)": out.stdout, "stderr": out.stderr]
    for ext in ["json", "sarif", "html", "md", "txt", "ci.txt"] {
      outputs[ext] = try String(contentsOfFile: "\(base).\(ext)", encoding: .utf8)
    }
    outputs["job summary"] = try String(contentsOfFile: summary, encoding: .utf8)
    for (name, text) in outputs {
      #expect(!text.contains(token), "\(name) holds the custom rule's token")
      #expect(!text.contains(token.suffix(16)), "\(name) holds the token's tail")
    }
    // The three places were reported, redacted (not left out): the file, the package, the subject.
    let json = outputs["json"] ?? ""
    #expect(json.contains("docs/zq9c…(32 chars).md"), "the file name, redacted")
    #expect(json.contains(#""name": "zq9c…(32 chars)""#), "the package name, redacted")
    #expect(json.contains("ship zq9c…(32 chars) to production"), "the subject (a dump commit's, quoted by cadence), redacted")
  }

  /// Markup in a file name (which a finding's title quotes) and in a grade name of `.salvage.toml`:
  /// SARIF's `help.markdown`, the job summary and the Markdown report show it as text, the terminal
  /// report shows the grade's controls as `\u{…}`.
  @Test func markupInTitlesAndGradesStaysText() throws {
    let repo = try Fixture.build(script: #"""
      at 2024-01-01T10:00:00+0000; as "Ada <ada@example.com>"
      lines 'src/[x](javascript:alert(1))<script>.py' 40
      put .salvage.toml '[[thresholds."report.toml".grades]]\ngrade = "X\\u001b[31m<img src=x>![i](http://e/x.png)\\u202e\\u0007"\nminimum = 0\nmeaning = "m"\nexamples = [0]\n'
      commit "one"
      append 'src/[x](javascript:alert(1))<script>.py' "more"
      commit "two"
      """#)
    let folder = try Fixture.temporaryFolder("markup-out")
    let base = folder + "/report"
    let summary = folder + "/summary.md"
    let out = try Fixture.salvage(["scan", repo, "--no-cache", "--format", "sarif,md,text,github", "--output", base],
                                  environment: ["GITHUB_STEP_SUMMARY": summary], timeout: 60)
    #expect(out.status == 0, "\(out.stderr)")
    let sarif = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + ".sarif"))) as? [String: Any]
    let rules = ((sarif?["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any]).flatMap { ($0["driver"] as? [String: Any])?["rules"] as? [[String: Any]] } ?? []
    let markdown = rules.compactMap { ($0["help"] as? [String: Any])?["markdown"] as? String }
    #expect(markdown.contains { $0.contains(#"src/\[x\](javascript:alert(1))&lt;script&gt;.py"#) }, "\(markdown)")
    let job = try String(contentsOfFile: summary, encoding: .utf8)
    #expect(job.contains(#"<code>src/\[x\](javascript:alert(1))&lt;script&gt;.py</code>"#), "\(job)")
    let md = try String(contentsOfFile: base + ".md", encoding: .utf8)
    #expect(md.contains(#"X\u{1B}\[31m&lt;img src=x&gt;\!\[i\](http://e/x.png)\u{202E}\u{7}"#))
    let text = try String(contentsOfFile: base + ".txt", encoding: .utf8)
    #expect(text.contains(#"grade X\u{1B}[31m<img src=x>![i](http://e/x.png)\u{202E}\u{7} ("#), "\(text)")
    for (name, output) in ["sarif markdown": markdown.joined(), "job summary": job, "md": md] {
      #expect(!output.contains("<script>") && !output.contains("<img") && !output.contains("[x](") && !output.contains("[i]("), "\(name)")
    }
    for output in [md, text, job, out.stdout] {
      #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\u{202E}" })
    }
  }

  /// An error that quotes a path or a ref quotes it redacted: exit-code lines land in public CI logs.
  @Test func errorLinesAreRedacted() throws {
    let out = try Fixture.salvage(["scan", "/nonexistent/\(Self.token)", "--no-cache"], timeout: 20)
    #expect(out.status == 2, "\(out.stderr)")
    #expect(out.stderr == "salvage: no such file or directory: /nonexistent/ghp_…(40 chars)\n")
  }
}
