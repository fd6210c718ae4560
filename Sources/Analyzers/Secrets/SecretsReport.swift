import Git
import Matcher
import SalvageCore

/// Joins what history and the tip said into one finding per distinct secret and per sensitive file,
/// and the figures of `analyzers.secrets`.
struct SecretsReport {
  let context: ScanContext
  let matcher: SecretMatcher
  let history: HistoryTally
  let tip: TipScan

  private var commits: [Commit] { context.history.commits }

  /// The key of the fingerprints this report prints (`Redaction.keyed`): a hash of the tree of the
  /// root commit of the tip's first-parent line (`History.mainLineRoot`). No output prints a tree id,
  /// while reports do print commit ids (the root commit can be where a secret came in). A rebase, an
  /// amend, a merge of another history, even a rewrite of the root commit's message or author leave
  /// that tree alone, so baselines keep matching. Without the tree (a repository-less context), the
  /// root commit's id stands in. Empty for an empty history.
  static func fingerprintKey(_ context: ScanContext) -> [UInt8] {
    guard let root = context.history.mainLineRoot(head: context.repository.head) else { return [] }
    let seed = context.mainLineRootTree ?? context.history.commits[root].id
    return SHA256.digest(Array("salvage secret fingerprints, key 2".utf8) + [0] + seed.bytes)
  }

  /// The key fingerprints had before (the main line's root commit id itself): findings keep the ids it
  /// gives as former ids, so a baseline written then still accepts them.
  static func formerFingerprintKey(_ history: History, head: String?) -> [UInt8] {
    history.mainLineRoot(head: head).map { history.commits[$0].id.bytes } ?? []
  }

  /// The key fingerprints are printed under, and the key of the ids a baseline may still hold.
  struct FingerprintKeys {
    let current: [UInt8]
    let former: [UInt8]
  }

  private static let plainText = Array(".txt".utf8)

  /// One finding before it is turned into JSON, with what the figures need.
  struct Entry {
    let finding: Finding
    let kind: Kind
    let fingerprint: String
    let preview: String?
    let inHead: Bool
    let tipUnscanned: Bool
    let inTest: Bool
    /// `live`, or why it is not a live credential: `test`, `example`, `public`, `expired`.
    let context: SecretContext
    let introduced: Int?
    let path: [UInt8]?
    let line: Int?

    enum Kind: String { case secret, file }
  }

  func build(analyzer id: String) -> Analysis<SecretsOutput> {
    let keys = FingerprintKeys(current: Self.fingerprintKey(context),
                               former: Self.formerFingerprintKey(context.history, head: context.repository.head))
    let entries = secretEntries(id, keys: keys) + fileEntries(id, keys: keys)
    var components: [String: (secrets: Int, live: Int)] = [:]
    for entry in entries {
      guard let path = entry.path else { continue }
      let name = context.components.component(of: path)
      components[name, default: (0, 0)].secrets += 1
      if entry.inHead && entry.context == .live { components[name, default: (0, 0)].live += 1 }
    }
    return Analysis(
      output(entries), findings: entries.map(\.finding),
      components: components.mapValues { SecretsOutput.Component(findings: $0.secrets, live: $0.live) })
  }

  // MARK: - Secrets

  /// One distinct secret: what the tip and history said about it, under the fingerprint of the rule
  /// that reports it, with the other rules that matched the same bytes.
  struct Record {
    var fingerprint: String
    var rule: Int
    var preview: String
    var standing: TipScan.Secret?
    var seen: HistorySighting?
    var others: [(rule: String, fingerprint: String)] = []
    var verdict: SecretVerdict { standing?.verdict ?? seen?.verdict ?? .unchecked }
  }

