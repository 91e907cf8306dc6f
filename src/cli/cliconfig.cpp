// SPDX-License-Identifier: Apache-2.0
#include "cliconfig.h"

#include "chat/profile.h"
#include "chat/rustcredentials.h"
#include "chat/trustedcertificate.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QUrl>

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
    const QCommandLineOption server(QStringLiteral("server"),
                                    tr("SpacetimeDB server URL, or \"maincloud\" (default: %1).")
                                        .arg(QLatin1String(chat::Profile::kDefaultServer)),
                                    tr("url"), QString::fromLatin1(chat::Profile::kDefaultServer));
    const QCommandLineOption database(QStringLiteral("database"),
                                      tr("Database name or identity (default: %1).")
                                          .arg(QLatin1String(chat::Profile::kDefaultDatabase)),
                                      tr("name"),
                                      QString::fromLatin1(chat::Profile::kDefaultDatabase));
    const QCommandLineOption profile(QStringLiteral("profile"),
                                     tr("Profile: each profile has its own identity (default: %1).")
                                         .arg(QLatin1String(chat::Profile::kDefaultName)),
                                     tr("name"), QString::fromLatin1(chat::Profile::kDefaultName));
    const QCommandLineOption insecure(
        QStringLiteral("insecure-token-file"),
        tr("Keep the token in a plain file (mode 0600) in the profile's data directory "
           "instead of the OS keychain. The file is not encrypted."));
    const QCommandLineOption importRust(
        QStringLiteral("import-rust-credentials"),
        tr("If this profile has no identity yet, continue as the identity of the official Rust "
           "quickstart client (~/.spacetimedb_client_credentials/<database>)."));
    const QCommandLineOption rustPath(
        QStringLiteral("rust-credentials"),
        tr("Import the identity from this Rust credentials file (implies "
           "--import-rust-credentials)."),
        tr("file"));
    const QCommandLineOption forget(
        QStringLiteral("forget-identity"),
        tr("Delete this profile's stored token first; you connect with a new identity."));
    const QCommandLineOption anonymous(
        QStringLiteral("anonymous"),
        tr("Connect with a throw-away identity; nothing is loaded or stored."));
    const QCommandLineOption trust(
        QStringLiteral("trust-certificate"),
        tr("Trust this certificate (a PEM or DER file) for a wss server with a self-signed "
           "certificate, in addition to the system's certificate authorities. Verification "
           "stays on."),
        tr("file"));
    parser.addOptions(
        {server, database, profile, insecure, importRust, rustPath, forget, anonymous, trust});

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

    const QString serverUrl = chat::Profile::expandServerShortcut(parser.value(server).trimmed());
    const QUrl url(serverUrl);
    if (serverUrl.isEmpty() || !url.isValid())
        return fail(tr("Not a valid server URL: %1").arg(parser.value(server)));
    const QString databaseName = parser.value(database).trimmed();
    if (databaseName.isEmpty())
        return fail(tr("The database name must not be empty."));
    const QString profileName = parser.value(profile);
    if (!chat::Profile::isValidName(profileName))
        return fail(tr("Not a valid profile name: \"%1\" (letters, digits, '-', '_' and '.', at "
                       "most 64 characters).")
                        .arg(profileName));
    const bool import = parser.isSet(importRust) || parser.isSet(rustPath);
    if (parser.isSet(anonymous) && (import || parser.isSet(insecure)))
        return fail(tr("--anonymous stores no identity; it cannot be combined with "
                       "--import-rust-credentials or --insecure-token-file."));

    CliConfig &config = result.config;
    config.client.profile = chat::Profile(serverUrl, databaseName, profileName);
    // The console client is for terminals and scripts: nothing typed outlives the process.
    config.client.outboxPath = QStringLiteral(":memory:");
    // The official client prints every message the database holds, not a recent window.
    // (A window reaching back to 1970: everything.)
    config.client.historyWindow = std::chrono::seconds(QDateTime::currentSecsSinceEpoch());
    config.client.maxMessages = 0;
    config.client.insecureTokenFile = parser.isSet(insecure);
    config.client.anonymous = parser.isSet(anonymous);
    config.importRustCredentials = import;
    config.rustCredentialsPath = parser.isSet(rustPath)
                                     ? parser.value(rustPath)
                                     : chat::RustCredentials::defaultPath(databaseName);
    config.forgetIdentity = parser.isSet(forget);
    if (parser.isSet(trust)) {
        const auto certificate = chat::TrustedCertificate::load(parser.value(trust));
        if (!certificate)
            return fail(tr("--trust-certificate: %1").arg(certificate.error().message()));
        config.client.trustedCertificate = *certificate;
        config.client.profile.setTrustedCertificateFile(parser.value(trust));
    }
    return result;
}

} // namespace cli
