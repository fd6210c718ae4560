import Foundation
import Matcher
import Testing

/// A hand-written corpus of the cases issue 17 names, each with the verdict a person reading the line
/// would give: natural-language values in many languages, published emulator and documentation keys,
/// template placeholders, test and fixture folders, OAuth client secrets in hex, base64- and
/// percent-encoded tokens, and the credential files of common client tools. Values are written with
/// the rule files' generators (`$[an:16]`, `$[crc:30]` for a token whose checksum holds), so no line
/// here looks like a live key; encoded cases are encoded at test time.
@Suite struct SecretCorpusTests {
  enum Expect: Sendable, CustomStringConvertible {
    /// A live credential, found by one of these rules.
    case credential([String])
    /// Found, in a test or fixture path (never counted as live).
    case test([String])
    /// Found as a value its vendor publishes.
    case published
    /// Found, but its format's own check fails.
    case placeholder
    /// Nothing at all.
    case silent
    /// Nothing that counts as a live credential (silent, published or placeholder are all fine).
    case notLive

    var description: String {
      switch self {
      case .credential(let r): return "credential \(r)"
      case .test(let r): return "test \(r)"
      case .published: return "public"
      case .placeholder: return "placeholder"
      case .silent: return "silent"
      case .notLive: return "not live"
      }
    }

