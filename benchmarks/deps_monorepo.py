#!/usr/bin/env python3
"""Generates a monorepo with N package manifests (npm, Go, Cargo, Poetry, Maven, pip in turn), most
with a realistic lockfile, a source file and a test file each, in two commits, for timing the `tests`
and `dependencies` analyzers.

usage: deps_monorepo.py OUT_DIR [N=3000]
then:  salvage scan OUT_DIR --format json --analyzers tests,dependencies
"""
import os
import random
import subprocess
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
rng = random.Random(42)
names = [f"lib{k}" for k in range(400)]


def write(path, text):
    full = os.path.join(out, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)


def deps(count):
    return rng.sample(names, count)


def version():
    return f"{rng.randint(0, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}"


def package(i, generation):
    kind = i % 6
    if kind == 0:
        d = deps(15)
        spec = lambda: rng.choice(["^", "~", ""]) + version()
        body = ",\n".join(f'    "{x}": "{spec()}"' for x in d[:10])
        dev = ",\n".join(f'    "{x}": "{spec()}"' for x in d[10:])
        write(f"packages/pkg{i}/package.json", f'{{\n  "name": "pkg{i}",\n  "version": "1.{generation}.0",\n  "dependencies": {{\n{body}\n  }},\n  "devDependencies": {{\n{dev}\n  }}\n}}\n')
        lock = ",\n".join(f'    "node_modules/{x}": {{ "version": "{version()}", "integrity": "sha512-{x}" }}' for x in deps(60))
        write(f"packages/pkg{i}/package-lock.json", f'{{\n  "name": "pkg{i}",\n  "lockfileVersion": 3,\n  "packages": {{\n    "": {{ "name": "pkg{i}" }},\n{lock}\n  }}\n}}\n')
        write(f"packages/pkg{i}/src/index.js", "export function f() {\n  return 1;\n}\n" * 10)
        write(f"packages/pkg{i}/src/index.test.js", "test('f', () => {});\n" * 5)
    elif kind == 1:
        req = "\n".join(f"\tgithub.com/org/{x} v{version()}" for x in deps(8))
        write(f"services/svc{i}/go.mod", f"module example.com/svc{i}\n\ngo 1.22\n\nrequire (\n{req}\n)\n")
        write(f"services/svc{i}/go.sum", "".join(f"github.com/org/{x} v{version()} h1:abc=\ngithub.com/org/{x} v{version()}/go.mod h1:def=\n" for x in deps(16)))
        write(f"services/svc{i}/main.go", "package main\n\nfunc main() {\n}\n" * 10)
        write(f"services/svc{i}/main_test.go", "package main\n" * 5)
    elif kind == 2:
        body = "\n".join(f'{x} = "{version()}"' for x in deps(8))
        write(f"crates/crate{i}/Cargo.toml", f'[package]\nname = "crate{i}"\nversion = "0.{generation}.0"\n\n[dependencies]\n{body}\n\n[dev-dependencies]\nproptest = "1"\n')
        lock = "".join(f'[[package]]\nname = "{x}"\nversion = "{version()}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "abc"\n\n' for x in deps(30))
        write(f"crates/crate{i}/Cargo.lock", "version = 3\n\n" + lock)
        write(f"crates/crate{i}/src/lib.rs", "pub fn f() -> u32 {\n    1\n}\n" * 10)
    elif kind == 3:
        body = "\n".join(f'{x} = "^{version()}"' for x in deps(8))
        write(f"py/app{i}/pyproject.toml", f'[tool.poetry]\nname = "app{i}"\nversion = "0.{generation}.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n{body}\n')
        lock = "".join(f'[[package]]\nname = "{x}"\nversion = "{version()}"\ndescription = ""\noptional = false\n\n' for x in deps(25))
        write(f"py/app{i}/poetry.lock", lock + '[metadata]\nlock-version = "2.0"\n')
        write(f"py/app{i}/app{i}/core.py", "def f():\n    return 1\n" * 10)
        write(f"py/app{i}/tests/test_core.py", "def test_f():\n    assert True\n" * 5)
    elif kind == 4:
        body = "".join(f"    <dependency>\n      <groupId>org.example</groupId>\n      <artifactId>{x}</artifactId>\n      <version>{version()}</version>\n    </dependency>\n" for x in deps(8))
        write(f"java/mod{i}/pom.xml", f'<?xml version="1.0"?>\n<project>\n  <modelVersion>4.0.0</modelVersion>\n  <artifactId>mod{i}</artifactId>\n  <dependencies>\n{body}  </dependencies>\n</project>\n')
        write(f"java/mod{i}/src/main/java/App.java", "class App {\n}\n" * 10)
        write(f"java/mod{i}/src/test/java/AppTest.java", "class AppTest {\n}\n" * 5)
    else:
        body = "\n".join(f"{x}{rng.choice(['==', '>=', '~='])}{version()}" for x in deps(10))
        write(f"tools/tool{i}/requirements.txt", body + "\n")
        write(f"tools/tool{i}/tool.py", "print(1)\n" * 10)


def git(*args):
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com", GIT_COMMITTER_NAME="Bench",
               GIT_COMMITTER_EMAIL="bench@example.com", GIT_AUTHOR_DATE="2024-01-01T00:00:00Z", GIT_COMMITTER_DATE="2024-01-01T00:00:00Z")
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=out, env=env, check=True, stdout=subprocess.DEVNULL)


os.makedirs(out, exist_ok=True)
git("init", "-q")
for i in range(n):
    package(i, 0)
git("add", "-A")
git("commit", "-qm", "generated monorepo")
for i in range(0, n, 10):
    package(i, 1)
git("add", "-A")
git("commit", "-qm", "bump a tenth of the packages")
print(f"{out}: {n} manifests")
