#!/usr/bin/env bash
# What following every line through history costs a first scan: `salvage scan --no-cache --lines`
# (release build, every analyzer and line tracking) against the same scan without the lines analyzer (no
# tracking) and against `git log --numstat --no-renames` on the same repository, runs alternated so that
# load from other processes falls on all three. Target (issue 19): the scan with line tracking at most
# 0.5x git log's wall time, and its peak memory under git log's. Prints wall, CPU and peak RSS per run
# and the median ratios.
#
#   benchmarks/lines-bench.sh [REPO] [RUNS]
#   REPO defaults to the git.git mirror (/work/.mirror/git+git/repo, 82k commits); RUNS to 3.
#   SALVAGE_TIMING=1 also prints the scan's phases (history pass, line tracking, analysis) per run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="${1:-/work/.mirror/git+git/repo}"
runs="${2:-3}"
scratch="${SCRATCH:-.build-rel}"
swift build -c release --scratch-path "$scratch" >/dev/null
bin="$scratch/release/salvage"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# Every analyzer but lines (AnalyzerRegistry.all).
others="inventory,secrets,hotspots,ownership,cadence,tests,dependencies,vulnerabilities,licences,change"

measure() { # measure NAME COMMAND...: prints "wall cpu maxrss_MiB"
  local name="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$@" >"$out/$name.out" 2>"$out/$name.err" || true
  awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 / 1024 }' "$out/time"
}

declare -a lw lc lm nw nc nm gw gc gm
for ((i = 1; i <= runs; i++)); do
  read -r a b c < <(measure lines "$bin" scan "$repo" --no-cache --lines --format json --quiet --output "$out/lines.json")
  lw+=("$a"); lc+=("$b"); lm+=("$c")
  read -r a b c < <(measure nolines "$bin" scan "$repo" --no-cache --analyzers "$others" --format json --quiet --output "$out/nolines.json")
  nw+=("$a"); nc+=("$b"); nm+=("$c")
  read -r a b c < <(measure git git -C "$repo" log --numstat --no-renames --format=%H HEAD)
  gw+=("$a"); gc+=("$b"); gm+=("$c")
  printf 'run %d: scan with lines %s s (cpu %s s, %s MiB); without %s s (cpu %s s, %s MiB); git log --numstat %s s (cpu %s s, %s MiB)\n' \
    "$i" "${lw[-1]}" "${lc[-1]}" "${lm[-1]}" "${nw[-1]}" "${nc[-1]}" "${nm[-1]}" "${gw[-1]}" "${gc[-1]}" "${gm[-1]}"
  [[ "${SALVAGE_TIMING:-}" == 1 ]] && grep -h '^timing: \(history\|lines\|analysis\)' "$out/lines.err" || true
done

python3 - "${lw[*]}" "${nw[*]}" "${gw[*]}" "${lm[*]}" "${gm[*]}" <<'PY'
import statistics, sys
lw, nw, gw, lm, gm = ([float(x) for x in a.split()] for a in sys.argv[1:6])
med = statistics.median
print(f"median wall: with lines {med(lw):.1f} s, without {med(nw):.1f} s, git log {med(gw):.1f} s")
print(f"ratio to git log (pairwise median): with lines {med([a / b for a, b in zip(lw, gw)]):.2f}x (target <= 0.5x), "
      f"without {med([a / b for a, b in zip(nw, gw)]):.2f}x")
print(f"peak RSS: with lines {med(lm):.0f} MiB, git log {med(gm):.0f} MiB")
PY
