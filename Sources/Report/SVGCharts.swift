import SalvageCore
/// Charts as inline SVG, written here: no script, no font or image fetched, every label escaped.
/// Sizes are in user units with a viewBox, so a chart scales to the page and prints sharp.
struct SVGCharts {
  /// The scan's redactor, which every label is rendered with.
  let r: Redactor

  static let verdictColor: [Verdict: String] = [.keep: "#2e7d32", .stabilize: "#1e88e5", .refactor: "#f9a825", .rewrite: "#c62828"]

  static func gradeColor(_ grade: HumanDocument.GradeMark?) -> String {
    switch grade?.tone ?? .none {
    case .a: return "#2e7d32"
    case .b: return "#7cb342"
    case .c: return "#f9a825"
    case .d: return "#ef6c00"
    case .f: return "#c62828"
    case .none: return "#9e9e9e"
    }
  }

  private func n(_ value: Double) -> String {
    let r = (value * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) : String(r)
  }

  private func text(_ x: Double, _ y: Double, _ content: DocText, anchor: String = "start", size: Int = 11,
                           weight: String? = nil, fill: String = "#222") -> String {
    "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" fill=\"\(fill)\"" +
      (weight.map { " font-weight=\"\($0)\"" } ?? "") + ">\(content.html(r))</text>"
  }

