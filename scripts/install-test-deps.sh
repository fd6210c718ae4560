#!/usr/bin/env bash
# Installs what the tests need, beside what the build needs (scripts/install-deps.sh): jsonschema for
# checking the reports against their schemas, headless Chromium for the HTML report's browser test
# (SALVAGE_NO_BROWSER=1 leaves it out; the test is skipped without it).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/install-deps.sh"
if ! python3 -c "import jsonschema" 2>/dev/null; then
  python3 -m pip install -q jsonschema >&2 2>/dev/null \
    || python3 -m pip install -q --break-system-packages jsonschema >&2 2>/dev/null \
    || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"; $sudo apt-get install -y -qq python3-jsonschema >&2; }
fi
# Headless Chromium renders the HTML report in BrowserTests (skipped without it; SALVAGE_NO_BROWSER=1
# leaves it out).
if [ "${SALVAGE_NO_BROWSER:-}" != "1" ] && ! command -v chromium >/dev/null && command -v apt-get >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing chromium for the browser test ..." >&2
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium; } >&2 \
    || echo "chromium could not be installed: the browser test will be skipped" >&2
fi
