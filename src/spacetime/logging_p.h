// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace stdb {

// The SDK's logging categories, all under "stdb." (the chat layer uses "chat.", the front ends
// "app.", "quick." and "cli."), so one rule such as QT_LOGGING_RULES="stdb.*=false" covers the
// whole layer. Never log tokens.

// "stdb.connection": DbConnection and its socket worker, so one rule covers both threads (the
// CLI silences its warnings, for instance).
Q_DECLARE_LOGGING_CATEGORY(lcConnection)
// "stdb.connection.frames": which reader reads a session's frames (the own-frame-reader
// proposal, ConnectionOptions::ownFrameReader), once per session.
Q_DECLARE_LOGGING_CATEGORY(lcFrames)

} // namespace stdb
