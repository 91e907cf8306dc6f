#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# AppImage recipe for Spacetime Chat (the Widgets app; the console client and tools ride along).
# Not run on our machines: linuxdeploy and its Qt plugin are AppImages downloaded from GitHub,
# and our CI has no network access to them. See docs/packaging.md.
#
#   bash packaging/linux/appimage.sh [BUILD_DIR] [OUT_DIR]
#
# Build on the OLDEST distribution you want to support (glibc is not bundled); Qt comes from
# qmake6 on PATH (distribution Qt 6 or an aqtinstall tree), QtKeychain from the system.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-appimage}
out=${2:-$root}
tools=${LINUXDEPLOY_DIR:-$build/linuxdeploy}
appdir=$build/AppDir
arch=$(uname -m)

# 1. Build and install into the AppDir with the /usr layout linuxdeploy expects.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX=/usr -DSTDB_BUILD_TESTS=OFF -DSTDB_BUILD_BENCH=OFF
cmake --build "$build"
rm -rf "$appdir"
DESTDIR="$appdir" cmake --install "$build"
# The SDK's headers and CMake package are for developers, not for the AppImage.
rm -rf "$appdir/usr/include" "$appdir/usr/lib/cmake" "$appdir/usr/share/lintian"

# 2. linuxdeploy + linuxdeploy-plugin-qt (continuous builds; pin a release for reproducibility).
mkdir -p "$tools"
for tool in linuxdeploy linuxdeploy-plugin-qt; do
    f=$tools/$tool-$arch.AppImage
    if [[ ! -x $f ]]; then
        curl -fL -o "$f" "https://github.com/linuxdeploy/$tool/releases/download/continuous/$tool-$arch.AppImage"
        chmod +x "$f"
    fi
done
export PATH=$tools:$PATH

# 3. Bundle Qt (platform plugins, Wayland, SVG icon engine, TLS) and everything ldd finds.
export QMAKE=${QMAKE:-$(command -v qmake6 || command -v qmake)}
export EXTRA_PLATFORM_PLUGINS="libqwayland-egl.so;libqwayland-generic.so"
export EXTRA_QT_MODULES="svg"
export LDAI_OUTPUT="$out/SpacetimeChat-$(sed -n 's/^project(SpacetimeChat *$//p;s/^ *VERSION \([0-9.]*\)$/\1/p' "$root/CMakeLists.txt" | head -1)-$arch.AppImage"
app_id=io.github.spacetimechat.SpacetimeChat
"$tools/linuxdeploy-$arch.AppImage" --appdir "$appdir" \
    --executable "$appdir/usr/bin/spacetime-chat" \
    --executable "$appdir/usr/bin/spacetime-chat-cli" \
    --desktop-file "$appdir/usr/share/applications/$app_id.desktop" \
    --icon-file "$appdir/usr/share/icons/hicolor/256x256/apps/$app_id.png" \
    --plugin qt --output appimage
echo "AppImage: $LDAI_OUTPUT"
