#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what is needed, builds, starts a server in the background and opens the desktop app
# connected to it. Extra arguments go to spacetime-chat, e.g.
#   scripts/run.sh --profile work --color-scheme dark
# The server: whatever already answers on 127.0.0.1:3000; else a real SpacetimeDB when its CLI
# (`spacetime`) is on PATH (`spacetime start`, and module/ published as quickstart-chat unless
# that database exists); else the development host spacetime-chat-host.
# Environment: STDB_BUILD_DIR (default build/), STDB_HOST_DATA (host data directory),
# STDB_USE_DEVHOST=1 (the development host even when `spacetime` is on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
build=${STDB_BUILD_DIR:-$PWD/build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$(nproc)" --target spacetime-chat spacetime-chat-host

data=${STDB_HOST_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/spacetime-chat-host}
mkdir -p "$data"
host_pid=""   # spacetime-chat-host, if this script started it
server_pid="" # spacetime start, if this script started it
server=""
stop_started() {
    for pid in $host_pid $server_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}

# Something that answers SpacetimeDB's ping on 3000 (our host or a real `spacetime start`)
# is reused.
if curl -fsS --max-time 2 http://127.0.0.1:3000/v1/ping >/dev/null 2>&1; then
    server=http://127.0.0.1:3000
    echo "== using the server already listening on $server"
elif [[ -z ${STDB_USE_DEVHOST:-} ]] && command -v spacetime >/dev/null 2>&1 &&
    ! (exec 3<>/dev/tcp/127.0.0.1/3000) 2>/dev/null; then
    server=http://127.0.0.1:3000
    log="$data/spacetime.log"
    echo "== spacetime start (log in $log); STDB_USE_DEVHOST=1 uses the development host instead"
    spacetime start --listen-addr 127.0.0.1:3000 >>"$log" 2>&1 &
    server_pid=$!
    trap stop_started EXIT
    for _ in $(seq 300); do
        curl -fsS --max-time 2 "$server/v1/ping" >/dev/null 2>&1 && break
        kill -0 "$server_pid" 2>/dev/null || { echo "spacetime start failed; see $log" >&2; exit 1; }
        sleep 0.2
    done
    curl -fsS --max-time 2 "$server/v1/ping" >/dev/null 2>&1 ||
        { echo "SpacetimeDB did not answer on $server; see $log" >&2; exit 1; }
    if ! curl -fsS --max-time 5 "$server/v1/database/quickstart-chat" >/dev/null 2>&1; then
        echo "== publishing module/ as quickstart-chat"
        bash scripts/npm-setup.sh module
        spacetime publish --server local --module-path module quickstart-chat
    fi
else
    # Port 3000 if it is free, otherwise any free port.
    listen=127.0.0.1:3000
    if (exec 3<>/dev/tcp/127.0.0.1/3000) 2>/dev/null; then
        listen=127.0.0.1:0
    fi
    log="$data/host.log"
    out=$(mktemp)
    "$build/bin/spacetime-chat-host" --listen "$listen" --data "$data" >"$out" 2>>"$log" &
    host_pid=$!
    trap 'stop_started; rm -f "$out"' EXIT
    for _ in $(seq 100); do
        server=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$out")
        [[ -n $server ]] && break
        kill -0 "$host_pid" 2>/dev/null || { echo "the host did not start; see $log" >&2; exit 1; }
        sleep 0.1
    done
    [[ -n $server ]] || { echo "the host did not start in time; see $log" >&2; exit 1; }
    echo "== spacetime-chat-host on $server (data in $data, log in $log)"
fi

echo "== spacetime-chat --server $server $*"
status=0
"$build/bin/spacetime-chat" --server "$server" "$@" || status=$?
exit $status
