import GlobEngine
import SalvageCore

/// What a CI command runs, followed through the repository's own task definitions: package.json
/// scripts (npm, pnpm, Yarn, Bun, with their workspace flags), turbo and nx tasks, lerna, Makefile and
/// justfile targets, and rake tasks, down to a test runner. `npm run ci` in a workflow is a test run when
/// the `ci` script runs `turbo run test:e2e` and a package's `test:e2e` script runs `playwright test`.
/// Files are read only when a command needs them, each once.
final class TaskRunners {
  /// How many scripts deep a command is followed.
  static let maxDepth = 6
  /// Words after a tool that are read as its arguments (a real command line has a handful).
  static let maxArguments = 64

  private struct Package {
    let folder: String
    let name: String?
    let scripts: [String: String]
  }

  /// A make target, just recipe or rake task: its commands and the tasks it needs first.
  struct Recipe {
    var body: [String]
    var needs: [String]
  }

  private let files: [String: SnapshotFile]
  private let packageFolders: [String]
  private let testCommands: (String) -> [String]
  private var packages: [String: Package?] = [:]
  private var makefiles: [String: (recipes: [String: Recipe], first: String?)?] = [:]
  private var nxTargets: [String: [String: (runner: String?, commands: [String])]]?

  /// `testCommands` finds test runners named in a line of script (the rules' patterns).
  init(_ snapshot: Snapshot, testCommands: @escaping (String) -> [String]) {
    var files: [String: SnapshotFile] = [:]
    var folders: [String] = []
    let names: Set<String> = ["package.json", "project.json", "nx.json", "Makefile", "makefile", "GNUmakefile", "justfile",
                              "Justfile", ".justfile", "Rakefile", "rakefile", "Rakefile.rb", "tox.ini", "noxfile.py"]
    for file in snapshot.files where file.fileClass != .vendored {
      let path = file.displayPath
      // The file name without splitting the path: every file of the tree passes here.
      let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
      guard names.contains(name) || (path.hasSuffix(".rake") && path.contains("lib/tasks/")) else { continue }
      files[path] = file
      if name == "package.json" { folders.append(Self.folder(of: path)) }
    }
    self.files = files
    packageFolders = folders.sorted()
    self.testCommands = testCommands
  }

  /// The test runners a script reaches, each as the trail that leads to it ("npm run ci → turbo run
  /// test:e2e → playwright test"); the runners the script names itself are left to the caller.
  func follow(_ script: String) -> [String] {
    var found = Set<String>()
    var seen = Set<String>()
    for line in Self.logicalLines(script) { follow(line: line, folder: "", trail: [], depth: 0, seen: &seen, into: &found) }
    return found.sorted()
  }

  private func follow(line: String, folder start: String, trail: [String], depth: Int, seen: inout Set<String>, into found: inout Set<String>) {
    guard depth < Self.maxDepth else { return }
    var folder = start
    for segment in Self.segments(line) {
      let words = segment.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { Self.unquoted(String($0)) }.filter { !$0.isEmpty }
      if words.first == "cd", words.count == 2 {
        folder = Self.join(folder, words[1])
        continue
      }
      for (i, word) in words.enumerated() {
        let tool = word.split(separator: "/").last.map(String.init) ?? word
        // A tool reads at most `maxArguments` words after it: every word of a line may name a tool, and a
        // 100,000-word line (a hostile workflow) took minutes copying the rest of the line for each word.
        for step in steps(tool: tool, args: Array(words[(i + 1)...].prefix(Self.maxArguments)), folder: folder) {
          let key = step.label + "\u{0}" + step.folder
          guard seen.insert(key).inserted else { continue }
          let next = trail + [step.label]
          if let runner = step.runner { found.insert((next + [runner]).joined(separator: " → ")) }
          for text in step.scripts {
            for command in testCommands(text) {
              found.insert((next + [command]).joined(separator: " → "))
            }
            for inner in Self.logicalLines(text) {
              follow(line: inner, folder: step.folder, trail: next, depth: depth + 1, seen: &seen, into: &found)
            }
          }
        }
      }
    }
  }

  /// One thing a command runs: a named task, the scripts it stands for, the folder they run in, and a
  /// test runner when the task is one itself (an nx executor).
  private struct Step {
    let label: String
    let folder: String
    var scripts: [String] = []
    var runner: String? = nil
  }

