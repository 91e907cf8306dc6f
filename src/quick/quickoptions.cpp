// SPDX-License-Identifier: Apache-2.0
#include "quickoptions.h"

#include "chat/connectoptions.h"

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
    chat::ConnectOptions connect(chat::ConnectOptions::Frontend::Quick);
    connect.addTo(parser);
    const QCommandLineOption schemeOpt(QStringLiteral("color-scheme"),
                                       tr("light, dark or system (default: follow the system)."),
                                       QStringLiteral("scheme"));
    parser.addOption(schemeOpt);
    parser.process(arguments);

    if (!connect.read(parser)) {
        result.error = connect.error();
        return result;
    }
    chat::ChatClient::Options &o = result.client;
    o.profile = connect.profile();
    o.insecureTokenFile = connect.insecureTokenFile();
    o.anonymous = connect.anonymous();
    o.rustCredentialsPath = connect.rustCredentialsPath();
    // Without the flag the window asks when the Rust quickstart's identity is found.
    o.rustImport = o.anonymous                       ? chat::ChatClient::Options::RustImport::Never
                   : connect.importRustCredentials() ? chat::ChatClient::Options::RustImport::Always
                                                     : chat::ChatClient::Options::RustImport::Ask;
    o.trustedCertificate = connect.trustedCertificate();

    const bool schemeGiven = parser.isSet(schemeOpt);
    const QString schemeName =
        schemeGiven ? parser.value(schemeOpt) : qEnvironmentVariable("SPACETIME_CHAT_COLOR_SCHEME");
    const auto scheme = desktop::ColorScheme::fromName(schemeName);
    if (!scheme) {
        result.error =
            schemeGiven
                ? tr("--color-scheme must be light, dark or system.")
                : tr("SPACETIME_CHAT_COLOR_SCHEME must be light, dark or system, not \"%1\".")
                      .arg(schemeName);
        return result;
    }
    result.colorScheme = *scheme;
    return result;
}

} // namespace quick
