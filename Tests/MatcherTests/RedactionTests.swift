import Matcher
import Testing

@Suite struct RedactionTests {
  @Test(arguments: [0, 1, 3, 4, 5, 8, 12, 16, 40, 100])
  func previewNeverHoldsTheWholeSecret(_ length: Int) {
    let alphabet = Array("Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0".utf8)
    let secret = (0..<length).map { alphabet[$0 % alphabet.count] }
    let preview = Redaction.preview(secret)
    #expect(preview.contains("(\(length) chars)"))
    if length > 0 {
      #expect(!preview.contains(String(decoding: secret, as: UTF8.self)))
      let shown = preview.prefix { $0 != "…" }
      #expect(shown.count * 4 <= length)
      if length < 16 { #expect(shown.isEmpty, "a secret under 16 characters shows only its length") }
    }
  }

  @Test func previewOfAKnownPrefix() {
    #expect(Redaction.preview(Array(("ghp_" + "Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0eG7u").utf8)) == "ghp_…(40 chars)")
  }

  @Test func fingerprintIsStableAndPerRule() {
    let secret = Array("Qm7vT2pLx9RkW3nB".utf8)
    let a = Redaction.fingerprint(rule: "github-pat", secret: secret)
    #expect(a == Redaction.fingerprint(rule: "github-pat", secret: secret))
    #expect(a != Redaction.fingerprint(rule: "generic-secret", secret: secret))
    #expect(a.count == 64)
    #expect(!a.contains("Qm7vT2"))
  }

  /// Fingerprints are SHA-256 of rule id, a zero byte and the secret; vectors from Python's hashlib.
  @Test func sha256KnownVectors() {
    #expect(Redaction.fingerprint(rule: "", secret: []) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    #expect(
      Redaction.fingerprint(rule: "a", secret: [UInt8](repeating: 0x61, count: 1000))
        == "995d8110b930dfeee3b5712b4104186cf41959c6b458388b234363056d69a3ec")
    #expect(
      Redaction.fingerprint(rule: "github-pat", secret: Array("Qm7vT2pLx9RkW3nB".utf8))
        == "8c1c20a4d749f6aa6c096f4f1f9a65b57dd86a494fe3d91f670b4536e42f9b99")
  }

  /// RFC 4231 test cases 1 and 6 (a key longer than the block), and a fingerprint keyed by a commit id;
  /// values from Python's hmac module.
  @Test func hmacKnownVectors() {
    func hex(_ bytes: [UInt8]) -> String { bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
    #expect(hex(HMAC.sha256(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
      == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    #expect(hex(HMAC.sha256(key: [UInt8](repeating: 0xaa, count: 131), message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
      == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    let root: [UInt8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67]
    let identity = Redaction.fingerprint(rule: "github-pat", secret: Array("Qm7vT2pLx9RkW3nB".utf8))
    #expect(Redaction.keyed(identity, key: root) == "fd12eccfc28bc65d8ff3d69216c001aaac6637231f40c17ecb180ba2a02b6aa9")
    #expect(Redaction.keyed(identity, key: root) != Redaction.keyed(identity, key: Array(root.reversed())))
  }
}
