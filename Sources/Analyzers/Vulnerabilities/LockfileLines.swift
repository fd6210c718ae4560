import Advisories

/// Reads (package, version) pins out of a run of added lines of a lockfile, as the history pass hands
/// them over. A pin is found where name and version stand on one line (npm's `resolved` URL, pnpm keys,
/// go.sum, requirements, Gemfile.lock, gradle.lockfile) or where a name line is followed by a version
/// line (a package added whole to package-lock, poetry.lock, Cargo.lock, composer.lock, yarn.lock). For
/// the formats whose bumps rewrite only a `version = …` line (poetry, Cargo, composer, Pipfile, uv, pdm)
/// and Maven's `pom.xml` (`<version>` under its `<groupId>` and `<artifactId>`), the few lines above
/// the run in the new file are read too, for the name only: what they pin was pinned before.
enum LockfileLines {
  enum Kind: Sendable {
    case packageLock, yarn, pnpm, requirements, goModule, gemfileLock, gradleLockfile, keyValue, pom
  }

  /// How far above a run its block's name is looked for: a name line sits right above its version line
  /// (poetry, Cargo, composer), a `<groupId>` two lines above `<version>`.
  static let contextLines = 8
  static let contextBytes = 2048

  /// The lockfile names, as bytes: the history pass asks for every changed path of every commit, so
  /// the name is compared in place, never copied into a String.
  private static let names: [(name: [UInt8], kind: Kind, ecosystem: Ecosystem)] = ([
    ("package-lock.json", .packageLock, .npm), ("npm-shrinkwrap.json", .packageLock, .npm), ("yarn.lock", .yarn, .npm),
    ("pnpm-lock.yaml", .pnpm, .npm), ("poetry.lock", .keyValue, .pypi), ("Pipfile.lock", .keyValue, .pypi), ("uv.lock", .keyValue, .pypi),
    ("pdm.lock", .keyValue, .pypi), ("go.mod", .goModule, .go), ("go.sum", .goModule, .go), ("Cargo.lock", .keyValue, .crates),
    ("Gemfile.lock", .gemfileLock, .rubygems), ("gems.locked", .gemfileLock, .rubygems), ("composer.lock", .keyValue, .packagist),
    ("gradle.lockfile", .gradleLockfile, .maven), ("pom.xml", .pom, .maven),
  ] as [(String, Kind, Ecosystem)]).map { (Array($0.0.utf8), $0.1, $0.2) }
  private static let requirements = Array("requirements".utf8), txt = Array(".txt".utf8)

  /// The lockfile kind and ecosystem of a file name (the path's last component); nil for other files.
  static func kind(of path: UnsafeBufferPointer<UInt8>) -> (kind: Kind, ecosystem: Ecosystem)? {
    var start = path.count
    while start > 0 && path[start - 1] != UInt8(ascii: "/") { start -= 1 }
    let name = UnsafeBufferPointer(rebasing: path[start...])
    // Every name below is 6 to 40 bytes: most paths are refused by their length.
    guard name.count >= 6, name.count <= 40 else { return nil }
    for entry in names where entry.name.count == name.count && entry.name.elementsEqual(name) {
      return (entry.kind, entry.ecosystem)
    }
    return name.starts(with: requirements) && name.reversed().starts(with: txt.reversed()) ? (.requirements, .pypi) : nil
  }

  /// The lines above `run` in `file` (of which it is a slice) that may name its block: at most
  /// `contextLines` lines and `contextBytes` bytes; empty when `run` is not inside `file`.
  static func above(_ run: UnsafeBufferPointer<UInt8>, in file: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    guard let r = run.baseAddress, let f = file.baseAddress, r > f, r <= f + file.count else { return UnsafeBufferPointer(start: nil, count: 0) }
    let end = r - f
    var start = end, lines = 0
    while start > 0, end - start < contextBytes {
      if file[start - 1] == UInt8(ascii: "\n") {
        lines += 1
        if lines > contextLines { break }
      }
      start -= 1
    }
    return UnsafeBufferPointer(rebasing: file[start..<end])
  }

  /// Calls `pin(name, version)` for each pin the run shows, in line order. With `file` (the new file the
  /// run is a slice of), the lines above the run name the block of a version line at its top.
  static func pins(_ kind: Kind, _ content: UnsafeBufferPointer<UInt8>, in file: UnsafeBufferPointer<UInt8>? = nil,
                   _ pin: (Substring, Substring) -> Void) {
    let text = String(decoding: content, as: UTF8.self)
    let context: String
    switch kind {
    case .keyValue, .pom: context = file.map { String(decoding: above(content, in: $0), as: UTF8.self) } ?? ""
    default: context = ""
    }
    if kind == .pom {
      pom(context, text, file: file, pin)
      return
    }
    var pending: Substring?
    // The context's lines only set `pending`; a pin is said for the run's lines alone.
    let quiet: (Substring, Substring) -> Void = { _, _ in }
    for (lines, emit) in [(context, false), (text, true)] {
      for raw in lines.lines { read(raw, kind, &pending, emit ? pin : quiet) }
    }
  }

