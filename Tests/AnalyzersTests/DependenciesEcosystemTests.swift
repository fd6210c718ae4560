import Analyzers
import FixtureSupport
import SalvageCore
import Testing

/// Scans a fixture with the real scanner and returns the analyzer's object and findings.
enum Scan {
  static func run(_ fixture: String, _ analyzers: [any Analyzer] = [DependenciesAnalyzer()]) throws -> (metrics: JSONValue, findings: [Finding]) {
    let repo = try Fixture.build(fixture)
    let result = try SalvageCore.Scanner(analyzers: analyzers).scan(ScanOptions(path: repo))
    return (result.results[0].result.metrics, result.findings)
  }

  static func runFull(_ fixture: String, _ analyzer: any Analyzer) throws -> AnalyzerResult {
    let repo = try Fixture.build(fixture)
    return try SalvageCore.Scanner(analyzers: [analyzer]).scan(ScanOptions(path: repo)).results[0].result
  }
}

struct Direct: Equatable, CustomStringConvertible {
  let name: String, requirement: String, pinned: Bool, scope: String
  init(_ name: String, _ requirement: String, _ pinned: Bool, _ scope: String = "runtime") {
    self.name = name; self.requirement = requirement; self.pinned = pinned; self.scope = scope
  }
  var description: String { "\(name) \(requirement) \(pinned ? "pinned" : "unpinned") \(scope)" }
}

@Suite struct DependenciesEcosystemTests {
  static let scan = Result { try Scan.run("deps-ecosystems") }

  func manifest(_ path: String) throws -> JSONValue {
    let metrics = try Self.scan.get().metrics
    return try #require(metrics["manifests"]?.arrayValue?.first { $0["path"]?.stringValue == path }, "no manifest \(path)")
  }

  func direct(_ m: JSONValue) -> [Direct] {
    (m["direct"]?.arrayValue ?? []).map {
      Direct($0["name"]!.stringValue!, $0["requirement"]!.stringValue!, $0["pinned"]!.boolValue!, $0["scope"]!.stringValue!)
    }
  }

