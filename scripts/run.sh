#!/usr/bin/env bash
# Installs what is needed, builds, starts the local development host in the background and
# opens the desktop app connected to it. Extra arguments go to spacetime-chat, e.g.
#   scripts/run.sh --profile work --color-scheme dark
# Environment: STDB_BUILD_DIR (default build/), STDB_HOST_DATA (host data directory).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
build=${STDB_BUILD_DIR:-$PWD/build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$(nproc)" --target spacetime-chat spacetime-chat-host

data=${STDB_HOST_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/spacetime-chat-host}
mkdir -p "$data"
host_pid=""
server=""

# Something that answers SpacetimeDB's ping on 3000 (our host or a real `spacetime start`)
# is reused.
if curl -fsS --max-time 2 http://127.0.0.1:3000/v1/ping >/dev/null 2>&1; then
    server=http://127.0.0.1:3000
    echo "== using the server already listening on $server"
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
    trap 'if [[ -n $host_pid ]]; then kill "$host_pid" 2>/dev/null; wait "$host_pid" 2>/dev/null || true; fi; rm -f "$out"' EXIT
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