  private func open(_ width: Int, _ height: Int, label: DocText) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(label.html(r))\" font-family=\"Helvetica, Arial, sans-serif\">"
  }

  /// Commits per week, with the year marked on the axis.
  /// Horizontal gridlines with their labels at a round step from 0 to the first step at or above
  /// `peak`; returns that top value, the chart's y scale.
  private func gridlines(peak: Int, into svg: inout String, width: Int, left: Double, right: Double, top: Double, plotH: Double,
                                label: (Double) -> DocText) -> Double {
    let step = niceStep(Double(peak))
    let axisMax = (Double(peak) / step).rounded(.up) * step
    var y = 0.0
    while y <= axisMax {
      let py = top + plotH - plotH * y / axisMax
      svg += "<line x1=\"\(n(left))\" y1=\"\(n(py))\" x2=\"\(n(Double(width) - right))\" y2=\"\(n(py))\" stroke=\"#e0e0e0\" stroke-width=\"1\"/>"
      svg += text(left - 4, py + 4, label(y), anchor: "end", size: 10, fill: "#666")
      y += step
    }
    return axisMax
  }

  func weekly(_ weeks: [HumanDocument.Week]) -> String {
    let width = 720, height = 180, left = 36.0, right = 8.0, top = 10.0, bottom = 28.0
    let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
    let peak = max(1, weeks.map(\.commits).max() ?? 1)
    var svg = open(width, height, label: "Commits per week")
    let axisMax = gridlines(peak: peak, into: &svg, width: width, left: left, right: right, top: top, plotH: plotH) { "\(n($0))" }
    let slot = plotW / Double(max(1, weeks.count))
    let bar = max(1, slot * 0.8)
    var lastYear = -1
    var lastLabelX = -100.0
    for (i, week) in weeks.enumerated() {
      let h = plotH * Double(week.commits) / axisMax
      let x = left + Double(i) * slot + (slot - bar) / 2
      if week.commits > 0 {
        svg += "<rect x=\"\(n(x))\" y=\"\(n(top + plotH - h))\" width=\"\(n(bar))\" height=\"\(n(h))\" fill=\"#3f6fb5\"><title>\(("week of \(week.label): \(Words.count(week.commits, "commit"))" as DocText).html(r))</title></rect>"
      }
      let year = week.year
      var label: DocText?
      if year != lastYear {
        label = "\(year)"
      } else if weeks.count <= 80, week.day <= 7, let quarter = [4: "Apr", 7: "Jul", 10: "Oct"][week.month] {
        label = "\(quarter)"
      }
      lastYear = year
      // A label that would run past the right edge is left out rather than clipped.
      if let label, x - lastLabelX >= 34, x + 30 <= Double(width) {
        svg += "<line x1=\"\(n(x))\" y1=\"\(n(top + plotH))\" x2=\"\(n(x))\" y2=\"\(n(top + plotH + 4))\" stroke=\"#666\"/>"
        svg += text(x, top + plotH + 16, label, size: 10, fill: "#444")
        lastLabelX = x
      }
    }
    svg += "<line x1=\"\(n(left))\" y1=\"\(n(top + plotH))\" x2=\"\(n(Double(width) - right))\" y2=\"\(n(top + plotH))\" stroke=\"#666\"/>"
    return svg + "</svg>"
  }

  /// A burndown: for each period's end, the lines alive stacked by the period they were written in,
  /// oldest at the bottom, each cohort an area of its own colour (a ramp from dark to light).
  func burndown(_ b: HumanDocument.Burndown) -> String {
    let width = 720, height = 220, left = 52.0, right = 8.0, top = 10.0, bottom = 28.0
    let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
    let periods = b.periods.count
    let totals = b.alive.map { $0.reduce(0, +) }
    let peak = max(1, totals.max() ?? 1)
    var svg = open(width, height, label: "Lines alive by the \(b.unit) they were written in")
    let axisMax = gridlines(peak: peak, into: &svg, width: width, left: left, right: right, top: top, plotH: plotH) { "\(Figures.grouped(Int($0)))" }
    func x(_ k: Int) -> Double { left + (periods > 1 ? plotW * Double(k) / Double(periods - 1) : plotW / 2) }
    func py(_ v: Int) -> Double { top + plotH - plotH * Double(v) / axisMax }
    // Cumulative sums per period, cohort by cohort.
    var below = [Int](repeating: 0, count: periods)
    for cohort in 0..<periods {
      var above = below
      for k in cohort..<periods where cohort < b.alive[k].count { above[k] += b.alive[k][cohort] }
      // From the period it was born in: along its top, back along its bottom.
      var points: [String] = []
      for k in cohort..<periods { points.append("\(n(x(k))),\(n(py(above[k])))") }
      for k in (cohort..<periods).reversed() { points.append("\(n(x(k))),\(n(py(below[k])))") }
      let lightness = 28 + (periods > 1 ? 50 * cohort / (periods - 1) : 0)
      let title: DocText = "written in \(b.periods[cohort]): \(Words.count(b.alive[periods - 1].count > cohort ? b.alive[periods - 1][cohort] : 0, "line")) alive at the end"
      svg += "<polygon points=\"\(points.joined(separator: " "))\" fill=\"hsl(212,55%,\(lightness)%)\" stroke=\"#fff\" stroke-width=\"0.5\"><title>\(title.html(r))</title></polygon>"
      below = above
    }
    var lastLabelX = -100.0
    for k in 0..<periods where x(k) - lastLabelX >= 40 {
      // The ends anchored inwards, so their labels stay inside the chart.
      let anchor = periods > 1 && k == 0 ? "start" : periods > 1 && k == periods - 1 ? "end" : "middle"
      svg += text(x(k), top + plotH + 16, "\(b.periods[k])", anchor: anchor, size: 10, fill: "#444")
      lastLabelX = x(k)
    }
    svg += "<line x1=\"\(n(left))\" y1=\"\(n(top + plotH))\" x2=\"\(n(Double(width) - right))\" y2=\"\(n(top + plotH))\" stroke=\"#666\"/>"
    return svg + "</svg>"
  }

  func niceStep(_ peak: Double) -> Double {
    let raw = peak / 4
    var magnitude = 1.0
    while magnitude * 10 <= raw { magnitude *= 10 }
    for m in [1.0, 2.0, 5.0, 10.0] where m * magnitude >= raw { return m * magnitude }
    return 10 * magnitude
  }

  /// The top hotspots: a bar per file, its length the hotspot score, hot files in red.
  func hotspots(_ list: [HumanDocument.HotspotRow]) -> String {
    let row = 22.0, labelW = 300.0, width = 720
    let height = Int(row * Double(list.count) + 24)
    let peak = max(0.0001, list.map(\.score).max() ?? 1)
    var svg = open(width, height, label: "Top hotspots by score")
    for (i, h) in list.enumerated() {
      let y = 4 + Double(i) * row
      let w = (Double(width) - labelW - 130) * h.score / peak
      svg += text(labelW - 6, y + 14, h.path.keepingEnd(46, by: r), anchor: "end", size: 11)
      let title: DocText = "\(h.path): hotspot #\(h.rank), \(Words.count(h.revisions, "revision")), complexity \(h.complexityText), \(Words.count(h.loc, "line"))"
      svg += "<rect x=\"\(n(labelW))\" y=\"\(n(y + 3))\" width=\"\(n(max(1, w)))\" height=\"14\" fill=\"\(h.hot ? "#c62828" : "#90a4ae")\"><title>\(title.html(r))</title></rect>"
      svg += text(labelW + max(1, w) + 6, y + 14, "\(h.revisionsText) rev · cx \(h.complexityText)", size: 10, fill: "#555")
    }
    // The legend starts at the left edge: from the bars' edge it ran past the chart's right side.
    svg += text(4, Double(height) - 4, "bar: hotspot score (change frequency × complexity, normalised); red: above the drop-off", size: 10, fill: "#666")
    return svg + "</svg>"
  }

  /// Area scores on one scale, with the grade letter; grey "not assessed" where there is no score.
  func areaGrades(_ areas: [HumanDocument.AreaRow]) -> String {
    let row = 26.0, labelW = 230.0, width = 720
    let height = Int(row * Double(areas.count) + 26)
    let plotW = Double(width) - labelW - 60
    var svg = open(width, height, label: "Area scores and grades")
    for tick in stride(from: 0, through: 100, by: 25) {
      let x = labelW + plotW * Double(tick) / 100
      svg += "<line x1=\"\(n(x))\" y1=\"2\" x2=\"\(n(x))\" y2=\"\(n(Double(height) - 20))\" stroke=\"#e0e0e0\"/>"
      svg += text(x, Double(height) - 6, "\(tick)", anchor: "middle", size: 10, fill: "#666")
    }
    for (i, a) in areas.enumerated() {
      let y = 4 + Double(i) * row
      svg += text(labelW - 8, y + 15, a.title, anchor: "end", size: 12)
      if let score = a.score {
        let w = max(2, plotW * Double(score) / 100)
        svg += "<rect x=\"\(n(labelW))\" y=\"\(n(y + 3))\" width=\"\(n(w))\" height=\"16\" rx=\"2\" fill=\"\(Self.gradeColor(a.grade))\"/>"
        svg += text(labelW + w + 6, y + 16, "\(a.grade?.text ?? "") · \(score)", size: 12, weight: "bold")
      } else {
        svg += "<rect x=\"\(n(labelW))\" y=\"\(n(y + 3))\" width=\"\(n(plotW))\" height=\"16\" rx=\"2\" fill=\"none\" stroke=\"#bdbdbd\" stroke-dasharray=\"4 3\"/>"
        svg += text(labelW + 8, y + 15, "not assessed", size: 11, fill: "#757575")
      }
    }
    return svg + "</svg>"
  }

  /// The components as a treemap: area by lines of code, colour by verdict.
  /// `components`: largest first, as the document lists them.
  func componentMap(_ components: [HumanDocument.ComponentRow]) -> String {
    let width = 720.0, height = 300.0
    let items = components.filter { $0.loc > 0 }
    var svg = open(Int(width), Int(height) + 24, label: "Component map: size by lines of code, colour by verdict")
    let rects = Treemap.layout(items.map { Double($0.loc) }, in: (0, 0, width, height))
    for (item, rect) in zip(items, rects) {
      let color = Self.verdictColor[item.verdict] ?? "#9e9e9e"
      let title: DocText = "\(item.path): \(item.verdict.rawValue), \(Words.count(item.loc, "line"))"
      svg += "<rect x=\"\(n(rect.x + 1))\" y=\"\(n(rect.y + 1))\" width=\"\(n(max(0, rect.w - 2)))\" height=\"\(n(max(0, rect.h - 2)))\" fill=\"\(color)\" fill-opacity=\"0.85\"><title>\(title.html(r))</title></rect>"
      if rect.w > 60 && rect.h > 34 {
        let chars = Int((rect.w - 10) / 6.5)
        let ink = item.verdict == .refactor ? "#3e2723" : "#fff"
        svg += text(rect.x + 6, rect.y + 17, item.path.keepingEnd(chars, by: r), size: 12, weight: "bold", fill: ink)
        // A figure is never cut: the longest of these that fits whole, or none.
        let size = Words.count(item.loc, "line")
        if let caption = fitting(["\(item.verdict.rawValue) · \(size)", "\(size)", "\(Figures.grouped(item.loc))"], chars) {
          svg += text(rect.x + 6, rect.y + 31, caption, size: 11, fill: ink)
        }
      }
    }
    var x = 0.0
    for verdict in Verdict.allCases {
      svg += "<rect x=\"\(n(x))\" y=\"\(n(height + 10))\" width=\"12\" height=\"12\" fill=\"\(Self.verdictColor[verdict]!)\"/>"
      svg += text(x + 16, height + 20, "\(verdict.rawValue)", size: 11)
      x += 100
    }
    return svg + "</svg>"
  }

  /// The first text that fits in `max` characters whole.
  func fitting(_ candidates: [DocText], _ max: Int) -> DocText? {
    candidates.first { $0.terminal(r).count <= max }
  }
}

