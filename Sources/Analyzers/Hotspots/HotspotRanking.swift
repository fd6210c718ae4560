/// Tornhill's hotspot: change frequency times complexity, each normalised to the repository's
/// maximum so the score lies in 0...1; the files ranked by it; and the hot ones cut where the ranked
/// curve drops off rather than at a fixed count.
///
/// Only code can be hot (`hot_classes`: a go.mod or a Tailwind preset is no hotspot, however often it
/// changes), and the knee alone is not enough: over a thousand files the ranked curve has a long flat
/// tail, and Kneedle puts the knee where that tail begins, not where the head ends (usememos/memos: 64
/// "hot" files, the last of them a 108-line file and one changed six times, at a twentieth of the top
/// score). A hot file must also score at least `hot_min_share_of_top` of the top file's score.
struct HotspotRanking {
  /// Scores by file index.
  let scores: [Double]
  /// File indexes, highest score first (ties by index, which is path order).
  let order: [Int]
  /// Rank (1-based) by file index.
  let ranks: [Int]
  /// Hot or not, by file index.
  let hot: [Bool]
  /// How many files are hot.
  let hotCount: Int

  /// `eligible`: by file index, whether the file may be hot (its class).
  init(frequencies: [Int], complexities: [Int], eligible: [Bool], minShareOfTop: Double) {
    let maxF = frequencies.max() ?? 0, maxC = complexities.max() ?? 0
    var scores = [Double](repeating: 0, count: frequencies.count)
    if maxF > 0, maxC > 0 {
      for i in scores.indices {
        scores[i] = (Double(frequencies[i]) / Double(maxF)) * (Double(complexities[i]) / Double(maxC))
      }
    }
    let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    var ranks = [Int](repeating: 0, count: scores.count)
    for (r, i) in order.enumerated() { ranks[i] = r + 1 }
    self.scores = scores
    self.order = order
    self.ranks = ranks
    let candidates = order.filter { eligible[$0] }
    let knee = Self.dropOff(candidates.map { scores[$0] })
    let floor = (candidates.first.map { scores[$0] } ?? 0) * minShareOfTop
    var hot = [Bool](repeating: false, count: scores.count)
    for i in candidates.prefix(knee) where scores[i] >= floor { hot[i] = true }
    self.hot = hot
    self.hotCount = hot.lazy.filter { $0 }.count
  }

  /// The hot files, best first.
  var hotOrder: [Int] { order.filter { hot[$0] } }

  /// The knee of a descending curve (Kneedle, Satopää et al. 2011): with ranks and scores scaled to
  /// 0...1 and a zero appended after the last file, the point farthest below the chord from the first
  /// point to the last is where the curve flattens; the files before it are hot. A curve that never
  /// sags below its chord (no file stands out) has no hot files.
  static func dropOff(_ sorted: [Double]) -> Int {
    guard let top = sorted.first, top > 0 else { return 0 }
    let curve = sorted + [0]
    let last = Double(curve.count - 1)
    let end = curve[curve.count - 1] / top
    var best = 0.0, knee = 0
    for k in 1..<(curve.count - 1) {
      let x = Double(k) / last
      let chord = 1 + (end - 1) * x
      let gap = chord - curve[k] / top
      if gap > best + 1e-12 {
        best = gap
        knee = k
      }
    }
    return knee
  }
}
