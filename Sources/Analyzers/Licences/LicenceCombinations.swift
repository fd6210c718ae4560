/// Licences shipped together in one component that no licence lets anyone combine (`[[incompatible]]`
/// in `rules/licences.toml`): the check between third-party licences, beside the check of each item
/// against the product's own licence.
enum LicenceCombinations {
  /// One licence shipped in a component: a third-party item, a shipped package, or the product's own code.
  struct Party {
    let component: String
    let stated: LicenceRules.Stated
    /// What carries it, as shown: a path, "lockfile: name version", or the product's licence file.
    let place: String
    /// Where a finding points: the file, the lockfile or the licence file.
    let path: String?
    let own: Bool
    /// Already reported against the product's licence: not paired with the product's own code again.
    let risked: Bool
  }

  /// Every component's incompatible pairs, by component, then by the two licences as shown.
  static func conflicts(_ parties: [Party], rules: LicenceRules) -> [(output: LicencesOutput.Incompatible, path: String?)] {
    var out: [(output: LicencesOutput.Incompatible, path: String?)] = []
    for (component, members) in Dictionary(grouping: parties, by: \.component).sorted(by: { $0.key < $1.key }) {
      let groups = Dictionary(grouping: members, by: \.stated).sorted { rules.display($0.key) < rules.display($1.key) }
      for i in groups.indices {
        for j in groups.indices where j > i {
          guard let why = rules.incompatibility(groups[i].key, groups[j].key) else { continue }
          var a = groups[i].value, b = groups[j].value
          // The product's own code against items already reported as copyleft in it: said once, there.
          if a.contains(where: \.own) { b = b.filter { !$0.risked } }
          if b.contains(where: \.own) { a = a.filter { !$0.risked } }
          guard !a.isEmpty, !b.isEmpty, !(a.allSatisfy(\.own) && b.allSatisfy(\.own)) else { continue }
          func side(_ key: LicenceRules.Stated, _ list: [Party]) -> LicencesOutput.Incompatible.Side {
            let sorted = list.sorted { ($0.own ? 0 : 1, $0.place) < ($1.own ? 0 : 1, $1.place) }
            return .init(licence: rules.display(key), places: sorted.prefix(3).map(\.place), count: list.count)
          }
          let first = (a + b).filter { !$0.own }.map(\.path).compactMap { $0 }.sorted().first
          out.append((.init(component: component, sides: [side(groups[i].key, a), side(groups[j].key, b)], why: why.why), first))
        }
      }
    }
    return out
  }
}
