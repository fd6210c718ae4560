import Foundation
import Testing
import TOML

/// An invalid document and where its error must be reported.
struct InvalidDocument: Sendable, CustomTestStringConvertible {
  let name: String
  let text: String
  let line: Int
  /// Part of the message, when the wording matters to users.
  var mentions: String? = nil

  var testDescription: String { name }
}

private let invalidDocuments: [InvalidDocument] = [
  // Keys and key/value pairs
  .init(name: "duplicate key", text: "name = \"Tom\"\nname = \"Pradyun\"\n", line: 2, mentions: "duplicate key name"),
  .init(name: "duplicate quoted and bare key", text: "spelling = \"favorite\"\n\"spelling\" = \"favourite\"\n", line: 2),
  .init(name: "dotted key over a value", text: "fruit.apple = 1\nfruit.apple.smooth = true\n", line: 2),
  .init(name: "value over dotted table", text: "a.b = 1\na = 2\n", line: 2, mentions: "duplicate key a"),
  .init(name: "missing equals", text: "a = 1\nkey \"value\"\n", line: 2, mentions: "expected '='"),
  .init(name: "missing key", text: "= \"no key name\"\n", line: 1, mentions: "missing key"),
  .init(name: "missing value", text: "key =\n", line: 1, mentions: "expected a value"),
  .init(name: "missing value at end of file", text: "a = 1\nkey = ", line: 2),
  .init(name: "key with newline", text: "first = \"Tom\" last = \"Preston-Werner\"\n", line: 1, mentions: "expected end of line"),
  .init(name: "multi-line string key", text: "\"\"\"key\"\"\" = 1\n", line: 1),
  .init(name: "empty bare key", text: "a. = 1\n", line: 1),
  .init(name: "non-ASCII bare key", text: "\n\nclé = 1\n", line: 3),
  .init(name: "unquoted string value", text: "a = 1\nb = hello\n", line: 2, mentions: "strings need quotes"),
  .init(name: "capitalised boolean", text: "a = True\n", line: 1),
  .init(name: "garbage after value", text: "a = \"x\" y\n", line: 1, mentions: "after value"),
  .init(name: "garbage after number", text: "a = 1 2\n", line: 1),
  .init(name: "bare carriage return", text: "a = 1\rb = 2\n", line: 1, mentions: "carriage return"),

  // Tables
  .init(name: "table defined twice", text: "[fruit]\napple = \"red\"\n\n[fruit]\norange = \"orange\"\n", line: 4, mentions: "already defined at line 1"),
  .init(name: "table over a value", text: "[fruit]\napple = \"red\"\n\n[fruit.apple]\ntexture = \"smooth\"\n", line: 4),
  .init(name: "header over dotted table", text: "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple]\n", line: 4, mentions: "dotted keys"),
  .init(name: "header over nested dotted table", text: "[fruit]\napple.taste.sweet = true\n[fruit.apple.taste]\n", line: 3),
  .init(name: "dotted keys into explicit table", text: "[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n", line: 4),
  .init(name: "super table twice", text: "[a.b]\n[a]\n[a]\n", line: 3),
  .init(name: "header after dotted parent", text: "[a.b.c]\n[a]\nb.d = 2\n[a.b]\n", line: 4),
  .init(name: "empty header", text: "[]\n", line: 1),
  .init(name: "unclosed header", text: "[a\nb = 1\n", line: 1, mentions: "']'"),
  .init(name: "unclosed array header", text: "[[a]\n", line: 1, mentions: "']]'"),
  .init(name: "spaced array header", text: "[[a] ]\n", line: 1),
  .init(name: "garbage after header", text: "[a] b = 1\n", line: 1, mentions: "after table header"),

  // Inline tables
  .init(name: "dotted key into inline table", text: "[product]\ntype = { name = \"Nail\" }\ntype.edible = false\n", line: 3, mentions: "inline table"),
  .init(name: "table reopened after dotted keys", text: "[product]\ntype.name = \"Nail\"\n[product]\n", line: 3),
  .init(name: "sub-table header into inline table", text: "a = { b = 1 }\n[a.c]\n", line: 2, mentions: "inline table"),
  .init(name: "inline table extended in place", text: "a = { b = { c = 1 }, b.d = 2 }\n", line: 1),
  .init(name: "duplicate key in inline table", text: "a = { b = 1, b = 2 }\n", line: 1),
  .init(name: "newline in inline table", text: "a = 1\nt = { x = 1,\n y = 2 }\n", line: 2, mentions: "newline"),
  .init(name: "trailing comma in inline table", text: "t = { x = 1, }\n", line: 1, mentions: "trailing comma"),
  .init(name: "unterminated inline table", text: "t = { x = 1", line: 1, mentions: "unterminated inline table"),
  .init(name: "missing comma in inline table", text: "t = { x = 1 y = 2 }\n", line: 1),

  // Arrays of tables
  .init(name: "array of tables over a table", text: "[fruit.physical]\ncolor = \"red\"\n[[fruit.physical]]\n", line: 3),
  .init(name: "table over an array of tables", text: "[[fruits]]\nname = \"apple\"\n[[fruits.varieties]]\nname = \"red delicious\"\n[fruits.varieties]\nname = \"granny smith\"\n", line: 5),
  .init(name: "array of tables into static array", text: "fruits = []\n\n[[fruits]]\n", line: 3, mentions: "static array"),
  .init(name: "dotted key into array of tables", text: "[[a.b]]\n[a]\nb.y = 2\n", line: 3),

  // Strings
  .init(name: "unterminated basic string", text: "a = 1\nb = \"open\n", line: 2, mentions: "unterminated string"),
  .init(name: "unterminated string at end of file", text: "a = \"open", line: 1),
  .init(name: "unterminated literal string", text: "a = 'open\nb = 1\n", line: 1),
  .init(name: "unterminated multi-line string", text: "a = 1\nb = \"\"\"\nline\nline\n", line: 2, mentions: "unterminated multi-line string"),
  .init(name: "unterminated multi-line literal", text: "b = '''\nline\n", line: 1),
  .init(name: "bad escape", text: "a = 1\n\nb = \"C:\\Users\"\n", line: 3, mentions: "\\U needs 8 hexadecimal digits"),
  .init(name: "unknown escape", text: "b = \"\\x41\"\n", line: 1, mentions: "'\\x'"),
  .init(name: "short unicode escape", text: "b = \"\\u12\"\n", line: 1),
  .init(name: "surrogate unicode escape", text: "b = \"\\uD800\"\n", line: 1, mentions: "not a Unicode scalar"),
  .init(name: "unicode escape past U+10FFFF", text: "b = \"\\U00110000\"\n", line: 1),
  .init(name: "bad escape in multi-line string", text: "b = \"\"\"\nok\n\\q\n\"\"\"\n", line: 3),
  .init(name: "backslash then space mid-line", text: "b = \"\"\"a \\ b\"\"\"\n", line: 1),
  .init(name: "control character in string", text: "a = \"x\u{1}y\"\n", line: 1, mentions: "U+0001"),
  .init(name: "delete in literal string", text: "a = 'x\u{7F}'\n", line: 1),
  .init(name: "control character in multi-line string", text: "a = \"\"\"\n\n\u{0}\"\"\"\n", line: 3),
  .init(name: "control character in comment", text: "a = 1\n# bell \u{7}\n", line: 2, mentions: "comment"),
  .init(name: "too many closing quotes", text: "a = \"\"\"x\"\"\"\"\"\"\n", line: 1),

  // Numbers
  .init(name: "leading zero", text: "a = 1\nb = 012\n", line: 2, mentions: "leading zeros"),
  .init(name: "leading zero in float", text: "b = 03.14\n", line: 1),
  .init(name: "double underscore", text: "b = 1__000\n", line: 1, mentions: "underscore"),
  .init(name: "leading underscore", text: "b = _1\n", line: 1),
  .init(name: "trailing underscore", text: "b = 1_\n", line: 1),
  .init(name: "underscore before exponent", text: "b = 1_e2\n", line: 1),
  .init(name: "underscore after radix prefix", text: "b = 0x_1\n", line: 1),
  .init(name: "integer overflow", text: "b = 9223372036854775808\n", line: 1, mentions: "out of range"),
  .init(name: "negative overflow", text: "b = -9223372036854775809\n", line: 1),
  .init(name: "huge integer", text: "b = 99999999999999999999999999999\n", line: 1),
  .init(name: "hex overflow", text: "b = 0xFFFFFFFFFFFFFFFF\n", line: 1),
  .init(name: "signed hex", text: "b = +0x1F\n", line: 1, mentions: "sign"),
  .init(name: "bad hex digit", text: "b = 0xG1\n", line: 1),
  .init(name: "bad octal digit", text: "b = 0o8\n", line: 1),
  .init(name: "bad binary digit", text: "b = 0b102\n", line: 1),
  .init(name: "empty hex", text: "b = 0x\n", line: 1),
  .init(name: "capital radix prefix", text: "b = 0X1F\n", line: 1),
  .init(name: "float without fraction digits", text: "b = 1.\n", line: 1),
  .init(name: "float without integer digits", text: "b = .5\n", line: 1),
  .init(name: "float with exponent before dot", text: "b = 1e2.5\n", line: 1),
  .init(name: "float with dot before exponent", text: "b = 1.e2\n", line: 1),
  .init(name: "empty exponent", text: "b = 1e\n", line: 1),
  .init(name: "two signs", text: "b = +-1\n", line: 1),
  .init(name: "capital infinity", text: "b = Inf\n", line: 1),
  .init(name: "infinity spelled out", text: "b = infinity\n", line: 1),
  .init(name: "lone sign", text: "b = -\n", line: 1),

  // Arrays
  .init(name: "unterminated array", text: "a = [1, 2\n\n", line: 1, mentions: "unterminated array"),
  .init(name: "unclosed array before next key", text: "a = [1, 2\n\nb = 1\n", line: 3, mentions: "array opened at line 1"),
  .init(name: "missing comma in array", text: "a = [\n1\n2]\n", line: 3, mentions: "expected ',' or ']'"),
  .init(name: "leading comma in array", text: "a = [,1]\n", line: 1),
  .init(name: "double comma in array", text: "a = [1,,2]\n", line: 1),

  // Encoding
  .init(name: "nested too deep", text: "a = " + String(repeating: "[", count: 10_000), line: 1, mentions: "nested"),
]

