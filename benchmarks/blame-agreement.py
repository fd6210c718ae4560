#!/usr/bin/env python3
"""How many of a tip's lines the line tracker attributes as `git blame` does, overall and per author.

Two steps, so that the slow one (blaming every tip file of a long history takes hours) runs once, in
the background, and can be stopped and resumed:

  benchmarks/blame-agreement.py blame REPO OUT.tsv
      runs `git blame --porcelain HEAD -- PATH` for every tip file (submodules left out), one at a time,
      in a fixed shuffled order (so a run stopped early is a fair sample), appending one line per file
      to OUT.tsv: path, then its lines' commits as runs "commit*count". Files already in OUT.tsv are
      skipped (resume).
  benchmarks/blame-agreement.py blame REPO OUT2.tsv --meeting OUT.tsv
      the same from the other end of the order, stopping at the first file OUT.tsv holds: a second
      process beside the first uses the second core (`cat OUT.tsv OUT2.tsv` is then the whole table).
  benchmarks/blame-agreement.py compare REPO BLAME.tsv ORIGINS.tsv
      compares with the tracker's origins (`salvage line-origins REPO > ORIGINS.tsv`, a release build,
      renames followed as git blame follows them) over the files both have: lines whose commit agrees,
      lines whose author agrees (the commit's recorded author name, `%aN`, on both sides), and per
      author the sum of |ours - blame| surviving lines.

git blame always follows renames; the tracker follows them with `--renames` (its own search for a
rename source, git blame's rules: `RenameSearch` in Sources/Git).
"""
import collections
import os
import random
import subprocess
import sys


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True).stdout


def tip_files(repo):
    out = []
    for entry in git(repo, "ls-tree", "-r", "-z", "HEAD").split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        if not meta.startswith(b"160000"):
            out.append(path)
    return sorted(out)


def blame_runs(repo, path):
    """The commit of each line of PATH at HEAD, as [(commit, count)]."""
    data = git(repo, "blame", "--porcelain", "HEAD", "--", path.decode("utf-8", "surrogateescape"))
    runs = []
    for line in data.split(b"\n"):
        # A header line: 40 hex, original line, final line[, group size]; content lines start with a tab.
        if len(line) > 41 and line[40:41] == b" " and not line.startswith(b"\t"):
            parts = line.split(b" ")
            if len(parts) >= 3 and len(parts[0]) == 40 and parts[1].isdigit():
                commit = parts[0].decode()
                if runs and runs[-1][0] == commit:
                    runs[-1][1] += 1
                else:
                    runs.append([commit, 1])
    return runs


def read_table(file):
    """path bytes -> list of commits per line."""
    table = {}
    with open(file, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            if not line:
                continue
            fields = line.split(b"\t")
            lines = []
            for run in fields[1:]:
                commit, count = run.split(b"*")
                lines.extend([commit.decode()] * int(count))
            table[bytes.fromhex(fields[0].decode())] = lines
    return table


def table_paths(file):
    """The paths a table holds, without reading their lines."""
    if not os.path.exists(file):
        return set()
    with open(file, "rb") as f:
        return {bytes.fromhex(line.split(b"\t", 1)[0].strip().decode()) for line in f if line.strip()}


def blame(repo, out, meeting=None):
    done = table_paths(out)
    files = tip_files(repo)
    random.Random(19).shuffle(files)
    if meeting:
        files.reverse()
    with open(out, "ab") as f:
        for n, path in enumerate(files):
            if path in done:
                continue
            if meeting and path in table_paths(meeting):
                break
            try:
                runs = blame_runs(repo, path)
            except subprocess.CalledProcessError:
                continue
            f.write(path.hex().encode() + b"".join(b"\t%s*%d" % (c.encode(), k) for c, k in runs) + b"\n")
            f.flush()
            if n % 100 == 0:
                print(f"{n}/{len(files)}", file=sys.stderr, flush=True)


def compare(repo, blamed_file, origins_file):
    names = {}
    for line in git(repo, "log", "--format=%H%x09%aN", "HEAD").decode("utf-8", "replace").split("\n"):
        if "\t" in line:
            h, name = line.split("\t", 1)
            names[h] = name
    blamed, ours = read_table(blamed_file), read_table(origins_file)
    files = lines = commit_same = author_same = 0
    untracked_files = untracked_lines = 0
    by_git, by_ours = collections.Counter(), collections.Counter()
    examples = []
    for path, theirs in sorted(blamed.items()):
        if path not in ours:
            # Binary files (blame gives their "lines") and blobs the snapshot lacks are not tracked.
            untracked_files += 1
            untracked_lines += len(theirs)
            continue
        mine = ours[path]
        files += 1
        lines += len(theirs)
        same = 0
        for a, b in zip(theirs, mine):
            same += a == b
            author_same += names.get(a) == names.get(b)
        commit_same += same
        for c in theirs:
            by_git[names.get(c, c)] += 1
        for c in mine:
            by_ours[names.get(c, c)] += 1
        if (same < len(theirs) or len(mine) != len(theirs)) and len(examples) < 10:
            examples.append(f"  {path.decode('utf-8', 'replace')}: {len(theirs) - same} of {len(theirs)} lines differ (ours {len(mine)})")
    apart = sum(abs(by_git[a] - by_ours[a]) for a in set(by_git) | set(by_ours))
    pct = lambda n: 100.0 * n / max(1, lines)
    print(f"files compared {files} (of {len(blamed)} blamed; not tracked: {untracked_files} files, {untracked_lines} lines)")
    print(f"lines {lines}: commit agrees {commit_same} ({pct(commit_same):.3f}%), author agrees {author_same} ({pct(author_same):.3f}%)")
    print(f"per-author surviving lines: sum of |ours - blame| = {apart} ({pct(apart):.3f}% of lines); "
          f"authors {len(by_git)} by blame, {len(by_ours)} ours")
    top = by_git.most_common(10)
    for name, n in top:
        print(f"  {name}: blame {n}, ours {by_ours[name]}")
    print("\n".join(examples))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "blame":
        blame(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 6 and sys.argv[1] == "blame" and sys.argv[4] == "--meeting":
        blame(sys.argv[2], sys.argv[3], meeting=sys.argv[5])
    elif len(sys.argv) == 5 and sys.argv[1] == "compare":
        compare(*sys.argv[2:])
    else:
        sys.exit(__doc__)
