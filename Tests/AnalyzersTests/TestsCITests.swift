import Analyzers
import FixtureSupport
import SalvageCore
import Testing

@Suite struct TestsCITests {
  @Test func detectsCI() throws {
    let (m, findings) = try Scan.run("tests-ci", [TestsAnalyzer()])
    let ci = m["ci"]?.arrayValue ?? []
    let rows = ci.map { c in
      "\(c["path"]!.stringValue!) | \(c["system"]!.stringValue!) | \(c["testCommands"]!.arrayValue!.compactMap(\.stringValue)) | \(c["runsTestsOnPullRequests"]!)"
    }
    #expect(rows == [
      ".github/workflows/ci.yml | GitHub Actions | [\"go test\"] | bool(true)",
      ".github/workflows/nightly.yml | GitHub Actions | [\"go test\"] | bool(false)",
      ".github/workflows/pr.yml | GitHub Actions | [\"pytest\"] | bool(true)",
      ".github/workflows/reusable.yml | GitHub Actions | [\"pytest\"] | bool(false)",
      ".gitlab-ci.yml | GitLab CI | [\"npm test\"] | bool(true)",
      "Jenkinsfile | Jenkins | [\"mvn -B verify\"] | null",
    ])
    #expect(!findings.contains { $0.rule == "ci-no-tests-on-pull-requests" || $0.rule == "no-ci" })
  }

  @Test func pushOnly() throws {
    let (m, findings) = try Scan.run("tests-ci-push-only", [TestsAnalyzer()])
    #expect(m["ci"]?.arrayValue?.first?["runsTests"] == true)
    #expect(m["ci"]?.arrayValue?.first?["runsTestsOnPullRequests"] == false)
    let finding = try #require(findings.first { $0.rule == "ci-no-tests-on-pull-requests" })
    #expect(finding.message.contains("not on pull requests (triggered by push, not by pull requests)"), "\(finding.message)")
  }
}
