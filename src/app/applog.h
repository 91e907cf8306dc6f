// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

// Log category of the desktop app ("app"; see chat/chatlog.h for the tree). Never log tokens.
Q_DECLARE_LOGGING_CATEGORY(lcApp)
