#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a fixed time.
#   tests/fuzz/run.sh BUILD_DIR SECONDS
# BUILD_DIR is a separate build directory (configured here with clang, STDB_FUZZ=ON). Seeds come
# from tests/fuzz/corpus/<corpus>/ (read only); new inputs go to BUILD_DIR/fuzz-corpus/<target>/
# and crash reproducers to BUILD_DIR/fuzz-artifacts/<target>/. Exits non-zero on any finding.
set -euo pipefail

build=${1:?usage: $0 BUILD_DIR SECONDS}
seconds=${2:?usage: $0 BUILD_DIR SECONDS}
jobs=${JOBS:-2}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)

# target:seed-corpus pairs
targets=(fuzz_server_frame:server_frame fuzz_client_message:client_message)

cmake -S "$src" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER="${CXX_FUZZ:-clang++}" \
    -DSTDB_FUZZ=ON -DSTDB_BUILD_TESTS=ON -DSTDB_BUILD_BENCH=OFF >/dev/null
names=()
for t in "${targets[@]}"; do names+=("${t%%:*}"); done
cmake --build "$build" -j"$jobs" --target "${names[@]}"

# ASan/UBSan settings for the runs; leak checking stays on.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
for t in "${targets[@]}"; do
    name=${t%%:*}
    seeds=$here/corpus/${t#*:}
    work=$build/fuzz-corpus/$name
    artifacts=$build/fuzz-artifacts/$name
    mkdir -p "$work" "$artifacts"
    echo "=== $name for ${seconds}s (seeds: $seeds)"
    if ! "$build/fuzz/$name" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" \
            "$work" "$seeds"; then
        echo "!!! $name found a problem; reproducers in $artifacts" >&2
        status=1
    fi
done
exit $status
