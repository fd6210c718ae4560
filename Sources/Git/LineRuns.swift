/// `count` consecutive lines of a file that were written by one commit (`commit`, its index in the
/// tracker's walk) as its lines `line`, `line + 1`, … (0-based, in that commit's version of the file):
/// what `git blame --line-porcelain` gives as a line's commit and original line number.
public struct LineRun: Hashable, Sendable {
  public var count: Int32
  public var commit: Int32
  public var line: Int32

  public init(count: Int32, commit: Int32, line: Int32) {
    self.count = count
    self.commit = commit
    self.line = line
  }
}

/// The operations on a file's lines kept as runs of origins: a file of 10,000 lines written in 40
/// commits costs a few hundred runs, not 10,000 entries.
public enum LineRuns {
  public static func lineCount(_ runs: [LineRun]) -> Int {
    var total = 0
    for run in runs { total += Int(run.count) }
    return total
  }

  /// Appends `run`, merged into the last one when it continues it (same commit, next lines).
  @inline(__always)
  public static func append(_ run: LineRun, to runs: inout [LineRun]) {
    guard run.count > 0 else { return }
    if let last = runs.last, last.commit == run.commit, last.line + last.count == run.line {
      runs[runs.count - 1].count += run.count
    } else {
      runs.append(run)
    }
  }

  /// The runs of the new version of a file from the old version's runs and the hunks between the two
  /// (`git diff -U0`'s): lines between hunks keep their origin, a hunk's new lines are `commit`'s (its
  /// lines at their new positions). `deleted` sees every piece of the old runs a hunk removes.
  /// Nil when the hunks do not fit the old runs (`oldCount` lines), which only a caller's mistake causes.
  public static func apply(_ hunks: [LineHunk], to old: [LineRun], oldCount: Int, commit: Int32,
                           deleted: (LineRun) -> Void = { _ in }) -> [LineRun]? {
    var out: [LineRun] = []
    out.reserveCapacity(old.count + 2 * hunks.count)
    var cursor = Cursor(old)
    var oldAt = 0, newAt = 0
    for hunk in hunks {
      let common = hunk.oldStart - oldAt
      guard common >= 0, hunk.newStart - newAt == common, hunk.oldStart + hunk.oldCount <= oldCount else { return nil }
      cursor.take(common) { append($0, to: &out) }
      cursor.take(hunk.oldCount, deleted)
      append(LineRun(count: Int32(hunk.newCount), commit: commit, line: Int32(hunk.newStart)), to: &out)
      oldAt = hunk.oldStart + hunk.oldCount
      newAt = hunk.newStart + hunk.newCount
    }
    cursor.take(oldCount - oldAt) { append($0, to: &out) }
    return out
  }

