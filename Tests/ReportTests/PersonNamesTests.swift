import Analyzers
import FixtureSupport
import Foundation
@testable import Report
import SalvageCore
import Testing

/// Two different people of the same name are told apart wherever a list names them.
@Suite struct PersonNamesTests {
  @Test func sharedNamesGetWhatTellsThemApart() {
    #expect(PersonNames.distinct([("Johnny", "j@acme.io"), ("Ada", "ada@x.org"), ("Johnny", "johnny@gmail.com")])
      == ["Johnny (acme.io)", "Ada", "Johnny (gmail.com)"])
    // Same domain: the local part; the same address twice is one person, shown by name alone.
    #expect(PersonNames.distinct([("Johnny", "jb@acme.io"), ("Johnny", "johnny@acme.io")]) == ["Johnny (jb@…)", "Johnny (johnny@…)"])
    #expect(PersonNames.distinct([("Johnny", "j@acme.io"), ("Johnny", "J@acme.io")]) == ["Johnny", "Johnny"])
    // Neither the domains nor the local parts tell three apart: the whole address does.
    #expect(PersonNames.distinct([("Jo", "a@x.io"), ("Jo", "a@y.io"), ("Jo", "b@x.io")]) == ["Jo (a@x.io)", "Jo (a@y.io)", "Jo (b@x.io)"])
  }

  /// Two "Johnny"s, of different addresses, who wrote all the code between them and left: the truck
  /// factor's sentence, the orphaned code's list and the ownership figures of the Markdown and HTML
  /// reports name each with their address's domain.
  @Test func twoJohnnysAreTwoPeopleInEveryFormat() throws {
    let repo = try Fixture.build(script: """
      at 2023-01-02T10:00:00+0000; as "Johnny <johnny@acme.io>"
      lines src/a/one.py 200
      lines src/a/two.py 200
      commit "a"
      at 2023-01-03T10:00:00+0000; as "Johnny <jd@gmail.com>"
      lines src/b/one.py 200
      lines src/b/two.py 200
      commit "b"
      at 2023-01-04T10:00:00+0000; as "Johnny <johnny@acme.io>"
      append src/a/one.py "x"
      commit "c"
      at 2023-01-05T10:00:00+0000; as "Johnny <jd@gmail.com>"
      append src/b/one.py "x"
      commit "d"
      at 2024-06-01T10:00:00+0000; as "Ada <ada@x.org>"
      put README.md 'hi\\n'
      commit "e"
      """, name: "two-johnnys")
    let scan = try SalvageCore.Scanner(analyzers: AnalyzerRegistry.all, startOrder: AnalyzerRegistry.startOrder)
      .scan(ScanOptions(path: repo, only: ["inventory", "hotspots", "ownership", "cadence"]))
    #expect(scan.context.history.people.filter { $0.name == "Johnny" }.count == 2, "identity merging keeps them apart")
    let report = try ReportModel(scan)
    let both = ["Johnny (acme.io)", "Johnny (gmail.com)"]
    let truck = try #require(report.findings.first { $0.finding.rule == "truck-factor" }?.finding)
    #expect(both.allSatisfy { truck.message.contains($0) }, "\(truck.message)")
    // The terminal lists findings by title only; Markdown and HTML write the sentences and figures.
    for format in [OutputFormat.md, .html] {
      let out = format.renderer.render(report, color: false)
      for name in both { #expect(out.components(separatedBy: name).count > 2, "\(format) names \(name) in the figures and a finding") }
      #expect(!out.contains("Johnny and Johnny") && !out.contains("Johnny, Johnny"), "\(format)")
    }
  }
}
