# SPDX-License-Identifier: Apache-2.0
target_sources(SpacetimeQt PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/orderkey.h ${CMAKE_CURRENT_LIST_DIR}/orderkey.cpp
    ${CMAKE_CURRENT_LIST_DIR}/rowentry.h ${CMAKE_CURRENT_LIST_DIR}/rowentry.cpp
    ${CMAKE_CURRENT_LIST_DIR}/rowindex.h ${CMAKE_CURRENT_LIST_DIR}/rowindex.cpp
    ${CMAKE_CURRENT_LIST_DIR}/largeblock.h ${CMAKE_CURRENT_LIST_DIR}/largeblock.cpp
    ${CMAKE_CURRENT_LIST_DIR}/entryarena.h ${CMAKE_CURRENT_LIST_DIR}/entryarena.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tablecache.h ${CMAKE_CURRENT_LIST_DIR}/tablecache_p.h
    ${CMAKE_CURRENT_LIST_DIR}/tablecache.cpp
    ${CMAKE_CURRENT_LIST_DIR}/clientcache.h ${CMAKE_CURRENT_LIST_DIR}/clientcache.cpp
)
