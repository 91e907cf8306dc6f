// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QIcon>
#include <QObject>

class QAction;
class QMenu;
class QSystemTrayIcon;

// The icon in the system tray: the app icon with a badge counting unread messages, a menu
// with Show/Hide, Mute notifications and Quit; a click toggles the window.
class TrayIcon : public QObject {
    Q_OBJECT
public:
    explicit TrayIcon(const QIcon &icon, QObject *parent = nullptr);
    ~TrayIcon() override;

    static bool isAvailable();
    QSystemTrayIcon *systemTrayIcon() const { return m_tray; }
    QAction *muteAction() const { return m_mute; }

    void setUnread(int count);
    int unread() const { return m_unread; }
    void setWindowVisible(bool visible);
    void setVisible(bool visible);
    // The icon with a count painted on it (exposed for tests and the window icon).
    static QIcon badged(const QIcon &icon, int count);

Q_SIGNALS:
    void toggleWindowRequested();
    void quitRequested();

private:
    void retranslate();

    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    QAction *m_showHide = nullptr;
    QAction *m_mute = nullptr;
    QAction *m_quit = nullptr;
    QIcon m_icon;
    int m_unread = 0;
    bool m_windowVisible = true;
};
