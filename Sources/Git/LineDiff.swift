#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A line differ that gives exactly git's added/deleted line counts for two text buffers, and git's
/// positions of the added lines, without libgit2.
///
/// It follows git's xdiff (git 2.39: xdiff/xprepare.c, xdiff/xdiffi.c, xdiff/xutils.c,
/// xdiff-interface.c) with the default options of `git log`: Myers without `--minimal`, the
/// `xdl_cleanup_records` discarding of lines that occur too often, the cost heuristics of `xdl_split`,
/// and `xdl_change_compact` with the indent heuristic for where the changed lines sit. Lines are the
/// records xdiff uses: every line with its newline, and a last line without one.
///
/// Two details of git decide which input xdiff sees:
/// - `git log --numstat` diffs with the default context of 3 lines, so `xdi_diff` does not trim the
///   common tail of the buffers; the counts here are those of the whole buffers.
/// - `git log -p -U0` diffs with no context, so `xdi_diff` first trims the common tail
///   (`trim_common_tail`). That can change what is marked (the occurrence counts and line totals that
///   `xdl_cleanup_records` uses) and where groups may slide; the added runs follow that variant.
/// Both are usually the same; when they are not, the differ runs twice.
///
/// Scratch storage is kept between calls: use one instance per thread.
public final class LineDiffer {
  // Records of each side: byte offsets of line starts (count + 1 entries), class ids, hashes.
  private var start0 = Scratch<Int>(), start1 = Scratch<Int>()
  private var class0 = Scratch<Int32>(), class1 = Scratch<Int32>()
  private var hash0 = Scratch<UInt64>(), hash1 = Scratch<UInt64>()
  // The classifier: an open-addressing table of class ids, and per class its line and counts.
  private var slots = Scratch<Int32>()
  private var classHash = Scratch<UInt64>(), classLine = Scratch<UnsafePointer<UInt8>>(), classLength = Scratch<Int>()
  private var count0 = Scratch<Int32>(), count1 = Scratch<Int32>()
  // xdl_cleanup_records and xdl_recs_cmp.
  private var dis0 = Scratch<UInt8>(), dis1 = Scratch<UInt8>(), disTrimmed = Scratch<UInt8>()
  private var index0 = Scratch<Int32>(), index1 = Scratch<Int32>()
  private var ha0 = Scratch<Int32>(), ha1 = Scratch<Int32>()
  private var changed0 = Scratch<UInt8>(), changed1 = Scratch<UInt8>()  // nrec + 2, sentinel at -1
  private var kv = Scratch<Int>()
  private var boxes = Scratch<Int>()
  // Which record lengths (folded to 12 bits) the middle records have: a bit set.
  private var lengths = Scratch<UInt64>()

  // The shape of the last analysis: record counts, common leading and trailing lines, the byte length
  // of the common tail.
  private var n0 = 0, n1 = 0, prefix = 0, suffix = 0, tailBytes = 0
  // How many middle records of each side went through Myers (-1: none, every middle record is marked).
  private var kept0 = -1, kept1 = -1

  public init() {}

  deinit {
    start0.free(); start1.free(); class0.free(); class1.free(); hash0.free(); hash1.free()
    slots.free(); classHash.free(); classLine.free(); classLength.free(); count0.free(); count1.free()
    dis0.free(); dis1.free(); disTrimmed.free(); index0.free(); index1.free(); ha0.free(); ha1.free()
    changed0.free(); changed1.free(); kv.free(); boxes.free(); lengths.free()
  }

  /// Counts as `git diff --numstat` (default Myers) for two text buffers (binary detection is the caller's job).
  /// `addedRuns` receives, in order, runs of adjacent added lines of `new`: (first line number 1-based, byte range in `new` excluding the final newline of the run's last line).
  ///
  /// The counts are those of `git log --numstat`, which diffs with git's default 3 lines of context
  /// (so without trim_common_tail); the runs are the `+` lines of `git log -p -U0` (with it). The
  /// two can disagree on rare inputs, exactly as git's own outputs do; then the runs need not add up
  /// to `added`. Buffers up to 2^31 lines (git itself refuses to diff above 1 GiB).
  public func diff(old: UnsafeRawBufferPointer, new: UnsafeRawBufferPointer,
                   addedRuns: ((_ firstLine: Int, _ bytes: Range<Int>) -> Void)?) -> (added: Int, deleted: Int) {
    let size0 = old.count, size1 = new.count
    if size0 == 0 && size1 == 0 { return (0, 0) }
    // Whole additions and deletions: every line changed, nothing to compare.
    if size0 == 0 || size1 == 0 {
      let bytes = size0 == 0 ? new : old
      let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
      let lines = GitText.lineCount(bytes)
      if size0 == 0 {
        addedRuns?(1, 0..<(base[size1 - 1] == 0x0A ? size1 - 1 : size1))
        return (lines, 0)
      }
      return (0, lines)
    }
    let a = old.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let b = new.baseAddress!.assumingMemoryBound(to: UInt8.self)
    if size0 == size1 && memcmp(a, b, size0) == 0 { return (0, 0) }

    let counts = analyze(a, size0, b, size1)
    guard let addedRuns else { return counts }
    let (_, nrec1) = markWithoutCommonTail(a, size0, b, size1)
    runs(nrec1, b, addedRuns)
    return counts
  }

  /// The hunks of `git diff -U0` between two text buffers, in order: what `git blame` diffs a commit's
  /// file against its parent's with (blame.c's diff_hunks, no context, so with trim_common_tail). The
  /// lines between hunks are the same on both sides, paired in order.
  public func hunks(old: UnsafeRawBufferPointer, new: UnsafeRawBufferPointer) -> [LineHunk] {
    hunksAndLines(old: old, new: new).hunks
  }

