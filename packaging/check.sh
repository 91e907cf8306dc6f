#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the .deb and .rpm packages (spacetime-chat, libspacetimeqt0, libspacetimeqt-dev) from a
# configured and built build directory and checks them:
#   lintian (no errors), desktop-file-validate, appstreamcli validate --no-net,
#   apt-get install of the .debs, the installed programs' --version/--help, a chat round trip of
#   the installed /usr/bin/spacetime-chat-cli against the development host from the build tree,
#   tests/package-consumer built against the installed -dev package (find_package(SpacetimeQt)),
#   then removes the packages again.
#
#   bash packaging/check.sh BUILD_DIR
#
# Needs root (apt-get install) and the tools from scripts/install-deps.sh (lintian,
# desktop-file-utils, appstream, rpm, dpkg-dev). scripts/test.sh runs this at the end unless
# STDB_SKIP_PACKAGING=1. Packages are left in BUILD_DIR/packages/.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
out=$build/packages
work=$(mktemp -d /tmp/stdb-packaging.XXXXXX)
host_pid=""
installed=""

step() { printf '\n== %s\n' "$*"; }
skip() { printf -- '-- SKIPPED: %s\n' "$*"; }
die() { printf 'packaging/check.sh: FAILED: %s\n' "$*" >&2; exit 1; }

