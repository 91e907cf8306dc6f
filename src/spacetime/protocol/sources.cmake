# SPDX-License-Identifier: Apache-2.0
# Protocol layer (row lists, v2/v3 messages, frame codec) and frame compression.
target_sources(SpacetimeQt PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/../compression.h
    ${CMAKE_CURRENT_LIST_DIR}/../compression.cpp
    ${CMAKE_CURRENT_LIST_DIR}/rowlist.h
    ${CMAKE_CURRENT_LIST_DIR}/rowlist.cpp
    ${CMAKE_CURRENT_LIST_DIR}/messages.h
    ${CMAKE_CURRENT_LIST_DIR}/messages.cpp
    ${CMAKE_CURRENT_LIST_DIR}/messagecodec.h
    ${CMAKE_CURRENT_LIST_DIR}/messagecodec.cpp
)