  /// `hunks(old:new:)` with the line counts of both sides, which the diff finds anyway (a caller that
  /// needs them does not count the buffers again).
  public func hunksAndLines(old: UnsafeRawBufferPointer, new: UnsafeRawBufferPointer) -> (hunks: [LineHunk], oldLines: Int, newLines: Int) {
    let size0 = old.count, size1 = new.count
    if size0 == 0 && size1 == 0 { return ([], 0, 0) }
    if size0 == 0 || size1 == 0 {
      let lines = GitText.lineCount(size0 == 0 ? new : old)
      return size0 == 0 ? ([LineHunk(oldStart: 0, oldCount: 0, newStart: 0, newCount: lines)], 0, lines)
                        : ([LineHunk(oldStart: 0, oldCount: lines, newStart: 0, newCount: 0)], lines, 0)
    }
    let a = old.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let b = new.baseAddress!.assumingMemoryBound(to: UInt8.self)
    if size0 == size1 && memcmp(a, b, size0) == 0 {
      let lines = GitText.lineCount(old)
      return ([], lines, lines)
    }
    _ = analyze(a, size0, b, size1)
    // The records of the whole buffers (`markWithoutCommonTail` may analyze cut ones).
    let lines0 = n0, lines1 = n1
    let (nrec0, nrec1) = markWithoutCommonTail(a, size0, b, size1)
    return (hunks(nrec0, nrec1), lines0, lines1)
  }

  /// `diff(old:new:addedRuns:)` and `hunksAndLines(old:new:)` from one analysis: `git log --numstat`'s
  /// counts, `git diff -U0`'s hunks and both sides' line counts, with the added runs (the hunks' new
  /// lines) handed to `addedRuns` as `diff` does. For the history pass when the line tracker takes its
  /// hunks: the runs need the `-U0` marks anyway.
  public func diffAndHunks(old: UnsafeRawBufferPointer, new: UnsafeRawBufferPointer,
                           addedRuns: ((_ firstLine: Int, _ bytes: Range<Int>) -> Void)?)
    -> (added: Int, deleted: Int, hunks: [LineHunk], oldLines: Int, newLines: Int) {
    let size0 = old.count, size1 = new.count
    if size0 == 0 || size1 == 0 || (size0 == size1 && memcmp(old.baseAddress!, new.baseAddress!, size0) == 0) {
      // Added or deleted whole, or the same: no marks to find.
      let whole = hunksAndLines(old: old, new: new)
      if size0 == 0 && size1 > 0 {
        addedRuns?(1, 0..<(new[size1 - 1] == 0x0A ? size1 - 1 : size1))
        return (whole.newLines, 0, whole.hunks, 0, whole.newLines)
      }
      return (0, size1 == 0 ? whole.oldLines : 0, whole.hunks, whole.oldLines, whole.newLines)
    }
    let a = old.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let b = new.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let counts = analyze(a, size0, b, size1)
    let lines0 = n0, lines1 = n1
    let (nrec0, nrec1) = markWithoutCommonTail(a, size0, b, size1)
    if let addedRuns { runs(nrec1, b, addedRuns) }
    return (counts.added, counts.deleted, hunks(nrec0, nrec1), lines0, lines1)
  }

  /// The runs of marked lines among the first `nrec1` records of the new side.
  private func runs(_ nrec1: Int, _ b: UnsafePointer<UInt8>, _ visit: (_ firstLine: Int, _ bytes: Range<Int>) -> Void) {
    let marks = changed1.base + 1, starts = start1.base
    var i = 0
    while i < nrec1 {
      if marks[i] == 0 { i += 1; continue }
      let first = i
      while i < nrec1 && marks[i] != 0 { i += 1 }
      var end = starts[i]
      if b[end - 1] == 0x0A { end -= 1 }
      visit(first + 1, starts[first]..<end)
    }
  }

  /// The hunks of the marks on the first `nrec0` and `nrec1` records of each side.
  private func hunks(_ nrec0: Int, _ nrec1: Int) -> [LineHunk] {
    // xdl_build_script pairs the groups of marks from the end; between groups the unmarked records of
    // both sides are equal in number, so pairing from the start is the same.
    let marks0 = changed0.base + 1, marks1 = changed1.base + 1
    var out: [LineHunk] = []
    var i0 = 0, i1 = 0
    while i0 < nrec0 || i1 < nrec1 {
      if i0 < nrec0 && i1 < nrec1 && marks0[i0] == 0 && marks1[i1] == 0 {
        i0 += 1
        i1 += 1
        continue
      }
      let s0 = i0, s1 = i1
      while i0 < nrec0 && marks0[i0] != 0 { i0 += 1 }
      while i1 < nrec1 && marks1[i1] != 0 { i1 += 1 }
      if i0 == s0 && i1 == s1 {
        // Unmarked lines left on one side only: cannot happen with xdiff's marks; keep it finite.
        i0 = nrec0
        i1 = nrec1
      }
      out.append(LineHunk(oldStart: s0, oldCount: i0 - s0, newStart: s1, newCount: i1 - s1))
    }
    return out
  }

  /// The changed-line marks of `git diff -U0` on both sides (after `analyze` of the whole buffers):
  /// xdi_diff's trim_common_tail, xdl_cleanup_records again when the cut changes its verdicts, then
  /// xdl_change_compact. Returns how many records of each side carry marks; the records after them are
  /// the common tail, equal on both sides.
  private func markWithoutCommonTail(_ a: UnsafePointer<UInt8>, _ size0: Int, _ b: UnsafePointer<UInt8>, _ size1: Int) -> (Int, Int) {
    // `git diff -U0`: xdi_diff's trim_common_tail, in 1024-byte blocks, then back to a line end.
    let block = 1024
    let trimmed = min(tailBytes, min(size0, size1)) / block * block
    var cut = 0  // bytes cut from both ends
    if trimmed > 0 {
      let tail = a + (size0 - trimmed)
      var recovered = 0
      while recovered < trimmed {
        let c = tail[recovered]
        recovered += 1
        if c == 0x0A { break }
      }
      cut = trimmed - recovered
    }
    var nrec0 = n0, nrec1 = n1
    if cut > 0 {
      // The cut lines, counted from the end (the same lines on both sides).
      let cutLines = n0 - recordIndex(start0.base, n0, offset: size0 - cut)
      if cutLines <= suffix {
        // The same middle records; xdl_cleanup_records may keep others for Myers (the line totals and
        // occurrence counts are smaller), then Myers runs again on them.
        if !sameOutcomeWithout(trailingLines: cutLines) {
          remark(trailingLines: cutLines)
        }
        nrec0 = n0 - cutLines
        nrec1 = n1 - cutLines
      } else {
        // The cut reaches into the common leading lines (one side's middle is empty): diff the cut
        // buffers afresh.
        _ = analyze(a, size0 - cut, b, size1 - cut)
        nrec0 = n0
        nrec1 = n1
      }
    }

    let file0 = CompactFile(changed: changed0.base + 1, classes: class0.base, starts: start0.base, bytes: a, count: nrec0)
    let file1 = CompactFile(changed: changed1.base + 1, classes: class1.base, starts: start1.base, bytes: b, count: nrec1)
    Self.changeCompact(file0, other: file1)
    Self.changeCompact(file1, other: file0)

    return (nrec0, nrec1)
  }

