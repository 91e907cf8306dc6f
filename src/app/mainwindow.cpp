// SPDX-License-Identifier: Apache-2.0
#include "mainwindow.h"

#include "applog.h"
#include "connectdialog.h"
#include "connectionstatus.h"
#include "findbar.h"
#include "messagedelegate.h"
#include "messageinput.h"
#include "messageview.h"
#include "profilestore.h"
#include "renamedialog.h"
#include "trayicon.h"
#include "traynotifier.h"
#include "ui_mainwindow.h"
#include "userdelegate.h"

#include "chat/credentialstore.h"
#include "chat/messagefiltermodel.h"
#include "chat/messagemodel.h"
#include "chat/onlineuserfilter.h"
#include "chat/outbox.h"
#include "chat/readmarker.h"
#include "chat/rustcredentials.h"
#include "chat/trustedcertificate.h"
#include "chat/untrustedtext.h"
#include "chat/usermodel.h"
#include "desktop/messagenotifier.h"
#include "desktop/notifier.h"
#include "desktop/windowlayout.h"

#include <QActionGroup>
#include <QCloseEvent>
#include <QFile>
#include <QGuiApplication>
#include <QMessageBox>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QUrl>

using chat::ChatClient;
using chat::UntrustedText;
using State = chat::ChatClient::State;

