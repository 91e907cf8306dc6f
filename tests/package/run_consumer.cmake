# SPDX-License-Identifier: Apache-2.0
# cmake -P script for the package_consumer test (see CMakeLists.txt next to it).
cmake_minimum_required(VERSION 3.21)

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        string(REPLACE ";" " " cmd "${ARGN}")
        message(FATAL_ERROR "failed (${rc}): ${cmd}")
    endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(consumer_build ${WORK_DIR}/consumer-build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

set(config_args "")
if(CONFIG)
    set(config_args --config ${CONFIG})
endif()

message(STATUS "Installing ${BUILD_DIR} into ${prefix}")
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} ${config_args})

foreach(f include/spacetime/bsatn/identity.h include/spacetime/global.h)
    if(NOT EXISTS ${prefix}/${f})
        message(FATAL_ERROR "not installed: ${f}")
    endif()
endforeach()
file(GLOB_RECURSE config_files ${prefix}/*/SpacetimeQtConfig.cmake)
if(NOT config_files)
    message(FATAL_ERROR "SpacetimeQtConfig.cmake was not installed under ${prefix}")
endif()

message(STATUS "Configuring the consumer against ${prefix}")
set(prefix_path "${prefix}")
if(QT6_DIR)
    # Qt's own prefix (lib/cmake/Qt6 -> three levels up), for Qt outside the default paths.
    get_filename_component(qt_prefix "${QT6_DIR}/../../.." ABSOLUTE)
    list(APPEND prefix_path "${qt_prefix}")
endif()
string(REPLACE ";" "\\;" prefix_path_arg "${prefix_path}")
set(type_arg "")
if(CONFIG)
    set(type_arg -DCMAKE_BUILD_TYPE=${CONFIG})
endif()
run(${CMAKE_COMMAND} -S ${CONSUMER_SOURCE} -B ${consumer_build} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    "-DCMAKE_PREFIX_PATH=${prefix_path_arg}"
    -DCMAKE_FIND_PACKAGE_PREFER_CONFIG=ON
    "-DSTDB_FORBIDDEN_PREFIX=${SOURCE_DIR}/src"
    # A sanitizer build installs an instrumented library: its consumer must link the runtime.
    "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_FLAGS}"
    ${type_arg})

message(STATUS "Building the consumer")
run(${CMAKE_COMMAND} --build ${consumer_build} ${config_args})

file(GLOB_RECURSE exe ${consumer_build}/consumer ${consumer_build}/consumer.exe)
if(NOT exe)
    message(FATAL_ERROR "consumer executable not found in ${consumer_build}")
endif()
list(GET exe 0 exe)
if(WIN32)
    set(ENV{PATH} "${prefix}/bin;$ENV{PATH}")
endif()
run(${exe})
message(STATUS "package_consumer: passed")
