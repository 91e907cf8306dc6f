// SPDX-License-Identifier: Apache-2.0
#include "traynotifier.h"

#include <QSystemTrayIcon>

TrayNotifier::TrayNotifier(QSystemTrayIcon *tray, QObject *parent)
    : desktop::Notifier(parent)
    , m_tray(tray) {
    if (tray)
        connect(tray, &QSystemTrayIcon::messageClicked, this, [this] {
            if (m_last)
                emit activated(m_last);
        });
}

void TrayNotifier::notify(const desktop::Notification &n) {
    if (!m_tray || !QSystemTrayIcon::supportsMessages())
        return;
    m_last = n.id;
    // showMessage takes plain text.
    m_tray->showMessage(n.title, n.body, QSystemTrayIcon::Information, 8000);
}
