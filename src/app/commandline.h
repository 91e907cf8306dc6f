// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

// The options of `spacetime-chat` (QCommandLineParser): which profile, server and database,
// how to handle credentials (chat::ConnectOptions), and how to start.
class CommandLine {
public:
    QString server;   // --server URL ("maincloud" allowed)
    QString database; // --database NAME
    QString profile;  // --profile NAME
    bool minimized = false;
    bool insecureTokenFile = false;
    bool importRustCredentials = false;
    QString rustCredentialsPath; // --rust-credentials FILE (implies import)
    bool anonymous = false;
    bool noTray = false;
    QString colorScheme;      // light | dark | system (empty = system)
    QString trustCertificate; // --trust-certificate FILE (absolute; stored in the profile)

    // Parses; on --help/--version prints and exits the process like QCommandLineParser does.
    // Returns false with error() set for bad values.
    bool parse(const QStringList &arguments);
    QString error() const { return m_error; }

private:
    QString m_error;
};
