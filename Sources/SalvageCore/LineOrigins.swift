import Foundation
import Git

/// What an analyzer asks of the line tracking: the rework window, and the classes (by path) whose
/// lines count in neither rework nor the census.
public struct LineTracking: Sendable, Hashable {
  public let reworkDays: Int
  public let excludedClasses: Set<FileClass>
  public init(reworkDays: Int, excludedClasses: Set<FileClass>) {
    self.reworkDays = reworkDays
    self.excludedClasses = excludedClasses
  }
}

/// The line tracker's result in the history's terms (`LineTracker`, run by the Scanner when an analyzer
/// asks for it): who wrote each line of the tip and when, how many lines each commit wrote and how many
/// of them were thrown away within `reworkDays`, and a quarterly census of the lines alive (a burndown).
/// Commit numbers are indexes into `History.commits`. Paths the scan excludes are followed but never
/// counted, and so are paths of the classes the request leaves out.
public struct LineOrigins: Sendable {
  /// One tracked text file of the tip and its lines as runs of origins.
  public struct File: Sendable {
    public let path: [UInt8]
    public let runs: [LineRun]
    public init(path: [UInt8], runs: [LineRun]) {
      self.path = path
      self.runs = runs
    }
  }

  public let reworkDays: Int
  /// The tip's tracked text files, by path bytes (binary and excluded files left out).
  public let files: [File]
  /// Per commit: the lines it wrote (a merge's own lines only) and how many of them a later commit
  /// deleted or replaced within `reworkDays`.
  public let added: [Int32]
  public let reworked: [Int32]
  /// The same per path (written at; deleted at), sorted by path bytes.
  public let addedAt: [(path: [UInt8], lines: Int)]
  public let reworkedAt: [(path: [UInt8], lines: Int)]
  /// The quarter of the census's first band and sample (quarters since 1970-Q1, UTC).
  public let firstQuarter: Int
  /// `census[k][b]`: the lines alive at the end of quarter `firstQuarter + k` (in the tip's first-parent
  /// line's last commit by then) that were written in quarter `firstQuarter + b` (author time).
  public let census: [[Int]]
  /// How many commits this scan followed line by line: all of them on a first scan, none when the
  /// cache held this very walk, only the new ones when it went on from a cached older tip.
  public let followedCommits: Int

  public init(reworkDays: Int, files: [File], added: [Int32], reworked: [Int32], addedAt: [(path: [UInt8], lines: Int)],
              reworkedAt: [(path: [UInt8], lines: Int)], firstQuarter: Int, census: [[Int]], followedCommits: Int = 0) {
    self.followedCommits = followedCommits
    self.reworkDays = reworkDays
    self.files = files
    self.added = added
    self.reworked = reworked
    self.addedAt = addedAt
    self.reworkedAt = reworkedAt
    self.firstQuarter = firstQuarter
    self.census = census
  }

  /// Quarters since 1970-Q1 of a Unix time, UTC.
  public static func quarter(of time: Int64) -> Int {
    let (y, m, _) = UTC.civil(day: UTC.day(of: time))
    return (y - 1970) * 4 + (m - 1) / 3
  }

  /// The last second of a quarter.
  public static func endOfQuarter(_ quarter: Int) -> Int64 {
    let next = quarter + 1
    let year = 1970 + Int((Double(next) / 4).rounded(.down))
    let month = (next - (year - 1970) * 4) * 3 + 1
    return UTC.days(year: year, month: month, day: 1) * 86400 - 1
  }

  public static func quarterLabel(_ quarter: Int) -> String {
    let y = 1970 + Int((Double(quarter) / 4).rounded(.down))
    return "\(y)-Q\(quarter - (y - 1970) * 4 + 1)"
  }

  /// The census plan of a history: one band per quarter from the oldest commit's to the newest's, and
  /// per quarter the last commit of the tip's first-parent line committed by its end (-1 before the line
  /// starts).
  static func censusPlan(_ history: History, tip: Int) -> (firstQuarter: Int, census: LineTracker.Census)? {
    guard !history.commits.isEmpty else { return nil }
    var first = Int.max, last = Int.min
    var band = [Int32](repeating: -1, count: history.commits.count)
    for (c, commit) in history.commits.enumerated() {
      let q = quarter(of: commit.authorTime)
      band[c] = Int32(q)
      first = min(first, q)
      last = max(last, q, quarter(of: commit.committerTime))
    }
    for c in band.indices { band[c] -= Int32(first) }
    // The first-parent line, newest first.
    let index = CommitIndex(history.commits)
    var line: [Int] = []
    var at: Int? = tip
    var seen = Set<Int>()
    while let c = at, seen.insert(c).inserted {
      line.append(c)
      at = history.commits[c].parents.first.flatMap { index[$0] }
    }
    // Quarters go forward, so the line is walked from its oldest commit (times on a line are not always
    // in order; the line's own order is what counts).
    var samples: [Int32] = []
    let fromOldest = Array(line.reversed())
    var j = -1
    for q in first...last {
      let end = endOfQuarter(q)
      while j + 1 < fromOldest.count, history.commits[fromOldest[j + 1]].committerTime <= end { j += 1 }
      samples.append(j >= 0 ? Int32(fromOldest[j]) : -1)
    }
    return (first, LineTracker.Census(at: samples, band: band, bands: last - first + 1))
  }
}