/// Squarified treemap (Bruls, Huizing, van Wijk): rectangles close to squares, in the order given.
enum Treemap {
  typealias Rect = (x: Double, y: Double, w: Double, h: Double)

  static func layout(_ values: [Double], in bounds: Rect) -> [Rect] {
    let total = values.reduce(0, +)
    guard total > 0, bounds.w > 0, bounds.h > 0 else { return values.map { _ in (bounds.x, bounds.y, 0, 0) } }
    let scale = bounds.w * bounds.h / total
    let areas = values.map { $0 * scale }
    var out: [Rect] = []
    var rest = bounds
    var i = 0
    while i < areas.count {
      let side = min(rest.w, rest.h)
      var row = [areas[i]]
      var j = i + 1
      while j < areas.count, worst(row + [areas[j]], side) <= worst(row, side) {
        row.append(areas[j])
        j += 1
      }
      let sum = row.reduce(0, +)
      if rest.w >= rest.h {
        let w = sum / rest.h
        var y = rest.y
        for a in row { out.append((rest.x, y, w, a / w)); y += a / w }
        rest = (rest.x + w, rest.y, rest.w - w, rest.h)
      } else {
        let h = sum / rest.w
        var x = rest.x
        for a in row { out.append((x, rest.y, a / h, h)); x += a / h }
        rest = (rest.x, rest.y + h, rest.w, rest.h - h)
      }
      i = j
    }
    return out
  }

  private static func worst(_ row: [Double], _ side: Double) -> Double {
    let sum = row.reduce(0, +)
    guard sum > 0, let big = row.max(), let small = row.min(), small > 0 else { return .infinity }
    return max(side * side * big / (sum * sum), sum * sum / (side * side * small))
  }
}
