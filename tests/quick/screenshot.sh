#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Takes docs/screenshots/quick-main.png: a local host with a short conversation written by
# console clients, spacetime-chat-quick as "carol" under Xvfb, and a capture of the screen.
# Usage: tests/quick/screenshot.sh [BUILD_DIR] [OUTPUT_PNG]
# Needs: xvfb, imagemagick (import), xdotool.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "${1:-$root/build}" && pwd)/bin
out=${2:-$root/docs/screenshots/quick-main.png}
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export XDG_DATA_HOME=$work/data HOME=$work/home LANG=C.UTF-8
mkdir -p "$HOME"

"$bin/spacetime-chat-host" --listen 127.0.0.1:0 --data :memory: >"$work/host.out" 2>"$work/host.err" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/host.out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/host.out")

say() { # say PROFILE LINES...
    local profile=$1; shift
    printf '%s\n' "$@" | "$bin/spacetime-chat-cli" --server "$url" --profile "$profile" \
        --insecure-token-file >/dev/null 2>&1
}
say carol '/name carol'
say alice '/name alice' 'Hi all! Has anyone tried the Qt Quick client yet?'
say bob '/name bob' 'Just now. The day sections and the online dots are nice.' \
    'Messages are <b>plain text</b>, by the way: no HTML gets rendered.'
say alice 'Good. And Shift+Enter makes a new line?'
say carol 'Yes, Enter sends.'
printf 'anonymous lurker here\n' | "$bin/spacetime-chat-cli" --server "$url" --anonymous >/dev/null 2>&1
# alice and bob stay online for the picture
for who in alice bob; do
    sleep 60 | "$bin/spacetime-chat-cli" --server "$url" --profile "$who" --insecure-token-file \
        >/dev/null 2>&1 &
    pids+=($!)
done

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1100x700x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
sleep 1
DISPLAY=$display QT_QPA_PLATFORM=xcb "$bin/spacetime-chat-quick" --server "$url" \
    --profile carol --insecure-token-file >"$work/quick.log" 2>&1 &
pids+=($!)
sleep 4
DISPLAY=$display xdotool search --name "Spacetime Chat" windowmove 0 0 windowsize 1100 700 \
    >/dev/null 2>&1 || true
sleep 2
mkdir -p "$(dirname "$out")"
DISPLAY=$display import -window root "$out"
echo "wrote $out"
