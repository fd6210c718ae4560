import FixtureSupport
import Foundation
import Testing

/// One figure, one value: a file's hotspot rank and its lines of code are what the hotspot analyzer
/// says in every finding that quotes them and in every format's hotspot table and chart.
@Suite struct ReportConsistencyTests {
  static func matches(_ pattern: String, _ text: String) -> [[String]] {
    let regex = try! NSRegularExpression(pattern: pattern)
    return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
      (1..<m.numberOfRanges).map { String(text[Range(m.range(at: $0), in: text)!]) }
    }
  }

  @Test func hotspotRankAndLinesAgreeAcrossSections() throws {
    let repo = try Fixture.build("demo")
    let folder = try Fixture.temporaryFolder("consistency")
    let base = folder + "/report"
    let out = try Fixture.salvage(["scan", repo, "--format", "json,md,html", "--output", base], timeout: 120)
    #expect(out.status == 0, "\(out.stderr)")
    let doc = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + ".json"))) as? [String: Any])
    let analyzers = try #require(doc["analyzers"] as? [String: Any])
    let files = try #require((analyzers["hotspots"] as? [String: Any])?["files"] as? [[String: Any]])
    var rank: [String: Int] = [:], loc: [String: Int] = [:]
    for f in files {
      let path = try #require(f["path"] as? String)
      rank[path] = f["rank"] as? Int
      loc[path] = (f["loc"] as? Int) ?? (f["lines"] as? Int)
    }

    // Every finding that names a hotspot rank or lines of code, whichever analyzer wrote it.
    var quoted = 0
    for finding in try #require(doc["findings"] as? [[String: Any]]) {
      let message = finding["message"] as? String ?? ""
      let evidence = finding["evidence"] as? [String: Any] ?? [:]
      for m in Self.matches(#"(\S+) is hotspot #(\d+)"#, message) {
        quoted += 1
        #expect(Int(m[1]) == rank[m[0]], "\(finding["analyzer"] ?? "")/\(finding["rule"] ?? ""): \(m[0]) is #\(m[1]), the hotspot table says #\(rank[m[0]] ?? -1)")
        if let r = evidence["rank"] as? Int { #expect(r == rank[m[0]], "evidence rank of \(m[0])") }
      }
      for m in Self.matches(#"^(\S+) (?:is hotspot #\d+ .*?)?(?:holds |, )(\d[\d,]*) lines of code"#, message) {
        quoted += 1
        #expect(Int(m[1].replacingOccurrences(of: ",", with: "")) == loc[m[0]], "\(finding["rule"] ?? ""): \(m[0]) has \(m[1]) lines of code, the hotspot table says \(loc[m[0]] ?? -1)")
      }
    }
    // The fixture is built so that three analyzers quote hotspots: the test is not passing on nothing.
    #expect(quoted >= 8, "\(quoted) quotes")
    let rules = Set((doc["findings"] as? [[String: Any]] ?? []).filter { ($0["message"] as? String)?.contains("is hotspot #") == true }.compactMap { $0["rule"] as? String })
    #expect(rules.isSuperset(of: ["hotspot", "untested-hotspot", "hotspot-knowledge-island"]), "\(rules)")

    // The Markdown table and the HTML chart say the same.
    let md = try String(contentsOfFile: base + ".md", encoding: .utf8)
    let rows = Self.matches(#"\| (\d+) \| <code>([^<]+)</code> \| [\d,]+ \| ([\d,]+) \|"#, md)
    #expect(rows.count >= 5)
    for row in rows {
      let path = row[1].replacingOccurrences(of: "\\_", with: "_")
      #expect(Int(row[0]) == rank[path], "md rank of \(path)")
      #expect(Int(row[2].replacingOccurrences(of: ",", with: "")) == loc[path], "md lines of \(path)")
    }
    let html = try String(contentsOfFile: base + ".html", encoding: .utf8)
    let titles = Self.matches(#"<title>([^:<]+): hotspot #(\d+), [^<]*?, ([\d,]+) lines?</title>"#, html)
    #expect(titles.count == rows.count)
    for t in titles {
      #expect(Int(t[1]) == rank[t[0]] && Int(t[2].replacingOccurrences(of: ",", with: "")) == loc[t[0]], "chart: \(t)")
    }
  }
}