MainWindow::MainWindow(Options options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(std::move(options))
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_profiles(std::make_unique<ProfileStore>())
    , m_filter(new chat::MessageFilterModel(this))
    , m_userFilter(new chat::OnlineUserFilter(this))
    , m_notifications(new desktop::MessageNotifier(this)) {
    m_ui->setupUi(this);
    setWindowIcon(appIcon());
    m_ui->banner->hide();
    m_ui->banner->setAutoFillBackground(true);

    m_userFilter->setOnlineOnly(false);
    m_ui->messageView->setModel(m_filter);
    m_ui->userList->setModel(m_userFilter);
    m_ui->userList->setItemDelegate(new UserDelegate(m_ui->userList));
    m_ui->userList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_ui->usersDock->toggleViewAction()->setVisible(false);

    m_status = new ConnectionStatus(this);
    statusBar()->addPermanentWidget(m_status);
    statusBar()->setSizeGripEnabled(true);
    connect(m_status, &ConnectionStatus::identityCopied, this,
            [this] { statusBar()->showMessage(tr("Identity copied to the clipboard"), 4000); });
    connect(m_status, &ConnectionStatus::reconnectRequested, this, [this] {
        if (!m_client)
            return;
        if (m_client->state() == State::Offline || m_client->state() == State::Error)
            m_client->start();
        else
            m_client->reconnectNow();
    });

    auto *input = m_ui->messageInput;
    connect(input, &MessageInput::sendRequested, this, &MainWindow::onSend);
    connect(input, &MessageInput::renameRequested, this, &MainWindow::onRenameFromInput);

    auto *view = m_ui->messageView;
    connect(view, &MessageView::retryRequested, this, [this](qint64 id) {
        if (m_client)
            m_client->retryMessage(id);
    });
    connect(view, &MessageView::discardRequested, this, [this](qint64 id) {
        if (m_client)
            m_client->discardMessage(id);
    });

    FindBar *find = m_ui->findBar;
    connect(find, &FindBar::searchChanged, this, [this, find](const QString &text) {
        m_filter->setSearchText(text);
        MessageView *view = m_ui->messageView;
        view->setHighlightText(text);
        find->setMatchCount(text.isEmpty() ? -1 : m_filter->rowCount());
        view->scrollToLatest();
        // The newest match is the current one (and shown, even in a collapsed message).
        if (!text.isEmpty() && m_filter->rowCount() > 0)
            view->showMatch(m_filter->index(m_filter->rowCount() - 1, 0), text);
    });
    // The next match, wrapping around at either end.
    const auto step = [this, find](int delta) {
        const int n = m_filter->rowCount();
        if (n == 0 || find->searchText().isEmpty())
            return;
        const QModelIndex current = m_ui->messageView->currentIndex();
        const int row = current.isValid() ? (current.row() + delta + n) % n : n - 1;
        m_ui->messageView->showMatch(m_filter->index(row, 0), find->searchText());
    };
    connect(find, &FindBar::findOlder, this, [step] { step(-1); });
    connect(find, &FindBar::findNewer, this, [step] { step(+1); });
    connect(find, &FindBar::closed, this, [this] { m_ui->messageInput->setFocus(); });

    // Tray balloons where no notification service runs (the tray is made in setupTray()).
    m_notifications->setFallback([this](QObject *parent) -> desktop::Notifier * {
        return m_tray ? new TrayNotifier(m_tray->systemTrayIcon(), parent) : nullptr;
    });
    connect(m_notifications, &desktop::MessageNotifier::unreadChanged, this,
            &MainWindow::onUnreadChanged);
    connect(m_notifications, &desktop::MessageNotifier::activated, this,
            &MainWindow::showNotifiedMessage);

    setupActions();
    setupTray();
    loadSettings();

    m_profiles->save(m_options.client.profile);
    createClient(m_options.client.profile);
    input->setFocus();
}

QString MainWindow::desktopFileName() {
    return QStringLiteral("io.github.spacetimechat.SpacetimeChat");
}

QIcon MainWindow::appIcon() {
    QIcon icon;
    for (const int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/spacetime-chat-%1.png").arg(size), QSize(size, size));
    return icon;
}

MainWindow::~MainWindow() {
    destroyClient();
}

MessageView *MainWindow::messageView() const {
    return m_ui->messageView;
}
MessageInput *MainWindow::messageInput() const {
    return m_ui->messageInput;
}
FindBar *MainWindow::findBar() const {
    return m_ui->findBar;
}
QListView *MainWindow::userList() const {
    return m_ui->userList;
}
QString MainWindow::bannerText() const {
    return m_ui->banner->isHidden() ? QString() : m_ui->banner->text();
}
bool MainWindow::isMuted() const {
    return m_ui->actionMute->isChecked();
}
bool MainWindow::isAttended() const {
    return isVisible() && !isMinimized() && isActiveWindow();
}

void MainWindow::setNotifier(desktop::Notifier *notifier) {
    m_notifications->setBackend(notifier);
}

desktop::Notifier *MainWindow::notifier() const {
    return m_notifications->backend();
}

int MainWindow::unreadCount() const {
    return m_notifications->unread();
}

void MainWindow::updateAttention() {
    m_notifications->setAttended(isAttended());
}

// ---- actions, tray, settings ---------------------------------------------------------------

void MainWindow::setupActions() {
    Ui::MainWindow &ui = *m_ui;
    ui.actionQuit->setShortcuts(QKeySequence::Quit);
    ui.actionFind->setShortcuts(QKeySequence::Find);
    connect(ui.actionConnect, &QAction::triggered, this, &MainWindow::showConnectDialog);
    connect(ui.actionForgetIdentity, &QAction::triggered, this, &MainWindow::forgetIdentity);
    connect(ui.actionQuit, &QAction::triggered, this, &MainWindow::quit);
    connect(ui.actionRename, &QAction::triggered, this, &MainWindow::openRenameDialog);
    connect(ui.actionFind, &QAction::triggered, ui.findBar, &FindBar::activate);
    connect(ui.actionMute, &QAction::toggled, m_notifications, &desktop::MessageNotifier::setMuted);
    connect(ui.actionOnlineOnly, &QAction::toggled, m_userFilter,
            &chat::OnlineUserFilter::setOnlineOnly);
    connect(ui.actionOnlineOnly, &QAction::toggled, this, &MainWindow::updateUsersSummary);
    connect(ui.actionCompact, &QAction::toggled, ui.messageView, &MessageView::setCompact);
    connect(ui.actionShowUsers, &QAction::toggled, ui.usersDock, &QDockWidget::setVisible);
    connect(ui.usersDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (!isMinimized() && isVisible())
            m_ui->actionShowUsers->setChecked(visible);
    });
    connect(ui.actionJumpToLatest, &QAction::triggered, ui.messageView,
            &MessageView::scrollToLatest);
    connect(ui.actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    ui.menuProfiles->setToolTipsVisible(true);
    connect(ui.menuProfiles, &QMenu::aboutToShow, this, &MainWindow::rebuildProfilesMenu);
    rebuildProfilesMenu();
}

void MainWindow::rebuildProfilesMenu() {
    QMenu *menu = m_ui->menuProfiles;
    menu->clear();
    auto *group = new QActionGroup(menu);
    const QString current = m_client ? m_client->profileName() : QString();
    for (const chat::Profile &p : m_profiles->profiles()) {
        QAction *a = menu->addAction(p.name());
        a->setCheckable(true);
        a->setChecked(p.name() == current);
        a->setToolTip(tr("%1 on %2").arg(p.database(), p.serverUrl()));
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, p] {
            if (!m_client || p.name() != m_client->profileName())
                switchProfile(p);
        });
    }
    menu->addSeparator();
    menu->addAction(tr("&New Profile…"), this, &MainWindow::showConnectDialog);
}

