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

@Suite struct TestsCIScriptsTests {
  /// Each workflow's test commands, worked out by hand from fixture tests-ci-scripts.sh.
  @Test func followsScripts() throws {
    let (m, findings) = try Scan.run("tests-ci-scripts", [TestsAnalyzer()])
    var rows: [String: ([String], JSONValue)] = [:]
    for c in m["ci"]?.arrayValue ?? [] {
      rows[c["path"]!.stringValue!] = (c["testCommands"]!.arrayValue!.compactMap(\.stringValue), c["runsTestsOnPullRequests"]!)
    }
    #expect(rows[".github/workflows/e2e.yml"]?.0 == ["npm run ci → turbo run test:e2e (packages/app-tests) → playwright test"])
    #expect(rows[".github/workflows/make.yml"]?.0 == ["make ci → make test → go test"])
    #expect(rows[".github/workflows/just.yml"]?.0 == ["just check → just test → cargo test"])
    // nx runs a project.json target, and a package.json script of the target's name as a target too.
    #expect(rows[".github/workflows/nx.yml"]?.0 == ["nx run api:test → nx executor @nx/jest:jest", "nx run-many -t test (packages/lib) → vitest"])
    #expect(rows[".github/workflows/rake.yml"]?.0 == ["rake ci → rake spec → rspec"])
    #expect(rows[".github/workflows/unit.yml"]?.0 == ["pnpm run test:unit (packages/app-tests) → vitest"])
    #expect(rows[".github/workflows/lint.yml"]?.0 == [])
    #expect(rows[".github/workflows/tox.yml"]?.0 == ["tox -e py → pytest"])
    #expect(rows[".github/workflows/action.yml"]?.0 == ["go test"], "a composite action's step")
    #expect(rows[".github/workflows/action.yml"]?.1 == true)
    #expect(rows[".github/workflows/nox.yml"]?.0 == [], "the lint session runs no tests")
    for path in ["e2e", "make", "just", "nx", "rake"] { #expect(rows[".github/workflows/\(path).yml"]?.1 == true, "\(path)") }
    #expect(rows[".github/workflows/unit.yml"]?.1 == false, "push only")
    #expect(rows[".github/workflows/lint.yml"]?.1 == false, "no test runner")
    #expect(!findings.contains { $0.rule == "ci-no-tests-on-pull-requests" })
  }

  /// An end-to-end suite in a package of its own is test code, helpers included; a library whose only
  /// script runs its unit tests is not.
  @Test func endToEndPackageIsTestCode() throws {
    let result = try Scan.runFull("tests-ci-scripts", TestsAnalyzer())
    #expect(result.metrics["declaredTestFolders"]?.arrayValue?.compactMap { $0["path"]?.stringValue } == ["packages/app-tests/"])
    let suite = result.components["packages/app-tests"]
    #expect(suite?["testLines"]?.intValue == 4)
    #expect(suite?["productionLines"]?.intValue == 0)
    #expect(result.components["packages/lib"]?["productionLines"]?.intValue == 2)
    #expect(result.components["packages/lib"]?["testLines"]?.intValue == 0)
  }

  /// A workflow on pull requests whose script runs only a lint task: still "no tests on pull requests".
  @Test func lintOnlyIsNoTests() throws {
    let (_, findings) = try Scan.run("tests-ci-scripts-lint-only", [TestsAnalyzer()])
    #expect(findings.contains { $0.rule == "ci-no-tests-on-pull-requests" })
  }
}