  // MARK: - Preparation (xprepare.c)

  /// Splits both buffers into records, classifies them, discards as xdl_cleanup_records does and marks
  /// the changed records with xdl_recs_cmp. Returns the numbers of marked records of `b` and `a`.
  private func analyze(_ a: UnsafePointer<UInt8>, _ size0: Int, _ b: UnsafePointer<UInt8>, _ size1: Int) -> (added: Int, deleted: Int) {
    let smaller = min(size0, size1)
    // Common leading lines (xdl_trim_ends), found on the bytes: up to the last newline before the first
    // difference.
    var headBytes = Self.commonPrefix(a, b, smaller)
    while headBytes > 0 && a[headBytes - 1] != 0x0A { headBytes -= 1 }
    // Common trailing lines, not overlapping the leading ones on either side.
    tailBytes = Self.commonSuffix(a + size0, b + size1, smaller)
    let within = min(tailBytes, smaller - headBytes)
    var endBytes = 0
    if within > 0 {
      let c0 = size0 - within, c1 = size1 - within
      if (c0 == 0 || a[c0 - 1] == 0x0A) && (c1 == 0 || b[c1 - 1] == 0x0A) {
        endBytes = within
      } else if let newline = memchr(a + c0, 0x0A, within) {
        endBytes = size0 - (UnsafeRawPointer(a).distance(to: UnsafeRawPointer(newline)) + 1)
      }
    }

    // The middle records of both sides with their hashes; of the common records (the same on both
    // sides) only the old side's starts, hashed later only when a middle record could equal them.
    prefix = Self.lineStarts(a, from: 0, to: headBytes, starts: &start0, at: 0)
    let m0 = Self.split(a, from: headBytes, to: size0 - endBytes, starts: &start0, hashes: &hash0, at: prefix)
    let tailStart0 = prefix + m0
    suffix = Self.lineStarts(a, from: size0 - endBytes, to: size0, starts: &start0, at: tailStart0)
    n0 = tailStart0 + suffix
    start0.reserve(n0 + 1, keeping: n0)
    start0.base[n0] = size0
    let m1 = Self.split(b, from: headBytes, to: size1 - endBytes, starts: &start1, hashes: &hash1, at: prefix)
    n1 = prefix + m1 + suffix
    start1.reserve(n1 + 1, keeping: prefix + m1)
    class0.reserve(n0, keeping: 0)
    class1.reserve(n1, keeping: 0)
    do {
      let s0 = start0.base, s1 = start1.base
      for i in 0..<prefix { s1[i] = s0[i] }
      let shift = size1 - size0
      for t in 0...suffix { s1[prefix + m1 + t] = s0[tailStart0 + t] + shift }
    }

    // Classes of the middle records (xdl_classify_record), then the common records looked up: a
    // class that only common records have cannot matter (see `CompactFile.match`). A common record
    // whose length no middle record has is in no middle class: it is not hashed (most of a file a
    // commit edits in a few places).
    var capacity = 16
    while capacity < 2 * (m0 + m1) { capacity <<= 1 }
    slots.reserve(capacity, keeping: 0)
    slots.base.initialize(repeating: -1, count: capacity)
    let classes = max(m0 + m1, 1)
    classHash.reserve(classes, keeping: 0); classLine.reserve(classes, keeping: 0); classLength.reserve(classes, keeping: 0)
    count0.reserve(classes, keeping: 0); count1.reserve(classes, keeping: 0)
    var table = Table(slots: slots.base, mask: capacity - 1, hash: classHash.base, line: classLine.base,
                      length: classLength.base, count0: count0.base, count1: count1.base)
    lengths.reserve(Self.lengthWords, keeping: 0)
    let seen = lengths.base
    seen.initialize(repeating: 0, count: Self.lengthWords)
    do {
      let s0 = start0.base, h0 = hash0.base, c0 = class0.base
      for i in prefix..<(prefix + m0) {
        let n = s0[i + 1] - s0[i]
        let c = table.insert(h0[i], a + s0[i], n)
        c0[i] = c
        table.count0[Int(c)] += 1
        Self.note(n, in: seen)
      }
      let s1 = start1.base, h1 = hash1.base, c1 = class1.base
      for i in prefix..<(prefix + m1) {
        let n = s1[i + 1] - s1[i]
        let c = table.insert(h1[i], b + s1[i], n)
        c1[i] = c
        table.count1[Int(c)] += 1
        Self.note(n, in: seen)
      }
      func common(_ i: Int) -> Int32 {
        let n = s0[i + 1] - s0[i]
        if !Self.noted(n, in: seen) { return -1 }
        let c = table.find(Self.hash(a + s0[i], n, end: a + size0), a + s0[i], n)
        if c >= 0 {
          table.count0[Int(c)] += 1
          table.count1[Int(c)] += 1
        }
        return c
      }
      for i in 0..<prefix {
        let c = common(i)
        c0[i] = c
        c1[i] = c
      }
      for t in 0..<suffix {
        let c = common(tailStart0 + t)
        c0[tailStart0 + t] = c
        c1[prefix + m1 + t] = c
      }
    }

    // xdl_cleanup_records: how often each middle record occurs on the other side.
    dis0.reserve(m0, keeping: 0)
    dis1.reserve(m1, keeping: 0)
    Self.classify(dis0.base, class0.base + prefix, m0, other: count1.base, limit: Self.equalityLimit(n0))
    Self.classify(dis1.base, class1.base + prefix, m1, other: count0.base, limit: Self.equalityLimit(n1))

    changed0.reserve(n0 + 2, keeping: 0)
    changed1.reserve(n1 + 2, keeping: 0)
    changed0.base.initialize(repeating: 0, count: n0 + 2)
    changed1.base.initialize(repeating: 0, count: n1 + 2)
    mark(m0, m1)

    var added = 0, deleted = 0
    let k0 = changed0.base + 1 + prefix, k1 = changed1.base + 1 + prefix
    for i in 0..<m0 { deleted &+= Int(k0[i]) }
    for i in 0..<m1 { added &+= Int(k1[i]) }
    return (added, deleted)
  }

