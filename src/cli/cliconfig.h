// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/chatclient.h"

#include <QString>
#include <QStringList>

namespace cli {

inline constexpr char kProgramName[] = "spacetime-chat-cli";

// Everything the command line decides.
struct CliConfig {
    chat::ChatClient::Options client;
    // Continue as the official Rust quickstart's identity when this profile has none yet.
    bool importRustCredentials = false;
    QString rustCredentialsPath; // default: ~/.spacetimedb_client_credentials/<database>
    // Delete the profile's stored token before connecting (a new identity).
    bool forgetIdentity = false;
};

// The outcome of parsing: either a config to run with, or an exit (help, version, error) with
// the text to print.
struct ParseResult {
    enum class Action { Run, ExitOk, ExitError };
    Action action = Action::Run;
    QString text; // for ExitOk (stdout) and ExitError (stderr)
    CliConfig config;
};

// Parses the console client's command line (arguments[0] is the program). Needs a
// QCoreApplication (for the version and translations).
ParseResult parseCommandLine(const QStringList &arguments);

} // namespace cli
