import Advisories
import Testing

/// npm requirement ranges, with the answers node-semver's documentation gives for its examples.
@Suite struct NpmRangeTests {
  static let cases: [(range: String, inside: [String], outside: [String])] = [
    ("^1.2.3", ["1.2.3", "1.9.9"], ["1.2.2", "2.0.0", "2.0.0-beta.1"]),
    ("^0.2.3", ["0.2.3", "0.2.9"], ["0.3.0", "0.2.2"]),
    ("^0.0.3", ["0.0.3"], ["0.0.4", "0.0.2"]),
    ("^1.2.x", ["1.2.0", "1.99.0"], ["2.0.0", "1.1.9"]),
    ("^0.0.x", ["0.0.0", "0.0.9"], ["0.1.0"]),
    ("^0.x", ["0.0.1", "0.9.0"], ["1.0.0"]),
    ("~1.2.3", ["1.2.3", "1.2.9"], ["1.3.0", "1.2.2"]),
    ("~1.2", ["1.2.0", "1.2.99"], ["1.3.0"]),
    ("~1", ["1.0.0", "1.9.0"], ["2.0.0", "0.9.9"]),
    ("1.2.3 - 2.3", ["1.2.3", "2.3.9"], ["1.2.2", "2.4.0"]),
    ("1.2 - 2.3.4", ["1.2.0", "2.3.4"], ["2.3.5", "1.1.9"]),
    (">=1.2.7 <1.3.0", ["1.2.7", "1.2.8"], ["1.2.6", "1.3.0"]),
    ("1.2.7 || >=1.2.9 <2.0.0", ["1.2.7", "1.2.9", "1.4.6"], ["1.2.8", "2.0.0"]),
    ("1.x", ["1.0.0", "1.5.0"], ["2.0.0", "0.9.0"]),
    ("2", ["2.0.0", "2.9.9"], ["3.0.0"]),
    ("*", ["0.0.1", "7.3.0"], []),
    ("", ["1.0.0"], []),
    (">1.2", ["1.3.0"], ["1.2.9", "1.2.0"]),
    ("<=1.2", ["1.2.9", "0.1.0"], ["1.3.0"]),
    ("> 1.2.3", ["1.2.4"], ["1.2.3"]),
    ("1.2.3", ["1.2.3", "v1.2.3"], ["1.2.4", "1.2.2"]),
    ("=1.2.3", ["1.2.3"], ["1.2.4"]),
  ]

  @Test(arguments: cases) func rangesAdmitWhatNodeSemverAdmits(_ c: (range: String, inside: [String], outside: [String])) {
    for v in c.inside { #expect(NpmRange.admits(c.range, v) == true, "\(c.range) admits \(v)") }
    for v in c.outside { #expect(NpmRange.admits(c.range, v) == false, "\(c.range) excludes \(v)") }
  }

  @Test func requirementsThatAreNoRangeSayNothing() {
    for text in ["workspace:*", "workspace:^1.0.0", "file:../lib", "latest", "next", "git+https://example.com/x.git", "npm:lodash@^4",
                 "github:user/repo", ">=", "1.2.3.4"] {
      #expect(NpmRange.admits(text, "1.0.0") == nil, "\(text)")
    }
    #expect(NpmRange.admits("^1.0.0", "not-a-version") == nil)
  }
}
