#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the npm packages of the repository's two Node projects when node_modules is missing
# or stale:
#   tests/interop  the official SpacetimeDB TypeScript SDK (npm `spacetimedb`) plus esbuild and
#                  undici, for the cross-checks against the SDK
#   module         the quickstart-chat module (npm `spacetimedb` as the module library, and
#                  typescript), which `spacetime publish` builds and tests/module checks
# Both are pinned in their package.json and package-lock.json. Nothing else uses npm. Called by
# scripts/test.sh (so CI) and by the tests that run Node (tst_tsvectors, tst_tsclient,
# tst_tsdiff, tst_module) before they start.
#
#   scripts/npm-setup.sh                    both projects, each only if needed; prints what it did
#   scripts/npm-setup.sh module             only the named project(s)
#   STDB_NPM_FORCE=1 scripts/npm-setup.sh   reinstall regardless
#
# "Stale" means package.json or package-lock.json changed since the last install there (a stamp
# in node_modules keeps their hash), or the pinned `spacetimedb` is not there. With a lock file
# this runs `npm ci` (exact versions from the lock); without one, `npm install`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

die() {
    echo "npm-setup: $*" >&2
    exit 2
}

command -v node >/dev/null 2>&1 || die "node not found in PATH (Node.js 20 or newer is required; Debian: apt-get install nodejs npm)"
command -v npm >/dev/null 2>&1 || die "npm not found in PATH (Debian: apt-get install npm)"

hash_inputs() {
    (cd "$1" && cat package.json && { cat package-lock.json 2>/dev/null || true; }) | sha256sum | cut -d' ' -f1
}

up_to_date() {
    local dir=$1
    [[ -z ${STDB_NPM_FORCE:-} ]] &&
        [[ -f $dir/node_modules/.stdb-npm-setup.stamp ]] &&
        [[ $(cat "$dir/node_modules/.stdb-npm-setup.stamp") == "$(hash_inputs "$dir")" ]] &&
        [[ -f $dir/node_modules/spacetimedb/package.json ]]
}

setup() {
    local dir=$root/$1
    [[ -f $dir/package.json ]] || die "$dir/package.json is missing"
    if up_to_date "$dir"; then
        echo "npm-setup: $dir/node_modules is up to date"
        return 0
    fi
    # Several test processes may call this at once: one installs, the others wait for it.
    local lock
    lock=${TMPDIR:-/tmp}/stdb-npm-setup-$(printf '%s' "$dir" | sha256sum | cut -c1-16).lock
    (
        if command -v flock >/dev/null 2>&1; then
            exec 9>"$lock"
            flock 9
            if up_to_date "$dir"; then
                echo "npm-setup: $dir/node_modules is up to date"
                exit 0
            fi
        fi
        cd "$dir"
        if [[ -f package-lock.json ]]; then
            echo "npm-setup: npm ci in $dir"
            npm ci --no-audit --no-fund
        else
            echo "npm-setup: npm install in $dir (no package-lock.json)"
            npm install --no-audit --no-fund
        fi
        [[ -f node_modules/spacetimedb/package.json ]] || die "npm finished but $dir/node_modules/spacetimedb is missing"
        hash_inputs "$dir" >node_modules/.stdb-npm-setup.stamp
        echo "npm-setup: installed spacetimedb $(node -p "require('./node_modules/spacetimedb/package.json').version") in $dir"
    )
}

projects=("$@")
[[ ${#projects[@]} -gt 0 ]] || projects=(tests/interop module)
for p in "${projects[@]}"; do
    case $p in
    tests/interop | module) setup "$p" ;;
    *) die "unknown project '$p' (tests/interop or module)" ;;
    esac
done
