import SalvageCore

/// Calendar periods of UTC day numbers (days since 1970-01-01): ISO weeks (Monday first), months and
/// quarters, each with a running index so that series can be filled without gaps.
enum Period {
  static let secondsPerDay: Int64 = 86400

  /// The day number of the Monday of the ISO week holding `day` (1970-01-01 was a Thursday).
  static func monday(ofDay day: Int64) -> Int64 {
    let weekday = ((day + 3) % 7 + 7) % 7  // Monday 0 ... Sunday 6
    return day - weekday
  }

  /// Monday 0 ... Sunday 6.
  static func weekday(ofDay day: Int64) -> Int { Int(((day + 3) % 7 + 7) % 7) }

  /// Months since January 1970.
  static func month(ofDay day: Int64) -> Int {
    let (y, m, _) = UTC.civil(day: day)
    return (y - 1970) * 12 + (m - 1)
  }

  static func monthLabel(_ month: Int) -> String {
    let y = 1970 + Int((Double(month) / 12).rounded(.down))
    let m = month - (y - 1970) * 12 + 1
    return "\(y)-\(m < 10 ? "0" : "")\(m)"
  }

  /// Quarters since 1970-Q1.
  static func quarter(ofDay day: Int64) -> Int {
    let month = month(ofDay: day)
    return month >= 0 ? month / 3 : (month - 2) / 3
  }

  static func quarterLabel(_ quarter: Int) -> String {
    let y = 1970 + Int((Double(quarter) / 4).rounded(.down))
    return "\(y)-Q\(quarter - (y - 1970) * 4 + 1)"
  }

  /// Whole days from one moment to a later one (0 when `to` is earlier).
  static func days(from: Int64, to: Int64) -> Int { Int(max(0, to - from) / secondsPerDay) }
}
