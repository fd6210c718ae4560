import SalvageCore
import Testing

@Suite struct GlobTests {
  @Test(arguments: [
    ("*.py", "a.py", true), ("*.py", "src/deep/a.py", true), ("*.py", "a.pyc", false),
    ("src/*.py", "src/a.py", true), ("src/*.py", "src/x/a.py", false), ("src/*.py", "lib/src/a.py", true), ("/src/*.py", "lib/src/a.py", false),
    ("src/**/*.py", "src/a.py", true), ("src/**/*.py", "src/x/y/a.py", true),
    ("node_modules/", "node_modules/x/y.js", true), ("node_modules/", "web/node_modules/x.js", true),
    ("node_modules/", "node_modules.js", false), ("/build/", "build/a.o", true), ("/build/", "x/build/a.o", false),
    ("test_*.py", "tests/test_app.py", true), ("test_*.py", "tests/app_test.py", false),
    ("*.[ch]", "x/y.c", true), ("*.[ch]", "x/y.o", false), ("*.[!c]", "y.h", true), ("file?.txt", "file1.txt", true),
    ("LICENSE*", "LICENSE.md", true), ("**/vendor/bundle/", "a/vendor/bundle/x.rb", true),
    // gitignore: `**` inside a segment is a `*`; a `]` first in a class is a member.
    ("a**b", "axb", true), ("a**b", "a/b", false), ("a**b", "ax/yb", false), ("**.py", "x/y.py", true),
    ("a/**/b", "a/b", true), ("a/**/b", "a/x/y/b", true), ("a/**", "a/x/y", true), ("a/**", "a", false),
    ("[]x]", "]", true), ("[]x]", "x", true), ("[!]x]q", "yq", true), ("[!]x]q", "]q", false), ("[]", "[]", true),
  ])
  func matches(pattern: String, path: String, expected: Bool) {
    #expect(Glob(pattern).matches(Array(path.utf8)) == expected, "\(pattern) ~ \(path)")
    #expect(GlobSet([pattern]).matches(Array(path.utf8)) == expected, "set of \(pattern) ~ \(path)")
  }

  /// Backtracking took exponential time here (over 20 s for one name of 251 bytes); the automaton is
  /// linear in the path. Patterns from `.salvage.toml`, `--exclude` and `[components]` all come here.
  @Test(arguments: ["*a*a*a*a*ac*b", "**/*a*a*a*a*a*a*a*a*ac*b", "/*a*a*a*a*a*a*ac*b", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*ac*b/"])
  func pathologicalPatternEndsQuickly(pattern: String) {
    let name = Array((String(repeating: "a", count: 250) + "b").utf8)
    let deep = Array((String(repeating: "a/", count: 400) + String(repeating: "a", count: 250) + "b").utf8)
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      for path in [name, deep] {
        #expect(!Glob(pattern).matches(path))
        #expect(!GlobSet([pattern, "x/"]).matches(path))
      }
    }
    #expect(elapsed < .seconds(1), "\(pattern): \(elapsed)")
  }

  /// A set matches a path exactly when one of its globs does, whatever shape each pattern has.
  @Test func setMatchesLikeItsGlobs() {
    let patterns = ["*.py", "src/*.py", "/src/*.py", "node_modules/", "/build/", "test_*.py", "*.[ch]", "LICENSE*", "Makefile",
                    "**/vendor/bundle/", "*Tests/", "jquery*.js", "foo**", "*.test.*", "/t/"]
    let paths = ["a.py", "src/x/a.py", "lib/src/a.py", "node_modules/x.js", "x/build/a.o", "build/a.o", "tests/test_app.py", "x/y.c",
                 "docs/LICENSE.md", "sub/Makefile", "a/vendor/bundle/x.rb", "AppTests/x.swift", "web/jquery-3.js", "foo/bar/x",
                 "src/a.test.ts", "t/x.t", "x/t/y.t", "plain"]
    let set = GlobSet(patterns)
    for path in paths {
      let bytes = Array(path.utf8)
      #expect(set.matches(bytes) == patterns.contains { Glob($0).matches(bytes) }, "\(path)")
    }
  }
}
