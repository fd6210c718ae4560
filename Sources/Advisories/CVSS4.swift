/// The CVSS v4.0 base score (FIRST, CVSS v4.0 Specification, section 8: MacroVectors and interpolation),
/// for records that carry only a v4 vector. Threat (E) and the environmental requirements (CR, IR, AR)
/// take their "not defined" worst case unless the vector gives them; modified metrics override the base
/// ones as the specification says.
public enum CVSS4 {
  /// Nil when the vector is not a complete CVSS:4.0 base vector.
  public static func baseScore(_ vector: String) -> Double? {
    let parts = vector.split(separator: "/")
    guard parts.first == "CVSS:4.0" else { return nil }
    var m: [Substring: Substring] = [:]
    for p in parts.dropFirst() {
      let kv = p.split(separator: ":", maxSplits: 1)
      guard kv.count == 2 else { return nil }
      m[kv[0]] = kv[1]
    }
    for name in ["AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"] as [Substring] {
      guard let value = m[name], levels[name]?[value] != nil else { return nil }
    }
    func effective(_ metric: Substring) -> Substring {
      if let modified = m["M" + metric], modified != "X" { return modified }
      let value = m[metric] ?? "X"
      if value == "X" { return metric == "E" ? "A" : ["CR", "IR", "AR"].contains(metric) ? "H" : value }
      return value
    }
    // No impact on either system: 0, whatever the rest says.
    if ["VC", "VI", "VA", "SC", "SI", "SA"].allSatisfy({ effective($0) == "N" }) { return 0 }

    let (av, pr, ui) = (effective("AV"), effective("PR"), effective("UI"))
    let eq1 = av == "N" && pr == "N" && ui == "N" ? 0 : (av == "N" || pr == "N" || ui == "N") && av != "P" ? 1 : 2
    let eq2 = effective("AC") == "L" && effective("AT") == "N" ? 0 : 1
    let (vc, vi, va) = (effective("VC"), effective("VI"), effective("VA"))
    let eq3 = vc == "H" && vi == "H" ? 0 : vc == "H" || vi == "H" || va == "H" ? 1 : 2
    let eq4 = effective("MSI") == "S" || effective("MSA") == "S" ? 0
      : effective("SC") == "H" || effective("SI") == "H" || effective("SA") == "H" ? 1 : 2
    let eq5 = ["A": 0, "P": 1, "U": 2][effective("E")] ?? 0
    let eq6 = (effective("CR") == "H" && vc == "H") || (effective("IR") == "H" && vi == "H") || (effective("AR") == "H" && va == "H") ? 0 : 1
    let eqs = [eq1, eq2, eq3, eq4, eq5, eq6]
    func score(_ e: [Int]) -> Double? { lookup[e.map(String.init).joined()] }
    guard let value = score(eqs) else { return nil }

    // The next lower MacroVector of each EQ (EQ3 and EQ6 move together), nil when there is none.
    func lower(_ i: Int) -> [Int] { var e = eqs; e[i] += 1; return e }
    let lowerEQ3EQ6: Double? = switch (eq3, eq6) {
    case (0, 0): [score(lower(5)), score(lower(2))].compactMap { $0 }.max()
    case (1, 0): score(lower(5))
    default: score(lower(2))
    }
    let nextLower = [score(lower(0)), score(lower(1)), lowerEQ3EQ6, score(lower(3)), score(lower(4))]

    // The highest-severity vectors of the MacroVector; the first no less severe than ours in every metric.
    let maxima = [maxComposed[0][eq1] ?? [], maxComposed[1][eq2] ?? [], maxEQ3EQ6[eq3 * 2 + eq6] ?? [], maxComposed[2][eq4] ?? [],
                  maxComposed[3][eq5] ?? []]
    var distances: [Substring: Double] = [:]
    search: for a in maxima[0] { for b in maxima[1] { for c in maxima[2] { for d in maxima[3] { for e in maxima[4] {
      var top: [Substring: Substring] = [:]
      for piece in [a, b, c, d, e] {
        for kv in piece.split(separator: "/") { let p = kv.split(separator: ":"); top[p[0]] = p[1] }
      }
      var found: [Substring: Double] = [:]
      for (metric, scale) in levels {
        guard let mine = scale[effective(metric)], let theirs = top[metric].flatMap({ scale[$0] }) else { continue search }
        found[metric] = mine - theirs
      }
      // As FIRST's calculator: the last candidate's distances stand when none is no less severe.
      distances = found
      if found.values.allSatisfy({ $0 >= 0 }) { break search }
    } } } } }
    func sum(_ names: [Substring]) -> Double { names.reduce(0) { $0 + (distances[$1] ?? 0) } }
    let current = [sum(["AV", "PR", "UI"]), sum(["AC", "AT"]), sum(["VC", "VI", "VA", "CR", "IR", "AR"]), sum(["SC", "SI", "SA"]), 0]
    let depth = [maxSeverity[0][eq1], maxSeverity[1][eq2], maxSeverityEQ3EQ6[eq3 * 2 + eq6] ?? 1, maxSeverity[2][eq4], 1].map { Double($0) * 0.1 }
    var total = 0.0, existing = 0
    for i in 0..<5 {
      guard let next = nextLower[i] else { continue }
      existing += 1
      total += (value - next) * (current[i] / depth[i])
    }
    let mean = existing == 0 ? 0 : total / Double(existing)
    return ((max(0, min(10, value - mean)) + 1e-6) * 10).rounded() / 10
  }

