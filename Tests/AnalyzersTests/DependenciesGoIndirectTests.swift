import Analyzers
import SalvageCore
import Testing

/// go.mod's `// indirect` requirements are listed apart and never counted as direct (fixture
/// deps-go-indirect.sh; the figures are counted by hand from its text).
@Suite struct DependenciesGoIndirectTests {
  static let scan = Result { try Scan.run("deps-go-indirect") }

  func manifest(_ path: String) throws -> JSONValue {
    try #require(try Self.scan.get().metrics["manifests"]?.arrayValue?.first { $0["path"]?.stringValue == path }, "\(path)")
  }

  @Test func directAndIndirectPerManifest() throws {
    let root = try manifest("go.mod")
    #expect(root["direct"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
      == ["github.com/spf13/cobra", "github.com/stretchr/testify", "golang.org/x/sync"])
    #expect(root["indirect"]?.intValue == 6)
    #expect(root["indirectDependencies"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [
      "github.com/davecgh/go-spew", "github.com/inconshreveable/mousetrap", "github.com/pmezard/go-difflib",
      "github.com/spf13/pflag", "golang.org/x/text", "gopkg.in/yaml.v3",
    ])
    #expect(root["indirectDependencies"]?.arrayValue?.first?["requirement"]?.stringValue == "v1.1.1")
    #expect(root["resolved"]?.intValue == 4)
    let tools = try manifest("tools/go.mod")
    #expect(tools["direct"]?.arrayValue?.count == 1)
    #expect(tools["indirect"]?.intValue == 2)
  }

  @Test func totalsAndFindingsCountDirectOnly() throws {
    let (metrics, findings) = try Self.scan.get()
    #expect(metrics["totals"]?["direct"]?.intValue == 4)
    #expect(metrics["totals"]?["resolved"]?.intValue == 6)
    #expect(metrics["totals"]?["transitiveAmplification"]?.doubleValue == 1.5)
    let go = metrics["ecosystems"]?.arrayValue?.first { $0["ecosystem"]?.stringValue == "Go" }
    #expect(go?["direct"]?.intValue == 4)
    let several = findings.filter { $0.rule == "several-versions" }.map(\.title)
    #expect(several == ["golang.org/x/sync is used at 2 versions"])
  }
}
