#!/usr/bin/env bash
# Fails when the code uses a platform's module or call without a guard and a path for the other
# platform: Salvage must build with Swift 6 on macOS as well as Linux, and no macOS machine checks it
# here. What it looks for:
#   - `import Glibc`, `import Musl` (and `import Darwin`) outside an `#if canImport(…)`/`#if os(…)` branch
#     for that platform, in a block that also has a branch for the other platform;
#   - Linux-only calls and fields (malloc_trim, /proc, st_mtim, MADV_DONTNEED, memrchr, …) and
#     Darwin-only ones (st_mtimespec, _NSGetExecutablePath, …) outside such a branch, in Swift and in
#     the C shims (#if defined(__GLIBC__) / __linux__ / __APPLE__);
#   - the Synchronization module (Mutex, Atomic: macOS 15) with a lower macOS in Package.swift;
#   - a system library target without a Homebrew provider beside its apt one.
#
#   scripts/check-portability.sh [ROOT]     checks ROOT (default: this checkout)
#   scripts/check-portability.sh --self-test checks that each kind of violation is caught
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

check() {
  python3 - "$1" <<'PY'
import os, re, sys

root = sys.argv[1]
LINUX = re.compile(r'canImport\((Glibc|Musl)\)|os\(Linux\)|__linux__|__GLIBC__')
DARWIN = re.compile(r'canImport\(Darwin\)|os\((macOS|iOS|tvOS|watchOS|visionOS)\)|__APPLE__')
LINUX_ONLY = [r'\bmalloc_trim\b', r'\bmallinfo2?\b', r'"/proc/', r'\bst_[amc]tim\b', r'\bMADV_(DONTNEED|HUGEPAGE|NOHUGEPAGE|POPULATE_\w+|REMOVE)\b',
              r'\bO_(PATH|DIRECT|TMPFILE|NOATIME)\b', r'\bepoll_\w+', r'\binotify_\w+', r'\bsched_getaffinity\b',
              r'\bgettid\b', r'\bmemrchr\b', r'\bstrchrnul\b', r'\bget_nprocs\b', r'\bprctl\b', r'\bGlibc\.',
              r'#\s*include\s*<(malloc\.h|linux/|sys/sysinfo\.h|endian\.h|byteswap\.h|sys/prctl\.h)']
DARWIN_ONLY = [r'\bst_[amc]timespec\b', r'\b_NSGetExecutablePath\b', r'\bos_unfair_lock\w*', r'\bmach_\w+', r'\bDarwin\.',
               r'#\s*include\s*<(mach/|mach-o/|libkern/|os/lock\.h)']
linux_only = re.compile('|'.join(LINUX_ONLY))
darwin_only = re.compile('|'.join(DARWIN_ONLY))
problems = []

def branches(lines, c):
    """For each line: the enclosing (block, branch condition) pairs; and each block's branch count."""
    stack, per_line, count, next_id = [], [], {}, 0
    for text in lines:
        s = text.strip()
        d = re.match(r'#\s*(if|ifdef|ifndef|elseif|elif|else|endif)\b(.*)', s)
        kind = d.group(1) if d else None
        if kind in ('if', 'ifdef', 'ifndef'):
            cond = d.group(2).strip()
            if kind == 'ifndef': cond = '!' + cond
            stack.append([next_id, cond, [cond]]); count[next_id] = 1; next_id += 1
        elif kind in ('elseif', 'elif') and stack:
            stack[-1][1] = d.group(2).strip(); stack[-1][2].append(stack[-1][1]); count[stack[-1][0]] += 1
        elif kind == 'else' and stack:
            stack[-1][1] = 'else of ' + ' / '.join(stack[-1][2]); count[stack[-1][0]] += 1
        elif kind == 'endif' and stack:
            stack.pop()
        per_line.append([(b[0], b[1]) for b in stack])
    return per_line, count

def guarded(conds, count, platform, other):
    for block, cond in conds:
        if count[block] < 2:
            continue
        if cond.startswith('else of '):
            earlier = cond[len('else of '):]
            if other.search(earlier) and not platform.search(earlier):
                return True
        elif platform.search(cond) and not cond.lstrip().startswith('!'):
            return True
    return False

def module_guarded(conds, module):
    return any(f'canImport({module})' in cond and not cond.startswith('else of ') for _, cond in conds)

uses_synchronization = False
for base in ('Sources', 'Tests', 'Plugins'):
    for folder, dirs, files in os.walk(os.path.join(root, base)):
        dirs[:] = [d for d in dirs if not d.startswith('.')]
        for name in sorted(files):
            if not name.endswith(('.swift', '.h', '.c', '.modulemap')):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
            per_line, count = branches(lines, name.endswith(('.h', '.c')))
            for n, text in enumerate(lines, 1):
                code = text.split('//')[0] if not re.match(r'\s*#\s*include', text) else text
                conds = per_line[n - 1]
                m = re.match(r'\s*(?:@\w+\s+)?import\s+(Glibc|Musl|Darwin|FoundationXML|FoundationNetworking|Synchronization)\b', code)
                if m:
                    module = m.group(1)
                    if module == 'Synchronization':
                        uses_synchronization = True
                    elif not module_guarded(conds, module):
                        problems.append(f'{rel}:{n}: `import {module}` outside `#if canImport({module})`')
                    elif module in ('Glibc', 'Musl', 'Darwin') and not any(count[b] >= 2 for b, c in conds if f'canImport({module})' in c):
                        problems.append(f'{rel}:{n}: `import {module}` with no branch for the other platforms')
                    continue
                hit = linux_only.search(code)
                if hit and not guarded(conds, count, LINUX, DARWIN):
                    problems.append(f'{rel}:{n}: Linux-only `{hit.group(0)}` outside an `#if os(Linux)`/`canImport(Glibc)` branch with an other-platform path')
                hit = darwin_only.search(code)
                if hit and not guarded(conds, count, DARWIN, LINUX):
                    problems.append(f'{rel}:{n}: Darwin-only `{hit.group(0)}` outside an `#if canImport(Darwin)` branch with an other-platform path')

package = os.path.join(root, 'Package.swift')
if os.path.exists(package):
    text = open(package, encoding='utf-8').read()
    mac = re.search(r'\.macOS\(\.v(\d+)', text)
    if uses_synchronization and (not mac or int(mac.group(1)) < 15):
        problems.append('Package.swift: the Synchronization module (Mutex, Atomic) needs `.macOS(.v15)` in platforms')
    for lib in re.finditer(r'\.systemLibrary\(', text):
        depth, end = 0, lib.end() - 1
        while end < len(text):
            depth += {'(': 1, ')': -1}.get(text[end], 0)
            if depth == 0:
                break
            end += 1
        decl = text[lib.end():end]
        name = re.search(r'name:\s*"(\w+)"', decl)
        if '.brew(' not in decl:
            problems.append(f'Package.swift: system library {name.group(1) if name else "?"} has no Homebrew provider')

for p in problems:
    print(p)
if problems:
    print(f'check-portability: {len(problems)} unguarded platform use(s)', file=sys.stderr)
    sys.exit(1)
print('check-portability: no unguarded platform import or call')
PY
}

