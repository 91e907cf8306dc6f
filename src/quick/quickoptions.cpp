// SPDX-License-Identifier: Apache-2.0
#include "quickoptions.h"

#include "chat/profile.h"
#include "chat/trustedcertificate.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace quick {

namespace {
// The context lupdate files these texts under (resources/translations/*.ts).
QString tr(const char *text) {
    return QCoreApplication::translate("quick::QuickOptions", text);
}
} // namespace

QuickOptions QuickOptions::parse(const QStringList &arguments) {
    QuickOptions result;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Chat on a SpacetimeDB quickstart-chat database (Qt Quick client)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(
        QStringLiteral("server"),
        tr("Server URL (default http://127.0.0.1:3000; \"maincloud\" for "
           "https://maincloud.spacetimedb.com)."),
        QStringLiteral("url"), QString::fromLatin1(chat::Profile::kDefaultServer));
    const QCommandLineOption database(
        QStringLiteral("database"), tr("Database name (default quickstart-chat)."),
        QStringLiteral("name"), QString::fromLatin1(chat::Profile::kDefaultDatabase));
    const QCommandLineOption profile(
        QStringLiteral("profile"),
        tr("Profile to use; each profile has its own identity (default: default)."),
        QStringLiteral("name"), QString::fromLatin1(chat::Profile::kDefaultName));
    const QCommandLineOption insecure(
        QStringLiteral("insecure-token-file"),
        tr("Keep the identity token in an unencrypted file (mode 0600) in the profile's data "
           "directory instead of the keychain."));
    const QCommandLineOption importRust(
        QStringLiteral("import-rust-credentials"),
        tr("Continue as the identity of the official Rust quickstart "
           "(~/.spacetimedb_client_credentials/<database>)."));
    const QCommandLineOption rustPath(QStringLiteral("rust-credentials"),
                                      tr("Import the identity from this Rust credentials file."),
                                      QStringLiteral("file"));
    const QCommandLineOption anonymous(QStringLiteral("anonymous"),
                                       tr("Use a throw-away identity that is never stored."));
    const QCommandLineOption trust(
        QStringLiteral("trust-certificate"),
        tr("Trust this certificate file (PEM or DER) for a wss server with a self-signed "
           "certificate, in addition to the system's certificate authorities."),
        QStringLiteral("file"));
    parser.addOptions(
        {server, database, profile, insecure, importRust, rustPath, anonymous, trust});
    parser.process(arguments);

    const QString profileName = parser.value(profile).trimmed();
    if (!chat::Profile::isValidName(profileName)) {
        result.error = tr("Invalid profile name \"%1\": use letters, digits, '.', '-' and '_'.")
                           .arg(profileName);
        return result;
    }
    const QString serverUrl = parser.value(server).trimmed();
    const QString databaseName = parser.value(database).trimmed();
    if (serverUrl.isEmpty() || databaseName.isEmpty()) {
        result.error = tr("--server and --database must not be empty.");
        return result;
    }
    const bool import = parser.isSet(importRust) || parser.isSet(rustPath);
    if (parser.isSet(anonymous) && import) {
        result.error = tr("--anonymous and --import-rust-credentials exclude each other.");
        return result;
    }
    chat::ChatClient::Options &o = result.client;
    o.profile = chat::Profile(serverUrl, databaseName, profileName);
    o.insecureTokenFile = parser.isSet(insecure);
    o.anonymous = parser.isSet(anonymous);
    o.rustCredentialsPath = parser.value(rustPath);
    // Without the flag the window asks when the Rust quickstart's identity is found.
    o.rustImport = o.anonymous ? chat::ChatClient::Options::RustImport::Never
                   : import    ? chat::ChatClient::Options::RustImport::Always
                               : chat::ChatClient::Options::RustImport::Ask;
    if (parser.isSet(trust)) {
        const auto certificate = chat::TrustedCertificate::load(parser.value(trust));
        if (!certificate) {
            result.error = certificate.error().message();
            return result;
        }
        o.trustedCertificate = *certificate;
        o.profile.setTrustedCertificateFile(parser.value(trust));
    }
    return result;
}

} // namespace quick
