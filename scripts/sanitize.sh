#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The whole test suite again, built with AddressSanitizer + UndefinedBehaviorSanitizer
# (LeakSanitizer on). Part of scripts/test.sh (and so of CI) unless STDB_SANITIZERS=0.
#   scripts/sanitize.sh [BUILD_DIR]     default: build-asan next to the sources
# Time limits (CTest's and QtTest's per test function) are 3 times the normal build's here
# (STDB_SANITIZE_TIMEOUT_FACTOR in tests/CMakeLists.txt); what the tests check is the same.
# Any ASan/UBSan/LSan report fails the test that produced it. Leaks inside system libraries
# we do not own (fontconfig, D-Bus, GLib, Mesa) are suppressed in tests/sanitizers/lsan.supp;
# nothing of ours is.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:-$root/build-asan}
jobs=$(nproc)

# Warnings are checked by the main build; GCC's -Wmaybe-uninitialized has false positives
# under -fsanitize, so this build does not make them errors. Benchmarks are not tests.
# -O1 -g1: line numbers in reports at a fraction of the compile time of full debug info.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1" \
    -DSTDB_SANITIZE=ON -DSTDB_WERROR=OFF -DSTDB_BUILD_BENCH=OFF
cmake --build "$build" -j"$jobs"

supp=$root/tests/sanitizers
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0:strict_string_checks=1:check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"

# shellcheck source=SCRIPTDIR/lib.sh
source scripts/lib.sh
stdb_run_ctest "$build" 900
