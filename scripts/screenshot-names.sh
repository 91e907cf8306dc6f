#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Takes docs/screenshots/app-lookalike-names.png: three people called Bob — "Bob" (this window),
# "bob" and "Воb" with a Cyrillic В and о — told apart by the start of their identity in the
# conversation, the people list and the window title. A local host with a conversation written by
# console clients, spacetime-chat under Xvfb, renamed and driven with xdotool, a capture of the
# screen. Then the host stops, and docs/screenshots/app-people-connection-lost.png shows the
# people list greyed while the connection is down.
# Usage: scripts/screenshot-names.sh [BUILD_DIR] [OUTPUT_PNG] [OUTPUT_LOST_PNG]
# Needs: xvfb, imagemagick (import), xdotool.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/build}" && pwd)/bin
out=${2:-$root/docs/screenshots/app-lookalike-names.png}
out_lost=${3:-$root/docs/screenshots/app-people-connection-lost.png}
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config HOME=$work/home LANG=C.UTF-8
mkdir -p "$HOME"

"$bin/spacetime-chat-host" --listen 127.0.0.1:0 --data :memory: >"$work/host.out" 2>"$work/host.err" &
host_pid=$!
pids+=($host_pid)
for _ in $(seq 50); do grep -q listening "$work/host.out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/host.out")

say() { # say PROFILE LINES...
    local profile=$1; shift
    printf '%s\n' "$@" | "$bin/spacetime-chat-cli" --server "$url" --profile "$profile" \
        --insecure-token-file >/dev/null 2>&1
}
cyrillic_bob=$'\u0412\u043eb'
say carol '/name Carol' 'Is Bob coming to the release party tonight?'
say bob2 '/name bob' 'I am! Bringing snacks.'
say bob3 "/name $cyrillic_bob" "Yes, it's me, Bob. Carol, can you send me the door code?"
# "bob" and the look-alike stay online for the picture.
for who in bob2 bob3; do
    sleep 120 | "$bin/spacetime-chat-cli" --server "$url" --profile "$who" --insecure-token-file \
        >/dev/null 2>&1 &
    pids+=($!)
done

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1100x720x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
sleep 1
DISPLAY=$display QT_QPA_PLATFORM=xcb "$bin/spacetime-chat" --server "$url" --profile default \
    --insecure-token-file --no-tray --color-scheme light >"$work/app.log" 2>&1 &
pids+=($!)
sleep 4
win=$(DISPLAY=$display xdotool search --name "Spacetime Chat" | head -1)
DISPLAY=$display xdotool windowmove "$win" 0 0 windowsize "$win" 1100 720 >/dev/null 2>&1 || true
sleep 1
DISPLAY=$display xdotool windowactivate --sync "$win" >/dev/null 2>&1 || DISPLAY=$display xdotool windowfocus "$win"
DISPLAY=$display xdotool type --delay 20 '/name Bob'
DISPLAY=$display xdotool key Return
sleep 2
DISPLAY=$display xdotool type --delay 10 'Careful, Carol: that was not me. Look at the identity after the name.'
DISPLAY=$display xdotool key Return
sleep 3
mkdir -p "$(dirname "$out")"
DISPLAY=$display import -window root "$out"
echo "wrote $out"

# The connection goes: the people list shows only what was last seen, greyed.
kill "$host_pid"
sleep 3
DISPLAY=$display import -window root "$out_lost"
echo "wrote $out_lost"
