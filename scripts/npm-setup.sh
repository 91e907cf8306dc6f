#!/usr/bin/env bash
# Installs the npm packages of tests/interop (the official SpacetimeDB TypeScript SDK, pinned in
# tests/interop/package.json and package-lock.json) when node_modules is missing or stale.
# Nothing else in the repository uses npm. Called by scripts/test.sh (so CI) and by the
# tst_tsvectors test before it runs Node.
#
#   scripts/npm-setup.sh            install if needed; prints what it did
#   STDB_NPM_FORCE=1 scripts/npm-setup.sh   reinstall regardless
#
# "Stale" means package.json or package-lock.json changed since the last install here (a stamp
# in node_modules keeps their hash), or the pinned SDK is not there. With a lock file this runs
# `npm ci` (exact versions from the lock); without one, `npm install`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/tests/interop

die() {
    echo "npm-setup: $*" >&2
    exit 2
}

command -v node >/dev/null 2>&1 || die "node not found in PATH (Node.js 20 or newer is required; Debian: apt-get install nodejs npm)"
command -v npm >/dev/null 2>&1 || die "npm not found in PATH (Debian: apt-get install npm)"
[[ -f $dir/package.json ]] || die "$dir/package.json is missing"

hash_inputs() {
    (cd "$dir" && cat package.json && { cat package-lock.json 2>/dev/null || true; }) | sha256sum | cut -d' ' -f1
}

stamp=$dir/node_modules/.stdb-npm-setup.stamp

up_to_date() {
    [[ -z ${STDB_NPM_FORCE:-} ]] &&
        [[ -f $stamp ]] &&
        [[ $(cat "$stamp") == "$(hash_inputs)" ]] &&
        [[ -f $dir/node_modules/spacetimedb/package.json ]]
}

if up_to_date; then
    echo "npm-setup: $dir/node_modules is up to date"
    exit 0
fi

# Several test processes may call this at once: one installs, the others wait for it.
lock=${TMPDIR:-/tmp}/stdb-npm-setup-$(printf '%s' "$dir" | sha256sum | cut -c1-16).lock
if command -v flock >/dev/null 2>&1; then
    exec 9>"$lock"
    flock 9
    if up_to_date; then
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
[[ -f node_modules/spacetimedb/package.json ]] || die "npm finished but node_modules/spacetimedb is missing"
hash_inputs >"$stamp"
echo "npm-setup: installed spacetimedb $(node -p "require('./node_modules/spacetimedb/package.json').version")"