  private func steps(tool: String, args: [String], folder: String) -> [Step] {
    switch tool {
    case "npm": return npm(args, folder: folder)
    case "pnpm": return pnpm(args, folder: folder)
    case "yarn": return yarn(args, folder: folder)
    case "bun":
      guard args.first == "run", args.count >= 2 else { return [] }
      return scripts(args[1], in: [folder], label: "bun run \(args[1])")
    case "turbo": return turbo(args)
    case "lerna":
      guard args.first == "run", let task = Self.positionals(args.dropFirst(), valued: ["--scope", "--ignore"]).first else { return [] }
      return scripts(task, in: packageFolders.filter { !$0.isEmpty }, label: "lerna run \(task)")
    case "nx": return nx(args)
    case "make", "$(MAKE)", "${MAKE}", "gmake": return make(args, folder: folder)
    case "just": return just(args, folder: folder)
    case "rake": return rake(args, folder: folder)
    case "tox": return tox(args, folder: folder)
    case "nox": return nox(args, folder: folder)
    default: return []
    }
  }

  // MARK: package.json scripts

  private func npm(_ args: [String], folder: String) -> [Step] {
    let valued: Set<String> = ["-w", "--workspace", "--prefix", "-C"]
    let words = Self.positionals(args, valued: valued)
    guard let command = words.first else { return [] }
    let script: String
    switch command {
    case "run", "run-script", "rum", "urn":
      guard words.count >= 2 else { return [] }
      script = words[1]
    case "test", "t", "tst": script = "test"
    default: return []
    }
    let base = Self.flagValues(args, ["--prefix", "-C"]).last.map { Self.join(folder, $0) } ?? folder
    let named = Self.flagValues(args, ["-w", "--workspace"])
    let all = args.contains("-ws") || args.contains("--workspaces")
    let label = "npm run \(script)" + (named.isEmpty ? "" : " -w \(named.joined(separator: " "))") + (all ? " --workspaces" : "")
    return scripts(script, in: all ? workspaceFolders() : named.isEmpty ? [base] : named.flatMap(packagesNamed), label: label)
  }

  private func pnpm(_ args: [String], folder: String) -> [Step] {
    let builtins: Set<String> = ["install", "i", "add", "remove", "rm", "update", "up", "exec", "dlx", "why", "list", "ls", "outdated",
                                 "audit", "store", "import", "link", "unlink", "prune", "publish", "pack", "rebuild", "setup",
                                 "env", "config", "fetch", "patch", "patch-commit", "deploy", "create", "init", "licenses", "server",
                                 "doctor", "install-test", "it", "root", "bin", "approve-builds", "self-update"]
    let valued: Set<String> = ["--filter", "-F", "-C", "--dir", "--workspace-concurrency", "--reporter"]
    var words = Self.positionals(args, valued: valued)
    if words.first == "run" { words.removeFirst() } else if let first = words.first, builtins.contains(first) { return [] }
    guard let script = words.first.map({ $0 == "t" || $0 == "tst" ? "test" : $0 }) else { return [] }
    let base = Self.flagValues(args, ["-C", "--dir"]).last.map { Self.join(folder, $0) } ?? folder
    let filters = Self.flagValues(args, ["--filter", "-F"])
    let all = args.contains("-r") || args.contains("--recursive")
    let folders = !filters.isEmpty ? filters.flatMap(packagesMatching) : all ? workspaceFolders() : [base]
    return scripts(script, in: folders, label: "pnpm run \(script)" + (filters.isEmpty ? "" : " --filter \(filters.joined(separator: " "))"))
  }

  private func yarn(_ args: [String], folder: String) -> [Step] {
    let builtins: Set<String> = ["install", "add", "remove", "upgrade", "up", "why", "info", "init", "dlx", "exec", "set", "config",
                                 "cache", "plugin", "npm", "pack", "publish", "version", "constraints", "link", "unlink", "bin", "node",
                                 "global", "import", "licenses", "outdated", "audit", "check", "autoclean", "login", "logout", "owner",
                                 "policy", "tag", "team", "create", "generate-lock-entry", "upgrade-interactive", "dedupe", "patch",
                                 "explain", "rebuild", "search", "stage", "unplug"]
    var words = Self.positionals(args, valued: ["--cwd", "--include", "--exclude", "--from", "-j", "--jobs"])
    if words.first == "workspace", words.count >= 3 {
      let script = words[2] == "run" && words.count >= 4 ? words[3] : words[2]
      return scripts(script, in: packagesNamed(words[1]), label: "yarn workspace \(words[1]) \(script)")
    }
    if words.first == "workspaces" {
      // `yarn workspaces foreach [-A] run S` (berry) and `yarn workspaces run S` (classic).
      guard let run = words.firstIndex(of: "run"), run + 1 < words.count else { return [] }
      return scripts(words[run + 1], in: workspaceFolders(), label: "yarn workspaces run \(words[run + 1])")
    }
    if words.first == "run" { words.removeFirst() } else if let first = words.first, builtins.contains(first) { return [] }
    guard let script = words.first else { return [] }
    let base = Self.flagValues(args, ["--cwd"]).last.map { Self.join(folder, $0) } ?? folder
    return scripts(script, in: [base], label: "yarn run \(script)")
  }

