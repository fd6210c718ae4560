import Testing
import TOML

/// The value of `value = ...` in a one-line document.
func value(_ source: String) throws -> TOMLValue? {
  try TOML.parse("value = \(source)\n")["value"]
}

/// The error for a document, nil when it parses.
func parseError(_ document: String) -> TOMLError? {
  do {
    _ = try TOML.parse(document)
    return nil
  } catch {
    return error
  }
}

@Suite struct StringTests {
  @Test func basicStringEscapes() throws {
    #expect(try value(#""I'm a string. \"You can quote me\". Name\tJos\u00E9\nLocation\tSF.""#)
      == .string("I'm a string. \"You can quote me\". Name\tJos\u{E9}\nLocation\tSF."))
    #expect(try value(#""\b\t\n\f\r\"\\""#) == .string("\u{8}\t\n\u{C}\r\"\\"))
    #expect(try value(#""\u0041\U0001F600""#) == .string("A\u{1F600}"))
    #expect(try value(#""""#) == .string(""))
    #expect(try value("\"tab\tinside\"") == .string("tab\tinside"))
    #expect(try value(#""ünïcødé ✓""#) == .string("ünïcødé ✓"))
  }

  @Test func literalStrings() throws {
    #expect(try value(#"'C:\Users\nodejs\templates'"#) == .string(#"C:\Users\nodejs\templates"#))
    #expect(try value(#"'Tom "Dubs" Preston-Werner'"#) == .string(#"Tom "Dubs" Preston-Werner"#))
    #expect(try value(#"'<\i\c*\s*>'"#) == .string(#"<\i\c*\s*>"#))
    #expect(try value("''") == .string(""))
  }

  @Test func multilineBasicStrings() throws {
    let document = """
      str1 = \"\"\"
      Roses are red
      Violets are blue\"\"\"
      str2 = \"\"\"
      The quick brown \\


        fox jumps over \\
          the lazy dog.\"\"\"
      str3 = \"\"\"\\
             The quick brown \\
             fox jumps over \\
             the lazy dog.\\
             \"\"\"
      str4 = \"\"\"Here are two quotation marks: "". Simple enough.\"\"\"
      str5 = \"\"\"Here are three quotation marks: ""\\\".\"\"\"
      str6 = \"\"\"Here are fifteen quotation marks: \\"\\"\\"\\"\\"\\"\\"\\"\\"\\"\\"\\"\\"\\"\\".\"\"\"
      str7 = \"\"\""This," she said, "is just a pointless statement.\"\"\"\"
      str8 = \"\"\"a\\tb \\u00e9\"\"\"
      """
    let table = try TOML.parse(document)
    #expect(table["str1"] == .string("Roses are red\nViolets are blue"))
    #expect(table["str2"] == .string("The quick brown fox jumps over the lazy dog."))
    #expect(table["str3"] == .string("The quick brown fox jumps over the lazy dog."))
    #expect(table["str4"] == .string(#"Here are two quotation marks: "". Simple enough."#))
    #expect(table["str5"] == .string(#"Here are three quotation marks: """."#))
    #expect(table["str6"] == .string("Here are fifteen quotation marks: " + String(repeating: "\"", count: 15) + "."))
    #expect(table["str7"] == .string(#""This," she said, "is just a pointless statement.""#))
    #expect(table["str8"] == .string("a\tb \u{E9}"))
  }

  @Test func multilineLiteralStrings() throws {
    let document = """
      regex2 = '''I [dw]on't need \\d{2} apples'''
      lines  = '''
      The first newline is
      trimmed in raw strings.
         All other whitespace
         is preserved.
      '''
      quot15 = '''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''
      apos15 = "Here are fifteen apostrophes: '''''''''''''''"
      str = ''''That,' she said, 'is still pointless.''''
      """
    let table = try TOML.parse(document)
    #expect(table["regex2"] == .string(#"I [dw]on't need \d{2} apples"#))
    #expect(table["lines"] == .string("The first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n"))
    #expect(table["quot15"] == .string("Here are fifteen quotation marks: " + String(repeating: "\"", count: 15)))
    #expect(table["apos15"] == .string("Here are fifteen apostrophes: " + String(repeating: "'", count: 15)))
    #expect(table["str"] == .string("'That,' she said, 'is still pointless.'"))
  }

  @Test func windowsLineEndingsBecomeLineFeeds() throws {
    let table = try TOML.parse("a = \"\"\"\r\none\r\ntwo\"\"\"\r\nb = '''\r\nx\r\n'''\r\nc = \"\"\"joined \\\r\n   here\"\"\"\r\n")
    #expect(table["a"] == .string("one\ntwo"))
    #expect(table["b"] == .string("x\n"))
    #expect(table["c"] == .string("joined here"))
  }
}

