#!/usr/bin/env bash
# Regenerates the checked-in seed corpus from our encoder.
#   tests/fuzz/update_corpus.sh BUILD_DIR     (BUILD_DIR: any configured build of this repo)
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
cmake --build "$build" --target stdb-fuzz-corpus -j2
rm -rf "$here/corpus/server_frame" "$here/corpus/client_message"
"$build/bin/stdb-fuzz-corpus" "$here/corpus"
echo "corpus written to $here/corpus"