  /// `turbo run a b --filter=x` (or `turbo a b` in turbo 2): the task's script in every package.
  private func turbo(_ args: [String]) -> [Step] {
    var words = Self.positionals(args, valued: ["--filter", "-F", "--concurrency", "--cache-dir", "--graph", "--log-order",
                                               "--output-logs", "--env-mode", "--cache", "--ui", "--log-prefix"])
    if words.first == "run" { words.removeFirst() } else if let first = words.first,
      ["prune", "login", "logout", "link", "unlink", "gen", "generate", "daemon", "telemetry", "ls", "info", "query", "scan", "boundaries"].contains(first) {
      return []
    }
    let filters = Self.flagValues(args, ["--filter", "-F"])
    let folders = filters.isEmpty ? workspaceFolders() : filters.flatMap(packagesMatching)
    return words.flatMap { task in
      let script = task.split(separator: "#").last.map(String.init) ?? task
      return scripts(script, in: folders, label: "turbo run \(task)")
    }
  }

  /// The packages' scripts of that name, one step per package that has it.
  private func scripts(_ name: String, in folders: [String], label: String) -> [Step] {
    var out: [Step] = []
    for folder in Set(folders).sorted() {
      guard let package = package(at: folder), let text = package.scripts[name] else { continue }
      // npm runs pre- and post- scripts around it.
      let around = ["pre" + name, "post" + name].compactMap { package.scripts[$0] }
      out.append(Step(label: label + (folders.count > 1 ? " (\(folder.isEmpty ? "." : folder))" : ""), folder: folder,
                      scripts: [text] + around))
    }
    return out
  }

  private func package(at folder: String) -> Package? {
    if let known = packages[folder] { return known }
    var parsed: Package?
    if let bytes = files[Self.join(folder, "package.json")]?.content, let root = try? JSONDocument.parse(bytes, lenient: true) {
      var scripts: [String: String] = [:]
      for (key, node) in root["scripts"]?.pairs ?? [] { if let s = node.string { scripts[key] = s } }
      parsed = Package(folder: folder, name: root["name"]?.string, scripts: scripts)
    }
    packages[folder] = .some(parsed)
    return parsed
  }

  /// Every package below the root (a workspace's members; the root runs its own scripts only when named).
  private func workspaceFolders() -> [String] { packageFolders.filter { !$0.isEmpty } }

  private func packagesNamed(_ name: String) -> [String] {
    let path = Self.join("", name)
    if packageFolders.contains(path) { return [path] }
    return packageFolders.filter { package(at: $0)?.name == name }
  }

  /// pnpm and turbo filters: a name, a `@scope/*` pattern or a `./path/*` folder pattern; a filter on the
  /// dependency graph (`...`, `^`, `[ref]`) selects every package, as the graph is not read here.
  private func packagesMatching(_ filter: String) -> [String] {
    if filter.contains("...") || filter.contains("[") || filter.hasPrefix("!") || filter.hasPrefix("^") { return workspaceFolders() }
    if filter.hasPrefix("./") || filter.hasPrefix("{") {
      let glob = Glob("/" + filter.trimmingCharacters(in: ["{", "}", "."]).drop { $0 == "/" }, case: .sensitive, anchoring: .anyDepth)
      return packageFolders.filter { glob.matches(Array(($0 + "/").utf8)) || glob.matches(Array($0.utf8)) }
    }
    if filter.contains("*") {
      let glob = Glob("/" + filter, case: .sensitive, anchoring: .anyDepth)
      return packageFolders.filter { package(at: $0)?.name.map { glob.matches(Array($0.utf8)) } == true }
    }
    return packagesNamed(filter)
  }

  // MARK: nx