    var isPositive: Bool { if case .credential = self { return true } else { return false } }
  }

  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let path: String
    let text: String
    let expect: Expect
    var testDescription: String { "\(name) (\(path)): \(expect)" }
  }

  /// Encodings done at test time, after the generators are expanded.
  static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
  static func percent(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
  }
  static func expand(_ text: String) -> String { (try? ExampleText.expand(text)) ?? text }

  static let naturalLanguage: [Case] = [
    ("da", "Adgangskode"), ("de", "Kennwort"), ("fr", "Mot de passe"), ("es", "Contraseña"), ("pt", "Palavra-passe"),
    ("it", "Parola d'ordine"), ("nl", "Wachtwoord"), ("pl", "Hasło"), ("ru", "Пароль"), ("ja", "パスワード"),
    ("zh", "密码确认"), ("tr", "Şifre"), ("fi", "Salasana"), ("el", "Κωδικός"), ("ar", "كلمة"), ("sv", "Lösenordet"),
  ].flatMap { language, word in
    [
      Case(name: "\(language) translation file", path: "web/src/locales/\(language).json", text: "  \"password\": \"\(word)\",\n",
           expect: .silent),
      Case(name: "\(language) label in code", path: "app/ui/labels_\(language).json",
           text: "  \"password\": \"\(word)\",\n  \"apiToken\": \"\(word)\"\n", expect: .silent),
    ]
  } + [
    Case(name: "Rails locale", path: "config/locales/da.yml", text: "da:\n  devise:\n    password: Adgangskode\n", expect: .silent),
    Case(name: "iOS strings", path: "App/da.lproj/Localizable.strings", text: "\"password\" = \"Adgangskode\";\n", expect: .silent),
    Case(name: "gettext", path: "po/da.po", text: "msgid \"Password\"\nmsgstr \"Adgangskode\"\n", expect: .silent),
    Case(name: "a real password beside labels", path: "app/ui/labels.json",
         text: "  \"password\": \"$[an:6]4!$[an:5]\",\n", expect: .credential(["generic-password"])),
  ]

  static let published: [Case] = [
    Case(name: "Azurite connection string", path: "docs/local.md",
         text: "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;\n",
         expect: .published),
    Case(name: "Cosmos DB emulator", path: "src/Api/appsettings.Development.json",
         text: "\"Cosmos\": \"AccountEndpoint=https://localhost:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==\"\n",
         expect: .published),
    Case(name: "AWS documentation keys", path: "docs/deploy.md",
         text: "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", expect: .published),
    Case(name: "LocalStack", path: "docker-compose.yml",
         text: "    environment:\n      - AWS_ACCESS_KEY_ID=test\n      - AWS_SECRET_ACCESS_KEY=test\n      - AWS_ACCOUNT=000000000000\n",
         expect: .notLive),
    Case(name: "MinIO default", path: "docker-compose.yml", text: "      MINIO_ROOT_PASSWORD: minioadmin\n", expect: .published),
    Case(name: "Stripe documentation key", path: "README.md", text: "Stripe.api_key = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'\n", expect: .published),
    Case(name: "reCAPTCHA test secret", path: ".env.development",
         text: "RECAPTCHA_SECRET_KEY=6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe\n", expect: .published),
    Case(name: "jwt.io sample", path: "docs/api.md",
         text: "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n",
         expect: .published),
    Case(name: "PostHog project key in .env", path: "apps/web/.env.production",
         text: "NEXT_PUBLIC_POSTHOG_KEY=phc_$[an:43#ph]\nNEXT_PUBLIC_POSTHOG_HOST=https://eu.i.posthog.com\n", expect: .published),
    Case(name: "PostHog project key in code", path: "src/analytics.ts",
         text: "posthog.init('phc_$[an:43#ph2]', { api_host: 'https://eu.i.posthog.com' });\nconst posthogKey = \"phc_$[an:43#ph2]\";\n",
         expect: .published),
    Case(name: "a PostHog personal API key", path: "scripts/export.py", text: "POSTHOG_PERSONAL_API_KEY = \"phx_$[an:43#phx]\"\n",
         expect: .credential(["posthog-personal-api-key"])),
    Case(name: "a Stripe test-mode key", path: "config/stripe.yml", text: "secret_key: sk_test_$[an:24]\n", expect: .test(["stripe-test-key"])),
    Case(name: "a Braintree sandbox token", path: "config/payments.yml",
         text: "braintree_token: access_token$sandbox$$[lod:16#bt]$$[hex:32#bt]\n", expect: .test(["braintree-sandbox-token"])),
    Case(name: "a Plaid sandbox token", path: "app/services/plaid.rb",
         text: "TOKEN = \"access-sandbox-$[hex:8#pl]-$[hex:4#pl]-$[hex:4#pl2]-$[hex:4#pl3]-$[hex:12#pl]\"\n", expect: .test(["plaid-sandbox-token"])),
    Case(name: "a Plaid production token", path: "app/services/plaid.rb",
         text: "TOKEN = \"access-production-$[hex:8#pp]-$[hex:4#pp]-$[hex:4#pp2]-$[hex:4#pp3]-$[hex:12#pp]\"\n",
         expect: .credential(["plaid-access-token"])),
  ]

  static let placeholders: [Case] = [
    Case(name: "Rails database.yml template comment", path: "config/database.yml",
         text: "# On Heroku and other platforms the URL looks like\n#   postgres://myuser:mypass@localhost/somedatabase\n", expect: .silent),
    Case(name: "development compose file", path: "deploy/docker-compose.dev.yml",
         text: "      NEXT_PRIVATE_DATABASE_URL: postgresql://documenso:devpassword@postgres:5432/documenso\n      NEXTAUTH_SECRET: 'dev-secret-do-not-use-in-production'\n",
         expect: .silent),
    Case(name: "angle brackets", path: "config/app.yml", text: "password: <password>\napi_key: <your-api-key>\n", expect: .silent),
    Case(name: "changeme", path: "settings.py", text: "API_KEY = \"changeme\"\nDB_PASSWORD = \"changeme\"\n", expect: .silent),
    Case(name: "environment references", path: ".env", text: "DB_PASSWORD=${DB_PASSWORD}\nAPI_TOKEN=$API_TOKEN\n", expect: .silent),
    Case(name: "x runs", path: "config/app.yml", text: "token: xxxxxxxxxxxxxxxxxxxx\nsecret: \"XXXXXXXXXXXXXXXX\"\n", expect: .silent),
    Case(name: "your-secret-here", path: ".env.example", text: "SECRET_KEY=your-secret-key-here\n", expect: .silent),
    Case(name: "README token instructions", path: "README.md", text: "export GITHUB_TOKEN=ghp_<your token>\n", expect: .silent),
    Case(name: "made-up GitHub token", path: "docs/ci.md", text: "GITHUB_TOKEN=ghp_$[an:36#doc]\n", expect: .placeholder),
    Case(name: "truncated key in docs", path: "docs/tls.md",
         text: "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA$[b64:48]\n$[b64:64]\n-----END RSA PRIVATE KEY-----\n", expect: .placeholder),
    Case(name: "unsigned JWT", path: "src/auth.ts",
         text: "const t = 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJzdmMtcmVwb3J0cyIsImlhdCI6MTcwMDAwMDAwMH0.$[b64u:43]';\n",
         expect: .placeholder),
  ]

  /// A 288-byte DER SEQUENCE (30 82 01 1c and 284 bytes), as base64 lines.
  static let derKey = "MIIBHE$[b64:58]\n$[b64:64#1]\n$[b64:64#2]\n$[b64:64#3]\n$[b64:64#4]\n$[b64:64#5]"

  static let fixtures: [Case] = [
    Case(name: "VCR cassette", path: "test/vcr_cassettes/github_user.yml",
         text: "    headers:\n      Authorization:\n      - token ghp_$[crc:30#vcr]\n", expect: .test(["github-pat"])),
    Case(name: "fixture JSON", path: "spec/fixtures/stripe_charge.json", text: "{\"key\": \"sk_live_$[an:24#fx]\"}\n",
         expect: .test(["stripe-secret-key"])),
    Case(name: "seeds", path: "db/seeds.rb", text: "User.create!(email: \"admin@acme.io\", password: \"$[an:10]7$[an:4]\")\n",
         expect: .test(["generic-password"])),
    Case(name: "cypress e2e", path: "cypress/e2e/login.cy.ts", text: "const password = \"$[an:12#cy]\";\n", expect: .test(["generic-password"])),
    Case(name: "test helper key", path: "test/test_helper.rb",
         text: "KEY = <<~PEM\n-----BEGIN RSA PRIVATE KEY-----\n\(derKey)\n-----END RSA PRIVATE KEY-----\nPEM\n",
         expect: .test(["private-key-rsa"])),
    Case(name: "Jest test", path: "src/__tests__/client.test.ts", text: "const token = 'xoxb-$[d:11]-$[d:12]-$[an:24]';\n",
         expect: .test(["slack-bot-token"])),
    Case(name: "git-style t/ script", path: "t/t5550-http-fetch.sh",
         text: "git clone https://deploy:$[an:16#t]@git.acme.io/repo.git\n", expect: .test(["http-basic-auth-url"])),
    Case(name: "factory", path: "spec/factories/users.rb", text: "    password { \"$[an:12#fac]\" }\n", expect: .notLive),
    Case(name: "example app", path: "examples/express/app.js", text: "const stripe = require('stripe')('sk_live_$[an:24#ex]');\n",
         expect: .test(["stripe-secret-key"])),
  ]

  static let hexSecrets: [Case] = [
    Case(name: "GitHub OAuth clientSecret", path: "config/default.json", text: "  \"clientSecret\": \"$[hex:40#o1]\",\n",
         expect: .credential(["oauth-client-secret-hex", "generic-secret"])),
    Case(name: "GitHub OAuth client secret in .env", path: ".env", text: "GITHUB_CLIENT_SECRET=$[hex:40#o2]\n",
         expect: .credential(["oauth-client-secret-hex", "env-secret"])),
    Case(name: "64-hex client secret", path: "app/settings.py", text: "CLIENT_SECRET = \"$[hex:64#o3]\"\n",
         expect: .credential(["oauth-client-secret-hex", "generic-secret"])),
    Case(name: "api_key of 40 hex", path: "src/client.py", text: "api_key = \"$[hex:40#o4]\"\n", expect: .credential(["generic-secret"])),
    Case(name: "commit id", path: "deploy/release.json", text: "  \"commit\": \"$[hex:40#c1]\",\n  \"sha256\": \"$[hex:64#c2]\"\n",
         expect: .silent),
    Case(name: "pinned action", path: ".github/workflows/ci.yml", text: "      - uses: actions/checkout@$[hex:40#c3]\n", expect: .silent),
    Case(name: "secret_commit decoy", path: "src/ids.py", text: "secret_commit = \"$[hex:40#c4]\"\n", expect: .silent),
  ]

  static var encoded: [Case] {
    let token = expand("ghp_$[crc:30#enc]")
    let npm = expand("npm_$[crc:30#enc]")
    let password = expand("$[an:18#enc]")
    return [
      Case(name: "base64 URL parameter", path: "web/src/redirect.ts",
           text: "const next = \"https://app.acme.io/oauth/done?state=\(percent(base64(token)))&lang=en\";\n",
           expect: .credential(["github-pat"])),
      Case(name: "base64 JSON blob", path: "config/bootstrap.yml", text: "payload: \(base64("{\"registry\": {\"token\": \"\(npm)\"}}"))\n",
           expect: .credential(["npm-token"])),
      Case(name: "percent-encoded credential URL", path: "nginx/redirects.conf",
           text: "return 302 https://sso.acme.io/login?return=\(percent("https://deploy:\(password)@git.acme.io/repo"));\n",
           expect: .credential(["http-basic-auth-url"])),
      Case(name: "base64 of plain text", path: "web/src/links.ts",
           text: "const u = \"https://app.acme.io/?state=\(percent(base64("hello, nothing to see in this state at all")))\";\n",
           expect: .silent),
    ]
  }

  static let clients: [Case] = [
    Case(name: "FileZilla sitemanager.xml", path: "home/ops/.config/filezilla/sitemanager.xml",
         text: "<Server>\n  <Host>ftp.acme.io</Host>\n  <User>deploy</User>\n  <Pass encoding=\"base64\">$[b64:20#fz]=</Pass>\n</Server>\n",
         expect: .credential(["filezilla-password"])),
    Case(name: "FileZilla recentservers.xml", path: "AppData/FileZilla/recentservers.xml", text: "    <Pass>$[an:12#fz]</Pass>\n",
         expect: .credential(["filezilla-password"])),
    Case(name: "WinSCP.ini", path: "tools/WinSCP.ini", text: "[Sessions\\deploy@ftp]\nHostName=ftp.acme.io\nPassword=A35C$[HEX:60#ws]\n",
         expect: .credential(["winscp-password", "env-password"])),
    Case(name: "Sublime SFTP", path: "sftp-config.json", text: "    \"password\": \"$[an:14#sf]\",\n",
         expect: .credential(["ftp-client-config-password", "generic-password"])),
    Case(name: "DBeaver data-sources.json", path: "workspace6/General/.dbeaver/data-sources.json",
         text: "        \"password\": \"$[an:14#db]\",\n", expect: .credential(["dbeaver-datasource-password", "generic-password"])),
    Case(name: "Robo 3T", path: "home/ops/.3T/robo-3t/1.4.3/robo3t.json", text: "    \"userPassword\" : \"$[an:16#rb]\",\n",
         expect: .credential(["robomongo-password", "generic-password"])),
    Case(name: "HeidiSQL", path: "HeidiSQL/portable_settings.txt", text: "Servers\\Prod\\Password<|||>1<|||>$[HEX:24#hd]7\n",
         expect: .credential(["heidisql-password"])),
    Case(name: "Navicat export", path: "backup/prod.ncx",
         text: "<Connection ConnectionName=\"prod\" UserName=\"app\" Password=\"$[HEX:32#nv]\"/>\n", expect: .credential(["navicat-password"])),
    Case(name: ".pgpass", path: "home/ops/.pgpass", text: "db.internal:5432:*:app:$[an:20#pg]\n", expect: .credential(["pgpass-password"])),
    Case(name: ".my.cnf", path: "home/ops/.my.cnf", text: "[client]\nuser=backup\npassword=$[an:16#my]\n", expect: .credential(["env-password"])),
    Case(name: ".netrc", path: "home/ops/.netrc", text: "machine api.acme.io login ops password $[an:20#nr]\n",
         expect: .credential(["netrc-credential", "netrc-password"])),
    Case(name: "Heroku .netrc", path: "home/dev/.netrc",
         text: "machine api.heroku.com\n  login dev@acme.io\n  password $[hex:8#h]-$[hex:4#h]-$[hex:4#h2]-$[hex:4#h3]-$[hex:12#h]\n",
         expect: .credential(["netrc-password", "heroku-api-key"])),
    Case(name: ".git-credentials", path: "home/dev/.git-credentials", text: "https://dev:$[an:40#gc]@github.com\n",
         expect: .credential(["http-basic-auth-url"])),
    Case(name: ".docker/config.json", path: "home/ci/.docker/config.json",
         text: "{\n  \"auths\": {\n    \"registry.acme.io\": {\n      \"auth\": \"$[b64:28#dk]\"\n    }\n  }\n}\n",
         expect: .credential(["docker-config-auth"])),
    Case(name: ".npmrc _authToken", path: "frontend/.npmrc", text: "//npm.acme.io/:_authToken=$[an:40#np]\n",
         expect: .credential(["npmrc-auth"])),
    Case(name: ".pypirc", path: "home/ops/.pypirc", text: "[pypi]\nusername = ops\npassword = $[an:16#pp]\n",
         expect: .credential(["env-password"])),
    Case(name: "rclone.conf", path: "home/ops/.config/rclone/rclone.conf", text: "[s3]\ntype = s3\nsecret_access_key = $[b64:40#rc]\n",
         expect: .credential(["rclone-credential", "aws-secret-access-key"])),
    Case(name: ".s3cfg", path: "home/ops/.s3cfg", text: "[default]\naccess_key = AKIA$[up27:16#s3]\nsecret_key = $[b64:40#s3]\n",
         expect: .credential(["s3cfg-credential", "aws-access-key-id"])),
    Case(name: "kubeconfig", path: "ops/kube/config", text: "users:\n- name: admin\n  user:\n    token: $[b64u:60#kc]\n",
         expect: .credential(["kubeconfig-credential"])),
    Case(name: "gh hosts.yml (40 hex)", path: "home/dev/.config/gh/hosts.yml",
         text: "github.com:\n    user: dev\n    oauth_token: $[hex:40#gh]\n", expect: .credential(["cli-oauth-token"])),
    Case(name: "hcloud cli.toml", path: "home/dev/.config/hcloud/cli.toml", text: "[[contexts]]\n  name = \"prod\"\n  token = \"$[an:64#hc]\"\n",
         expect: .credential(["cli-oauth-token", "env-secret"])),
    Case(name: "doctl", path: "home/dev/.config/doctl/config.yaml", text: "access-token: dop_v1_$[hex:64#do]\n",
         expect: .credential(["digitalocean-token"])),
    Case(name: "Asterisk sip.conf", path: "etc/asterisk/sip.conf", text: "[101]\ntype=friend\nsecret=$[an:14#sip]\n",
         expect: .credential(["sip-account-password"])),
    Case(name: "pjsip.conf", path: "etc/asterisk/pjsip.conf", text: "[101-auth]\ntype=auth\nauth_type=userpass\npassword=$[an:16#pj]\n",
         expect: .credential(["sip-account-password", "env-password"])),
    Case(name: "Source server.cfg", path: "csgo/cfg/server.cfg", text: "hostname \"Acme\"\nrcon_password \"$[an:14#rcon]\"\n",
         expect: .credential(["game-server-rcon-password"])),
    Case(name: "Minecraft server.properties", path: "minecraft/server.properties", text: "enable-rcon=true\nrcon.password=$[an:12#mc]\n",
         expect: .credential(["game-server-rcon-password", "env-password"])),
    Case(name: "msmtp", path: "home/ops/.msmtprc", text: "account default\nhost smtp.acme.io\nuser ops\npassword $[an:16#ms]\n",
         expect: .credential(["msmtp-password"])),
    Case(name: "mutt", path: "home/ops/.muttrc", text: "set smtp_url = \"smtp://ops@smtp.acme.io:587/\"\nset smtp_pass = \"$[an:16#mu]\"\n",
         expect: .credential(["mutt-password"])),
    Case(name: "ssmtp", path: "etc/ssmtp/ssmtp.conf", text: "AuthUser=ops\nAuthPass=$[an:14#ss]\n",
         expect: .credential(["ssmtp-password", "env-password"])),
    Case(name: "AWS credentials file", path: "home/ops/.aws/credentials",
         text: "[default]\naws_access_key_id = AKIA$[up27:16#aw]\naws_secret_access_key = $[b64:40#aw]\n",
         expect: .credential(["aws-secret-access-key", "aws-access-key-id"])),
    Case(name: "Aliyun CLI", path: "home/dev/.aliyun/config.json", text: "      \"access_key_secret\": \"$[an:30#ali]\",\n",
         expect: .credential(["cloud-cli-secret", "generic-secret"])),
    Case(name: "OpenStack clouds.yaml", path: "etc/openstack/clouds.yaml", text: "    auth:\n      password: $[an:16#os]\n",
         expect: .credential(["cloud-cli-secret", "env-password"])),
    Case(name: "Composer auth.json", path: "home/dev/.config/composer/auth.json",
         text: "{\n  \"github-oauth\": { \"github.com\": \"$[hex:40#cp]\" }\n}\n", expect: .credential(["composer-auth-github-oauth"])),
    Case(name: ".gitconfig github token", path: "home/dev/.gitconfig", text: "[github]\n\tuser = dev\n\ttoken = $[hex:40#gcf]\n",
         expect: .credential(["cli-oauth-token"])),
    Case(name: "mailx", path: "home/ops/.mailrc", text: "set smtp=smtps://smtp.acme.io:465\nset smtp-auth-password=$[an:14#mx]\n",
         expect: .credential(["mailx-password"])),
    Case(name: "Sequel Pro favourite", path: "home/dev/favorites/prod.spf",
         text: "<dict>\n\t<key>host</key>\n\t<string>db.acme.io</string>\n\t<key>password</key>\n\t<string>$[an:16#spf]</string>\n</dict>\n",
         expect: .credential(["plist-secret"])),
    Case(name: "Valheim launcher", path: "start_server.sh",
         text: "./valheim_server.x86_64 -name \"Acme\" -port 2456 -world \"Dedicated\" -password \"$[an:12#vh]\"\n",
         expect: .credential(["game-server-launch-password"])),
    Case(name: "Terraform CLI credentials", path: "home/dev/.terraform.d/credentials.tfrc.json",
         text: "{\"credentials\": {\"app.terraform.io\": {\"token\": \"$[an:14#tf].atlasv1.$[an:67#tf]\"}}}\n",
         expect: .credential(["terraform-cloud-token"])),
  ]

  static var cases: [Case] { naturalLanguage + published + placeholders + fixtures + hexSecrets + encoded + clients }

  static func verdicts(_ c: Case) throws -> [(rule: String, match: SecretMatch)] {
    let matcher = try RuleCorpus.matcher
    let text = expand(c.text)
    return matcher.scan(Array(text.utf8), path: Array(c.path.utf8), scratch: matcher.makeScratch()).map {
      (matcher.rules[$0.rule].id, $0)
    }
  }

  /// What counts as a live credential: found, not in a test path, no sandbox rule, not published, not a
  /// placeholder by its format's check.
  static func isLive(_ rule: String, _ m: SecretMatch) -> Bool {
    let sandbox = (try? RuleCorpus.matcher)?.rules.first { $0.id == rule }?.context == "test"
    return !m.inTestPath && !sandbox && (m.verdict.kind == .unchecked || m.verdict.kind == .valid)
  }

  @Test(arguments: SecretCorpusTests.cases)
  func corpusCase(_ c: Case) throws {
    let found = try Self.verdicts(c)
    let rules = found.map(\.rule)
    switch c.expect {
    case .credential(let accepted):
      #expect(found.contains { accepted.contains($0.rule) && Self.isLive($0.rule, $0.match) },
              "expected a live credential by \(accepted), found \(rules)")
    case .test(let accepted):
      #expect(found.contains { accepted.contains($0.rule) }, "expected \(accepted), found \(rules)")
      #expect(found.allSatisfy { !Self.isLive($0.rule, $0.match) }, "a test value counted as live: \(rules)")
    case .published:
      #expect(!found.isEmpty && found.allSatisfy { $0.match.verdict.kind == .publicValue }, "expected public values, found \(rules)")
    case .placeholder:
      #expect(!found.isEmpty && found.allSatisfy { $0.match.verdict.kind == .placeholder }, "expected placeholders, found \(rules)")
    case .silent:
      #expect(found.isEmpty, "expected nothing, found \(rules)")
    case .notLive:
      #expect(found.allSatisfy { !Self.isLive($0.rule, $0.match) }, "expected nothing live, found \(rules)")
    }
  }

  /// Precision and recall of "live credential" over the whole corpus: every positive case must be
  /// found live, and no other case may yield a live credential.
  @Test func precisionAndRecall() throws {
    var truePositives = 0, falseNegatives = 0, falsePositives = 0
    for c in Self.cases {
      let live = try Self.verdicts(c).filter { Self.isLive($0.rule, $0.match) }
      if c.expect.isPositive {
        if live.isEmpty { falseNegatives += 1 } else { truePositives += 1 }
      } else if !live.isEmpty {
        falsePositives += 1
      }
    }
    let precision = Double(truePositives) / Double(max(1, truePositives + falsePositives))
    let recall = Double(truePositives) / Double(max(1, truePositives + falseNegatives))
    print("secret corpus: \(Self.cases.count) cases, \(truePositives + falseNegatives) live credentials; precision \(precision), recall \(recall)")
    #expect(falsePositives == 0)
    #expect(falseNegatives == 0)
  }

  /// Writes the corpus out, one folder per case (`NNN/` and the case's path) and `manifest.json`, for
  /// `benchmarks/secrets-peers.py`, which runs the peers on the same files: into
  /// `$SALVAGE_SECRET_CORPUS_DIR` when set, else into a temporary folder, read back here.
  @Test func corpusWritesOutWhole() throws {
    let folder = ProcessInfo.processInfo.environment["SALVAGE_SECRET_CORPUS_DIR"]
      ?? FileManager.default.temporaryDirectory.appendingPathComponent("secret-corpus-\(UUID().uuidString)").path
    var manifest: [[String: Any]] = []
    for (index, c) in Self.cases.enumerated() {
      let relative = String(format: "%03d/", index) + c.path
      let url = URL(fileURLWithPath: folder).appendingPathComponent(relative)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(Self.expand(c.text).utf8).write(to: url)
      var entry: [String: Any] = ["case": index, "name": c.name, "file": relative, "path": c.path]
      switch c.expect {
      case .credential(let rules): entry["expect"] = "credential"; entry["rules"] = rules
      case .test(let rules): entry["expect"] = "test"; entry["rules"] = rules
      case .published: entry["expect"] = "public"
      case .placeholder: entry["expect"] = "placeholder"
      case .silent: entry["expect"] = "silent"
      case .notLive: entry["expect"] = "not-live"
      }
      manifest.append(entry)
    }
    let data = try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: folder).appendingPathComponent("manifest.json"))
    let back = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))) as? [[String: Any]])
    #expect(back.count == Self.cases.count)
    let last = try String(contentsOfFile: folder + "/" + (back.last?["file"] as? String ?? ""), encoding: .utf8)
    #expect(last == Self.expand(Self.cases.last!.text))
  }

  /// Configuration files that hold credentials only sometimes are sensitive only when they do.
  @Test(arguments: [
    ("frontend/.npmrc", "legacy-peer-deps = true\n", nil),
    ("frontend/.npmrc", "//npm.acme.io/:_authToken=$[an:40]\n", "npmrc-with-credentials"),
    ("home/ops/.aws/config", "[default]\nregion = eu-west-1\n", nil),
    ("home/ci/.docker/config.json", "{\"credsStore\": \"desktop\"}\n", nil),
    ("home/ci/.docker/config.json", "{\"auths\": {\"r.acme.io\": {\"auth\": \"$[b64:28]\"}}}\n", "docker-config-with-auth"),
    ("home/dev/.config/gh/hosts.yml", "github.com:\n    oauth_token: $[hex:40]\n", "gh-cli-hosts-with-token"),
    ("home/ops/.pypirc", "[distutils]\nindex-servers = pypi\n", nil),
    ("home/ops/.my.cnf", "[mysql]\nauto-rehash\n", nil),
    ("AppData/FileZilla/sitemanager.xml", "<FileZilla3/>\n", "browser-or-client-secrets"),
    (".env.development", "RECAPTCHA_SECRET_KEY=6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe\n", nil),
    (".env.development", "NEXT_PUBLIC_POSTHOG_KEY=phc_$[an:43]\nAPI_URL=http://localhost:3000\n", nil),
    (".env.development", "RECAPTCHA_SECRET_KEY=6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe\nMAIL_PASSWORD=$[an:14]\n", "dotenv-file"),
  ] as [(String, String, String?)])
  func sensitiveFileByContent(_ path: String, _ content: String, _ expected: String?) throws {
    let matcher = try RuleCorpus.matcher
    let bytes = Array(Self.expand(content).utf8)
    let rule = bytes.withUnsafeBytes { matcher.sensitiveFile(path: Array(path.utf8), content: $0, scratch: matcher.makeScratch()) }
    #expect(rule?.id == expected)
  }
}
