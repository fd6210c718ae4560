#!/usr/bin/env bash
# The history-pass benchmark: builds Salvage in release mode, generates a synthetic history (100,000
# commits by default; kept in .build-bench/ between runs), and times `git log --numstat` against
# `salvage scan` on it in the same run. A second argument adds a real repository to the run.
#
#   scripts/bench.sh [COMMITS] [REAL_REPO] [extra bench.py options]
set -euo pipefail
cd "$(dirname "$0")/.."
commits="${1:-100000}"
real="${2:-}"
shift $(( $# > 2 ? 2 : $# )) || true
swift build -c release --product salvage >/dev/null
bin="$(swift build -c release --show-bin-path)/salvage"
repo=".build-bench/synthetic-$commits.git"
if [ ! -d "$repo" ]; then
  echo "generating a synthetic history of $commits commits in $repo ..."
  mkdir -p .build-bench
  git init -q --bare "$repo.tmp"
  python3 benchmarks/synth_history.py "$commits" | git -C "$repo.tmp" fast-import --quiet
  git -C "$repo.tmp" symbolic-ref HEAD refs/heads/main
  mv "$repo.tmp" "$repo"
fi
python3 benchmarks/bench.py "$bin" "$repo" --label "synthetic ($commits commits)" "$@"
if [ -n "$real" ]; then
  python3 benchmarks/bench.py "$bin" "$real" "$@"
fi
