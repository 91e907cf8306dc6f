# Windows and macOS: make the installed tree self-contained (Qt via windeployqt/macdeployqt,
# other DLLs/dylibs next to the programs), app bundle metadata and icons.
# Linux packages use the distribution's Qt and need none of this.
if(NOT (WIN32 OR APPLE))
    return()
endif()

# -- Qt's own deployment tools, through Qt's CMake deploy API -----------------------------------
# Qt 6.4 has qt_generate_deploy_app_script(TARGET … FILENAME_VARIABLE …); 6.5 renamed the
# argument to OUTPUT_SCRIPT and added qt_generate_deploy_qml_app_script (which also deploys the
# QML modules the app imports). Both run windeployqt / macdeployqt at install time.
function(stdb_deploy_qt target)
    if(NOT TARGET ${target})
        return()
    endif()
    set(script_arg FILENAME_VARIABLE)
    if(Qt6_VERSION VERSION_GREATER_EQUAL 6.5)
        set(script_arg OUTPUT_SCRIPT)
    endif()
    if(ARGN STREQUAL "QML" AND COMMAND qt_generate_deploy_qml_app_script)
        qt_generate_deploy_qml_app_script(TARGET ${target} ${script_arg} deploy_script
            NO_UNSUPPORTED_PLATFORM_ERROR)
    elseif(COMMAND qt_generate_deploy_app_script)
        qt_generate_deploy_app_script(TARGET ${target} ${script_arg} deploy_script
            NO_UNSUPPORTED_PLATFORM_ERROR)
    else()
        message(WARNING "Packaging: this Qt has no deploy API; run windeployqt/macdeployqt by hand")
        return()
    endif()
    install(SCRIPT ${deploy_script})
endfunction()

stdb_deploy_qt(spacetime-chat)
stdb_deploy_qt(spacetime-chat-quick QML)
stdb_deploy_qt(spacetime-chat-cli)

if(WIN32)
    # Non-Qt DLLs the programs load (QtKeychain, Brotli, zlib from vcpkg or a local build):
    # resolved at install time from the directories on PATH when CMake was configured, which is
    # where the release workflow puts them.
    set(stdb_dll_dirs "")
    set(stdb_path_list "$ENV{PATH}")
    foreach(d IN LISTS stdb_path_list)
        if(EXISTS "${d}")
            file(TO_CMAKE_PATH "${d}" d)
            string(APPEND stdb_dll_dirs " \"${d}\"")
        endif()
    endforeach()
    set(stdb_exes "")
    foreach(prog IN LISTS STDB_INSTALLED_PROGRAMS)
        string(APPEND stdb_exes " \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/${prog}.exe\"")
    endforeach()
    install(CODE "
        file(GET_RUNTIME_DEPENDENCIES
            EXECUTABLES ${stdb_exes}
            RESOLVED_DEPENDENCIES_VAR stdb_deps
            UNRESOLVED_DEPENDENCIES_VAR stdb_missing
            DIRECTORIES \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\" ${stdb_dll_dirs}
            PRE_EXCLUDE_REGEXES \"^api-ms-\" \"^ext-ms-\" \"^[Qq]t6\"
            POST_EXCLUDE_REGEXES \"[Ss]ystem32\" \"[Ww]inSxS\")
        foreach(dll IN LISTS stdb_deps)
            file(INSTALL \"\${dll}\" DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
        endforeach()
        if(stdb_missing)
            message(STATUS \"Not found (expected for system DLLs): \${stdb_missing}\")
        endif()
    ")

    # The MSVC runtime (msvcp140.dll, vcruntime140*.dll) next to the programs, for machines
    # without the Visual C++ redistributable.
    set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION ${CMAKE_INSTALL_BINDIR})
    include(InstallRequiredSystemLibraries)

    # The exe's icon: a resource script referencing packaging/windows/spacetime-chat.ico.
    if(TARGET spacetime-chat AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/windows/spacetime-chat.ico)
        configure_file(${CMAKE_CURRENT_SOURCE_DIR}/windows/spacetime-chat.rc.in
            ${CMAKE_CURRENT_BINARY_DIR}/windows/spacetime-chat.rc @ONLY)
        target_sources(spacetime-chat PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/windows/spacetime-chat.rc)
    endif()
endif()

if(APPLE AND TARGET spacetime-chat)
    # Bundle metadata: our Info.plist template and an .icns built from the SVG with rsvg-convert
    # (brew install librsvg) and iconutil (part of Xcode's command line tools).
    set(MACOSX_BUNDLE_GUI_IDENTIFIER ${STDB_APP_ID})
    set_target_properties(spacetime-chat PROPERTIES
        MACOSX_BUNDLE_INFO_PLIST ${CMAKE_CURRENT_SOURCE_DIR}/macos/Info.plist.in
        MACOSX_BUNDLE_BUNDLE_NAME "Spacetime Chat"
        MACOSX_BUNDLE_GUI_IDENTIFIER ${STDB_APP_ID}
        MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
        MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
        MACOSX_BUNDLE_ICON_FILE spacetime-chat.icns
        MACOSX_BUNDLE_COPYRIGHT "The Spacetime Chat authors"
        # The SDK dylib goes into the bundle's Frameworks directory (below).
        INSTALL_RPATH "@executable_path/../Frameworks")
    find_program(STDB_RSVG_CONVERT rsvg-convert)
    find_program(STDB_ICONUTIL iconutil)
    if(STDB_RSVG_CONVERT AND STDB_ICONUTIL)
        set(iconset ${CMAKE_CURRENT_BINARY_DIR}/macos/spacetime-chat.iconset)
        set(icns ${CMAKE_CURRENT_BINARY_DIR}/macos/spacetime-chat.icns)
        set(cmds COMMAND ${CMAKE_COMMAND} -E make_directory ${iconset})
        foreach(size 16 32 128 256 512)
            math(EXPR double "${size} * 2")
            list(APPEND cmds
                COMMAND ${STDB_RSVG_CONVERT} -w ${size} -h ${size} -o ${iconset}/icon_${size}x${size}.png ${STDB_ICON_SVG}
                COMMAND ${STDB_RSVG_CONVERT} -w ${double} -h ${double} -o ${iconset}/icon_${size}x${size}@2x.png ${STDB_ICON_SVG})
        endforeach()
        add_custom_command(OUTPUT ${icns} ${cmds}
            COMMAND ${STDB_ICONUTIL} -c icns -o ${icns} ${iconset}
            DEPENDS ${STDB_ICON_SVG} VERBATIM)
        target_sources(spacetime-chat PRIVATE ${icns})
        set_source_files_properties(${icns} TARGET_DIRECTORY spacetime-chat
            PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
    else()
        message(STATUS "Packaging: no rsvg-convert/iconutil; the app bundle gets no .icns icon")
    endif()
    install(TARGETS SpacetimeQt
        LIBRARY DESTINATION spacetime-chat.app/Contents/Frameworks
        FRAMEWORK DESTINATION spacetime-chat.app/Contents/Frameworks)
    # Command-line tools next to the bundle find the SDK in ../lib.
    foreach(prog spacetime-chat-cli spacetime-qt-generate spacetime-inspect spacetime-chat-quick)
        if(TARGET ${prog})
            set_property(TARGET ${prog} APPEND PROPERTY INSTALL_RPATH "@loader_path/../${CMAKE_INSTALL_LIBDIR}")
        endif()
    endforeach()
endif()
