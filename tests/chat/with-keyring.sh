#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a command inside a private D-Bus session with a fresh, unlocked GNOME Keyring acting as
# the Secret Service, so keychain tests use the real thing and never touch the user's keyring.
set -euo pipefail
export XDG_DATA_HOME
XDG_DATA_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
dbus-run-session -- bash -c '
    echo -n "spacetime-chat-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"' _ "$@"
