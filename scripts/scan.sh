#!/usr/bin/env bash
# Installs what is missing (libgit2-dev, libpcre2-dev through apt), builds Salvage in release mode and
# scans a repository: the path given, else the current folder. Writes salvage-report.json and
# salvage-report.txt into the current folder and prints the summary.
#
#   scripts/scan.sh [PATH] [more salvage scan options]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/install-deps.sh"
swift build -c release --package-path "$here" --product salvage >&2
bin="$(swift build -c release --package-path "$here" --show-bin-path)/salvage"
target="${1:-.}"
[ $# -gt 0 ] && shift
"$bin" scan "$target" --format json,text --output salvage-report "$@"
cat salvage-report.txt
echo "Reports: $(pwd)/salvage-report.json, $(pwd)/salvage-report.txt" >&2
