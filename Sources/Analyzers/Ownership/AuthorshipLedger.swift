import SalvageCore

/// Who wrote what, per analysed file and person, from one pass over the non-merge commits.
///
/// A commit's people are its author and its `Co-authored-by` trailers (after `.mailmap`); bots are
/// left out. Added lines and revisions are shared equally between a commit's people; each of them
/// gets the full delivery for the degree of authorship. Entries are slots in flat arrays, found by a
/// packed `Int64` of file and person.
struct AuthorshipLedger {
  struct Entry: Sendable {
    let file: Int32
    let person: Int32
    var added = 0.0
    var revisions = 0.0
    /// Changes after the file was added (modifications, type changes, renames).
    var deliveries = 0
    /// They added the file (first, or again after a deletion).
    var addedFile = false
  }

  private(set) var entries: [Entry] = []
  /// Entry indexes of each file.
  private(set) var entriesOfFile: [[Int32]]
  /// Per file: total added lines (shared credit), revisions and deliveries by people.
  private(set) var addedOfFile: [Double]
  private(set) var revisionsOfFile: [Double]
  private(set) var deliveriesOfFile: [Int]

  /// Per person (by `PersonID`): a bot?
  let isBot: [Bool]
  /// Per person: non-merge commits as author or co-author, newest commit time (any commit), added lines.
  private(set) var commits: [Int]
  private(set) var lastCommit: [Int64]
  private(set) var addedLines: [Double]
  /// Non-merge commits whose people are all bots.
  private(set) var botCommits = 0

  init(history: History, files: AnalyzedFiles, bots: BotList) {
    let people = history.people.count
    let isBot = history.people.map(bots.isBot)
    // Tallied in locals and stored at the end: the pass then works on plain arrays rather than on the
    // properties of a value still being built.
    var addedOfFile = [Double](repeating: 0, count: files.count)
    var revisionsOfFile = [Double](repeating: 0, count: files.count)
    var deliveriesOfFile = [Int](repeating: 0, count: files.count)
    var commits = [Int](repeating: 0, count: people)
    var lastCommit = [Int64](repeating: .min, count: people)
    var addedLines = [Double](repeating: 0, count: people)
    var botCommits = 0

    let slot = PairTable(expected: files.count * 4)
    var crew: [Int32] = []
    var entries: [Entry] = []
    history.commits.withUnsafeBufferPointer { list in history.changes.withUnsafeBufferPointer { changes in
      for n in list.indices {
        let commit = UnsafePointer(list.baseAddress! + n)
        crew.removeAll(keepingCapacity: true)
        if !isBot[Int(commit.pointee.author)] { crew.append(commit.pointee.author) }
        // Most commits have no co-author: the empty list is not retained for them.
        if !commit.pointee.coAuthors.isEmpty {
          for co in commit.pointee.coAuthors where !isBot[Int(co)] && !crew.contains(co) { crew.append(co) }
        }
        let time = commit.pointee.committerTime
        for p in crew where time > lastCommit[Int(p)] { lastCommit[Int(p)] = time }
        if commit.pointee.isMerge { continue }
        if crew.isEmpty {
          botCommits += 1
          continue
        }
        let share = 1 / Double(crew.count)
        for p in crew { commits[Int(p)] += 1 }
        for c in commit.pointee.changes {
          let change = changes[c]
          let f = files.index(of: change.path)
          let added = Double(change.added) * share
          for p in crew { addedLines[Int(p)] += added }
          if f < 0 { continue }
          let isDelivery: Bool
          switch change.status {
          case .added: isDelivery = false
          case .deleted: continue
          case .modified, .typeChanged, .renamed: isDelivery = true
          }
          addedOfFile[f] += Double(change.added)
          revisionsOfFile[f] += 1
          if isDelivery { deliveriesOfFile[f] += 1 }
          for p in crew {
            let key = Int64(f) << 32 | Int64(p)
            let e: Int
            if let existing = slot.value(key) {
              e = Int(existing)
            } else {
              e = entries.count
              slot.insertNew(key, Int32(e))
              entries.append(Entry(file: Int32(f), person: p))
            }
            entries[e].added += added
            entries[e].revisions += share
            if isDelivery { entries[e].deliveries += 1 } else { entries[e].addedFile = true }
          }
        }
      }
    } }
    // Each file's entries in the order they were made.
    var entriesOfFile = [[Int32]](repeating: [], count: files.count)
    for (e, entry) in entries.enumerated() { entriesOfFile[Int(entry.file)].append(Int32(e)) }
    self.entries = entries
    self.entriesOfFile = entriesOfFile
    self.addedOfFile = addedOfFile
    self.revisionsOfFile = revisionsOfFile
    self.deliveriesOfFile = deliveriesOfFile
    self.isBot = isBot
    self.commits = commits
    self.lastCommit = lastCommit
    self.addedLines = addedLines
    self.botCommits = botCommits
  }

  func entries(of file: Int) -> [Entry] { entriesOfFile[file].map { entries[Int($0)] } }
}
