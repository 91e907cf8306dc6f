#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what is needed, builds everything with warnings as errors, and runs the whole test
# suite. This is the README's test command and what CI runs.
#   scripts/test.sh            full run (tests + 30 s per fuzz target)
#   STDB_FUZZ_SECONDS=0 scripts/test.sh   skip the fuzz step
#   STDB_SANITIZERS=0 scripts/test.sh     skip the sanitizer stage: by default the whole suite
#                                         runs a second time built with AddressSanitizer +
#                                         UndefinedBehaviorSanitizer, LeakSanitizer on
#                                         (scripts/sanitize.sh, build dir build-asan; see
#                                         docs/RELIABILITY.md "Sanitizers" for its length)
#   STDB_SKIP_PACKAGING=1 scripts/test.sh skip the last step, packaging/check.sh (builds the
#                                         .deb/.rpm, lintian, validators, installs the .deb
#                                         with apt-get, so it needs root, and removes it again)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=SCRIPTDIR/lib.sh
source scripts/lib.sh

# Each step's wall time goes to the log and to a summary at the end (CI has a time budget).
stdb_stage "dependencies"
bash scripts/install-deps.sh
if [[ -x scripts/npm-setup.sh ]]; then bash scripts/npm-setup.sh; fi

build=${STDB_BUILD_DIR:-$root/build}
jobs=$(nproc)

# -g1 (line tables only): backtraces keep file and line, and a file compiles in about a third less
# CPU time than with full debug information (src/chat/chatclient.cpp: 9.9 s -> 6.4 s; CI budget).
stdb_stage "build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTDB_WERROR=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
cmake --build "$build" -j"$jobs"

stdb_stage "tests"
stdb_run_ctest "$build" 600

# Fuzzing: each libFuzzer target for a bounded time (needs clang; separate build dir).
fuzz_seconds=${STDB_FUZZ_SECONDS:-30}
if [[ $fuzz_seconds -gt 0 && -x tests/fuzz/run.sh ]]; then
    stdb_stage "fuzzing"
    bash tests/fuzz/run.sh "$root/build-fuzz" "$fuzz_seconds"
fi

# The whole suite again under ASan + UBSan (LeakSanitizer on); any report fails the run.
if [[ ${STDB_SANITIZERS:-1} != 0 ]]; then
    stdb_stage "sanitizers"
    bash scripts/sanitize.sh "$root/build-asan"
fi

# Packages: build the .deb and .rpm, lint and validate them, install the .deb, try it, remove it.
if [[ ${STDB_SKIP_PACKAGING:-0} != 1 ]]; then
    stdb_stage "packaging"
    bash packaging/check.sh "$build"
fi
stdb_stage_summary
