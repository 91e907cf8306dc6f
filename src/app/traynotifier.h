// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "desktop/notifier.h"

#include <QPointer>

class QSystemTrayIcon;

// Notifications as tray balloons (QSystemTrayIcon::showMessage): the fallback when the
// freedesktop service is not there, and the only way on platforms without D-Bus.
class TrayNotifier : public desktop::Notifier {
    Q_OBJECT
public:
    explicit TrayNotifier(QSystemTrayIcon *tray, QObject *parent = nullptr);
    void notify(const desktop::Notification &notification) override;
    QString backendName() const override { return QStringLiteral("tray"); }

private:
    QPointer<QSystemTrayIcon> m_tray;
    quint64 m_last = 0;
};
