/// One analysed file's ownership figures, from its ledger entries.
struct FileOwnership: Sendable {
  /// The person with the most added lines (nil when no person added any).
  var mainDeveloper: Int32?
  /// Their share of the file's added lines.
  var share = 0.0
  /// People who touched the file.
  var contributors = 0
  /// People under the minor share of added lines.
  var minorContributors = 0
  /// 1 − Σ (revisions of a / revisions)²: 0 for one person, towards 1 for many equal ones.
  var fragmentation = 0.0
  /// Its authors by degree of authorship, in person order.
  var authors: [Int32] = []

  init(entries: [AuthorshipLedger.Entry], totalAdded: Double, totalRevisions: Double, totalDeliveries: Int,
       rules: OwnershipRules, order: (Int32, Int32) -> Bool) {
    contributors = entries.count
    guard !entries.isEmpty else { return }
    var main: AuthorshipLedger.Entry?
    for e in entries {
      guard e.added > 0 else { continue }
      if let m = main {
        if e.added > m.added || (e.added == m.added && (e.revisions > m.revisions || (e.revisions == m.revisions && order(e.person, m.person)))) {
          main = e
        }
      } else {
        main = e
      }
    }
    if let main, totalAdded > 0 {
      mainDeveloper = main.person
      share = main.added / totalAdded
    }
    if totalAdded > 0 {
      minorContributors = entries.reduce(0) { $0 + (rules.isMinor(share: $1.added / totalAdded) ? 1 : 0) }
    }
    if totalRevisions > 0 {
      fragmentation = 1 - entries.reduce(0) { $0 + ($1.revisions / totalRevisions) * ($1.revisions / totalRevisions) }
      if fragmentation < 1e-12 { fragmentation = 0 }
    }
    let doa = entries.map { e in
      rules.doa.value(firstAuthor: e.addedFile, deliveries: e.deliveries, acceptances: totalDeliveries - e.deliveries)
    }
    let best = doa.max() ?? 0
    for (k, e) in entries.enumerated() where rules.doa.isAuthor(doa: doa[k], best: best, firstAuthor: e.addedFile) {
      authors.append(e.person)
    }
    authors.sort(by: order)
  }
}