@Suite struct NumberTests {
  @Test func integers() throws {
    let cases: [(String, Int64)] = [
      ("+99", 99), ("42", 42), ("0", 0), ("-17", -17), ("+0", 0), ("-0", 0),
      ("1_000", 1000), ("5_349_221", 5_349_221), ("53_49_221", 5_349_221), ("1_2_3_4_5", 12345),
      ("0xDEADBEEF", 0xDEAD_BEEF), ("0xdeadbeef", 0xDEAD_BEEF), ("0xdead_beef", 0xDEAD_BEEF),
      ("0o01234567", 0o01234567), ("0o755", 0o755), ("0b11010110", 0b11010110), ("0x00", 0),
      ("9223372036854775807", .max), ("-9223372036854775808", .min), ("0x7FFFFFFFFFFFFFFF", .max),
    ]
    for (source, expected) in cases {
      #expect(try value(source) == .integer(expected), "\(source)")
    }
  }

  @Test func floats() throws {
    let cases: [(String, Double)] = [
      ("+1.0", 1.0), ("3.1415", 3.1415), ("-0.01", -0.01), ("5e+22", 5e22), ("1e06", 1e6),
      ("-2E-2", -2e-2), ("6.626e-34", 6.626e-34), ("224_617.445_991_228", 224_617.445_991_228),
      ("0.0", 0), ("-0.0", -0.0), ("1e1_0", 1e10), ("0e0", 0), ("1E+0_1", 10),
      ("inf", .infinity), ("+inf", .infinity), ("-inf", -.infinity),
      ("123456789012345678901234567890.5", 123456789012345678901234567890.5),
    ]
    for (source, expected) in cases {
      #expect(try value(source) == .float(expected), "\(source)")
    }
    #expect(try value("-0.0")?.double?.sign == .minus)
    for source in ["nan", "+nan", "-nan"] {
      #expect(try value(source)?.double?.isNaN == true, "\(source)")
    }
  }

  @Test func booleans() throws {
    #expect(try value("true") == .boolean(true))
    #expect(try value("false") == .boolean(false))
  }
}

@Suite struct DateTimeTests {
  @Test func keptAsSourceText() throws {
    let sources = [
      "1979-05-27T07:32:00Z", "1979-05-27T00:32:00-07:00", "1979-05-27T00:32:00.999999-07:00",
      "1979-05-27 07:32:00Z", "1979-05-27t07:32:00z", "1979-05-27T07:32:00", "1979-05-27T00:32:00.999999",
      "1979-05-27", "07:32:00", "00:32:00.999999", "2024-02-29", "1987-07-05T17:45:56.123+05:30",
      "1990-12-31T23:59:60Z",
    ]
    for source in sources {
      #expect(try value(source) == .datetime(source), "\(source)")
    }
  }

  @Test func dateFollowedByComment() throws {
    let table = try TOML.parse("d = 1979-05-27 # birthday\nt = 1979-05-27 07:32:00 # with time\n")
    #expect(table["d"] == .datetime("1979-05-27"))
    #expect(table["t"] == .datetime("1979-05-27 07:32:00"))
  }