void MainWindow::setupTray() {
    const bool trayAvailable = m_options.useTray && TrayIcon::isAvailable();
    m_ui->actionCloseToTray->setEnabled(trayAvailable);
    if (!trayAvailable)
        return;
    m_tray = new TrayIcon(windowIcon(), this);
    m_tray->muteAction()->setCheckable(true);
    connect(m_tray->muteAction(), &QAction::toggled, m_ui->actionMute, &QAction::setChecked);
    connect(m_ui->actionMute, &QAction::toggled, m_tray->muteAction(), &QAction::setChecked);
    connect(m_tray, &TrayIcon::toggleWindowRequested, this, [this] {
        if (isVisible() && !isMinimized() && isActiveWindow())
            hide();
        else
            bringToFront();
    });
    connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::quit);
    m_tray->setVisible(true);
}

void MainWindow::loadSettings() {
    QSettings s;
    const bool trayAvailable = m_tray != nullptr;
    m_ui->actionCloseToTray->setChecked(trayAvailable &&
                                        s.value(QStringLiteral("ui/closeToTray"), true).toBool());
    if (!m_options.persistSettings)
        return;
    restoreLayout(m_options.client.profile.name());
    m_ui->actionCompact->setChecked(s.value(QStringLiteral("ui/compact"), false).toBool());
    m_ui->actionOnlineOnly->setChecked(s.value(QStringLiteral("ui/onlineOnly"), false).toBool());
}

QString MainWindow::layoutKey(const QString &profileName) {
    return desktop::WindowLayout::key(profileName);
}

void MainWindow::saveLayout(const QString &profileName) {
    if (!m_options.persistSettings)
        return;
    QSettings s;
    const QString key = layoutKey(profileName);
    s.setValue(key + QLatin1String("geometry"), saveGeometry());
    s.setValue(key + QLatin1String("state"), saveState());
}

void MainWindow::restoreLayout(const QString &profileName) {
    if (!m_options.persistSettings)
        return;
    QSettings s;
    const QString key = layoutKey(profileName);
    // Before layouts were kept per profile, there was one for all.
    const QString geometryKey = s.contains(key + QLatin1String("geometry"))
                                    ? key + QLatin1String("geometry")
                                    : QStringLiteral("window/geometry");
    const QString stateKey = s.contains(key + QLatin1String("state"))
                                 ? key + QLatin1String("state")
                                 : QStringLiteral("window/state");
    if (s.contains(geometryKey))
        restoreGeometry(s.value(geometryKey).toByteArray());
    if (s.contains(stateKey))
        restoreState(s.value(stateKey).toByteArray());
    m_ui->actionShowUsers->setChecked(m_ui->usersDock->isVisibleTo(this) || !s.contains(stateKey));
    ensureOnScreen();
}

