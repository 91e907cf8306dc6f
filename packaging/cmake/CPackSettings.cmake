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
inspector spacetime-inspect, the bindings generator spacetime-qt-generate, and
the SpacetimeQt SDK (shared library, headers and CMake package) they are built
on.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Spacetime Chat")
set(CPACK_PACKAGE_EXECUTABLES "spacetime-chat;Spacetime Chat")
set(CPACK_STRIP_FILES ON)
# Shown by the NSIS installer (licence page) and kept with the packages; without it CPack would
# show its generic placeholder licence. The same text as the Debian copyright file.
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/debian/copyright.in
    ${CMAKE_CURRENT_BINARY_DIR}/LICENSE.txt @ONLY)
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

# ---- Debian ---------------------------------------------------------------------------------
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${STDB_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
# Qt, QtKeychain, Brotli, zlib, libstdc++ … computed from the ELF files by dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libSpacetimeQt.so.0 is in this very package; let dpkg-shlibdeps find it in the staging tree
# (the working directory of the call is the package root).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "${CPACK_PACKAGING_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}")
string(REGEX REPLACE "^/" "" CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "${CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS}")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
list(JOIN STDB_DEB_EXTRA_DEPENDS ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, gnome-keyring | kwalletmanager")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The shared library needs the ldconfig trigger (lintian: lacks-ldconfig-trigger). CPack still
# writes postinst/postrm calling ldconfig as well (lintian warning maintscript-calls-ldconfig);
# harmless, and replacing them with empty scripts would only trade one warning for another.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_SOURCE_DIR}/debian/triggers)

# ---- RPM ------------------------------------------------------------------------------------
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE ${STDB_PACKAGE_LICENSE})
set(CPACK_RPM_PACKAGE_GROUP "Applications/Internet")
set(CPACK_RPM_PACKAGE_URL ${PROJECT_HOMEPAGE_URL})
set(CPACK_RPM_PACKAGE_RELEASE 1)
set(CPACK_RPM_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
# rpmbuild's own dependency generator adds the shared-library sonames (AUTOREQ); these are the
# distribution package names on Fedora/openSUSE-style systems.
list(JOIN STDB_RPM_REQUIRES ", " CPACK_RPM_PACKAGE_REQUIRES)
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