  /// Whether dropping the last `lines` records of both sides (all common trailing records) leaves
  /// xdl_cleanup_records' choice of records for Myers unchanged, so the marks stand. Leaves the counts
  /// without them.
  private func sameOutcomeWithout(trailingLines lines: Int) -> Bool {
    let c0 = count0.base, c1 = count1.base, cls = class0.base
    for i in (n0 - lines)..<n0 {
      let c = cls[i]
      if c >= 0 {
        c0[Int(c)] -= 1
        c1[Int(c)] -= 1
      }
    }
    if kept0 < 0 { return true }
    let m0 = n0 - prefix - suffix, m1 = n1 - prefix - suffix
    return sameCleanup(dis0.base, class0.base, m0, other: c1, limit: Self.equalityLimit(n0 - lines), index: index0.base, kept: kept0)
      && sameCleanup(dis1.base, class1.base, m1, other: c0, limit: Self.equalityLimit(n1 - lines), index: index1.base, kept: kept1)
  }

  /// Marks the middle records again after `sameOutcomeWithout` found that xdl_cleanup_records
  /// decides otherwise without the last `lines` records (whose counts it already took off).
  private func remark(trailingLines lines: Int) {
    let m0 = n0 - prefix - suffix, m1 = n1 - prefix - suffix
    Self.classify(dis0.base, class0.base + prefix, m0, other: count1.base, limit: Self.equalityLimit(n0 - lines))
    Self.classify(dis1.base, class1.base + prefix, m1, other: count0.base, limit: Self.equalityLimit(n1 - lines))
    (changed0.base + 1 + prefix).update(repeating: 0, count: m0)
    (changed1.base + 1 + prefix).update(repeating: 0, count: m1)
    mark(m0, m1)
  }

  /// Whether the verdicts with the `other` counts and `limit` keep the same records (`index[0..<kept]`)
  /// as `dis` did.
  private func sameCleanup(_ dis: UnsafePointer<UInt8>, _ classes: UnsafePointer<Int32>, _ count: Int,
                           other: UnsafePointer<Int32>, limit: Int, index: UnsafePointer<Int32>, kept: Int) -> Bool {
    disTrimmed.reserve(count, keeping: 0)
    let alt = disTrimmed.base
    Self.classify(alt, classes + prefix, count, other: other, limit: limit)
    if memcmp(alt, dis, count) == 0 { return true }
    var next = 0
    for j in 0..<count {
      let d = alt[j]
      let keep = d == 1 || (d == 2 && !Self.cleanMultimatch(alt, j, 0, count - 1))
      let wasKept = next < kept && Int(index[next]) == prefix + j
      if keep != wasKept { return false }
      if wasKept { next += 1 }
    }
    return true
  }

  /// xdl_cleanup_records' limit: occurrences at or above it make a line a "multimatch" candidate.
  private static func equalityLimit(_ records: Int) -> Int { min(bogosqrt(records), 1024) }

  /// xdl_bogosqrt.
  private static func bogosqrt(_ n: Int) -> Int {
    var i = 1, n = n
    while n > 0 { i <<= 1; n >>= 2 }
    return i
  }

  private static func verdict(_ matches: Int32, _ limit: Int) -> UInt8 {
    matches == 0 ? 0 : Int(matches) >= limit ? 2 : 1
  }

  private static func classify(_ dis: UnsafeMutablePointer<UInt8>, _ classes: UnsafePointer<Int32>, _ count: Int,
                               other: UnsafePointer<Int32>, limit: Int) {
    for i in 0..<count { dis[i] = verdict(other[Int(classes[i])], limit) }
  }

  /// xdl_clean_mmatch: whether multimatch line `i` sits in a run of lines without match, over the
  /// middle records `s...e`.
  private static func cleanMultimatch(_ dis: UnsafePointer<UInt8>, _ i: Int, _ s: Int, _ e: Int) -> Bool {
    let window = 100  // XDL_SIMSCAN_WINDOW
    let s = i - s > window ? i - window : s
    let e = e - i > window ? i + window : e
    var r = 1, none0 = 0, multi0 = 1
    while i - r >= s {
      let d = dis[i - r]
      if d == 0 { none0 += 1 } else if d == 2 { multi0 += 1 } else { break }
      r += 1
    }
    if none0 == 0 { return false }
    r = 1
    var none1 = 0, multi1 = 1
    while i + r <= e {
      let d = dis[i + r]
      if d == 0 { none1 += 1 } else if d == 2 { multi1 += 1 } else { break }
      r += 1
    }
    if none1 == 0 { return false }
    none1 += none0
    multi1 += multi0
    return multi1 * 4 < multi1 + none1  // XDL_KPDIS_RUN
  }

  /// xdl_cleanup_records' second half and xdl_do_diff: discarded records are marked changed, the
  /// others go through Myers.
  private func mark(_ m0: Int, _ m1: Int) {
    let k0 = changed0.base + 1, k1 = changed1.base + 1
    kept0 = -1
    kept1 = -1
    if m0 == 0 || m1 == 0 {
      for i in prefix..<(prefix + m0) { k0[i] = 1 }
      for i in prefix..<(prefix + m1) { k1[i] = 1 }
      return
    }
    index0.reserve(m0, keeping: 0); ha0.reserve(m0, keeping: 0)
    index1.reserve(m1, keeping: 0); ha1.reserve(m1, keeping: 0)
    kept0 = Self.cleanup(dis0.base, class0.base, prefix, m0, changed: k0, index: index0.base, ha: ha0.base)
    kept1 = Self.cleanup(dis1.base, class1.base, prefix, m1, changed: k1, index: index1.base, ha: ha1.base)

    let diagonals = kept0 + kept1 + 3
    kv.reserve(2 * diagonals + 2, keeping: 0)
    let forward = kv.base + (kept1 + 1)
    let backward = kv.base + diagonals + (kept1 + 1)
    let maxCost = max(Self.bogosqrt(diagonals), 256)  // XDL_MAX_COST_MIN
    compare(ha0.base, kept0, ha1.base, kept1, forward, backward, maxCost, k0, k1)
  }

  private static func cleanup(_ dis: UnsafePointer<UInt8>, _ classes: UnsafePointer<Int32>, _ first: Int, _ count: Int,
                              changed: UnsafeMutablePointer<UInt8>, index: UnsafeMutablePointer<Int32>,
                              ha: UnsafeMutablePointer<Int32>) -> Int {
    var kept = 0
    for j in 0..<count {
      let d = dis[j]
      if d == 1 || (d == 2 && !cleanMultimatch(dis, j, 0, count - 1)) {
        index[kept] = Int32(truncatingIfNeeded: first + j)
        ha[kept] = classes[first + j]
        kept += 1
      } else {
        changed[first + j] = 1
      }
    }
    return kept
  }

