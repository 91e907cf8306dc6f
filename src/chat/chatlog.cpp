// SPDX-License-Identifier: Apache-2.0
#include "chat/chatlog.h"

Q_LOGGING_CATEGORY(lcChatClient, "chat.client")
Q_LOGGING_CATEGORY(lcCredentials, "chat.credentials")
Q_LOGGING_CATEGORY(lcOutbox, "chat.outbox")
