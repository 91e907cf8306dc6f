// SPDX-License-Identifier: Apache-2.0
#include "trayicon.h"

#include <QAction>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>

TrayIcon::TrayIcon(const QIcon &icon, QObject *parent)
    : QObject(parent)
    , m_tray(new QSystemTrayIcon(icon, this))
    , m_menu(new QMenu)
    , m_icon(icon) {
    m_showHide = m_menu->addAction(QString());
    m_mute = m_menu->addAction(QString());
    m_mute->setCheckable(true);
    m_menu->addSeparator();
    m_quit = m_menu->addAction(QString());
    m_tray->setContextMenu(m_menu);
    connect(m_showHide, &QAction::triggered, this, &TrayIcon::toggleWindowRequested);
    connect(m_quit, &QAction::triggered, this, &TrayIcon::quitRequested);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
        if (r == QSystemTrayIcon::Trigger || r == QSystemTrayIcon::DoubleClick)
            emit toggleWindowRequested();
    });
    retranslate();
}

TrayIcon::~TrayIcon() {
    delete m_menu;
}

bool TrayIcon::isAvailable() {
    return QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayIcon::retranslate() {
    m_showHide->setText(m_windowVisible ? tr("&Hide Window") : tr("&Show Window"));
    m_mute->setText(tr("&Mute Notifications"));
    m_quit->setText(tr("&Quit"));
    m_tray->setToolTip(m_unread > 0 ? tr("Spacetime Chat: %n unread message(s)", nullptr, m_unread)
                                    : tr("Spacetime Chat"));
}

void TrayIcon::setVisible(bool visible) {
    m_tray->setVisible(visible);
}

void TrayIcon::setWindowVisible(bool visible) {
    m_windowVisible = visible;
    retranslate();
}

void TrayIcon::setUnread(int count) {
    if (count == m_unread)
        return;
    m_unread = count;
    m_tray->setIcon(badged(m_icon, count));
    retranslate();
}

QIcon TrayIcon::badged(const QIcon &icon, int count) {
    if (count <= 0)
        return icon;
    QIcon out;
    for (const int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pm = icon.pixmap(size, size);
        if (pm.isNull()) {
            pm = QPixmap(size, size);
            pm.fill(Qt::transparent);
        }
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        const QString text = count > 99 ? QStringLiteral("99+") : QString::number(count);
        const int d = qMax(9, size * 11 / 20);
        const QRect badge(size - d, 0, d, d);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(220, 45, 45));
        p.drawEllipse(badge);
        QFont f;
        f.setBold(true);
        f.setPixelSize(qMax(6, d * (text.size() > 2 ? 5 : 7) / 10));
        p.setFont(f);
        p.setPen(Qt::white);
        p.drawText(badge, Qt::AlignCenter, text);
        p.end();
        out.addPixmap(pm);
    }
    return out;
}
