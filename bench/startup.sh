#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Cold start of the desktop app: from starting the process to the window's first paint and to
# the first paint that shows messages, against a running quickstart-chat server.
#
#   bench/startup.sh BUILD_DIR SERVER_URL [RUNS]        (RUNS default 5)
#
# Each run starts build/bin/spacetime-chat as a first-time user (empty HOME and XDG
# directories, --anonymous, --no-tray) with SPACETIME_CHAT_STARTUP_TRACE=1, which makes the
# app print "startup: window-painted MS" and "startup: messages-painted MS ROWS" (wall clock,
# src/app/startuptrace.h), then stops it. The display is a private Xvfb (started here with
# -displayfd, so no display number is guessed) or, without Xvfb, Qt's offscreen platform.
# Files are in the page cache after the first run, so later runs are warm-cache starts.
#
# Output: one JSON object per run on standard output:
#   {"run":1,"window_ms":412,"messages_ms":655,"rows":2000,"platform":"xcb"}
set -euo pipefail

build=${1:?usage: bench/startup.sh BUILD_DIR SERVER_URL [RUNS]}
server=${2:?usage: bench/startup.sh BUILD_DIR SERVER_URL [RUNS]}
runs=${3:-5}
app="$build/bin/spacetime-chat"
[[ -x $app ]] || { echo "startup.sh: no $app (build the spacetime-chat target)" >&2; exit 2; }
timeout_s=${STDB_STARTUP_TIMEOUT:-60}

work=$(mktemp -d "${TMPDIR:-/tmp}/stdb-startup.XXXXXX")
xvfb_pid=""
app_pid=""
cleanup() {
    [[ -z $app_pid ]] || { kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; }
    [[ -z $xvfb_pid ]] || { kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; }
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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
done
