import Testing

@testable import Analyzers

/// The task-file readers of `TaskRunners`, on small texts whose answers are read off by hand.
@Suite struct TaskRunnersTests {
  func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

  @Test func segmentsAndWords() {
    #expect(TaskRunners.segments("cd web && npm run ci || echo failed; make test | tee log") == ["cd web", "npm run ci", "echo failed", "make test", "tee log"])
    #expect(TaskRunners.positionals(["-w", "@acme/web", "run", "--if-present", "build"], valued: ["-w"]) == ["run", "build"])
    #expect(TaskRunners.flagValues(["--filter=@acme/web", "-F", "api", "run"], ["--filter", "-F"]) == ["@acme/web", "api"])
    #expect(TaskRunners.join("apps/web", "../../packages/lib") == "packages/lib")
    #expect(TaskRunners.logicalLines("make \\\n  test\n# comment\n\nnpm test") == ["make test", "npm test"])
  }

  @Test func makefile() {
    let parsed = TaskRunners.makeRecipes(lines("GO ?= go\nURL = http://example.com\n.PHONY: all\nall: build test\n\nbuild:\n\t$(GO) build ./...\ntest: build ; @echo inline\n\t${GO} test -race ./...\n"))
    #expect(parsed.first == "all")
    #expect(parsed.recipes["all"]?.needs == ["build", "test"])
    #expect(parsed.recipes["test"]?.body == ["@echo inline", "go test -race ./..."])
    #expect(parsed.recipes["URL"] == nil, "a variable holding a colon is not a target")
  }

  @Test func makefileVariablesExpandDeterministicallyAndBounded() {
    let variables = ["PROVE": "prove", "TEST_CMD": "$(PROVE) -j4", "LOOP": "$(LOOP)$(LOOP)", "EMPTY": ""]
    // A value's own references are expanded too; unknown ones and a lone `$` stay.
    #expect(TaskRunners.substitute("\t$(TEST_CMD) t/ $(UNKNOWN) ${EMPTY}$$x $", variables) == "\tprove -j4 t/ $(UNKNOWN) $$x $")
    // A variable that refers to itself stops after three passes (8 copies), not never.
    #expect(TaskRunners.substitute("$(LOOP)", variables) == String(repeating: "$(LOOP)", count: 8))
    // Order of the table does not matter: every run of a scan gives the same text.
    let parsed = TaskRunners.makeRecipes(lines("A = $(B) a\nB = b\nt:\n\techo $(A)\n"))
    #expect(parsed.recipes["t"]?.body == ["echo b a"])
  }

  @Test func justfile() {
    let parsed = TaskRunners.justRecipes(lines("set shell := [\"bash\", \"-c\"]\n\n# check all\ncheck: lint (test \"all\")\n\nlint:\n    @cargo clippy\n\ntest which:\n    cargo test {{which}}\n"))
    #expect(parsed.first == "check")
    #expect(parsed.recipes["check"]?.needs == ["lint", "test", "\"all\""])
    #expect(parsed.recipes["test"]?.body == ["cargo test {{which}}"])
  }

  @Test func rakefile() {
    let parsed = TaskRunners.rakeTasks(lines("task default: %i[spec rubocop]\n\nnamespace :ci do\n  task :all => [:spec, \"db:check\"] do\n    sh \"bin/rails test:system\"\n  end\nend\n\ntask(:lint) { sh \"rubocop\" }\n"))
    #expect(parsed.recipes["default"]?.needs == ["spec", "rubocop"])
    #expect(parsed.recipes["ci:all"]?.needs == ["spec", "db", "check"])
    #expect(parsed.recipes["ci:all"]?.body.contains("sh \"bin/rails test:system\"") == true)
    #expect(parsed.recipes["lint"] != nil)
  }

  @Test func toxAndNox() {
    let tox = TaskRunners.toxEnvironments(lines("[tox]\nenvlist =\n    py311\n    docs\n[testenv]\ncommands =\n    pytest -q\n    coverage report\n[testenv:docs]\ncommands = sphinx-build docs out\n"))
    #expect(tox.recipes["tox"]?.needs == ["py311", "docs"])
    #expect(tox.recipes["testenv"]?.body == ["pytest -q", "coverage report"])
    #expect(tox.recipes["testenv:docs"]?.body == ["sphinx-build docs out"])
    let nox = TaskRunners.noxSessions(lines("import nox\n\n@nox.session(name=\"unit-tests\")\ndef unit(session):\n    session.run(\"pytest\")\n\ndef helper():\n    pass\n\n@nox.session\ndef docs(session):\n    session.run(\"mkdocs\", \"build\")\n"))
    #expect(nox.recipes.keys.sorted() == ["docs", "unit-tests"])
    #expect(nox.recipes["unit-tests"]?.body == ["session.run(\"pytest\")"])
  }
}