  /// Secrets by fingerprint, where several rules that captured the same bytes (a token in `.npmrc` is
  /// both an npm token and an npmrc credential) are joined under the most severe, most specific one.
  func records() -> [Record] {
    var byHash: [UInt64: [Record]] = [:]
    for fingerprint in Set(history.secrets.keys).union(tip.secrets.keys).sorted() {
      let seen = history.secrets[fingerprint]
      let standing = tip.secrets[fingerprint]
      let record = Record(fingerprint: fingerprint, rule: standing?.rule ?? seen!.rule, preview: standing?.preview ?? seen!.preview,
                          standing: standing, seen: seen)
      byHash[standing?.secretHash ?? seen!.secretHash, default: []].append(record)
    }
    func rank(_ record: Record) -> (Int, Int, Int) {
      let rule = matcher.rules[record.rule]
      let severity = Severity(rawValue: rule.severity) ?? .medium
      return (-Severity.allCases.firstIndex(of: severity)!, rule.generic ? 1 : 0, record.rule)
    }
    var result: [Record] = []
    for group in byHash.values {
      let sorted = group.sorted { rank($0) < rank($1) }
      var primary = sorted[0]
      for other in sorted.dropFirst() {
        primary.others.append((matcher.rules[other.rule].id, other.fingerprint))
        if let standing = other.standing {
          if primary.standing == nil {
            primary.standing = TipScan.Secret(rule: primary.rule, preview: primary.preview, secretHash: standing.secretHash,
                                              verdict: primary.seen?.verdict ?? standing.verdict)
            primary.standing!.allInTest = standing.allInTest
          } else {
            primary.standing!.allInTest = primary.standing!.allInTest && standing.allInTest
          }
          primary.standing!.places += standing.places
        }
        if let seen = other.seen {
          if primary.seen == nil { primary.seen = seen } else { primary.seen!.absorb(seen) }
        }
      }
      if var standing = primary.standing {
        var unique: [TipScan.Place] = []
        for place in standing.places.sorted(by: { ($0.file, $0.line) < ($1.file, $1.line) })
        where unique.last.map({ $0.file != place.file || $0.line != place.line }) ?? true {
          unique.append(place)
        }
        standing.places = unique
        primary.standing = standing
      }
      result.append(primary)
    }
    return result.sorted { $0.fingerprint < $1.fingerprint }
  }

