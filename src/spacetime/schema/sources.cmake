# Schema model (AlgebraicType, Typespace, ModuleSchema) and dynamic values (Value, ValueJson).
target_sources(SpacetimeQt PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/algebraictype.h
    ${CMAKE_CURRENT_LIST_DIR}/algebraictype.cpp
    ${CMAKE_CURRENT_LIST_DIR}/typespace.h
    ${CMAKE_CURRENT_LIST_DIR}/typespace.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jsonpath.h
    ${CMAKE_CURRENT_LIST_DIR}/jsonpath.cpp
    ${CMAKE_CURRENT_LIST_DIR}/exactjson.h
    ${CMAKE_CURRENT_LIST_DIR}/exactjson.cpp
    ${CMAKE_CURRENT_LIST_DIR}/schemadefs.h
    ${CMAKE_CURRENT_LIST_DIR}/moduleschema.h
    ${CMAKE_CURRENT_LIST_DIR}/moduleschema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/schemaparser.h
    ${CMAKE_CURRENT_LIST_DIR}/schemaparser.cpp
    ${CMAKE_CURRENT_LIST_DIR}/value.h
    ${CMAKE_CURRENT_LIST_DIR}/value.cpp
    ${CMAKE_CURRENT_LIST_DIR}/valuejson.h
    ${CMAKE_CURRENT_LIST_DIR}/valuejson.cpp
)
