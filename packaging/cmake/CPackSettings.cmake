# SPDX-License-Identifier: Apache-2.0
# CPack: .deb and .rpm on Linux, NSIS on Windows, DragNDrop (.dmg) on macOS.
# Included from packaging/CMakeLists.txt after all install() rules.

set(CPACK_PACKAGE_NAME ${STDB_PACKAGE_NAME})
set(CPACK_PACKAGE_VENDOR "Spacetime Chat")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${STDB_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_HOMEPAGE_URL ${PROJECT_HOMEPAGE_URL})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Native Qt chat client and Qt/C++ SDK for SpacetimeDB")
set(CPACK_PACKAGE_DESCRIPTION
"Spacetime Chat is a native Qt 6 client for the quickstart-chat module of
SpacetimeDB. It contains the desktop app (Qt Widgets), a Qt Quick variant, a
console client compatible with the official Rust quickstart, the frame
inspector spacetime-inspect and the bindings generator spacetime-qt-generate.
The SpacetimeQt SDK they are built on comes in libspacetimeqt0 (the shared
libraries) and libspacetimeqt-dev (headers and CMake package).")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Spacetime Chat")
set(CPACK_PACKAGE_EXECUTABLES "spacetime-chat;Spacetime Chat")
set(CPACK_STRIP_FILES ON)
# Shown by the NSIS installer (licence page); without it CPack would show its generic
# placeholder licence. (CPack wants a known extension, hence the copy.)
configure_file(${PROJECT_SOURCE_DIR}/LICENSE ${CMAKE_CURRENT_BINARY_DIR}/LICENSE.txt COPYONLY)
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_BINARY_DIR}/LICENSE.txt)
# npm's installs (tests/interop, module/) are recreated from the lock files by scripts/npm-setup.sh.
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/;/build[^/]*/;/node_modules/")

if(STDB_LINUX_DESKTOP)
    set(CPACK_GENERATOR "DEB;RPM")
    set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
elseif(WIN32)
    set(CPACK_GENERATOR "NSIS;ZIP")
elseif(APPLE)
    set(CPACK_GENERATOR "DragNDrop")
endif()

# Runtime pieces dpkg-shlibdeps cannot see: plugins and QML modules loaded at run time, and the
# Secret Service client library QtKeychain talks to.
set(STDB_DEB_EXTRA_DEPENDS
    "libqt6keychain1"
    "libsecret-1-0"
    "qt6-qpa-plugins"
    "libqt6svg6")
set(STDB_RPM_REQUIRES
    "qt6-qtbase >= 6.4"
    "qt6-qtbase-gui >= 6.4"
    "qt6-qtwebsockets >= 6.4"
    "qt6-qtsvg >= 6.4"
    "qtkeychain-qt6"
    "libsecret"
    "brotli"
    "zlib")
if(TARGET spacetime-chat-quick)
    list(APPEND STDB_DEB_EXTRA_DEPENDS
        "qml6-module-qtquick" "qml6-module-qtquick-controls" "qml6-module-qtquick-layouts"
        "qml6-module-qtquick-window" "qml6-module-qtquick-templates"
        "qml6-module-qtqml-workerscript")
    list(APPEND STDB_RPM_REQUIRES "qt6-qtdeclarative >= 6.4")
endif()

# ---- Components: spacetime-chat, libspacetimeqt0, libspacetimeqt-dev --------------------------
# (packaging/CMakeLists.txt puts each install rule in one of them.) On Linux each is a package
# of its own; NSIS and the .dmg carry all three.
set(CPACK_COMPONENTS_ALL app sdk dev)
set(STDB_SDK_PACKAGE libspacetimeqt${PROJECT_VERSION_MAJOR})
set(STDB_DEV_PACKAGE libspacetimeqt-dev)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
include(CPackComponent)
cpack_add_component(sdk DISPLAY_NAME "SpacetimeQt SDK libraries"
    DESCRIPTION "The SpacetimeQt shared libraries the programs run on")
cpack_add_component(app DISPLAY_NAME "Spacetime Chat" DEPENDS sdk
    DESCRIPTION "The desktop, Qt Quick and console chat clients and the SDK tools")
cpack_add_component(dev DISPLAY_NAME "SpacetimeQt SDK development files" DEPENDS sdk
    DESCRIPTION "Headers and the CMake package to build against SpacetimeQt")