  // MARK: - Myers (xdiffi.c)

  /// xdl_recs_cmp, with a stack of boxes in place of the recursion (same order: lower box first).
  private func compare(_ ha1: UnsafePointer<Int32>, _ count1: Int, _ ha2: UnsafePointer<Int32>, _ count2: Int,
                       _ kvdf: UnsafeMutablePointer<Int>, _ kvdb: UnsafeMutablePointer<Int>, _ maxCost: Int,
                       _ changed1: UnsafeMutablePointer<UInt8>, _ changed2: UnsafeMutablePointer<UInt8>) {
    let index1 = index0.base, index2 = self.index1.base
    var depth = 0
    func push(_ o1: Int, _ l1: Int, _ o2: Int, _ l2: Int, _ needMin: Bool) {
      boxes.reserve(5 * (depth + 1), keeping: 5 * depth)
      let p = boxes.base + 5 * depth
      p[0] = o1; p[1] = l1; p[2] = o2; p[3] = l2; p[4] = needMin ? 1 : 0
      depth += 1
    }
    push(0, count1, 0, count2, false)
    while depth > 0 {
      depth -= 1
      let p = boxes.base + 5 * depth
      var off1 = p[0], lim1 = p[1], off2 = p[2], lim2 = p[3]
      let needMin = p[4] != 0
      while off1 < lim1 && off2 < lim2 && ha1[off1] == ha2[off2] { off1 += 1; off2 += 1 }
      while off1 < lim1 && off2 < lim2 && ha1[lim1 - 1] == ha2[lim2 - 1] { lim1 -= 1; lim2 -= 1 }
      if off1 == lim1 {
        for i in off2..<lim2 { changed2[Int(index2[i])] = 1 }
      } else if off2 == lim2 {
        for i in off1..<lim1 { changed1[Int(index1[i])] = 1 }
      } else {
        let split = Self.split(ha1, off1, lim1, ha2, off2, lim2, kvdf, kvdb, needMin, maxCost)
        push(split.i1, lim1, split.i2, lim2, split.minHi)
        push(off1, split.i1, off2, split.i2, split.minLo)
      }
    }
  }

  /// xdl_split: the middle snake of the box, or a good enough point once the cost heuristics give up.
  private static func split(_ ha1: UnsafePointer<Int32>, _ off1: Int, _ lim1: Int,
                            _ ha2: UnsafePointer<Int32>, _ off2: Int, _ lim2: Int,
                            _ kvdf: UnsafeMutablePointer<Int>, _ kvdb: UnsafeMutablePointer<Int>,
                            _ needMin: Bool, _ maxCost: Int) -> (i1: Int, i2: Int, minLo: Bool, minHi: Bool) {
    let snakeCount = 20  // XDL_SNAKE_CNT
    let heuristicMinCost = 256  // XDL_HEUR_MIN_COST
    let kHeuristic = 4  // XDL_K_HEUR
    let lineMax = Int.max
    let dmin = off1 - lim2, dmax = lim1 - off2
    let fmid = off1 - off2, bmid = lim1 - lim2
    let odd = (fmid - bmid) & 1 != 0
    var fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid
    kvdf[fmid] = off1
    kvdb[bmid] = lim1

    var ec = 1
    while true {
      var gotSnake = false
      if fmin > dmin { fmin -= 1; kvdf[fmin - 1] = -1 } else { fmin += 1 }
      if fmax < dmax { fmax += 1; kvdf[fmax + 1] = -1 } else { fmax -= 1 }
      var d = fmax
      while d >= fmin {
        var i1 = kvdf[d - 1] >= kvdf[d + 1] ? kvdf[d - 1] + 1 : kvdf[d + 1]
        let prev1 = i1
        var i2 = i1 - d
        while i1 < lim1 && i2 < lim2 && ha1[i1] == ha2[i2] { i1 += 1; i2 += 1 }
        if i1 - prev1 > snakeCount { gotSnake = true }
        kvdf[d] = i1
        if odd && bmin <= d && d <= bmax && kvdb[d] <= i1 { return (i1, i2, true, true) }
        d -= 2
      }

      if bmin > dmin { bmin -= 1; kvdb[bmin - 1] = lineMax } else { bmin += 1 }
      if bmax < dmax { bmax += 1; kvdb[bmax + 1] = lineMax } else { bmax -= 1 }
      d = bmax
      while d >= bmin {
        var i1 = kvdb[d - 1] < kvdb[d + 1] ? kvdb[d - 1] : kvdb[d + 1] - 1
        let prev1 = i1
        var i2 = i1 - d
        while i1 > off1 && i2 > off2 && ha1[i1 - 1] == ha2[i2 - 1] { i1 -= 1; i2 -= 1 }
        if prev1 - i1 > snakeCount { gotSnake = true }
        kvdb[d] = i1
        if !odd && fmin <= d && d <= fmax && i1 <= kvdf[d] { return (i1, i2, true, true) }
        d -= 2
      }

      if needMin { ec += 1; continue }

      // A long enough snake far enough along: split there.
      if gotSnake && ec > heuristicMinCost {
        var best = 0, bestI1 = 0, bestI2 = 0
        d = fmax
        while d >= fmin {
          let dd = d > fmid ? d - fmid : fmid - d
          let i1 = kvdf[d], i2 = i1 - d
          let v = (i1 - off1) + (i2 - off2) - dd
          if v > kHeuristic * ec && v > best && off1 + snakeCount <= i1 && i1 < lim1
            && off2 + snakeCount <= i2 && i2 < lim2 {
            var k = 1
            while ha1[i1 - k] == ha2[i2 - k] {
              if k == snakeCount { best = v; bestI1 = i1; bestI2 = i2; break }
              k += 1
            }
          }
          d -= 2
        }
        if best > 0 { return (bestI1, bestI2, true, false) }

        best = 0
        d = bmax
        while d >= bmin {
          let dd = d > bmid ? d - bmid : bmid - d
          let i1 = kvdb[d], i2 = i1 - d
          let v = (lim1 - i1) + (lim2 - i2) - dd
          if v > kHeuristic * ec && v > best && off1 < i1 && i1 <= lim1 - snakeCount
            && off2 < i2 && i2 <= lim2 - snakeCount {
            var k = 0
            while ha1[i1 + k] == ha2[i2 + k] {
              if k == snakeCount - 1 { best = v; bestI1 = i1; bestI2 = i2; break }
              k += 1
            }
          }
          d -= 2
        }
        if best > 0 { return (bestI1, bestI2, false, true) }
      }

      // Enough: the furthest reaching path.
      if ec >= maxCost {
        var fbest = -1, fbest1 = -1
        d = fmax
        while d >= fmin {
          var i1 = min(kvdf[d], lim1)
          var i2 = i1 - d
          if lim2 < i2 { i1 = lim2 + d; i2 = lim2 }
          if fbest < i1 + i2 { fbest = i1 + i2; fbest1 = i1 }
          d -= 2
        }
        var bbest = lineMax, bbest1 = lineMax
        d = bmax
        while d >= bmin {
          var i1 = max(off1, kvdb[d])
          var i2 = i1 - d
          if i2 < off2 { i1 = off2 + d; i2 = off2 }
          if i1 + i2 < bbest { bbest = i1 + i2; bbest1 = i1 }
          d -= 2
        }
        if (lim1 + lim2) - bbest < fbest - (off1 + off2) {
          return (fbest1, fbest - fbest1, true, false)
        }
        return (bbest1, bbest - bbest1, false, true)
      }
      ec += 1
    }
  }

