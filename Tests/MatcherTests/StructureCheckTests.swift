import Foundation
import Testing

@testable import Matcher

/// The offline checks on known values: each computed independently (zlib, Python's base64 and json).
@Suite struct StructureCheckTests {
  /// The CRC-32 check value of the IEEE polynomial, and base62 as GitHub's token tails write it.
  @Test func crc32AndBase62() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(String(decoding: Base62.digits(0xCBF4_3926, width: 6), as: UTF8.self) == "3jZRME")
    #expect(Base62.value(Array("3jZRME".utf8)) == 0xCBF4_3926)
    #expect(Base62.value(Array("3jZRM-".utf8)) == nil)
  }

  @Test func githubTokenTail() {
    // zlib.crc32(b"JW7zQ5crXAH8izuNTdHp2ZBnCt0Ss7") in base62 is 0upK1t.
    // Joined here so that no line of the repository holds a token whose checksum holds.
    let good = Array(("ghp_" + "JW7zQ5crXAH8izuNTdHp2ZBnCt0Ss7" + "0upK1t").utf8)
    let bad = Array("ghp_JW7zQ5crXAH8izuNTdHp2ZBnCt0Ss71jbG67".utf8)
    #expect(StructureCheck.crc32Tail.verdict(good).kind == .valid)
    #expect(StructureCheck.crc32Tail.verdict(bad).failure == .checksum)
  }

  @Test func base64BothAlphabetsAndPadding() {
    #expect(Base64.decode(Array("aGVsbG8=".utf8)[...]) == Array("hello".utf8))
    #expect(Base64.decode(Array("aGVsbG8".utf8)[...]) == Array("hello".utf8))
    #expect(Base64.decode(Array("-_8".utf8)[...]) == [0xfb, 0xff])
    #expect(Base64.decode(Array("aGVsb".utf8)[...]) == nil)
    #expect(Base64.decode(Array("aGV*bG8=".utf8)[...]) == nil)
    #expect(PercentEncoding.decode(Array("a%3Db%2F".utf8)) == Array("a=b/".utf8))
    #expect(PercentEncoding.decode(Array("a%3".utf8)) == nil)
  }

  /// A DER SEQUENCE in long form (30 82 01 1c: 284 bytes follow) is a key body; one byte short is not.
  @Test func pemBodies() {
    let body = [0x30, 0x82, 0x01, 0x1c] + [UInt8](repeating: 0x41, count: 284)
    let text = Array(Data(body).base64EncodedString().utf8)
    #expect(StructureCheck.pem.verdict(text).kind == .valid)
    let short = Array(Data(body.dropLast(3)).base64EncodedString().utf8)
    #expect(StructureCheck.pem.verdict(short).failure == .pemBody)
    #expect(StructureCheck.pem.verdict(Array("Proc-Type:4,ENCRYPTED".utf8)).kind == .unchecked)
    let openssh = Array(Data(Array("openssh-key-v1".utf8) + [0] + [UInt8](repeating: 7, count: 40)).base64EncodedString().utf8)
    #expect(StructureCheck.pem.verdict(openssh).kind == .valid)
  }

  @Test func jwtAlgorithmAndExpiry() {
    // {"alg":"HS256","typ":"JWT"} . {"sub":"svc-reports","iat":1700000000,"exp":4102444800}
    let valid = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtcmVwb3J0cyIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.c2lnbmF0dXJl"
    #expect(StructureCheck.jwt.verdict(Array(valid.utf8)) == SecretVerdict(kind: .valid, detail: 4_102_444_800))
    // {"alg":"none","typ":"JWT"}
    let unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJzdmMtcmVwb3J0cyIsImlhdCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJl"
    #expect(StructureCheck.jwt.verdict(Array(unsigned.utf8)).failure == .jwtUnsigned)
    #expect(StructureCheck.jwt.verdict(Array("eyJub3Rqc29u.eyJhIjoxfQ.c2ln".utf8)).failure == .jwtMalformed)
  }

  @Test func naturalLanguageValues() {
    func natural(_ text: String) -> Bool { Array(text.utf8).withUnsafeBytes { FalseAlarm.isNaturalLanguage($0) } }
    for word in ["Adgangskode", "Contraseña", "Пароль", "パスワード", "mot-de-passe", "PASSWORD", "Parola d'ordine"] {
      #expect(natural(word), "\(word)")
    }
    for value in ["Hunter2024!", "aDgAnGsKoDe", "Qm7vT2pLx9Rk", "x", "pass_word"] { #expect(!natural(value), "\(value)") }
  }
}
