#!/usr/bin/env bash
# Checks that the repository stands on its own, as a user's fresh clone does: clones the committed
# HEAD into an empty temporary folder (nothing beside it), fails if any tracked file refers to a path
# outside the repository (the `shared` folder beside the checkout, links that leave it), then builds there and runs the
# suite's schema checks (the JSON report against schema/salvage-report.schema.json, SARIF against the
# OASIS schema in schema/). Uncommitted changes are not part of the clone: commit first.
#
#   scripts/check-standalone.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
outer="$(mktemp -d)"
trap 'rm -rf "$outer"' EXIT
clone="$outer/salvage"
git clone -q --no-hardlinks "$here" "$clone"
echo "check-standalone: cloned $(git -C "$clone" rev-parse --short HEAD) into an empty folder ($outer)" >&2

# Paths that leave the checkout: the `shared` folder beside the checkout, named anywhere, and Markdown links whose target climbs above the
# file's own folder past the repository root.
refs="$(cd "$clone" && git grep -n -I -e '\.\./shared' -- . ':!scripts/check-standalone.sh' || true)"
refs+="$(cd "$clone" && python3 - <<'PY'
import os, re, subprocess
root = os.getcwd()
for f in subprocess.run(['git', 'ls-files', '*.md'], capture_output=True, text=True).stdout.split():
    for n, line in enumerate(open(f, encoding='utf-8', errors='replace'), 1):
        for target in re.findall(r'\]\(([^)\s]+)\)', line):
            if re.match(r'[a-z]+:|#', target):
                continue
            path = os.path.normpath(os.path.join(os.path.dirname(f), target.split('#')[0]))
            if path.startswith('..'):
                print(f'{f}:{n}: a link leaves the repository ({target})')
            elif not os.path.exists(os.path.join(root, path)):
                print(f'{f}:{n}: a link to a file the repository does not have ({target})')
PY
)"
if [ -n "$refs" ]; then
  echo "check-standalone: the repository refers to paths outside itself:" >&2
  echo "$refs" >&2
  exit 1
fi

cd "$clone"
SALVAGE_NO_BROWSER=1 scripts/install-test-deps.sh
swift build --build-tests >&2
swift test --skip-build --filter 'SchemaTests|sarifValidatesAgainstTheOASISSchema'
