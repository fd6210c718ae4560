@testable import Analyzers
import Testing

/// The pins a run of added lockfile lines shows, as the history pass hands runs over (no context).
@Suite struct LockfileLinesTests {
  func pins(_ file: String, _ run: String) -> [String] {
    let path = Array(("app/" + file).utf8)
    guard let (kind, _) = path.withUnsafeBufferPointer({ LockfileLines.kind(of: $0) }) else { return ["not a lockfile"] }
    var out: [String] = []
    Array(run.utf8).withUnsafeBufferPointer { content in
      LockfileLines.pins(kind, content) { out.append("\($0)@\($1)") }
    }
    return out
  }

  @Test func npmLockfilesNameTheVersionInTheirURLsAndKeys() {
    // A bump in package-lock.json: the version and resolved lines change, the key line does not.
    #expect(pins("package-lock.json", #"""
          "version": "4.17.21",
          "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
          "integrity": "sha512-v2kDE=",
      """#) == ["lodash@4.17.21"])
    // A package added whole (v3), a scoped one, and a lockfile v1 entry.
    #expect(pins("package-lock.json", #"""
          "node_modules/@babel/core": {
            "version": "7.1.0",
            "dev": true
          },
          "node_modules/a/node_modules/minimist": {
            "version": "0.0.8"
          },
        "dependencies": {
          "left-pad": {
            "version": "1.3.0",
      """#) == ["@babel/core@7.1.0", "minimist@0.0.8", "left-pad@1.3.0"])
    #expect(pins("package-lock.json", #"    "resolved": "https://registry.npmjs.org/@types/node/-/node-20.1.0.tgz","#) == ["@types/node@20.1.0"])
    #expect(pins("yarn.lock", #"""
      "@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
        version "7.12.13"
        resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#dcfc826beef65e75c50e21d3837d7d95798dd658"
      lodash@^4.17.20:
        version "4.17.21"
      """#) == ["@babel/code-frame@7.12.13", "@babel/code-frame@7.12.13", "lodash@4.17.21"])
    #expect(pins("yarn.lock", #"""
      "lodash@npm:^4.17.20":
        version: 4.17.21
        resolution: "lodash@npm:4.17.21"
      """#) == ["lodash@4.17.21", "lodash@4.17.21"])
    #expect(pins("pnpm-lock.yaml", """
        /lodash@4.17.20:
          resolution: {integrity: sha512-x}
        /@next/env@13.4.1(react@18.2.0):
        '@types/node@20.1.0':
        /left-pad/1.3.0:
      """) == ["lodash@4.17.20", "@next/env@13.4.1", "@types/node@20.1.0", "left-pad@1.3.0"])
  }

  /// The pins of the run `run` inside the new file `whole` (the run a slice of it, as the pass hands it over).
  func pins(_ file: String, in whole: String, run: String) -> [String] {
    let path = Array(("app/" + file).utf8)
    guard let (kind, _) = path.withUnsafeBufferPointer({ LockfileLines.kind(of: $0) }), let at = whole.range(of: run) else { return ["no run"] }
    let start = whole.utf8.distance(from: whole.startIndex, to: at.lowerBound), count = run.utf8.count
    var out: [String] = []
    Array(whole.utf8).withUnsafeBufferPointer { bytes in
      LockfileLines.pins(kind, UnsafeBufferPointer(rebasing: bytes[start..<(start + count)]), in: bytes) { out.append("\($0)@\($1)") }
    }
    return out
  }

  /// A bump that rewrites only the version line: the block's name comes from the unchanged lines above.
  @Test func aVersionLineAloneIsNamedByTheLinesAboveIt() {
    let poetry = "[[package]]\nname = \"urllib3\"\nversion = \"1.26.5\"\n\n[[package]]\nname = \"Django\"\nversion = \"3.2.2\"\ndescription = \"x\"\n"
    #expect(pins("poetry.lock", in: poetry, run: "version = \"3.2.2\"\n") == ["Django@3.2.2"])
    #expect(pins("poetry.lock", in: poetry, run: "version = \"1.26.5\"\n") == ["urllib3@1.26.5"])
    // A run whose own lines name the block is read as before; the context's pins are not the run's.
    #expect(pins("poetry.lock", in: poetry, run: "name = \"Django\"\nversion = \"3.2.2\"\n") == ["Django@3.2.2"])
    #expect(pins("poetry.lock", in: poetry, run: "description = \"x\"\n").isEmpty)
    let cargo = "[[package]]\nname = \"time\"\nversion = \"0.2.22\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"ab\"\n"
    #expect(pins("Cargo.lock", in: cargo, run: "version = \"0.2.22\"\n") == ["time@0.2.22"])
    let composer = "    \"packages\": [\n        {\n            \"name\": \"guzzlehttp/psr7\",\n            \"version\": \"1.8.1\",\n            \"source\": {\n"
    #expect(pins("composer.lock", in: composer, run: "            \"version\": \"1.8.1\",\n") == ["guzzlehttp/psr7@1.8.1"])
    // Nine lines down is beyond the context read: unknown, as before.
    let far = "[[package]]\nname = \"x\"\n" + String(repeating: "a = 1\n", count: LockfileLines.contextLines) + "version = \"9\"\n"
    #expect(pins("poetry.lock", in: far, run: "version = \"9\"\n").isEmpty)
  }

  /// Maven: `<version>` under its `<groupId>` and `<artifactId>`, a `${property}` version, and a property
  /// bumped on its own line (every dependency that uses it).
  @Test func mavenPomVersions() {
    let pom = """
      <project>
        <properties>
          <jackson.version>2.9.8</jackson.version>
        </properties>
        <dependencies>
          <dependency>
            <groupId>org.apache.logging.log4j</groupId>
            <artifactId>log4j-core</artifactId>
            <version>2.14.1</version>
          </dependency>
          <dependency>
            <groupId>com.fasterxml.jackson.core</groupId>
            <artifactId>jackson-databind</artifactId>
            <version>${jackson.version}</version>
          </dependency>
          <dependency>
            <groupId>com.fasterxml.jackson.core</groupId>
            <artifactId>jackson-core</artifactId>
            <version>${jackson.version}</version>
            <scope>test</scope>
          </dependency>
        </dependencies>
      </project>
      """
    #expect(pins("pom.xml", in: pom, run: "      <version>2.14.1</version>\n") == ["org.apache.logging.log4j:log4j-core@2.14.1"])
    #expect(pins("pom.xml", in: pom, run: "    <jackson.version>2.9.8</jackson.version>\n")
      == ["com.fasterxml.jackson.core:jackson-databind@2.9.8", "com.fasterxml.jackson.core:jackson-core@2.9.8"])
    // Added whole: literal and property versions.
    #expect(pins("pom.xml", in: pom, run: pom) == [
      "org.apache.logging.log4j:log4j-core@2.14.1", "com.fasterxml.jackson.core:jackson-databind@2.9.8", "com.fasterxml.jackson.core:jackson-core@2.9.8",
    ])
    #expect(pins("pom.xml", in: pom, run: "      <scope>test</scope>\n").isEmpty)
  }

  @Test func otherEcosystemsLockfiles() {
    #expect(pins("poetry.lock", "[[package]]\nname = \"Django\"\nversion = \"3.2.1\"\ndescription = \"x\"\n") == ["Django@3.2.1"])
    // A bump alone names no package.
    #expect(pins("poetry.lock", "version = \"3.2.2\"\n").isEmpty)
    #expect(pins("Cargo.lock", "[[package]]\nname = \"time\"\nversion = \"0.1.43\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n") == ["time@0.1.43"])
    #expect(pins("composer.lock", "        {\n            \"name\": \"guzzlehttp/psr7\",\n            \"version\": \"1.8.1\",\n") == ["guzzlehttp/psr7@1.8.1"])
    #expect(pins("Pipfile.lock", "        \"django\": {\n            \"hashes\": [],\n            \"version\": \"==3.2.1\"\n") == ["django@3.2.1"])
    #expect(pins("go.sum", "golang.org/x/net v0.7.0 h1:abc=\ngolang.org/x/net v0.7.0/go.mod h1:def=\n") == ["golang.org/x/net@v0.7.0", "golang.org/x/net@v0.7.0"])
    #expect(pins("go.mod", "module example.com/app\n\ngo 1.21\n\nrequire github.com/pkg/errors v0.9.1\n\tgithub.com/Example/mod v2.0.0+incompatible // indirect\n")
      == ["github.com/pkg/errors@v0.9.1", "github.com/Example/mod@v2.0.0+incompatible"])
    #expect(pins("requirements-dev.txt", "Django==3.2.1 ; python_version >= \"3.8\"\nrequests[socks]==2.19.0  # pinned\nflask>=2\n-r base.txt\n")
      == ["Django@3.2.1", "requests@2.19.0"])
    #expect(pins("Gemfile.lock", "  specs:\n    nokogiri (1.13.0-x86_64-linux)\n      racc (~> 1.4)\n    rails (7.0.1)\n") == ["nokogiri@1.13.0", "rails@7.0.1"])
    #expect(pins("gradle.lockfile", "org.apache.logging.log4j:log4j-core:2.14.1=runtimeClasspath\nempty=\n") == ["org.apache.logging.log4j:log4j-core@2.14.1"])
    #expect(pins("package.json", "\"lodash\": \"4.17.20\"") == ["not a lockfile"])
  }
}