  private func secretEntries(_ analyzer: String, keys: FingerprintKeys) -> [Entry] {
    records().map { record in
      let fingerprint = Redaction.keyed(record.fingerprint, key: keys.current)
      let seen = record.seen
      let standing = record.standing
      let rule = matcher.rules[record.rule]
      let preview = record.preview
      let introduced = seen.flatMap { oldest($0.firstPlaces.keys) }
      let firstPlace = introduced.flatMap { seen?.firstPlaces[Int32($0)] }
      let inHead = standing != nil
      // A secret history added to a tip file too large to scan there: the tip cannot say.
      let tipUnscanned = !inHead && (seen?.firstPlaces.values.contains { unscannedAtTip(history.paths[$0.path]) } ?? false)
      let inTest = (standing?.allInTest ?? true) && (seen?.allInTest ?? true)
      let places = standing?.places ?? []
      let occurrences = max(seen?.additions ?? 0, places.count)
      // Every place it stands (at the tip, else where history added it) is documentation: prose with
      // markup. A plain `.txt` is filed under docs too, but tools keep settings and people keep
      // passwords in such files (HeidiSQL's portable_settings.txt, passwords.txt).
      let docPaths = places.isEmpty ? firstPlace.map { [history.paths[$0.path]] } ?? [] : places.map { context.snapshot.files[$0.file].path }
      let inDocs = !docPaths.isEmpty && docPaths.allSatisfy { context.classifier.classify($0) == .docs && !$0.suffix(4).elementsEqual(Self.plainText) }
      let judgement = judge(rule, record.verdict, inTest: inTest, inDocs: inDocs)
      let severity = judgement.severity

      let path: [UInt8]?
      let line: Int?
      if let first = places.first {
        path = context.snapshot.files[first.file].path
        line = first.line
      } else {
        path = firstPlace.map { history.paths[$0.path] }
        line = firstPlace.map { Int($0.line) }
      }
      let locations = places.prefix(SecretsAnalyzer.maxLocations).map { place in
        SecretEvidence.Place(path: context.snapshot.files[place.file].displayPath, line: place.line)
      }
      var tags: [String] = []
      if !inHead { tags.append(tipUnscanned ? "tip-unscanned" : "history-only") }
      if inTest { tags.append("test") }
      if let tag = judgement.tag { tags.append(tag) }

      var message = "\(rule.title) (\(preview))"
      let origin = introduced.map { " was " + describe($0) } ?? ""
      if let first = places.first {
        let elsewhere = places.count > 1 ? " and \(places.count - 1) other place\(places.count > 2 ? "s" : "")" : ""
        message += " is in the tip tree at \(context.snapshot.files[first.file].displayPath):\(first.line)\(elsewhere)."
        if let introduced {
          message += " It was first " + describe(introduced) + "."
        } else {
          message += " No diffed commit added it (it came in through a merge resolution, or before --since)."
        }
        message += " Rotate it (revoke and reissue), then take it out of the code."
      } else if tipUnscanned {
        message += origin + ", in a file still in the tip but over the \(SecretsAnalyzer.tipFileCap >> 20) MiB tip scan cap,"
        message += " so whether it is still there is not known. Rotate it either way."
      } else {
        message += origin + " and removed later: it survives in history, so it must still be rotated (deleting it does not revoke it)."
      }
      if judgement.context != .live {
        // Not a live credential: say where it is and why, without the rotation call.
        message = "\(rule.title) (\(preview))"
        if let first = places.first {
          message += " at \(context.snapshot.files[first.file].displayPath):\(first.line)"
        } else if let path {
          message += " in history at \(PathText.display(path))" + (line.map { ":\($0)" } ?? "")
        }
        message += ": " + judgement.reason
      } else if let note = judgement.note {
        message += " " + note
      }

      let evidence = SecretEvidence(
        kind: "secret", inHead: inHead, tipUnscanned: tipUnscanned, fingerprint: fingerprint, preview: preview, occurrences: occurrences,
        commits: seen?.commitCount ?? 0, locations: locations,
        introduced: introduced.map { introduction($0, path: firstPlace.map { history.paths[$0.path] }, line: firstPlace.map { Int($0.line) }) },
        inTestPath: inTest, context: judgement.context, verdict: judgement.verdict,
        reason: judgement.context == .live ? judgement.note : judgement.reason, ruleSeverity: rule.severity,
        alsoMatchedBy: record.others.map { .init(rule: $0.rule, fingerprint: Redaction.keyed($0.fingerprint, key: keys.current)) }, tags: tags)
      let finding = Finding(
        analyzer: analyzer, rule: rule.id, key: fingerprint, severity: severity, title: rule.title, message: message,
        location: Location(path: path.map(PathText.display), line: line, commit: introduced.map { commits[$0].id.hex }),
        evidence: evidence, formerKeys: [Redaction.keyed(record.fingerprint, key: keys.former)])
      return Entry(finding: finding, kind: .secret, fingerprint: fingerprint, preview: preview, inHead: inHead,
                   tipUnscanned: tipUnscanned, inTest: inTest, context: judgement.context, introduced: introduced, path: path,
                   line: line)
    }
  }

  // MARK: - Sensitive files

  private struct FileKey: Hashable, Comparable {
    let rule: Int
    let path: [UInt8]
    static func < (a: FileKey, b: FileKey) -> Bool {
      a.rule != b.rule ? a.rule < b.rule : a.path.lexicographicallyPrecedes(b.path)
    }
  }

  private struct FileHistory {
    var commits = Set<Int>()
  }

