import SalvageCore
import Testing

/// Typed outputs become the report's JSON through `JSONTree`: keys in the order the type declares them
/// (the published order), absent optionals written as null, JSON values passed through whole.
@Suite struct JSONTreeTests {
  struct Inner: Encodable {
    let zeta: Int
    let alpha: String?
  }

  struct Outer: Encodable {
    let name: String
    let when: Timestamp?
    let share: Double
    let inner: [Inner]
    let raw: JSONValue
    let flag: Bool
  }

  @Test func keysInDeclarationOrderAndNullsKept() throws {
    let value = Outer(name: "a", when: Timestamp(86400), share: 0.25, inner: [Inner(zeta: 1, alpha: nil)],
                      raw: ["b": 1, "a": [true, .null]], flag: false)
    let json = try JSONTree.encode(value)
    #expect(json.serialized() == """
      {
        "name": "a",
        "when": "1970-01-02T00:00:00Z",
        "share": 0.25,
        "inner": [
          {
            "zeta": 1,
            "alpha": null
          }
        ],
        "raw": {
          "b": 1,
          "a": [
            true,
            null
          ]
        },
        "flag": false
      }

      """)
  }

  @Test func absentTopLevelOptionalIsNull() throws {
    let none: Timestamp? = nil
    #expect(try JSONTree.encode(none) == .null)
    #expect(try JSONTree.encode([1, 2]) == [1, 2])
  }

  @Test func roundedMatchesNumber() {
    for x in [0.123456, 2.0 / 3.0, 1e-9, 12345.67891, -0.00005] {
      #expect(JSONValue.number(x) == .double(Figures.rounded(x)))
    }
    #expect(JSONValue.number(.nan) == .null)
  }
}
