#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer targets with clang and runs each for a fixed time, JOBS at a time.
#   tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
# BUILD_DIR is a separate build directory (configured here with clang, STDB_FUZZ=ON). Seeds come
# from tests/fuzz/corpus/<corpus>/ (read only); new inputs go to BUILD_DIR/fuzz-corpus/<target>/
# and crash reproducers to BUILD_DIR/fuzz-artifacts/<target>/. Each run's output is kept in
# BUILD_DIR/fuzz-logs/<target>.log; once every run is over, the figures of each run are printed,
# or its whole log after a finding. Exits non-zero on any finding.
# JOBS (default 2) runs in parallel: with 5 targets and 2 cores, 30 s each (what CI runs) take about 2 min.
# FUZZ_NO_BUILD=1 skips configure and build and runs the binaries already in BUILD_DIR/fuzz.
set -euo pipefail

build=${1:?usage: $0 BUILD_DIR SECONDS [TARGET...]}
seconds=${2:?usage: $0 BUILD_DIR SECONDS [TARGET...]}
shift 2
jobs=${JOBS:-2}
# shellcheck source=common.sh
source "$(cd "$(dirname "$0")" && pwd)/common.sh"

selected=()
for t in "${fuzz_targets[@]}"; do
    if [[ $# -eq 0 ]] || [[ " $* " == *" ${t%%:*} "* ]]; then
        selected+=("$t")
    fi
done
if [[ ${#selected[@]} -eq 0 ]]; then
    echo "no such target: $*" >&2
    exit 2
fi
names=()
for t in "${selected[@]}"; do names+=("${t%%:*}"); done
fuzz_build "$build" "$jobs" "${names[@]}"

logs=$build/fuzz-logs
mkdir -p "$logs"
running=0
for t in "${selected[@]}"; do
    name=${t%%:*}
    if ((running >= jobs)); then
        wait -n || true # statuses are read from the files below
        running=$((running - 1))
    fi
    rm -f "$logs/$name.status"
    echo "=== $name: started for ${seconds}s ($(date -u +%T))"
    (
        status=0
        fuzz_run "$build" "$name" "$fuzz_here/corpus/${t#*:}" "$logs/$name.log" \
            -max_total_time="$seconds" || status=$?
        echo "$status" >"$logs/$name.status"
        echo "=== $name: finished with status $status ($(date -u +%T))"
    ) &
    running=$((running + 1))
done
wait

failed=()
for name in "${names[@]}"; do
    status=$(cat "$logs/$name.status" 2>/dev/null || echo "missing")
    echo
    if [[ $status == 0 ]]; then
        echo "=== $name: ok; $(fuzz_summary "$logs/$name.log")"
        grep '^stat::' "$logs/$name.log" | sed 's/^/    /' || true
        echo "    (log: $logs/$name.log)"
    else
        echo "=== $name: status $status; full log $logs/$name.log:"
        cat "$logs/$name.log"
        echo "!!! $name found a problem; reproducers in $build/fuzz-artifacts/$name" >&2
        failed+=("$name")
    fi
done
echo
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzzing FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzzing passed: ${names[*]} (${seconds}s each, $jobs at a time)"