  private static func read(_ raw: Substring, _ kind: Kind, _ pending: inout Substring?, _ pin: (Substring, Substring) -> Void) {
    let line = raw.blanksTrimmed
    guard !line.isEmpty else { return }
    switch kind {
    case .goModule:
      goModule(line, pin)
      return
    case .requirements:
      requirement(line, pin)
      return
    case .gemfileLock:
      gem(raw, pin)
      return
    case .gradleLockfile:
      if let eq = line.firstIndex(of: "="), case let parts = line[..<eq].split(separator: ":"), parts.count == 3 {
        pin(line[line.startIndex..<parts[1].endIndex], parts[2])
      }
      return
    case .packageLock, .yarn, .pnpm, .keyValue, .pom:
      break
    }
    if let (name, version) = resolvedURL(line) ?? berryResolution(line) {
      pin(name, version)
      return
    }
    if let value = field(line, "version") {
      if let name = pending { pin(name, value.hasPrefix("==") ? value.dropFirst(2) : value) }
      pending = nil
    } else if let value = field(line, "name") {
      pending = value
    } else if var key = blockKey(line) {
      if let paren = key.firstIndex(of: "(") { key = key[..<paren] }  // pnpm's peers: `/x@1.0.0(react@18.2.0)`
      if kind == .pnpm || kind == .yarn, let at = key.dropFirst().lastIndex(of: "@") {
        // pnpm's `/lodash@4.17.21:` names the version; yarn's `lodash@^4.17.20, …:` a range.
        let name = key[key.startIndex..<at].drop { $0 == "/" }
        let version = key[key.index(after: at)...]
        if version.first?.isNumber == true, !version.contains(where: { " ,^~<>=|*".contains($0) }) { pin(name, version) }
        pending = name.hasSuffix("@npm") ? name.dropLast(4) : name
      } else if kind == .pnpm, let slash = key.dropFirst().lastIndex(of: "/"), key[key.index(after: slash)...].first?.isNumber == true {
        pin(key[key.startIndex..<slash].drop { $0 == "/" }, key[key.index(after: slash)...])  // pnpm 5: `/lodash/4.17.21:`
      } else {
        pending = key.bytes(of: "node_modules/", last: true).map { key[$0.upperBound...] } ?? key
      }
    }
  }

  /// `pom.xml`: a `<version>` after its block's `<groupId>` and `<artifactId>` pins "group:artifact"; a
  /// version `${x}` is the file's `<x>` property; a property changed on its own line pins every
  /// dependency whose version is `${x}`. The context's lines only name the block.
  static func pom(_ context: String, _ run: String, file: UnsafeBufferPointer<UInt8>?, _ pin: (Substring, Substring) -> Void) {
    let whole = file.map { String(decoding: $0, as: UTF8.self) } ?? run
    var properties: [Substring: Substring]?
    var group: Substring?, artifact: Substring?
    for (lines, emit) in [(context, false), (run, true)] {
      for raw in lines.lines {
        let line = raw.blanksTrimmed
        guard let (tag, value) = element(line) else {
          if line.hasPrefix("<dependency>") || line.hasPrefix("<plugin>") || line.hasPrefix("<parent>") || line.hasPrefix("</") { (group, artifact) = (nil, nil) }
          continue
        }
        switch tag {
        case "groupId": group = value
        case "artifactId": artifact = value
        case "version":
          if emit, let group, let artifact {
            if properties == nil, value.hasPrefix("${") { properties = pomProperties(whole) }
            let version = value.hasPrefix("${") && value.hasSuffix("}") ? properties?[value.dropFirst(2).dropLast()] : value
            if let version, !version.hasPrefix("$") { pin(Substring("\(group):\(artifact)"), version) }
          }
          (group, artifact) = (nil, nil)
        default:
          // (A run that holds the dependency too pins it at its `<version>` line.)
          guard emit, whole.contains("${\(tag)}"), !run.contains("${\(tag)}") else { continue }
          for coordinates in pomDependencies(using: tag, in: whole) { pin(Substring(coordinates), value) }
        }
      }
    }
  }