  /// `nx run-many -t a b`, `nx affected --target=a`, `nx run project:target`, `nx target project`.
  private func nx(_ args: [String]) -> [Step] {
    var targets = Self.flagValues(args, ["-t", "--target", "--targets"]).flatMap { $0.split(separator: ",").map(String.init) }
    var projects: [String]? = Self.flagValues(args, ["-p", "--projects", "--project"]).flatMap { $0.split(separator: ",").map(String.init) }
    let words = Self.positionals(args, valued: ["-t", "--target", "--targets", "-p", "--projects", "--project", "--configuration",
                                               "-c", "--parallel", "--base", "--head", "--exclude"])
    if let first = words.first, first == "run-many" || first == "affected" {
      // `-t a b`: the words after the flag are targets too.
      if let t = args.firstIndex(where: { $0 == "-t" || $0 == "--targets" || $0 == "--target" }) {
        for word in args[(t + 2)...].prefix(while: { !$0.hasPrefix("-") }) { targets.append(word) }
      }
    } else if words.first == "run", words.count >= 2 {
      let parts = words[1].split(separator: ":").map(String.init)
      guard parts.count >= 2 else { return [] }
      projects = [parts[0]]
      targets = [parts[1]]
    } else if let first = words.first, !["graph", "show", "reset", "daemon", "format", "generate", "g", "migrate", "release", "init",
                                          "add", "list", "report", "connect", "sync", "watch", "exec", "view-logs"].contains(first) {
      targets = [first]
      projects = words.count >= 2 ? [words[1]] : nil
    }
    if projects?.isEmpty == true { projects = nil }
    var out: [Step] = []
    let known = nxProjects()
    for target in Set(targets).sorted() {
      // Targets from project.json (an executor or commands), then package.json scripts of that name.
      for (folder, projectTargets) in known.sorted(by: { $0.key < $1.key }) {
        guard let defined = projectTargets[target] else { continue }
        if let projects, !projects.contains(Self.lastSegment(folder)) { continue }
        out.append(Step(label: "nx run \(Self.lastSegment(folder)):\(target)", folder: folder, scripts: defined.commands, runner: defined.runner))
      }
      let scriptFolders = projects.map { $0.flatMap(packagesNamed) + $0.flatMap { p in packageFolders.filter { Self.lastSegment($0) == p } } }
        ?? workspaceFolders()
      out += scripts(target, in: scriptFolders, label: "nx run-many -t \(target)")
    }
    return out
  }

  /// project.json targets by project folder: the test runner its executor is, and its commands.
  private func nxProjects() -> [String: [String: (runner: String?, commands: [String])]] {
    if let nxTargets { return nxTargets }
    var out: [String: [String: (runner: String?, commands: [String])]] = [:]
    let runners = ["jest", "vitest", "vite:test", "playwright", "cypress", "karma", "mocha", "jasmine"]
    for (path, file) in files where path.hasSuffix("project.json") && Self.lastSegment(path) == "project.json" {
      guard let bytes = file.content, let root = try? JSONDocument.parse(bytes, lenient: true) else { continue }
      var targets: [String: (runner: String?, commands: [String])] = [:]
      for (name, target) in root["targets"]?.pairs ?? [] {
        let executor = target["executor"]?.string ?? ""
        let runner = runners.contains { executor.lowercased().contains($0) } ? "nx executor \(executor)" : nil
        var commands: [String] = []
        if let c = target["options"]?["command"]?.string { commands.append(c) }
        for c in target["options"]?["commands"]?.array ?? [] { if let s = c.string ?? c["command"]?.string { commands.append(s) } }
        targets[name] = (runner, commands)
      }
      out[Self.folder(of: path)] = targets
    }
    nxTargets = out
    return out
  }

  // MARK: make, just, rake

  private func make(_ args: [String], folder: String) -> [Step] {
    let base = Self.flagValues(args, ["-C", "--directory"]).last.map { Self.join(folder, $0) } ?? folder
    let file = Self.flagValues(args, ["-f", "--file", "--makefile"]).last
    let targets = Self.positionals(args, valued: ["-C", "--directory", "-f", "--file", "--makefile", "-j", "--jobs", "-l"]).filter { !$0.contains("=") }
    let paths = file.map { [Self.join(base, $0)] } ?? ["GNUmakefile", "makefile", "Makefile"].map { Self.join(base, $0) }
    guard let path = paths.first(where: { files[$0] != nil }), let parsed = recipes(path, parse: Self.makeRecipes) else { return [] }
    return expand(targets.isEmpty ? parsed.first.map { [$0] } ?? [] : targets, parsed.recipes, tool: "make", folder: base)
  }

