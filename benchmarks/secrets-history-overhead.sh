#!/usr/bin/env bash
# What scanning every added line of history for secrets costs, and how a whole scan compares with
# gitleaks' secrets-only scan of the same history. Release build, runs alternated so that load from
# other processes falls on every command alike; wall and CPU time (user + system, children included:
# gitleaks runs `git log -p`) of each run.
#
#   benchmarks/secrets-history-overhead.sh [REPO] [RUNS]
#
# REPO: a repository (default: the git.git mirror, /work/.mirror/git+git/repo, 80k commits), or
# `synth:N` for the synthetic history of benchmarks/synth_history.py with N commits (built once into
# $TMPDIR/salvage-synth-N.git). RUNS defaults to 2. Every salvage scan runs with --no-cache.
#
# Targets (issue 17): inventory+secrets within +10% of inventory alone (CPU); a whole scan at least 4x
# faster than `gitleaks git` (wall). Set NO_GITLEAKS=1 to skip gitleaks.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="${1:-/work/.mirror/git+git/repo}"
runs="${2:-2}"
scratch="${SCRATCH:-.build-secan}"
if [[ "$repo" == synth:* ]]; then
  n="${repo#synth:}"
  repo="${TMPDIR:-/tmp}/salvage-synth-$n.git"
  if [[ ! -d "$repo" ]]; then
    git init -q --bare "$repo"
    python3 benchmarks/synth_history.py "$n" | git -C "$repo" fast-import --quiet
    git -C "$repo" symbolic-ref HEAD refs/heads/main
  fi
fi
swift build -c release --scratch-path "$scratch" >/dev/null
bin="$scratch/release/salvage"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
gitleaks_bin="$(command -v gitleaks || true)"
[[ -n "${NO_GITLEAKS:-}" ]] && gitleaks_bin=""

timed() { # timed NAME COMMAND...: prints "wall cpu" seconds of one run
  local name="$1"
  shift
  /usr/bin/time -f "%e %U %S" -o "$out/time-$name" "$@" >/dev/null 2>"$out/err-$name" || {
    echo "$name failed:" >&2
    cat "$out/err-$name" >&2
    exit 1
  }
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$out/time-$name"
}

results="$out/results"
for ((i = 1; i <= runs; i++)); do
  read -r w c < <(timed inventory "$bin" scan "$repo" --no-cache --analyzers inventory --format json --quiet --output "$out/inventory.json")
  echo "inventory $w $c" >>"$results"
  read -r w c < <(timed secrets "$bin" scan "$repo" --no-cache --analyzers inventory,secrets --format json --quiet --output "$out/with.json")
  echo "inventory+secrets $w $c" >>"$results"
  read -r w c < <(timed whole "$bin" scan "$repo" --no-cache --format json --quiet --output "$out/whole.json")
  echo "whole $w $c" >>"$results"
  if [[ -n "$gitleaks_bin" ]]; then
    # `--full-history HEAD` in place of gitleaks' default `--all`: the commits a Salvage scan reads (the
    # tip's history), and on a partial clone such as the git.git mirror `--all` reaches blobs through
    # other refs that are not there, where `git log -p` stops with "unable to read".
    read -r w c < <(timed gitleaks "$gitleaks_bin" git "$repo" --no-banner --log-level error --exit-code 0 --report-format json \
      --log-opts="--full-history HEAD" --report-path "$out/gitleaks.json")
    echo "gitleaks $w $c" >>"$results"
  fi
  echo "run $i: $(grep -c . "$results") timings so far" >&2
done

python3 - "$out/with.json" "$results" <<'PY'
import json, sys, statistics
doc = json.load(open(sys.argv[1]))
rows = {}
for line in open(sys.argv[2]):
    name, wall, cpu = line.split()
    rows.setdefault(name, []).append((float(wall), float(cpu)))
m = doc["analyzers"]["secrets"]
s = m["scanned"]
print(f"commits {doc['repository']['commitCount']}, history scanned {s['historyBytes'] / 1e6:.0f} MB in {s['historyRuns']} runs "
      f"of added lines, tip {s['tipFiles']} files / {s['tipBytes'] / 1e6:.1f} MB; secrets findings {m['findings']}")
print(f"{'command':<18} {'wall median':>11} {'wall min':>9} {'cpu median':>10} {'cpu min':>8}  (seconds, {len(rows['inventory'])} runs)")
for name, values in rows.items():
    walls = [w for w, _ in values]
    cpus = [c for _, c in values]
    print(f"{name:<18} {statistics.median(walls):>11.2f} {min(walls):>9.2f} {statistics.median(cpus):>10.2f} {min(cpus):>8.2f}")
def ratio(a, b, k):
    # Pair by pair (run i of a against run i of b), then the median: drift in the machine's speed
    # falls on both members of a pair.
    return statistics.median(x[k] / y[k] for x, y in zip(rows[a], rows[b]))
print(f"secrets overhead, inventory+secrets / inventory: cpu {ratio('inventory+secrets', 'inventory', 1):.3f}, "
      f"wall {ratio('inventory+secrets', 'inventory', 0):.3f} (target cpu <= 1.10)")
if "gitleaks" in rows:
    print(f"gitleaks git / whole salvage scan: wall {ratio('gitleaks', 'whole', 0):.2f}x, cpu {ratio('gitleaks', 'whole', 1):.2f}x "
          f"(target wall >= 4)")
PY
