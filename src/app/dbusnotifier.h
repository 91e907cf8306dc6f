// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "notifier.h"

#include <QHash>

class QDBusInterface;

// Notifications through the freedesktop notification service (org.freedesktop.Notifications
// on the session bus). Bodies are escaped, since servers may interpret a subset of HTML.
class DBusNotifier : public Notifier {
    Q_OBJECT
public:
    explicit DBusNotifier(QObject *parent = nullptr);
    ~DBusNotifier() override;

    // Whether a notification service answers on the session bus.
    static bool isAvailable();

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
    QDBusInterface *m_iface = nullptr;
    QHash<uint, quint64> m_ids; // server's id -> ours
};
