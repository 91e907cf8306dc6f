// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

// Log category of the desktop integration shared by the front ends ("desktop"; see
// chat/chatlog.h for the tree). Never log tokens.
Q_DECLARE_LOGGING_CATEGORY(lcDesktop)
