import Analyzers
import FixtureSupport
import SalvageCore
import Testing

@Suite struct TestsConventionTests {
  static let scan = Result { try Scan.runFull("tests-conventions", TestsAnalyzer()) }

  @Test func countsByConvention() throws {
    let m = try Self.scan.get().metrics
    // 18 test files and 17 production files of one line each; the Python fixture data, build files and
    // the README are neither.
    #expect(m["testFiles"] == 18)
    #expect(m["testLines"] == 18)
    #expect(m["productionFiles"] == 17)
    #expect(m["productionLines"] == 17)
    #expect(m["testRatio"] == .number(18.0 / 17.0))
    let go = m["languages"]?.arrayValue?.first { $0["language"] == "Go" }
    #expect(go?["testFiles"] == 1, "only *_test.go: go/test/helper.go and latest.go are production code")
    #expect(go?["productionFiles"] == 3)
  }

  @Test func buildFilesDeclareTestFolders() throws {
    let m = try Self.scan.get().metrics
    let declared = m["declaredTestFolders"]?.arrayValue?.compactMap { $0["path"]?.stringValue }
    #expect(declared == ["dotnet/Verify/", "ios/AppChecks/", "php/checks/", "swift/Checks/CoreChecks/", "swift/Tests/KitTests/"])
  }

  @Test func frameworksFromImportsAndPackages() throws {
    let m = try Self.scan.get().metrics
    let names = Set(m["frameworks"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
    for expected in ["Go testing", "pytest", "unittest", "Vitest", "JUnit 5", "XCTest", "Swift Testing", "RSpec", "PHPUnit", "xUnit.net",
                     "Rust built-in tests", "ExUnit", "Dart test", "GoogleTest"] {
      #expect(names.contains(expected), "\(expected)")
    }
    let xunit = m["frameworks"]?.arrayValue?.first { $0["name"] == "xUnit.net" }
    #expect(xunit?["evidence"] == ["package xunit in dotnet/Verify/Verify.csproj", "used in 1 test file"])
  }

  @Test func perComponentRatio() throws {
    let components = try Self.scan.get().components
    #expect(components["go"] == ["testFiles": 1, "testLines": 1, "productionFiles": 3, "productionLines": 3, "testRatio": .number(1.0 / 3.0)])
  }
}