/// The line tracking of the last scan of a repository, kept beside the history cache: a warm scan of
/// the same walk reads its origins instead of following every line again, and a scan of a newer tip
/// that descends from the cached one goes on from the cached tip's state (`LineTracker.Resume`).
public struct LineOriginsCache: Sendable {
  static let format = "salvage-line-origins-2"
  public let file: URL

  /// What a run leaves: the figures, the tip's state to go on from, and which commit each census row
  /// counted (nil: none). Commit numbers index the walk's commits (`commitsDigest` hashes their ids in order).
  public struct Saved: Sendable {
    public var walk: HistoryCache.WalkKey
    public var commitsDigest: UInt64
    public var reworkDays: Int
    public var added: [Int32]
    public var reworked: [Int32]
    public var addedAt: [(path: [UInt8], lines: Int)]
    public var reworkedAt: [(path: [UInt8], lines: Int)]
    public var firstQuarter: Int
    public var census: [[Int]]
    public var samples: [ObjectID?]
    public var checkpoint: LineCheckpoint

    public init(walk: HistoryCache.WalkKey, commitsDigest: UInt64, reworkDays: Int, added: [Int32], reworked: [Int32],
                addedAt: [(path: [UInt8], lines: Int)], reworkedAt: [(path: [UInt8], lines: Int)], firstQuarter: Int, census: [[Int]],
                samples: [ObjectID?], checkpoint: LineCheckpoint) {
      self.walk = walk
      self.commitsDigest = commitsDigest
      self.reworkDays = reworkDays
      self.added = added
      self.reworked = reworked
      self.addedAt = addedAt
      self.reworkedAt = reworkedAt
      self.firstQuarter = firstQuarter
      self.census = census
      self.samples = samples
      self.checkpoint = checkpoint
    }

    /// Whether this is the run of exactly this walk.
    public func isRun(of walk: HistoryCache.WalkKey, commits: [Commit]) -> Bool {
      self.walk == walk && added.count == commits.count && commitsDigest == LineOriginsCache.digest(commits.map(\.id))
    }
  }

  /// The commits' ids hashed in order.
  public static func digest(_ ids: [ObjectID]) -> UInt64 { StableHash.value(ids.map(\.bytes).joined()) }

  /// Keyed as the history cache is, plus the excludes (which decide what counts) and the window.
  public init(gitDirectory: String, rulesVersion: String, renames: Bool, excludes: [String], tracking: LineTracking) {
    let real = URL(fileURLWithPath: gitDirectory).resolvingSymlinksInPath().standardizedFileURL.path
    let key = StableHash.hex([Self.format, HistoryCache.build, real, rulesVersion, "\(renames)", "\(tracking.reworkDays)",
                              tracking.excludedClasses.map(\.rawValue).sorted().joined(separator: ",")].joined(separator: "\u{0}")
      + "\u{0}" + excludes.joined(separator: "\u{1}"))
    file = HistoryCache.folder().appendingPathComponent("lines-\(key).cache")
  }

  /// The last run kept, or nil (none, or unreadable).
  public func load() -> Saved? {
    guard let bytes = HistoryCache.read(file.path) else { return nil }
    return try? Self.decode(bytes)
  }

  public func save(_ saved: Saved) {
    HistoryCache.replace(file, with: [Self.encode(saved)])
  }

  static func encode(_ o: Saved) -> [UInt8] {
    var w = ByteWriter(format: format)
    w.raw(o.walk.tip.bytes)
    w.u8(o.walk.since == nil ? 0 : 1)
    w.i64(o.walk.since ?? 0)
    w.u64(o.walk.shallow)
    w.u64(o.commitsDigest)
    w.u64(UInt64(o.reworkDays))
    w.u64(UInt64(o.added.count))
    for c in 0..<o.added.count {
      w.u32(UInt32(bitPattern: o.added[c]))
      w.u32(UInt32(bitPattern: o.reworked[c]))
    }
    let paths = o.checkpoint.files.keys.sorted { $0.lexicographicallyPrecedes($1) }
    w.u64(UInt64(paths.count))
    for path in paths {
      let file = o.checkpoint.files[path]!
      w.bytes(path)
      w.raw(file.blob.bytes)
      w.u8(file.binary ? 1 : 0)
      w.u32(UInt32(file.runs.count))
      for run in file.runs {
        w.u32(UInt32(bitPattern: run.count))
        w.u32(UInt32(bitPattern: run.commit))
        w.u32(UInt32(bitPattern: run.line))
      }
    }
    let keys = o.checkpoint.counted.keys.sorted { $0.commit != $1.commit ? $0.commit < $1.commit : $0.path.lexicographicallyPrecedes($1.path) }
    w.u64(UInt64(keys.count))
    for key in keys {
      let ranges = o.checkpoint.counted[key]!
      w.u32(UInt32(bitPattern: key.commit))
      w.bytes(key.path)
      w.u32(UInt32(ranges.count))
      for r in ranges {
        w.u32(UInt32(bitPattern: r.lowerBound))
        w.u32(UInt32(bitPattern: r.upperBound))
      }
    }
    for table in [o.addedAt, o.reworkedAt] {
      w.u64(UInt64(table.count))
      for (path, lines) in table {
        w.bytes(path)
        w.u64(UInt64(lines))
      }
    }
    w.i64(Int64(o.firstQuarter))
    w.u64(UInt64(o.census.count))
    for (row, sample) in zip(o.census, o.samples) {
      w.u8(sample == nil ? 0 : 1)
      w.raw(sample?.bytes ?? [UInt8](repeating: 0, count: 20))
      w.u32(UInt32(row.count))
      for n in row { w.u64(UInt64(n)) }
    }
    return w.sealed()
  }

