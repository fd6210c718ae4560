import SalvageCore

/// The facts the risk model scores, read from the analyzers' JSON as their issues document it. Every
/// read is defensive: an analyzer that did not run, or a field it does not (yet) write, leaves the fact
/// out, and the area says "not assessed" instead of guessing.
struct ScanFacts {
  let scan: ScanResult

  func metrics(_ id: String) -> JSONValue? { scan.results.first { $0.id == id }?.result.metrics }
  func componentFacts(_ id: String, _ component: String) -> JSONValue? {
    scan.results.first { $0.id == id }?.result.components[component]
  }
  func ran(_ id: String) -> Bool { scan.results.contains { $0.id == id } }

  /// The facts each area can be scored on, by area id: what `report.toml`'s measures may name.
  static let facts: [String: [String]] = [
    "secrets": ["live", "historyOnly"],
    "hotspots": ["hotCodeShare", "reworkShare", "crossComponentCoupling"],
    "ownership": ["truckFactor", "orphanedShare", "islandShare"],
    "cadence": ["daysSinceLastCommit", "commitTrend90", "fixShare", "daysSinceLastRelease"],
    "tests": ["testRatio", "ciRunsTests", "lineCoverage"],
    "dependencies": ["scorecardAverage", "manifestsWithoutLockShare", "unpinnedShare"],
  ]

  /// The facts of one area and where they came from; nil when nothing is known about the area.
  func area(_ id: String) -> (facts: [String: Double], source: String)? {
    switch id {
    case "secrets": return secrets()
    case "hotspots": return hotspots()
    case "ownership": return ownership()
    case "cadence": return cadence()
    case "tests": return tests()
    case "dependencies": return dependencies()
    default: return nil
    }
  }

  private func secrets() -> (facts: [String: Double], source: String)? {
    guard let m = metrics("secrets") else { return nil }
    let findings = scan.findings.filter { $0.analyzer == "secrets" }
    var facts: [String: Double] = [:]
    facts["live"] = Self.count(m["live"]) ?? Double(findings.filter { $0.evidence["inHead"]?.boolValue == true }.count)
    facts["historyOnly"] = Self.count(m["historyOnly"]) ?? Double(findings.filter { $0.evidence["inHead"]?.boolValue == false }.count)
    return (facts, "analyzers.secrets")
  }

  private func hotspots() -> (facts: [String: Double], source: String)? {
    guard let m = metrics("hotspots") else { return nil }
    var facts: [String: Double] = [:]
    if let files = m["files"]?.arrayValue {
      var total = 0.0, hot = 0.0
      for file in files {
        let loc = (file["loc"]?.doubleValue ?? file["lines"]?.doubleValue) ?? 0
        total += loc
        if file["hot"]?.boolValue == true { hot += loc }
      }
      if total > 0 { facts["hotCodeShare"] = hot / total }
    }
    if let share = m.at("rework.share")?.doubleValue { facts["reworkShare"] = share }
    if let pairs = m["coupling"]?.arrayValue {
      facts["crossComponentCoupling"] = Double(pairs.filter { $0["crossComponent"]?.boolValue == true }.count)
    }
    return (facts, "analyzers.hotspots")
  }

  private func ownership() -> (facts: [String: Double], source: String)? {
    guard let m = metrics("ownership") else { return nil }
    var facts: [String: Double] = [:]
    facts["truckFactor"] = m.at("truckFactor.value")?.doubleValue
    facts["orphanedShare"] = m["orphanedShare"]?.doubleValue
    facts["islandShare"] = m.at("knowledgeIslands.share")?.doubleValue
    return (facts, "analyzers.ownership")
  }

