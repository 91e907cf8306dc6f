#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs everything the build, the apps and the test suite need on Debian bookworm.
# Idempotent: re-running only installs what is missing.
set -euo pipefail

PKGS=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format
  # Qt 6.4 and friends
  qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qtkeychain-qt6-dev
  qt6-declarative-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6sql6-sqlite libgl-dev libqt6svg6 curl
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
  qml6-module-qttest qml6-module-qtquick-dialogs
  # compression
  libbrotli-dev zlib1g-dev
  # ICU's spoof checker: look-alike user names (src/chat/namedisambiguator.cpp)
  libicu-dev
  # tests: headless display, Secret Service, Node for the official TypeScript SDK cross-checks
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools nodejs npm
  fonts-dejavu-core
  # tst_models compares day numbers with the time zone database in zones with DST
  tzdata
  # tests/security: the openssl command makes self-signed certificates for the wss tests
  openssl
  # packaging (packaging/check.sh): lintian, validators, rpmbuild, icon rendering, dpkg-shlibdeps
  lintian desktop-file-utils appstream rpm librsvg2-bin dpkg-dev
  # screenshots under Xvfb (docs/screenshots, tests/quick/screenshot.sh, scripts/screenshots.sh)
  imagemagick xdotool x11-apps
  # the benchmark report (bench/run-all.sh -> bench/report.py)
  python3
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from outside Debian on some machines; accept whatever is on PATH
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi

if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

