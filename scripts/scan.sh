#!/usr/bin/env bash
# Installs what is missing (libgit2-dev, libpcre2-dev, libdeflate-dev through apt), builds Salvage in release mode and
# scans a repository: the path given, else the bundled demonstration repository (fixtures/demo.sh,
# built into .build-demo/demo-repo the first time). Writes salvage-report.{html,md,json,txt} into the
# current folder and prints the summary.
#
#   scripts/scan.sh [PATH] [more salvage scan options]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/install-deps.sh"
swift build -c release --package-path "$here" --product salvage >&2
bin="$(swift build -c release --package-path "$here" --show-bin-path)/salvage"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  target="$1"
  shift
else
  target="$here/.build-demo/demo-repo"
  if [ ! -d "$target/.git" ] || [ "$here/fixtures/demo.sh" -nt "$target/.git" ]; then
    echo "building the demonstration repository in $target ..." >&2
    rm -rf "$target" "$target.tmp"
    mkdir -p "$target.tmp"
    (cd "$target.tmp" && FIXTURE_HOME="$(mktemp -d)" bash -c "source '$here/fixtures/lib.sh'; source '$here/fixtures/demo.sh'") >&2
    mv "$target.tmp" "$target"
  fi
fi
# The demonstration history is dated: show it as of its last commit, as it was when it was made.
[ "$target" = "$here/.build-demo/demo-repo" ] && set -- --now last-commit "$@"
"$bin" scan "$target" --format html,md,json,text --output salvage-report "$@"
cat salvage-report.txt
echo "Reports: $(pwd)/salvage-report.html, .md, .json, .txt" >&2
