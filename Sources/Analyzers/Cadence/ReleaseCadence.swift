import Git
import SalvageCore

extension CadenceRules.Releases {
  /// "release" or "prerelease" by the tag's name alone, nil when it is no version.
  public func kind(of tag: String) throws -> String? {
    guard try Pattern(versionPattern).matches(tag) else { return nil }
    return try Pattern(prereleasePattern).matches(tag) ? "prerelease" : "release"
  }
}

/// Tags that look like versions, the time between releases and whether it is growing.
struct ReleaseCadence {
  enum Kind: String {
    /// A new highest version that changes more than the patch number (`v2.45.0`, `1.3`).
    case release
    /// A new highest version that changes only the patch number (`v2.45.1`).
    case patch
    case prerelease
    /// A version lower than one already released (a fix on an older line): not part of the cadence.
    case maintenance
  }

  struct Release {
    let tag: String
    let time: Int64
    let commit: ObjectID
    let annotated: Bool
    let kind: Kind
  }

  /// Release days of the cadence: new feature versions (new highest versions of any kind when there
  /// are too few to compare), several on one day counted once.
  struct Step {
    let tag: String
    let time: Int64
    /// Whole days since the previous step.
    let days: Int?
  }

  let releases: [Release]
  let steps: [Step]
  /// True when the cadence counts feature releases only (there are enough of them).
  let featureOnly: Bool
  let recentMedian: Double?
  let previousMedian: Double?
  let daysSinceLast: Int?
  /// Tag names whose match PCRE2's limits stopped (taken as no match).
  let regexLimitHits: Int

  init(_ h: CadenceHistory) throws {
    let rules = h.rules.releases
    let version = try Pattern(rules.versionPattern), prerelease = try Pattern(rules.prereleasePattern)
    var found: [(tag: String, info: TagInfo, pre: Bool)] = []
    for info in h.history.tags where info.time <= h.now {
      let name = PathText.display(info.name)
      guard version.matches(name) else { continue }
      found.append((name, info, prerelease.matches(name)))
    }
    found.sort { a, b in
      if a.info.time != b.info.time { return a.info.time < b.info.time }
      let (na, nb) = (Self.numbers(a.tag), Self.numbers(b.tag))
      return na != nb ? na.lexicographicallyPrecedes(nb) : a.tag < b.tag
    }
    var releases: [Release] = []
    var highest: [Int] = []
    for (tag, info, pre) in found {
      var kind: Kind = pre ? .prerelease : .release
      if !pre {
        let numbers = Self.numbers(tag)
        if numbers.lexicographicallyPrecedes(highest) {
          kind = .maintenance
        } else {
          highest = numbers
          if numbers.count >= 3, numbers[2...].contains(where: { $0 != 0 }) { kind = .patch }
        }
      }
      releases.append(Release(tag: tag, time: info.time, commit: info.commit, annotated: info.annotated, kind: kind))
    }
    self.releases = releases
    var steps: [Step] = []
    let features = releases.filter { $0.kind == .release }.count
    featureOnly = features >= rules.recentIntervals + 1
    let counted: Set<Kind> = featureOnly ? [.release] : [.release, .patch]
    for release in releases where counted.contains(release.kind) {
      let day = UTC.day(of: release.time)
      if let last = steps.last, UTC.day(of: last.time) == day { continue }
      steps.append(Step(tag: release.tag, time: release.time, days: steps.last.map { Int(day - UTC.day(of: $0.time)) }))
    }
    self.steps = steps
    let intervals = steps.compactMap(\.days).map(Double.init)
    let n = rules.recentIntervals
    recentMedian = intervals.count >= 2 ? Self.median(intervals.suffix(n)) : nil
    previousMedian = intervals.count >= n + 2 ? Self.median(intervals.dropLast(n).suffix(n)) : nil
    daysSinceLast = steps.last.map { Period.days(from: $0.time, to: h.now) }
    regexLimitHits = version.limitHits + prerelease.limitHits
  }

  /// The version's numbers (`v2.45.1-rc0` is [2, 45, 1]); later parts are labels, not order.
  static func numbers(_ tag: String) -> [Int] {
    var out: [Int] = []
    var current: Int?
    var started = false
    for c in tag.utf8 {
      if c >= 48 && c <= 57 {
        current = (current ?? 0) * 10 + Int(c - 48)
        started = true
      } else if c == UInt8(ascii: "."), let value = current {
        out.append(value)
        current = nil
      } else if started {
        break
      }
    }
    if let current { out.append(current) }
    return out
  }