  private func fileEntries(_ analyzer: String, keys fingerprintKeys: FingerprintKeys) -> [Entry] {
    let rules = SensitiveFileRules(matcher, classifier: context.classifier)
    var standing: [FileKey: Int] = [:]
    for (rule, file) in tip.files { standing[FileKey(rule: rule, path: context.snapshot.files[file].path)] = file }

    // Files sensitive by name alone: the history's own list of changes says which commits wrote them.
    var written: [FileKey: FileHistory] = [:]
    // Most histories have no such path at all: then the changes need not be read.
    let paths = context.history.paths
    var rulesOfPath = [[Int]](repeating: [], count: paths.count)
    var anyPath = false
    for id in 0..<paths.count {
      rulesOfPath[id] = rules.matchingPathOnly(paths[PathID(id)])
      anyPath = anyPath || !rulesOfPath[id].isEmpty
    }
    for (index, commit) in commits.enumerated() where anyPath && !commit.isMerge {
      for change in context.history.changes(of: commit) where change.status != .deleted {
        for rule in rulesOfPath[Int(change.path)] {
          written[FileKey(rule: rule, path: paths[change.path]), default: FileHistory()].commits.insert(index)
        }
      }
    }
    // Files sensitive by content were recognised by the history workers.
    for (key, sighting) in history.files {
      let fileKey = FileKey(rule: key.rule, path: history.paths[key.path])
      written[fileKey, default: FileHistory()].commits.formUnion(sighting.firstPlaces.keys.map(Int.init))
    }

    let keys = Set(standing.keys).union(written.keys).sorted()
    return keys.map { key in
      let rule = matcher.fileRules[key.rule]
      let display = PathText.display(key.path)
      let tipFile = standing[key]
      let inHead = tipFile != nil
      let record = written[key]
      let introduced = record.flatMap { oldest($0.commits.map(Int32.init)) }
      let tipUnscanned = !inHead && rule.contains != nil && unscannedAtTip(key.path)
      let inTest = rules.inTestPath(key.path)
      let identity = Redaction.fingerprint(rule: rule.id, secret: key.path)
      let fingerprint = Redaction.keyed(identity, key: fingerprintKeys.current)
      var message = "\(rule.title): \(display)"
      if inHead {
        message += " is in the tip tree"
        message += introduced.map { " (first " + describe($0) + ")" } ?? ""
        message += ". Whoever has the repository has this file: rotate what it holds and move it out of the code."
      } else if tipUnscanned {
        message += introduced.map { " was " + describe($0) } ?? ""
        message += "; the tip copy is over the tip scan cap, so whether it still holds credentials is not known. Rotate them either way."
      } else {
        message += introduced.map { " was " + describe($0) } ?? ""
        message += " and deleted later: it survives in history, so what it holds must still be rotated."
      }
      var tags = ["sensitive-file"]
      if !inHead { tags.append(tipUnscanned ? "tip-unscanned" : "history-only") }
      if inTest { tags.append("test") }
      let evidence = SecretEvidence(
        kind: "file", inHead: inHead, tipUnscanned: tipUnscanned, fingerprint: fingerprint, preview: nil,
        occurrences: max(record?.commits.count ?? 0, inHead ? 1 : 0), commits: record?.commits.count ?? 0,
        locations: inHead ? [.init(path: display, line: nil)] : [], introduced: introduced.map { introduction($0, path: key.path, line: nil) },
        inTestPath: inTest, context: inTest ? .test : .live, verdict: "unchecked", reason: inTest ? Self.testReason : nil,
        ruleSeverity: rule.severity, alsoMatchedBy: [], tags: tags)
      let finding = Finding(
        analyzer: analyzer, rule: rule.id, key: fingerprint, severity: Self.severity(rule.severity, inTest: inTest),
        title: rule.title, message: message,
        location: Location(path: display, line: nil, commit: introduced.map { commits[$0].id.hex }), evidence: evidence,
        formerKeys: [Redaction.keyed(identity, key: fingerprintKeys.former)])
      return Entry(finding: finding, kind: .file, fingerprint: fingerprint, preview: nil, inHead: inHead,
                   tipUnscanned: tipUnscanned, inTest: inTest, context: inTest ? .test : .live, introduced: introduced,
                   path: key.path, line: nil)
    }
  }