  private func just(_ args: [String], folder: String) -> [Step] {
    let targets = Self.positionals(args, valued: ["-f", "--justfile", "-d", "--working-directory", "--set"]).prefix(1)
    guard let path = ["justfile", "Justfile", ".justfile"].map({ Self.join(folder, $0) }).first(where: { files[$0] != nil }),
          let parsed = recipes(path, parse: Self.justRecipes) else { return [] }
    let target = targets.first ?? (parsed.recipes["default"] != nil ? "default" : parsed.first)
    return expand(target.map { [$0] } ?? [], parsed.recipes, tool: "just", folder: folder)
  }

  private func rake(_ args: [String], folder: String) -> [Step] {
    let targets = Self.positionals(args, valued: ["-f", "--rakefile", "-C", "--directory"]).filter { !$0.contains("=") }
    var recipes: [String: Recipe] = [:]
    for path in files.keys.sorted() where path == Self.join(folder, "Rakefile") || path == Self.join(folder, "rakefile")
      || path == Self.join(folder, "Rakefile.rb") || path.hasPrefix(Self.join(folder, "lib/tasks/")) {
      if let parsed = self.recipes(path, parse: Self.rakeTasks) { recipes.merge(parsed.recipes) { a, b in Recipe(body: a.body + b.body, needs: a.needs + b.needs) } }
    }
    return expand(targets.isEmpty ? ["default"] : targets, recipes, tool: "rake", folder: folder)
  }

  /// `tox -e a,b` (or tox's envlist): each environment's `commands`, `[testenv:name]` or the shared
  /// `[testenv]`. Without a tox.ini here (tox.toml, pyproject.toml), tox is taken to run the tests.
  private func tox(_ args: [String], folder: String) -> [Step] {
    let path = Self.join(folder, "tox.ini")
    guard files[path] != nil else { return [Step(label: "tox", folder: folder, runner: "tox (configuration not read)")] }
    guard let parsed = recipes(path, parse: Self.toxEnvironments) else { return [] }
    var envs = Self.flagValues(args, ["-e", "--envlist"]).flatMap { $0.split(separator: ",").map(String.init) }
    if envs.isEmpty { envs = parsed.recipes["tox"]?.needs ?? [] }
    return envs.map { env in
      let body = parsed.recipes["testenv:" + env]?.body ?? parsed.recipes["testenv"]?.body ?? []
      return Step(label: "tox -e \(env)", folder: folder, scripts: [body.joined(separator: "\n")])
    }
  }

  /// `nox -s a b` (or every session): each `@nox.session` function's body.
  private func nox(_ args: [String], folder: String) -> [Step] {
    let path = Self.join(folder, "noxfile.py")
    guard files[path] != nil else { return [Step(label: "nox", folder: folder, runner: "nox (configuration not read)")] }
    guard let parsed = recipes(path, parse: Self.noxSessions) else { return [] }
    var sessions = Self.flagValues(args, ["-s", "--session", "--sessions"])
    if let s = args.firstIndex(where: { $0 == "-s" || $0 == "--session" || $0 == "--sessions" }) {
      sessions += args.dropFirst(s + 2).prefix { !$0.hasPrefix("-") }
    }
    let names = sessions.isEmpty ? parsed.recipes.keys.sorted() : sessions
    return names.compactMap { name in
      parsed.recipes[name].map { Step(label: "nox -s \(name)", folder: folder, scripts: [$0.body.joined(separator: "\n")]) }
    }
  }

  /// tox.ini sections: `testenv` and `testenv:name` with their `commands` lines, and `tox` with its
  /// envlist as needs.
  static func toxEnvironments(_ lines: [String]) -> (recipes: [String: Recipe], first: String?) {
    var recipes: [String: Recipe] = [:]
    var section = "", key = ""
    for line in lines {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("#") || trimmed.hasPrefix(";") || trimmed.isEmpty { continue }
      if trimmed.hasPrefix("[") {
        section = trimmed.trimmingCharacters(in: ["[", "]", " "])
        key = ""
        continue
      }
      let continued = line.first == " " || line.first == "\t"
      if !continued, let equals = trimmed.firstIndex(of: "=") {
        key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
        let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        if key == "commands", !value.isEmpty { recipes[section, default: Recipe(body: [], needs: [])].body.append(value) }
        if section == "tox", key == "envlist" || key == "env_list" {
          recipes["tox", default: Recipe(body: [], needs: [])].needs += value.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        }
        continue
      }
      if continued, key == "commands" { recipes[section, default: Recipe(body: [], needs: [])].body.append(trimmed) }
      if continued, section == "tox", key == "envlist" || key == "env_list" {
        recipes["tox", default: Recipe(body: [], needs: [])].needs += trimmed.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
      }
    }
    return (recipes, nil)
  }

