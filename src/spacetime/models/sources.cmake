# SPDX-License-Identifier: Apache-2.0
target_sources(SpacetimeQt PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/qmlvalue.h
    ${CMAKE_CURRENT_LIST_DIR}/tablemodel.h ${CMAKE_CURRENT_LIST_DIR}/tablemodel.cpp
)
