// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/chatclient.h"
#include "desktop/colorscheme.h"

#include <QStringList>

namespace quick {

// The command line of spacetime-chat-quick: the same options as the Widgets app
// (spacetime-chat) where they make sense for it.
struct QuickOptions {
    chat::ChatClient::Options client;
    // --color-scheme, else $SPACETIME_CHAT_COLOR_SCHEME (as in the Widgets app).
    desktop::ColorScheme::Scheme colorScheme = desktop::ColorScheme::Scheme::System;
    QString error; // non-empty: refuse to start

    // Parses; --help and --version print and exit like QCommandLineParser::process() does.
    static QuickOptions parse(const QStringList &arguments);
};

} // namespace quick
