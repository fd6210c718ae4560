#!/usr/bin/env bash
# Times the `tests` and `dependencies` analyzers on a generated monorepo (benchmarks/deps_monorepo.py).
# The analyzers' own cost is the scan with them minus the scan with `inventory` only (same history and
# tree reading); best of RUNS.
# usage: benchmarks/deps-bench.sh SALVAGE_BINARY [MANIFESTS=3000] [RUNS=3]
set -euo pipefail
salvage="$1"; n="${2:-3000}"; runs="${3:-3}"
repo="$(mktemp -d)/monorepo"
python3 "$(dirname "$0")/deps_monorepo.py" "$repo" "$n"
best() {
  local min=999999
  for _ in $(seq "$runs"); do
    local start end ms
    start=$(date +%s%N)
    "$salvage" scan "$repo" --format json --quiet --analyzers "$1" > /dev/null
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    (( ms < min )) && min=$ms
  done
  echo "$min"
}
base=$(best inventory)
both=$(best inventory,tests,dependencies)
echo "manifests: $n"
echo "scan with inventory only: ${base} ms"
echo "scan with inventory, tests, dependencies: ${both} ms"
echo "tests + dependencies: $(( both - base )) ms, $(( (both - base) * 1000 / n )) ms per thousand manifests"
rm -rf "$(dirname "$repo")"