  /// The runs of a merge's version of a file, as `git blame` attributes it: each line unchanged
  /// against a parent (per the diff against that parent) takes its origin from the first such parent,
  /// in parent order; the lines new against every parent are the merge's own.
  public static func merge(newCount: Int, commit: Int32, parents: [(runs: [LineRun], hunks: [LineHunk])]) -> [LineRun] {
    guard newCount > 0 else { return [] }
    // Works on runs, not lines: per parent, the pieces of its runs its diff keeps (at their new
    // positions), laid over the lines no earlier parent gave an origin. A merge of a big file costs its
    // runs and hunks, not an entry per line.
    var unresolved: [Range<Int>] = [0..<newCount]
    var pieces: [(at: Int, run: LineRun)] = []
    var kept: [(at: Int, run: LineRun)] = []
    for parent in parents {
      if unresolved.isEmpty { break }
      kept.removeAll(keepingCapacity: true)
      var ordered = true
      keptPieces(of: parent, newCount: newCount) { at, piece in
        if let last = kept.last, last.at + Int(last.run.count) > at { ordered = false }
        kept.append((at, piece))
      }
      // Hunks out of order (only a caller's mistake): line by line, as blame would take them.
      guard ordered else { return mergeByLine(newCount: newCount, commit: commit, parents: parents) }
      var left: [Range<Int>] = []
      var k = 0
      for range in unresolved {
        var at = range.lowerBound
        while k < kept.count && kept[k].at + Int(kept[k].run.count) <= at { k += 1 }
        while at < range.upperBound {
          guard k < kept.count, kept[k].at < range.upperBound else {
            left.append(at..<range.upperBound)
            break
          }
          let piece = kept[k]
          if piece.at > at {
            left.append(at..<piece.at)
            at = piece.at
          }
          let end = min(piece.at + Int(piece.run.count), range.upperBound)
          pieces.append((at, LineRun(count: Int32(end - at), commit: piece.run.commit, line: piece.run.line + Int32(at - piece.at))))
          if end == piece.at + Int(piece.run.count) { k += 1 }
          at = end
        }
      }
      unresolved = left
    }
    for range in unresolved { pieces.append((range.lowerBound, LineRun(count: Int32(range.count), commit: commit, line: Int32(range.lowerBound)))) }
    pieces.sort { $0.at < $1.at }
    var out: [LineRun] = []
    out.reserveCapacity(pieces.count)
    for piece in pieces { append(piece.run, to: &out) }
    return out
  }

  /// The pieces of a parent's runs that its diff keeps (the lines between hunks), each with the new
  /// line it starts at, in the hunks' order.
  private static func keptPieces(of parent: (runs: [LineRun], hunks: [LineHunk]), newCount: Int,
                                 _ visit: (_ at: Int, _ piece: LineRun) -> Void) {
    var oldAt = 0, newAt = 0
    var cursor = Cursor(parent.runs)
    func common(_ n: Int) {
      guard n > 0 else { return }
      var j = newAt
      cursor.take(n) { piece in
        visit(j, piece)
        j += Int(piece.count)
      }
    }
    for hunk in parent.hunks {
      common(min(hunk.newStart - newAt, hunk.oldStart - oldAt))
      cursor.take(hunk.oldCount) { _ in }
      oldAt = hunk.oldStart + hunk.oldCount
      newAt = hunk.newStart + hunk.newCount
    }
    common(newCount - newAt)
  }

  /// `merge`, line by line.
  static func mergeByLine(newCount: Int, commit: Int32, parents: [(runs: [LineRun], hunks: [LineHunk])]) -> [LineRun] {
    var commits = [Int32](repeating: -1, count: newCount)
    var lines = [Int32](repeating: 0, count: newCount)
    for parent in parents {
      keptPieces(of: parent, newCount: newCount) { at, piece in
        for k in 0..<Int(piece.count) where at + k < newCount && commits[at + k] < 0 {
          commits[at + k] = piece.commit
          lines[at + k] = piece.line + Int32(k)
        }
      }
    }
    var out: [LineRun] = []
    for j in 0..<newCount {
      if commits[j] < 0 {
        append(LineRun(count: 1, commit: commit, line: Int32(j)), to: &out)
      } else {
        append(LineRun(count: 1, commit: commits[j], line: lines[j]), to: &out)
      }
    }
    return out
  }

  /// Reads runs front to back in pieces of lines.
  struct Cursor {
    private let runs: [LineRun]
    private var index = 0
    private var offset: Int32 = 0

    init(_ runs: [LineRun]) { self.runs = runs }

    /// The next `n` lines (fewer if the runs end), as pieces of runs.
    mutating func take(_ n: Int, _ visit: (LineRun) -> Void) {
      var left = Int32(clamping: n)
      while left > 0, index < runs.count {
        let run = runs[index]
        let piece = min(left, run.count - offset)
        visit(LineRun(count: piece, commit: run.commit, line: run.line + offset))
        left -= piece
        offset += piece
        if offset == run.count {
          index += 1
          offset = 0
        }
      }
    }
  }
}
