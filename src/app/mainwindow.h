// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/chatclient.h"

#include <QHash>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

#include <memory>

namespace Ui {
class MainWindow;
}
namespace chat {
class MessageFilterModel;
class OnlineUserFilter;
} // namespace chat
namespace desktop {
class MessageNotifier;
class Notifier;
} // namespace desktop

class ConnectionStatus;
class FindBar;
class MessageInput;
class MessageView;
class ProfileStore;
class QListView;
class RenameDialog;
class TrayIcon;

// The chat window: the conversation, the input, the people list (a dock), the status bar and
// the menus, bound to one chat::ChatClient at a time (switching profile replaces it).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        // The session to open (profile, credentials options, outbox location).
        chat::ChatClient::Options client;
        // Show a tray icon when the desktop has a tray.
        bool useTray = true;
        // Offer to import the Rust quickstart's identity when the profile has none yet.
        bool offerRustImport = false;
        // Save and restore geometry, view settings and the last profile (off in tests that
        // want a clean window; settings still go to QSettings when on).
        bool persistSettings = true;
    };

    explicit MainWindow(Options options, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The application icon (SVG where the plugin exists, PNG sizes otherwise).
    static QIcon appIcon();
    // The installed desktop entry's name (the app id, without ".desktop"); the icon theme
    // name of the installed icon too.
    static QString desktopFileName();

    // Replaces the notification backend (the window takes ownership).
    void setNotifier(desktop::Notifier *notifier);
    desktop::Notifier *notifier() const;
    // Which messages are notified and how many are unread (shared with the Quick client).
    desktop::MessageNotifier *messageNotifier() const { return m_notifications; }

    chat::ChatClient *client() const { return m_client; }
    MessageView *messageView() const;
    MessageInput *messageInput() const;
    FindBar *findBar() const;
    QListView *userList() const;
    chat::MessageFilterModel *messageFilter() const { return m_filter; }
    chat::OnlineUserFilter *userFilter() const { return m_userFilter; }
    ConnectionStatus *connectionStatus() const { return m_status; }
    TrayIcon *trayIcon() const { return m_tray; }
    QString bannerText() const;
    int unreadCount() const;
    bool isMuted() const;
    // Whether the user is looking at the window (visible, not minimised, active).
    bool isAttended() const;

public Q_SLOTS:
    // Starts the session (after the optional Rust-credentials question).
    void startSession();
    void switchProfile(const chat::Profile &profile);
    void showConnectDialog();
    // Opens the rename dialog without blocking and returns it (it deletes itself on close).
    RenameDialog *openRenameDialog();
    void bringToFront();
    // Raises the window at the message a notification was about.
    void showNotifiedMessage(quint64 notificationId);
    void quit();

Q_SIGNALS:
    void profileSwitched(const chat::Profile &profile);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void createClient(const chat::Profile &profile);
    void destroyClient();
    void beginSession();
    void setupActions();
    void setupTray();
    void rebuildProfilesMenu();
    void updateStatus();
    void updateTitle();
    void updateUsersSummary();
    void updatePlaceholder();
    void updatePending();
    void onUnreadChanged(int count);
    void updateAttention();
    void showBanner(const QString &text, bool error);
    void onSend(const QString &text);
    void onRenameFromInput(const QString &name);
    void forgetIdentity();
    // A window-modal message box, already open (no nested event loop); deletes itself.
    QMessageBox *openMessageBox(QMessageBox::Icon icon, const QString &title, const QString &text,
                                QMessageBox::StandardButtons buttons,
                                QMessageBox::StandardButton defaultButton);
    void askRustImport(const QString &rustPath);
    void importRustIdentity(const QString &rustPath);
    void showAbout();
    void loadSettings();
    void saveSettings();
    // Window geometry and dock state, per profile.
    static QString layoutKey(const QString &profileName);
    void saveLayout(const QString &profileName);
    void restoreLayout(const QString &profileName);
    void ensureOnScreen();

    Options m_options;
    std::unique_ptr<Ui::MainWindow> m_ui;
    std::unique_ptr<ProfileStore> m_profiles;
    QPointer<chat::ChatClient> m_client;
    chat::MessageFilterModel *m_filter = nullptr;
    chat::OnlineUserFilter *m_userFilter = nullptr;
    ConnectionStatus *m_status = nullptr;
    desktop::MessageNotifier *m_notifications = nullptr;
    TrayIcon *m_tray = nullptr;
    QPointer<RenameDialog> m_renameDialog;
    bool m_quitting = false;
    bool m_renameFromInput = false;
    QString m_certificateProblem; // the profile's trusted certificate cannot be used
    bool m_trayHintShown = false;
};
