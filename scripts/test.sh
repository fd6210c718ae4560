#!/usr/bin/env bash
# Installs what the tests need (the system libraries, and jsonschema for checking the report against
# its published schema) and runs the whole test suite.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/install-deps.sh"
if ! python3 -c "import jsonschema" 2>/dev/null; then
  python3 -m pip install -q jsonschema >&2 2>/dev/null \
    || python3 -m pip install -q --break-system-packages jsonschema >&2 2>/dev/null \
    || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"; $sudo apt-get install -y -qq python3-jsonschema >&2; }
fi
cd "$here"
swift build --build-tests
swift test --skip-build "$@"
