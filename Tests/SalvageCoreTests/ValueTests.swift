import SalvageCore
import Testing

@Suite struct ValueTests {
  @Test func utcRoundTrips() {
    #expect(UTC.iso(0) == "1970-01-01T00:00:00Z")
    #expect(UTC.iso(951_782_400) == "2000-02-29T00:00:00Z")
    #expect(UTC.iso(-1) == "1969-12-31T23:59:59Z")
    #expect(UTC.parse("2000-02-29") == 951_782_400)
    #expect(UTC.parse("2024-01-02T10:00:00+01:00") == UTC.parse("2024-01-02T09:00:00Z"))
    #expect(UTC.parse("2024-13-01") == nil)
    #expect(UTC.parse("yesterday") == nil)
    for t in stride(from: Int64(-86400 * 800), to: 86400 * 20000, by: 86400 * 37 + 3601) {
      #expect(UTC.parse(UTC.iso(t)) == t)
    }
  }

  @Test func pathTextQuotesLikeGit() {
    #expect(PathText.display(Array("src/a b.py".utf8)) == "src/a b.py")
    #expect(PathText.display(Array("caf".utf8) + [0xE9] + Array(".txt".utf8)) == "\"caf\\351.txt\"")
    #expect(PathText.display(Array("é.txt".utf8)) == "é.txt")
    #expect(PathText.display(Array("a\"b".utf8)) == "\"a\\\"b\"")
    #expect(PathText.display(Array("tab\there".utf8)) == "\"tab\\there\"")
  }

  @Test func jsonSerialisationIsFixed() throws {
    let value: JSONValue = ["b": 1, "a": [true, .null, 0.5, "x\"\n\u{1}"], "c": [:]]
    #expect(value.serialized() == """
      {
        "b": 1,
        "a": [
          true,
          null,
          0.5,
          "x\\"\\n\\u0001"
        ],
        "c": {}
      }

      """)
    struct S: Encodable { let zeta = 1; let alpha = "a"; let flag = false; let ratio = 0.25 }
    #expect(try JSONValue(encoding: S()) == ["alpha": "a", "flag": false, "ratio": 0.25, "zeta": 1])
    #expect(JSONValue.number(1.0 / 3.0) == .double(0.3333))
  }

  /// Every byte that needs an escape, next to ones that do not; the streamed pieces add up to the
  /// same bytes.
  @Test func jsonEscapesAndPiecesAreFixed() {
    var expected = ""
    var text = ""
    for code in 0..<0x20 {
      text.unicodeScalars.append(Unicode.Scalar(UInt8(code)))
      switch code {
      case 0x0A: expected += "\\n"
      case 0x0D: expected += "\\r"
      case 0x09: expected += "\\t"
      default: expected += "\\u00" + (code < 0x10 ? "0" : "") + String(code, radix: 16)
      }
    }
    text += "\u{7F}\"\\/\u{2028}\u{2029}\u{2027}\u{20AC}é \u{1F600}"
    expected += "\\u007f\\\"\\\\/\\u2028\\u2029\u{2027}\u{20AC}é \u{1F600}"
    #expect(JSONValue.string(text).serialized() == "\"" + expected + "\"\n")
    let big: JSONValue = .array((0..<40_000).map { ["n": .int($0 - 20_000), "s": .string("v\($0)\u{2028}"), "d": .double(Double($0) / 8)] })
    var streamed: [UInt8] = []
    big.serialize { streamed.append(contentsOf: $0) }
    #expect(streamed == big.serializedBytes())
    #expect(streamed.count > 2 << 20)
    #expect(JSONValue.int(Int.min).serialized() == "\(Int.min)\n")
    #expect(JSONValue.double(1e20).serialized() == "1e+20\n")
  }
}
