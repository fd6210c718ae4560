import Testing

@testable import GlobEngine

@Suite struct GlobTests {
  /// The syntax, the same in every dialect (case-sensitive, any depth: the rules' and `--exclude`'s).
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
    ("*.PY", "a.py", false), ("[A-Z]*.md", "docs/Read.md", true), ("[A-Z]*.md", "docs/read.md", false),
  ])
  func anyDepth(pattern: String, path: String, expected: Bool) {
    let glob = Glob(pattern, case: .sensitive, anchoring: .anyDepth)
    #expect(glob.matches(Array(path.utf8)) == expected, "\(pattern) ~ \(path)")
    #expect(GlobSet([glob]).matches(Array(path.utf8)) == expected, "set of \(pattern) ~ \(path)")
  }

  /// Case folded and anchored as in `.gitignore` (the secret rules' paths).
  @Test(arguments: [
    ("*.pem", "a/b/c.pem", true), ("*.pem", "a/b/c.pem.pub", false), ("id_rsa", "home/x/.ssh/id_rsa", true),
    ("**/.aws/credentials", ".aws/credentials", true), ("**/.aws/credentials", "home/u/.aws/credentials", true),
    ("**/node_modules/**", "web/node_modules/left-pad/index.js", true), ("**/node_modules/**", "web/node_modules", false),
    ("config/master.key", "config/master.key", true), ("config/master.key", "app/config/master.key", false),
    ("wg[0-9].conf", "wg0.conf", true), ("wg[0-9].conf", "wgx.conf", false), (".env.*", ".ENV.Production", true),
    ("src/**/*.js", "src/a/b/c.js", true), ("src/**/*.js", "src/c.js", true), ("src/*.js", "src/a/c.js", false),
    ("src/*.js", "lib/src/c.js", false), ("*.PEM", "x/Key.pem", true), ("Config/Master.KEY", "config/master.key", true),
    ("[A-C]x", "bx", true), ("[a-c]x", "BX", true), ("**/Tests/**", "app/tests/a.swift", true),
    // A leading "/" anchors; a trailing one means a folder, at any depth unless a "/" comes before it.
    ("/id_rsa", "id_rsa", true), ("/id_rsa", "x/id_rsa", false), ("secrets/", "app/secrets/a.txt", true),
    ("secrets/", "secrets", false), ("app/secrets/", "app/secrets/a.txt", true), ("app/secrets/", "x/app/secrets/a.txt", false),
  ])
  func gitignoreFolded(pattern: String, path: String, expected: Bool) {
    let glob = Glob(pattern, case: .folded, anchoring: .gitignore)
    #expect(glob.matches(Array(path.utf8)) == expected, "\(pattern) ~ \(path)")
    #expect(GlobSet([glob]).matches(Array(path.utf8)) == expected, "set of \(pattern) ~ \(path)")
  }

  /// Each option changes exactly what it names.
  @Test func optionsAreIndependent() {
    let path = Array("lib/Src/A.py".utf8)
    let answers = [(Glob.Case.sensitive, Glob.Anchoring.anyDepth, false), (.folded, .anyDepth, true),
                   (.sensitive, .gitignore, false), (.folded, .gitignore, false)]
    for (letters, anchoring, expected) in answers {
      #expect(Glob("src/*.py", case: letters, anchoring: anchoring).matches(path) == expected, "\(letters) \(anchoring)")
    }
    #expect(Glob("Src/*.py", case: .sensitive, anchoring: .anyDepth).matches(path))
    #expect(!Glob("Src/*.py", case: .sensitive, anchoring: .gitignore).matches(path))
    #expect(Glob("lib/src/a.PY", case: .folded, anchoring: .gitignore).matches(path))
    #expect(Glob("x", case: .folded, anchoring: .gitignore) != Glob("x", case: .sensitive, anchoring: .gitignore))
  }

  /// A set matches a path exactly when one of its globs does, whatever shape each pattern has.
  @Test(arguments: [Glob.Case.sensitive, .folded], [Glob.Anchoring.anyDepth, .gitignore])
  func setMatchesLikeItsGlobs(letters: Glob.Case, anchoring: Glob.Anchoring) {
    let patterns = ["*.py", "src/*.py", "/src/*.py", "node_modules/", "/build/", "test_*.py", "*.[ch]", "LICENSE*", "Makefile",
                    "**/vendor/bundle/", "*Tests/", "jquery*.js", "foo**", "*.test.*", "/t/", "**/x/**", "*", "a/B/c"]
    let paths = ["a.py", "src/x/a.py", "lib/src/a.py", "node_modules/x.js", "x/build/a.o", "build/a.o", "tests/test_app.py", "x/y.c",
                 "docs/LICENSE.md", "sub/Makefile", "a/vendor/bundle/x.rb", "AppTests/x.swift", "web/jquery-3.js", "foo/bar/x",
                 "src/a.test.ts", "t/x.t", "x/t/y.t", "plain", "A/b/C", "q/a/b/c", "X/y"]
    for count in [1, 3, patterns.count] {
      let globs = patterns.prefix(count).map { Glob($0, case: letters, anchoring: anchoring) }
      let set = GlobSet(globs)
      for path in paths {
        let bytes = Array(path.utf8)
        #expect(set.matches(bytes) == globs.contains { $0.matches(bytes) }, "\(path)")
      }
    }
  }

  /// Counts the automaton's state steps.
  struct Steps: GlobWork {
    var count = 0
    mutating func step() { count += 1 }
  }

  static func steps(_ glob: Glob, _ path: [UInt8]) -> (matched: Bool, steps: Int) {
    var steps = Steps()
    let c = glob.compiled
    let matched = path.withUnsafeBufferPointer { c.program.run($0.baseAddress, $0.count, atAnySegment: !c.anchored, &steps) }
    return (matched, steps.count)
  }

  /// Backtracking took exponential time on these (over 20 s for one name of 251 bytes). The automaton
  /// steps over at most every pattern position per byte, so its work only doubles when the path does.
  @Test(arguments: [
    ("*a*a*a*a*ac*b", Glob.Case.sensitive, Glob.Anchoring.anyDepth), ("**/*a*a*a*a*a*a*a*a*ac*b", .sensitive, .anyDepth),
    ("/*a*a*a*a*a*a*ac*b", .sensitive, .anyDepth), ("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*ac*b/", .sensitive, .anyDepth),
    ("src/**/*a*a*a*a*a*a*a*ac*b", .folded, .gitignore), ("*A*A*A*A*A*A*A*A*AC*B", .folded, .gitignore),
  ])
  func pathologicalPatternStaysLinear(pattern: String, letters: Glob.Case, anchoring: Glob.Anchoring) {
    let glob = Glob(pattern, case: letters, anchoring: anchoring)
    #expect(glob.compiled.shape == .general)
    let states = glob.compiled.program.storage.count
    for deep in [false, true] {
      func path(_ n: Int) -> [UInt8] {
        Array(((deep ? "src/" + String(repeating: "a/", count: n) : "") + String(repeating: "a", count: n) + "b").utf8)
      }
      var counts: [Int] = []
      for n in [250, 500, 1000, 2000] {
        let (matched, steps) = Self.steps(glob, path(n))
        #expect(!matched)
        #expect(!glob.matches(path(n)) && !GlobSet([glob, Glob("x/", case: letters, anchoring: anchoring)]).matches(path(n)))
        #expect(steps <= (path(n).count + 1) * states, "\(pattern) n=\(n): \(steps)")
        counts.append(steps)
      }
      // Once the live states have filled in (a few bytes), each byte costs the same: the work added by
      // the second thousand bytes is twice that of the second five hundred.
      for k in 2..<counts.count {
        #expect(counts[k] - counts[k - 1] <= 2 * (counts[k - 1] - counts[k - 2]) + states, "\(pattern): \(counts)")
      }
    }
  }
}
