#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The long run of the differential test against the official TypeScript SDK (tst_tsdiff; the
# suite runs a short seeded corpus). Not part of any suite: run it by hand or from a nightly job.
#
#   tests/interop/diff-long.sh [BUILD_DIR] [CASES] [SEED]
#
# BUILD_DIR defaults to ./build, CASES (SDK-encoded cases) to 100000, SEED to a random one; our
# own encodings are a fifth of CASES. The seed is printed first: rerun with it to reproduce a
# failure, then `node tests/interop/diff-corpus.mjs show server|client HEX` on the case's bytes.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
cases=${2:-100000}
seed=${3:-$(( (RANDOM << 15 | RANDOM) % 2000000000 + 1 ))}
test=$build/tests/tst_tsdiff

[[ -x $test ]] || { echo "diff-long: $test not built (cmake --build $build --target tst_tsdiff)" >&2; exit 2; }
echo "diff-long: seed $seed, $cases SDK-encoded cases, $((cases / 5)) of ours"
STDB_DIFF_SEED=$seed STDB_DIFF_CASES=$cases STDB_DIFF_OUR_CASES=$((cases / 5)) \
    QTEST_FUNCTION_TIMEOUT=3600000 "$test"
