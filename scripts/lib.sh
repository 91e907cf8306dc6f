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
