#!/usr/bin/env python3
"""Differential check of LineDiffer (Sources/Git/LineDiff.swift) against git on real history.

usage: linediff_check.py REPO [-n COMMITS] [--out FILE] [--run]

Lists the (old blob, new blob) pairs of modified text files in the last COMMITS non-merge commits of
REPO with what git says about them: the counts of `git log --numstat` and the added line numbers of
`git log -p -U0`. Writes them as `old new added deleted first:count,...` lines to FILE; with --run,
then runs the gated test LineDiffTests/realHistory on them (SALVAGE_LINEDIFF_PAIRS=FILE), which
compares and times LineDiffer against libgit2 (the test target must be built: swift build -c release
--build-tests, or a debug build).
"""
import argparse
import os
import re
import subprocess
import sys

ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME="/nonexistent", LC_ALL="C")


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, "-c", "core.quotePath=false", *args], env=ENV,
                          check=True, stdout=subprocess.PIPE).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("-n", type=int, default=3000)
    ap.add_argument("--out", default="/tmp/linediff-pairs.txt")
    ap.add_argument("--run", action="store_true")
    ap.add_argument("--release", action="store_true", help="run the release-built tests")
    a = ap.parse_args()

    # Blob ids and numstat per (commit, path). --raw lines come before the numstat lines of a commit.
    raw = git(a.repo, "log", "--no-merges", "--no-renames", "--raw", "--numstat", "--abbrev=40",
              "--format=%x01%H", "-n", str(a.n))
    pairs = {}  # (commit, path) -> [old, new, added, deleted]
    commit = None
    for line in raw.split(b"\n"):
        if line.startswith(b"\x01"):
            commit = line[1:].decode()
        elif line.startswith(b":"):
            meta, path = line.split(b"\t", 1)
            old_mode, new_mode, old, new, status = meta[1:].split(b" ")
            if status == b"M" and old_mode in (b"100644", b"100755", b"120000") and old_mode == new_mode:
                pairs[(commit, path)] = [old.decode(), new.decode(), None, None]
        elif line and b"\t" in line:
            added, deleted, path = line.split(b"\t", 2)
            entry = pairs.get((commit, path))
            if entry is not None:
                if added == b"-":  # binary
                    del pairs[(commit, path)]
                else:
                    entry[2], entry[3] = int(added), int(deleted)

    # Added line numbers from the -U0 hunk headers.
    runs = {}
    patch = git(a.repo, "log", "--no-merges", "--no-renames", "-p", "-U0", "--no-color", "--format=%x01%H",
                "-n", str(a.n))
    hunk = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
    path = None
    for line in patch.split(b"\n"):
        if line.startswith(b"\x01"):
            commit = line[1:].decode()
        elif line.startswith(b"diff --git "):
            path = None
        elif line.startswith(b"+++ "):
            path = line[6:] if line.startswith(b"+++ b/") else None
        elif line.startswith(b"@@ ") and path is not None:
            m = hunk.match(line)
            count = int(m.group(2)) if m.group(2) is not None else 1
            if count:
                runs.setdefault((commit, path), []).append(f"{int(m.group(1))}:{count}")

    seen = set()
    with open(a.out, "w") as f:
        for key, (old, new, added, deleted) in pairs.items():
            if added is None or (old, new) in seen:
                continue
            seen.add((old, new))
            f.write(f"{old} {new} {added} {deleted} {','.join(runs.get(key, []))}\n")
    print(f"{len(seen)} pairs from {a.n} commits written to {a.out}", file=sys.stderr)

    if a.run:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        cmd = ["swift", "test", "--skip-build", "--filter", "LineDiffTests/realHistory"]
        if a.release:
            cmd[2:2] = ["-c", "release"]
        env = dict(os.environ, SALVAGE_LINEDIFF_PAIRS=a.out, SALVAGE_LINEDIFF_REPO=os.path.abspath(a.repo))
        sys.exit(subprocess.run(cmd, cwd=root, env=env).returncode)


if __name__ == "__main__":
    main()
