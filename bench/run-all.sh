#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every benchmark and writes docs/PERFORMANCE.md (issue 11).
#
#   bench/run-all.sh [BUILD_DIR]          (default: build/; about 4-6 minutes on 2 cores)
#   STDB_BENCH_QUICK=1 bench/run-all.sh   small sizes, under a minute: checks the plumbing only
#
# Environment:
#   STDB_BENCH_QUICK=1     small sizes everywhere (figures not comparable with a full run)
#   STDB_BENCH_OUT=FILE    where the report goes (default docs/PERFORMANCE.md)
#   STDB_BENCH_KEEP=DIR    also keep the raw outputs in DIR
#   STDB_BENCH_NO_TS=1     skip the official TypeScript SDK (no node / node_modules)
#
# Needs the targets spacetime-bench, spacetime-bench-hostload, spacetime-bench-latency,
# spacetime-bench-view,
# spacetime-chat-host and
# spacetime-chat in BUILD_DIR (build them with -DCMAKE_BUILD_TYPE=Release or RelWithDebInfo),
# python3 for the report, Xvfb for the cold start (else Qt's offscreen platform), and for the
# TypeScript comparison node plus tests/interop/node_modules (scripts/npm-setup.sh).
#
# Every benchmark runs one after the other (never two at once). The report states the machine,
# the date and the load average when each benchmark started; other work on the machine shows
# up in the figures, so run it on a quiet machine.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
bin="$build/bin"
quick=${STDB_BENCH_QUICK:-0}
out=${STDB_BENCH_OUT:-$root/docs/PERFORMANCE.md}

for prog in spacetime-bench spacetime-bench-hostload spacetime-bench-latency spacetime-bench-view spacetime-chat-host spacetime-chat; do
    [[ -x $bin/$prog ]] || {
        echo "run-all.sh: $bin/$prog is missing; build it:" >&2
        echo "  cmake --build $build --target spacetime-bench spacetime-bench-hostload spacetime-bench-latency spacetime-bench-view spacetime-chat-host spacetime-chat" >&2
        exit 2
    }
done
command -v python3 > /dev/null || { echo "run-all.sh: python3 is needed for the report" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/stdb-bench.XXXXXX")
raw="$work/raw"
mkdir -p "$raw"
host_pid=""
cleanup() {
    local status=$?
    if [[ -n $host_pid ]]; then
        kill "$host_pid" 2>/dev/null || true
        wait "$host_pid" 2>/dev/null || true
    fi
    if [[ -n ${STDB_BENCH_KEEP:-} ]]; then
        mkdir -p "$STDB_BENCH_KEEP"
        cp -r "$raw"/. "$STDB_BENCH_KEEP"/
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Sizes: full run vs. quick plumbing check.
if [[ $quick == 1 ]]; then
    decode_args=(--rows 100000)
    apply_args=(--rows 100000 --runs 2 --tx 200 --reps 2)
    chat_args=(--messages 100000 --live-seconds 2)
    chat_compressed_args=(--messages 100000 --live-seconds 1)
    startup_seed=10000
    stall_args=(--rows 100000)
    growth_args=(--mb 9 --runs 1)
    roundtrip_calls=300
    hostload_args=(--clients 5 --seconds 3)
    view_args=(--sizes 10000 --reps 5 --paint-reps 2)
    startup_runs=2
    latency_seconds=3
else
    decode_args=()                        # 10k, 100k, 1M rows
    apply_args=()                         # 100k and 1M rows, 4 runs (2 for the TS SDK at 1M),
                                          # 5 process pairs, ours and TS alternating
    chat_args=()                          # 1M messages, then 10 000 rows/s for 5 s
    chat_compressed_args=(--live-seconds 1) # the same history, gzip and Brotli on the wire
    startup_seed=100000                   # messages in the host's table at the cold start
    stall_args=()                         # 1M rows
    growth_args=()                        # 92 MB (a 1M history), 3 processes per variant
    roundtrip_calls=2000
    hostload_args=(--clients 50 --rate 20 --seconds 30)
    view_args=()                          # 10k, 100k, 200k rows
    startup_runs=5
    latency_seconds=10
fi
[[ ${STDB_BENCH_NO_TS:-0} != 1 ]] || apply_args+=(--no-ts)

# ---- the machine ----------------------------------------------------------------------------
{
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)"
    echo "cores=$(nproc)"
    echo "memory_gb=$(awk '/^MemTotal:/ {printf "%.1f", $2 / 1048576}' /proc/meminfo 2>/dev/null)"
    echo "kernel=$(uname -sr)"
    echo "os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")"
    echo "qt=$(pkg-config --modversion Qt6Core 2>/dev/null || echo unknown)"
    echo "node=$(node --version 2>/dev/null || echo none)"
    echo "commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "build=$build"
    echo "build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null)"
    echo "quick=$quick"
} > "$raw/machine.txt"

