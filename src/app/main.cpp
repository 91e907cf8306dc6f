// SPDX-License-Identifier: Apache-2.0
// spacetime-chat: the Qt Widgets desktop client.

#include "applog.h"
#include "commandline.h"
#include "mainwindow.h"
#include "messageview.h"
#include "profilestore.h"
#include "singleinstance.h"
#include "startuptrace.h"

#include "chat/rustcredentials.h"
#include "chat/translations.h"
#include "desktop/colorscheme.h"
#ifdef STDB_DESKTOP_HAVE_DBUS
#include "desktop/dbusnotifier.h"
#endif

#include <QApplication>
#include <QMessageBox>
#include <QStyleFactory>

#include <cstdio>
#include <cstring>

namespace {
// --help and --version must work without a display (terminals, package checks over ssh).
bool onlyPrints(int argc, char *argv[]) {
    for (int i = 1; i < argc; ++i)
        for (const char *o : {"-h", "--help", "--help-all", "-v", "--version", "-?"})
            if (std::strcmp(argv[i], o) == 0)
                return true;
    return false;
}
} // namespace

int main(int argc, char *argv[]) {
    if (onlyPrints(argc, argv)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("spacetime-chat"));
        QCoreApplication::setApplicationVersion(QStringLiteral(STDB_APP_VERSION));
        CommandLine cli;
        if (!cli.parse(QCoreApplication::arguments())) { // exits on --help / --version
            std::fprintf(stderr, "spacetime-chat: %s\n", qPrintable(cli.error()));
            return 2;
        }
        return 0;
    }
    QApplication app(argc, argv);
#ifdef STDB_DESKTOP_HAVE_DBUS
    // The bus connects while the translations, the profile and the window load: building the
    // window otherwise waits for it on the GUI thread (Qt's accessibility bridge, global menu).
    desktop::DBusNotifier::connectSessionBusInBackground();
#endif
    QApplication::setOrganizationName(QStringLiteral("spacetime-chat"));
    QApplication::setApplicationName(QStringLiteral("spacetime-chat"));
    QApplication::setApplicationDisplayName(QStringLiteral("Spacetime Chat"));
    QApplication::setApplicationVersion(QStringLiteral(STDB_APP_VERSION));
    // The installed desktop entry (Wayland matches windows and notifications to it).
    QApplication::setDesktopFileName(MainWindow::desktopFileName());
    QApplication::setWindowIcon(MainWindow::appIcon());

    chat::Translations::install();

    CommandLine cli;
    if (!cli.parse(QApplication::arguments())) {
        std::fprintf(stderr, "spacetime-chat: %s\n", qPrintable(cli.error()));
        return 2;
    }
    QString schemeName = cli.colorScheme;
    if (schemeName.isEmpty())
        schemeName = qEnvironmentVariable("SPACETIME_CHAT_COLOR_SCHEME");
    // Light and dark: Fusion with our palette; system (or an unknown name in the variable, said
    // so): whatever the platform theme gives.
    const auto scheme = desktop::ColorScheme::fromName(schemeName);
    if (!scheme)
        qCWarning(lcApp) << "SPACETIME_CHAT_COLOR_SCHEME must be light, dark or system, not"
                         << schemeName << "- following the system";
    if (const auto palette =
            desktop::ColorScheme::palette(scheme.value_or(desktop::ColorScheme::Scheme::System))) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(*palette);
    }

    // Which profile: --profile, else the last one used; --server/--database override it.
    ProfileStore store;
    const QString profileName = !cli.profile.isEmpty() ? cli.profile
                                : !store.lastProfileName().isEmpty()
                                    ? store.lastProfileName()
                                    : QString::fromLatin1(chat::Profile::kDefaultName);
    chat::Profile profile =
        store.profile(profileName)
            .value_or(chat::Profile(QString::fromLatin1(chat::Profile::kDefaultServer),
                                    QString::fromLatin1(chat::Profile::kDefaultDatabase),
                                    profileName));
    if (!cli.server.isEmpty() || !cli.database.isEmpty()) {
        const QString certificate = profile.trustedCertificateFile();
        profile = chat::Profile(cli.server.isEmpty() ? profile.serverUrl() : cli.server,
                                cli.database.isEmpty() ? profile.database() : cli.database,
                                profile.name());
        profile.setTrustedCertificateFile(certificate);
    }
    if (!cli.trustCertificate.isEmpty())
        profile.setTrustedCertificateFile(cli.trustCertificate);

    // One window per profile: a second start brings the first one forward.
    if (!cli.anonymous && SingleInstance::activateRunning(profile.name())) {
        std::printf("%s\n",
                    qPrintable(QApplication::translate(
                                   "main", "Spacetime Chat is already running with the profile "
                                           "\"%1\"; brought it to the front.")
                                   .arg(profile.name())));
        return 0;
    }
    SingleInstance instance;
    if (!cli.anonymous)
        instance.listen(profile.name());

    MainWindow::Options options;
    options.client.profile = profile;
    options.client.insecureTokenFile = cli.insecureTokenFile;
    options.client.anonymous = cli.anonymous;
    options.useTray = !cli.noTray;
    options.offerRustImport = !cli.anonymous && !cli.importRustCredentials;
    if (cli.importRustCredentials) {
        const QString path = cli.rustCredentialsPath.isEmpty()
                                 ? chat::RustCredentials::defaultPath(profile.database())
                                 : cli.rustCredentialsPath;
        const auto token = chat::RustCredentials::read(path);
        if (!token) {
            QMessageBox::critical(nullptr, QApplication::translate("main", "Identity Not Imported"),
                                  QApplication::translate("main", "Cannot read %1: %2")
                                      .arg(path, token.error().message()));
            return 1;
        }
        options.client.tokenOverride = *token;
    }

    MainWindow window(options);
    QObject::connect(&instance, &SingleInstance::activationRequested, &window,
                     &MainWindow::bringToFront);
    QObject::connect(&window, &MainWindow::profileSwitched, &instance,
                     [&instance](const chat::Profile &p) { instance.listen(p.name()); });
    StartupTrace::installIfRequested(window.messageView()); // bench/startup.sh only
    if (cli.minimized) {
        if (window.trayIcon())
            window.hide();
        else
            window.showMinimized();
    } else {
        window.show();
    }
    window.startSession();
    return QApplication::exec();
}