  // MARK: - Compaction (xdl_change_compact with the indent heuristic)

  private struct CompactFile {
    let changed: UnsafeMutablePointer<UInt8>  // valid at -1 and count (zero sentinels)
    let classes: UnsafePointer<Int32>
    let starts: UnsafePointer<Int>
    let bytes: UnsafePointer<UInt8>
    let count: Int

    /// recs_match. One of the two records is always in a group, and group records always have the
    /// class of a middle record (groups only slide onto equal records); a record whose class is -1
    /// (a common record equal to no middle record) matches none of them. Both -1 only happens when
    /// nothing was classified; then the bytes decide.
    @inline(__always) func match(_ i: Int, _ j: Int) -> Bool {
      let a = classes[i], b = classes[j]
      if a >= 0 || b >= 0 { return a == b }
      let la = starts[i + 1] - starts[i], lb = starts[j + 1] - starts[j]
      return la == lb && memcmp(bytes + starts[i], bytes + starts[j], la) == 0
    }

    /// get_indent: columns of leading whitespace (tabs to 8), -1 for a blank line, at most 200.
    func indent(_ record: Int) -> Int {
      var ret = 0
      let p = bytes + starts[record]
      for i in 0..<(starts[record + 1] - starts[record]) {
        let c = p[i]
        if !(c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D) { return ret }
        if c == 0x20 { ret += 1 } else if c == 0x09 { ret += 8 - ret % 8 }
        if ret >= 200 { return 200 }
      }
      return -1
    }
  }

  private struct Group { var start = 0, end = 0 }

  private static func groupInit(_ f: CompactFile, _ g: inout Group) {
    g.start = 0; g.end = 0
    while f.changed[g.end] != 0 { g.end += 1 }
  }

  private static func groupNext(_ f: CompactFile, _ g: inout Group) -> Bool {
    if g.end == f.count { return false }
    g.start = g.end + 1
    g.end = g.start
    while f.changed[g.end] != 0 { g.end += 1 }
    return true
  }

  private static func groupPrevious(_ f: CompactFile, _ g: inout Group) -> Bool {
    if g.start == 0 { return false }
    g.end = g.start - 1
    g.start = g.end
    while f.changed[g.start - 1] != 0 { g.start -= 1 }
    return true
  }

  private static func slideDown(_ f: CompactFile, _ g: inout Group) -> Bool {
    guard g.end < f.count && f.match(g.start, g.end) else { return false }
    f.changed[g.start] = 0; g.start += 1
    f.changed[g.end] = 1; g.end += 1
    while f.changed[g.end] != 0 { g.end += 1 }
    return true
  }

  private static func slideUp(_ f: CompactFile, _ g: inout Group) -> Bool {
    guard g.start > 0 && f.match(g.start - 1, g.end - 1) else { return false }
    g.start -= 1; f.changed[g.start] = 1
    g.end -= 1; f.changed[g.end] = 0
    while f.changed[g.start - 1] != 0 { g.start -= 1 }
    return true
  }

  private struct SplitMeasurement { var endOfFile = false, indent = 0, preBlank = 0, preIndent = 0, postBlank = 0, postIndent = 0 }
  private struct SplitScore { var effectiveIndent = 0, penalty = 0 }

  private static func measureSplit(_ f: CompactFile, _ split: Int) -> SplitMeasurement {
    let maxBlanks = 20
    var m = SplitMeasurement()
    if split >= f.count {
      m.endOfFile = true
      m.indent = -1
    } else {
      m.indent = f.indent(split)
    }
    m.preIndent = -1
    var i = split - 1
    while i >= 0 {
      m.preIndent = f.indent(i)
      if m.preIndent != -1 { break }
      m.preBlank += 1
      if m.preBlank == maxBlanks { m.preIndent = 0; break }
      i -= 1
    }
    m.postIndent = -1
    i = split + 1
    while i < f.count {
      m.postIndent = f.indent(i)
      if m.postIndent != -1 { break }
      m.postBlank += 1
      if m.postBlank == maxBlanks { m.postIndent = 0; break }
      i += 1
    }
    return m
  }

  /// score_add_split.
  private static func scoreAddSplit(_ m: SplitMeasurement, _ s: inout SplitScore) {
    if m.preIndent == -1 && m.preBlank == 0 { s.penalty += 1 }  // START_OF_FILE_PENALTY
    if m.endOfFile { s.penalty += 21 }  // END_OF_FILE_PENALTY
    let postBlank = m.indent == -1 ? 1 + m.postBlank : 0
    let totalBlank = m.preBlank + postBlank
    s.penalty += -30 * totalBlank  // TOTAL_BLANK_WEIGHT
    s.penalty += 6 * postBlank  // POST_BLANK_WEIGHT
    let indent = m.indent != -1 ? m.indent : m.postIndent
    let anyBlanks = totalBlank != 0
    s.effectiveIndent += indent
    if indent == -1 || m.preIndent == -1 {
    } else if indent > m.preIndent {
      s.penalty += anyBlanks ? 10 : -4  // RELATIVE_INDENT(_WITH_BLANK)_PENALTY
    } else if indent == m.preIndent {
    } else if m.postIndent != -1 && m.postIndent > indent {
      s.penalty += anyBlanks ? 17 : 24  // RELATIVE_OUTDENT(_WITH_BLANK)_PENALTY
    } else {
      s.penalty += anyBlanks ? 17 : 23  // RELATIVE_DEDENT(_WITH_BLANK)_PENALTY
    }
  }