cleanup() {
    if [[ -n $host_pid ]]; then kill "$host_pid" 2>/dev/null || true; wait "$host_pid" 2>/dev/null || true; fi
    if [[ -n $installed ]]; then
        # shellcheck disable=SC2086 # a list of package names
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $installed >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

for tool in cpack dpkg-deb dpkg-shlibdeps rpmbuild lintian desktop-file-validate appstreamcli curl; do
    command -v "$tool" >/dev/null || die "$tool is missing (run scripts/install-deps.sh)"
done
[[ -f $build/CPackConfig.cmake ]] || die "$build is not a configured build directory (no CPackConfig.cmake)"

step "Building $build"
cmake --build "$build" -j"${STDB_JOBS:-2}"

step "CPack: DEB and RPM"
rm -rf "$out"
(cd "$build" && cpack -G "DEB;RPM" -B "$out") > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; die "cpack"; }
ls -l "$out"/*.deb "$out"/*.rpm
deb_of() { ls "$out/$1"_*.deb 2>/dev/null || die "no $1 .deb in $out"; }
deb=$(deb_of spacetime-chat)
sdk_deb=$(deb_of libspacetimeqt0)
dev_deb=$(deb_of libspacetimeqt-dev)
debs=("$deb" "$sdk_deb" "$dev_deb")
[[ $(ls "$out"/*.deb | wc -l) -eq 3 ]] || die "expected exactly three .deb packages"
[[ $(ls "$out"/*.rpm | wc -l) -eq 3 ]] || die "expected exactly three .rpm packages"
rpm=$(ls "$out"/spacetime-chat-[0-9]*.rpm)
pkgs=()
for d in "${debs[@]}"; do pkgs+=("$(dpkg-deb -f "$d" Package)"); done

step "DEB control"
for d in "${debs[@]}"; do
    dpkg-deb -f "$d" Package Version Architecture Installed-Size Section Depends Recommends
    echo
done
# The programs use the SDK package's library; the -dev package pins the same version.
dpkg-deb -f "$deb" Depends | grep -q "libspacetimeqt0" || die "spacetime-chat does not depend on libspacetimeqt0"
dpkg-deb -f "$dev_deb" Depends | grep -q "libspacetimeqt0 (= " || die "libspacetimeqt-dev does not pin libspacetimeqt0"
# The chat layer links ICU itself (look-alike user names); dpkg-shlibdeps must have seen it.
dpkg-deb -f "$deb" Depends | grep -q "libicu[0-9]" || die "spacetime-chat does not depend on libicu (ICU's spoof checker)"
step "RPM requires"
for r in "$out"/*.rpm; do
    printf '%s: ' "$(basename "$r")"
    rpm -qp --requires "$r" 2>/dev/null | grep -v '^rpmlib(' | sort | tr '\n' ' '; echo
done
rpm -qp --requires "$rpm" 2>/dev/null | grep -q "^libicui18n" || die "spacetime-chat.rpm does not require ICU (libicui18n)"

contents=$work/contents
for d in "${debs[@]}"; do dpkg-deb -x "$d" "$contents"; done
has() { [[ -e $contents/$1 ]]; }
for f in usr/lib/libSpacetimeQt.so.0 usr/lib/libSpacetimeQtSchema.so.0 usr/include/spacetime/global.h \
         usr/include/spacetime/bsatn/identity.h usr/lib/cmake/SpacetimeQt/SpacetimeQtConfig.cmake; do
    has "$f" || die "no $f in the packages"
done
dpkg-deb -c "$dev_deb" | grep -q 'usr/lib/libSpacetimeQt.so ->' || die "libSpacetimeQt.so link not in the -dev package"
! dpkg-deb -c "$deb" | grep -q 'usr/include' || die "headers in the app package"

step "lintian"
lintian --fail-on error --display-info --tag-display-limit 0 "${debs[@]}" | tee "$work/lintian.txt" \
    || die "lintian reported errors"
echo "lintian: $(grep -c '^E:' "$work/lintian.txt" || true) errors, $(grep -c '^W:' "$work/lintian.txt" || true) warnings, $(grep -c '^I:' "$work/lintian.txt" || true) infos"

step "desktop-file-validate / appstreamcli"
app_id=io.github.spacetimechat.SpacetimeChat
if has usr/share/applications/$app_id.desktop; then
    desktop-file-validate "$contents/usr/share/applications/$app_id.desktop"
    echo "desktop-file-validate: ok"
    appstreamcli validate --no-net "$contents/usr/share/metainfo/$app_id.metainfo.xml"
else
    skip "no spacetime-chat in this build, so no .desktop/metainfo in the package; validating the sources"
    desktop-file-validate "$root/resources/$app_id.desktop"
    appstreamcli validate --no-net "$root/resources/$app_id.metainfo.xml"
fi

step "apt-get install ${debs[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q "${debs[@]}" > "$work/apt.log" 2>&1 || { cat "$work/apt.log"; die "apt-get install"; }
installed="${pkgs[*]}"
for p in "${pkgs[@]}"; do dpkg -s "$p" | grep -E '^(Package|Status|Version):'; done
# The installed programs must use the installed SDK, not the build tree's.
for b in /usr/bin/spacetime-*; do
    lib=$(ldd "$b" | awk '/libSpacetimeQt/ {print $3}')
    printf '%s -> %s\n' "$b" "${lib:-(no SpacetimeQt)}"
    [[ -z $lib || $lib != "$build"* ]] || die "$b loads libSpacetimeQt from the build tree"
done

step "Installed programs"
# `PROG --version` must print "PROG VERSION": its own name, not the shared application name.
check_version() {
    local prog=$1 out
    out=$(QT_QPA_PLATFORM=offscreen "/usr/bin/$prog" --version)
    echo "$out"
    [[ $out == "$prog "[0-9]* ]] || die "$prog --version does not start with \"$prog <version>\""
}
if [[ -x /usr/bin/spacetime-chat ]]; then
    check_version spacetime-chat
else
    skip "spacetime-chat is not built yet (src/app), not in the package"
fi
if [[ -x /usr/bin/spacetime-chat-quick ]]; then
    check_version spacetime-chat-quick
else
    skip "spacetime-chat-quick is not built yet (src/quick), not in the package"
fi
[[ ! -x /usr/bin/spacetime-chat-cli ]] || check_version spacetime-chat-cli
check_version spacetime-inspect
check_version spacetime-qt-generate
/usr/bin/spacetime-inspect --help > /dev/null && echo "spacetime-inspect --help: ok"
/usr/bin/spacetime-qt-generate --help > /dev/null && echo "spacetime-qt-generate --help: ok"

if [[ -x /usr/bin/spacetime-chat-cli ]]; then
    /usr/bin/spacetime-chat-cli --help | head -3
    step "Chat round trip: installed spacetime-chat-cli against $build/bin/spacetime-chat-host"
    [[ -x $build/bin/spacetime-chat-host ]] || die "no $build/bin/spacetime-chat-host"
    "$build/bin/spacetime-chat-host" --listen 127.0.0.1:0 --data :memory: \
        > "$work/host.out" 2> "$work/host.log" &
    host_pid=$!
    url=""
    for _ in $(seq 100); do
        url=$(sed -n 's/^listening on \(http:\/\/[0-9.:]*\).*/\1/p' "$work/host.out")
        [[ -n $url ]] && break
        kill -0 "$host_pid" 2>/dev/null || { cat "$work/host.log"; die "host exited"; }
        sleep 0.1
    done
    [[ -n $url ]] || die "host did not print its address"
    echo "host: $url"
    text="packaged-cli round trip $$-$RANDOM"
    printf '/name packager\n%s\n' "$text" |
        HOME="$work/home" timeout 60 /usr/bin/spacetime-chat-cli --anonymous --server "$url" \
            > "$work/cli.out" 2> "$work/cli.err" || { cat "$work/cli.out" "$work/cli.err"; die "spacetime-chat-cli failed"; }
    sed 's/^/cli: /' "$work/cli.out"
    found=""
    for _ in $(seq 50); do
        if curl -fsS -X POST --data 'SELECT * FROM message' "$url/v1/database/quickstart-chat/sql" |
            grep -qF "$text"; then
            found=yes
            break
        fi
        sleep 0.1
    done
    [[ -n $found ]] || { cat "$work/host.log"; die "the message did not reach the host's message table"; }
    echo "host /sql: the message is in the message table"
    grep -F "$text" "$work/host.log" | head -1 | sed 's/^/host log: /'
    kill "$host_pid"; wait "$host_pid" 2>/dev/null || true; host_pid=""
