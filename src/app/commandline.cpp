// SPDX-License-Identifier: Apache-2.0
#include "commandline.h"

#include "chat/connectoptions.h"
#include "desktop/colorscheme.h"

#include <QCommandLineParser>
#include <QCoreApplication>

bool CommandLine::parse(const QStringList &arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "CommandLine", "Chat on a SpacetimeDB quickstart-chat database."));
    parser.addHelpOption();
    parser.addVersionOption();
    chat::ConnectOptions connect(chat::ConnectOptions::Frontend::Widgets);
    connect.addTo(parser);
    const QCommandLineOption minimizedOpt(
        QStringLiteral("minimized"),
        QCoreApplication::translate("CommandLine",
                                    "Start minimized (in the tray if there is one)."));
    const QCommandLineOption noTrayOpt(
        QStringLiteral("no-tray"),
        QCoreApplication::translate("CommandLine", "Do not show a tray icon."));
    const QCommandLineOption schemeOpt(
        QStringLiteral("color-scheme"),
        QCoreApplication::translate("CommandLine",
                                    "light, dark or system (default: follow the system)."),
        QStringLiteral("scheme"));
    parser.addOptions({minimizedOpt, noTrayOpt, schemeOpt});
    parser.process(arguments);

    if (!connect.read(parser)) {
        m_error = connect.error();
        return false;
    }
    server = connect.server();
    database = connect.database();
    profile = connect.profileName();
    insecureTokenFile = connect.insecureTokenFile();
    rustCredentialsPath = connect.rustCredentialsPath();
    importRustCredentials = connect.importRustCredentials();
    anonymous = connect.anonymous();
    trustCertificate = connect.trustedCertificateFile();
    minimized = parser.isSet(minimizedOpt);
    noTray = parser.isSet(noTrayOpt);
    colorScheme = parser.value(schemeOpt).trimmed().toLower();
    if (!desktop::ColorScheme::fromName(colorScheme)) {
        m_error = QCoreApplication::translate("CommandLine",
                                              "--color-scheme must be light, dark or system.");
        return false;
    }
    return true;
}