@Suite struct ErrorTests {
  @Test(arguments: invalidDocuments)
  func reportsLine(_ document: InvalidDocument) throws {
    let error = try #require(parseError(document.text), "parsed without error")
    #expect(error.line == document.line, "\(error)")
    #expect(error.column >= 1)
    if let mentions = document.mentions {
      #expect(error.message.contains(mentions), "\(error)")
    }
    // The byte entry point must agree with the String one.
    #expect(throws: error) { try TOML.parse(bytes: Array(document.text.utf8)) }
  }

  @Test func columnsCountCharactersNotBytes() throws {
    let error = try #require(parseError("s = \"é\" x\n"))
    #expect(error.line == 1)
    #expect(error.column == 9)
    let duplicate = try #require(parseError("a = 1\n  a = 2\n"))
    #expect(duplicate.line == 2)
    #expect(duplicate.column == 3)
  }

  @Test func invalidUTF8ReportsItsLine() throws {
    let cases: [[UInt8]] = [
      Array("a = 1\nb = \"".utf8) + [0xFF] + Array("\"\n".utf8),
      Array("a = 1\n# ".utf8) + [0xC0, 0x80] + [0x0A],  // overlong NUL
      Array("a = 1\nb = '".utf8) + [0xED, 0xA0, 0x80] + Array("'".utf8),  // surrogate
      Array("a = 1\nb = '".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("'".utf8),  // past U+10FFFF
      Array("a = 1\nb = '".utf8) + [0xE2, 0x82],  // truncated sequence
    ]
    for bytes in cases {
      do {
        _ = try TOML.parse(bytes: bytes)
        Issue.record("parsed invalid UTF-8 \(bytes)")
      } catch {
        #expect(error.line == 2)
        #expect(error.message.contains("UTF-8"))
      }
    }
  }

  @Test func deepNestingIsAnErrorNotACrash() throws {
    let arrays = "a = " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
    #expect(try TOML.parse(arrays)["a"]?.array?.count == 1)
    #expect(parseError("a = " + String(repeating: "{b=", count: 5_000)) != nil)
    #expect(parseError(String(repeating: "a.", count: 5_000) + "a = 1") != nil)
    #expect(parseError("[" + String(repeating: "a.", count: 5_000) + "a]") != nil)
    // Depth adds up across header, dotted key and inline values.
    let header = "[" + Array(repeating: "h", count: 60).joined(separator: ".") + "]\n"
    let key = Array(repeating: "k", count: 30).joined(separator: ".")
    #expect(parseError(header + key + " = " + String(repeating: "[", count: 30)) != nil)
  }

  /// The deepest documents allowed and the first ones refused must both fit the 512 KB stack of a
  /// secondary thread (the macOS default, and what Swift concurrency threads get there) even in a
  /// debug build; a stack overflow would take the whole test process down.
  @Test func deepDocumentsFitASecondaryThreadStack() async {
    let documents = [
      "a = " + String(repeating: "[", count: 99) + String(repeating: "]", count: 99),
      "a = " + String(repeating: "{b=", count: 98) + "1979-05-27T07:32:00Z" + String(repeating: "}", count: 98),
      "a = " + String(repeating: "{b=", count: 98) + "1979-05-27T07:32:00Zx" + String(repeating: "}", count: 98),
      "a = " + String(repeating: "[{b=", count: 5_000),
      "[" + Array(repeating: "t", count: 100).joined(separator: ".") + "]\n" + "k = [[[[[[[[1]]]]]]]]",
    ]
    let outcomes = await withCheckedContinuation { (continuation: CheckedContinuation<[Bool], Never>) in
      let thread = Thread {
        continuation.resume(returning: documents.map { (try? TOML.parse($0)) != nil })
      }
      thread.stackSize = 512 * 1024
      thread.start()
    }
    #expect(outcomes == [true, true, false, false, false])
  }
}