void MainWindow::ensureOnScreen() {
    // restoreGeometry() moves a window whose screen is gone (a second monitor unplugged); a
    // window left with only a corner on a screen (no title bar to grab) is brought in too.
    QList<QRect> available;
    for (const QScreen *screen : QGuiApplication::screens())
        available.append(screen->availableGeometry());
    const QScreen *primary = QGuiApplication::primaryScreen();
    const QRect frame = frameGeometry();
    const QRect placed = desktop::WindowLayout::visiblePlacement(
        frame, available, primary ? primary->availableGeometry() : QRect());
    if (placed == frame)
        return;
    resize(size().boundedTo(placed.size()));
    move(placed.topLeft());
}

void MainWindow::saveSettings() {
    if (!m_options.persistSettings)
        return;
    QSettings s;
    saveLayout(m_client ? m_client->profileName() : m_options.client.profile.name());
    s.setValue(QStringLiteral("ui/compact"), m_ui->actionCompact->isChecked());
    s.setValue(QStringLiteral("ui/onlineOnly"), m_ui->actionOnlineOnly->isChecked());
    if (m_tray)
        s.setValue(QStringLiteral("ui/closeToTray"), m_ui->actionCloseToTray->isChecked());
    if (m_client)
        m_profiles->setLastProfileName(m_client->profileName());
}

// ---- the session ---------------------------------------------------------------------------

