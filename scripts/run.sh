#!/usr/bin/env bash
# Installs what is needed, builds, and runs the main program.
# Until the desktop app lands this runs the local host and the frame inspector demo.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
build=${STDB_BUILD_DIR:-$PWD/build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$(nproc)"

sample=tests/inspect/data
echo "== spacetime-inspect: a quickstart-chat SubscribeApplied frame, decoded with the module schema"
"$build/bin/spacetime-inspect" decode --server "$sample/subscribe-applied.bin" \
    --schema "$sample/quickstart-chat-schema.json"
