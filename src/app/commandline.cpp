// SPDX-License-Identifier: Apache-2.0
#include "commandline.h"

#include "chat/profile.h"

#include "chat/trustedcertificate.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

bool CommandLine::parse(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "CommandLine", "Chat on a SpacetimeDB quickstart-chat database."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption serverOpt(
        QStringLiteral("server"),
        QCoreApplication::translate("CommandLine",
                                    "Server URL (default http://127.0.0.1:3000; \"maincloud\" "
                                    "for https://maincloud.spacetimedb.com)."),
        QStringLiteral("url"));
    const QCommandLineOption databaseOpt(
        QStringLiteral("database"),
        QCoreApplication::translate("CommandLine", "Database name (default quickstart-chat)."),
        QStringLiteral("name"));
    const QCommandLineOption profileOpt(
        QStringLiteral("profile"),
        QCoreApplication::translate("CommandLine",
                                    "Profile to use; each profile has its own identity and "
                                    "settings (default: the last one used)."),
        QStringLiteral("name"));
    const QCommandLineOption minimizedOpt(
        QStringLiteral("minimized"),
        QCoreApplication::translate("CommandLine",
                                    "Start minimized (in the tray if there is one)."));
    const QCommandLineOption insecureOpt(
        QStringLiteral("insecure-token-file"),
        QCoreApplication::translate("CommandLine",
                                    "Keep the identity token in an unencrypted file (mode 0600) "
                                    "in the profile's data directory instead of the keychain."));
    const QCommandLineOption importOpt(
        QStringLiteral("import-rust-credentials"),
        QCoreApplication::translate("CommandLine",
                                    "Continue as the identity of the official Rust quickstart "
                                    "(~/.spacetimedb_client_credentials/<database>)."));
    const QCommandLineOption rustPathOpt(
        QStringLiteral("rust-credentials"),
        QCoreApplication::translate("CommandLine",
                                    "Import the identity from this Rust credentials file."),
        QStringLiteral("file"));
    const QCommandLineOption anonymousOpt(
        QStringLiteral("anonymous"),
        QCoreApplication::translate("CommandLine",
                                    "Use a throw-away identity that is never stored."));
    const QCommandLineOption noTrayOpt(
        QStringLiteral("no-tray"),
        QCoreApplication::translate("CommandLine", "Do not show a tray icon."));
    const QCommandLineOption schemeOpt(
        QStringLiteral("color-scheme"),
        QCoreApplication::translate("CommandLine",
                                    "light, dark or system (default: follow the system)."),
        QStringLiteral("scheme"));
    const QCommandLineOption trustOpt(
        QStringLiteral("trust-certificate"),
        QCoreApplication::translate("CommandLine",
                                    "Trust this certificate file (PEM or DER) for a wss server "
                                    "with a self-signed certificate; saved in the profile."),
        QStringLiteral("file"));
    parser.addOptions({serverOpt, databaseOpt, profileOpt, minimizedOpt, insecureOpt, importOpt,
                       rustPathOpt, anonymousOpt, noTrayOpt, schemeOpt, trustOpt});
    parser.process(arguments);

    server = parser.value(serverOpt).trimmed();
    database = parser.value(databaseOpt).trimmed();
    profile = parser.value(profileOpt).trimmed();
    minimized = parser.isSet(minimizedOpt);
    insecureTokenFile = parser.isSet(insecureOpt);
    rustCredentialsPath = parser.value(rustPathOpt);
    importRustCredentials = parser.isSet(importOpt) || !rustCredentialsPath.isEmpty();
    anonymous = parser.isSet(anonymousOpt);
    noTray = parser.isSet(noTrayOpt);
    colorScheme = parser.value(schemeOpt).trimmed().toLower();
    if (parser.isSet(trustOpt)) {
        const auto certificate = chat::TrustedCertificate::load(parser.value(trustOpt));
        if (!certificate) {
            m_error = certificate.error().message();
            return false;
        }
        trustCertificate = QFileInfo(parser.value(trustOpt)).absoluteFilePath();
    }

    if (!profile.isEmpty() && !chat::Profile::isValidName(profile)) {
        m_error = QCoreApplication::translate("CommandLine",
                                              "Invalid profile name \"%1\": use letters, digits, "
                                              "'.', '-' and '_'.")
                      .arg(profile);
        return false;
    }
    if (!colorScheme.isEmpty() && colorScheme != QLatin1String("light") &&
        colorScheme != QLatin1String("dark") && colorScheme != QLatin1String("system")) {
        m_error = QCoreApplication::translate("CommandLine",
                                              "--color-scheme must be light, dark or system.");
        return false;
    }
    if (anonymous && importRustCredentials) {
        m_error = QCoreApplication::translate(
            "CommandLine", "--anonymous and --import-rust-credentials exclude each other.");
        return false;
    }
    return true;
}
