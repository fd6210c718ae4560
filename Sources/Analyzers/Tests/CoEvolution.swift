import SalvageCore

/// How production and test code change together (Zaidman et al.'s change-history view): the share of
/// commits that change production code and also change tests, per year.
struct CoEvolution {
  struct Period: Sendable {
    let year: Int
    var productionCommits = 0
    var withTests = 0
  }

  private(set) var productionCommits = 0
  private(set) var withTests = 0
  private(set) var periods: [Period] = []
  /// Commit times of the commits that changed production code.
  private(set) var productionChangeTimes: [Int64] = []

  init(history: History, role: (PathID) -> TestClassifier.Role) {
    var roles = [UInt8](repeating: 0, count: history.paths.count)  // 0 unknown, 1 excluded, 2 production, 3 test
    var byYear: [Int: Period] = [:]
    let changes = history.changes
    for commit in history.commits.indices where !history.commits[commit].isMerge {
      var production = false, test = false
      for c in history.commits[commit].changes {
        let path = changes[c].path
        let p = Int(path)
        if roles[p] == 0 {
          switch role(path) {
          case .excluded: roles[p] = 1
          case .production: roles[p] = 2
          case .test: roles[p] = 3
          }
        }
        if roles[p] == 2 { production = true } else if roles[p] == 3 { test = true }
      }
      guard production else { continue }
      let time = history.commits[commit].committerTime
      productionChangeTimes.append(time)
      productionCommits += 1
      let year = UTC.civil(day: UTC.day(of: time)).year
      byYear[year, default: Period(year: year)].productionCommits += 1
      if test {
        withTests += 1
        byYear[year, default: Period(year: year)].withTests += 1
      }
    }
    periods = byYear.keys.sorted().map { byYear[$0]! }
  }

  var share: Double? { productionCommits > 0 ? Double(withTests) / Double(productionCommits) : nil }
}
