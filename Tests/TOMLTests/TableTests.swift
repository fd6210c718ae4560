import Testing
import TOML

@Suite struct KeyTests {
  @Test func bareQuotedAndDottedKeys() throws {
    let document = """
      key = "value"
      bare_key = "value"
      bare-key = "value"
      1234 = "value"
      "127.0.0.1" = "value"
      "character encoding" = "value"
      "ʎǝʞ" = "value"
      'key2' = "value"
      'quoted "value"' = "value"
      "" = "blank"
      "tab\\tkey" = 1
      physical.color = "orange"
      physical.shape = "round"
      site."google.com" = true
      fruit . flavor = "banana"
      3.14159 = "pi"
      """
    let table = try TOML.parse(document)
    #expect(table.keys == [
      "key", "bare_key", "bare-key", "1234", "127.0.0.1", "character encoding", "ʎǝʞ", "key2",
      "quoted \"value\"", "", "tab\tkey", "physical", "site", "fruit", "3",
    ])
    #expect(table[""] == .string("blank"))
    #expect(table["physical"]?.table?["shape"] == .string("round"))
    #expect(table["site"]?.table?["google.com"] == .boolean(true))
    #expect(table["fruit"]?.table?["flavor"] == .string("banana"))
    #expect(table["3"]?.table?["14159"] == .string("pi"))
  }

  @Test func dottedKeysExtendEachOther() throws {
    let document = """
      apple.type = "fruit"
      orange.type = "fruit"
      apple.skin = "thin"
      orange.skin = "thick"
      apple.color = "red"
      """
    let table = try TOML.parse(document)
    #expect(table.keys == ["apple", "orange"])
    #expect(table["apple"]?.table?.keys == ["type", "skin", "color"])
  }
}

@Suite struct StandardTableTests {
  @Test func headersAndImplicitParents() throws {
    let document = """
      # Top-level table begins.
      name = "Fido"
      breed = "pug"

      [owner]
      name = "Regina Dogman"
      member_since = 1999-08-04

      [dog."tater.man"]
      type.name = "pug"

      [ j . "ʞ" . 'l' ]  # same as [j."ʞ".'l']

      [x.y.z.w] # for this to work
      [x] # defining a super-table afterward is ok

      [fruit]
      apple.color = "red"
      apple.taste.sweet = true
      [fruit.apple.texture]  # you can add sub-tables
      smooth = true
      """
    let table = try TOML.parse(document)
    #expect(table.keys == ["name", "breed", "owner", "dog", "j", "x", "fruit"])
    #expect(table["owner"]?.table?["member_since"] == .datetime("1999-08-04"))
    #expect(table["dog"]?.table?["tater.man"]?.table?["type"]?.table?["name"] == .string("pug"))
    #expect(table["j"]?.table?["ʞ"]?.table?["l"] == .table(TOMLTable()))
    #expect(table["x"]?.table?["y"]?.table?["z"]?.table?["w"] == .table(TOMLTable()))
    let apple = table["fruit"]?.table?["apple"]?.table
    #expect(apple?["taste"]?.table?["sweet"] == .boolean(true))
    #expect(apple?["texture"]?.table?["smooth"] == .boolean(true))
  }

  @Test func implicitTableBecomesDottedTarget() throws {
    // An implicitly created parent may be filled by dotted keys of its own section.
    let table = try TOML.parse("[a.b.c]\nz = 1\n[a]\nb.d = 2\n")
    #expect(table["a"]?.table?["b"]?.table?["d"] == .integer(2))
    #expect(table["a"]?.table?["b"]?.table?["c"]?.table?["z"] == .integer(1))
  }

  @Test func emptyAndCommentOnlyDocuments() throws {
    #expect(try TOML.parse("") == TOMLTable())
    #expect(try TOML.parse("# only a comment") == TOMLTable())
    #expect(try TOML.parse("\n\n   \t\n# c\r\n") == TOMLTable())
    #expect(try TOML.parse("\u{FEFF}a = 1")["a"] == .integer(1))
    #expect(try TOML.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("a = 1".utf8))["a"] == .integer(1))
  }
}

@Suite struct ArrayOfTablesTests {
  @Test func products() throws {
    let document = """
      [[products]]
      name = "Hammer"
      sku = 738594937

      [[products]]  # empty table within the array

      [[products]]
      name = "Nail"
      sku = 284758393

      color = "gray"
      """
    let table = try TOML.parse(document)
    let products = try #require(table["products"]?.array)
    #expect(products.count == 3)
    #expect(products[0].table?["name"] == .string("Hammer"))
    #expect(products[1] == .table(TOMLTable()))
    #expect(products[2].table?["color"] == .string("gray"))
    #expect(products.map { $0.table?.line } == [1, 5, 7])
  }

