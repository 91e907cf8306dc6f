// SPDX-License-Identifier: Apache-2.0
#include "cliconfig.h"

#include "chat/connectoptions.h"
#include "chat/rustcredentials.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>

namespace cli {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("cli", text);
}
} // namespace

ParseResult parseCommandLine(const QStringList &arguments) {
    ParseResult result;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Console client for the SpacetimeDB quickstart-chat module.\n"
           "Reads lines from standard input: \"/name NAME\" sets your name, any other line is "
           "sent as a message. Prints the conversation to standard output."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    chat::ConnectOptions connect(chat::ConnectOptions::Frontend::Console);
    connect.addTo(parser);
    const QCommandLineOption forget(
        QStringLiteral("forget-identity"),
        tr("Delete this profile's stored token first; you connect with a new identity."));
    parser.addOption(forget);

    if (!parser.parse(arguments)) {
        result.action = ParseResult::Action::ExitError;
        result.text = parser.errorText() + QLatin1Char('\n') +
                      tr("Try '%1 --help' for more information.").arg(QLatin1String(kProgramName));
        return result;
    }
    if (parser.isSet(helpOption)) {
        result.action = ParseResult::Action::ExitOk;
        result.text = parser.helpText();
        return result;
    }
    if (parser.isSet(versionOption)) {
        result.action = ParseResult::Action::ExitOk;
        result.text =
            QLatin1String(kProgramName) + QLatin1Char(' ') + QCoreApplication::applicationVersion();
        return result;
    }
    auto fail = [&result](const QString &text) {
        result.action = ParseResult::Action::ExitError;
        result.text = text;
        return result;
    };
    if (!parser.positionalArguments().isEmpty())
        return fail(tr("Unexpected argument: %1").arg(parser.positionalArguments().first()));

    if (!connect.read(parser))
        return fail(connect.error());

    CliConfig &config = result.config;
    config.client.profile = connect.profile();
    // The console client is for terminals and scripts: nothing typed outlives the process.
    config.client.outboxPath = QStringLiteral(":memory:");
    // The official client prints every message the database holds, not a recent window.
    // (A window reaching back to 1970: everything.)
    config.client.historyWindow = std::chrono::seconds(QDateTime::currentSecsSinceEpoch());
    config.client.maxMessages = 0;
    config.client.insecureTokenFile = connect.insecureTokenFile();
    config.client.anonymous = connect.anonymous();
    config.client.trustedCertificate = connect.trustedCertificate();
    config.importRustCredentials = connect.importRustCredentials();
    config.rustCredentialsPath = connect.rustCredentialsPath().isEmpty()
                                     ? chat::RustCredentials::defaultPath(connect.database())
                                     : connect.rustCredentialsPath();
    config.forgetIdentity = parser.isSet(forget);
    return result;
}

} // namespace cli