  private func cadence() -> (facts: [String: Double], source: String)? {
    guard let m = metrics("cadence") else { return nil }
    var facts: [String: Double] = [:]
    facts["daysSinceLastCommit"] = m["daysSinceLastCommit"]?.doubleValue
    if let window = m.at("trends.last90Days"), window["comparable"]?.boolValue != false, let commits = window["commits"] {
      if let change = commits["change"]?.doubleValue {
        facts["commitTrend90"] = change
      } else if (commits["current"]?.intValue ?? 0) > 0 {
        facts["commitTrend90"] = 1  // up from none
      }
    }
    facts["fixShare"] = m.at("fixShare.share")?.doubleValue
    facts["daysSinceLastRelease"] = m.at("releaseCadence.daysSinceLastRelease")?.doubleValue
    return (facts, "analyzers.cadence")
  }

  private func tests() -> (facts: [String: Double], source: String)? {
    if let m = metrics("tests") {
      var facts: [String: Double] = [:]
      if let test = m["testLines"]?.doubleValue, let production = m["productionLines"]?.doubleValue, production > 0 {
        facts["testRatio"] = test / production
      }
      if let ci = m["ci"]?.arrayValue {
        facts["ciRunsTests"] = ci.contains { $0["runsTestsOnPullRequests"]?.boolValue == true } ? 1 : 0
      }
      if let best = coverageReports().map(\.share).max() { facts["lineCoverage"] = best }
      return (facts, "analyzers.tests")
    }
    // Until the tests analyzer runs, the file classifier's test and source lines give the ratio.
    guard let inventory = metrics("inventory"), let classes = inventory["classes"]?.arrayValue else { return nil }
    func lines(_ name: String) -> Double {
      classes.first { $0["class"]?.stringValue == name }?["lines"]?.doubleValue ?? 0
    }
    let production = lines("source")
    guard production > 0 else { return nil }
    return (["testRatio": lines("test") / production], "analyzers.inventory (file classes; the tests analyzer did not run)")
  }

  private func dependencies() -> (facts: [String: Double], source: String)? {
    guard let m = metrics("dependencies") else { return nil }
    var facts: [String: Double] = [:]
    let checks = (m["scorecard"]?.arrayValue ?? []).compactMap { $0["score"]?.doubleValue }.filter { $0 >= 0 }
    if !checks.isEmpty { facts["scorecardAverage"] = checks.reduce(0, +) / Double(checks.count) }
    if let manifests = m["manifests"]?.arrayValue, !manifests.isEmpty {
      let withoutLock = manifests.filter { ($0["lockfile"] ?? .null) == .null }.count
      facts["manifestsWithoutLockShare"] = Double(withoutLock) / Double(manifests.count)
      let direct = manifests.flatMap { $0["direct"]?.arrayValue ?? [] }
      if !direct.isEmpty {
        facts["unpinnedShare"] = Double(direct.filter { $0["pinned"]?.boolValue == false }.count) / Double(direct.count)
      }
    }
    return (facts, "analyzers.dependencies")
  }

  /// The committed coverage reports, each line coverage as a share (reports write a share or a percentage).
  func coverageReports() -> [(path: String?, share: Double, date: String?)] {
    (metrics("tests")?["coverageReports"]?.arrayValue ?? []).compactMap { r in
      guard let c = r["lineCoverage"]?.doubleValue else { return nil }
      return (r["path"]?.stringValue, c > 1 ? c / 100 : c, r["date"]?.stringValue)
    }
  }

  /// A count written as a number, a list, or an object of counts (by severity, say).
  static func count(_ value: JSONValue?) -> Double? {
    switch value {
    case let .int(i)?: return Double(i)
    case let .double(d)?: return d
    case let .array(items)?: return Double(items.count)
    case let .object(pairs)?:
      if let total = value?["total"]?.doubleValue ?? value?["count"]?.doubleValue { return total }
      let numbers = pairs.compactMap { $0.1.doubleValue }
      return numbers.isEmpty ? nil : numbers.reduce(0, +)
    default: return nil
    }
  }
}

extension JSONValue {
  /// The value at a dotted path of object keys.
  func at(_ path: String) -> JSONValue? {
    var value: JSONValue? = self
    for key in path.split(separator: ".") { value = value?[String(key)] }
    return value
  }
}
