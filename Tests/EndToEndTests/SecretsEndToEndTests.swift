import FixtureSupport
import Foundation
import Testing

/// The built `salvage` binary on the secrets fixtures: no output format ever shows a secret, the JSON
/// has the documented shape, and hostile input finishes.
@Suite struct SecretsEndToEndTests {
  static let repository: Result<String, any Error> = Result { try Fixture.build("secrets-history") }

  static func secrets(_ repo: String) throws -> [String: String] { try Fixture.writtenSecrets(repo) }

  /// Fails when `text` holds any secret whole, or any 8 consecutive characters of one (a preview shows
  /// at most 4).
  static func expectRedacted(_ text: String, _ secrets: [String: String], _ what: String) {
    for (name, secret) in secrets.sorted(by: { $0.key < $1.key }) {
      #expect(!text.contains(secret), "\(what) holds the secret \(name) whole")
      let characters = Array(secret)
      for start in stride(from: 0, through: characters.count - 8, by: 1) {
        let window = String(characters[start..<(start + 8)])
        if text.contains(window) {
          Issue.record("\(what) holds 8 characters of the secret \(name) at offset \(start)")
          break
        }
      }
    }
  }

  @Test func noOutputFormatShowsASecret() throws {
    let repo = try Self.repository.get()
    let secrets = try Self.secrets(repo)
    #expect(secrets.count >= 12)
    for format in ["json", "text"] {
      let out = try Fixture.salvage(["scan", repo, "--format", format])
      #expect(out.status == 0, "\(format): \(out.stderr)")
      #expect(out.stdout.contains("secret") || out.stdout.contains("Secret") || format == "text")
      Self.expectRedacted(out.stdout, secrets, "--format \(format) stdout")
      Self.expectRedacted(out.stderr, secrets, "--format \(format) stderr")
    }
    // Several formats at once, written to files.
    let folder = try Fixture.temporaryFolder("secrets-out")
    let out = try Fixture.salvage(["scan", repo, "--format", "json,text", "--output", folder + "/report"])
    #expect(out.status == 0, "\(out.stderr)")
    Self.expectRedacted(out.stdout + out.stderr, secrets, "json,text stdout and stderr")
    for ext in ["json", "txt"] {
      let text = try String(contentsOfFile: folder + "/report." + ext, encoding: .utf8)
      #expect(!text.isEmpty)
      Self.expectRedacted(text, secrets, "report.\(ext)")
    }
    // The text summary names the secrets it lists, by title and place only.
    let text = try Fixture.salvage(["scan", repo, "--format", "text"]).stdout
    #expect(text.contains("GitHub personal access token"))
    #expect(text.contains("config/settings.py:2"))
  }