  // Expected parses worked out from the fixture text (direct requirements sorted by name).
  static let cases: [(path: String, ecosystem: String, lockfile: String?, direct: [Direct], resolved: Int)] = [
    ("npm/package.json", "npm", "npm/package-lock.json",
     [Direct("jest", "~29.7.0", false, "dev"), Direct("left-pad", "1.3.0", true), Direct("lib", "file:../lib", true), Direct("react", "^18.2.0", false)], 5),
    ("yarn/package.json", "npm", "yarn/yarn.lock", [Direct("@babel/core", "7.24.0", true), Direct("lodash", "^4.17.21", false)], 2),
    ("pnpm/package.json", "npm", "pnpm/pnpm-lock.yaml", [Direct("express", "^4.18.2", false)], 3),
    ("bun/package.json", "npm", "bun/bun.lock", [Direct("hono", "^4.0.0", false)], 1),
    ("python-pip/requirements.txt", "PyPI", nil,
     [Direct("flask", ">=2.0,<3", false), Direct("numpy", "", false), Direct("requests", "==2.31.0", true),
      Direct("tool", "git+https://github.com/org/tool.git@main#egg=tool", false)], 0),
    ("python-pip/requirements-dev.txt", "PyPI", nil, [Direct("pytest", "==8.0.0", true)], 0),
    ("python-pipenv/Pipfile", "PyPI", "python-pipenv/Pipfile.lock",
     [Direct("celery", "*", false), Direct("django", "==4.2.7", true), Direct("pytest", ">=7", false, "dev")], 4),
    ("python-poetry/pyproject.toml", "PyPI", "python-poetry/poetry.lock",
     [Direct("httpx", "^0.26.0", false), Direct("pydantic", "2.5.3", true), Direct("pytest", "^7.4", false, "dev")], 4),
    ("python-uv/pyproject.toml", "PyPI", "python-uv/uv.lock",
     [Direct("rich", ">=13", false), Direct("ruff", "", false, "dev"), Direct("typer", "==0.9.0", true)], 2),
    ("python-pdm/pyproject.toml", "PyPI", "python-pdm/pdm.lock", [Direct("attrs", "~=23.1", false)], 1),
    ("go/go.mod", "Go", "go/go.sum",
     [Direct("github.com/gin-gonic/gin", "v1.9.1", true), Direct("github.com/google/uuid", "v1.6.0", true)], 3),
    ("rust/Cargo.toml", "crates.io", "rust/Cargo.lock",
     [Direct("clap", "=4.4.18", true), Direct("mylib", "../mylib", true), Direct("rand", "https://github.com/rust-random/rand#master", false),
      Direct("serde", "1.0", false), Direct("tempfile", "3", false, "dev")], 3),
    ("maven/pom.xml", "Maven", nil,
     [Direct("com.fasterxml.jackson.core:jackson-databind", "2.16.1", true), Direct("org.junit.jupiter:junit-jupiter", "[5.0,6.0)", false, "test"),
      Direct("org.slf4j:slf4j-api", "managed", true)], 0),
    ("gradle/build.gradle.kts", "Maven", "gradle/gradle.lockfile",
     [Direct("com.google.guava:guava", "33.+", false), Direct("com.squareup.okhttp3:okhttp", "4.12.0", true), Direct("junit:junit", "4.13.2", true, "test")], 4),
    ("ruby/Gemfile", "RubyGems", "ruby/Gemfile.lock",
     [Direct("devise", "https://github.com/heartcombo/devise", false), Direct("pg", "1.5.4", true), Direct("rails", "~> 7.1.0", false),
      Direct("rspec-rails", "", false, "dev")], 5),
    ("php/composer.json", "Packagist", "php/composer.lock",
     [Direct("guzzlehttp/guzzle", "^7.8", false), Direct("monolog/monolog", "3.5.0", true), Direct("phpunit/phpunit", "^10.5", false, "dev")], 4),
    ("dotnet/App/App.csproj", "NuGet", "dotnet/App/packages.lock.json",
     [Direct("Dapper", "2.1.28", true), Direct("Newtonsoft.Json", "13.0.3", true), Direct("Serilog", "3.*", false)], 3),
    ("dotnet/Legacy/packages.config", "NuGet", nil, [Direct("EntityFramework", "6.4.4", true), Direct("log4net", "2.0.15", true)], 2),
    ("swiftpm/Package.swift", "SwiftPM", "swiftpm/Package.resolved",
     [Direct("Local", "../Local", true), Direct("swift-log", "from 1.5.0", false), Direct("swift-snapshot-testing", "exact 1.15.0", true),
      Direct("vapor", "branch main", false)], 3),
    ("xcode/App.xcodeproj/project.pbxproj", "SwiftPM", "xcode/App.xcodeproj/project.xcworkspace/xcshareddata/swiftpm/Package.resolved",
     [Direct("Alamofire", "from 5.8.0", false)], 1),
    ("cocoapods/Podfile", "CocoaPods", "cocoapods/Podfile.lock",
     [Direct("Internal", "../Internal", true), Direct("Kingfisher", "~> 7.0", false), Direct("Quick", "", false, "test"), Direct("SnapKit", "5.6.0", true)], 5),
    ("carthage/Cartfile", "Carthage", "carthage/Cartfile.resolved",
     [Direct("Lib", "\"develop\"", false), Direct("Nimble", "== 13.0.0", true), Direct("RxSwift", "~> 6.0", false)], 3),
    ("dart/pubspec.yaml", "Pub", "dart/pubspec.lock",
     [Direct("flutter", "sdk flutter", true), Direct("flutter_test", "sdk flutter", true, "dev"), Direct("http", "^1.1.0", false),
      Direct("provider", "6.1.1", true), Direct("shared", "https://github.com/org/shared.git", false)], 3),
    ("elixir/mix.exs", "Hex", "elixir/mix.lock",
     [Direct("credo", "~> 1.7", false, "dev"), Direct("jason", "1.4.1", true), Direct("phoenix", "~> 1.7.10", false),
      Direct("shared", "https://github.com/org/shared.git", false)], 4),
    ("conan/conanfile.txt", "ConanCenter", "conan/conan.lock",
     [Direct("boost", "[>=1.80 <1.84]", false), Direct("cmake", "3.28.1", true, "build"), Direct("zlib", "1.3", true)], 3),
    ("vcpkg/vcpkg.json", "vcpkg", nil,
     [Direct("fmt", "baseline 0123456789ab", true), Direct("spdlog", ">=1.12.0 baseline 0123456789ab", true)], 0),
  ]

  @Test(arguments: cases.indices)
  func parsesManifestAndLockfile(_ index: Int) throws {
    let c = Self.cases[index]
    let m = try manifest(c.path)
    #expect(m["ecosystem"]?.stringValue == c.ecosystem, "\(c.path)")
    #expect(m["lockfile"] == (c.lockfile.map(JSONValue.string) ?? .null), "\(c.path)")
    #expect(direct(m) == c.direct, "\(c.path)")
    #expect(m["resolved"]?.intValue == c.resolved, "\(c.path)")
    #expect(m["error"] == .null, "\(c.path)")
    // Only go.mod records requirements for its dependencies' sake (golang.org/x/net // indirect).
    #expect(m["indirect"]?.intValue == (c.path == "go/go.mod" ? 1 : 0), "\(c.path)")
  }

  @Test func everyEcosystemIsListed() throws {
    let names = try Self.scan.get().metrics["ecosystems"]?.arrayValue?.compactMap { $0["ecosystem"]?.stringValue }
    #expect(names == ["Carthage", "CocoaPods", "ConanCenter", "Go", "Hex", "Maven", "NuGet", "Packagist", "Pub", "PyPI", "RubyGems", "SwiftPM", "crates.io", "npm", "vcpkg"])
  }

  @Test func lockfileOfEachFamilyIsCounted() throws {
    let locks = try Self.scan.get().metrics["lockfiles"]?.arrayValue ?? []
    let bun = try #require(locks.first { $0["path"]?.stringValue == "bun/bun.lock" })
    #expect(bun["family"]?.stringValue == "bun")
    #expect(bun["readable"]?.boolValue == true)
    #expect(locks.count == 21)
  }
}
