import CLibGit2

/// Where `git blame` finds the earlier lines of a file a commit adds: a file the same diff deletes that
/// the new file was renamed from (blame's `find_rename`). One destination at a time, as blame asks
/// (`single_follow`), so a deleted file may be the source of several new files; only for the paths the
/// caller asks about, so a merge's diff against its other parents costs nothing unless one of its
/// files needs a source there.
///
/// git's rules for one destination (diffcore-rename.c, `--find-renames` at its default 50%):
/// 1. a deleted file with the very same blob (for symlinks also the same mode), one with the same
///    basename first, else the first in the diff's order;
/// 2. else the one deleted regular file with the same basename, if it is at least 75% similar;
/// 3. else the most similar deleted regular file (ties: same basename, then diff order), if at least
///    50% similar.
/// Similarity is git's: the bytes of the destination's chunks (lines, or 64-byte pieces) found in
/// the source, over the larger size; sizes more than 2:1 apart are never similar.
///
/// Bound: step 3 compares each destination with every deleted file, which a commit that moves
/// thousands of edited files at once would make quadratic. It is skipped when the destinations
/// searched times the deleted files exceed `inexactLimit` (1000², git's default `diff.renameLimit`
/// squared, as `git log -M` applies it to a whole diff, where blame applies it per path).
struct RenameSearch {
  static let inexactLimit = 1_000_000
  private static let maxScore = 60_000
  private static let minimumScore = 30_000
  private static let basenameScore = 45_000

  /// A source found: its index among the diff's changes.
  typealias Found = Int

  private let changes: [TreeDiffer.Change]
  /// The deleted files (indexes into `changes`), in the diff's order.
  private let deleted: [Int]
  private var byBlob: [ObjectID: [Int]] = [:]
  private var byBasename: [ArraySlice<UInt8>: [Int]] = [:]
  private var inexact: Bool
  private var sizes: [Int: Int] = [:]
  private var spans: [Int: Fingerprint?] = [:]

  /// `destinations`: how many paths will be searched for (bounds step 3).
  init(changes: [TreeDiffer.Change], destinations: Int, inexactLimit: Int = Self.inexactLimit) {
    self.changes = changes
    var deleted: [Int] = []
    for (i, change) in changes.enumerated() where change.newID == nil {
      // Every deleted entry is a candidate, as in git (a submodule never matches, but holds a slot).
      guard let old = change.oldID else { continue }
      deleted.append(i)
      byBlob[ObjectID(old), default: []].append(i)
      byBasename[Self.basename(change.path), default: []].append(i)
    }
    self.deleted = deleted
    inexact = destinations * deleted.count <= inexactLimit
  }

  var isEmpty: Bool { deleted.isEmpty }

  private static let submodule: UInt32 = 0o160000
  private static func isRegular(_ mode: UInt32) -> Bool { mode & 0o170000 == 0o100000 }
  private static func basename(_ path: [UInt8]) -> ArraySlice<UInt8> {
    path.lastIndex(of: UInt8(ascii: "/")).map { path[($0 + 1)...] } ?? path[...]
  }

  /// The deleted file `change` (an added file of the same diff) continues, if any. `size` and `read`
  /// give a blob's size and bytes (nil: missing from the store, never similar).
  mutating func source(for change: TreeDiffer.Change, size: (ObjectID) throws(GitError) -> Int?,
                       read: (ObjectID) throws(GitError) -> [UInt8]?) throws(GitError) -> Found? {
    guard !deleted.isEmpty, change.oldID == nil, let newID = change.newID, change.newMode != Self.submodule else { return nil }
    let blob = ObjectID(newID)
    let base = Self.basename(change.path)
    // 1. The very same blob.
    if let same = byBlob[blob] {
      let fitting = same.filter { s in
        Self.isRegular(changes[s].oldMode) && Self.isRegular(change.newMode) || changes[s].oldMode == change.newMode
      }
      if let best = fitting.first(where: { Self.basename(changes[$0].path) == base }) ?? fitting.first { return best }
    }
    guard Self.isRegular(change.newMode), let newSize = try size(blob) else { return nil }
    var target: Fingerprint?? = nil
    func score(_ s: Int) throws(GitError) -> Int {
      guard Self.isRegular(changes[s].oldMode), let old = changes[s].oldID.map(ObjectID.init) else { return 0 }
      let oldSize: Int
      if let known = sizes[s] {
        oldSize = known
      } else {
        oldSize = try size(old) ?? -1
        sizes[s] = oldSize
      }
      guard oldSize >= 0 else { return 0 }
      let larger = max(oldSize, newSize), delta = larger - min(oldSize, newSize)
      guard larger * (Self.maxScore - Self.minimumScore) >= delta * Self.maxScore, newSize > 0 else { return 0 }
      if target == nil { target = .some(try read(blob).map(Fingerprint.init)) }
      if spans[s] == nil { spans[s] = .some(try read(old).map(Fingerprint.init)) }
      guard let theirs = target!, let ours = spans[s]! else { return 0 }
      return Int(theirs.copied(from: ours) * Self.maxScore / larger)
    }
    // 2. The one deleted file of the same basename, if similar enough.
    if let named = byBasename[base], named.count == 1, try score(named[0]) >= Self.basenameScore { return named[0] }
    // 3. The most similar deleted file, with git's ties: its four best candidates kept as it keeps them.
    guard inexact else { return nil }
    var kept = Candidates()
    for s in deleted { kept.record(Candidate(score: try score(s), named: Self.basename(changes[s].path) == base, index: s)) }
    return kept.best(minimum: Self.minimumScore)?.index
  }

