# SPDX-License-Identifier: Apache-2.0
target_sources(SpacetimeQt PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/sqltext.h ${CMAKE_CURRENT_LIST_DIR}/sqltext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/expr.h
    ${CMAKE_CURRENT_LIST_DIR}/statement.h ${CMAKE_CURRENT_LIST_DIR}/statement.cpp
)
