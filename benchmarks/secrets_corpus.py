"""A labelled corpus for the secrets benchmarks, generated at run time (no key-like literal is stored).

`generate(out)` writes `out/tree/` (realistic files: configs, code, scripts, dumps, credential files,
docs, lockfiles, bundles) and `out/labels.json`, one label per line of interest:

    {"path": "tree-relative path", "line": 1-based, "family": "...", "type": "...", "truth": true|false}

`truth: true` is a real-looking credential in the format its provider issues; `truth: false` a decoy
(templates, placeholders, environment and secret-manager references, documentation examples,
lockfile hashes, UUIDs, commit ids, inline images, minified code, public keys, identifiers). A report
on any other line counts as a false alarm too. Files sensitive by name are listed in `files`.

Values come from a seeded generator, so the corpus is the same on every run.
"""

import base64
import hashlib
import json
import os
import random
import shutil
import string

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DIG = string.digits
AN = UP + LO + DIG
HEX = "0123456789abcdef"
B64 = AN + "+/"
B64U = AN + "-_"


class Corpus:
    def __init__(self, seed=20261125):
        self.rng = random.Random(seed)
        self.files = {}  # path -> list of lines
        self.labels = []
        self.sensitive_files = []

    # -- values ------------------------------------------------------------------------------
    def r(self, alphabet, n):
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def word(self):
        return self.rng.choice(["orders", "billing", "users", "search", "catalog", "payments", "auth", "mailer",
                                "reports", "inventory", "gateway", "ledger", "shipping", "notify", "profile"])

    def host(self):
        return self.rng.choice(["db.internal", "10.0.3.17", "prod-db.acme.io", "pg-main.eu-west-1.rds.amazonaws.com",
                                "mongo0.cluster.acme.net", "cache.acme.local", "mq.acme.io", "smtp.mailhost.com"])

    def password(self):
        # What people really choose: words and digits and symbols, or generated strings.
        if self.rng.random() < 0.5:
            return self.rng.choice(["Summer", "Tiger", "Maple", "Falcon", "Orion", "Nebula", "Rocket"]) + \
                self.r(DIG, 3) + self.rng.choice("!@#%&*") + self.rng.choice(["Xq", "Pz", "Lm", "Vw"])
        return self.r(AN + "!@#%^&*", self.rng.randint(12, 24))

    # The DER (or OpenSSH) header each kind of key starts with, so that bodies decode the way real ones
    # do ("MIIE...", "b3BlbnNzaC1rZXktdjE..."); tools that look at the structure get what they expect.
    DER_HEADS = {
        "RSA PRIVATE KEY": bytes.fromhex("020100028201010000"), "DSA PRIVATE KEY": bytes.fromhex("0201000281810000"),
        "EC PRIVATE KEY": bytes.fromhex("0201010420"),
        "PRIVATE KEY": bytes.fromhex("020100300d06092a864886f70d0101010500048204a8"),
        "ENCRYPTED PRIVATE KEY": bytes.fromhex("304e06092a864886f70d01050d3041"),
        "CERTIFICATE": bytes.fromhex("3082030ea003020102020900"),
        "PUBLIC KEY": bytes.fromhex("300d06092a864886f70d01010105000382010f00"),
    }

    def pem_body(self, n_bytes, armor=None):
        raw = bytes(self.rng.getrandbits(8) for _ in range(n_bytes))
        if armor == "OPENSSH PRIVATE KEY":
            raw = b"openssh-key-v1\0\0\0\0\x04none\0\0\0\x04none\0\0\0\0\0\0\0\x01" + raw
        elif armor in self.DER_HEADS:
            body = self.DER_HEADS[armor] + raw
            raw = b"\x30\x82" + len(body).to_bytes(2, "big") + body if len(body) > 127 else b"\x30" + bytes([len(body)]) + body
        text = base64.b64encode(raw).decode()
        return [text[i:i + 64] for i in range(0, len(text), 64)]

    def jwt(self):
        def part(obj):
            return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")
        header = part({"alg": "HS256", "typ": "JWT"})
        payload = part({"sub": self.r(DIG, 8), "name": "svc-" + self.word(), "iat": 1700000000 + self.rng.randint(0, 9999999),
                        "exp": 1900000000})
        return header + "." + payload + "." + self.r(B64U, 43)

    # -- true secrets: (family, type, variable name, value) -----------------------------------
    def token(self, kind):
        r, rng = self.r, self.rng
        table = {
            # cloud
            "aws-access-key-id": ("cloud", "AWS_ACCESS_KEY_ID", lambda: rng.choice(["AK", "AS"]) + "IA" + r("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)),
            "aws-secret-access-key": ("cloud", "AWS_SECRET_ACCESS_KEY", lambda: r(B64, 40)),
            "google-api-key": ("cloud", "GOOGLE_MAPS_API_KEY", lambda: "AI" + "za" + r(B64U, 35)),
            "google-oauth-client-secret": ("cloud", "GOOGLE_CLIENT_SECRET", lambda: "GOC" + "SPX-" + r(B64U, 28)),
            "azure-client-secret": ("cloud", "AZURE_CLIENT_SECRET", lambda: r(AN, 3) + r(DIG, 1) + "Q~" + r(AN + "_~.-", 34)),
            "digitalocean-token": ("cloud", "DIGITALOCEAN_TOKEN", lambda: "dop" + "_v1_" + r(HEX, 64)),
            "alibaba-access-key-id": ("cloud", "ALIBABA_ACCESS_KEY_ID", lambda: "LT" + "AI" + r(AN, 20)),
            "heroku-api-key": ("cloud", "HEROKU_API_KEY", lambda: "HRKU" + "-AA" + r(B64U, 58)),
            # code hosting and registries
            "github-pat": ("code-hosting", "GITHUB_TOKEN", lambda: "gh" + "p_" + r(AN, 36)),
            "github-oauth": ("code-hosting", "GH_OAUTH_TOKEN", lambda: "gh" + "o_" + r(AN, 36)),
            "github-app": ("code-hosting", "GH_APP_TOKEN", lambda: "gh" + "s_" + r(AN, 36)),
            "github-fine-grained": ("code-hosting", "GITHUB_PAT", lambda: "github" + "_pat_11" + r(UP + DIG, 20) + "_" + r(AN, 59)),
            "gitlab-pat": ("code-hosting", "GITLAB_TOKEN", lambda: "gl" + "pat-" + r(B64U, 20)),
            "npm-token": ("code-hosting", "NPM_TOKEN", lambda: "np" + "m_" + r(AN, 36)),
            "pypi-token": ("code-hosting", "PYPI_TOKEN", lambda: "pypi-" + "AgEIcHlwaS5vcmc" + r(B64U, 70)),
            "rubygems-token": ("code-hosting", "GEM_HOST_API_KEY", lambda: "rubygems" + "_" + r(HEX, 48)),
            "docker-hub-token": ("code-hosting", "DOCKERHUB_TOKEN", lambda: "dckr" + "_pat_" + r(B64U, 27)),
            # payments
            "stripe-secret-key": ("payments", "STRIPE_SECRET_KEY", lambda: rng.choice(["sk", "rk"]) + "_live_" + r(AN, 99)),
            "square-token": ("payments", "SQUARE_ACCESS_TOKEN", lambda: "EA" + "AA" + r(B64U, 60)),
            "square-oauth-secret": ("payments", "SQUARE_OAUTH_SECRET", lambda: "sq0" + "csp-" + r(B64U, 43)),
            "braintree-token": ("payments", "BRAINTREE_ACCESS_TOKEN", lambda: "access_token$" + "production$" + r(LO + DIG, 16) + "$" + r(HEX, 32)),
            "shopify-token": ("payments", "SHOPIFY_ACCESS_TOKEN", lambda: "shp" + "at_" + r(HEX, 32)),
            "paypal-client-secret": ("payments", "PAYPAL_CLIENT_SECRET", lambda: "E" + r(B64U, 79)),
            # messaging
            "slack-bot-token": ("messaging", "SLACK_BOT_TOKEN", lambda: "xo" + "xb-" + r(DIG, 12) + "-" + r(DIG, 13) + "-" + r(AN, 24)),
            "slack-user-token": ("messaging", "SLACK_USER_TOKEN", lambda: "xo" + "xp-" + r(DIG, 12) + "-" + r(DIG, 12) + "-" + r(DIG, 13) + "-" + r(HEX, 32)),
            "slack-webhook": ("messaging", "SLACK_WEBHOOK_URL", lambda: "https://hooks." + "slack.com/services/T" + r(UP + DIG, 10) + "/B" + r(UP + DIG, 10) + "/" + r(AN, 24)),
            "twilio-api-key": ("messaging", "TWILIO_API_KEY", lambda: "S" + "K" + r(HEX, 32)),
            "twilio-auth-token": ("messaging", "TWILIO_AUTH_TOKEN", lambda: r(HEX, 32)),
            "sendgrid-api-key": ("messaging", "SENDGRID_API_KEY", lambda: "S" + "G." + r(B64U, 22) + "." + r(B64U, 43)),
            "mailgun-api-key": ("messaging", "MAILGUN_API_KEY", lambda: "ke" + "y-" + r(HEX, 32)),
            "telegram-bot-token": ("messaging", "TELEGRAM_BOT_TOKEN", lambda: r(DIG, 10) + ":A" + "A" + r(B64U, 33)),
            "discord-webhook": ("messaging", "DISCORD_WEBHOOK", lambda: "https://discord.com/api/" + "webhooks/" + r(DIG, 18) + "/" + r(B64U, 68)),
            # AI
            "openai-api-key": ("ai", "OPENAI_API_KEY", lambda: "sk-" + "proj-" + r(B64U, 74) + "T3Blbk" + "FJ" + r(B64U, 74)),
            "anthropic-api-key": ("ai", "ANTHROPIC_API_KEY", lambda: "sk-" + "ant-api03-" + r(B64U, 93) + "AA"),
            "huggingface-token": ("ai", "HF_TOKEN", lambda: "h" + "f_" + r(UP + LO, 34)),
            "groq-api-key": ("ai", "GROQ_API_KEY", lambda: "gs" + "k_" + r(AN, 52)),
            # infra and observability
            "vault-token": ("infra", "VAULT_TOKEN", lambda: "hv" + "s." + r(B64U, 90)),
            "terraform-cloud-token": ("infra", "TFE_TOKEN", lambda: r(AN, 14) + ".atlas" + "v1." + r(AN, 67)),
            "databricks-token": ("infra", "DATABRICKS_TOKEN", lambda: "da" + "pi" + r(HEX, 32)),
            "datadog-api-key": ("infra", "DD_API_KEY", lambda: r(HEX, 32)),
            "newrelic-user-key": ("infra", "NEW_RELIC_API_KEY", lambda: "NR" + "AK-" + r(UP + DIG, 27)),
            "sentry-auth-token": ("infra", "SENTRY_AUTH_TOKEN", lambda: "sntry" + "u_" + r(HEX, 64)),
            "grafana-token": ("infra", "GRAFANA_TOKEN", lambda: "gl" + "sa_" + r(AN, 32) + "_" + r(HEX, 8)),
            "jwt": ("keys", "AUTH_JWT", lambda: self.jwt()),
            "age-secret-key": ("keys", "SOPS_AGE_KEY", lambda: "AGE-SECRET" + "-KEY-1" + r("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)),
        }
        family, name, make = table[kind]
        return family, name, make()

    TOKEN_KINDS = None  # filled below

    # -- file building -----------------------------------------------------------------------
    def add(self, path, lines, marks):
        """marks: {line index (0-based): (family, type, truth[, last line index of a multi-line secret])}"""
        assert path not in self.files, path
        self.files[path] = lines
        for index, mark in sorted(marks.items()):
            family, kind, truth = mark[:3]
            end = mark[3] if len(mark) > 3 else index
            self.labels.append({"path": path, "line": index + 1, "end": end + 1, "family": family, "type": kind, "truth": truth})

    def assignment(self, style, name, value):
        lower = name.lower()
        camel = lower.split("_")[0] + "".join(w.capitalize() for w in lower.split("_")[1:])
        return {
            "env": f"{name}={value}",
            "yaml": f"  {lower}: \"{value}\"",
            "json": f"  \"{camel}\": \"{value}\",",
            "py": f"{name} = \"{value}\"",
            "js": f"const {camel} = '{value}';",
            "go": f"\t{camel} := \"{value}\"",
            "sh": f"export {name}={value}",
            "properties": f"{lower.replace('_', '.')}={value}",
            "xml": f"    <add key=\"{camel}\" value=\"{value}\" />",
            "php": f"define('{name}', '{value}');",
            "rb": f"  config.{lower} = \"{value}\"",
            "tf": f"  {lower} = \"{value}\"",
            "ini": f"{lower} = {value}",
        }[style]

    STYLES = {
        "env": (".env", [], []), "yaml": (".yml", ["production:"], []), "json": (".json", ["{"], ["  \"debug\": false", "}"]),
        "py": (".py", ["import os", ""], []), "js": (".js", ["'use strict';", ""], ["module.exports = {};"]),
        "go": (".go", ["package config", "", "func load() {"], ["}"]), "sh": (".sh", ["#!/bin/sh", "set -e"], ["exec ./server"]),
        "properties": (".properties", ["# application settings"], []), "xml": (".config", ["<configuration>", "  <appSettings>"], ["  </appSettings>", "</configuration>"]),
        "php": (".php", ["<?php"], []), "rb": (".rb", ["Rails.application.configure do"], ["end"]),
        "tf": (".tf", ["provider \"acme\" {"], ["}"]), "ini": (".ini", ["[default]"], []),
    }
    FILLER = {
        "env": ["NODE_ENV=production", "PORT=8080", "LOG_LEVEL=info", "FEATURE_FLAGS=search,checkout"],
        "yaml": ["  port: 8080", "  log_level: info", "  region: eu-west-1", "  workers: 4"],
        "json": ["  \"port\": 8080,", "  \"logLevel\": \"info\",", "  \"region\": \"eu-west-1\","],
        "py": ["DEBUG = False", "ALLOWED_HOSTS = [\"shop.acme.io\"]", "TIME_ZONE = \"UTC\""],
        "js": ["const port = 8080;", "const region = 'eu-west-1';", "const retries = 3;"],
        "go": ["\tport := 8080", "\tregion := \"eu-west-1\"", "\t_ = port"],
        "sh": ["cd /srv/app", "echo starting", "ulimit -n 4096"],
        "properties": ["server.port=8080", "logging.level.root=INFO", "spring.application.name=shop"],
        "xml": ["    <add key=\"Environment\" value=\"Production\" />", "    <add key=\"Region\" value=\"eu-west-1\" />"],
        "php": ["define('WP_DEBUG', false);", "$table_prefix = 'wp_';"],
        "rb": ["  config.cache_classes = true", "  config.log_level = :info"],
        "tf": ["  region = \"eu-west-1\"", "  version = \"~> 4.0\""],
        "ini": ["region = eu-west-1", "output = json"],
    }

    def config_file(self, path_stem, style, entries):
        """entries: list of (name, value, label or None)"""
        ext, head, tail = self.STYLES[style]
        lines = list(head)
        marks = {}
        filler = self.FILLER[style]
        for name, value, label in entries:
            if self.rng.random() < 0.7:
                lines.append(self.rng.choice(filler))
            if label:
                marks[len(lines)] = label
            lines.append(self.assignment(style, name, value))
        lines += tail
        path = path_stem + ext if style != "env" else path_stem
        self.add(path, lines, marks)

    # -- the corpus --------------------------------------------------------------------------
    def build(self):
        rng = self.rng
        kinds = [k for k in Corpus.ALL_KINDS]
        styles = list(self.STYLES)
        # 1. Provider tokens in configuration files of every style, two to four per file.
        n = 0
        for round_ in range(3):
            rng.shuffle(kinds)
            i = 0
            while i < len(kinds):
                take = kinds[i:i + rng.randint(2, 4)]
                i += len(take)
                style = styles[n % len(styles)]
                folder = rng.choice(["config", "deploy", "services/" + self.word(), "infra", "app/settings", "ops"])
                stem = f"{folder}/{self.word()}-{n}" if style != "env" else f"{folder}/.env.{self.word()}{n}"
                entries = []
                for kind in take:
                    family, name, value = self.token(kind)
                    entries.append((name, value, (family, kind, True)))
                    if kind == "aws-access-key-id":
                        _, sname, svalue = self.token("aws-secret-access-key")
                        entries.append((sname, svalue, ("cloud", "aws-secret-access-key", True)))
                self.config_file(stem, style, entries)
                if style == "env":
                    self.sensitive_files.append(stem)
                n += 1
        # 2. Tokens hard-coded in source code, mid-function.
        code_kinds = [k for k in kinds if "webhook" not in k]
        for m in range(24):
            kind = rng.choice(code_kinds)
            family, name, value = self.token(kind)
            lang = rng.choice(["py", "js", "go", "rb"])
            if lang == "py":
                lines = ["import requests", "", "", "def fetch(path):",
                         f"    headers = {{\"Authorization\": \"Bearer {value}\"}}",
                         "    return requests.get(\"https://api.example.net\" + path, headers=headers, timeout=10)"]
                mark = 4
            elif lang == "js":
                lines = ["import axios from 'axios';", "", "export const client = axios.create({",
                         "  baseURL: 'https://api.example.net',", f"  headers: {{ 'X-Api-Key': '{value}' }},", "});"]
                mark = 4
            elif lang == "go":
                lines = ["package client", "", "import \"net/http\"", "", "func New() *http.Request {",
                         "\treq, _ := http.NewRequest(\"GET\", \"https://api.example.net\", nil)",
                         f"\treq.Header.Set(\"Authorization\", \"token {value}\")", "\treturn req", "}"]
                mark = 6
            else:
                lines = ["class Client", "  def initialize", f"    @api_key = \"{value}\"", "  end", "end"]
                mark = 2
            ext = {"py": ".py", "js": ".js", "go": ".go", "rb": ".rb"}[lang]
            folder = "tests/integration" if m % 6 == 0 else "src/" + self.word()
            self.add(f"{folder}/client_{m}{ext}", lines, {mark: (family, kind, True)})
        # 3. Private keys and other multi-line material.
        for m, (label, armor, size) in enumerate([
            ("private-key-rsa", "RSA PRIVATE KEY", 1190), ("private-key-ec", "EC PRIVATE KEY", 121),
            ("private-key-pkcs8", "PRIVATE KEY", 1218), ("private-key-openssh", "OPENSSH PRIVATE KEY", 400),
            ("private-key-encrypted", "ENCRYPTED PRIVATE KEY", 1250), ("private-key-dsa", "DSA PRIVATE KEY", 440),
            ("private-key-rsa", "RSA PRIVATE KEY", 1190), ("private-key-pkcs8", "PRIVATE KEY", 1218),
        ]):
            path = rng.choice([f"deploy/keys/id_rsa_{m}", f"certs/server-{m}.key", f"ops/ssh/deploy_{m}", f"secrets/tls-{m}.pem"])
            body = self.pem_body(size, armor)
            self.add(path, [f"-----BEGIN {armor}-----"] + body + [f"-----END {armor}-----"], {0: ("keys", label, True, len(body) + 1)})
            self.sensitive_files.append(path)
        pgp = self.pem_body(900)
        self.add("backup/signing.asc", ["-----BEGIN PGP PRIVATE KEY BLOCK-----", ""] + pgp + ["=" + self.r(B64, 4), "-----END PGP PRIVATE KEY BLOCK-----"],
                 {0: ("keys", "private-key-pgp", True, len(pgp) + 3)})
        putty = self.pem_body(600)
        ppk = ["PuTTY-User-Key-File-3: ssh-rsa", "Encryption: none", "Comment: deploy@ci", "Public-Lines: 2"] + self.pem_body(96) \
            + [f"Private-Lines: {len(putty)}"] + putty + ["Private-MAC: " + self.r(HEX, 64)]
        self.add("ops/deploy.ppk", ppk, {0: ("keys", "private-key-putty", True, len(ppk) - 1)})
        self.sensitive_files.append("ops/deploy.ppk")
        # A key pasted into JSON (a GCP service account file).
        sa_body = "\\n".join(self.pem_body(1218, "PRIVATE KEY"))
        self.add("deploy/gcp-service-account.json", [
            "{", "  \"type\": \"service_account\",", "  \"project_id\": \"acme-prod-311\",",
            f"  \"private_key_id\": \"{self.r(HEX, 40)}\",",
            f"  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{sa_body}\\n-----END PRIVATE KEY-----\\n\",",
            "  \"client_email\": \"deployer@acme-prod-311.iam.gserviceaccount.com\",", "  \"client_id\": \"" + self.r(DIG, 21) + "\"", "}"],
            {4: ("keys", "gcp-service-account", True), 3: ("cloud", "gcp-private-key-id", None)})
        self.sensitive_files.append("deploy/gcp-service-account.json")
        # 4. Connection strings and URLs with passwords.
        urls = []
        for m in range(14):
            scheme = ["postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp", "smtp", "ftp", "https"][m % 9]
            user = rng.choice(["app", "admin", "svc_" + self.word(), "root", "deploy"])
            pw = self.password().replace("@", "").replace("/", "").replace(":", "").replace("#", "")
            if scheme == "https":
                url = f"https://{user}:{pw}@registry.acme-internal.io/repository/npm/"
            elif scheme == "ftp":
                url = f"ftp://{user}:{pw}@files.acme.io/incoming"
            elif scheme == "smtp":
                url = f"smtp://{user}:{pw}@smtp.mailhost.com:587"
            else:
                url = f"{scheme}://{user}:{pw}@{self.host()}/{self.word()}"
            urls.append((scheme, url))
        for m, (scheme, url) in enumerate(urls):
            style = ["env", "yaml", "py", "js", "properties", "sh", "json"][m % 7]
            stem = f"services/{self.word()}/db-{m}" if style != "env" else f"services/{self.word()}/.env.db{m}"
            self.config_file(stem, style, [("DATABASE_URL", url, ("urls", scheme + "-url", True))])
            if style == "env":
                self.sensitive_files.append(stem)
        jdbc_pw = self.password().replace(";", "").replace("&", "")
        self.add("src/main/resources/application-prod.properties", [
            "spring.application.name=orders", f"spring.datasource.url=jdbc:mysql://db.internal:3306/orders?user=orders&password={jdbc_pw}",
            "spring.jpa.hibernate.ddl-auto=validate"], {1: ("urls", "jdbc-url", True)})
        cs_pw = self.password().replace(";", "")
        self.add("Web.Production.config", [
            "<configuration>", "  <connectionStrings>",
            f"    <add name=\"Main\" connectionString=\"Server=sql01.acme.local;Database=Shop;User Id=shop;Password={cs_pw};\" />",
            "  </connectionStrings>", "</configuration>"], {2: ("urls", "dotnet-connection-string", True)})
        # 5. Generic credential assignments in the formats people commit.
        generic = []
        for m in range(36):
            style = ["env", "yaml", "json", "py", "js", "properties", "xml", "php", "sh", "ini", "rb", "tf"][m % 12]
            name = rng.choice(["DB_PASSWORD", "SMTP_PASSWORD", "ADMIN_PASSWORD", "REDIS_PASSWORD", "API_SECRET", "CLIENT_SECRET",
                               "JWT_SECRET", "SESSION_SECRET", "ENCRYPTION_KEY", "SIGNING_KEY", "MASTER_KEY", "AUTH_TOKEN"])
            value = self.password() if "PASSWORD" in name else self.r(AN + "-_", rng.randint(24, 48))
            generic.append((style, name, value))
        for m, (style, name, value) in enumerate(generic):
            folder = "legacy" if m % 5 == 0 else rng.choice(["config", "app", "conf", "settings"])
            stem = f"{folder}/{self.word()}-secrets-{m}" if style != "env" else f"{folder}/.env.{self.word()}-{m}"
            self.config_file(stem, style, [(name, value, ("generic", "assignment-" + style, True))])
            if style == "env":
                self.sensitive_files.append(stem)
        self.add("config/secrets.xml", ["<settings>", f"  <dbPassword>{self.password()}</dbPassword>", "  <timeout>30</timeout>", "</settings>"],
                 {1: ("generic", "xml-element", True)})
        self.add("app/config/database.php", ["<?php", "return [", "    'mysql' => [", "        'host' => 'db.internal',",
                                             f"        'password' => '{self.password()}',", "    ],", "];"], {4: ("generic", "php-array", True)})
        self.add("db/seed.sql", ["-- seed", f"CREATE USER 'reporting'@'%' IDENTIFIED BY '{self.password()}';",
                                 "GRANT SELECT ON shop.* TO 'reporting'@'%';"], {1: ("generic", "sql-identified-by", True)})
        self.add("settings.py", ["# SECURITY WARNING: keep the secret key used in production secret!",
                                 f"SECRET_KEY = 'django-insecure-{self.r(LO + DIG + '!@#$%^&*(-_=+)', 50)}'", "DEBUG = False"],
                 {1: ("generic", "django-secret-key", True)})
        self.add("laravel/.env.production", ["APP_NAME=Shop", "APP_ENV=production",
                                             "APP_KEY=base64:" + base64.b64encode(bytes(rng.getrandbits(8) for _ in range(32))).decode(),
                                             "APP_DEBUG=false"], {2: ("generic", "laravel-app-key", True)})
        self.sensitive_files.append("laravel/.env.production")
        self.add("config/secrets.yml", ["production:", f"  secret_key_base: {self.r(HEX, 128)}"], {1: ("generic", "rails-secret-key-base", True)})
        # 6. Credential files.
        nrc = self.password()
        self.add("home/deploy/.netrc", ["machine github.com", "  login deploy-bot", f"  password {nrc}",
                                        f"machine api.heroku.com login ops@acme.io password {self.password()}"],
                 {2: ("credential-files", "netrc", True), 3: ("credential-files", "netrc", True)})
        self.add("home/deploy/.pgpass", [f"db.internal:5432:*:app:{self.password()}", f"replica.internal:5432:shop:report:{self.password()}"],
                 {0: ("credential-files", "pgpass", True), 1: ("credential-files", "pgpass", True)})
        self.add("home/deploy/.git-credentials", [f"https://deploy-bot:{'gh' + 'p_' + self.r(AN, 36)}@github.com"],
                 {0: ("credential-files", "git-credentials", True)})
        salt = self.r(AN + "./", 8)
        self.add("web/.htpasswd", [f"admin:$apr1${salt}${self.r(AN + './', 22)}"], {0: ("credential-files", "htpasswd", True)})
        self.add("backup/etc/shadow", ["root:*:19000:0:99999:7:::",
                                       f"deploy:$6${self.r(AN + './', 16)}${self.r(AN + './', 86)}:19000:0:99999:7:::"],
                 {1: ("credential-files", "shadow", True)})
        auth = base64.b64encode(f"ci-bot:{self.password()}".encode()).decode()
        self.add("ci/docker/config.json", ["{", "  \"auths\": {", "    \"registry.acme.io\": {", f"      \"auth\": \"{auth}\"", "    }", "  }", "}"],
                 {3: ("credential-files", "docker-auth", True)})
        self.add("frontend/.npmrc", ["registry=https://registry.npmjs.org/", f"//npm.acme.io/:_authToken={self.r(B64U, 36)}"],
                 {1: ("credential-files", "npmrc", True)})
        self.add("tools/.pypirc", ["[distutils]", "index-servers = internal", "[internal]", "repository = https://pypi.acme.io/",
                                   "username = uploader", f"password = {self.password()}"], {5: ("credential-files", "pypirc", True)})
        self.add("ops/kube/config", ["apiVersion: v1", "kind: Config", "users:", "- name: admin", "  user:", f"    token: {self.r(B64U, 64)}"],
                 {5: ("credential-files", "kubeconfig-token", True)})
        self.add("scripts/deploy-prod.sh", ["#!/bin/sh", f"curl -u admin:{self.password().replace('$', '')} https://jenkins.acme.io/job/deploy/build",
                                            "echo done"], {1: ("credential-files", "curl-user", True)})
        for p in ["home/deploy/.netrc", "home/deploy/.pgpass", "home/deploy/.git-credentials", "web/.htpasswd", "backup/etc/shadow",
                  "frontend/.npmrc", "tools/.pypirc"]:
            self.sensitive_files.append(p)
        self.decoys()
        self.neutral()

    def decoys(self):
        rng, r = self.rng, self.r
        D = "decoy"
        # Templates and placeholders.
        lines, marks = ["# Copy to .env and fill in"], {}
        for name, value, kind in [
            ("DB_PASSWORD", "${DB_PASSWORD}", "template"), ("API_KEY", "{{ api_key }}", "template"),
            ("STRIPE_SECRET_KEY", "<your-stripe-secret-key>", "template"), ("SMTP_PASSWORD", "%SMTP_PASSWORD%", "template"),
            ("ADMIN_PASSWORD", "changeme", "placeholder"), ("GITHUB_TOKEN", "gh" + "p_" + "x" * 36, "placeholder"),
            ("AUTH_TOKEN", "your_token_here", "placeholder"), ("JWT_SECRET", "REPLACE_ME", "placeholder"),
            ("SESSION_SECRET", "********", "placeholder"), ("API_SECRET", "aaaaaaaaaaaaaaaaaaaa", "repeated"),
            ("CLIENT_SECRET", "abcdefghijklmnopqrstuvwxyz", "sequential"), ("PIN_PASSWORD", "123456789012", "sequential"),
            ("AWS_ACCESS_KEY_ID", "AKIA" + "IOSFODNN7" + "EXAMPLE", "doc-example"),
            ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY", "doc-example"),
            ("SLACK_WEBHOOK_URL", "https://hooks." + "slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "placeholder"),
        ]:
            marks[len(lines)] = (D, kind, False)
            lines.append(f"{name}={value}")
        self.add(".env.example", lines, marks)
        for n, style in enumerate(["yaml", "py", "js", "properties", "xml", "json", "sh", "php"]):
            entries = [("DB_PASSWORD", v, (D, k, False)) for v, k in [
                ("${DB_PASSWORD}", "template"), ("{{ .Values.db.password }}", "template"), ("<password>", "template"),
                ("changeme", "placeholder"), ("xxxxxxxxxxxx", "placeholder"), ("dummy-password", "placeholder")]]
            entries.append(("API_TOKEN", rng.choice(["$API_TOKEN", "REDACTED", "your-api-token", "<token>"]), (D, "template", False)))
            self.config_file(f"templates/config-{n}", style, entries)
        # Values read from the environment or a secret manager.
        self.add("src/settings_env.py", ["import os", "", "DB_PASSWORD = os.environ[\"DB_PASSWORD\"]", "API_KEY = os.getenv(\"API_KEY\", \"\")",
                                         "SECRET_KEY = os.environ.get(\"SECRET_KEY\")", "token = vault_client.read(\"secret/data/app\")[\"data\"][\"token\"]"],
                 {2: (D, "environment", False), 3: (D, "environment", False), 4: (D, "environment", False), 5: (D, "secret-manager", False)})
        self.add("src/config.js", ["module.exports = {", "  password: process.env.DB_PASSWORD,", "  apiKey: process.env.API_KEY || '',",
                                   "  secret: import.meta.env.VITE_SECRET,", "};"],
                 {1: (D, "environment", False), 2: (D, "environment", False), 3: (D, "environment", False)})
        self.add("k8s/deployment.yaml", ["apiVersion: apps/v1", "kind: Deployment", "spec:", "  template:", "    spec:", "      containers:",
                                         "      - name: app", "        env:", "        - name: DB_PASSWORD", "          valueFrom:",
                                         "            secretKeyRef:", "              name: db", "              key: password"],
                 {8: (D, "secret-manager", False)})
        self.add(".github/workflows/deploy.yml", ["on: push", "jobs:", "  deploy:", "    runs-on: ubuntu-latest", "    steps:",
                                                  "      - run: ./deploy.sh", "        env:", "          AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}",
                                                  "          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}"],
                 {7: (D, "secret-manager", False), 8: (D, "secret-manager", False)})
        self.add("src/main/java/Config.java", ["public class Config {", "  String password = System.getenv(\"DB_PASSWORD\");",
                                              "  String token = secretsManager.getSecretValue(\"prod/token\");", "}"],
                 {1: (D, "environment", False), 2: (D, "secret-manager", False)})
        # Documentation examples.
        self.add("docs/aws.md", ["# Credentials", "", "Set the keys as in the AWS documentation:", "",
                                 "    aws_access_key_id = AKIA" + "IOSFODNN7EXAMPLE", "    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY",
                                 "", "Tokens look like `ghp_` followed by 36 characters."],
                 {4: (D, "doc-example", False), 5: (D, "doc-example", False)})
        self.add("docs/api.md", ["Call the API with your key:", "", "    curl -H \"Authorization: Bearer <YOUR_API_KEY>\" https://api.example.net",
                                 "    export OPENAI_API_KEY=sk-...", "    STRIPE_KEY=sk" + "_live_..."],
                 {2: (D, "doc-example", False), 3: (D, "doc-example", False), 4: (D, "doc-example", False)})
        # Lockfiles and integrity hashes.
        lock = ["{", "  \"name\": \"shop\",", "  \"lockfileVersion\": 3,", "  \"packages\": {"]
        lmarks = {}
        for m in range(40):
            pkg = self.word() + "-" + r(LO, 5)
            lock += [f"    \"node_modules/{pkg}\": {{", f"      \"version\": \"{rng.randint(0, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}\",",
                     f"      \"resolved\": \"https://registry.npmjs.org/{pkg}/-/{pkg}-1.0.0.tgz\","]
            lmarks[len(lock)] = (D, "lockfile-integrity", False)
            lock += [f"      \"integrity\": \"sha512-{base64.b64encode(hashlib.sha512(pkg.encode()).digest()).decode()}\"", "    },"]
        lock += ["  }", "}"]
        self.add("package-lock.json", lock, lmarks)
        gosum, gmarks = [], {}
        for m in range(30):
            mod = f"github.com/{self.word()}/{r(LO, 6)}"
            gmarks[len(gosum)] = (D, "lockfile-hash", False)
            gosum.append(f"{mod} v1.{m}.0 h1:{base64.b64encode(hashlib.sha256(mod.encode()).digest()).decode()}")
            gosum.append(f"{mod} v1.{m}.0/go.mod h1:{base64.b64encode(hashlib.sha256((mod + 'm').encode()).digest()).decode()}")
        self.add("go.sum", gosum, gmarks)
        self.add("yarn.lock", [f"{self.word()}@^1.0.0:", "  version \"1.0.3\"", f"  resolved \"https://registry.yarnpkg.com/x/-/x-1.0.3.tgz#{r(HEX, 40)}\"",
                               f"  integrity sha1-{base64.b64encode(bytes(rng.getrandbits(8) for _ in range(20))).decode()}"],
                 {2: (D, "lockfile-hash", False), 3: (D, "lockfile-integrity", False)})
        # UUIDs, commit ids, digests.
        import uuid
        def u():
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        self.add("src/ids.py", [f"REQUEST_ID = \"{u()}\"", f"tenant_id = \"{u()}\"", f"client_id: str = \"{u()}\"",
                                f"api_key_id = \"{u()}\"", f"FIXED_COMMIT = \"{r(HEX, 40)}\"", f"token_hash = \"{r(HEX, 64)}\""],
                 {i: (D, k, False) for i, k in enumerate(["uuid", "uuid", "uuid", "uuid", "commit-id", "hash"])})
        self.add("CHANGELOG.md", ["# Changelog", f"- fix token refresh ({r(HEX, 40)})", f"- rotate secret handling, see {r(HEX, 12)}",
                                  f"- Docker base image pinned to sha256:{r(HEX, 64)}"],
                 {1: (D, "commit-id", False), 3: (D, "hash", False)})
        self.add("Dockerfile", [f"FROM python:3.12-slim@sha256:{r(HEX, 64)}", "ENV PYTHONUNBUFFERED=1", "ARG PASSWORD_MIN_LENGTH=12",
                                "COPY . /app"], {0: (D, "hash", False), 2: (D, "identifier", False)})
        # Inline images and minified bundles.
        png = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(600))).decode()
        self.add("web/styles.css", [".logo {", f"  background: url(data:image/png;base64,iVBORw0KGgo{png});", "}"], {1: (D, "data-uri", False)})
        self.add("web/index.html", ["<html><body>", f"<img alt=\"logo\" src=\"data:image/png;base64,iVBORw0KGgo{png[:300]}\">", "</body></html>"],
                 {1: (D, "data-uri", False)})
        mini = ";".join(f"var {r(LO, 2)}=function({r(LO, 1)}){{return \"{r(AN, 24)}\"}}" for _ in range(200))
        mini += ";var cfg={password:\"" + r(AN, 16) + "\",token:\"" + r(AN, 32) + "\",secret:\"" + r(B64, 40) + "\"};"
        self.add("web/dist/app.min.js", [mini], {0: (D, "minified", False)})
        # Public material and identifiers.
        self.add("deploy/authorized_keys", [f"ssh-rsa AAAAB3NzaC1yc2E{r(B64, 360)} deploy@ci", f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{r(B64, 43)} ops@laptop"],
                 {0: (D, "public-key", False), 1: (D, "public-key", False)})
        cert = self.pem_body(900, "CERTIFICATE")
        self.add("certs/ca-bundle.crt", ["-----BEGIN CERTIFICATE-----"] + cert + ["-----END CERTIFICATE-----"], {0: (D, "certificate", False, len(cert) + 1)})
        pub = self.pem_body(270, "PUBLIC KEY")
        self.add("certs/public.pem", ["-----BEGIN PUBLIC KEY-----"] + pub + ["-----END PUBLIC KEY-----"], {0: (D, "public-key", False, len(pub) + 1)})
        self.add("web/src/payments.ts", [f"const STRIPE_PUBLISHABLE_KEY = 'pk" + "_live_" + r(AN, 24) + "';",
                                         f"const GOOGLE_CLIENT_ID = '{r(DIG, 12)}-{r(LO + DIG, 32)}.apps.googleusercontent.com';",
                                         f"const TWILIO_ACCOUNT_SID = 'AC{r(HEX, 32)}';", "const tokenType = 'bearer';",
                                         "const passwordField = 'password';"],
                 {0: (D, "publishable-key", False), 1: (D, "identifier", False), 2: (D, "identifier", False), 3: (D, "identifier", False),
                  4: (D, "identifier", False)})
        self.add("src/auth/forms.py", ["def login(request):", "    password = request.form[\"password\"]", "    token = generate_token(user)",
                                       "    secret = hashlib.sha256(password.encode()).hexdigest()", "    api_key = settings.API_KEY",
                                       "    return render(\"login.html\", password_label=\"Password\")"],
                 {1: (D, "code", False), 2: (D, "code", False), 3: (D, "code", False), 4: (D, "code", False), 5: (D, "code", False)})
        self.add("locales/en.json", ["{", "  \"password\": \"Password must be at least 8 characters\",", "  \"passwordConfirm\": \"Confirm your password\",",
                                     "  \"apiKeyHelp\": \"Your API key is shown once\",", "  \"tokenExpired\": \"Your session token has expired\"", "}"],
                 {1: (D, "ui-text", False), 2: (D, "ui-text", False), 3: (D, "ui-text", False), 4: (D, "ui-text", False)})
        self.add("tests/test_auth.py", ["def test_login(client):", "    resp = client.post('/login', data={'password': 'wrong'})",
                                        "    assert resp.status_code == 401", f"    assert check_token('{r(HEX, 8)}') is False"],
                 {1: (D, "test-value", False)})

    def neutral(self):
        rng, r = self.rng, self.r
        for m in range(80):
            lang = ["py", "js", "go", "md", "yml", "java"][m % 6]
            name = f"{self.word()}_{m}"
            if lang == "py":
                lines = [f"\"\"\"{name} module.\"\"\"", "", "import json", "", "", f"def handle_{name}(event):",
                         "    payload = json.loads(event[\"body\"])", f"    key = payload.get(\"{self.word()}_id\")",
                         "    if not key:", "        raise ValueError(\"missing id\")", f"    return {{\"id\": key, \"hash\": \"{r(HEX, 8)}\"}}"]
            elif lang == "js":
                lines = [f"export function {name}(items) {{", "  const total = items.reduce((a, b) => a + b.price, 0);",
                         f"  const cacheKey = `{self.word()}:${{items.length}}`;", "  return { total, cacheKey };", "}"]
            elif lang == "go":
                lines = [f"package {self.word()}", "", "import \"strings\"", "", f"func Key{m}(s string) string {{",
                         "\treturn strings.ToLower(s) + \"-" + r(LO, 6) + "\"", "}"]
            elif lang == "md":
                lines = [f"# {name}", "", "Run `make test` before sending a change.", "", "The token service rotates keys every 90 days.",
                         "Passwords are hashed with argon2id."]
            elif lang == "yml":
                lines = [f"name: {name}", "on: [push]", "jobs:", "  test:", "    runs-on: ubuntu-latest", "    steps:",
                         "      - uses: actions/checkout@v4", "      - run: make test"]
            else:
                lines = [f"public class {name.title().replace('_', '')} {{", "  private final String tokenHeader = \"X-Request-Id\";",
                         "  public int size() { return 42; }", "}"]
            ext = {"py": ".py", "js": ".js", "go": ".go", "md": ".md", "yml": ".yml", "java": ".java"}[lang]
            self.add(f"src/{self.word()}/{name}{ext}", lines, {})

    def write(self, out):
        tree = os.path.join(out, "tree")
        if os.path.exists(tree):
            shutil.rmtree(tree)
        os.makedirs(tree)
        for path, lines in self.files.items():
            full = os.path.join(tree, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write("\n".join(lines) + "\n")
        with open(os.path.join(out, "labels.json"), "w") as f:
            json.dump({"files": len(self.files), "labels": self.labels, "sensitiveFiles": sorted(set(self.sensitive_files))}, f, indent=1)
        with open(os.path.join(out, ".gitignore"), "w") as f:
            f.write("# Generated by benchmarks/secrets_corpus.py: never committed.\n*\n")


Corpus.ALL_KINDS = [
    "aws-access-key-id", "google-api-key", "google-oauth-client-secret", "azure-client-secret", "digitalocean-token",
    "alibaba-access-key-id", "heroku-api-key", "github-pat", "github-oauth", "github-app", "github-fine-grained", "gitlab-pat",
    "npm-token", "pypi-token", "rubygems-token", "docker-hub-token", "stripe-secret-key", "square-token", "square-oauth-secret",
    "braintree-token", "shopify-token", "paypal-client-secret", "slack-bot-token", "slack-user-token", "slack-webhook",
    "twilio-api-key", "twilio-auth-token", "sendgrid-api-key", "mailgun-api-key", "telegram-bot-token", "discord-webhook",
    "openai-api-key", "anthropic-api-key", "huggingface-token", "groq-api-key", "vault-token", "terraform-cloud-token",
    "databricks-token", "datadog-api-key", "newrelic-user-key", "sentry-auth-token", "grafana-token", "jwt", "age-secret-key",
]


def generate(out):
    corpus = Corpus()
    corpus.build()
    corpus.write(out)
    return corpus


if __name__ == "__main__":
    import sys
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "fixtures", "secrets-corpus")
    c = generate(out)
    print(f"{len(c.files)} files, {sum(1 for l in c.labels if l['truth'])} secrets, {sum(1 for l in c.labels if l['truth'] is False)} decoys -> {out}")