  struct Candidate {
    let score: Int
    let named: Bool
    let index: Int
  }

  /// diffcore-rename's `record_if_better` over four slots, then its stable sort: among equal scores
  /// the winner is the one in the earliest slot, and a better candidate takes the slot of the first
  /// worst one, so ties do not simply go to the first file in the diff's order.
  struct Candidates {
    private var slots: [Candidate?] = [nil, nil, nil, nil]

    /// git's `score_compare`: positive when `a` ranks below `b` (an empty slot ranks below any).
    private static func compare(_ a: Candidate?, _ b: Candidate?) -> Int {
      guard let a else { return b == nil ? 0 : 1 }
      guard let b else { return -1 }
      if a.score == b.score { return (b.named ? 1 : 0) - (a.named ? 1 : 0) }
      return b.score - a.score
    }

    mutating func record(_ candidate: Candidate) {
      var worst = 0
      for i in 1..<slots.count where Self.compare(slots[i], slots[worst]) > 0 { worst = i }
      if Self.compare(slots[worst], candidate) > 0 { slots[worst] = candidate }
    }

    func best(minimum: Int) -> Candidate? {
      var order = Array(slots.indices)
      // Stable: equal candidates keep their slots' order.
      order.sort { Self.compare(slots[$0], slots[$1]) < 0 || (Self.compare(slots[$0], slots[$1]) == 0 && $0 < $1) }
      guard let first = slots[order[0]], first.score >= minimum else { return nil }
      return first
    }
  }
}

/// git's fingerprint of a blob for rename similarity (diffcore-delta.c): the blob cut into chunks
/// ending at a newline or at 64 bytes, each hashed into one of 107,927 buckets; a bucket's weight is
/// its chunks' bytes. A CR before an LF is skipped in text.
struct Fingerprint {
  /// Sorted by bucket: bucket in the high 32 bits, bytes in the low.
  let buckets: [UInt64]

  init(_ bytes: [UInt8]) {
    let text = bytes.withUnsafeBytes { !GitText.isBinary($0) }
    var raw: [UInt64] = []
    raw.reserveCapacity(bytes.count / 24 + 1)
    var accum1: UInt32 = 0, accum2: UInt32 = 0, n: UInt32 = 0
    let count = bytes.count
    bytes.withUnsafeBufferPointer { buffer in
      var i = 0
      while i < count {
        let c = UInt32(buffer[i])
        i += 1
        if text && c == 0x0D && i < count && buffer[i] == 0x0A { continue }
        let old1 = accum1
        accum1 = (accum1 << 7) ^ (accum2 >> 25)
        accum2 = (accum2 << 7) ^ (old1 >> 25)
        accum1 &+= c
        n += 1
        if n < 64 && c != 0x0A { continue }
        raw.append(UInt64((accum1 &+ accum2 &* 0x61) % 107_927) << 32 | UInt64(n))
        n = 0
        accum1 = 0
        accum2 = 0
      }
    }
    if n > 0 { raw.append(UInt64((accum1 &+ accum2 &* 0x61) % 107_927) << 32 | UInt64(n)) }
    raw.sort()
    var merged: [UInt64] = []
    merged.reserveCapacity(raw.count)
    for item in raw {
      if let last = merged.last, last >> 32 == item >> 32 {
        merged[merged.count - 1] = last + (item & 0xFFFF_FFFF)
      } else {
        merged.append(item)
      }
    }
    buckets = merged
  }

  /// The bytes of `source` found again here: per bucket the smaller weight (git's `src_copied`).
  func copied(from source: Fingerprint) -> Int {
    var total = 0
    var i = 0, j = 0
    let a = source.buckets, b = buckets
    while i < a.count && j < b.count {
      let x = a[i] >> 32, y = b[j] >> 32
      if x < y {
        i += 1
      } else if y < x {
        j += 1
      } else {
        total += Int(min(a[i] & 0xFFFF_FFFF, b[j] & 0xFFFF_FFFF))
        i += 1
        j += 1
      }
    }
    return total
  }
}
