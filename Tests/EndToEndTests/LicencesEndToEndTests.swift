import FixtureSupport
import Foundation
import Testing

/// The licences analyzer through the binary: a pull request that adds copyleft code or a copyleft
/// dependency is reported in CI mode, what was there before is not; every format carries the area.
@Suite struct LicencesEndToEndTests {
  static let script = #"""
    at 2024-03-01T10:00:00+0000; as "Ada Lovelace <ada@example.com>"
    put LICENSE 'Permission is hereby granted, free of charge, to any person obtaining a copy of this software.\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n'
    put src/app.c 'int main(void) { return 0; }\n'
    put third_party/old/COPYING 'GNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991\nThis General Public License applies to most of the Free Software Foundation'"'"'s software.\n'
    put package.json '{ "name": "app", "license": "MIT", "dependencies": { "react": "18.2.0" } }'
    put package-lock.json '{ "lockfileVersion": 3, "packages": { "node_modules/react": { "version": "18.2.0", "license": "MIT" } } }'
    commit "Initial commit"
    git checkout -q -b feature
    at 2024-03-03T10:00:00+0000; as "Grace Hopper <grace@example.com>"
    put src/gpl_helper.c '/* This program is free software; you can redistribute it and/or modify it under the terms of the\n   GNU General Public License as published by the Free Software Foundation; either version 2 of the\n   License, or (at your option) any later version. */\nint helper(void) { return 1; }\n'
    commit "add a helper"
    at 2024-03-04T10:00:00+0000
    put package-lock.json '{ "lockfileVersion": 3, "packages": { "node_modules/react": { "version": "18.2.0", "license": "MIT" }, "node_modules/readline-gpl": { "version": "1.0.0", "license": "GPL-3.0-only" } } }'
    commit "add readline-gpl"
    """#

  @Test func aPullRequestAddingCopyleftIsReported() throws {
    let repo = try Fixture.build(script: Self.script, name: "licences-ci")
    let out = try Fixture.salvage(["scan", repo, "--base", "main", "--format", "json", "--analyzers", "licences"])
    #expect(out.status == 0, "\(out.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    let findings = try #require(doc["findings"] as? [[String: Any]])
    let copyleft = findings.filter { $0["rule"] as? String == "copyleft-in-product" }
      .compactMap { ($0["location"] as? [String: Any])?["path"] as? String }.sorted()
    #expect(copyleft == ["package-lock.json", "src/gpl_helper.c"], "the vendored GPL library was on main before the branch")

    // Without --base, the library on main is reported too.
    let whole = try Fixture.salvage(["scan", repo, "--format", "json", "--analyzers", "licences"])
    let all = try #require((try JSONSerialization.jsonObject(with: whole.data) as? [String: Any])?["findings"] as? [[String: Any]])
    #expect(all.filter { $0["rule"] as? String == "copyleft-in-product" }.count == 3)
  }

  @Test func everyFormatCarriesTheArea() throws {
    let repo = try Fixture.build(script: Self.script, name: "licences-formats")
    let folder = try Fixture.temporaryFolder("licences-out")
    let out = try Fixture.salvage(["scan", repo, "--format", "text,md,html,json,sarif", "--output", folder + "/r"])
    #expect(out.status == 0, "\(out.stderr)")
    let text = try String(contentsOfFile: folder + "/r.txt", encoding: .utf8)
    let md = try String(contentsOfFile: folder + "/r.md", encoding: .utf8)
    let html = try String(contentsOfFile: folder + "/r.html", encoding: .utf8)
    let sarif = try String(contentsOfFile: folder + "/r.sarif", encoding: .utf8)
    #expect(text.contains("Licences / IP"))
    #expect(md.contains("## Licences / IP") && md.contains("Product licence: MIT"))
    #expect(html.contains("Licences / IP"))
    #expect(sarif.contains("copyleft-in-product"))
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/r.json"))) as? [String: Any])
    #expect(doc["schemaVersion"] as? String == "1.4.0")
    let licences = try #require((doc["analyzers"] as? [String: Any])?["licences"] as? [String: Any])
    #expect(licences["grade"] is String, "the area is graded")
    let valid = try Fixture.run("/usr/bin/env", ["python3", Fixture.root.path + "/scripts/validate-json.py",
                                                 Fixture.root.path + "/schema/salvage-report.schema.json", folder + "/r.json"])
    #expect(valid.status == 0, "\(valid.stderr)")
  }
}
