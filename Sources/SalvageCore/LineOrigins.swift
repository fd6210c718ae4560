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

  public init(reworkDays: Int, files: [File], added: [Int32], reworked: [Int32], addedAt: [(path: [UInt8], lines: Int)],
              reworkedAt: [(path: [UInt8], lines: Int)], firstQuarter: Int, census: [[Int]]) {
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

/// The line origins of the last scan of a repository, kept beside the history cache: a warm scan of the
/// same walk reads them instead of following every line again.
public struct LineOriginsCache: Sendable {
  static let format = "salvage-line-origins-1"
  public let file: URL

  /// Keyed as the history cache is, plus the excludes (which decide what counts) and the window.
  public init(gitDirectory: String, rulesVersion: String, renames: Bool, excludes: [String], tracking: LineTracking) {
    let real = URL(fileURLWithPath: gitDirectory).resolvingSymlinksInPath().standardizedFileURL.path
    let key = StableHash.hex([Self.format, HistoryCache.build, real, rulesVersion, "\(renames)", "\(tracking.reworkDays)",
                              tracking.excludedClasses.map(\.rawValue).sorted().joined(separator: ",")].joined(separator: "\u{0}")
      + "\u{0}" + excludes.joined(separator: "\u{1}"))
    file = HistoryCache.folder().appendingPathComponent("lines-\(key).cache")
  }

  /// The origins kept for this walk (the same commits in the same order), or nil.
  public func load(walk: HistoryCache.WalkKey, commits: [Commit]) -> LineOrigins? {
    guard let bytes = HistoryCache.read(file.path) else { return nil }
    return try? Self.decode(bytes, walk: walk, commits: commits)
  }

  public func save(_ origins: LineOrigins, walk: HistoryCache.WalkKey, commits: [Commit]) {
    HistoryCache.replace(file, with: [Self.encode(origins, walk: walk, commits: commits)])
  }

  static func encode(_ o: LineOrigins, walk: HistoryCache.WalkKey, commits: [Commit]) -> [UInt8] {
    var w = ByteWriter(format: format)
    w.raw(walk.tip.bytes)
    w.u8(walk.since == nil ? 0 : 1)
    w.i64(walk.since ?? 0)
    w.u64(walk.shallow)
    // The commits' ids hashed in order: the indexes below mean these commits.
    w.u64(StableHash.value(commits.map(\.id.bytes).joined()))
    w.u64(UInt64(o.reworkDays))
    w.u64(UInt64(commits.count))
    for c in 0..<commits.count {
      w.u32(UInt32(bitPattern: o.added[c]))
      w.u32(UInt32(bitPattern: o.reworked[c]))
    }
    w.u64(UInt64(o.files.count))
    for file in o.files {
      w.bytes(file.path)
      w.u32(UInt32(file.runs.count))
      for run in file.runs {
        w.u32(UInt32(bitPattern: run.count))
        w.u32(UInt32(bitPattern: run.commit))
        w.u32(UInt32(bitPattern: run.line))
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
    for row in o.census {
      w.u32(UInt32(row.count))
      for n in row { w.u64(UInt64(n)) }
    }
    return w.sealed()
  }

  static func decode(_ bytes: [UInt8], walk: HistoryCache.WalkKey, commits: [Commit]) throws -> LineOrigins? {
    var r = try ByteReader(sealed: bytes, format: format)
    let tip = try r.oid()
    let hasSince = try r.u8() == 1
    let since = try r.i64()
    let shallow = try r.u64()
    guard tip == walk.tip, (hasSince ? since : nil) == walk.since, shallow == walk.shallow,
          try r.u64() == StableHash.value(commits.map(\.id.bytes).joined()) else { return nil }
    let reworkDays = Int(try r.u64())
    guard try r.u64() == UInt64(commits.count) else { return nil }
    var added = [Int32](repeating: 0, count: commits.count), reworked = added
    for c in 0..<commits.count {
      added[c] = Int32(bitPattern: try r.u32())
      reworked[c] = Int32(bitPattern: try r.u32())
    }
    func count(_ limit: Int) throws -> Int {
      let n = try r.u64()
      guard n <= UInt64(limit) else { throw ByteReader.Corrupt(description: "count out of range") }
      return Int(n)
    }
    var files: [LineOrigins.File] = []
    for _ in 0..<(try count(bytes.count)) {
      let path = try r.bytes()
      let n = Int(try r.u32())
      guard n <= bytes.count / 12 else { throw ByteReader.Corrupt(description: "runs out of range") }
      var runs: [LineRun] = []
      runs.reserveCapacity(n)
      for _ in 0..<n {
        let run = LineRun(count: Int32(bitPattern: try r.u32()), commit: Int32(bitPattern: try r.u32()), line: Int32(bitPattern: try r.u32()))
        guard run.commit >= 0, Int(run.commit) < commits.count, run.count >= 0 else { throw ByteReader.Corrupt(description: "bad run") }
        runs.append(run)
      }
      files.append(.init(path: path, runs: runs))
    }
    var tables: [[(path: [UInt8], lines: Int)]] = []
    for _ in 0..<2 {
      var table: [(path: [UInt8], lines: Int)] = []
      for _ in 0..<(try count(bytes.count)) { table.append((try r.bytes(), Int(try r.u64()))) }
      tables.append(table)
    }
    let firstQuarter = Int(try r.i64())
    var census: [[Int]] = []
    for _ in 0..<(try count(bytes.count)) {
      let n = Int(try r.u32())
      guard n <= bytes.count / 8 else { throw ByteReader.Corrupt(description: "census out of range") }
      census.append(try (0..<n).map { _ in Int(try r.u64()) })
    }
    guard r.atEnd else { throw ByteReader.Corrupt(description: "trailing bytes") }
    return LineOrigins(reworkDays: reworkDays, files: files, added: added, reworked: reworked, addedAt: tables[0], reworkedAt: tables[1],
                       firstQuarter: firstQuarter, census: census)
  }
}
