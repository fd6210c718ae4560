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
}
