# SPDX-License-Identifier: Apache-2.0
# Windows and macOS: make the installed tree self-contained (Qt via windeployqt/macdeployqt,
# other DLLs/dylibs next to the programs), app bundle metadata and icons.
# Linux packages use the distribution's Qt and need none of this.
if(NOT (WIN32 OR APPLE))
    return()
endif()

# -- macOS bundle metadata and the SDK inside the bundle ------------------------------------------
# Before the deploy script below: install rules run in the order they are declared, and
# macdeployqt must find libSpacetimeQt in Contents/Frameworks already.
if(APPLE AND TARGET spacetime-chat)
    # Bundle metadata: our Info.plist template and an .icns built from the SVG with rsvg-convert
    # (brew install librsvg) and iconutil (part of Xcode's command line tools).
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
        # iconutil wants exactly these names: 16, 32, 128, 256, 512 and their @2x (up to 1024).
        foreach(size 16 32 128 256 512)
            math(EXPR double "${size} * 2")
            list(APPEND cmds
                COMMAND ${STDB_RSVG_CONVERT} -w ${size} -h ${size} -o ${iconset}/icon_${size}x${size}.png ${STDB_ICON_SVG}
                COMMAND ${STDB_RSVG_CONVERT} -w ${double} -h ${double} -o ${iconset}/icon_${size}x${size}@2x.png ${STDB_ICON_SVG})
        endforeach()
        add_custom_command(OUTPUT ${icns} ${cmds}
            COMMAND ${STDB_ICONUTIL} -c icns -o ${icns} ${iconset}
            DEPENDS ${STDB_ICON_SVG}
            COMMENT "Building the macOS app icon"
            VERBATIM)
        # The custom command lives in this directory and the app target in src/app: a target
        # here drives the command, and the app depends on it (a custom command's output only
        # gets a build rule from targets of its own directory).
        add_custom_target(stdb_macos_icon DEPENDS ${icns})
        add_dependencies(spacetime-chat stdb_macos_icon)
        target_sources(spacetime-chat PRIVATE ${icns})
        set_source_files_properties(${icns} TARGET_DIRECTORY spacetime-chat
            PROPERTIES GENERATED TRUE MACOSX_PACKAGE_LOCATION Resources)
    else()
        message(STATUS "Packaging: no rsvg-convert/iconutil; the app bundle gets no .icns icon")
    endif()
    install(TARGETS SpacetimeQt
        LIBRARY DESTINATION spacetime-chat.app/Contents/Frameworks
        FRAMEWORK DESTINATION spacetime-chat.app/Contents/Frameworks)
endif()

# -- Qt's own deployment tools, through Qt's CMake deploy API -----------------------------------
# qt_generate_deploy_app_script() exists since Qt 6.3: 6.3/6.4 take FILENAME_VARIABLE, 6.5
# renamed it OUTPUT_SCRIPT and added NO_COMPILER_RUNTIME, 6.7 added DEPLOY_TOOL_OPTIONS. The
# script runs windeployqt (Windows) or macdeployqt (macOS, app bundles only; other executables
# are skipped with a message because of NO_UNSUPPORTED_PLATFORM_ERROR) at install time.
# (qt_generate_deploy_qml_app_script is for targets that are QML modules; the Quick client
# embeds its QML as plain resources, so windeployqt is pointed at the QML sources instead.)
function(stdb_deploy_qt target)
    if(NOT TARGET ${target})
        return()
    endif()
    if(Qt6_VERSION VERSION_LESS 6.3)
        message(WARNING "Packaging: Qt ${Qt6_VERSION} has no deploy API; run windeployqt/macdeployqt by hand")
        return()
    endif()
    set(args TARGET ${target} NO_UNSUPPORTED_PLATFORM_ERROR)
    if(Qt6_VERSION VERSION_GREATER_EQUAL 6.5)
        # The MSVC runtime DLLs come from InstallRequiredSystemLibraries below; windeployqt
        # would add the 25 MB vc_redist installer instead.
        list(APPEND args OUTPUT_SCRIPT deploy_script NO_COMPILER_RUNTIME)
    else()
        list(APPEND args FILENAME_VARIABLE deploy_script)
    endif()
    if(ARGN)
        if(Qt6_VERSION VERSION_GREATER_EQUAL 6.7)
            list(APPEND args DEPLOY_TOOL_OPTIONS ${ARGN})
        else()
            message(WARNING "Packaging: Qt < 6.7 cannot pass ${ARGN} to the deploy tool for ${target}")
        endif()
    endif()
    qt_generate_deploy_app_script(${args})
    install(SCRIPT ${deploy_script})
endfunction()

stdb_deploy_qt(spacetime-chat)
if(WIN32)
    # The Quick client's QML is compiled into its resources; windeployqt finds the QML modules
    # it imports (QtQuick, Controls, Layouts) by scanning the sources.
    stdb_deploy_qt(spacetime-chat-quick --qmldir ${PROJECT_SOURCE_DIR}/qml)
    # spacetime-inspect and spacetime-qt-generate use a subset of the CLI's Qt modules.
    stdb_deploy_qt(spacetime-chat-cli)
endif()

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
    # Qt's own DLLs are windeployqt's business. Not simply "^Qt6": qt6keychain.dll is ours to
    # copy. Character classes because the import tables' spelling of a name varies.
    set(stdb_qt_dll_regex
        "\"^[Qq][Tt]6([Cc]ore|[Gg]ui|[Nn]etwork|[Ww]eb[Ss]ockets|[Ss]ql|[Ww]idgets|[Qq]ml|[Qq]uick|[Dd][Bb]us|[Ss]vg|[Cc]oncurrent|[Oo]pen[Gg][Ll])\"")
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
            PRE_EXCLUDE_REGEXES \"^[Aa][Pp][Ii]-[Mm][Ss]-\" \"^[Ee][Xx][Tt]-[Mm][Ss]-\"
                ${stdb_qt_dll_regex}
            POST_EXCLUDE_REGEXES \"[Ss][Yy][Ss][Tt][Ee][Mm]32\" \"[Ww][Ii][Nn][Ss][Xx][Ss]\")
        foreach(dll IN LISTS stdb_deps)
            cmake_path(GET dll PARENT_PATH dir)
            if(NOT dir STREQUAL \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
                file(INSTALL \"\${dll}\" DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
            endif()
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
