// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

// The chat layer's logging categories, all under "chat." (the SDK logs under "stdb.", the front
// ends under "app.", "quick." and "cli.", their shared desktop integration under "desktop").
// Never log tokens.
Q_DECLARE_LOGGING_CATEGORY(lcChatClient)  // "chat.client"
Q_DECLARE_LOGGING_CATEGORY(lcCredentials) // "chat.credentials"
Q_DECLARE_LOGGING_CATEGORY(lcOutbox)      // "chat.outbox"