  static func median<C: Collection>(_ values: C) -> Double where C.Element == Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }

  /// "slowing", "speeding up", "steady", or "unknown" without enough releases to compare.
  func direction(factor: Double) -> String {
    guard let recent = recentMedian, let previous = previousMedian else { return "unknown" }
    if recent >= previous * factor { return "slowing" }
    if recent * factor <= previous { return "speeding up" }
    return "steady"
  }

  func releaseList() -> [CadenceOutput.Release] {
    releases.map { r in .init(tag: r.tag, date: Timestamp(r.time), commit: r.commit.hex, kind: r.kind.rawValue, annotated: r.annotated) }
  }

  func cadence(_ h: CadenceHistory) -> CadenceOutput.ReleaseCadence {
    let n = h.rules.releases.recentIntervals
    return .init(
      releases: steps.count, counted: featureOnly ? "feature releases" : "feature and patch releases",
      patchReleases: releases.filter { $0.kind == .patch }.count, prereleases: releases.filter { $0.kind == .prerelease }.count,
      maintenanceReleases: releases.filter { $0.kind == .maintenance }.count, firstRelease: steps.first?.tag, lastRelease: steps.last?.tag,
      lastReleaseDate: steps.last.map { Timestamp($0.time) }, daysSinceLastRelease: daysSinceLast,
      recentMedianDays: recentMedian.map { Figures.rounded($0, places: 1) }, previousMedianDays: previousMedian.map { Figures.rounded($0, places: 1) },
      direction: direction(factor: h.rules.releases.slowdownFactor),
      rule: "median days between the last \(n) releases against the \(n) before them; feature releases only when there are enough (patch releases otherwise too); pre-releases, fixes to older lines and a second release on the same day left out",
      intervals: steps.suffix(2 * n).compactMap { step in
        step.days.map { .init(tag: step.tag, date: Timestamp(step.time), daysSincePrevious: $0) }
      })
  }

  func findings(_ h: CadenceHistory) -> [Finding] {
    let rules = h.rules.releases
    var out: [Finding] = []
    let n = rules.recentIntervals
    let recentSteps = Array(steps.suffix(n + 1))
    let tags = recentSteps.map { "\($0.tag) (\(UTC.date($0.time)))" }.joined(separator: ", ")
    if direction(factor: rules.slowdownFactor) == "slowing", let recent = recentMedian, let previous = previousMedian {
      let earlier = Array(steps.dropLast(n).suffix(n + 1))
      out.append(Finding(
        analyzer: CadenceAnalyzer.identifier, rule: "releases-slowing", key: "releases", severity: recent >= previous * 3 ? .medium : .low,
        title: "Releases are slowing: every \(Prose.days(Int(recent.rounded()))) now, every \(Prose.days(Int(previous.rounded()))) before",
        message: "The last \(n) gaps between releases have a median of \(Prose.days(Int(recent.rounded()))) (\(tags)), against \(Prose.days(Int(previous.rounded()))) for the \(n) before (\(earlier.first.map { "\($0.tag), \(UTC.date($0.time))" } ?? "") to \(earlier.last.map { "\($0.tag), \(UTC.date($0.time))" } ?? "")).",
        location: Location(commit: releases.last(where: { $0.kind == .release }).map { $0.commit.hex }),
        evidence: CadenceEvidence.ReleasesSlowing(
          recentMedianDays: Figures.rounded(recent, places: 1), previousMedianDays: Figures.rounded(previous, places: 1),
          recentReleases: recentSteps.map { .init(tag: $0.tag, date: Timestamp($0.time)) },
          earlierReleases: earlier.map { .init(tag: $0.tag, date: Timestamp($0.time)) })))
    }
    if let recent = recentMedian, let since = daysSinceLast, let last = steps.last, Double(since) >= recent * rules.overdueFactor,
       since >= 30 {
      out.append(Finding(
        analyzer: CadenceAnalyzer.identifier, rule: "release-overdue", key: "releases", severity: .low,
        title: "No release for \(Prose.days(since)), against a usual \(Prose.days(Int(recent.rounded())))",
        message: "The last release is \(last.tag) on \(UTC.date(last.time)), \(Prose.days(since)) before \(UTC.date(h.now)); recent releases came every \(Prose.days(Int(recent.rounded()))) (median).",
        location: Location(commit: releases.last(where: { $0.tag == last.tag })?.commit.hex),
        evidence: CadenceEvidence.ReleaseOverdue(
          lastRelease: last.tag, lastReleaseDate: Timestamp(last.time), daysSinceLastRelease: since,
          recentMedianDays: Figures.rounded(recent, places: 1))))
    }
    if steps.isEmpty, h.count > 0, Period.days(from: h.firstTime, to: h.now) >= 180 {
      out.append(Finding(
        analyzer: CadenceAnalyzer.identifier, rule: "no-releases", key: "releases", severity: .info,
        title: "No release tags",
        message: "None of the \(Prose.count(h.history.tags.count, "tag")) looks like a version (\(rules.versionPattern)): releases cannot be traced to commits, so what runs in production is unknown from the history.",
        evidence: CadenceEvidence.Tags(tags: h.history.tags.count)))
    }
    return out
  }
}