# ---- Debian ---------------------------------------------------------------------------------
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_APP_PACKAGE_NAME ${STDB_PACKAGE_NAME})
set(CPACK_DEBIAN_SDK_PACKAGE_NAME ${STDB_SDK_PACKAGE})
set(CPACK_DEBIAN_DEV_PACKAGE_NAME ${STDB_DEV_PACKAGE})
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION "libs")
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION "libdevel")
set(CPACK_DEBIAN_SDK_DESCRIPTION
"Qt/C++ client SDK for SpacetimeDB (shared libraries)
 SpacetimeQt connects Qt applications to SpacetimeDB databases: BSATN, the
 WebSocket protocol, subscriptions with a live client cache, reducer and
 procedure calls. This package holds the shared libraries.")
set(CPACK_DEBIAN_DEV_DESCRIPTION
"Qt/C++ client SDK for SpacetimeDB (development files)
 SpacetimeQt connects Qt applications to SpacetimeDB databases. This package
 holds the headers and the CMake package: find_package(SpacetimeQt).")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${STDB_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
# Qt, QtKeychain, Brotli, zlib, libstdc++ … computed from the ELF files by dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libSpacetimeQt.so.0 is in the sdk component; let dpkg-shlibdeps find it in that staging tree
# (the working directory of the call is the component's package root, next to the others).
set(_stdb_libdir "${CPACK_PACKAGING_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}")
string(REGEX REPLACE "^/" "" _stdb_libdir "${_stdb_libdir}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "${_stdb_libdir}" "../sdk/${_stdb_libdir}")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
list(JOIN STDB_DEB_EXTRA_DEPENDS ", " CPACK_DEBIAN_APP_PACKAGE_DEPENDS)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, gnome-keyring | kwalletmanager")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The shared library needs the ldconfig trigger (lintian: lacks-ldconfig-trigger). CPack still
# writes postinst/postrm calling ldconfig as well (lintian warning maintscript-calls-ldconfig);
# harmless, and replacing them with empty scripts would only trade one warning for another.
set(CPACK_DEBIAN_SDK_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_SOURCE_DIR}/debian/triggers)

# ---- RPM ------------------------------------------------------------------------------------
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE ${STDB_PACKAGE_LICENSE})
set(CPACK_RPM_PACKAGE_GROUP "Applications/Internet")
set(CPACK_RPM_PACKAGE_URL ${PROJECT_HOMEPAGE_URL})
set(CPACK_RPM_PACKAGE_RELEASE 1)
set(CPACK_RPM_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
# rpmbuild's own dependency generator adds the shared-library sonames (AUTOREQ); these are the
# distribution package names on Fedora/openSUSE-style systems.
list(JOIN STDB_RPM_REQUIRES ", " CPACK_RPM_APP_PACKAGE_REQUIRES)
set(CPACK_RPM_APP_PACKAGE_NAME ${STDB_PACKAGE_NAME})
set(CPACK_RPM_SDK_PACKAGE_NAME ${STDB_SDK_PACKAGE})
set(CPACK_RPM_DEV_PACKAGE_NAME ${STDB_DEV_PACKAGE})
set(CPACK_RPM_SDK_PACKAGE_GROUP "System Environment/Libraries")
set(CPACK_RPM_DEV_PACKAGE_GROUP "Development/Libraries")
set(CPACK_RPM_SDK_PACKAGE_REQUIRES "qt6-qtbase >= 6.4, qt6-qtwebsockets >= 6.4, brotli, zlib")
set(CPACK_RPM_APP_PACKAGE_REQUIRES "${CPACK_RPM_APP_PACKAGE_REQUIRES}, ${STDB_SDK_PACKAGE} = ${PROJECT_VERSION}")
set(CPACK_RPM_DEV_PACKAGE_REQUIRES "${STDB_SDK_PACKAGE} = ${PROJECT_VERSION}")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_PACKAGE_SUGGESTS "gnome-keyring")
# Directories owned by the filesystem package or others must not be claimed by this package.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/share/applications
    /usr/share/metainfo
    /usr/share/icons
    /usr/share/icons/hicolor
    /usr/share/man
    /usr/share/man/man1
    /usr/share/lintian
    /usr/share/lintian/overrides
    /usr/share/doc
    /usr/lib/cmake
    /usr/lib64/cmake
    /usr/include)
foreach(size IN LISTS STDB_ICON_SIZES ITEMS scalable)
    if(size STREQUAL "scalable")
        set(d /usr/share/icons/hicolor/scalable)
    else()
        set(d /usr/share/icons/hicolor/${size}x${size})
    endif()
    list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION ${d} ${d}/apps)
endforeach()
set(CPACK_RPM_SPEC_MORE_DEFINE "%define _build_id_links none")

# ---- Windows (NSIS) -------------------------------------------------------------------------
set(CPACK_NSIS_PACKAGE_NAME "Spacetime Chat")
set(CPACK_NSIS_DISPLAY_NAME "Spacetime Chat ${PROJECT_VERSION}")
set(CPACK_NSIS_URL_INFO_ABOUT ${PROJECT_HOMEPAGE_URL})
set(CPACK_NSIS_HELP_LINK ${PROJECT_HOMEPAGE_URL})
set(CPACK_NSIS_CONTACT ${STDB_PACKAGE_MAINTAINER})
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MODIFY_PATH OFF)
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\spacetime-chat.exe")
# Start-menu entry (CPACK_PACKAGE_EXECUTABLES above) plus the uninstaller link.
set(CPACK_NSIS_MENU_LINKS "${PROJECT_HOMEPAGE_URL}" "Spacetime Chat on the web")
if(WIN32 AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/windows/spacetime-chat.ico)
    set(CPACK_NSIS_MUI_ICON ${CMAKE_CURRENT_SOURCE_DIR}/windows/spacetime-chat.ico)
    set(CPACK_NSIS_MUI_UNIICON ${CMAKE_CURRENT_SOURCE_DIR}/windows/spacetime-chat.ico)
endif()

# ---- macOS (DragNDrop) ----------------------------------------------------------------------
# The .dmg holds spacetime-chat.app (self-contained through macdeployqt), an /Applications link
# (CPack adds it), and the SDK's lib/ and include/ next to the bundle. The licence is not shown
# as a click-through agreement (CPACK_DMG_SLA_USE_RESOURCE_FILE_LICENSE stays off).
set(CPACK_DMG_VOLUME_NAME "Spacetime Chat")
set(CPACK_DMG_FORMAT "UDZO")
# Before CMake 3.24's CMP0133, DragNDrop turned CPACK_RESOURCE_FILE_LICENSE into a licence
# agreement through `hdiutil udifrez`, which current macOS no longer has.
if(POLICY CMP0133)
    cmake_policy(SET CMP0133 NEW)
endif()
set(CPACK_DMG_SLA_USE_RESOURCE_FILE_LICENSE OFF)

include(CPack)