  private static func scoreCompare(_ s1: SplitScore, _ s2: SplitScore) -> Int {
    let indents = (s1.effectiveIndent > s2.effectiveIndent ? 1 : 0) - (s1.effectiveIndent < s2.effectiveIndent ? 1 : 0)
    return 60 * indents + (s1.penalty - s2.penalty)  // INDENT_WEIGHT
  }

  /// xdl_change_compact with XDF_INDENT_HEURISTIC (git's default).
  private static func changeCompact(_ f: CompactFile, other o: CompactFile) {
    var g = Group(), go = Group()
    groupInit(f, &g)
    groupInit(o, &go)
    while true {
      if g.end != g.start {
        var groupSize = 0, earliestEnd = 0, endMatchingOther = -1
        repeat {
          groupSize = g.end - g.start
          endMatchingOther = -1
          while slideUp(f, &g) { _ = groupPrevious(o, &go) }
          earliestEnd = g.end
          if go.end > go.start { endMatchingOther = g.end }
          while slideDown(f, &g) {
            _ = groupNext(o, &go)
            if go.end > go.start { endMatchingOther = g.end }
          }
        } while groupSize != g.end - g.start

        if g.end == earliestEnd {
          // No shifting was possible.
        } else if endMatchingOther != -1 {
          while go.end == go.start {
            _ = slideUp(f, &g)
            _ = groupPrevious(o, &go)
          }
        } else {
          var shift = earliestEnd
          if g.end - groupSize - 1 > shift { shift = g.end - groupSize - 1 }
          if g.end - 100 > shift { shift = g.end - 100 }  // INDENT_HEURISTIC_MAX_SLIDING
          var bestShift = -1
          var bestScore = SplitScore()
          while shift <= g.end {
            var score = SplitScore()
            scoreAddSplit(measureSplit(f, shift), &score)
            scoreAddSplit(measureSplit(f, shift - groupSize), &score)
            if bestShift == -1 || scoreCompare(score, bestScore) <= 0 {
              bestScore = score
              bestShift = shift
            }
            shift += 1
          }
          while g.end > bestShift {
            _ = slideUp(f, &g)
            _ = groupPrevious(o, &go)
          }
        }
      }
      if !groupNext(f, &g) { break }
      _ = groupNext(o, &go)
    }
  }

  // MARK: - Bytes

