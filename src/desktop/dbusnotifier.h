// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "desktop/notifier.h"

#include <QDBusConnection>
#include <QHash>

#include <functional>

namespace desktop {

// Notifications through the freedesktop notification service (org.freedesktop.Notifications
// on the session bus). Bodies are escaped, since servers may interpret a subset of HTML.
// Every D-Bus call is asynchronous: the GUI thread never waits for the bus or the service
// (no QDBusInterface, whose constructor introspects the service synchronously).
class DBusNotifier : public Notifier {
    Q_OBJECT
public:
    explicit DBusNotifier(QObject *parent = nullptr);
    // On another connection (tests use a private bus).
    DBusNotifier(const QDBusConnection &bus, QObject *parent = nullptr);
    ~DBusNotifier() override;

    // Asks the bus, without blocking, whether a notification service runs or can be started,
    // and calls done(available) on context's thread. done is not called if context is
    // destroyed first.
    static void probe(QObject *context, std::function<void(bool available)> done);
    static void probe(const QDBusConnection &bus, QObject *context,
                      std::function<void(bool available)> done);

    // Connects to the session bus on a pool thread. The first user of the bus on the GUI
    // thread (Qt's accessibility bridge and global-menu check while the window is built, the
    // probe) then finds it connected instead of waiting there for the connection, or without
    // DBUS_SESSION_BUS_ADDRESS for dbus-launch to start a bus. Call once QCoreApplication exists.
    static void connectSessionBusInBackground();

    void notify(const Notification &notification) override;
    QString backendName() const override { return QStringLiteral("freedesktop"); }

    // The escaped body sent for a text (exposed for tests).
    static QString escapeBody(const QString &text);
    // The hints sent with a notification (exposed for tests).
    static QVariantMap hints(const Notification &notification);

private Q_SLOTS:
    void onActionInvoked(uint serverId, const QString &action);
    void onClosed(uint serverId, uint reason);

private:
    QDBusConnection m_bus;
    QHash<uint, quint64> m_ids; // server's id -> ours
};

} // namespace desktop
