// SPDX-License-Identifier: Apache-2.0
// spacetime-chat-quick: the Qt Quick front end. The window is qml/Main.qml; everything it
// shows comes from chat::ChatClient and its models.

#include "quickoptions.h"
#include "quicksupport.h"

#include "chat/chatclient.h"
#include "chat/translations.h"
#ifdef STDB_DESKTOP_HAVE_DBUS
#include "desktop/dbusnotifier.h"
#endif
#include "desktop/messagenotifier.h"
#include "desktop/windowlayout.h"

#include <QGuiApplication>
#include <QIcon>
#include <QLoggingCategory>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>

#include <cstdio>

// The Quick client logs under "quick." (see chat/chatlog.h for the tree).
Q_LOGGING_CATEGORY(lcQuick, "quick")

int main(int argc, char *argv[]) {
    QGuiApplication app(argc, argv);
#ifdef STDB_DESKTOP_HAVE_DBUS
    // The bus connects while QML loads (as in the Widgets app): the window's accessibility
    // bridge otherwise waits for it on the GUI thread.
    desktop::DBusNotifier::connectSessionBusInBackground();
#endif
    // Before anything makes text (the command-line help too), as in the Widgets app.
    chat::Translations::install();
    // Same data directory as the other front ends (profiles, outbox, token file).
    QGuiApplication::setOrganizationName(QStringLiteral("spacetime-chat"));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Spacetime Chat"));
    QGuiApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION_STRING));
    // The installed desktop entry (and icon) of Spacetime Chat: notifications name it, so the
    // notification server shows the app's name and icon and applies the user's settings for it.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.spacetimechat.SpacetimeChat"));

    // --version prints "<application name> <version>": this program's own name while parsing.
    // The application name proper is shared with the other front ends because it names the
    // data directory (profiles, outbox, token file), so it is set right after.
    QGuiApplication::setApplicationName(QStringLiteral("spacetime-chat-quick"));
    const quick::QuickOptions options = quick::QuickOptions::parse(QGuiApplication::arguments());
    QGuiApplication::setApplicationName(QStringLiteral("spacetime-chat"));
    if (!options.error.isEmpty()) {
        std::fprintf(stderr, "spacetime-chat-quick: %s\n", qPrintable(options.error));
        return 2;
    }
    // Debug chatter only on request (QT_LOGGING_RULES overrides this).
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false"));
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Fusion"));

    quick::registerQuickTypes();
    chat::ChatClient client(options.client);
    // Notified as in the Widgets app (freedesktop service where it runs; no tray here).
    desktop::MessageNotifier notifications;
    notifications.setClient(&client);

    QQmlApplicationEngine engine;
    engine.setInitialProperties(
        {{QStringLiteral("client"), QVariant::fromValue(&client)},
         {QStringLiteral("notifications"), QVariant::fromValue(&notifications)}});
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreated, &app,
        [](QObject *object, const QUrl &url) {
            if (!object) {
                qCCritical(lcQuick) << "could not load" << url;
                QCoreApplication::exit(1);
            }
        },
        Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/qml/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    if (!quick::applyColorScheme(engine.rootObjects().constFirst(), options.colorScheme))
        qCWarning(lcQuick) << "the window has no palette: --color-scheme not applied";
    // The window's layout per profile, as in the desktop app (on a screen that exists now).
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    const QString profileName = options.client.profile.name();
    QObject *split = window ? window->findChild<QObject *>(QStringLiteral("mainSplit")) : nullptr;
    if (window) {
        const QByteArray splitState = desktop::WindowLayout::restoreWindow(profileName, window);
        if (split && !splitState.isEmpty())
            QMetaObject::invokeMethod(split, "restoreState", Q_ARG(QVariant, splitState));
    }
    client.start();
    const int code = app.exec();
    if (window) {
        QVariant splitState;
        if (split)
            QMetaObject::invokeMethod(split, "saveState", Q_RETURN_ARG(QVariant, splitState));
        desktop::WindowLayout::saveWindow(profileName, window, splitState.toByteArray());
    }
    client.stop();
    return code;
}
