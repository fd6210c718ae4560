@testable import Analyzers
import FixtureSupport
import Foundation
import SalvageCore
import Testing

private func compiled() throws -> LicenceText { try LicencesAnalyzer().compile(try RuleSet.load()) }

private func scan(_ fixture: String) throws -> (repo: String, output: LicencesOutput, findings: [Finding], result: AnalyzerResult) {
  let repo = try Fixture.build(fixture)
  let result = try SalvageCore.Scanner(analyzers: [LicencesAnalyzer()]).scan(ScanOptions(path: repo))
  let analyzer = result.results[0].result
  return (repo, try #require(analyzer.output(as: LicencesOutput.self)), result.findings, analyzer)
}

/// The commit git names as the one that added `path` (the oldest), and its author and date.
private func gitAdded(_ path: String, in repo: String) throws -> (commit: String, author: String, date: String) {
  let line = try Fixture.git(["log", "--diff-filter=A", "--format=%H%x09%an%x09%ad", "--date=short", "--", path], in: repo)
    .split(separator: "\n").last.map(String.init) ?? ""
  let parts = line.split(separator: "\t").map(String.init)
  return (parts[0], parts[1], parts[2])
}

/// The licence texts Debian ships, and the licence each must be identified as (read at test time).
private let debianTexts: [(file: String, id: String)] = [
  ("Apache-2.0", "Apache-2.0"), ("Artistic", "Artistic-1.0"), ("BSD", "BSD-3-Clause"), ("CC0-1.0", "CC0-1.0"),
  ("GFDL-1.2", "GFDL-1.2"), ("GFDL-1.3", "GFDL-1.3"), ("GPL-1", "GPL-1.0"), ("GPL-2", "GPL-2.0"),
  ("GPL-3", "GPL-3.0"), ("LGPL-2", "LGPL-2.0"), ("LGPL-2.1", "LGPL-2.1"), ("LGPL-3", "LGPL-3.0"),
  ("MPL-1.1", "MPL-1.1"), ("MPL-2.0", "MPL-2.0"),
]

@Suite struct LicencesTests {
  /// A whole GNU text is the licence, not "-or-later": its "How to apply" template says "or (at your
  /// option) any later version" whatever a project chose.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/common-licenses")), arguments: debianTexts)
  func identifiesDebianLicenceTexts(_ entry: (file: String, id: String)) throws {
    let path = "/usr/share/common-licenses/" + entry.file
    guard let data = FileManager.default.contents(atPath: path) else { return }
    let match = try #require(try compiled().identify([UInt8](data)), "\(entry.file) not identified")
    #expect(match.id == entry.id, "\(entry.file)")
    #expect(match.confidence >= 0.5)
  }

  /// MIT is not among Debian's texts: the whole text written here.
  @Test func identifiesTheMITText() throws {
    let mit = """
      MIT License

      Copyright (c) 2024 Example

      Permission is hereby granted, free of charge, to any person obtaining a copy
      of this software and associated documentation files (the "Software"), to deal
      in the Software without restriction, including without limitation the rights
      to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
      copies of the Software, and to permit persons to whom the Software is
      furnished to do so, subject to the following conditions:

      The above copyright notice and this permission notice shall be included in all
      copies or substantial portions of the Software.

      THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
      IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY.
      """
    let match = try #require(try compiled().identify(Array(mit.utf8)))
    #expect(match.id == "MIT")
    #expect(match.confidence == 1)
    #expect(try compiled().identify(Array("Shopping cart totals.\nThe license key is read at start.\n".utf8)) == nil)
  }

  /// `[[examples]]` of rules/licences.toml, each run as its kind of input.
  @Test func ruleFileExamples() throws {
    let rules = try RuleSet.load()
    let text = try compiled()
    let examples = rules.table("licences.toml")?["examples"]?.array?.compactMap(\.table) ?? []
    #expect(examples.count >= 10)
    for example in examples {
      let input = try #require(example["text"]?.string), expected = try #require(example["licence"]?.string)
      let got: String
      switch example["as"]?.string {
      case "text": got = text.identify(Array(input.utf8))?.id ?? "none"
      case "header":
        let facts = Array(input.utf8).withUnsafeBufferPointer { LicenceHeaderFacts(text: text).facts(of: $0) }
        if facts.first == LicenceHeaderFacts.spdx {
          got = LicenceHeaderFacts.spdxLine(Array(input.utf8)) ?? "none"
        } else {
          got = facts.first.flatMap { LicenceHeaderFacts.decode($0, rules: text.rules) }?.id ?? "none"
        }
      case "readme": got = text.readmeSection(Array(input.utf8))?.id ?? "none"
      case "expression": got = text.resolve(expression: input).licence.map { text.rules.licences[$0].id } ?? "unknown"
      default: Issue.record("example with unknown `as`: \(input)"); continue
      }
      #expect(got == expected, "\(example["as"]?.string ?? ""): \(input.prefix(80))")
    }
  }

  /// `[[incompatible_examples]]` of rules/licences.toml, through the function the survey calls, both ways round.
  @Test func incompatibleLicenceExamples() throws {
    let rules = try RuleSet.load()
    let text = try compiled()
    let examples = rules.table("licences.toml")?["incompatible_examples"]?.array?.compactMap(\.table) ?? []
    #expect(examples.count >= 8)
    #expect(examples.contains { $0["conflict"]?.bool == true } && examples.contains { $0["conflict"]?.bool == false })
    for example in examples {
      let pair = try #require(example["licences"]?.stringArray), expected = try #require(example["conflict"]?.bool)
      try #require(pair.count == 2)
      let a = try #require(text.stated(pair[0], licence: text.resolve(expression: pair[0]).licence), "\(pair[0])")
      let b = try #require(text.stated(pair[1], licence: text.resolve(expression: pair[1]).licence), "\(pair[1])")
      #expect((text.rules.incompatibility(a, b) != nil) == expected, "\(pair)")
      #expect((text.rules.incompatibility(b, a) != nil) == expected, "\(pair) the other way round")
    }
  }

  /// Third-party licences combined in one component, worked by hand: `lib` ships GPL-2.0-only with
  /// Apache-2.0 and with CDDL (two conflicts; Apache with CDDL is none); `tools` ships GPL-3.0-or-later
  /// with Apache-2.0 (allowed); `web`'s lockfile ships a GPL-2.0-only package with an Apache-2.0 one (a
  /// conflict) and a dev-only CDDL tool (not shipped). The MIT product's own code conflicts with none.
  @Test func incompatibleThirdPartyLicencesInOneComponent() throws {
    let repo = try Fixture.build(script: #"""
      put LICENSE 'Permission is hereby granted, free of charge, to any person obtaining a copy of this software.\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n'
      put lib/glue.c '// SPDX-License-Identifier: GPL-2.0-only\nint glue(void) { return 0; }\n'
      put lib/util.c '// SPDX-License-Identifier: Apache-2.0\nint util(void) { return 1; }\n'
      put lib/arc.c '/* SPDX-License-Identifier: CDDL-1.0 */\nint arc(void) { return 2; }\n'
      put lib/more.c '// SPDX-License-Identifier: Apache-2.0\nint more(void) { return 3; }\n'
      put tools/gen.py '# SPDX-License-Identifier: GPL-3.0-or-later\nprint(1)\n'
      put tools/fmt.c '// SPDX-License-Identifier: Apache-2.0\nint fmt(void) { return 4; }\n'
      commit "code"
      put web/package.json '{ "name": "web", "license": "MIT", "dependencies": { "old": "1.0.0", "new": "2.0.0" } }'
      put web/package-lock.json '{\n  "name": "web",\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "name": "web" },\n    "node_modules/old": { "version": "1.0.0", "license": "GPL-2.0-only" },\n    "node_modules/new": { "version": "2.0.0", "license": "Apache-2.0" },\n    "node_modules/zfs-tool": { "version": "0.1.0", "license": "CDDL-1.0", "dev": true }\n  }\n}\n'
      commit "web"
      """#, name: "licences-incompatible")
    let result = try SalvageCore.Scanner(analyzers: [LicencesAnalyzer()]).scan(ScanOptions(path: repo))
    let output = try #require(result.results[0].result.output(as: LicencesOutput.self))
    #expect(output.licence.id == "MIT")
    let got = output.incompatible.map { "\($0.component): \($0.sides.map { "\($0.licence)=\($0.places.joined(separator: "+"))" }.joined(separator: " x "))" }
    #expect(got == [
      "lib: Apache-2.0=lib/more.c+lib/util.c x GPL-2.0-only=lib/glue.c",
      "lib: CDDL-1.0=lib/arc.c x GPL-2.0-only=lib/glue.c",
      "web: Apache-2.0=web/package-lock.json: new 2.0.0 x GPL-2.0-only=web/package-lock.json: old 1.0.0",
    ])
    #expect(output.incompatible.first?.sides.first?.count == 2)
    #expect(output.counts.conflicts == 3)
    let findings = result.findings.filter { $0.rule == "incompatible-licences" }
    #expect(findings.count == 3)
    #expect(findings.allSatisfy { $0.severity == .high })
    #expect(findings.map { $0.location.path ?? "-" }.sorted() == ["lib/arc.c", "lib/glue.c", "web/package-lock.json"])
    #expect(findings.contains { $0.title == "CDDL-1.0 and GPL-2.0-only cannot be combined in lib" && $0.message.contains("lib/arc.c") })
  }

  /// The product's own code is one of the licences combined: a GPL-2.0-only product cannot ship an
  /// Apache-2.0 file; its GPL-3.0 file is already copyleft in the product and is not reported twice.
  @Test func theProductsOwnLicenceIsCombinedWithItsThirdPartyCode() throws {
    let repo = try Fixture.build(script: #"""
      put package.json '{ "name": "p", "license": "GPL-2.0-only" }'
      put src/a.c '// SPDX-License-Identifier: Apache-2.0\nint a(void) { return 0; }\n'
      put src/b.c '// SPDX-License-Identifier: GPL-3.0-only\nint b(void) { return 1; }\n'
      put src/c.c '// SPDX-License-Identifier: GPL-2.0-or-later\nint c(void) { return 2; }\n'
      commit "init"
      """#, name: "licences-incompatible-own")
    let result = try SalvageCore.Scanner(analyzers: [LicencesAnalyzer()]).scan(ScanOptions(path: repo))
    let output = try #require(result.results[0].result.output(as: LicencesOutput.self))
    #expect(output.licence.id == "GPL-2.0-only")
    #expect(output.thirdParty.first { $0.path == "src/b.c" }?.risk == "copyleft-in-product")
    #expect(output.incompatible.map { "\($0.component): \($0.sides.map { "\($0.licence)=\($0.places.joined(separator: "+"))" }.joined(separator: " x "))" } == [
      "src: Apache-2.0=src/a.c x GPL-2.0-only=the product's own licence (package.json)",
    ])
    #expect(result.findings.filter { $0.rule == "incompatible-licences" }.map { $0.location.path } == ["src/a.c"])
  }

  /// The own-copyleft finding counts the people who committed, bots excluded (the bot list of
  /// rules/bots.toml); the people are git's distinct authors. A server framework among the runtime
  /// dependencies marks a network service, and the finding and the JSON say that is a guess.
  @Test func ownCopyleftCountsPeopleNotBotsAndTheServiceIsAGuess() throws {
    let repo = try Fixture.build(script: #"""
      as "Ann Author <ann@example.com>"
      put package.json '{ "name": "svc", "license": "AGPL-3.0-only", "dependencies": { "express": "4.18.2" }, "devDependencies": { "fastify": "4.0.0" } }'
      put src/app.js 'module.exports = 1\n'
      commit "init"
      as "Bob Builder <bob@example.com>"
      put src/app.js 'module.exports = 2\n'
      commit "two"
      as "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
      put src/app.js 'module.exports = 3\n'
      commit "bump"
      as "renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>"
      put src/app.js 'module.exports = 4\n'
      commit "bump again"
      """#, name: "licences-own-copyleft-bots")
    let authors = Set(try Fixture.git(["log", "--format=%an <%ae>"], in: repo).split(separator: "\n").map(String.init))
    let humans = authors.filter { !$0.contains("[bot]") }
    #expect(authors.count == 4 && humans.count == 2)
    let result = try SalvageCore.Scanner(analyzers: [LicencesAnalyzer()]).scan(ScanOptions(path: repo))
    let output = try #require(result.results[0].result.output(as: LicencesOutput.self))
    #expect(output.networkService, "express is a runtime dependency")
    #expect(output.serviceMarkers == ["package.json: express"], "fastify is a dev dependency")
    #expect(output.networkServiceBasis.hasPrefix("a guess from server dependencies (package.json: express)"))
    let own = try #require(result.findings.first { $0.rule == "own-copyleft" })
    #expect(own.message.contains("\(humans.count) people committed to it (\(authors.count - humans.count) bots not counted)"))
    #expect(own.message.contains("It looks like a network service (a guess from server dependencies"))
  }

  @Test func spdxTagsAreReadWithoutTheCommentsClosingMarks() {
    #expect(LicenceHeaderFacts.spdxLine(Array("/* SPDX-License-Identifier: MIT OR Apache-2.0 */\nint x;".utf8)) == "MIT OR Apache-2.0")
    #expect(LicenceHeaderFacts.spdxLine(Array("<!-- spdx-license-identifier: GPL-2.0-only -->".utf8)) == "GPL-2.0-only")
    #expect(LicenceHeaderFacts.spdxLine(Array("// no tag here".utf8)) == nil)
  }

  @Test func licenceFileNames() throws {
    let rules = try compiled().rules
    for name in ["LICENSE", "license.md", "COPYING", "LICENSE-MIT", "LICENCE.txt", "UNLICENSE"] {
      #expect(rules.isLicenceFile(name), "\(name)")
    }
    for name in ["license.ts", "license-client.ts", "licenses.mdx", "README.md", "LICENSE_test.go"] {
      #expect(!rules.isLicenceFile(name), "\(name)")
    }
  }

  /// The MIT product of `licences-mixed`, worked by hand: which items, which risks, which arrivals.
  @Test func mitProductWithThirdPartyCode() throws {
    let (repo, output, findings, result) = try scan("licences-mixed")
    #expect(output.licence.id == "MIT")
    #expect(output.licence.kind == "permissive")
    #expect(output.licence.confidence == 1)
    #expect(output.declarations.map { "\($0.path)=\($0.id ?? "-")" } == ["LICENSE=MIT", "package.json=MIT"])
    #expect(output.networkService)
    #expect(output.serviceMarkers == ["Dockerfile"])
    #expect(output.networkServiceBasis == "a guess from marker files (Dockerfile), not confirmed from the code or its deployment")

    let items = Dictionary(uniqueKeysWithValues: output.thirdParty.map { ($0.path, $0) })
    #expect(Set(items.keys) == [
      "third_party/gpllib/COPYING", "src/agpl_tool.py", "src/compat/strlcpy.c", "node_modules/left-pad/package.json",
      "vendor/github.com/acme/lib/LICENSE", "vendor/github.com/other/nolicence",
      "venv/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA",
    ])
    #expect(output.thirdPartyCount == 7)
    let expected: [String: (id: String?, kind: String, risk: String?, source: String)] = [
      "third_party/gpllib/COPYING": ("GPL-3.0", "strong-copyleft", "copyleft-in-product", "licence file"),
      "src/agpl_tool.py": ("AGPL-3.0-only", "network-copyleft", "network-copyleft", "spdx tag"),
      "src/compat/strlcpy.c": ("BSD-3-Clause", "permissive", nil, "file header"),
      "node_modules/left-pad/package.json": ("WTFPL", "permissive", nil, "package manifest"),
      "vendor/github.com/acme/lib/LICENSE": ("MIT", "permissive", nil, "licence file"),
      "vendor/github.com/other/nolicence": (nil, "unknown", "unknown-licence", "go vendor"),
      "venv/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA": ("Apache 2.0", "permissive", nil, "python metadata"),
    ]
    for (path, e) in expected {
      let item = try #require(items[path])
      #expect(item.id == e.id, "\(path)")
      #expect(item.kind == e.kind, "\(path)")
      #expect(item.risk == e.risk, "\(path)")
      #expect(item.source == e.source, "\(path)")
    }
    #expect(items["node_modules/left-pad/package.json"]?.package == "left-pad")
    #expect(items["venv/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA"]?.package == "requests")
    #expect(items["src/compat/strlcpy.c"]?.vendored == false)
    #expect(items["third_party/gpllib/COPYING"]?.vendored == true)

    // Arrivals: git names the commit that added each file.
    for path in ["third_party/gpllib/COPYING", "src/agpl_tool.py", "src/compat/strlcpy.c"] {
      let git = try gitAdded(path, in: repo)
      let arrived = try #require(items[path]?.arrived, "\(path)")
      #expect(arrived.commit == git.commit, "\(path)")
      #expect(arrived.author == git.author, "\(path)")
      #expect(arrived.date == git.date, "\(path)")
    }
    #expect(items["src/agpl_tool.py"]?.arrived?.author == "Mallory Maker")

    // The lockfile: 5 packages, 4 with a licence; the GPL one ships, the GPL dev tool does not.
    let lock = try #require(output.dependencies.lockfiles.first { $0.path == "package-lock.json" })
    #expect(lock.packages == 5)
    #expect(lock.withLicence == 4)
    #expect(output.dependencies.packages.map { "\($0.name):\($0.risk ?? "-")" }.sorted() == ["gpl-thing:copyleft-in-product", "weird:unknown-licence"])

    #expect(output.counts.copyleft == 3, "the GPL library, the AGPL file, the GPL package")
    #expect(output.counts.unknown == 2, "the Go module without a licence, the package with an unknown id")
    #expect(output.counts.conflicts == 0)
    // gpl.c's GPL header is counted, but the library's COPYING speaks for it: no item of its own.
    #expect(output.fileHeaders.map { "\($0.id):\($0.files)" }.sorted() == ["AGPL-3.0-only:1", "BSD-3-Clause:1", "GPL-3.0-or-later:1"])

    let byRule = Dictionary(grouping: findings, by: \.rule).mapValues { $0.compactMap(\.location.path).sorted() }
    #expect(byRule["copyleft-in-product"] == ["package-lock.json", "third_party/gpllib/COPYING"])
    #expect(byRule["network-copyleft"] == ["src/agpl_tool.py"])
    #expect(byRule["unknown-licence"] == ["package-lock.json", "vendor/github.com/other/nolicence"])
    #expect(findings.count == 5)
    #expect(findings.first { $0.rule == "network-copyleft" }?.severity == .critical)
    #expect(findings.first { $0.rule == "copyleft-in-product" }?.severity == .high)
    // Per component: which carry copyleft and unknown licences.
    let src = try #require(result.component("src", as: LicencesOutput.Component.self))
    #expect(src.copyleft == 1)
    let vendor = try #require(result.component("vendor", as: LicencesOutput.Component.self))
    #expect(vendor.unknown == 1)
    #expect(vendor.copyleft == 0)
  }

  @Test func noLicenceAtAllIsAFinding() throws {
    let (_, output, findings, _) = try scan("licences-none")
    #expect(output.licence.id == nil)
    #expect(output.licence.kind == "none")
    #expect(output.declarations.isEmpty)
    #expect(findings.map(\.rule) == ["no-licence"])
    #expect(findings.first?.severity == .medium)
    #expect(!output.networkService)
    #expect(output.networkServiceBasis.hasPrefix("a guess: no file that usually marks a network service"))
  }

  @Test func conflictingDeclarations() throws {
    let repo = try Fixture.build(script: #"""
      put LICENSE 'Permission is hereby granted, free of charge, to any person obtaining a copy of this software.\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n'
      put package.json '{ "name": "a", "license": "GPL-3.0-or-later" }'
      put web/package.json '{ "name": "web", "license": "Apache-2.0" }'
      put api/package.json '{ "name": "api", "license": "MIT" }'
      commit "init"
      """#, name: "licences-conflict")
    let result = try SalvageCore.Scanner(analyzers: [LicencesAnalyzer()]).scan(ScanOptions(path: repo))
    let output = try #require(result.results[0].result.output(as: LicencesOutput.self))
    #expect(output.licence.id == "MIT", "the licence file decides")
    #expect(output.counts.conflicts == 2, "the root manifest says GPL; a component says Apache")
    let conflicts = result.findings.filter { $0.rule == "licence-conflict" }
    #expect(conflicts.count == 2)
    #expect(conflicts.contains { $0.message.contains("web (Apache-2.0)") && !$0.message.contains("api (MIT)") })
  }

  @Test func manifestAndLockfileFields() throws {
    let composer = #"{"packages": [{"name": "monolog/monolog", "version": "3.5.0", "license": ["MIT"]},"#
      + #" {"name": "acme/dual", "version": "1.0.0", "license": ["GPL-2.0-only", "MIT"]}],"#
      + #" "packages-dev": [{"name": "phpunit/phpunit", "version": "10.0.0", "license": ["BSD-3-Clause"]}, {"name": "x/none", "version": "1"}]}"#
    let locked = try #require(LicenceManifests.locked(parser: "composer.lock", Array(composer.utf8)))
    #expect(locked.map { "\($0.name)=\($0.licence ?? "-"):\($0.dev)" } == [
      "monolog/monolog=MIT:false", "acme/dual=(GPL-2.0-only OR MIT):false", "phpunit/phpunit=BSD-3-Clause:true", "x/none=-:true",
    ])
    let text = try compiled()
    #expect(text.resolve(expression: "(GPL-2.0-only OR MIT)").kind == "permissive", "a choice takes the least restrictive")
    #expect(LicenceManifests.locked(parser: "yarn.lock", Array("a@1:\n  version \"1\"\n".utf8)) == nil, "yarn.lock records no licences")

    let metadata = "Metadata-Version: 2.1\nName: flask\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: BSD License\n\nLicense: not a header\n"
    let meta = LicenceManifests.pythonMetadata(Array(metadata.utf8))
    #expect(meta.package == "flask")
    #expect(meta.licence == "BSD License")
    #expect(text.resolve(expression: "BSD License").licence.map { text.rules.licences[$0].id } == "BSD-3-Clause")

    #expect(LicenceManifests.gemspecLicence("Gem::Specification.new do |s|\n  s.licenses = ['MIT', 'Ruby']\nend\n") == "(MIT OR Ruby)")
    let cargo = LicenceManifests.declared(name: "Cargo.toml", Array("[package]\nname = \"x\"\nlicense = \"MIT OR Apache-2.0\"\n".utf8))
    #expect(cargo?.licence == "MIT OR Apache-2.0")
    let pyproject = LicenceManifests.declared(name: "pyproject.toml", Array("[project]\nname = \"y\"\nlicense = { text = \"AGPL-3.0-or-later\" }\n".utf8))
    #expect(pyproject?.licence == "AGPL-3.0-or-later")
    #expect(text.resolve(expression: "AGPL-3.0-or-later").kind == "network-copyleft")
  }
}