  /// Issue 17's false alarms, as a repository: translation strings, a published emulator key, a
  /// template comment, a `.npmrc` without credentials, an expired JWT, a VCR cassette and a test RSA key only in
  /// history. None is a live credential: the secrets area is not marked down, nothing asks for a
  /// rotation before the deal, and each value is still listed with its reason.
  @Test func falseAlarmsSetNoGrade() throws {
    let script = #"""
      put web/src/locales/da.json '{\n  "password": "Adgangskode",\n  "passwordConfirm": "Gentag adgangskode"\n}\n'
      put docs/local-development.md 'AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;\n'
      put frontend/.npmrc 'legacy-peer-deps = true\n'
      put src/api/client.ts "const session = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtcmVwb3J0cyIsImlhdCI6MTYwMDAwMDAwMCwiZXhwIjoxNjAwMDAzNjAwfQ.U2lnbmF0dXJlT2ZUaGVUb2tlbkhlcmU';\n"
      put config/database.yml '#   postgres://myuser:mypass@localhost/somedatabase\n'
      put test/vcr_cassettes/stripe.yml "Authorization: Bearer sk""_live_Qm7vT2pLx9RkW3nB8cY5dZ1f\n"
      put test/test_helper.rb "-----BEGIN RSA PRIVATE KEY-----\nMIG9$(printf 'Qm7vT2pLx9RkW3nB8cY5dZ1fH6jK4sA0%.0s' 1 2 3 4 5 6 7 8 | head -c 252)\n-----END RSA PRIVATE KEY-----\n"
      commit "App with translations, docs and tests"
      remove test/test_helper.rb
      commit "Drop the old helper"
      """#
    let repo = try Fixture.build(script: script, name: "secrets-false-alarms")
    let out = try Fixture.salvage(["scan", repo, "--format", "json"])
    #expect(out.status == 0, "\(out.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    let metrics = try #require((document["analyzers"] as? [String: Any])?["secrets"] as? [String: Any])
    #expect(metrics["live"] as? Int == 0)
    #expect(metrics["historyOnly"] as? Int == 0)
    #expect(metrics["sensitiveFiles"] as? Int == 0, "a .npmrc without credentials is not sensitive")
    let byContext = try #require(metrics["byContext"] as? [String: Int])
    #expect(byContext["public"] == 1)
    #expect(byContext["test"] == 2)
    #expect(byContext["expired"] == 1, "a JWT whose exp (2020-09-13) is before the scan's date")
    let findings = (document["findings"] as? [[String: Any]] ?? []).filter { $0["analyzer"] as? String == "secrets" }
    #expect(findings.count == 4)
    #expect(findings.allSatisfy { ["low", "info"].contains($0["severity"] as? String ?? "") })
    let summary = try #require(document["summary"] as? [String: Any])
    let area = try #require((summary["areas"] as? [[String: Any]])?.first { $0["id"] as? String == "secrets" })
    #expect(area["score"] as? Int == 100)
    let actions = summary["actions"] as? [[String: Any]] ?? []
    #expect(!actions.contains { $0["horizon"] as? String == "before-deal" && ($0["text"] as? String ?? "").contains("Rotate") })
  }

  /// Public values by design and client tools' settings, as a repository: a `.env.development` whose
  /// only values are reCAPTCHA's test secret and a PostHog project key is no sensitive file and holds
  /// no live credential (both reported public, info); a HeidiSQL `portable_settings.txt` (a `.txt`,
  /// which the classifier files under docs) is a live credential, not a documentation example.
  @Test func publicValuesAndClientSettings() throws {
    let script = #"""
      put apps/web/.env.development "RECAPTCHA_SECRET_KEY=6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe\nNEXT_PUBLIC_POSTHOG_KEY=phc_$(printf 'Qm7vT2pLx9RkW3nB8cY5dZ1f%.0s' 1 2 | head -c 43)\nPORT=3000\n"
      put tools/HeidiSQL/portable_settings.txt 'Servers\\Prod\\Password<|||>1<|||>A35C9F0E1B7D2C4E6A8F0B1D7\n'
      commit "Settings"
      """#
    let repo = try Fixture.build(script: script, name: "secrets-public-and-clients")
    let out = try Fixture.salvage(["scan", repo, "--format", "json", "--analyzers", "secrets"])
    #expect(out.status == 0, "\(out.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    let metrics = try #require((document["analyzers"] as? [String: Any])?["secrets"] as? [String: Any])
    #expect(metrics["sensitiveFiles"] as? Int == 0, "published values alone do not make a .env sensitive")
    let findings = (document["findings"] as? [[String: Any]] ?? []).filter { $0["analyzer"] as? String == "secrets" }
    let contexts = findings.map { (($0["location"] as? [String: Any])?["path"] as? String ?? "", ($0["evidence"] as? [String: Any])?["context"] as? String ?? "", $0["severity"] as? String ?? "") }
    let env = contexts.filter { $0.0 == "apps/web/.env.development" }
    #expect(env.count == 2 && env.allSatisfy { $0.1 == "public" && $0.2 == "info" }, "\(contexts)")
    #expect(contexts.contains { $0.0 == "tools/HeidiSQL/portable_settings.txt" && $0.1 == "live" && $0.2 == "high" }, "\(contexts)")
    #expect(metrics["live"] as? Int == 1)
  }

  @Test func jsonHasTheDocumentedShape() throws {
    let repo = try Self.repository.get()
    let out = try Fixture.salvage(["scan", repo, "--format", "json", "--analyzers", "secrets"])
    #expect(out.status == 0, "\(out.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    let metrics = try #require((document["analyzers"] as? [String: Any])?["secrets"] as? [String: Any])
    for key in ["bySeverity", "byRule", "live", "historyOnly", "oldestUnrotated", "findings", "scanned", "limits"] {
      #expect(metrics[key] != nil, "analyzers.secrets.\(key) missing")
    }
    #expect((metrics["live"] as? Int ?? 0) > 0)
    #expect((metrics["historyOnly"] as? Int ?? 0) > 0)
    let findings = try #require(document["findings"] as? [[String: Any]])
    let secrets = findings.filter { $0["analyzer"] as? String == "secrets" }
    #expect(secrets.count == metrics["findings"] as? Int)
    for finding in secrets {
      let location = try #require(finding["location"] as? [String: Any])
      let evidence = try #require(finding["evidence"] as? [String: Any])
      #expect(location["path"] is String)
      #expect(location.keys.contains("line") && location.keys.contains("commit"))
      #expect(evidence["inHead"] is Bool)
      #expect((evidence["fingerprint"] as? String)?.count == 64)
      #expect(evidence.keys.contains("preview"))
      #expect(evidence["occurrences"] is Int)
      #expect(evidence["locations"] is [Any])
      #expect(((evidence["locations"] as? [Any])?.count ?? 0) <= 20)
      if evidence["kind"] as? String == "secret" {
        #expect(finding["rule"] is String)
        #expect((evidence["preview"] as? String)?.contains("chars)") == true)
        if evidence["inHead"] as? Bool == true {
          let first = try #require((evidence["locations"] as? [[String: Any]])?.first)
          #expect(first["path"] as? String == location["path"] as? String)
          #expect(first["line"] as? Int == location["line"] as? Int)
        }
      }
    }
  }

  @Test func sameRepositorySameBytes() throws {
    let repo = try Self.repository.get()
    let a = try Fixture.salvage(["scan", repo, "--format", "json", "--workers", "1"])
    let b = try Fixture.salvage(["scan", repo, "--format", "json", "--workers", "3"])
    #expect(a.status == 0 && b.status == 0)
    #expect(a.stdout == b.stdout)
  }

  /// A 10 MB single line, a long line at the tip, pathological strings for every rule keyword, binary
  /// and non-UTF-8 content: the scan ends with a report. Its work is bounded in
  /// `SecretsWorkTests.hostileInputWorkIsLinear`, not by a clock here (a shared machine's load made a
  /// time bound fail); `scripts/measure-hostile.sh` times this run.
  @Test func hostileInputFinishes() throws {
    let rules = Fixture.root.appendingPathComponent("rules/secrets").path
    let script = try String(contentsOf: Fixture.fixtures.appendingPathComponent("secrets-hostile.sh"), encoding: .utf8)
    let repo = try Fixture.build(script: "RULES_DIR='\(rules)'\n" + script, name: "secrets-hostile")
    let out = try Fixture.salvage(["scan", repo, "--format", "json", "--no-cache"])
    #expect(out.status == 0, "\(out.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: out.data) as? [String: Any])
    let metrics = try #require((document["analyzers"] as? [String: Any])?["secrets"] as? [String: Any])
    let scanned = try #require(metrics["scanned"] as? [String: Any])
    #expect((scanned["historyBytes"] as? Int ?? 0) > 10 << 20)
    #expect((scanned["longLines"] as? Int ?? 0) > 0)
    #expect((scanned["tipSkippedLarge"] as? Int ?? 0) >= 1)
  }
}
