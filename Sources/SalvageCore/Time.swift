/// Calendar arithmetic in UTC on seconds since 1970, without Foundation's formatters: fast, and the same
/// on every machine.
public enum UTC {
  /// (year, month, day) of a day number (days since 1970-01-01), after Howard Hinnant's civil_from_days.
  public static func civil(day: Int64) -> (year: Int, month: Int, day: Int) {
    let z = day + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
  }

  /// Day number of a civil date.
  public static func days(year: Int, month: Int, day: Int) -> Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  public static func day(of time: Int64) -> Int64 { time >= 0 ? time / 86400 : (time - 86399) / 86400 }

  /// The last second of the UTC day of `time`.
  public static func endOfDay(_ time: Int64) -> Int64 { day(of: time) * 86400 + 86399 }

  /// `2024-03-01T12:00:00Z`
  public static func iso(_ time: Int64) -> String {
    let (y, m, d) = civil(day: day(of: time))
    let secs = Int(time - day(of: time) * 86400)
    // Reports print one per file and commit: the common four-digit year is written straight into the
    // string's bytes rather than through a dozen interpolated pieces.
    if (0...9999).contains(y) {
      return String(unsafeUninitializedCapacity: 20) { out in
        writeDate(y, m, d, into: out)
        out[10] = UInt8(ascii: "T")
        writeDigits(secs / 3600, 2, into: out, at: 11)
        out[13] = UInt8(ascii: ":")
        writeDigits(secs / 60 % 60, 2, into: out, at: 14)
        out[16] = UInt8(ascii: ":")
        writeDigits(secs % 60, 2, into: out, at: 17)
        out[19] = UInt8(ascii: "Z")
        return 20
      }
    }
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))Z"
  }

  /// `2024-03-01`
  public static func date(_ time: Int64) -> String {
    let (y, m, d) = civil(day: day(of: time))
    if (0...9999).contains(y) {
      return String(unsafeUninitializedCapacity: 10) { out in
        writeDate(y, m, d, into: out)
        return 10
      }
    }
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
  }

  /// `YYYY-MM-DD` into the first ten bytes, for a year of at most four digits.
  private static func writeDate(_ y: Int, _ m: Int, _ d: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
    writeDigits(y, 4, into: out, at: 0)
    out[4] = UInt8(ascii: "-")
    writeDigits(m, 2, into: out, at: 5)
    out[7] = UInt8(ascii: "-")
    writeDigits(d, 2, into: out, at: 8)
  }

  /// A non-negative value of at most `width` digits, zero-padded to `width`.
  private static func writeDigits(_ value: Int, _ width: Int, into out: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
    var v = value
    for i in stride(from: start + width - 1, through: start, by: -1) {
      out[i] = UInt8(ascii: "0") + UInt8(v % 10)
      v /= 10
    }
  }

  /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]` (UTC when no offset is given).
  public static func parse(_ text: String) -> Int64? {
    let chars = Array(text.utf8)
    func number(_ from: Int, _ count: Int) -> Int? {
      guard from + count <= chars.count else { return nil }
      var value = 0
      for c in chars[from..<(from + count)] {
        guard c >= 48, c <= 57 else { return nil }
        value = value * 10 + Int(c - 48)
      }
      return value
    }
    guard let y = number(0, 4), chars.count >= 10, chars[4] == 45, let m = number(5, 2), chars[7] == 45, let d = number(8, 2),
          (1...12).contains(m), (1...31).contains(d) else { return nil }
    var time = days(year: y, month: m, day: d) * 86400
    if chars.count == 10 { return time }
    guard chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: " "), let hh = number(11, 2), chars.count >= 16, chars[13] == 58,
          let mm = number(14, 2), hh < 24, mm < 60 else { return nil }
    time += Int64(hh * 3600 + mm * 60)
    var i = 16
    if i < chars.count, chars[i] == 58 {
      guard let ss = number(17, 2), ss < 61 else { return nil }
      time += Int64(ss)
      i = 19
    }
    if i == chars.count || (chars[i] == UInt8(ascii: "Z") && i + 1 == chars.count) { return time }
    guard chars[i] == UInt8(ascii: "+") || chars[i] == UInt8(ascii: "-"), let oh = number(i + 1, 2), chars.count == i + 6,
          chars[i + 3] == 58, let om = number(i + 4, 2) else { return nil }
    let offset = Int64(oh * 3600 + om * 60)
    return chars[i] == UInt8(ascii: "+") ? time - offset : time + offset
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
  }
}
