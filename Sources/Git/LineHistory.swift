/// An origin commit's lines at one path, as the rework count keeps them to count each line once.
public struct ReworkKey: Hashable, Sendable {
  public let commit: Int32
  public let path: [UInt8]
  public init(commit: Int32, path: [UInt8]) {
    self.commit = commit
    self.path = path
  }
}

/// Where a run stopped, for a later run to go on from (`LineTracker.Resume`): every file of the tip
/// (binary and untracked-by-the-scan ones too) with its blob, and the origin lines already counted as
/// reworked.
public struct LineCheckpoint: Sendable {
  public var files: [[UInt8]: TrackedFile]
  public var counted: [ReworkKey: [Range<Int32>]]
  public init(files: [[UInt8]: TrackedFile], counted: [ReworkKey: [Range<Int32>]]) {
    self.files = files
    self.counted = counted
  }
}

/// What the line tracker hands back: the tip's lines by origin and the rework counters.
public struct LineHistory: Sendable {
  /// The commits as given to the tracker; a `LineRun.commit` indexes these arrays.
  public let commits: [ObjectID]
  public let authors: [Signature]
  public let authorTimes: [Int64]
  /// Every tracked file of the tip, by path, as runs of origins.
  public let tip: [[UInt8]: [LineRun]]
  /// Per commit: the lines it wrote (tracked text files; a merge's own lines only).
  public let added: [Int32]
  /// Per commit: how many of the lines it wrote a later commit deleted or replaced within `reworkDays`.
  public let reworked: [Int32]
  public let reworkDays: Int
  /// The most commit states held at once (a measure of the memory the branches took).
  public let peakLiveStates: Int
  /// Time spent applying the diffs to the states on the calling thread (the rest is diffing, on the
  /// workers): what line tracking would add to a pass that already diffs.
  public let applyTime: Duration
  /// Lines written per path (where they were written) and reworked per path (where they were deleted),
  /// for the paths the options count.
  public let addedAt: [[UInt8]: Int]
  public let reworkedAt: [[UInt8]: Int]
  /// The tip's files whose last change had a binary side (followed, never counted).
  public let binaryAtTip: Set<[UInt8]>
  /// Per census sample (`Options.census`), the lines alive by band (empty for a sample at a commit a
  /// resumed run had followed already, other than the one it resumed from: the caller's to fill).
  public let census: [[Int]]
  /// The state at the tip, for a later run to resume from.
  public let checkpoint: LineCheckpoint
  /// How many commits this run followed (all, unless it resumed).
  public let followed: Int

  public struct Rework: Hashable, Sendable {
    public var added: Int
    public var reworked: Int
    public init(added: Int, reworked: Int) {
      self.added = added
      self.reworked = reworked
    }
    /// Reworked lines as a share of lines added (0 when none were added).
    public var share: Double { added == 0 ? 0 : Double(reworked) / Double(added) }
  }

  /// Rework summed over the commits that share a key (an author, a period), by the commit that wrote
  /// the lines. Commits whose key is nil are left out.
  public func rework<Key: Hashable>(by key: (Int) -> Key?) -> [Key: Rework] {
    var out: [Key: Rework] = [:]
    for c in 0..<commits.count {
      guard added[c] > 0 || reworked[c] > 0, let k = key(c) else { continue }
      out[k, default: Rework(added: 0, reworked: 0)].added += Int(added[c])
      out[k, default: Rework(added: 0, reworked: 0)].reworked += Int(reworked[c])
    }
    return out
  }

  /// Rework per author (name and email as recorded; identity merging is the caller's).
  public func reworkByAuthor() -> [Signature: Rework] { rework { authors[$0] } }

  /// Rework per UTC calendar month of the writing commit's author time, keyed "YYYY-MM".
  public func reworkByMonth() -> [String: Rework] {
    rework { c in
      let (y, m) = Self.civilMonth(authorTimes[c])
      return "\(y)-\(m < 10 ? "0" : "")\(m)"
    }
  }

  /// The tip's lines per key of the commit that wrote them (an author, a period).
  public func survivingLines<Key: Hashable>(by key: (Int) -> Key?) -> [Key: Int] {
    var out: [Key: Int] = [:]
    for runs in tip.values {
      for run in runs {
        if let k = key(Int(run.commit)) { out[k, default: 0] += Int(run.count) }
      }
    }
    return out
  }

  /// Year and month (1-12) of a Unix time, UTC (days to civil, proleptic Gregorian).
  static func civilMonth(_ time: Int64) -> (Int64, Int64) {
    let days = (time >= 0 ? time : time - 86_399) / 86_400
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m)
  }
}