  /// `<tag>value</tag>` on one line: the tag and the value; nil for anything else.
  static func element(_ line: Substring) -> (tag: Substring, value: Substring)? {
    guard line.first == "<", let close = line.firstIndex(of: ">") else { return nil }
    let tag = line[line.index(after: line.startIndex)..<close]
    guard !tag.isEmpty, tag.first != "/", !tag.contains(" "), line.hasSuffix("</\(tag)>") else { return nil }
    let value = line[line.index(after: close)..<line.index(line.endIndex, offsetBy: -(tag.count + 3))].blanksTrimmed
    return value.isEmpty || value.contains("<") ? nil : (tag, value)
  }

  /// The `<properties>` of a pom.
  static func pomProperties(_ whole: String) -> [Substring: Substring] {
    var out: [Substring: Substring] = [:]
    var inside = false
    for raw in whole.lines {
      let line = raw.blanksTrimmed
      if line.hasPrefix("<properties>") { inside = true } else if line.hasPrefix("</properties>") { inside = false }
      if inside, let (tag, value) = element(line) { out[tag] = value }
    }
    return out
  }

  /// The "group:artifact" of every block whose version is `${property}`.
  static func pomDependencies(using property: Substring, in whole: String) -> [String] {
    var out: [String] = []
    var group: Substring?, artifact: Substring?
    for raw in whole.lines {
      guard let (tag, value) = element(raw.blanksTrimmed) else { continue }
      switch tag {
      case "groupId": group = value
      case "artifactId": artifact = value
      case "version":
        if let group, let artifact, value == "${\(property)}" { out.append("\(group):\(artifact)") }
        (group, artifact) = (nil, nil)
      default: break
      }
    }
    return out
  }

  /// `"version": "1.2.3",`, `version = "1.2.3"`, `version "1.2.3"`, `version: 1.2.3`: the value; nil
  /// for another key.
  static func field(_ line: Substring, _ key: String) -> Substring? {
    var rest = line
    if rest.first == "\"" { rest = rest.dropFirst() }
    guard rest.hasPrefix(key) else { return nil }
    rest = rest.dropFirst(key.count)
    if rest.first == "\"" { rest = rest.dropFirst() }
    guard let sep = rest.first, sep == ":" || sep == "=" || sep == " " else { return nil }
    rest = rest.dropFirst().blanksTrimmed
    if rest.first == "=" || rest.first == ":" { rest = rest.dropFirst().blanksTrimmed }
    while let last = rest.last, last == "," || last == "\"" || last == "'" { rest = rest.dropLast() }
    while let first = rest.first, first == "\"" || first == "'" { rest = rest.dropFirst() }
    return rest.isEmpty || rest.contains(where: { $0 == " " || $0 == "{" || $0 == "[" }) ? nil : rest
  }

  /// The key of a line that opens a block: `"node_modules/x": {`, `lodash@^1.0.0, lodash@^1.1.0:`,
  /// `/lodash@4.17.21:`; the first spec of a yarn header; quotes removed.
  static func blockKey(_ line: Substring) -> Substring? {
    var rest = line
    if rest.hasSuffix("{") { rest = rest.dropLast().blanksTrimmed }
    guard rest.last == ":" else { return nil }
    rest = rest.dropLast()
    if let comma = rest.firstIndex(of: ",") { rest = rest[..<comma] }
    rest = rest.blanksTrimmed
    while let q = rest.first, q == "\"" || q == "'" { rest = rest.dropFirst() }
    while let q = rest.last, q == "\"" || q == "'" { rest = rest.dropLast() }
    return rest.isEmpty || rest.contains(" ") ? nil : rest
  }

  /// `"resolved": "https://registry.npmjs.org/@scope/name/-/name-1.2.3.tgz"` (npm and yarn 1).
  static func resolvedURL(_ line: Substring) -> (Substring, Substring)? {
    guard let dash = line.bytes(of: "/-/"), let tgz = line[dash.upperBound...].bytes(of: ".tgz") else { return nil }
    let before = line[..<dash.lowerBound]
    // The package path follows the host: `…/lodash` or `…/@scope/name` (or `@scope%2fname`).
    var parts = before.split(separator: "/")
    guard let last = parts.popLast() else { return nil }
    var name = last
    if let scope = parts.last, scope.first == "@" { name = before[scope.startIndex..<last.endIndex] }
    let base = line[dash.upperBound..<tgz.lowerBound]
    let short = (last.bytes(of: "%2f") ?? last.bytes(of: "%2F")).map { last[$0.upperBound...] } ?? last
    guard base.hasPrefix(short), base.count > short.count + 1 else { return nil }
    let version = base.dropFirst(short.count + 1)
    return (name, version)
  }

