#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A long fuzzing run, for the figures in docs/RELIABILITY.md ("Fuzzing"): the server frame
# decoder for RUNS executions in total (default 10 million), then optionally every other target
# for OTHER_SECONDS each.
#   tests/fuzz/run-long.sh BUILD_DIR [RUNS [OTHER_SECONDS]]
#   WORKERS=3 nohup nice -n 10 tests/fuzz/run-long.sh build-fuzz 10000000 600 >long.out 2>&1 &
# WORKERS (default 1) processes fuzz each target at once, sharing its corpus directory (libFuzzer
# reloads it), each doing RUNS/WORKERS executions; on a shared machine, niced workers only use
# what the others leave. Logs: BUILD_DIR/fuzz-logs/long-<target>[.TAG].<worker>.log (TAG from
# the environment, to run another batch next to one already running); corpus and
# reproducers as for run.sh (the grown corpus is shared with it). Prints libFuzzer's final
# figures per worker and the total; exits non-zero on any finding.
set -euo pipefail

build=${1:?usage: $0 BUILD_DIR [RUNS [OTHER_SECONDS]]}
runs=${2:-10000000}
others=${3:-0}
workers=${WORKERS:-1}
tag=${TAG:+.$TAG}
# shellcheck source=common.sh
source "$(cd "$(dirname "$0")" && pwd)/common.sh"

plan=("fuzz_server_frame:server_frame:-runs=$(((runs + workers - 1) / workers))")
if ((others > 0)); then
    for t in "${fuzz_targets[@]}"; do
        [[ ${t%%:*} == fuzz_server_frame ]] || plan+=("$t:-max_total_time=$others")
    done
fi
names=()
for p in "${plan[@]}"; do names+=("${p%%:*}"); done
fuzz_build "$build" "${JOBS:-2}" "${names[@]}"

logs=$build/fuzz-logs
mkdir -p "$logs"
echo "machine: $(nproc) cores, $(uname -srm); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "compiler: $("${CXX_FUZZ:-clang++}" --version | head -n 1); workers: $workers"
status=0
for p in "${plan[@]}"; do
    IFS=: read -r name corpus limit <<<"$p"
    echo "=== $name ($workers x $limit) started $(date -u '+%F %T') UTC," \
         "logs $logs/long-$name$tag.*.log"
    start=$(date +%s)
    for ((w = 1; w <= workers; w++)); do
        (
            rc=0
            fuzz_run "$build" "$name" "$fuzz_here/corpus/$corpus" "$logs/long-$name$tag.$w.log" \
                "$limit" || rc=$?
            echo "$rc" >"$logs/long-$name$tag.$w.status"
        ) &
    done
    wait
    echo "=== $name finished $(date -u '+%F %T') UTC after $(($(date +%s) - start)) s;" \
         "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    total=0
    for ((w = 1; w <= workers; w++)); do
        log=$logs/long-$name$tag.$w.log
        rc=$(cat "$logs/long-$name$tag.$w.status" 2>/dev/null || echo missing)
        echo "  worker $w: status $rc; $(fuzz_summary "$log")"
        grep '^stat::' "$log" | sed 's/^/    /' || true
        n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        total=$((total + ${n:-0}))
        if [[ $rc == 72 ]]; then
            echo "  worker $w was interrupted (SIGINT); its figures are above"
        elif [[ $rc != 0 ]]; then
            echo "!!! $name worker $w found a problem; reproducers in" \
                 "$build/fuzz-artifacts/$name" >&2
            grep -E 'ERROR|SUMMARY|runtime error|invariant' "$log" | head -n 20 >&2 || true
            status=1
        fi
    done
    echo "  total: $total executions in $(($(date +%s) - start)) s"
    echo "  corpus: $(find "$build/fuzz-corpus/$name" -type f | wc -l) files in" \
         "$build/fuzz-corpus/$name (seeds: $(find "$fuzz_here/corpus/$corpus" -type f | wc -l))"
    echo "  reproducers: $(find "$build/fuzz-artifacts/$name" -type f | wc -l)"
done
exit $status