# Each step: its command line, start time and load average go next to its output.
step() {
    local name=$1
    shift
    printf '== %s: %s\n' "$name" "$*" >&2
    {
        echo "started=$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
        echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
        echo "command=$*"
    } > "$raw/$name.meta"
    local t0=$SECONDS
    "$@" > "$raw/$name.out" 2> "$raw/$name.err" || {
        local status=$?
        echo "run-all.sh: $name failed (exit $status):" >&2
        tail -20 "$raw/$name.err" >&2
        return "$status"
    }
    echo "seconds=$((SECONDS - t0))" >> "$raw/$name.meta"
}

# Library chatter off; the figures are on standard output.
export QT_LOGGING_RULES='*.debug=false;*.info=false'
export QT_QPA_PLATFORM=offscreen

step decode "$bin/spacetime-bench" decode --json "${decode_args[@]}"
step apply "$bin/spacetime-bench" apply --json "${apply_args[@]}"
step chat "$bin/spacetime-bench" chat "${chat_args[@]}"
step chat_gzip "$bin/spacetime-bench" chat --compression gzip "${chat_compressed_args[@]}"
step chat_brotli "$bin/spacetime-bench" chat --compression brotli "${chat_compressed_args[@]}"
# The same history with the client's malloc on transparent huge pages (glibc >= 2.35): how much
# of the client's time is first-touch page faults in buffers it does not allocate itself.
step chat_thp env GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "$bin/spacetime-bench" chat "${chat_compressed_args[@]}"
# The proposal awaiting a decision (issue 21): the SDK reads the WebSocket frames itself after
# QWebSocket's handshake (ConnectionOptions::ownFrameReader, off by default).
step chat_own "$bin/spacetime-bench" chat --own-frame-reader "${chat_compressed_args[@]}"
step chat_gzip_own "$bin/spacetime-bench" chat --own-frame-reader --compression gzip "${chat_compressed_args[@]}"
step chat_brotli_own "$bin/spacetime-bench" chat --own-frame-reader --compression brotli "${chat_compressed_args[@]}"
# Why the default reader's reassembly costs what it does: the same growth with nothing else.
step growth "$bin/spacetime-bench" growth --json "${growth_args[@]}"
step stall "$bin/spacetime-bench" stall "${stall_args[@]}"
step hostload "$bin/spacetime-bench-hostload" "${hostload_args[@]}"
step view "$bin/spacetime-bench-view" "${view_args[@]}"

# ---- a host of our own for the round trip ---------------------------------------------------
# Loopback, a port the kernel picks, nothing on disk.
"$bin/spacetime-chat-host" --listen 127.0.0.1:0 --data :memory: > "$work/host.out" 2> "$work/host.log" &
host_pid=$!
server=""
for _ in $(seq 100); do
    server=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$work/host.out")
    [[ -n $server ]] && break
    kill -0 "$host_pid" 2>/dev/null || break
    sleep 0.1
done
[[ -n $server ]] || { echo "run-all.sh: spacetime-chat-host did not start:" >&2; cat "$work/host.log" >&2; exit 1; }
echo "host=$server" >> "$raw/machine.txt"

step roundtrip "$bin/spacetime-bench" roundtrip --uri "$server" --calls "$roundtrip_calls"
kill "$host_pid" 2>/dev/null || true
wait "$host_pid" 2>/dev/null || true
host_pid=""

# The cold start against a host of the script's own whose table holds startup_seed messages.
step startup env -u QT_QPA_PLATFORM bash "$root/bench/startup.sh" "$build" --seed "$startup_seed" "$startup_runs"

# The app's event loop while sending and receiving with notifications: a private session bus
# when dbus-run-session is there, so notifications take the D-Bus path (the bench starts its
# own host).
latency_cmd=("$bin/spacetime-bench-latency" --seconds "$latency_seconds")
if command -v dbus-run-session > /dev/null 2>&1; then
    latency_cmd=(dbus-run-session -- "${latency_cmd[@]}")
fi
step latency "${latency_cmd[@]}"

# ---- the report -----------------------------------------------------------------------------
mkdir -p "$(dirname "$out")"
python3 "$root/bench/report.py" "$raw" > "$work/report.md"
mv "$work/report.md" "$out"
echo "run-all.sh: wrote $out" >&2
