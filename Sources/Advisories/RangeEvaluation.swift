/// Whether a version falls in an OSV range, by the schema's evaluation rule: events sorted by version
/// (`introduced: "0"` lowest), `introduced` opens an interval at or below the version, `fixed` and
/// `limit` close it at or below, `last_affected` closes it strictly below.
enum RangeEvaluation {
  /// The interval the version is in, or nil when it is in none. A range with a version the ordering
  /// cannot read is not decided (nil) rather than guessed.
  struct Interval: Equatable {
    let text: String
    let fixed: String?
  }

  static func interval<V: EcosystemVersion>(_ version: V, _ events: [RangeEvent], as _: V.Type) -> Interval? {
    // nil version: the "0" of `introduced`, below everything.
    var parsed: [(event: RangeEvent, version: V?, order: Int)] = []
    parsed.reserveCapacity(events.count)
    for e in events {
      if e.kind == .introduced && e.version == "0" {
        parsed.append((e, nil, 0))
        continue
      }
      guard let v = V(e.version) else { return nil }
      parsed.append((e, v, e.kind == .introduced ? 0 : 1))
    }
    // At equal versions an opening sorts before a closing: `introduced: 1.0, fixed: 1.0` covers nothing.
    parsed.sort { a, b in
      switch (a.version, b.version) {
      case (nil, nil): return a.order < b.order
      case (nil, _): return true
      case (_, nil): return false
      case let (x?, y?): return x < y || (x == y && a.order < b.order)
      }
    }
    var open: Int?
    for (n, p) in parsed.enumerated() {
      switch p.event.kind {
      case .introduced:
        if p.version.map({ version >= $0 }) ?? true { open = open ?? n } else { return close(open, parsed.map(\.event), from: n) }
      case .fixed, .limit:
        if version >= p.version! { open = nil } else { return close(open, parsed.map(\.event), from: n) }
      case .lastAffected:
        if version > p.version! { open = nil } else { return close(open, parsed.map(\.event), from: n) }
      }
    }
    return close(open, parsed.map(\.event), from: parsed.count)
  }

  /// The text of the interval opened at `open`, ended by the first closing event at or after `from`.
  private static func close(_ open: Int?, _ events: [RangeEvent], from: Int) -> Interval? {
    guard let open else { return nil }
    var bounds: [String] = []
    let start = events[open]
    if start.version != "0" { bounds.append(">= \(start.version)") }
    var fixed: String?
    if let end = events[from...].first(where: { $0.kind != .introduced }) {
      switch end.kind {
      case .fixed:
        bounds.append("< \(end.version)")
        fixed = end.version
      case .limit: bounds.append("< \(end.version)")
      case .lastAffected: bounds.append("<= \(end.version)")
      case .introduced: break
      }
    }
    return Interval(text: bounds.isEmpty ? "all versions" : bounds.joined(separator: ", "), fixed: fixed)
  }

  /// The interval of `version` in one affected entry of `ecosystem`: its ranges, then its list.
  static func match(_ version: String, _ entry: AffectedPackage) -> Interval? {
    switch entry.ecosystem {
    case .npm, .crates: return match(version, entry, SemanticVersion.self, SemanticVersion.self)
    case .go: return match(version, entry, GoVersion.self, GoVersion.self)
    case .pypi: return match(version, entry, PEP440Version.self, SemanticVersion.self)
    case .maven: return match(version, entry, MavenVersion.self, SemanticVersion.self)
    case .rubygems: return match(version, entry, RubyGemsVersion.self, SemanticVersion.self)
    case .packagist: return match(version, entry, ComposerVersion.self, SemanticVersion.self)
    }
  }

  private static func match<E: EcosystemVersion, S: EcosystemVersion>(_ text: String, _ entry: AffectedPackage, _: E.Type, _: S.Type) -> Interval? {
    let native = E(text)
    var semver: S?? = .none
    for range in entry.ranges {
      switch range.kind {
      case .ecosystem:
        if let v = native, let hit = interval(v, range.events, as: E.self) { return hit }
      case .semver:
        if semver == nil { semver = .some(S(text)) }
        if let v = semver!, let hit = interval(v, range.events, as: S.self) { return hit }
      }
    }
    // Records list hundreds of versions: only those that could be another spelling of this one (the same
    // first number) are parsed.
    let lead = leadingNumber(text)
    for listed in entry.versions where listed == text || (native != nil && leadingNumber(listed).elementsEqual(lead) && E(listed) == native) {
      return Interval(text: "listed \(listed)", fixed: nil)
    }
    return nil
  }

  /// The first run of digits, without leading zeros: equal versions of every ordering here share it.
  private static func leadingNumber(_ s: String) -> Substring.UTF8View {
    let u = Substring(s).utf8
    let start = u.firstIndex { $0 >= 0x31 && $0 <= 0x39 } ?? u.endIndex
    let end = u[start...].firstIndex { $0 < 0x30 || $0 > 0x39 } ?? u.endIndex
    return u[start..<end]
  }
}