  // MARK: - Figures

  private func output(_ entries: [Entry]) -> SecretsOutput {
    var bySeverity: [Severity: Int] = [:]
    var byRule: [String: Int] = [:]
    for entry in entries {
      bySeverity[entry.finding.severity, default: 0] += 1
      byRule[entry.finding.rule, default: 0] += 1
    }
    let secrets = entries.filter { $0.kind == .secret }
    // The oldest leak that is not a test fixture: rotation cannot be seen from the repository, so every
    // secret counts as unrotated.
    let oldest = secrets.filter { $0.context == .live && $0.introduced != nil }.min { a, b in
      let ta = commits[a.introduced!].committerTime, tb = commits[b.introduced!].committerTime
      if ta != tb { return ta < tb }
      if a.introduced! != b.introduced! { return a.introduced! > b.introduced! }
      return a.fingerprint < b.fingerprint
    }
    let oldestValue = oldest.map { entry in
      let commit = commits[entry.introduced!]
      return SecretsOutput.Unrotated(
        findingId: entry.finding.id, rule: entry.finding.rule, fingerprint: entry.fingerprint, preview: entry.preview,
        inHead: entry.inHead, commit: commit.id.hex, author: person(commit.author).name, date: Timestamp(commit.authorTime),
        path: entry.path.map(PathText.display), line: entry.line, ageDays: Int(max(0, context.now - commit.committerTime) / 86_400))
    }
    return SecretsOutput(
      findings: entries.count, secrets: secrets.count, sensitiveFiles: entries.count - secrets.count,
      bySeverity: NamedCounts(Severity.allCases.reversed()) { bySeverity[$0] ?? 0 }, byRule: NamedCounts(sorting: byRule),
      // Credentials only: test, example, public and expired values are counted apart in `byContext`.
      live: entries.filter { $0.inHead && $0.context == .live }.count,
      historyOnly: entries.filter { !$0.inHead && !$0.tipUnscanned && $0.context == .live }.count,
      byContext: NamedCounts(SecretContext.allCases) { context in entries.filter { $0.context == context }.count },
      tipUnscanned: entries.filter(\.tipUnscanned).count, inTestPaths: entries.filter(\.inTest).count, oldestUnrotated: oldestValue,
      rules: .init(patterns: matcher.rules.count, files: matcher.fileRules.count),
      scanned: .init(
        tipFiles: tip.scannedFiles, tipBytes: tip.scannedBytes, tipSkippedBinary: tip.skippedBinary, tipSkippedLarge: tip.skippedLarge,
        historyRuns: history.runs, historyBytes: history.bytes, historySkippedRuns: history.skippedRuns,
        droppedSecrets: history.droppedSecrets, regexLimitHits: tip.limitHits + history.limitHits,
        longLines: tip.longLines + history.longLines, truncatedLines: tip.truncatedLines + history.truncatedLines),
      limits: .init(tipFileBytes: SecretsAnalyzer.tipFileCap, historyRunBytes: SecretsAnalyzer.historyRunCap,
                    maxLocations: SecretsAnalyzer.maxLocations))
  }

  // MARK: - Helpers

  /// The commit among `indexes` that is oldest in time: earliest committer time, then the latest in
  /// the walk (the walk goes newest first).
  private func oldest<S: Sequence>(_ indexes: S) -> Int? where S.Element == Int32 {
    var best: Int?
    for raw in indexes {
      let index = Int(raw)
      guard index >= 0 && index < commits.count else { continue }
      guard let current = best else {
        best = index
        continue
      }
      let t = commits[index].committerTime, u = commits[current].committerTime
      if t < u || (t == u && index > current) { best = index }
    }
    return best
  }

  private func person(_ id: PersonID) -> Person {
    let people = context.history.people
    return Int(id) < people.count ? people[Int(id)] : Person(name: "?", email: "")
  }