if [ "${1:-}" = "--self-test" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/good/Sources/A" "$tmp/good/Sources/C"
  cat > "$tmp/good/Package.swift" <<'EOF'
platforms: [.macOS(.v15)]
.systemLibrary(name: "CGit", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]),
EOF
  cat > "$tmp/good/Sources/A/A.swift" <<'EOF'
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Synchronization
#if canImport(Darwin)
  let t = info.st_mtimespec
#else
  let t = info.st_mtim
#endif
#if os(Linux)
  let exe = "/proc/self/exe"
#else
  let exe = CommandLine.arguments[0]
#endif
// malloc_trim in a comment is fine
EOF
  cat > "$tmp/good/Sources/C/shim.h" <<'EOF'
#if defined(__GLIBC__)
#include <malloc.h>
static inline int trim(void) { return malloc_trim(0); }
#else
static inline int trim(void) { return 0; }
#endif
EOF
  check "$tmp/good" >/dev/null || { echo "self-test: a portable tree was refused" >&2; exit 1; }
  n=0
  for bad in 'import Glibc' \
             $'#if canImport(Glibc)\nimport Glibc\n#endif' \
             'let t = info.st_mtim' \
             'let e = "/proc/self/exe"' \
             $'#if os(Linux)\nlet e = "/proc/self/exe"\n#endif' \
             'let t = info.st_mtimespec' \
             'madvise(p, n, MADV_DONTNEED)'; do
    n=$((n + 1))
    rm -rf "$tmp/bad"; cp -r "$tmp/good" "$tmp/bad"
    printf '%s\n' "$bad" > "$tmp/bad/Sources/A/B.swift"
    if check "$tmp/bad" >/dev/null 2>&1; then echo "self-test: case $n was not caught: $bad" >&2; exit 1; fi
  done
  for bad in '#include <malloc.h>' 'static int t(void) { return malloc_trim(0); }'; do
    n=$((n + 1))
    rm -rf "$tmp/bad"; cp -r "$tmp/good" "$tmp/bad"
    printf '%s\n' "$bad" > "$tmp/bad/Sources/C/bad.h"
    if check "$tmp/bad" >/dev/null 2>&1; then echo "self-test: case $n was not caught: $bad" >&2; exit 1; fi
  done
  for pkg in 'platforms: [.macOS(.v14)]' $'platforms: [.macOS(.v15)]\n.systemLibrary(name: "CGit", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),'; do
    n=$((n + 1))
    rm -rf "$tmp/bad"; cp -r "$tmp/good" "$tmp/bad"
    printf '%s\n' "$pkg" > "$tmp/bad/Package.swift"
    if check "$tmp/bad" >/dev/null 2>&1; then echo "self-test: case $n was not caught: $pkg" >&2; exit 1; fi
  done
  echo "check-portability self-test: the portable tree passes, all $n violations are caught"
  exit 0
fi

check "${1:-$here}"
