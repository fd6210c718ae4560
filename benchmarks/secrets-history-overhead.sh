#!/usr/bin/env bash
# What scanning every added line of history for secrets adds to a scan: `salvage scan` with
# `--analyzers inventory` against `--analyzers inventory,secrets`, release build, runs alternated so that
# load from other processes falls on both. Target: wall-time ratio <= 1.30. The CPU-time ratio (user +
# system) is printed too: on a shared machine it is the steadier of the two.
#
#   benchmarks/secrets-history-overhead.sh [REPO] [RUNS]
#   REPO defaults to the git.git mirror (/work/.mirror/git+git/repo, 80k commits); RUNS to 2.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="${1:-/work/.mirror/git+git/repo}"
runs="${2:-2}"
scratch="${SCRATCH:-.build-secan}"
swift build -c release --scratch-path "$scratch" >/dev/null
bin="$scratch/release/salvage"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

measure() { # measure ANALYZERS OUTFILE: "wall cpu" seconds of one scan
  /usr/bin/time -f "%e %U %S" -o "$out/time" "$bin" scan "$repo" --analyzers "$1" --format json --quiet --output "$2"
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$out/time"
}

declare -a base with basecpu withcpu
for ((i = 1; i <= runs; i++)); do
  read -r b bc < <(measure inventory "$out/base.json")
  read -r w wc < <(measure inventory,secrets "$out/with.json")
  base+=("$b"); with+=("$w"); basecpu+=("$bc"); withcpu+=("$wc")
  printf 'run %d: inventory %.1f s (cpu %.1f s), inventory+secrets %.1f s (cpu %.1f s)\n' "$i" "$b" "$bc" "$w" "$wc"
done

python3 - "$out/with.json" "${base[*]}" "${with[*]}" "${basecpu[*]}" "${withcpu[*]}" <<'PY'
import json, sys, statistics
doc = json.load(open(sys.argv[1]))
base = [float(x) for x in sys.argv[2].split()]
withs = [float(x) for x in sys.argv[3].split()]
basecpu = [float(x) for x in sys.argv[4].split()]
withcpu = [float(x) for x in sys.argv[5].split()]
m = doc["analyzers"]["secrets"]
s = m["scanned"]
print(f"commits {doc['repository']['commitCount']}, history scanned {s['historyBytes'] / 1e6:.0f} MB in {s['historyRuns']} runs "
      f"of added lines, tip {s['tipFiles']} files / {s['tipBytes'] / 1e6:.1f} MB")
print(f"findings {m['findings']} (live {m['live']}, history-only {m['historyOnly']}), by severity {m['bySeverity']}")
b, w = min(base), min(withs)
print(f"best of {len(base)}: inventory {b:.1f} s, inventory+secrets {w:.1f} s, overhead ratio {w / b:.3f} "
      f"(median {statistics.median(withs) / statistics.median(base):.3f}); target <= 1.30")
print(f"cpu time (user+sys), best of {len(base)}: inventory {min(basecpu):.1f} s, inventory+secrets {min(withcpu):.1f} s, "
      f"ratio {min(withcpu) / min(basecpu):.3f}")
PY