  private func describe(_ index: Int) -> String {
    let commit = commits[index]
    return "added in \(commit.id.hex.prefix(12)) by \(person(commit.author).name) on \(UTC.date(commit.authorTime))"
  }

  private func introduction(_ index: Int, path: [UInt8]?, line: Int?) -> SecretEvidence.Introduction {
    let commit = commits[index]
    let author = person(commit.author)
    return .init(commit: commit.id.hex, author: author.name, authorEmail: author.email, date: Timestamp(commit.authorTime),
                 committedAt: Timestamp(commit.committerTime), path: path.map(PathText.display), line: line)
  }

  private func unscannedAtTip(_ path: [UInt8]) -> Bool {
    guard let file = context.snapshot.file(at: path) else { return false }
    return !file.hasContent && file.lines > 0
  }

  /// The rule's severity, at most low for test and fixture paths.
  static func severity(_ name: String, inTest: Bool) -> Severity {
    let severity = Severity(rawValue: name) ?? .medium
    guard inTest else { return severity }
    return severity > .low ? .low : severity
  }

  static let testReason = "found in test, fixture or example paths only: a test value, not counted as a live credential (check it is not a real one)."

  /// How a secret is judged: its severity, its context (`live` counts as a credential; the others do
  /// not), the verdict's name, why (for a context other than live) and a note for a live one.
  struct Judgement {
    var severity: Severity
    var context: SecretContext
    var verdict: String
    var reason: String = ""
    var note: String?
    var tag: String?
  }

  func judge(_ rule: SecretRule, _ verdict: SecretVerdict, inTest: Bool, inDocs: Bool = false) -> Judgement {
    let ruleSeverity = Severity(rawValue: rule.severity) ?? .medium
    switch verdict.kind {
    case .publicValue:
      let values = matcher.ruleSet.filters.publicValues
      let name = Int(verdict.detail) < values.count ? values[Int(verdict.detail)].name : "a published value"
      return Judgement(severity: .info, context: .public, verdict: "public",
                       reason: "a well-known public value (\(name)): anyone may know it, there is nothing to rotate.", tag: "public")
    case .placeholder:
      let why = verdict.failure?.reason ?? "its format's check fails"
      return Judgement(severity: .info, context: .example, verdict: "placeholder",
                       reason: "looks like a placeholder: \(why).", tag: "placeholder")
    case .valid where verdict.detail > 0 && verdict.detail < context.now:
      return Judgement(severity: .info, context: .expired, verdict: "expired",
                       reason: "structurally valid but expired on \(UTC.date(verdict.detail)) (its exp claim), before this scan's date.",
                       tag: "expired")
    case .valid, .unchecked:
      let name = verdict.kind == .valid ? "valid" : "unchecked"
      if rule.context == "test" {
        return Judgement(severity: ruleSeverity > .low ? .low : ruleSeverity, context: .test, verdict: name,
                         reason: "a sandbox (test-mode) key: it opens no live system, so it is not counted as a live credential.",
                         tag: "sandbox")
      }
      if inTest {
        return Judgement(severity: Self.severity(rule.severity, inTest: true), context: .test, verdict: name, reason: Self.testReason)
      }
      // In documentation a value whose format carries no check is an example of the syntax
      // (`postgresql://user:p%40ss@localhost`, a webhook payload's token): reported low, not counted.
      // One whose own check passes (a real GitHub token pasted into a README) stays a live credential.
      if inDocs, verdict.kind == .unchecked {
        return Judgement(severity: ruleSeverity > .low ? .low : ruleSeverity, context: .example, verdict: name,
                         reason: "a value in documentation whose format carries no check: an example of the syntax, unless the team confirms it is real.",
                         tag: "documentation")
      }
      var note: String?
      if verdict.kind == .valid {
        note = "It is structurally valid (its format's own check passes)"
        note! += verdict.detail > 0 ? "; it expires on \(UTC.date(verdict.detail))." : "."
      }
      return Judgement(severity: ruleSeverity, context: .live, verdict: name, note: note)
    }
  }
}