  /// noxfile.py: the functions decorated as sessions (by `session` in the decorator), each with its
  /// body up to the next unindented line; `name=` in the decorator renames the session.
  static func noxSessions(_ lines: [String]) -> (recipes: [String: Recipe], first: String?) {
    var recipes: [String: Recipe] = [:]
    var decorated: String??
    var current: String?
    for line in lines {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("@") {
        if trimmed.contains("session") {
          var renamed: String?
          if let r = trimmed.range(of: "name=") {
            renamed = trimmed[r.upperBound...].split(whereSeparator: { $0 == "," || $0 == ")" }).first
              .map { $0.trimmingCharacters(in: ["\"", "'", " "]) }
          }
          decorated = .some(renamed)
        }
        current = nil
        continue
      }
      if line.hasPrefix("def "), let decorator = decorated {
        let name = decorator ?? String(line.dropFirst(4).prefix { $0 != "(" })
        recipes[name] = Recipe(body: [], needs: [])
        current = name
        decorated = nil
        continue
      }
      if let first = line.first, first != " ", first != "\t", first != "#" {
        current = nil
        decorated = nil
      }
      if let current, !trimmed.isEmpty { recipes[current]?.body.append(trimmed) }
    }
    return (recipes, nil)
  }

  private func recipes(_ path: String, parse: ([String]) -> (recipes: [String: Recipe], first: String?)) -> (recipes: [String: Recipe], first: String?)? {
    if let known = makefiles[path] { return known }
    let parsed = files[path]?.content.map { parse(String(decoding: $0, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)) }
    makefiles[path] = .some(parsed)
    return parsed
  }

  /// Each target with the targets it needs first, as steps whose scripts are their bodies.
  private func expand(_ targets: [String], _ recipes: [String: Recipe], tool: String, folder: String) -> [Step] {
    var out: [Step] = []
    // Each target with the trail of targets that needed it ("make ci → make test").
    var queue = targets.map { ($0, "\(tool) \($0)") }, seen = Set<String>()
    while !queue.isEmpty, out.count < 50 {
      let (target, label) = queue.removeFirst()
      guard seen.insert(target).inserted else { continue }
      // A test task by name that the file does not define: Rails' and rspec-rails' own rake tasks.
      guard let recipe = recipes[target] else {
        if tool == "rake", target == "test" || target.hasPrefix("test:") || target == "spec" || target.hasPrefix("spec:") {
          out.append(Step(label: label, folder: folder, runner: target.hasPrefix("spec") ? "rspec" : "rails test"))
        }
        continue
      }
      out.append(Step(label: label, folder: folder, scripts: [recipe.body.joined(separator: "\n")]))
      queue += recipe.needs.map { ($0, label + " → \(tool) \($0)") }
    }
    return out
  }

  static func makeRecipes(_ lines: [String]) -> (recipes: [String: Recipe], first: String?) {
    var variables: [String: String] = [:]
    var recipes: [String: Recipe] = [:]
    var first: String?
    var current: [String] = []
    for line in lines {
      if line.hasPrefix("\t") {
        for target in current { recipes[target]?.bodyAppend(substitute(line.dropFirst().description, variables)) }
        continue
      }
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      // `NAME = value` (also :=, ?=, +=, export NAME = value): a variable, not a target.
      if let equals = trimmed.firstIndex(of: "=") {
        var name = trimmed[..<equals].trimmingCharacters(in: [" ", ":", "?", "+", "!"])
        for prefix in ["export ", "override "] where name.hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
        if !name.isEmpty, !name.contains(" "), !name.contains(":") || trimmed[..<equals].hasSuffix(":") {
          variables[name] = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
          current = []
          continue
        }
      }
      guard let colon = trimmed.firstIndex(of: ":"), !trimmed.hasPrefix("."), trimmed[colon...].hasPrefix(":=") == false else {
        current = []
        continue
      }
      let names = trimmed[..<colon].split(separator: " ").map(String.init).filter { !$0.contains("%") && !$0.contains("$") }
      var rest = trimmed[trimmed.index(after: colon)...]
      if rest.hasPrefix(":") { rest = rest.dropFirst() }
      let needsAndInline = rest.split(separator: ";", maxSplits: 1)
      let needs = (needsAndInline.first ?? "").split(separator: " ").map(String.init).filter { !$0.hasPrefix("|") && !$0.contains("$") }
      current = names
      for name in names {
        if first == nil { first = name }
        var recipe = recipes[name] ?? Recipe(body: [], needs: [])
        recipe = Recipe(body: recipe.body + (needsAndInline.count > 1 ? [needsAndInline[1].trimmingCharacters(in: .whitespaces)] : []), needs: recipe.needs + needs)
        recipes[name] = recipe
      }
    }
    return (recipes, first)
  }