  static func decode(_ bytes: [UInt8]) throws -> Saved {
    var r = try ByteReader(sealed: bytes, format: format)
    let tip = try r.oid()
    let hasSince = try r.u8() == 1
    let since = try r.i64()
    let walk = HistoryCache.WalkKey(tip: tip, since: hasSince ? since : nil, shallowDigest: try r.u64())
    let digest = try r.u64()
    let reworkDays = Int(try r.u64())
    func count(_ limit: Int) throws -> Int {
      let n = try r.u64()
      guard n <= UInt64(limit) else { throw ByteReader.Corrupt(description: "count out of range") }
      return Int(n)
    }
    let commits = try count(bytes.count / 8)
    var added = [Int32](repeating: 0, count: commits), reworked = added
    for c in 0..<commits {
      added[c] = Int32(bitPattern: try r.u32())
      reworked[c] = Int32(bitPattern: try r.u32())
    }
    func commit(_ raw: UInt32) throws -> Int32 {
      let c = Int32(bitPattern: raw)
      guard c >= 0, Int(c) < commits else { throw ByteReader.Corrupt(description: "bad commit") }
      return c
    }
    var files: [[UInt8]: TrackedFile] = [:]
    for _ in 0..<(try count(bytes.count)) {
      let path = try r.bytes()
      let blob = try r.oid()
      let binary = try r.u8() == 1
      let n = Int(try r.u32())
      guard n <= bytes.count / 12 else { throw ByteReader.Corrupt(description: "runs out of range") }
      var runs: [LineRun] = []
      runs.reserveCapacity(n)
      for _ in 0..<n {
        let run = LineRun(count: Int32(bitPattern: try r.u32()), commit: try commit(try r.u32()), line: Int32(bitPattern: try r.u32()))
        guard run.count >= 0 else { throw ByteReader.Corrupt(description: "bad run") }
        runs.append(run)
      }
      files[path] = TrackedFile(blob: blob, runs: runs, binary: binary)
    }
    var counted: [ReworkKey: [Range<Int32>]] = [:]
    for _ in 0..<(try count(bytes.count)) {
      let key = ReworkKey(commit: try commit(try r.u32()), path: try r.bytes())
      let n = Int(try r.u32())
      guard n <= bytes.count / 8 else { throw ByteReader.Corrupt(description: "ranges out of range") }
      var ranges: [Range<Int32>] = []
      for _ in 0..<n {
        let low = Int32(bitPattern: try r.u32()), high = Int32(bitPattern: try r.u32())
        guard low <= high else { throw ByteReader.Corrupt(description: "bad range") }
        ranges.append(low..<high)
      }
      counted[key] = ranges
    }
    var tables: [[(path: [UInt8], lines: Int)]] = []
    for _ in 0..<2 {
      var table: [(path: [UInt8], lines: Int)] = []
      for _ in 0..<(try count(bytes.count)) { table.append((try r.bytes(), Int(try r.u64()))) }
      tables.append(table)
    }
    let firstQuarter = Int(try r.i64())
    var census: [[Int]] = [], samples: [ObjectID?] = []
    for _ in 0..<(try count(bytes.count)) {
      let has = try r.u8() == 1
      let sample = try r.oid()
      samples.append(has ? sample : nil)
      let n = Int(try r.u32())
      guard n <= bytes.count / 8 else { throw ByteReader.Corrupt(description: "census out of range") }
      census.append(try (0..<n).map { _ in Int(try r.u64()) })
    }
    guard r.atEnd else { throw ByteReader.Corrupt(description: "trailing bytes") }
    return Saved(walk: walk, commitsDigest: digest, reworkDays: reworkDays, added: added, reworked: reworked, addedAt: tables[0],
                 reworkedAt: tables[1], firstQuarter: firstQuarter, census: census, samples: samples,
                 checkpoint: LineCheckpoint(files: files, counted: counted))
  }
}
