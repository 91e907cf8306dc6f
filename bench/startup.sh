#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Cold start of the desktop app: from starting the process to the window's first paint and to
# the first paint that shows messages, against a running quickstart-chat server.
#
#   bench/startup.sh BUILD_DIR SERVER_URL [RUNS]        (RUNS default 5)
#   bench/startup.sh BUILD_DIR --seed N [RUNS]          a host of its own with N messages
#
# With --seed, the script starts build/bin/spacetime-chat-host on a free loopback port with a
# data directory whose `message` table it filled with N rows beforehand (python3's sqlite3,
# in the host's own file format: the host creates the file, the rows go in while it is
# stopped), so the app's cold start includes loading an N-message history. The host's own
# start is not timed.
#
# Each run starts build/bin/spacetime-chat as a first-time user (empty HOME and XDG
# directories, --anonymous, --no-tray) with SPACETIME_CHAT_STARTUP_TRACE=1, which makes the
# app print "startup: window-painted MS" and "startup: messages-painted MS ROWS" (wall clock,
# src/app/startuptrace.h), then stops it. The display is a private Xvfb (started here with
# -displayfd, so no display number is guessed) or, without Xvfb, Qt's offscreen platform.
# Files are in the page cache after the first run, so later runs are warm-cache starts.
#
# Output: one JSON object per run on standard output, then the medians:
#   {"run":1,"window_ms":412,"messages_ms":655,"rows":2000,"platform":"xcb"}
#   {"median_window_ms":412,"median_messages_ms":655,"runs":5,"seeded":100000}
set -euo pipefail

usage="usage: bench/startup.sh BUILD_DIR (SERVER_URL | --seed N) [RUNS]"
build=${1:?$usage}
server=${2:?$usage}
seed=""
if [[ $server == --seed ]]; then
    seed=${3:?$usage}
    [[ $seed =~ ^[0-9]+$ ]] || { echo "startup.sh: --seed needs a message count, not '$seed'" >&2; exit 2; }
    shift
    server=""
fi
runs=${3:-5}
app="$build/bin/spacetime-chat"
[[ -x $app ]] || { echo "startup.sh: no $app (build the spacetime-chat target)" >&2; exit 2; }
timeout_s=${STDB_STARTUP_TIMEOUT:-60}

work=$(mktemp -d "${TMPDIR:-/tmp}/stdb-startup.XXXXXX")
xvfb_pid=""
app_pid=""
host_pid=""
cleanup() {
    [[ -z $app_pid ]] || { kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; }
    [[ -z $xvfb_pid ]] || { kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; }
    [[ -z $host_pid ]] || { kill "$host_pid" 2>/dev/null || true; wait "$host_pid" 2>/dev/null || true; }
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts the host on the data directory $work/data; sets host_pid and server.
start_host() {
    local hostbin="$build/bin/spacetime-chat-host"
    [[ -x $hostbin ]] || { echo "startup.sh: no $hostbin (build spacetime-chat-host)" >&2; exit 2; }
    : > "$work/host.out"
    "$hostbin" --listen 127.0.0.1:0 --data "$work/data" > "$work/host.out" 2> "$work/host.log" &
    host_pid=$!
    server=""
    for _ in $(seq 300); do
        server=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$work/host.out")
        [[ -n $server ]] && return 0
        kill -0 "$host_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "startup.sh: spacetime-chat-host did not start:" >&2
    cat "$work/host.log" >&2
    exit 1
}
stop_host() {
    kill "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
    host_pid=""
}

if [[ -n $seed ]]; then
    command -v python3 > /dev/null || { echo "startup.sh: --seed needs python3" >&2; exit 2; }
    mkdir -p "$work/data"
    start_host # creates quickstart-chat.sqlite3 with the host's tables
    stop_host
    # 100 senders, one message a second up to now, texts of chat length.
    python3 - "$work/data/quickstart-chat.sqlite3" "$seed" <<'PY'
import sqlite3, sys, time
path, n = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path)
now_us = int(time.time() * 1_000_000)
senders = ["%064x" % (0xC200_0000 + i) for i in range(100)]
rows = ((senders[i % 100], now_us - (n - i) * 1_000_000,
         "message %d: the quick brown fox jumps over the lazy dog" % i) for i in range(n))
first = db.execute("SELECT COALESCE(MAX(row_id), 0) FROM message").fetchone()[0] + 1
db.executemany("INSERT INTO message (row_id, sender, sent, text) VALUES (?, ?, ?, ?)",
               ((first + i, *r) for i, r in enumerate(rows)))
db.commit()
PY
    start_host
    echo "startup.sh: host $server with $seed seeded messages" >&2
fi

platform=offscreen
display=""
if command -v Xvfb > /dev/null; then
    # Xvfb writes the display number it chose to the given descriptor once it accepts clients.
    Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3> "$work/display" 2> "$work/xvfb.log" &
    xvfb_pid=$!
    for _ in $(seq 100); do
        [[ -s $work/display ]] && break
        kill -0 "$xvfb_pid" 2>/dev/null || break
        sleep 0.05
    done
    if [[ -s $work/display ]]; then
        display=":$(tr -dc '0-9' < "$work/display")"
        platform=xcb
    else
        echo "startup.sh: Xvfb did not start (see below); using the offscreen platform" >&2
        cat "$work/xvfb.log" >&2 || true
        kill "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true
        xvfb_pid=""
    fi
fi

now_ms() { # wall clock in ms, without forking (bash 5's EPOCHREALTIME)
    local t=${EPOCHREALTIME/[.,]/}
    echo $((t / 1000))
}

window_all=()
messages_all=()
for run in $(seq "$runs"); do
    home="$work/home-$run"
    mkdir -p "$home/config" "$home/data" "$home/cache" "$home/runtime"
    chmod 700 "$home/runtime"
    log="$work/app-$run.log"
    start=$(now_ms)
    env -u DBUS_SESSION_BUS_ADDRESS \
        HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
        XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/runtime" \
        QT_QPA_PLATFORM="$platform" ${display:+DISPLAY=$display} \
        SPACETIME_CHAT_STARTUP_TRACE=1 QT_LOGGING_RULES='*.debug=false;*.info=false' \
        "$app" --server "$server" --anonymous --no-tray > "$work/app-$run.out" 2> "$log" &
    app_pid=$!
    deadline=$((start + timeout_s * 1000))
    while ! grep -q '^startup: messages-painted ' "$log"; do
        if ! kill -0 "$app_pid" 2>/dev/null; then
            echo "startup.sh: run $run: the app exited before showing messages:" >&2
            cat "$log" >&2
            exit 1
        fi
        if (($(now_ms) > deadline)); then
            echo "startup.sh: run $run: no messages on screen after ${timeout_s}s:" >&2
            cat "$log" >&2
            exit 1
        fi
        sleep 0.02
    done
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
    app_pid=""
    window=$(awk '$1 == "startup:" && $2 == "window-painted" {print $3; exit}' "$log")
    read -r messages rows < <(awk '$1 == "startup:" && $2 == "messages-painted" {print $3, $4; exit}' "$log")
    printf '{"run":%d,"window_ms":%d,"messages_ms":%d,"rows":%d,"platform":"%s"}\n' \
        "$run" $((window - start)) $((messages - start)) "$rows" "$platform"
    window_all+=($((window - start)))
    messages_all+=($((messages - start)))
done

median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
printf '{"median_window_ms":%d,"median_messages_ms":%d,"runs":%d,"seeded":%d}\n' \
    "$(median "${window_all[@]}")" "$(median "${messages_all[@]}")" "$runs" "${seed:-0}"
