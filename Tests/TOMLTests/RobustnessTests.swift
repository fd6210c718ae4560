import Testing
import TOML

/// A document touching every part of the grammar, so its prefixes and mutations reach every
/// branch of the parser in some half-finished state.
private let sampleDocument = #"""
  # This is a TOML document
  title = "TOML \"Example\" \u00E9\U0001F600"
  "quoted key" = 'literal \n'
  site."google.com".visits = 1_000

  [owner]
  name = "Tom Preston-Werner"
  dob = 1979-05-27T07:32:00-08:00
  local = 1979-05-27 07:32:00.999
  day = 1979-05-27
  at = 07:32:00

  [database]
  enabled = true
  ports = [ 8000, 8001, 8002, ]
  data = [ ["delta", "phi"], [3.14, -inf, nan, 6.02e+23] ]
  temp_targets = { cpu = 79.5, case.max = 72.0 }
  numbers = [0xDEAD_beef, 0o755, 0b1101, -17, +42, 5e-3]
  text = """
  Roses are red \
      Violets are blue ""
  """
  raw = '''
  C:\path\''
  '''

  [servers]

  [servers.alpha]
  ip = "10.0.0.1"
  role = "frontend"

  [[fruits]]
  name = "apple"
  [fruits.physical]
  color = "red"
  [[fruits.varieties]]
  name = "red delicious"
  [[fruits]]
  name = "banana"
  """#

/// Deterministic so a failure reproduces; a linear congruential generator is plenty for fuzzing.
private struct LCG {
  var state: UInt64

  mutating func next() -> UInt64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return state >> 33
  }

  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// Bytes that matter to the grammar, plus bytes that are never valid.
private let interestingBytes: [UInt8] =
  Array("[]{}\"'=.,#\\ \t\n\r0123456789eE_+-:TZxob\u{7F}azinf".utf8) + [0x00, 0x01, 0x80, 0xC3, 0xA9, 0xE2, 0xFF]

/// Parsing must end in a table or an error that points inside the document.
private func checkNoCrash(_ bytes: [UInt8]) {
  do {
    _ = try TOML.parse(bytes: bytes)
  } catch {
    let lines = bytes.filter { $0 == 0x0A }.count + 1
    #expect((1...lines).contains(error.line), "\(error)")
    #expect(error.column >= 1, "\(error)")
  }
}

@Suite struct RobustnessTests {
  @Test func sampleDocumentParses() throws {
    let table = try TOML.parse(sampleDocument)
    #expect(table["title"] == .string("TOML \"Example\" \u{E9}\u{1F600}"))
    #expect(table["database"]?.table?["text"] == .string("Roses are red Violets are blue \"\"\n"))
    #expect(table["database"]?.table?["raw"] == .string("C:\\path\\''\n"))
    #expect(table["fruits"]?.array?.count == 2)
    // Not the whole table: it holds a nan, which equals nothing.
    let fromBytes = try TOML.parse(bytes: Array(sampleDocument.utf8))
    #expect(fromBytes.keys == table.keys)
    #expect(fromBytes["fruits"] == table["fruits"])
  }

  @Test func everyPrefixOfADocument() {
    let bytes = Array(sampleDocument.utf8)
    for length in 0...bytes.count {
      checkNoCrash(Array(bytes[..<length]))
    }
  }

  @Test func mutatedDocuments() {
    var random = LCG(state: 0x5A17_A6E)
    let original = Array(sampleDocument.utf8)
    for _ in 0..<1_500 {
      var bytes = original
      for _ in 0..<(1 + random.below(4)) {
        let position = random.below(bytes.count)
        switch random.below(3) {
        case 0: bytes[position] = interestingBytes[random.below(interestingBytes.count)]
        case 1: bytes.insert(interestingBytes[random.below(interestingBytes.count)], at: position)
        default: bytes.remove(at: position)
        }
      }
      checkNoCrash(bytes)
    }
  }

  @Test func randomGarbage() {
    var random = LCG(state: 42)
    for _ in 0..<3_000 {
      let length = random.below(120)
      var bytes: [UInt8] = []
      for _ in 0..<length {
        // Mostly grammar bytes, sometimes any byte at all.
        bytes.append(random.below(8) == 0 ? UInt8(random.below(256)) : interestingBytes[random.below(interestingBytes.count)])
      }
      checkNoCrash(bytes)
      // Lines starting like a key/value or a header get further into the parser than pure noise.
      checkNoCrash(Array("a = ".utf8) + bytes)
      checkNoCrash(Array("[t]\nk = [".utf8) + bytes)
    }
  }

  @Test func megabyteDocumentParsesQuickly() throws {
    var entry = ""
    var document = ""
    var index = 0
    while document.utf8.count < 1_000_000 {
      entry = """
        [[package]]
        name = "crate-\(index)"
        version = "1.\(index).0"
        source = "registry+https://github.com/rust-lang/crates.io-index"
        checksum = 'a3f1c2b0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2'
        dependencies = [
         "serde 1.0.\(index)",
         "libc", # platform
        ]
        features = { default = ["std"], std.enabled = true }
        size = 12_345
        ratio = 0.5e3

        """
      document += entry
      index += 1
    }
    let clock = ContinuousClock()
    var table = TOMLTable()
    let elapsed = try clock.measure { table = try TOML.parse(document) }
    #expect(table["package"]?.array?.count == index)
    // A bound against blow-up (a parser quadratic in the input takes minutes on a megabyte), not a
    // speed test: the suite must not fail on a loaded machine (it took 1.1 s with three builds running).
    #expect(elapsed < .seconds(30), "1 MB took \(elapsed)")
  }
}