  static func justRecipes(_ lines: [String]) -> (recipes: [String: Recipe], first: String?) {
    var recipes: [String: Recipe] = [:]
    var first: String?
    var current: String?
    for line in lines {
      if line.hasPrefix(" ") || line.hasPrefix("\t") {
        if let current { recipes[current]?.bodyAppend(line.trimmingCharacters(in: .whitespaces).drop { $0 == "@" || $0 == "-" }.description) }
        continue
      }
      current = nil
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.hasPrefix("set "), !trimmed.hasPrefix("["), !trimmed.hasPrefix("import "),
            !trimmed.hasPrefix("alias "), let colon = trimmed.firstIndex(of: ":"), !trimmed[colon...].hasPrefix(":=") else { continue }
      let head = trimmed[..<colon].split(separator: " ")
      guard let name = head.first.map({ String($0.drop { $0 == "@" }) }), !name.isEmpty else { continue }
      let needs = trimmed[trimmed.index(after: colon)...].split(separator: " ").map { String($0).trimmingCharacters(in: ["(", ")"]) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.contains("&&") }
      if first == nil { first = name }
      recipes[name] = Recipe(body: [], needs: needs)
      current = name
    }
    return (recipes, first)
  }

  /// `task name: [:a, :b] do … end`, `task :name => :a`, `task default: %i[test spec]`: the task's
  /// prerequisites, and its body up to the next task (over-reaching is harmless: only runners count).
  static func rakeTasks(_ lines: [String]) -> (recipes: [String: Recipe], first: String?) {
    var recipes: [String: Recipe] = [:]
    var first: String?
    var current: String?
    var namespaces: [(name: String, indent: Int)] = []
    for line in lines {
      let indent = line.prefix { $0 == " " }.count
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      // Ruby as usually indented: a line no deeper than a namespace's own closes it.
      while let last = namespaces.last, indent <= last.indent, !trimmed.isEmpty { namespaces.removeLast() }
      if trimmed == "end" {
        if indent == 0 { current = nil }
        continue
      }
      if trimmed.hasPrefix("namespace ") {
        let name = trimmed.dropFirst(10).split(whereSeparator: { " (do".contains($0) }).first.map { $0.trimmingCharacters(in: [":", "\"", "'"]) }
        if let name { namespaces.append((name, indent)) }
        current = nil
        continue
      }
      guard trimmed.hasPrefix("task ") || trimmed.hasPrefix("task(") else {
        if let current, !trimmed.isEmpty { recipes[current]?.bodyAppend(trimmed) }
        continue
      }
      var rest = trimmed.dropFirst(4).trimmingCharacters(in: [" ", "("])
      var name: String
      var needsText = ""
      if rest.hasPrefix(":") || rest.hasPrefix("\"") || rest.hasPrefix("'") {
        rest = rest.trimmingCharacters(in: [":"])
        let end = rest.firstIndex { " ,=)".contains($0) } ?? rest.endIndex
        name = rest[..<end].trimmingCharacters(in: ["\"", "'"])
        if let arrow = rest.range(of: "=>") { needsText = String(rest[arrow.upperBound...]) }
      } else {
        let end = rest.firstIndex { $0 == ":" } ?? rest.endIndex
        name = String(rest[..<end])
        if end < rest.endIndex { needsText = String(rest[rest.index(after: end)...]) }
      }
      if let doAt = needsText.range(of: " do") { needsText = String(needsText[..<doAt.lowerBound]) }
      let needs = needsText.replacingOccurrences(of: "%i[", with: "").replacingOccurrences(of: "%w[", with: "")
        .split(whereSeparator: { " ,[]:\"'{}()".contains($0) }).map(String.init).filter { !$0.isEmpty && $0 != "end" }
      let full = (namespaces.map(\.name) + [name]).joined(separator: ":")
      if first == nil { first = full }
      recipes[full, default: Recipe(body: [], needs: [])] = Recipe(body: recipes[full]?.body ?? [], needs: (recipes[full]?.needs ?? []) + needs)
      current = full
    }
    return (recipes, first)
  }

