# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Sourced by run.sh and run-long.sh: the target list, the fuzz build, and one libFuzzer run.

# target:seed-corpus pairs (seeds in tests/fuzz/corpus/<corpus>/)
# shellcheck disable=SC2034 # used by the scripts that source this file
fuzz_targets=(
    fuzz_server_frame:server_frame
    fuzz_client_message:client_message
    fuzz_bindings_rows:bindings_rows
    fuzz_schema_json:schema_json
    fuzz_host_sql:host_sql
)

fuzz_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fuzz_src=$(cd "$fuzz_here/../.." && pwd)

# ASan/UBSan settings for the runs; leak checking stays on.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# fuzz_build BUILD_DIR JOBS TARGET... : configures BUILD_DIR with clang and STDB_FUZZ=ON, builds
# the named targets. FUZZ_NO_BUILD=1 uses the binaries already there.
fuzz_build() {
    local build=$1 jobs=$2
    shift 2
    if [[ -n ${FUZZ_NO_BUILD:-} ]]; then
        return 0
    fi
    local launcher=()
    if command -v ccache >/dev/null; then
        launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    fi
    cmake -S "$fuzz_src" -B "$build" -G Ninja \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER="${CXX_FUZZ:-clang++}" "${launcher[@]}" \
        -DSTDB_FUZZ=ON -DSTDB_BUILD_TESTS=ON -DSTDB_BUILD_BENCH=OFF >/dev/null
    cmake --build "$build" -j"$jobs" --target "$@"
}

# fuzz_run BUILD_DIR TARGET SEEDS LOG LIBFUZZER_ARGS... : one run; the output goes to LOG.
# New inputs go to BUILD_DIR/fuzz-corpus/TARGET, reproducers to BUILD_DIR/fuzz-artifacts/TARGET.
# Returns libFuzzer's status (non-zero on a finding).
fuzz_run() {
    local build=$1 name=$2 seeds=$3 log=$4
    shift 4
    local work=$build/fuzz-corpus/$name artifacts=$build/fuzz-artifacts/$name
    mkdir -p "$work" "$artifacts"
    # -timeout is wall time: a frame inflating to the 8 MiB cap takes 0.25 s alone, but took 10 s
    # beside four builds at nice 10. 60 s still catches a hang.
    "$build/fuzz/$name" -max_len=65536 -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$@" "$work" "$seeds" >"$log" 2>&1
}

# fuzz_summary LOG : one line with libFuzzer's final figures.
fuzz_summary() {
    local log=$1 done_line execs speed
    done_line=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -n 1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    echo "executions ${execs:-?}, ${speed:-?} exec/s; ${done_line:-no final status line}"
}