  /// Severity levels of each metric, in tenths: the distance from a MacroVector's highest-severity vector.
  static let levels: [Substring: [Substring: Double]] = [
    "AV": ["N": 0, "A": 0.1, "L": 0.2, "P": 0.3], "PR": ["N": 0, "L": 0.1, "H": 0.2], "UI": ["N": 0, "P": 0.1, "A": 0.2],
    "AC": ["L": 0, "H": 0.1], "AT": ["N": 0, "P": 0.1],
    "VC": ["H": 0, "L": 0.1, "N": 0.2], "VI": ["H": 0, "L": 0.1, "N": 0.2], "VA": ["H": 0, "L": 0.1, "N": 0.2],
    "SC": ["H": 0.1, "L": 0.2, "N": 0.3], "SI": ["S": 0, "H": 0.1, "L": 0.2, "N": 0.3], "SA": ["S": 0, "H": 0.1, "L": 0.2, "N": 0.3],
    "CR": ["H": 0, "M": 0.1, "L": 0.2], "IR": ["H": 0, "M": 0.1, "L": 0.2], "AR": ["H": 0, "M": 0.1, "L": 0.2],
    "E": ["U": 0.2, "P": 0.1, "A": 0],
  ]

  /// The highest-severity vectors of each level of EQ1, EQ2, EQ4 and EQ5.
  static let maxComposed: [[Int: [String]]] = [
    [0: ["AV:N/PR:N/UI:N"], 1: ["AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"], 2: ["AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"]],
    [0: ["AC:L/AT:N"], 1: ["AC:H/AT:N", "AC:L/AT:P"]],
    [0: ["SC:H/SI:S/SA:S"], 1: ["SC:H/SI:H/SA:H"], 2: ["SC:L/SI:L/SA:L"]],
    [0: ["E:A"], 1: ["E:P"], 2: ["E:U"]],
  ]

  /// EQ3 and EQ6 together, keyed eq3 * 2 + eq6.
  static let maxEQ3EQ6: [Int: [String]] = [
    0: ["VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"],
    1: ["VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"],
    2: ["VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"],
    3: ["VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M", "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M",
        "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H", "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"],
    5: ["VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"],
  ]

  /// The depth of each MacroVector level in tenths (the specification's maximal severity distances, plus one).
  static let maxSeverity: [[Int]] = [[1, 4, 5], [1, 2], [6, 5, 4]]
  static let maxSeverityEQ3EQ6: [Int: Int] = [0: 7, 1: 6, 2: 8, 3: 8, 5: 10]

