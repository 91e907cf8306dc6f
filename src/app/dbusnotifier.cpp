// SPDX-License-Identifier: Apache-2.0
#include "dbusnotifier.h"

#include "applog.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusInterface>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QGuiApplication>

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
} // namespace

DBusNotifier::DBusNotifier(QObject *parent)
    : Notifier(parent) {
    QDBusConnection bus = QDBusConnection::sessionBus();
    m_iface = new QDBusInterface(kService, kPath, kService, bus, this);
    bus.connect(kService, kPath, kService, QStringLiteral("ActionInvoked"), this,
                SLOT(onActionInvoked(uint, QString)));
    bus.connect(kService, kPath, kService, QStringLiteral("NotificationClosed"), this,
                SLOT(onClosed(uint, uint)));
}

DBusNotifier::~DBusNotifier() = default;

bool DBusNotifier::isAvailable() {
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface())
        return false;
    const auto reply = bus.interface()->isServiceRegistered(kService);
    if (reply.isValid() && reply.value())
        return true;
    // Activatable services are not registered until first used.
    const auto activatable = bus.interface()->activatableServiceNames();
    return activatable.isValid() && activatable.value().contains(kService);
}

QString DBusNotifier::escapeBody(const QString &text) {
    return text.toHtmlEscaped();
}

QVariantMap DBusNotifier::hints(const Notification &n) {
    QVariantMap hints;
    // The installed .desktop file's name without the suffix (main() sets it to the app id), so
    // the notification server shows our name and icon and applies the user's settings for us.
    const QString desktopEntry = QGuiApplication::desktopFileName();
    if (!desktopEntry.isEmpty())
        hints.insert(QStringLiteral("desktop-entry"), desktopEntry);
    hints.insert(QStringLiteral("category"), QStringLiteral("im.received"));
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(n.mention ? 2 : 1)));
    return hints;
}

void DBusNotifier::notify(const Notification &n) {
    const QStringList actions{QStringLiteral("default"), tr("Show")};
    // The icon is installed under the desktop entry's name (the entry's Icon=).
    QDBusPendingCall call =
        m_iface->asyncCall(QStringLiteral("Notify"), QCoreApplication::applicationName(), uint(0),
                           QGuiApplication::desktopFileName(), n.title, escapeBody(n.body), actions,
                           hints(n), int(-1));
    auto *watcher = new QDBusPendingCallWatcher(call, this);
    const quint64 id = n.id;
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, id](auto *w) {
        QDBusPendingReply<uint> reply = *w;
        w->deleteLater();
        if (reply.isError()) {
            qCWarning(lcApp) << "notification failed:" << reply.error().message();
            return;
        }
        m_ids.insert(reply.value(), id);
    });
}

void DBusNotifier::onActionInvoked(uint serverId, const QString &action) {
    const auto it = m_ids.constFind(serverId);
    if (it == m_ids.constEnd())
        return;
    if (action == QLatin1String("default"))
        emit activated(*it);
}

void DBusNotifier::onClosed(uint serverId, uint) {
    m_ids.remove(serverId);
}
