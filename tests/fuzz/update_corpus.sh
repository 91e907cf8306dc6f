#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates the seed corpora that come from our encoder (server_frame, client_message,
# bindings_rows); the schema_json and host_sql seeds are files kept by hand.
#   tests/fuzz/update_corpus.sh BUILD_DIR     (BUILD_DIR: any configured build of this repo)
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
cmake --build "$build" --target stdb-fuzz-corpus -j2
rm -rf "$here/corpus/server_frame" "$here/corpus/client_message" "$here/corpus/bindings_rows"
"$build/bin/stdb-fuzz-corpus" "$here/corpus"
echo "corpus written to $here/corpus"