  /// Index of the record starting at `offset` (a record start, or the end: `count`).
  private func recordIndex(_ starts: UnsafePointer<Int>, _ count: Int, offset: Int) -> Int {
    var lo = 0, hi = count
    while lo < hi {
      let mid = (lo + hi) >> 1
      if starts[mid] < offset { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  private static func commonPrefix(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var i = 0
    while i + 8 <= n {
      let x = ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ rb.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      if x != 0 { return i + UInt64(littleEndian: x).trailingZeroBitCount >> 3 }
      i += 8
    }
    while i < n && a[i] == b[i] { i += 1 }
    return i
  }

  /// Length of the common suffix of the bytes ending at `a` and `b`, at most `n`.
  private static func commonSuffix(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var i = 0
    while i + 8 <= n {
      let x = ra.loadUnaligned(fromByteOffset: -i - 8, as: UInt64.self) ^ rb.loadUnaligned(fromByteOffset: -i - 8, as: UInt64.self)
      if x != 0 { return i + UInt64(littleEndian: x).leadingZeroBitCount >> 3 }
      i += 8
    }
    while i < n && a[-i - 1] == b[-i - 1] { i += 1 }
    return i
  }

  @inline(__always) private static func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
    let x = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
    return (x << 29) | (x >> 35)
  }

  @inline(__always) private static func finish(_ h: UInt64, _ length: Int) -> UInt64 {
    var x = (h ^ UInt64(truncatingIfNeeded: length)) &* 0xC2B2_AE3D_27D4_EB4F
    x ^= x >> 32
    return x
  }

  private static let lengthWords = 64

  @inline(__always) private static func note(_ length: Int, in seen: UnsafeMutablePointer<UInt64>) {
    seen[(length &>> 6) & (lengthWords - 1)] |= 1 &<< UInt64(length & 63)
  }

  @inline(__always) private static func noted(_ length: Int, in seen: UnsafePointer<UInt64>) -> Bool {
    seen[(length &>> 6) & (lengthWords - 1)] & (1 &<< UInt64(length & 63)) != 0
  }

  /// The hash `split` gives a record of `n` bytes at `p` (whole words, then the rest as one word),
  /// in a buffer that ends at `end`.
  @inline(__always)
  private static func hash(_ p: UnsafePointer<UInt8>, _ n: Int, end: UnsafePointer<UInt8>) -> UInt64 {
    let raw = UnsafeRawPointer(p)
    var h: UInt64 = 0, k = 0
    while k &+ 8 <= n {
      h = mix(h, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)))
      k &+= 8
    }
    if k < n {
      var w: UInt64 = 0
      if p + k + 8 <= end {
        // One load, the bytes past the record masked off.
        w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) & ((1 &<< UInt64((n &- k) &<< 3)) &- 1)
      } else {
        for j in 0..<(n &- k) { w |= UInt64(p[k &+ j]) &<< UInt64(j &<< 3) }
      }
      h = mix(h, w)
    }
    return finish(h, n)
  }

  /// Writes from index `at` the starts of the records of `base[from..<to]` (each up to and with its
  /// newline; the range starts at a record start), without hashing them. Returns the count.
  private static func lineStarts(_ base: UnsafePointer<UInt8>, from: Int, to: Int, starts: inout Scratch<Int>, at: Int) -> Int {
    guard from < to else { return 0 }
    var count = at
    // Room for every record start plus the slack the block loop writes past them.
    starts.reserve(count + (to - from) / 16 + 128, keeping: count)
    var capacity = starts.capacity
    var sp = starts.base
    sp[count] = from
    count &+= 1
    let raw = UnsafeRawPointer(base)
    var p = from
    // 64 bytes at a time: a bit per newline byte, then each set bit's position written, eight
    // unconditionally (past the count when fewer; overwritten later), so the branches do not depend on
    // where the lines end.
    while p &+ 64 <= to {
      var bits: UInt64 = 0
      for k in 0..<8 {
        let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: p &+ k &* 8, as: UInt64.self)) ^ 0x0A0A_0A0A_0A0A_0A0A
        // The high bit of every byte of `x` that is 0 (a newline), exactly.
        let t = ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x | 0x7F7F_7F7F_7F7F_7F7F)
        bits |= (((t &>> 7) &* 0x0102_0408_1020_4080) &>> 56) &<< UInt64(k &* 8)
      }
      if bits != 0 {
        let n = bits.nonzeroBitCount
        if count &+ 64 > capacity {
          starts.reserve(2 * capacity + 64, keeping: count)
          capacity = starts.capacity
          sp = starts.base
        }
        let q = sp + count
        let next = p &+ 1
        for j in 0..<8 {
          q[j] = next &+ bits.trailingZeroBitCount
          bits &= bits &- 1
        }
        if n > 8 {
          var j = 8
          repeat {
            q[j] = next &+ bits.trailingZeroBitCount
            bits &= bits &- 1
            j &+= 1
          } while bits != 0
        }
        count &+= n
      }
      p &+= 64
    }
    while p < to {
      if base[p] == 0x0A {
        if count >= capacity {
          starts.reserve(2 * capacity + 64, keeping: count)
          capacity = starts.capacity
          sp = starts.base
        }
        sp[count] = p &+ 1
        count &+= 1
      }
      p &+= 1
    }
    // A newline at the very end starts no record.
    if sp[count &- 1] == to { count &-= 1 }
    return count &- at
  }

  /// Splits `base[from..<to]` into records (each up to and with its newline), writing their starts
  /// and hashes from index `at`. The hash of a record depends only on its bytes. Returns the count.
  private static func split(_ base: UnsafePointer<UInt8>, from: Int, to: Int, starts: inout Scratch<Int>,
                            hashes: inout Scratch<UInt64>, at: Int) -> Int {
    var count = at
    var capacity = min(starts.capacity, hashes.capacity)
    var sp = starts.base, hp = hashes.base
    let raw = UnsafeRawPointer(base)
    var p = from
    while p < to {
      if count >= capacity {
        capacity = max(2 * capacity, count + (to - p) / 32 + 64)
        starts.reserve(capacity, keeping: count)
        hashes.reserve(capacity, keeping: count)
        sp = starts.base
        hp = hashes.base
      }
      let s = p
      var h: UInt64 = 0
      var open = true
      while p &+ 8 <= to {
        let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: UInt64.self))
        let x = w ^ 0x0A0A_0A0A_0A0A_0A0A
        let t = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
        if t != 0 {
          // The lowest flagged byte is the first newline (borrows only reach bytes above it).
          let keep = (t.trailingZeroBitCount &>> 3) &+ 1
          h = mix(h, keep == 8 ? w : w & ((1 &<< UInt64(keep &<< 3)) &- 1))
          p &+= keep
          open = false
          break
        }
        h = mix(h, w)
        p &+= 8
      }
      if open && p < to {
        var w: UInt64 = 0, k = 0
        while p &+ k < to {
          let c = base[p &+ k]
          w |= UInt64(c) &<< UInt64(k &<< 3)
          k &+= 1
          if c == 0x0A { break }
        }
        h = mix(h, w)
        p &+= k
      }
      sp[count] = s
      hp[count] = finish(h, p &- s)
      count &+= 1
    }
    return count - at
  }

  /// The classes of records: an open-addressing table of class ids; per class the hash, one line with
  /// its length, and its occurrences on each side.
  private struct Table {
    let slots: UnsafeMutablePointer<Int32>
    let mask: Int
    let hash: UnsafeMutablePointer<UInt64>
    let line: UnsafeMutablePointer<UnsafePointer<UInt8>>
    let length: UnsafeMutablePointer<Int>
    let count0: UnsafeMutablePointer<Int32>
    let count1: UnsafeMutablePointer<Int32>
    var classes: Int32 = 0

    /// The class of the line, or -1.
    @inline(__always) func find(_ h: UInt64, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
      var slot = Int(truncatingIfNeeded: h) & mask
      while true {
        let c = slots[slot]
        if c < 0 { return -1 }
        let i = Int(c)
        if hash[i] == h && length[i] == n && memcmp(line[i], p, n) == 0 { return c }
        slot = (slot + 1) & mask
      }
    }

    @inline(__always) mutating func insert(_ h: UInt64, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
      var slot = Int(truncatingIfNeeded: h) & mask
      while true {
        let c = slots[slot]
        if c < 0 { break }
        let i = Int(c)
        if hash[i] == h && length[i] == n && memcmp(line[i], p, n) == 0 { return c }
        slot = (slot + 1) & mask
      }
      let c = classes
      classes += 1
      let i = Int(c)
      slots[slot] = c
      hash[i] = h
      line[i] = p
      length[i] = n
      count0[i] = 0
      count1[i] = 0
      return c
    }
  }
}

/// A run of changed lines: `oldCount` lines of the old side from `oldStart` replaced by `newCount`
/// lines of the new side from `newStart` (0-based; a count may be 0).
public struct LineHunk: Hashable, Sendable {
  public let oldStart: Int
  public let oldCount: Int
  public let newStart: Int
  public let newCount: Int
  public init(oldStart: Int, oldCount: Int, newStart: Int, newCount: Int) {
    self.oldStart = oldStart
    self.oldCount = oldCount
    self.newStart = newStart
    self.newCount = newCount
  }
}

/// Scratch storage of trivial values, kept between calls; `free()` releases it.
fileprivate struct Scratch<Element> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var capacity: Int

  init() {
    capacity = 16
    base = .allocate(capacity: 16)
  }

  /// At least `count` elements; the first `keeping` survive (those there are: a caller may keep
  /// more than it wrote, the elements before an index it fills from).
  mutating func reserve(_ count: Int, keeping: Int) {
    guard count > capacity else { return }
    let grown = max(count, capacity * 2)
    let new = UnsafeMutablePointer<Element>.allocate(capacity: grown)
    let kept = min(keeping, capacity)
    if kept > 0 { new.moveInitialize(from: base, count: kept) }
    base.deallocate()
    base = new
    capacity = grown
  }

  func free() { base.deallocate() }
}