  @Test func nestedFruits() throws {
    let document = """
      [[fruits]]
      name = "apple"

      [fruits.physical]  # subtable
      color = "red"
      shape = "round"

      [[fruits.varieties]]  # nested array of tables
      name = "red delicious"

      [[fruits.varieties]]
      name = "granny smith"


      [[fruits]]
      name = "banana"

      [[fruits.varieties]]
      name = "plantain"
      """
    let table = try TOML.parse(document)
    let fruits = try #require(table["fruits"]?.array)
    #expect(fruits.count == 2)
    let apple = try #require(fruits[0].table)
    #expect(apple["physical"]?.table?["shape"] == .string("round"))
    #expect(apple["varieties"]?.array?.compactMap { $0.table?["name"]?.string } == ["red delicious", "granny smith"])
    #expect(apple["physical"]?.table?.line == 4)
    let banana = try #require(fruits[1].table)
    #expect(banana["name"] == .string("banana"))
    #expect(banana["varieties"]?.array?.compactMap { $0.table?["name"]?.string } == ["plantain"])
    #expect(banana.line == 15)
  }

  @Test func subTableOfImplicitArrayElement() throws {
    let table = try TOML.parse("[[a.b]]\nx = 1\n[a]\ny = 2\n[[a.b]]\nx = 2\n")
    #expect(table["a"]?.table?["y"] == .integer(2))
    #expect(table["a"]?.table?["b"]?.array?.count == 2)
  }
}

@Suite struct LineNumberTests {
  @Test func linesOfKeysAndHeaders() throws {
    let document = """
      title = "x"
      multi = \"\"\"
      one
      two\"\"\"
      after = 1

      [server]
      host = "a"
      nested = { port = 80, hosts = [ "a",
        "b" ], more = [
      ], tail = 1 }
      [server.tls]
      cert = 'c'
      [[rule]]
      id = "r1"
      [[rule]]
      id = "r2"
      dotted.key = 1
      """
    let table = try TOML.parse(document)
    #expect(table.line == 0)
    #expect(table.line(of: "title") == 1)
    #expect(table.line(of: "multi") == 2)
    #expect(table.line(of: "after") == 5)
    #expect(table.line(of: "server") == 7)
    #expect(table.line(of: "missing") == nil)
    let server = try #require(table["server"]?.table)
    #expect(server.line == 7)
    #expect(server.line(of: "host") == 8)
    #expect(server.line(of: "nested") == 9)
    #expect(server["nested"]?.table?.line(of: "hosts") == 9)
    #expect(server["nested"]?.table?.line(of: "more") == 10)
    #expect(server["nested"]?.table?.line(of: "tail") == 11)
    #expect(server.line(of: "tls") == 12)
    #expect(server["tls"]?.table?.line == 12)
    #expect(server["tls"]?.table?.line(of: "cert") == 13)
    #expect(table.line(of: "rule") == 14)
    let rules = try #require(table["rule"]?.array)
    #expect(rules.map { $0.table?.line } == [14, 16])
    #expect(rules[1].table?.line(of: "id") == 17)
    #expect(rules[1].table?.line(of: "dotted") == 18)
  }

  @Test func explicitHeaderAfterImplicitParentTakesItsLine() throws {
    let table = try TOML.parse("[a.b]\nx = 1\n\n[a]\ny = 2\n")
    #expect(table["a"]?.table?.line == 4)
    #expect(table.line(of: "a") == 4)
    #expect(table["a"]?.table?.line(of: "b") == 1)
  }
}

@Suite struct APITests {
  @Test func accessors() {
    #expect(TOMLValue.string("s").string == "s")
    #expect(TOMLValue.integer(1).string == nil)
    #expect(TOMLValue.integer(7).integer == 7)
    #expect(TOMLValue.integer(7).int == 7)
    #expect(TOMLValue.integer(7).double == 7.0)
    #expect(TOMLValue.float(0.5).double == 0.5)
    #expect(TOMLValue.float(0.5).integer == nil)
    #expect(TOMLValue.boolean(true).bool == true)
    #expect(TOMLValue.string("true").bool == nil)
    #expect(TOMLValue.datetime("1979-05-27").string == nil)
    #expect(TOMLValue.array([.string("a"), .integer(1)]).stringArray == nil)
    #expect(TOMLValue.array([.string("a")]).array == [.string("a")])
    #expect(TOMLValue.table(TOMLTable()).table == TOMLTable())
    #expect(TOMLValue.table(TOMLTable()).array == nil)
  }

  @Test func tableEditingKeepsOrder() {
    var table = TOMLTable()
    table["b"] = .integer(1)
    table["a"] = .integer(2)
    table["b"] = .integer(3)
    #expect(table.keys == ["b", "a"])
    #expect(table.entries.map(\.key) == ["b", "a"])
    #expect(table.entries.map(\.value) == [.integer(3), .integer(2)])
    table["b"] = nil
    #expect(table.keys == ["a"])
    #expect(table["b"] == nil)
    #expect(table.line(of: "a") == nil)
    #expect(table.line == 0)
  }

  @Test func equalityIgnoresOrderAndLines() throws {
    let first = try TOML.parse("a = 1\nb = 2\n")
    let second = try TOML.parse("\n\nb = 2\na = 1\n")
    #expect(first == second)
    #expect(first.keys != second.keys)
  }

  @Test func errorDescription() {
    let error = TOMLError(line: 3, column: 7, message: "duplicate key a")
    #expect(error.description == "line 3, column 7: duplicate key a")
    #expect("\(error)" == "line 3, column 7: duplicate key a")
  }
}
