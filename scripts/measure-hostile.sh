#!/usr/bin/env bash
# Measures the hostile-input fixtures (issue 18: each must finish under 10 s and 500 MB): runs the
# suites that scan crafted repositories, one test at a time, with every `salvage` run under
# `/usr/bin/time -v` (Tests/FixtureSupport's SALVAGE_TIME_LOG), then prints per test the slowest
# run's wall time and the largest resident set of its runs, the worst of all, and exits 1 when a run
# is over either limit. Not a benchmark: times on a shared machine vary; the limits are far above.
#
# With --release the tests run a release build of `salvage` (built in .build-rel, as the benchmarks'
# builds are) instead of the debug build beside them: the limits are about what users run.
#
#   scripts/measure-hostile.sh [--release] [FILTER]   (default: the hostile, redaction and injection
#                                                     suites and the secrets scanner's hostile input)
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${SALVAGE_BINARY:-}"
if [ "${1:-}" = "--release" ]; then
  shift
  swift build -c release --scratch-path .build-rel --product salvage >/dev/null
  binary="$PWD/.build-rel/release/salvage"
fi
filter="${1:-HostileRepositoryTests|RedactedOutputTests|InjectionTests|BadInputTests|SecretsEndToEndTests/hostileInputFinishes}"
logs="$(mktemp -d "${TMPDIR:-/tmp}/salvage-hostile-XXXXXX")"
trap 'rm -rf "$logs"' EXIT
swift build --build-tests >/dev/null
status=0
SALVAGE_BINARY="$binary" SALVAGE_TIME_LOG="$logs" swift test --skip-build --no-parallel --filter "$filter" >"$logs/test.out" 2>&1 || status=$?
tail -n 3 "$logs/test.out"
measured=0
python3 - "$logs" <<'PY' || measured=$?
import os, re, sys
from collections import defaultdict
logs = sys.argv[1]
wall_limit, rss_limit_kib = 10.0, 500 * 1024
runs = defaultdict(list)
for name in os.listdir(logs):
    if not name.endswith(".time"):
        continue
    text = open(os.path.join(logs, name), errors="replace").read()
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    r = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if not (m and r):
        continue
    wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    runs[name.split(".")[0]].append((wall, int(r.group(1))))
if not runs:
    sys.exit("no measured run: did the filter match tests that run salvage?")
over = 0
print(f"{'test':58} {'runs':>4} {'max wall s':>10} {'max RSS MB':>10}")
for test in sorted(runs):
    wall = max(w for w, _ in runs[test]); rss = max(k for _, k in runs[test])
    flag = "  OVER" if wall >= wall_limit or rss >= rss_limit_kib else ""
    over += bool(flag)
    print(f"{test[:58]:58} {len(runs[test]):4} {wall:10.2f} {rss / 1024:10.1f}{flag}")
all_runs = [(w, k, t) for t, rs in runs.items() for w, k in rs]
w = max(all_runs); k = max(all_runs, key=lambda x: x[1])
print(f"worst wall: {w[0]:.2f} s ({w[2]}); worst RSS: {k[1] / 1024:.1f} MB ({k[2]}); "
      f"{len(all_runs)} runs of {len(runs)} tests; limits {wall_limit:.0f} s and {rss_limit_kib // 1024} MB")
sys.exit(1 if over else 0)
PY
[ "$status" -eq 0 ] || { echo "the tests failed (exit $status): see above" >&2; exit "$status"; }
exit "$measured"