  /// yarn 2+'s `resolution: "lodash@npm:4.17.21"`.
  static func berryResolution(_ line: Substring) -> (Substring, Substring)? {
    guard let value = field(line, "resolution"), let npm = value.bytes(of: "@npm:", last: true) else { return nil }
    return (value[..<npm.lowerBound], value[npm.upperBound...])
  }

  /// go.sum `mod v1.2.3[/go.mod] h1:…`, go.mod `require mod v1.2.3` and `mod v1.2.3 // indirect`.
  static func goModule(_ line: Substring, _ pin: (Substring, Substring) -> Void) {
    var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
    if let version = toolchain(fields) { return pin("stdlib", version) }
    if fields.first == "require" { fields.removeFirst() }
    guard fields.count >= 2, fields[0].contains("."), fields[1].first == "v" else { return }
    let version = fields[1].hasSuffix("/go.mod") ? fields[1].dropLast(7) : fields[1]
    pin(fields[0], version)
  }

  /// The Go release a go.mod line pins: `toolchain go1.22.1`, or `go 1.22.1` (with a patch version: `go
  /// 1.22` is a minimum the go command may exceed, not a pin).
  static func toolchain(_ fields: [Substring]) -> Substring? {
    guard fields.count >= 2 else { return nil }
    if fields[0] == "toolchain", fields[1].hasPrefix("go1.") { return fields[1].dropFirst(2) }
    if fields[0] == "go", fields[1].split(separator: ".").count == 3 { return fields[1] }
    return nil
  }

  /// `name==1.2.3`, `name[extra]==1.2.3 ; python_version < "3"`, `name===1.2.3`.
  static func requirement(_ line: Substring, _ pin: (Substring, Substring) -> Void) {
    guard line.first?.isLetter == true || line.first?.isNumber == true, let eq = line.bytes(of: "==") else { return }
    var name = line[..<eq.lowerBound].blanksTrimmed
    if let bracket = name.firstIndex(of: "[") { name = name[..<bracket] }
    var version = line[eq.upperBound...].drop { $0 == "=" }
    if let end = version.firstIndex(where: { $0 == " " || $0 == ";" || $0 == "#" || $0 == "\\" || $0 == "," }) { version = version[..<end] }
    if !name.isEmpty, !version.isEmpty { pin(name, version) }
  }

  /// Gemfile.lock's resolved specs are indented four spaces: `    rails (7.0.1)`; six spaces are their
  /// requirements (`      actionpack (= 7.0.1)`).
  static func gem(_ line: Substring, _ pin: (Substring, Substring) -> Void) {
    guard line.hasPrefix("    "), line.dropFirst(4).first != " ", let open = line.firstIndex(of: "("), line.last == ")" else { return }
    let name = line[line.index(line.startIndex, offsetBy: 4)..<open].blanksTrimmed
    var version = line[line.index(after: open)..<line.index(before: line.endIndex)]
    guard version.first?.isNumber == true else { return }
    if let dash = version.firstIndex(of: "-") { version = version[..<dash] }  // platform: 1.13.0-x86_64-linux
    pin(name, version)
  }
}

extension String {
  /// The lines, split on the byte "\n" without a trailing "\r": no grapheme breaking, which cost
  /// more than the reading itself on the lockfile lines of a long history.
  fileprivate var lines: [Substring] {
    utf8.split(separator: UInt8(ascii: "\n")).map { line in
      var line = Substring(line)
      if line.utf8.last == UInt8(ascii: "\r") { line = Substring(line.utf8.dropLast()) }
      return line
    }
  }
}

extension Substring {
  /// Where `needle` occurs (the first, or the `last`), compared by bytes: Foundation's `range(of:)`
  /// costs a bridged search per call, and this runs on every added lockfile line of the history.
  fileprivate func bytes(of needle: String, last: Bool = false) -> Range<Index>? {
    let n = Array(needle.utf8), u = utf8
    guard let first = n.first, u.count >= n.count else { return nil }
    var i = last ? u.index(u.endIndex, offsetBy: -n.count) : u.startIndex
    let end = u.index(u.endIndex, offsetBy: -n.count)
    while last ? i >= u.startIndex : i <= end {
      if u[i] == first, u[i...].starts(with: n) { return i..<u.index(i, offsetBy: n.count) }
      if last {
        guard i > u.startIndex else { break }
        i = u.index(before: i)
      } else {
        i = u.index(after: i)
      }
    }
    return nil
  }

  /// Without leading and trailing spaces and tabs.
  fileprivate var blanksTrimmed: Substring {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return self[endIndex...] }
    return self[first...last]
  }
}
