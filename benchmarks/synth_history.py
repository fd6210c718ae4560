#!/usr/bin/env python3
"""Writes a git fast-import stream for a synthetic history: N commits by a rotating team, each editing
a few files of a tree of a few thousand files (adds, edits, deletes, renames of whole files, now and then
a large commit), with fixed dates and a fixed seed, so the same N gives the same repository.

usage: synth_history.py COMMITS | git fast-import --quiet
"""
import random
import sys

def main():
    commits = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    rng = random.Random(20261125)
    out = sys.stdout.buffer
    authors = [(f"Dev {i}", f"dev{i}@example.com") for i in range(40)]
    dirs = [f"src/mod{i:02d}" for i in range(40)] + [f"lib/pkg{i:02d}" for i in range(20)] + ["tests", "docs"]
    files = {}          # path -> list of lines
    t = 1_500_000_000
    mark = 0

    def blob(lines):
        data = ("\n".join(lines) + "\n").encode()
        return b"data %d\n%s\n" % (len(data), data)

    def new_file():
        d = rng.choice(dirs)
        ext = rng.choice([".py", ".go", ".ts", ".swift", ".md"])
        return f"{d}/f{rng.randrange(100000)}{ext}"

    def new_lines(n):
        return [f"{'    ' * rng.randrange(4)}value_{rng.randrange(1 << 30)} = compute({rng.randrange(1000)})" for _ in range(n)]

    for c in range(commits):
        t += rng.randrange(60, 7200)
        name, email = authors[(c // 50 + rng.randrange(3)) % len(authors)]
        ops = []
        big = rng.random() < 0.002
        k = rng.randrange(30, 200) if big else rng.choice([1, 1, 1, 2, 2, 3, 4, 6])
        for _ in range(k):
            r = rng.random()
            if not files or r < 0.12:
                p = new_file()
                files[p] = new_lines(rng.randrange(5, 80))
                ops.append((b"M", p))
            elif r < 0.15 and len(files) > 50:
                p = rng.choice(sorted(files)) if len(files) < 200 else rng.choice(list(files))
                del files[p]
                ops.append((b"D", p))
            else:
                p = rng.choice(list(files))
                lines = files[p]
                for _ in range(rng.randrange(1, 6)):
                    i = rng.randrange(len(lines) + 1)
                    if rng.random() < 0.4 and lines:
                        lines.pop(min(i, len(lines) - 1))
                    elif rng.random() < 0.5 and lines:
                        lines[min(i, len(lines) - 1)] = new_lines(1)[0]
                    else:
                        lines.insert(i, new_lines(1)[0])
                if not lines:
                    lines.append("x")
                ops.append((b"M", p))
        out.write(b"commit refs/heads/main\n")
        out.write(b"author %s <%s> %d +0000\n" % (name.encode(), email.encode(), t))
        out.write(b"committer %s <%s> %d +0000\n" % (name.encode(), email.encode(), t))
        msg = f"{rng.choice(['fix', 'feat', 'refactor', 'chore', 'docs'])}: change {c}".encode()
        out.write(b"data %d\n%s\n" % (len(msg), msg))
        seen = set()
        for op, p in ops:
            if p in seen:
                continue
            seen.add(p)
            if op == b"D":
                out.write(b"D %s\n" % p.encode())
            elif p in files:
                out.write(b"M 100644 inline %s\n" % p.encode())
                out.write(blob(files[p]))
        out.write(b"\n")

if __name__ == "__main__":
    main()
