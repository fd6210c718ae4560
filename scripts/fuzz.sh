#!/usr/bin/env bash
# Fuzzes every parser of repository bytes (dependency manifests, TOML, commits, loose objects, deltas,
# packs) for a bounded time: scripts/fuzz.sh [SECONDS per target, default 60] [SEED].
# An input that crashes a parser is kept in Tests/FuzzTests/Crashes/<target>/, which the test suite
# replays on every run (FuzzTests.crashesStayFixed); fix the parser and commit the input with the fix.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
seed="${2:-$(date +%s)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
swift build --build-tests >/dev/null || exit 1
status=0
for target in manifests toml commitsAndObjects packs; do
  echo "fuzz: $target for ${seconds} s per target (seed $seed)"
  # A hang is a failure too: the run gets its time plus a margin per target it holds.
  SALVAGE_FUZZ_SECONDS="$seconds" SALVAGE_FUZZ_SEED="$seed" SALVAGE_FUZZ_DIR="$work" \
    timeout $((seconds * 4 + 120)) swift test --skip-build --filter "FuzzTests/$target" >"$work/log" 2>&1
  rc=$?
  grep -E "^fuzz " "$work/log"
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "fuzz: $target failed (exit $rc): the last input of each target it ran is kept"
    grep -E "Fatal error|runtime failure|crashed" "$work/log" | head -5
    for last in "$work"/*.last; do
      [ -e "$last" ] || continue
      name="$(basename "$last" .last)"
      [ "$name" = pack ] && { cp "$last" "fuzz-crash-pack-$seed.bin"; echo "kept fuzz-crash-pack-$seed.bin (replay by hand)"; continue; }
      mkdir -p "Tests/FuzzTests/Crashes/$name"
      kept="Tests/FuzzTests/Crashes/$name/$seed-$(sha1sum "$last" | cut -c1-12)"
      cp "$last" "$kept"
      echo "kept $kept"
    done
  fi
  rm -f "$work"/*.last
done
exit $status