else
    skip "spacetime-chat-cli is not built yet (src/cli): no --help, no chat round trip"
fi

step "tests/package-consumer against the installed libspacetimeqt-dev"
# Only the system prefixes: find_package(SpacetimeQt) must find /usr/lib/cmake/SpacetimeQt, and
# the headers must come from /usr/include, never from this source tree.
cmake -S "$root/tests/package-consumer" -B "$work/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "-DSTDB_FORBIDDEN_PREFIX=$root/src" > "$work/consumer.log" 2>&1 \
    || { cat "$work/consumer.log"; die "configuring the consumer against the installed package"; }
grep -F "SpacetimeQt 0" "$work/consumer.log" | sed 's/^-- /consumer: /'
cmake --build "$work/consumer" > "$work/consumer-build.log" 2>&1 \
    || { cat "$work/consumer-build.log"; die "building the consumer against the installed package"; }
"$work/consumer/consumer" || die "the consumer built against the installed package failed"
lib=$(ldd "$work/consumer/consumer" | awk '/libSpacetimeQt.so/ {print $3}')
# (/lib may be the merged-/usr link to /usr/lib, so compare the resolved paths.)
[[ -n $lib && $(readlink -f "$lib") == $(readlink -f /usr/lib/libSpacetimeQt.so.0) ]] \
    || die "the consumer loads ${lib:-nothing}, not the installed library"

step "apt-get purge ${pkgs[*]}"
apt-get purge -y -q "${pkgs[@]}" > "$work/apt.log" 2>&1 || { cat "$work/apt.log"; die "apt-get purge"; }
installed=""
for f in /usr/lib/libSpacetimeQt.so.0 /usr/lib/libSpacetimeQtSchema.so.0 /usr/bin/spacetime-inspect \
         /usr/include/spacetime /usr/lib/cmake/SpacetimeQt; do
    [[ ! -e $f ]] || die "$f left after removal"
done
echo "removed"

printf '\npackaging/check.sh: all checks passed (%s; %s)\n' "$(cd "$out" && echo *.deb)" "$(cd "$out" && echo *.rpm)"
