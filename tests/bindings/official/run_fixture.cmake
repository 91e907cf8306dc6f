# SPDX-License-Identifier: Apache-2.0
# cmake -P script for the tst_bindings_official_* tests (tests/bindings/CMakeLists.txt): runs
# spacetime-qt-generate on one official-module fixture, has the official TypeScript SDK encode
# rows and call arguments for its schema (encode-rows.mjs, Node; the npm packages of
# tests/interop are installed by scripts/npm-setup.sh when needed), lists the generated table
# handles and calls (emit-cases.mjs), then configures and builds the consumer project next to
# this file against the generated code (-Werror) and runs its smoke test. Node and npm must be in
# PATH: without them the test fails (as tst_tsvectors does), it does not skip.
#
# Inputs (-D): GENERATOR_EXE SCHEMA NS WORK_DIR SOURCE_DIR CMAKE_GENERATOR_NAME CXX_COMPILER
#   QT6_DIR STDB_INCLUDE_DIRS STDB_LIBRARIES (lists joined with "|"); optional: ALLOW_UNSUPPORTED, INCLUDE_PRIVATE,
#   COMPILER_LAUNCHER, CONFIG, EXTRA_FLAGS.
cmake_minimum_required(VERSION 3.21)

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        string(REPLACE ";" " " cmd "${ARGN}")
        message(FATAL_ERROR "failed (${rc}): ${cmd}")
    endif()
endfunction()

set(generated ${WORK_DIR}/generated)
set(build ${WORK_DIR}/build)

set(gen_args --schema ${SCHEMA} --namespace ${NS} --out ${generated}/${NS})
if(ALLOW_UNSUPPORTED)
    list(APPEND gen_args --allow-unsupported)
endif()
if(INCLUDE_PRIVATE)
    list(APPEND gen_args --include-private)
endif()
# Output and build directory are kept between runs, and the output is only rewritten when it
# differs (--check exits 3), so an unchanged fixture recompiles nothing.
set(stale 3)
if(EXISTS ${generated}/${NS})
    execute_process(COMMAND ${GENERATOR_EXE} ${gen_args} --check RESULT_VARIABLE stale
                    OUTPUT_QUIET ERROR_QUIET)
endif()
if(NOT stale EQUAL 0)
    run(${GENERATOR_EXE} ${gen_args})
endif()

# The TypeScript SDK's side (see tests/interop/README.md).
get_filename_component(repo ${SOURCE_DIR}/../../.. ABSOLUTE)
find_program(NODE_EXE node)
if(NOT NODE_EXE)
    message(FATAL_ERROR "node (Node.js >= 18) is not in PATH. This test needs it to run the "
                        "official TypeScript SDK; install nodejs and npm (CI does, via "
                        "scripts/install-deps.sh).")
endif()
find_program(BASH_EXE bash)
if(NOT BASH_EXE)
    message(FATAL_ERROR "bash is not in PATH (needed for scripts/npm-setup.sh)")
endif()
run(${BASH_EXE} ${repo}/scripts/npm-setup.sh tests/interop)
set(vectors ${WORK_DIR}/ts-vectors.json)
run(${NODE_EXE} ${SOURCE_DIR}/encode-rows.mjs ${SCHEMA} ${vectors})
set(cases ${WORK_DIR}/cases/fixture_cases.h)
run(${NODE_EXE} ${SOURCE_DIR}/emit-cases.mjs ${generated} ${NS} ${cases})

set(extra "")
if(COMPILER_LAUNCHER)
    list(APPEND extra -DCMAKE_CXX_COMPILER_LAUNCHER=${COMPILER_LAUNCHER})
endif()
if(CONFIG)
    list(APPEND extra -DCMAKE_BUILD_TYPE=${CONFIG})
endif()
if(EXTRA_FLAGS)
    list(APPEND extra "-DCMAKE_CXX_FLAGS=${EXTRA_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${EXTRA_FLAGS}")
endif()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${build} -G ${CMAKE_GENERATOR_NAME}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DQt6_DIR=${QT6_DIR}
    -DGENERATED_DIR=${generated}
    -DFIXTURE_NS=${NS}
    -DFIXTURE_SCHEMA=${SCHEMA}
    -DFIXTURE_INCLUDE_PRIVATE=${INCLUDE_PRIVATE}
    -DFIXTURE_CASES=${cases}
    -DFIXTURE_VECTORS=${vectors}
    -DSCRIPTED_SERVER_DIR=${repo}/tests/connection
    "-DSTDB_INCLUDE_DIRS=${STDB_INCLUDE_DIRS}"
    "-DSTDB_LIBRARIES=${STDB_LIBRARIES}"
    ${extra})
run(${CMAKE_COMMAND} --build ${build})
run(${build}/tst_official_fixture)
