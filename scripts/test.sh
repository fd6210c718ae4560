#!/usr/bin/env bash
# Installs what the tests need (scripts/install-test-deps.sh), checks the code's portability, and runs
# the whole test suite. Arguments go to `swift test` (e.g. --filter Name).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/install-test-deps.sh"
cd "$here"
# Every platform import and call guarded, with a path for macOS (and the check catches what it must).
scripts/check-portability.sh --self-test
scripts/check-portability.sh
swift build --build-tests
swift test --skip-build "$@"
