// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

// The console client's logging categories, under "cli." (see chat/chatlog.h for the tree).
Q_DECLARE_LOGGING_CATEGORY(lcConsole)    // "cli"
Q_DECLARE_LOGGING_CATEGORY(lcLineReader) // "cli.input"