  @Test(arguments: [
    "1979-13-27", "1979-00-27", "1979-02-30", "2023-02-29", "1979-05-32", "1979-05-27T25:00:00",
    "1979-05-27T07:60:00", "1979-05-27T07:32:61", "1979-05-27T07:32", "07:32", "1979-5-27",
    "1979-05-27T07:32:00Zjunk", "1979-05-27T07:32:00+7:00", "1979-05-27T07:32:00.", "07:32:00Z",
    "1979-05-27T",
  ])
  func invalidDateTimes(source: String) {
    #expect(parseError("value = \(source)\n")?.line == 1, "\(source)")
  }
}

@Suite struct ArrayTests {
  @Test func arrays() throws {
    let document = """
      integers = [ 1, 2, 3 ]
      colors = [ "red", "yellow", "green" ]
      nested_arrays_of_ints = [ [ 1, 2 ], [3, 4, 5] ]
      nested_mixed_array = [ [ 1, 2 ], ["a", "b", "c"] ]
      string_array = [ "all", 'strings', \"\"\"are the same\"\"\", '''type''' ]
      numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]
      contributors = [
        "Foo Bar <foo@example.com>",
        { name = "Baz Qux", email = "bazqux@example.com", url = "https://example.com/bazqux" }
      ]
      integers2 = [
        1, 2, 3
      ]
      integers3 = [
        1,
        2, # this is ok
      ]
      empty = []
      empty_spaced = [ # comment
      ]
      """
    let table = try TOML.parse(document)
    #expect(table["integers"] == .array([.integer(1), .integer(2), .integer(3)]))
    #expect(table["colors"]?.stringArray == ["red", "yellow", "green"])
    #expect(table["nested_arrays_of_ints"] == .array([.array([.integer(1), .integer(2)]), .array([.integer(3), .integer(4), .integer(5)])]))
    #expect(table["nested_mixed_array"]?.array?[1].stringArray == ["a", "b", "c"])
    #expect(table["string_array"]?.stringArray == ["all", "strings", "are the same", "type"])
    #expect(table["numbers"]?.array?.compactMap(\.double) == [0.1, 0.2, 0.5, 1, 2, 5])
    #expect(table["numbers"]?.stringArray == nil)
    #expect(table["contributors"]?.array?.first == .string("Foo Bar <foo@example.com>"))
    #expect(table["contributors"]?.array?.last?.table?["email"] == .string("bazqux@example.com"))
    #expect(table["integers2"]?.array?.count == 3)
    #expect(table["integers3"] == .array([.integer(1), .integer(2)]))
    #expect(table["empty"] == .array([]))
    #expect(table["empty"]?.stringArray == [])
    #expect(table["empty_spaced"] == .array([]))
  }
}

@Suite struct InlineTableTests {
  @Test func inlineTables() throws {
    let document = """
      name = { first = "Tom", last = "Preston-Werner" }
      point = { x = 1, y = 2 }
      animal = { type.name = "pug" }
      empty = {}
      nested = { a = { b = { c = [1, { d = true }] } } }
      spread = { list = [
        1,
        2,
      ], s = \"\"\"two
      lines\"\"\" }
      """
    let table = try TOML.parse(document)
    #expect(table["name"]?.table?.keys == ["first", "last"])
    #expect(table["name"]?.table?["last"] == .string("Preston-Werner"))
    #expect(table["point"]?.table?["y"]?.int == 2)
    #expect(table["animal"]?.table?["type"]?.table?["name"] == .string("pug"))
    #expect(table["empty"] == .table(TOMLTable()))
    let d = table["nested"]?.table?["a"]?.table?["b"]?.table?["c"]?.array?.last?.table?["d"]
    #expect(d == .boolean(true))
    #expect(table["spread"]?.table?["list"] == .array([.integer(1), .integer(2)]))
    #expect(table["spread"]?.table?["s"] == .string("two\nlines"))
    #expect(table["name"]?.table?.line == 0)
  }
}
