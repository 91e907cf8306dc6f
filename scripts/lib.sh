# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared by scripts/test.sh and scripts/sanitize.sh (sourced, not run).

# stdb_run_ctest BUILD_DIR DEFAULT_TIMEOUT [CTEST_ARGS...]
# Runs the CTest suite of BUILD_DIR, nproc tests at a time, in a private D-Bus session bus for
# the tests that need one (Secret Service, notifications) when dbus-run-session is there.
# DEFAULT_TIMEOUT (seconds) applies only to tests that set no TIMEOUT of their own. The
# environment (e.g. the sanitizer options) is passed on to the tests.
stdb_run_ctest() {
    local build=$1 timeout=$2
    shift 2
    local cmd=(ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout "$timeout" "$@")
    if command -v dbus-run-session >/dev/null 2>&1; then
        dbus-run-session -- "${cmd[@]}"
    else
        "${cmd[@]}"
    fi
}

# stdb_stage NAME: ends the current step (if any) and starts NAME; stdb_stage_summary prints the
# wall time of every step. Plain `date +%s`, so it works in any bash.
stdb_stage_names=()
stdb_stage_starts=()
stdb_stage() {
    local now
    now=$(date +%s)
    stdb_stage_names+=("$1")
    stdb_stage_starts+=("$now")
    echo "=== step: $1 (started $(date -u +%T))"
}
stdb_stage_summary() {
    local now i n end
    now=$(date +%s)
    n=${#stdb_stage_names[@]}
    echo "=== wall time per step"
    for ((i = 0; i < n; i++)); do
        end=$now
        if ((i + 1 < n)); then end=${stdb_stage_starts[i + 1]}; fi
        printf '  %-14s %5d s\n' "${stdb_stage_names[i]}" $((end - stdb_stage_starts[i]))
    done
    if ((n > 0)); then printf '  %-14s %5d s\n' total $((now - stdb_stage_starts[0])); fi
}