  // MARK: words

  /// Script lines with `\` continuations joined.
  static func logicalLines(_ text: String) -> [String] {
    var out: [String] = []
    var pending = ""
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("#") { continue }
      if line.hasSuffix("\\") {
        pending += line.dropLast().trimmingCharacters(in: .whitespaces) + " "
        continue
      }
      out.append(pending + line)
      pending = ""
    }
    if !pending.isEmpty { out.append(pending) }
    return out.filter { !$0.isEmpty }
  }

  /// The commands of a line: split at `&&`, `||`, `;` and `|`.
  static func segments(_ line: String) -> [String] {
    var out: [String] = []
    var current = ""
    var chars = Array(line)[...]
    while let c = chars.first {
      chars = chars.dropFirst()
      if c == ";" || ((c == "&" || c == "|") && chars.first == c) || c == "|" {
        if c != ";" && chars.first == c { chars = chars.dropFirst() }
        out.append(current)
        current = ""
      } else {
        current.append(c)
      }
    }
    out.append(current)
    return out.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  static func unquoted(_ word: String) -> String { word.trimmingCharacters(in: ["\"", "'", "`", "(", ")"]) }

  /// Words that are not flags nor the values of `valued` flags.
  static func positionals(_ args: some Collection<String>, valued: Set<String>) -> [String] {
    var out: [String] = []
    var skip = false
    for word in args {
      if skip { skip = false; continue }
      if word == "--" { continue }
      if word.hasPrefix("-") {
        if valued.contains(word) { skip = true }
        continue
      }
      out.append(word)
    }
    return out
  }

  /// The values of the named flags, given as `--flag value` or `--flag=value`.
  static func flagValues(_ args: [String], _ names: [String]) -> [String] {
    var out: [String] = []
    for (i, word) in args.enumerated() {
      for name in names {
        if word == name, i + 1 < args.count { out.append(args[i + 1]) }
        if word.hasPrefix(name + "=") { out.append(String(word.dropFirst(name.count + 1))) }
      }
    }
    return out
  }

  /// `$(NAME)` and `${NAME}` of known variables replaced by their values, in one pass over the line,
  /// then again over the result for references the values hold, at most three passes and up to 64 KiB
  /// (a Makefile is the scanned repository's: its variables may refer to each other without end).
  /// Unknown references stay as they are.
  static func substitute(_ line: String, _ variables: [String: String]) -> String {
    var out = line
    for _ in 0..<3 {
      guard out.utf8.contains(UInt8(ascii: "$")) else { break }
      let (next, replaced) = substituteOnce(out, variables)
      guard replaced, next.utf8.count <= 64 << 10 else { break }
      out = next
    }
    return out
  }

  private static func substituteOnce(_ line: String, _ variables: [String: String]) -> (String, Bool) {
    let bytes = Array(line.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var replaced = false
    var i = 0
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: "$"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "(") || bytes[i + 1] == UInt8(ascii: "{") {
        let close = bytes[i + 1] == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "}")
        if let end = bytes[(i + 2)...].firstIndex(where: { $0 == close || $0 == UInt8(ascii: "$") }), bytes[end] == close,
           let value = variables[String(decoding: bytes[(i + 2)..<end], as: UTF8.self)] {
          out.append(contentsOf: value.utf8)
          replaced = true
          i = end + 1
          continue
        }
      }
      out.append(bytes[i])
      i += 1
    }
    return (String(decoding: out, as: UTF8.self), replaced)
  }

  static func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return String(path[..<slash])
  }

  static func lastSegment(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

  /// A folder relative to the repository root, from a base folder and a relative (or `./`) path.
  static func join(_ base: String, _ relative: String) -> String {
    var parts = base.split(separator: "/").map(String.init)
    for part in relative.split(separator: "/") {
      if part == "." || part.isEmpty { continue }
      if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
      parts.append(String(part))
    }
    return parts.joined(separator: "/")
  }
}

extension TaskRunners.Recipe {
  mutating func bodyAppend(_ line: String) { body.append(line) }
}