void MainWindow::createClient(const chat::Profile &profile) {
    ChatClient::Options opts = m_options.client;
    opts.profile = profile;
    // The profile's trusted certificate; a file that cannot be used stops the session from
    // starting (beginSession shows why) rather than connecting without it.
    m_certificateProblem.clear();
    if (!profile.trustedCertificateFile().isEmpty()) {
        const auto certificate = chat::TrustedCertificate::load(profile.trustedCertificateFile());
        if (certificate)
            opts.trustedCertificate = *certificate;
        else
            m_certificateProblem = certificate.error().message();
    }
    m_client = new ChatClient(opts, this);
    ChatClient *c = m_client;
    m_filter->setSourceModel(c->messages());
    m_userFilter->setSourceModel(c->users());
    m_ui->messageInput->setUserModel(c->users());

    connect(c, &ChatClient::stateChanged, this, &MainWindow::updateStatus);
    connect(c, &ChatClient::reconnectSecondsChanged, this, &MainWindow::updateStatus);
    connect(c, &ChatClient::lastErrorChanged, this, &MainWindow::updateStatus);
    connect(c, &ChatClient::syncedChanged, this, &MainWindow::updatePlaceholder);
    connect(c, &ChatClient::identityChanged, this,
            [this] { m_status->setIdentity(m_client->identityShort(), m_client->identityHex()); });
    connect(c, &ChatClient::ownNameChanged, this, &MainWindow::updateTitle);
    connect(c, &ChatClient::loadingOlderChanged, m_ui->messageView, &MessageView::setLoadingOlder);
    connect(c, &ChatClient::nameChanged, this, [this](const QString &name) {
        statusBar()->showMessage(tr("You are now known as %1").arg(UntrustedText::isolate(name)),
                                 5000);
        m_renameFromInput = false;
    });
    connect(c, &ChatClient::nameRejected, this, [this](const QString &, const QString &reason) {
        if (m_renameFromInput)
            m_ui->messageInput->showProblem(
                tr("Name not changed: %1").arg(UntrustedText::isolate(reason)));
        m_renameFromInput = false;
    });
    connect(c, &ChatClient::messageRejected, this, [this](const QString &, const QString &reason) {
        m_ui->messageInput->showProblem(reason);
    });
    connect(c, &ChatClient::messageFailed, this, [this](qint64, const QString &reason) {
        statusBar()->showMessage(
            tr("A message was not delivered: %1").arg(UntrustedText::isolate(reason)), 8000);
    });
    connect(c, &ChatClient::connectionProblem, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    connect(c, &ChatClient::credentialWarning, this,
            [this](const QString &text) { showBanner(text, false); });
    m_notifications->setClient(c);
    connect(c->users(), &chat::UserModel::selfDisplayNameChanged, this, &MainWindow::updateTitle);
    connect(c->users(), &chat::UserModel::presenceKnownChanged, this,
            &MainWindow::updateUsersSummary);
    connect(c->users(), &chat::UserModel::countChanged, this, &MainWindow::updateUsersSummary);
    connect(c->users(), &chat::UserModel::onlineCountChanged, this,
            &MainWindow::updateUsersSummary);
    connect(c->messages(), &chat::MessageModel::countChanged, this, &MainWindow::updatePlaceholder);
    // The tray, the title and the "New messages" line count from the same read position (the
    // notifier passes the read marker's count on, and tells it whether the window is attended).
    chat::ReadMarker *marker = c->readMarker();
    connect(m_ui->messageView, &MessageView::newestVisibleChanged, marker,
            &chat::ReadMarker::setNewestVisible);
    marker->setNewestVisible(m_ui->messageView->isNewestVisible());
    if (chat::Outbox *outbox = c->outbox()) {
        connect(outbox, &chat::Outbox::entryChanged, this, &MainWindow::updatePending);
        connect(outbox, &chat::Outbox::entryRemoved, this, &MainWindow::updatePending);
    }

    m_ui->messageView->setHistoryModel(c->messages());
    m_ui->messageView->setLoadingOlder(c->isLoadingOlder());
    m_status->setIdentity(c->identityShort(), c->identityHex());
    m_ui->banner->hide();
    updateStatus();
    updateTitle();
    updateUsersSummary();
    updatePlaceholder();
    updatePending();
    rebuildProfilesMenu();
}

void MainWindow::destroyClient() {
    if (!m_client)
        return;
    ChatClient *c = m_client;
    m_client = nullptr;
    disconnect(c, nullptr, this, nullptr);
    c->stop();
    m_filter->setSourceModel(nullptr);
    m_userFilter->setSourceModel(nullptr);
    m_ui->messageInput->setUserModel(nullptr);
    m_notifications->setClient(nullptr);
    delete c;
}

void MainWindow::startSession() {
    if (!m_client)
        return;
    const ChatClient::Options &o = m_client->options();
    const QString rustPath = o.rustCredentialsPath.isEmpty()
                                 ? chat::RustCredentials::defaultPath(o.profile.database())
                                 : o.rustCredentialsPath;
    const QString askedKey = QStringLiteral("rustImportOffered/") + o.profile.name();
    if (!m_options.offerRustImport || o.anonymous || !o.tokenOverride.isEmpty() ||
        !QFile::exists(rustPath) || QSettings().value(askedKey).toBool()) {
        beginSession();
        return;
    }
    // Only when this profile has no identity yet: ask the store first. `loaded` always comes
    // (also after `problem`, when the keychain failed), so it alone answers: one question.
    auto *probe = new chat::CredentialStore(this);
    probe->setInsecureFileStore(o.insecureTokenFile);
    const QPointer<ChatClient> client = m_client;
    connect(probe, &chat::CredentialStore::loaded, this,
            [this, probe, client, rustPath, askedKey](const QString &, const QString &stored) {
                probe->deleteLater();
                if (!m_client || client != m_client)
                    return; // the profile changed meanwhile; its own start was made
                if (!stored.isEmpty()) {
                    beginSession();
                    return;
                }
                QSettings().setValue(askedKey, true);
                askRustImport(rustPath);
            });
    probe->load(o.profile);
}

QMessageBox *MainWindow::openMessageBox(QMessageBox::Icon icon, const QString &title,
                                        const QString &text, QMessageBox::StandardButtons buttons,
                                        QMessageBox::StandardButton defaultButton) {
    // Window-modal and open(): no nested event loop, so network signals (new messages) are
    // handled while the question waits.
    auto *box = new QMessageBox(icon, title, text, buttons, this);
    box->setDefaultButton(defaultButton);
    box->setWindowModality(Qt::WindowModal);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    return box;
}

void MainWindow::askRustImport(const QString &rustPath) {
    QMessageBox *box =
        openMessageBox(QMessageBox::Question, tr("Use Your Existing Identity?"),
                       tr("The SpacetimeDB Rust quickstart has an identity stored in\n%1\n\n"
                          "Continue as that identity here? Otherwise a new identity is created.")
                           .arg(rustPath),
                       QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
    box->setObjectName(QStringLiteral("rustImportQuestion"));
    const QPointer<ChatClient> client = m_client;
    connect(box, &QMessageBox::finished, this, [this, box, client, rustPath] {
        if (!m_client || client != m_client)
            return;
        if (box->standardButton(box->clickedButton()) == QMessageBox::Yes)
            importRustIdentity(rustPath);
        beginSession();
    });
}

void MainWindow::importRustIdentity(const QString &rustPath) {
    const auto token = chat::RustCredentials::read(rustPath);
    if (!token) {
        openMessageBox(QMessageBox::Warning, tr("Identity Not Imported"),
                       tr("The file could not be read: %1").arg(token.error().message()),
                       QMessageBox::Ok, QMessageBox::Ok)
            ->setObjectName(QStringLiteral("rustImportFailed"));
        return;
    }
    ChatClient::Options opts = m_options.client;
    opts.profile = m_client->profile();
    opts.tokenOverride = *token;
    const chat::Profile p = opts.profile;
    destroyClient();
    const ChatClient::Options saved = m_options.client;
    m_options.client = opts;
    createClient(p);
    m_options.client = saved;
}

void MainWindow::beginSession() {
    if (!m_client)
        return;
    if (!m_certificateProblem.isEmpty()) {
        showBanner(tr("Not connecting to %1: %2 Change it in File ▸ Connect.")
                       .arg(m_client->serverUrl(), m_certificateProblem),
                   true);
        return;
    }
    m_client->start();
}

void MainWindow::switchProfile(const chat::Profile &profile) {
    qCInfo(lcApp) << "switching to profile" << profile.name();
    if (m_client && m_client->profileName() != profile.name()) {
        saveLayout(m_client->profileName());
        restoreLayout(profile.name());
    }
    m_profiles->save(profile);
    m_profiles->setLastProfileName(profile.name());
    if (m_renameDialog)
        m_renameDialog->reject();
    m_ui->findBar->close();
    m_ui->messageInput->showProblem({});
    destroyClient();
    createClient(profile);
    beginSession();
    emit profileSwitched(profile);
}

void MainWindow::showConnectDialog() {
    const chat::Profile current = m_client ? m_client->profile() : chat::Profile();
    auto *dialog = new ConnectDialog(m_profiles.get(), current, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const chat::Profile p = dialog->profile();
        if (!m_client || !(p == m_client->profile()) || m_client->state() == State::Error ||
            m_client->state() == State::Offline)
            switchProfile(p);
    });
    dialog->open();
}

RenameDialog *MainWindow::openRenameDialog() {
    if (m_renameDialog) {
        m_renameDialog->raise();
        m_renameDialog->activateWindow();
        return m_renameDialog;
    }
    auto *dialog = new RenameDialog(m_client, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_renameDialog = dialog;
    dialog->open();
    return dialog;
}

void MainWindow::onSend(const QString &text) {
    if (!m_client)
        return;
    m_ui->messageView->scrollToLatest();
    m_client->sendMessage(text);
}

void MainWindow::onRenameFromInput(const QString &name) {
    if (!m_client)
        return;
    m_renameFromInput = true;
    m_client->setName(name);
}

void MainWindow::forgetIdentity() {
    if (!m_client)
        return;
    QMessageBox *box = openMessageBox(
        QMessageBox::Warning, tr("Forget Identity"),
        tr("Delete the identity stored for the profile \"%1\"?\n\nYou will continue with a new, "
           "anonymous identity. Your old messages stay on the server, but nobody (not even "
           "you) can write as that identity again.")
            .arg(m_client->profileName()),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    box->setObjectName(QStringLiteral("forgetIdentityQuestion"));
    const QPointer<ChatClient> client = m_client;
    connect(box, &QMessageBox::finished, this, [this, box, client] {
        // Only for the session it was asked about (the profile may have changed meanwhile).
        if (m_client && client == m_client &&
            box->standardButton(box->clickedButton()) == QMessageBox::Yes)
            m_client->forgetIdentity();
    });
}

// ---- presentation --------------------------------------------------------------------------

void MainWindow::updateStatus() {
    if (!m_client)
        return;
    const State state = m_client->state();
    m_status->setState(state, m_client->reconnectSeconds(), m_client->lastError(),
                       m_client->wasOnline(),
                       m_client->errorSource() == ChatClient::ErrorSource::Subscription);
    // A failed attempt to connect (typed, already in the user's language) says what to fix,
    // also while the client keeps trying.
    const bool connectFailed = m_client->connectFailure().isFailure();
    if (connectFailed && state == State::Error)
        showBanner(m_client->lastError(), true);
    else if (connectFailed && state == State::Reconnecting)
        showBanner(tr("%1 Trying again automatically.").arg(m_client->lastError()), true);
    else if (state == State::Error &&
             m_client->errorSource() == ChatClient::ErrorSource::Subscription)
        showBanner(m_client->reconnectSeconds() > 0
                       ? tr("%1 Trying again in %n s.", nullptr, m_client->reconnectSeconds())
                             .arg(UntrustedText::isolate(m_client->lastError()))
                       : UntrustedText::isolate(m_client->lastError()),
                   true);
    else if (state == State::Error)
        showBanner(tr("Could not connect to %1 (database %2): %3")
                       .arg(m_client->serverUrl(), m_client->database(),
                            UntrustedText::isolate(m_client->lastError())),
                   true);
    else if (state == State::Online && m_ui->banner->property("error").toBool())
        m_ui->banner->hide();
    updatePlaceholder();
}

void MainWindow::showBanner(const QString &text, bool error) {
    QPalette p = m_ui->banner->palette();
    p.setColor(QPalette::Window, error ? QColor(250, 225, 222) : QColor(255, 243, 205));
    p.setColor(QPalette::WindowText, error ? QColor(120, 20, 20) : QColor(100, 70, 0));
    m_ui->banner->setPalette(p);
    m_ui->banner->setProperty("error", error);
    m_ui->banner->setText(text);
    m_ui->banner->setVisible(!text.isEmpty());
}

void MainWindow::updateTitle() {
    QString title;
    if (m_client) {
        // With the identity suffix while another user's name looks like ours.
        const QString shown = m_client->users()->selfDisplayName();
        const QString name = UntrustedText::isolate(shown.isEmpty() ? m_client->ownName() : shown);
        const QString host = QUrl(m_client->serverUrl()).host();
        title = m_client->ownName().isEmpty()
                    ? tr("%1 on %2 — Spacetime Chat").arg(m_client->database(), host)
                    : tr("%1 — %2 on %3 — Spacetime Chat").arg(name, m_client->database(), host);
        if (m_client->profileName() != QLatin1String(chat::Profile::kDefaultName))
            title = tr("[%1] %2").arg(m_client->profileName(), title);
    } else {
        title = tr("Spacetime Chat");
    }
    if (const int unread = m_notifications->unread(); unread > 0)
        title = tr("(%1) %2").arg(unread).arg(title);
    setWindowTitle(title);
}

void MainWindow::updateUsersSummary() {
    if (!m_client)
        return;
    const chat::UserModel *users = m_client->users();
    m_ui->usersSummary->setText(
        users->presenceKnown()
            ? tr("%1 online · %2 known").arg(users->onlineCount()).arg(users->rowCount())
            : tr("%1 online when last seen · %2 known")
                  .arg(users->onlineCount())
                  .arg(users->rowCount()));
}

void MainWindow::updatePlaceholder() {
    if (!m_client)
        return;
    QString text;
    if (m_client->messages()->rowCount() == 0) {
        switch (m_client->state()) {
        case State::Online:
            text = tr("No messages yet. Say hello!");
            break;
        case State::Connecting:
            text = tr("Connecting to %1…").arg(m_client->serverUrl());
            break;
        case State::Reconnecting:
            text = tr("Waiting for the connection…");
            break;
        case State::Offline:
        case State::Error:
            text = tr("Not connected. Use File ▸ Connect to choose a server.");
            break;
        }
    }
    m_ui->messageView->setPlaceholderText(text);
}

void MainWindow::updatePending() {
    if (m_client)
        m_status->setPending(m_client->pendingCount());
}

void MainWindow::onUnreadChanged(int count) {
    if (m_tray)
        m_tray->setUnread(count);
    updateTitle();
}

void MainWindow::showNotifiedMessage(quint64 notificationId) {
    bringToFront();
    if (!m_filter->searchText().isEmpty())
        m_ui->findBar->close();
    const int row = m_notifications->rowOf(notificationId, m_filter);
    if (row < 0)
        return;
    const QModelIndex index = m_filter->index(row, 0);
    m_ui->messageView->setCurrentIndex(index);
    m_ui->messageView->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void MainWindow::bringToFront() {
    // Back from the tray or the taskbar: at the "New messages" line.
    if ((!isVisible() || isMinimized()) && unreadCount() > 0)
        m_ui->messageView->scrollToFirstUnread();
    if (isMinimized())
        showNormal();
    else
        show();
    raise();
    activateWindow();
    if (m_tray)
        m_tray->setWindowVisible(true);
    updateAttention();
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About Spacetime Chat"),
        tr("<h3>Spacetime Chat %1</h3>"
           "<p>A native desktop chat client for SpacetimeDB's quickstart-chat module.</p>"
           "<p>Built with Qt %2 (running on %3).</p>")
            .arg(QCoreApplication::applicationVersion(), QStringLiteral(QT_VERSION_STR),
                 QString::fromLatin1(qVersion())));
}

void MainWindow::quit() {
    m_quitting = true;
    saveSettings();
    close();
    QCoreApplication::quit();
}

void MainWindow::closeEvent(QCloseEvent *event) {
    if (!m_quitting && m_tray && m_ui->actionCloseToTray->isChecked()) {
        saveSettings();
        hide();
        updateAttention();
        m_tray->setWindowVisible(false);
        if (!m_trayHintShown && QSystemTrayIcon::supportsMessages()) {
            m_trayHintShown = true;
            m_tray->systemTrayIcon()->showMessage(
                tr("Spacetime Chat is still running"),
                tr("It keeps notifying you from the tray. Use Quit to end it."),
                QSystemTrayIcon::Information, 4000);
        }
        event->ignore();
        return;
    }
    saveSettings();
    event->accept();
    if (m_tray)
        m_tray->setVisible(false);
    QCoreApplication::quit();
}

void MainWindow::showEvent(QShowEvent *event) {
    QMainWindow::showEvent(event);
    updateAttention();
}

void MainWindow::hideEvent(QHideEvent *event) {
    QMainWindow::hideEvent(event);
    updateAttention();
}

void MainWindow::changeEvent(QEvent *event) {
    if (event->type() == QEvent::ActivationChange || event->type() == QEvent::WindowStateChange) {
        updateAttention();
        if (m_tray)
            m_tray->setWindowVisible(isVisible() && !isMinimized());
    } else if (event->type() == QEvent::LanguageChange) {
        m_ui->retranslateUi(this);
        updateTitle();
        updateStatus();
    }
    QMainWindow::changeEvent(event);
}