  /// The score of each MacroVector (EQ1…EQ6), as the specification's expert ranking set them.
  static let lookup: [String: Double] = [
    "000000": 10, "000001": 9.9, "000010": 9.8, "000011": 9.5, "000020": 9.5, "000021": 9.2, "000100": 10, "000101": 9.6,
    "000110": 9.3, "000111": 8.7, "000120": 9.1, "000121": 8.1, "000200": 9.3, "000201": 9, "000210": 8.9, "000211": 8,
    "000220": 8.1, "000221": 6.8, "001000": 9.8, "001001": 9.5, "001010": 9.5, "001011": 9.2, "001020": 9, "001021": 8.4,
    "001100": 9.3, "001101": 9.2, "001110": 8.9, "001111": 8.1, "001120": 8.1, "001121": 6.5, "001200": 8.8, "001201": 8,
    "001210": 7.8, "001211": 7, "001220": 6.9, "001221": 4.8, "002001": 9.2, "002011": 8.2, "002021": 7.2, "002101": 7.9,
    "002111": 6.9, "002121": 5, "002201": 6.9, "002211": 5.5, "002221": 2.7, "010000": 9.9, "010001": 9.7, "010010": 9.5,
    "010011": 9.2, "010020": 9.2, "010021": 8.5, "010100": 9.5, "010101": 9.1, "010110": 9, "010111": 8.3, "010120": 8.4,
    "010121": 7.1, "010200": 9.2, "010201": 8.1, "010210": 8.2, "010211": 7.1, "010220": 7.2, "010221": 5.3, "011000": 9.5,
    "011001": 9.3, "011010": 9.2, "011011": 8.5, "011020": 8.5, "011021": 7.3, "011100": 9.2, "011101": 8.2, "011110": 8,
    "011111": 7.2, "011120": 7, "011121": 5.9, "011200": 8.4, "011201": 7, "011210": 7.1, "011211": 5.2, "011220": 5,
    "011221": 3, "012001": 8.6, "012011": 7.5, "012021": 5.2, "012101": 7.1, "012111": 5.2, "012121": 2.9, "012201": 6.3,
    "012211": 2.9, "012221": 1.7, "100000": 9.8, "100001": 9.5, "100010": 9.4, "100011": 8.7, "100020": 9.1, "100021": 8.1,
    "100100": 9.4, "100101": 8.9, "100110": 8.6, "100111": 7.4, "100120": 7.7, "100121": 6.4, "100200": 8.7, "100201": 7.5,
    "100210": 7.4, "100211": 6.3, "100220": 6.3, "100221": 4.9, "101000": 9.4, "101001": 8.9, "101010": 8.8, "101011": 7.7,
    "101020": 7.6, "101021": 6.7, "101100": 8.6, "101101": 7.6, "101110": 7.4, "101111": 5.8, "101120": 5.9, "101121": 5,
    "101200": 7.2, "101201": 5.7, "101210": 5.7, "101211": 5.2, "101220": 5.2, "101221": 2.5, "102001": 8.3, "102011": 7,
    "102021": 5.4, "102101": 6.5, "102111": 5.8, "102121": 2.6, "102201": 5.3, "102211": 2.1, "102221": 1.3, "110000": 9.5,
    "110001": 9, "110010": 8.8, "110011": 7.6, "110020": 7.6, "110021": 7, "110100": 9, "110101": 7.7, "110110": 7.5,
    "110111": 6.2, "110120": 6.1, "110121": 5.3, "110200": 7.7, "110201": 6.6, "110210": 6.8, "110211": 5.9, "110220": 5.2,
    "110221": 3, "111000": 8.9, "111001": 7.8, "111010": 7.6, "111011": 6.7, "111020": 6.2, "111021": 5.8, "111100": 7.4,
    "111101": 5.9, "111110": 5.7, "111111": 5.7, "111120": 4.7, "111121": 2.3, "111200": 6.1, "111201": 5.2, "111210": 5.7,
    "111211": 2.9, "111220": 2.4, "111221": 1.6, "112001": 7.1, "112011": 5.9, "112021": 3, "112101": 5.8, "112111": 2.6,
    "112121": 1.5, "112201": 2.3, "112211": 1.3, "112221": 0.6, "200000": 9.3, "200001": 8.7, "200010": 8.6, "200011": 7.2,
    "200020": 7.5, "200021": 5.8, "200100": 8.6, "200101": 7.4, "200110": 7.4, "200111": 6.1, "200120": 5.6, "200121": 3.4,
    "200200": 7, "200201": 5.4, "200210": 5.2, "200211": 4, "200220": 4, "200221": 2.2, "201000": 8.5, "201001": 7.5,
    "201010": 7.4, "201011": 5.5, "201020": 6.2, "201021": 5.1, "201100": 7.2, "201101": 5.7, "201110": 5.5, "201111": 4.1,
    "201120": 4.6, "201121": 1.9, "201200": 5.3, "201201": 3.6, "201210": 3.4, "201211": 1.9, "201220": 1.9, "201221": 0.8,
    "202001": 6.4, "202011": 5.1, "202021": 2, "202101": 4.7, "202111": 2.1, "202121": 1.1, "202201": 2.4, "202211": 0.9,
    "202221": 0.4, "210000": 8.8, "210001": 7.5, "210010": 7.3, "210011": 5.3, "210020": 6, "210021": 5, "210100": 7.3,
    "210101": 5.5, "210110": 5.9, "210111": 4, "210120": 4.1, "210121": 2, "210200": 5.4, "210201": 4.3, "210210": 4.5,
    "210211": 2.2, "210220": 2, "210221": 1.1, "211000": 7.5, "211001": 5.5, "211010": 5.8, "211011": 4.5, "211020": 4,
    "211021": 2.1, "211100": 6.1, "211101": 5.1, "211110": 4.8, "211111": 1.8, "211120": 2, "211121": 0.9, "211200": 4.6,
    "211201": 1.8, "211210": 1.7, "211211": 0.7, "211220": 0.8, "211221": 0.2, "212001": 5.3, "212011": 2.4, "212021": 1.4,
    "212101": 2.4, "212111": 1.2, "212121": 0.5, "212201": 1, "212211": 0.3, "212221": 0.1,
  ]
}
