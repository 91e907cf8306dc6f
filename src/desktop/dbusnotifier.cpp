// SPDX-License-Identifier: Apache-2.0
#include "desktop/dbusnotifier.h"

#include "desktop/desktoplog.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QGuiApplication>
#include <QThreadPool>

namespace desktop {

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
} // namespace

DBusNotifier::DBusNotifier(QObject *parent)
    : DBusNotifier(QDBusConnection::sessionBus(), parent) {}

DBusNotifier::DBusNotifier(const QDBusConnection &bus, QObject *parent)
    : Notifier(parent)
    , m_bus(bus) {
    // Subscribing sends an AddMatch without waiting for its reply.
    m_bus.connect(kService, kPath, kService, QStringLiteral("ActionInvoked"), this,
                  SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(kService, kPath, kService, QStringLiteral("NotificationClosed"), this,
                  SLOT(onClosed(uint, uint)));
}

DBusNotifier::~DBusNotifier() = default;

void DBusNotifier::connectSessionBusInBackground() {
    // The connection is global (QDBusConnectionManager); a GUI-thread sessionBus() made while
    // this one still connects waits only for the rest of it.
    QThreadPool::globalInstance()->start([] { QDBusConnection::sessionBus(); });
}

void DBusNotifier::probe(QObject *context, std::function<void(bool)> done) {
    probe(QDBusConnection::sessionBus(), context, std::move(done));
}

void DBusNotifier::probe(const QDBusConnection &bus, QObject *context,
                         std::function<void(bool)> done) {
    if (!bus.isConnected()) {
        QMetaObject::invokeMethod(
            context, [done] { done(false); }, Qt::QueuedConnection);
        return;
    }
    const QString busService = QStringLiteral("org.freedesktop.DBus");
    const QString busPath = QStringLiteral("/org/freedesktop/DBus");
    QDBusMessage hasOwner = QDBusMessage::createMethodCall(busService, busPath, busService,
                                                           QStringLiteral("NameHasOwner"));
    hasOwner << kService;
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(hasOwner), context);
    QObject::connect(
        watcher, &QDBusPendingCallWatcher::finished, context,
        [bus, context, done, busService, busPath](QDBusPendingCallWatcher *w) {
            w->deleteLater();
            const QDBusPendingReply<bool> owned = *w;
            if (owned.isValid() && owned.value()) {
                done(true);
                return;
            }
            // Activatable services are not registered until first used.
            const QDBusMessage list = QDBusMessage::createMethodCall(
                busService, busPath, busService, QStringLiteral("ListActivatableNames"));
            auto *second = new QDBusPendingCallWatcher(bus.asyncCall(list), context);
            QObject::connect(second, &QDBusPendingCallWatcher::finished, context,
                             [done](QDBusPendingCallWatcher *w2) {
                                 w2->deleteLater();
                                 const QDBusPendingReply<QStringList> names = *w2;
                                 done(names.isValid() && names.value().contains(kService));
                             });
        });
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
    QDBusMessage msg =
        QDBusMessage::createMethodCall(kService, kPath, kService, QStringLiteral("Notify"));
    // The icon is installed under the desktop entry's name (the entry's Icon=).
    msg << QCoreApplication::applicationName() << uint(0) << QGuiApplication::desktopFileName()
        << n.title << escapeBody(n.body) << actions << hints(n) << int(-1);
    const QDBusPendingCall call = m_bus.asyncCall(msg);
    auto *watcher = new QDBusPendingCallWatcher(call, this);
    const quint64 id = n.id;
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, id](auto *w) {
        QDBusPendingReply<uint> reply = *w;
        w->deleteLater();
        if (reply.isError()) {
            qCWarning(lcDesktop) << "notification failed:" << reply.error().message();
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

} // namespace desktop
