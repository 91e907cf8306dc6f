// SPDX-License-Identifier: Apache-2.0
// The desktop app against a real spacetime-chat-host: sending with Enter, Shift+Enter, the
// rename dialog, notifications while inactive, scrolling behaviour, the find bar, profile
// switching, the offline outbox, and plain-text rendering. Every test function gets its own
// host, window and second user (init()), so each runs alone and in any order.

#include "connectionstatus.h"
#include "desktop/notifier.h"
#include "desktop/windowlayout.h"
#include "findbar.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messageinput.h"
#include "messageview.h"
#include "renamedialog.h"
#ifdef STDB_DESKTOP_HAVE_DBUS
#include "desktop/dbusnotifier.h"
#endif

#include "failureserver.h"
#include "hostprocess.h"
#include "testcertificates.h"

#include "chat/chatclient.h"
#include "chat/connectproblem.h"
#include "chat/credentialstore.h"
#include "chat/messagefiltermodel.h"
#include "chat/messagemodel.h"
#include "chat/onlineuserfilter.h"
#include "chat/readmarker.h"
#include "chat/untrustedtext.h"
#include "chat/usermodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScopeGuard>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QWindow>

#include "spacetime/connection/dbconnectionbuilder.h"
#include "spacetime/connection/manualclock.h"

using desktop::Notification;
using desktop::Notifier;
#ifdef STDB_DESKTOP_HAVE_DBUS
using desktop::DBusNotifier;
#endif
using chat::ChatClient;
using chat::DeliveryState;
using chat::MessageModel;
using State = chat::ChatClient::State;

namespace {
constexpr int kTimeout = 10000;

// Records what the window asks to show; stands in for the desktop's notification service.
class RecordingNotifier : public Notifier {
public:
    using Notifier::Notifier;
    void notify(const Notification &n) override { shown.append(n); }
    QString backendName() const override { return QStringLiteral("recording"); }
    void click(quint64 id) { emit activated(id); }
    QList<Notification> shown;
};

stdb::ReconnectPolicy fastReconnect() {
    stdb::ReconnectPolicy p = stdb::ReconnectPolicy::standard();
    p.initialDelay = std::chrono::milliseconds(100);
    p.maxDelay = std::chrono::milliseconds(400);
    return p;
}

int rowWithText(const QAbstractItemModel *m, const QString &text) {
    for (int i = m->rowCount() - 1; i >= 0; --i)
        if (m->index(i, 0).data(MessageModel::TextRole).toString() == text)
            return i;
    return -1;
}

quint16 freePort() {
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}
} // namespace

class TestApp : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;
    int m_run = 0; // fresh profile names per test function: no token from another host
    HostProcess m_host;
    std::unique_ptr<MainWindow> m_window;
    RecordingNotifier *m_notifier = nullptr;
    std::unique_ptr<ChatClient> m_other; // a second user, without a window
    std::unique_ptr<QAbstractItemModelTester> m_filterTester;

    chat::Profile profile(const QString &name, quint16 port = 0) const {
        return chat::Profile(QStringLiteral("http://127.0.0.1:%1").arg(port ? port : m_host.port()),
                             QStringLiteral("quickstart-chat"), name);
    }

    std::unique_ptr<MainWindow> makeWindow(const chat::Profile &p) {
        MainWindow::Options o;
        o.client.profile = p;
        o.client.insecureTokenFile = true;
        o.client.reconnect = fastReconnect();
        o.useTray = false;
        o.persistSettings = false;
        auto w = std::make_unique<MainWindow>(o);
        w->resize(800, 600);
        return w;
    }

    chat::Profile mainProfile() const { return profile(QStringLiteral("main%1").arg(m_run)); }

    ChatClient *client() const { return m_window->client(); }

    // Our own name, set through the server (no-op when it already is).
    void nameSelf(const QString &name) {
        if (client()->ownName() == name)
            return;
        QVERIFY(client()->setName(name));
        QTRY_VERIFY_WITH_TIMEOUT(client()->ownName() == name, kTimeout);
    }

    // n messages "filler 0".."filler n-1" from the other user, waited for in the window.
    void fill(int n) {
        for (int i = 0; i < n; ++i)
            QVERIFY(m_other->sendMessage(QStringLiteral("filler %1").arg(i)) != 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            rowWithText(viewModel(), QStringLiteral("filler %1").arg(n - 1)) >= 0, kTimeout);
    }
    QAbstractItemModel *viewModel() const { return m_window->messageView()->model(); }

    // A message from the other user, waited for until the window's model has it.
    void otherSays(const QString &text) {
        QVERIFY(m_other->sendMessage(text) != 0);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithText(client()->messages(), text) >= 0, kTimeout);
    }

    void typeAndSend(const QString &text) {
        QPlainTextEdit *edit = m_window->messageInput()->editor();
        QTest::keyClicks(edit, text);
        QTest::keyClick(edit, Qt::Key_Return);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral("cache")).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("spacetime-chat-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("spacetime-chat-tests"));
    }

    void init() {
        ++m_run;
        QVERIFY2(m_host.start(QStringLiteral(":memory:"), {QStringLiteral("--test-controls")}),
                 qPrintable(m_host.errorString()));

        ChatClient::Options other;
        other.profile = profile(QStringLiteral("other%1").arg(m_run));
        other.anonymous = true;
        other.outboxPath = QStringLiteral(":memory:");
        m_other = std::make_unique<ChatClient>(other);
        m_other->start();

        m_window = makeWindow(mainProfile());
        m_notifier = new RecordingNotifier;
        m_window->setNotifier(m_notifier);
        m_filterTester = std::make_unique<QAbstractItemModelTester>(
            m_window->messageFilter(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->startSession();
        QTRY_COMPARE_WITH_TIMEOUT(client()->state(), State::Online, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_other->state(), State::Online, kTimeout);
        QCOMPARE(m_window->connectionStatus()->stateText(), tr("Online"));
        QTRY_VERIFY(!client()->identityHex().isEmpty());
        // The other user gets a name, so notifications have a sender to show.
        QSignalSpy named(m_other.get(), &ChatClient::nameChanged);
        QVERIFY(m_other->setName(QStringLiteral("Zoe")));
        QVERIFY(named.wait(kTimeout));
    }

    void cleanup() {
        m_filterTester.reset();
        m_window.reset();
        m_notifier = nullptr;
        m_other.reset();
        m_host.stop();
    }

    void enterSends() {
        MessageInput *input = m_window->messageInput();
        QVERIFY(!input->sendButton()->isEnabled());
        const int before = client()->messages()->rowCount();
        typeAndSend(QStringLiteral("hello from the window"));
        QCOMPARE(input->text(), QString());
        QCOMPARE(client()->messages()->rowCount(), before + 1);
        const int row = rowWithText(client()->messages(), QStringLiteral("hello from the window"));
        QVERIFY(row >= 0);
        const QModelIndex index = client()->messages()->index(row, 0);
        QVERIFY(index.data(MessageModel::IsOwnRole).toBool() ||
                index.data(MessageModel::LocalIdRole).toLongLong() != 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            client()
                ->messages()
                ->index(rowWithText(client()->messages(), QStringLiteral("hello from the window")),
                        0)
                .data(MessageModel::DeliveryStateRole)
                .value<DeliveryState>(),
            DeliveryState::Sent, kTimeout);
        // The other user got it too.
        QTRY_VERIFY_WITH_TIMEOUT(
            rowWithText(m_other->messages(), QStringLiteral("hello from the window")) >= 0,
            kTimeout);
        // Whitespace is not sent; the button stays disabled.
        QTest::keyClicks(input->editor(), QStringLiteral("   "));
        QVERIFY(!input->sendButton()->isEnabled());
        QTest::keyClick(input->editor(), Qt::Key_Return);
        QCOMPARE(client()->messages()->rowCount(), before + 1);
        input->editor()->clear();
    }

    void shiftEnterAddsNewline() {
        MessageInput *input = m_window->messageInput();
        const int before = client()->messages()->rowCount();
        QTest::keyClicks(input->editor(), QStringLiteral("first line"));
        QTest::keyClick(input->editor(), Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(input->editor(), QStringLiteral("second line"));
        QCOMPARE(input->text(), QStringLiteral("first line\nsecond line"));
        QCOMPARE(client()->messages()->rowCount(), before);
        QTest::keyClick(input->editor(), Qt::Key_Return);
        QCOMPARE(input->text(), QString());
        QVERIFY(rowWithText(client()->messages(), QStringLiteral("first line\nsecond line")) >= 0);
    }

    void historyAndCounter() {
        MessageInput *input = m_window->messageInput();
        typeAndSend(QStringLiteral("hello from the window"));
        QTest::keyClicks(input->editor(), QStringLiteral("first line"));
        QTest::keyClick(input->editor(), Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(input->editor(), QStringLiteral("second line"));
        QTest::keyClick(input->editor(), Qt::Key_Return);
        QCOMPARE(input->text(), QString());
        QTest::keyClick(input->editor(), Qt::Key_Up);
        QCOMPARE(input->text(), QStringLiteral("first line\nsecond line"));
        input->editor()->moveCursor(QTextCursor::Start);
        QTest::keyClick(input->editor(), Qt::Key_Up);
        QCOMPARE(input->text(), QStringLiteral("hello from the window"));
        input->editor()->moveCursor(QTextCursor::End);
        QTest::keyClick(input->editor(), Qt::Key_Down);
        QCOMPARE(input->text(), QStringLiteral("first line\nsecond line"));
        input->editor()->moveCursor(QTextCursor::End);
        QTest::keyClick(input->editor(), Qt::Key_Down);
        QCOMPARE(input->text(), QString()); // back to the (empty) draft

        QVERIFY(input->counter()->isHidden());
        input->setText(QString(7000, QLatin1Char('x')));
        QVERIFY(!input->counter()->isHidden());
        QVERIFY(input->sendButton()->isEnabled());
        input->setText(QString(9000, QLatin1Char('x')));
        QVERIFY(!input->sendButton()->isEnabled());
        QVERIFY(input->counter()->text().contains(QStringLiteral("9000")));
        input->editor()->clear();
        QVERIFY(input->counter()->isHidden());
    }

    void renameSucceeds() {
        QPointer<RenameDialog> dialog = m_window->openRenameDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->name(), client()->ownName());
        dialog->setName(QStringLiteral("Alice"));
        QVERIFY(dialog->errorText().isEmpty());
        dialog->accept();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog, kTimeout); // closed (and deleted) on success
        QCOMPARE(client()->ownName(), QStringLiteral("Alice"));
        QVERIFY(m_window->windowTitle().contains(QStringLiteral("Alice")));
        // The people list shows it, marked as us.
        const auto *users = client()->users();
        const int row = users->rowOf(client()->identity());
        QCOMPARE(users->index(row, 0).data(chat::UserModel::DisplayNameRole).toString(),
                 QStringLiteral("Alice"));
        QVERIFY(users->index(row, 0).data(chat::UserModel::IsSelfRole).toBool());
    }

    void renameValidationAndRejectionInline() {
        nameSelf(QStringLiteral("Alice"));
        QPointer<RenameDialog> dialog = m_window->openRenameDialog();
        QCOMPARE(dialog->name(), QStringLiteral("Alice"));
        // Live validation: too long.
        dialog->setName(QString(chat::kMaxNameLength + 1, QLatin1Char('n')));
        QVERIFY(!dialog->errorText().isEmpty());
        dialog->setName(QStringLiteral("   "));
        QVERIFY(!dialog->errorText().isEmpty());
        dialog->accept();
        QVERIFY(dialog); // stays open
        // The server's refusal arrives through ChatClient::nameRejected while the dialog waits.
        // (The local host refuses exactly what the client already refuses, so the reply is
        // injected at the ChatClient boundary, with the module's own wording.)
        QSignalSpy renamed(client(), &ChatClient::nameChanged);
        dialog->setName(QStringLiteral("Mallory"));
        dialog->accept();
        QVERIFY(dialog->isWaiting());
        emit client()->nameRejected(QStringLiteral("Mallory"),
                                    QStringLiteral("Names must not be empty"));
        QVERIFY(dialog);
        QVERIFY(!dialog->isWaiting());
        QVERIFY(dialog->errorText().contains(QStringLiteral("Names must not be empty")));
        QVERIFY(dialog->isVisible());
        // The real reply (accepted) comes later and must not close the dialog behind our back.
        QTRY_VERIFY_WITH_TIMEOUT(client()->ownName() == QStringLiteral("Mallory"), kTimeout);
        QVERIFY(!renamed.isEmpty());
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        dialog->reject();
        QTRY_VERIFY(!dialog);
    }

    void slashNameRenames() {
        QSignalSpy named(client(), &ChatClient::nameChanged);
        typeAndSend(QStringLiteral("/name Alice2"));
        QVERIFY(named.wait(kTimeout));
        QCOMPARE(client()->ownName(), QStringLiteral("Alice2"));
        QVERIFY(rowWithText(client()->messages(), QStringLiteral("/name Alice2")) < 0);
        typeAndSend(QStringLiteral("/name Alice"));
        QVERIFY(named.wait(kTimeout));
    }

    // Tab in the input completes a name from the people list (ours never), keeping the focus;
    // with nothing to complete it moves the focus on as before. Undo takes a completion back.
    void tabCompletesNames() {
        nameSelf(QStringLiteral("Alice"));
        MessageInput *input = m_window->messageInput();
        QPlainTextEdit *edit = input->editor();
        QTRY_VERIFY_WITH_TIMEOUT(
            client()->users()->completionNames().contains(QStringLiteral("Zoe")), kTimeout);
        QVERIFY(!client()->users()->completionNames().contains(QStringLiteral("Alice")));
        edit->setFocus();
        QCOMPARE(m_window->focusWidget(), edit);

        QTest::keyClicks(edit, QStringLiteral("zo"));
        QTest::keyClick(edit, Qt::Key_Tab);
        QCOMPARE(input->text(), QStringLiteral("Zoe: "));
        QCOMPARE(edit->textCursor().position(), 5);
        QCOMPARE(m_window->focusWidget(), edit);
        QTest::keyClicks(edit, QStringLiteral("see @ali"));
        QTest::keyClick(edit, Qt::Key_Tab); // only our own name starts so: nothing
        QCOMPARE(input->text(), QStringLiteral("Zoe: see @ali"));
        QVERIFY(m_window->focusWidget() != edit);
        edit->setFocus();
        QTest::keyClicks(edit, QStringLiteral(" and @z"));
        QTest::keyClick(edit, Qt::Key_Backtab, Qt::ShiftModifier);
        QCOMPARE(input->text(), QStringLiteral("Zoe: see @ali and @Zoe "));
        QCOMPARE(m_window->focusWidget(), edit);
        edit->undo();
        QCOMPARE(input->text(), QStringLiteral("Zoe: see @ali and @z"));
        edit->clear();

        // Empty input: Tab moves the focus.
        QTest::keyClick(edit, Qt::Key_Tab);
        QVERIFY(m_window->focusWidget() != edit);
        edit->setFocus();

        // A message that mentions us is marked for the delegate; a plain one is not.
        otherSays(QStringLiteral("hey @alice"));
        otherSays(QStringLiteral("nothing for you"));
        auto mentioned = [this](const QString &text) {
            return viewModel()
                ->index(rowWithText(viewModel(), text), 0)
                .data(MessageModel::MentionsMeRole)
                .toBool();
        };
        QVERIFY(mentioned(QStringLiteral("hey @alice")));
        QVERIFY(!mentioned(QStringLiteral("nothing for you")));
        // Renamed: the highlight follows our name.
        nameSelf(QStringLiteral("Bea"));
        QVERIFY(!mentioned(QStringLiteral("hey @alice")));
        nameSelf(QStringLiteral("Alice"));
        QVERIFY(mentioned(QStringLiteral("hey @alice")));
    }

    void otherClientNotifiedWhileInactive() {
        nameSelf(QStringLiteral("Alice")); // mentioned below
        m_notifier->shown.clear();
        // Active window: nothing is notified.
        m_window->show();
        m_window->activateWindow();
        if (QTest::qWaitForWindowActive(m_window.get(), 2000)) {
            otherSays(QStringLiteral("seen live"));
            QCOMPARE(m_notifier->shown.size(), 0);
            // Read once it has been on screen for a moment (the read marker's delay).
            QTRY_COMPARE_WITH_TIMEOUT(m_window->unreadCount(), 0, kTimeout);
        }
        // Hidden (e.g. closed to the tray): notified, counted.
        m_window->hide();
        otherSays(QStringLiteral("are you there?"));
        QCOMPARE(m_notifier->shown.size(), 1);
        QCOMPARE(m_notifier->shown[0].title, QStringLiteral("Zoe"));
        QCOMPARE(m_notifier->shown[0].body, QStringLiteral("are you there?"));
        QVERIFY(!m_notifier->shown[0].mention);
        QCOMPARE(m_window->unreadCount(), 1);
        QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("(1)")));
        // A mention by name gets its own notification.
        otherSays(QStringLiteral("hey alice, look"));
        QCOMPARE(m_notifier->shown.size(), 2);
        QVERIFY(m_notifier->shown[1].mention);
        QVERIFY(m_notifier->shown[1].title.contains(QStringLiteral("Zoe")));
        // Our own messages are never notified.
        QVERIFY(client()->sendMessage(QStringLiteral("my own")) != 0);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithText(m_other->messages(), QStringLiteral("my own")) >= 0,
                                 kTimeout);
        QCOMPARE(m_notifier->shown.size(), 2);
        // Long text is shortened.
        otherSays(QString(500, QLatin1Char('y')));
        QCOMPARE(m_notifier->shown.size(), 3);
        QVERIFY(m_notifier->shown[2].body.size() <= Notifier::kMaxBody);
        // Clicking the first notification raises the window at that message.
        m_notifier->click(m_notifier->shown[0].id);
        QVERIFY(m_window->isVisible());
        const QModelIndex current = m_window->messageView()->currentIndex();
        QCOMPARE(current.data(MessageModel::TextRole).toString(), QStringLiteral("are you there?"));
        // Muted: counted but not shown.
        m_window->hide();
        m_window->findChild<QAction *>(QStringLiteral("actionMute"))->setChecked(true);
        otherSays(QStringLiteral("muted one"));
        QCOMPARE(m_notifier->shown.size(), 3);
        m_window->findChild<QAction *>(QStringLiteral("actionMute"))->setChecked(false);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    // Two users called Zoe: the title, the people list, the messages and the notifications tell
    // them apart with an identity suffix, which goes when one of them renames.
    // A refused subscription leaves the connection standing: the status bar says so (the
    // banner shows the server's reason), it does not claim we are disconnected.
    void statusConnectedDuringSubscriptionError() {
        ConnectionStatus status;
        const QString why = QStringLiteral("no such table");
        status.setState(State::Error, 5, why, true, true);
        QCOMPARE(status.stateText(), QStringLiteral("Connected, but the subscription failed: %1")
                                         .arg(chat::UntrustedText::isolate(why)));
        status.setState(State::Error, 0, why, true, false);
        QCOMPARE(status.stateText(),
                 QStringLiteral("Not connected: %1").arg(chat::UntrustedText::isolate(why)));
    }

    void lookAlikeNamesToldApart() {
        nameSelf(QStringLiteral("zoe"));
        const QString own = client()->identityHex().left(8);
        const QString other = m_other->identityHex().left(8);
        const QString ownShown = QStringLiteral("zoe (%1)").arg(own);
        const QString otherShown = QStringLiteral("Zoe (%1)").arg(other);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->windowTitle().contains(ownShown), kTimeout);
        auto *list = m_window->findChild<QListView *>(QStringLiteral("userList"));
        QVERIFY(list);
        QStringList shown;
        for (int r = 0; r < list->model()->rowCount(); ++r)
            shown << list->model()->index(r, 0).data(chat::UserModel::DisplayNameRole).toString();
        QVERIFY2(shown.contains(ownShown) && shown.contains(otherShown),
                 qPrintable(shown.join(QLatin1String(", "))));
        m_window->hide();
        m_notifier->shown.clear();
        otherSays(QStringLiteral("hello there"));
        QCOMPARE(m_notifier->shown.size(), 1);
        QCOMPARE(m_notifier->shown[0].title, otherShown);
        const int row = rowWithText(client()->messages(), QStringLiteral("hello there"));
        QCOMPARE(client()->messages()->index(row, 0).data(MessageModel::SenderNameRole).toString(),
                 otherShown);
        // The collision ends.
        QSignalSpy named(m_other.get(), &ChatClient::nameChanged);
        QVERIFY(m_other->setName(QStringLiteral("Zed")));
        QVERIFY(named.wait(kTimeout));
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->windowTitle().contains(own), kTimeout);
        QVERIFY(m_window->windowTitle().contains(QStringLiteral("zoe")));
        QTRY_COMPARE_WITH_TIMEOUT(
            client()->messages()->index(row, 0).data(MessageModel::SenderNameRole).toString(),
            QStringLiteral("Zed"), kTimeout);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    // While our connection is down the people list shows no green dot and says the counts are
    // what was last seen; after the reconnect the dots are back.
    void peopleListGreyWhileDisconnected() {
        auto *list = m_window->findChild<QListView *>(QStringLiteral("userList"));
        auto *summary = m_window->findChild<QLabel *>(QStringLiteral("usersSummary"));
        QVERIFY(list && summary);
        const QColor green(40, 175, 80); // UserDelegate's online dot
        auto hasGreenDot = [&] {
            const QImage image = list->viewport()->grab().toImage();
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    if (image.pixelColor(x, y) == green)
                        return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(client()->users()->presenceKnown(), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(hasGreenDot(), kTimeout);
        QVERIFY(!summary->text().contains(QStringLiteral("when last seen")));
        client()->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!client()->users()->presenceKnown(), kTimeout);
        QVERIFY2(summary->text().contains(QStringLiteral("when last seen")),
                 qPrintable(summary->text()));
        QVERIFY(!hasGreenDot());
        const QModelIndex self =
            list->model()->index(0, 0); // the only online users were us and the other one
        QVERIFY(self.data(chat::UserModel::OnlineRole).toBool()); // as last seen
        QVERIFY(self.data(chat::UserModel::PresenceTextRole)
                    .toString()
                    .contains(QStringLiteral("before the connection was lost")));
        client()->start();
        QTRY_VERIFY_WITH_TIMEOUT(client()->users()->presenceKnown(), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(hasGreenDot(), kTimeout);
        QVERIFY(!summary->text().contains(QStringLiteral("when last seen")));
    }

    void htmlIsShownLiterally() {
        const QString html = QStringLiteral("<b>bold?</b> <a href=\"http://x\">link</a> &amp;");
        m_window->hide();
        m_notifier->shown.clear();
        otherSays(html);
        const int row = rowWithText(viewModel(), html);
        QVERIFY(row >= 0);
        const QModelIndex index = viewModel()->index(row, 0);
        QCOMPARE(MessageDelegate::displayText(index), html);
        QCOMPARE(m_notifier->shown.size(), 1);
        QCOMPARE(m_notifier->shown[0].body, html); // plain text; backends escape as needed
#ifdef STDB_DESKTOP_HAVE_DBUS
        QCOMPARE(DBusNotifier::escapeBody(html),
                 QStringLiteral("&lt;b&gt;bold?&lt;/b&gt; &lt;a href=&quot;http://x&quot;&gt;link"
                                "&lt;/a&gt; &amp;amp;"));
#endif
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        // The row is laid out as plain text: as tall as the plain string, and painting works.
        MessageView *view = m_window->messageView();
        view->scrollTo(index);
        const QImage shot = view->grab().toImage();
        QVERIFY(!shot.isNull());
        QVERIFY(view->visualRect(index).height() > 0);
    }

    void pinnedScrolling() {
        MessageView *view = m_window->messageView();
        QScrollBar *bar = view->verticalScrollBar();
        fill(40);
        QTRY_VERIFY(bar->maximum() > 0);
        QTRY_COMPARE(bar->value(), bar->maximum());
        QVERIFY(view->isPinned());
        QVERIFY(view->jumpButton()->isHidden());

        // Reading history: new messages do not move the view; a button offers to jump.
        bar->setValue(bar->maximum() / 3);
        QVERIFY(!view->isPinned());
        const int reading = bar->value();
        const QModelIndex topBefore = view->indexAt(QPoint(5, 5));
        otherSays(QStringLiteral("while reading 1"));
        otherSays(QStringLiteral("while reading 2"));
        view->doItemsLayout(); // the layout pass the view would run when idle, now
        QCOMPARE(bar->value(), reading);
        QCOMPARE(view->indexAt(QPoint(5, 5)), topBefore);
        QVERIFY(!view->jumpButton()->isHidden());
        QCOMPARE(view->unseenCount(), 2);
        QVERIFY(view->jumpButton()->text().contains(QLatin1Char('2')));
        QTest::mouseClick(view->jumpButton(), Qt::LeftButton);
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(view->isPinned());
        QVERIFY(view->jumpButton()->isHidden());
        // Pinned again: follows new messages.
        otherSays(QStringLiteral("after jump"));
        QTRY_COMPARE(bar->value(), bar->maximum());
        // Own messages always bring the view down.
        bar->setValue(0);
        typeAndSend(QStringLiteral("scrolling down by sending"));
        QTRY_COMPARE(bar->value(), bar->maximum());
    }

    void prependKeepsPosition() {
        MessageView *view = m_window->messageView();
        QScrollBar *bar = view->verticalScrollBar();
        fill(40); // enough to scroll
        QTRY_VERIFY(bar->maximum() > 0);
        MessageModel *model = client()->messages();
        const auto oldest = model->oldestSent();
        QVERIFY(oldest.has_value());
        const qint64 base = oldest->micros() - 3LL * 24 * 3600 * 1000 * 1000; // 3 days earlier
        auto older = [&](int from, int n) {
            QList<chat::ChatMessage> list;
            for (int i = 0; i < n; ++i)
                list.append({m_other->identity(),
                             stdb::Timestamp::fromMicros(base - qint64(from + n - i) * 60000000),
                             QStringLiteral("older %1").arg(from + i)});
            return list;
        };
        // Reading somewhere in the middle.
        bar->setValue(bar->maximum() / 2);
        QVERIFY(!view->isPinned());
        QModelIndex top = view->indexAt(QPoint(5, 5));
        QString topText = top.data(MessageModel::TextRole).toString();
        int topY = view->visualRect(top).top();
        QCOMPARE(model->prependOlder(older(0, 30)), 30);
        QApplication::processEvents();
        top = view->indexAt(QPoint(5, 5));
        QCOMPARE(top.data(MessageModel::TextRole).toString(), topText);
        QVERIFY(qAbs(view->visualRect(top).top() - topY) <= 1);

        // At the very top (where "Load older" is): the first row stays where it was.
        bar->setValue(0);
        QTRY_VERIFY(!view->loadOlderButton()->isHidden() || !client()->hasOlder());
        top = view->indexAt(QPoint(5, 5));
        topText = top.data(MessageModel::TextRole).toString();
        topY = view->visualRect(top).top();
        QCOMPARE(model->prependOlder(older(100, 20)), 20);
        QApplication::processEvents();
        top = view->indexAt(QPoint(5, 5));
        QCOMPARE(top.data(MessageModel::TextRole).toString(), topText);
        QVERIFY(qAbs(view->visualRect(top).top() - topY) <= 1);
        QVERIFY(bar->value() > 0);
        // A day separator precedes the first of those older days.
        const QModelIndex first = viewModel()->index(0, 0);
        QVERIFY(first.data(MessageModel::DayChangedRole).toBool());
        view->scrollToLatest();
    }

    // "Load older" follows the message model's canFetchMore(): hidden when the server has
    // nothing older (known from the start, before any click), shown when it has; a click asks
    // the model (fetchMore).
    void loadOlderFollowsCanFetchMore() {
        MessageView *view = m_window->messageView();
        QScrollBar *bar = view->verticalScrollBar();
        fill(40);
        QTRY_VERIFY_WITH_TIMEOUT(client()->isHistoryComplete(), kTimeout);
        bar->setValue(0);
        QVERIFY(view->loadOlderButton()->isHidden());
        MessageModel *model = client()->messages();
        QSignalSpy requested(model, &MessageModel::fetchMoreRequested);
        model->setCanFetchOlder(true); // what the client sets when the server has older ones
        QVERIFY(!view->loadOlderButton()->isHidden());
        QTest::mouseClick(view->loadOlderButton(), Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        model->setCanFetchOlder(false);
        QVERIFY(view->loadOlderButton()->isHidden());
        // The view's proxy never fetches on its own (Qt's views would at the last row).
        QVERIFY(!viewModel()->canFetchMore({}));
    }

    // Past the cap while reading old history the newest messages are unloaded: the view says
    // so ("Jump to newest"), and going back to the bottom brings them back.
    void capUnloadsNewestWhileReadingHistory() {
        MessageView *view = m_window->messageView();
        QScrollBar *bar = view->verticalScrollBar();
        fill(30);
        MessageModel *model = client()->messages();
        const int loaded = model->confirmedCount();
        model->setMaxMessages(loaded);
        const qint64 base = model->oldestSent()->micros();
        auto older = [&](int from, int n) {
            QList<chat::ChatMessage> list;
            for (int i = 0; i < n; ++i)
                list.append({m_other->identity(),
                             stdb::Timestamp::fromMicros(base - qint64(from + n - i) * 60000000),
                             QStringLiteral("older %1").arg(from + i)});
            return list;
        };
        bar->setValue(0);
        QVERIFY(!view->isPinned());
        QCOMPARE(model->prependOlder(older(0, 10)), 10);
        QCOMPARE(model->confirmedCount(), loaded);
        QVERIFY(model->newerUnloaded());
        QCOMPARE(rowWithText(viewModel(), QStringLiteral("filler 29")), -1);
        QVERIFY(!view->jumpButton()->isHidden());
        QTest::mouseClick(view->jumpButton(), Qt::LeftButton);
        QVERIFY(!model->newerUnloaded());
        QVERIFY(rowWithText(viewModel(), QStringLiteral("filler 29")) >= 0);
        QVERIFY(view->isPinned());
        QTRY_COMPARE(bar->value(), bar->maximum());

        // Scrolling back down to the bottom of what is loaded does the same.
        bar->setValue(0);
        QCOMPARE(model->prependOlder(older(100, 10)), 10);
        QVERIFY(model->newerUnloaded());
        view->doItemsLayout();
        bar->setValue(bar->maximum());
        QTRY_VERIFY(!model->newerUnloaded());
        QVERIFY(rowWithText(viewModel(), QStringLiteral("filler 29")) >= 0);
    }

    // A question is window-modal and open()ed (no nested event loop): a message that arrives
    // while it is open is shown, and the answer still acts.
    void messageArrivesWhileAQuestionIsOpen() {
        const QString identity = client()->identityHex();
        auto *forget = m_window->findChild<QAction *>(QStringLiteral("actionForgetIdentity"));
        QVERIFY(forget);
        forget->trigger();
        QPointer<QMessageBox> box =
            m_window->findChild<QMessageBox *>(QStringLiteral("forgetIdentityQuestion"));
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        QCOMPARE(box->windowModality(), Qt::WindowModal);
        otherSays(QStringLiteral("while the question is open"));
        QVERIFY(rowWithText(viewModel(), QStringLiteral("while the question is open")) >= 0);
        box->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(box.isNull());
        QCOMPARE(client()->identityHex(), identity);

        forget->trigger();
        box = m_window->findChild<QMessageBox *>(QStringLiteral("forgetIdentityQuestion"));
        QVERIFY(box);
        box->button(QMessageBox::Yes)->click();
        QTRY_VERIFY_WITH_TIMEOUT(
            !client()->identityHex().isEmpty() && client()->identityHex() != identity, kTimeout);
    }

    // The Rust-credentials question is asked once, also when the keychain (here: the token
    // file) reports a problem before it loads nothing; the session waits for the answer.
    void rustImportAskedOnce() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString rust = dir.filePath(QStringLiteral("credentials.toml"));
        QFile f(rust);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[credentials]\ntoken = \"not-used\"\n");
        f.close();
        const chat::Profile p = profile(QStringLiteral("rust%1").arg(m_run));
        // A token "file" that cannot be read: the store says so, then loads nothing.
        QVERIFY(QDir().mkpath(chat::CredentialStore::tokenFilePath(p)));
        MainWindow::Options o;
        o.client.profile = p;
        o.client.insecureTokenFile = true;
        o.client.reconnect = fastReconnect();
        o.client.rustCredentialsPath = rust;
        o.offerRustImport = true;
        o.useTray = false;
        o.persistSettings = false;
        MainWindow w(o);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.startSession();
        QTRY_VERIFY(w.findChild<QMessageBox *>(QStringLiteral("rustImportQuestion")));
        QCoreApplication::processEvents(); // whatever the same turn still had queued
        const QList<QMessageBox *> asked =
            w.findChildren<QMessageBox *>(QStringLiteral("rustImportQuestion"));
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.first()->windowModality(), Qt::WindowModal);
        QCOMPARE(w.client()->state(), State::Offline); // waits for the answer
        asked.first()->button(QMessageBox::No)->click();
        QTRY_COMPARE_WITH_TIMEOUT(w.client()->state(), State::Online, kTimeout);
        QVERIFY(w.findChildren<QMessageBox *>(QStringLiteral("rustImportQuestion")).size() <= 1);
    }

    // Geometry and dock state are kept per profile; a place on a screen that is gone comes
    // back onto a visible one.
    void layoutPerProfileAndOnScreen() {
        MainWindow::Options o;
        o.client.profile = profile(QStringLiteral("layoutA%1").arg(m_run));
        o.client.insecureTokenFile = true;
        o.client.reconnect = fastReconnect();
        o.useTray = false;
        o.persistSettings = true;
        MainWindow w(o);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *dock = w.findChild<QDockWidget *>(QStringLiteral("usersDock"));
        QVERIFY(dock);
        const chat::Profile a = o.client.profile;
        const chat::Profile b = profile(QStringLiteral("layoutB%1").arg(m_run));
        w.resize(640, 480);
        dock->hide();
        QTRY_COMPARE(w.size(), QSize(640, 480));

        w.switchProfile(b);
        w.resize(700, 500);
        dock->show();
        QTRY_COMPARE(w.size(), QSize(700, 500));

        w.switchProfile(a);
        QTRY_COMPARE(w.size(), QSize(640, 480));
        QVERIFY(!dock->isVisibleTo(&w));

        w.switchProfile(b);
        QTRY_COMPARE(w.size(), QSize(700, 500));
        QVERIFY(dock->isVisibleTo(&w));

        // B's place was on a second screen, unplugged since.
        w.move(20000, 20000);
        QTRY_COMPARE(w.pos(), QPoint(20000, 20000));
        w.switchProfile(a);
        w.switchProfile(b);
        QTRY_VERIFY(QGuiApplication::screenAt(w.frameGeometry().center()) != nullptr);
        QVERIFY(w.size().width() <= w.screen()->availableGeometry().width());

        // Only a corner left on the screen (no title bar to grab): moved in as well.
        const QRect avail = w.screen()->availableGeometry();
        w.move(avail.right() - 10, avail.bottom() - 10);
        QTRY_COMPARE(w.pos(), QPoint(avail.right() - 10, avail.bottom() - 10));
        w.switchProfile(a);
        w.switchProfile(b);
        QTRY_VERIFY(avail.intersected(w.frameGeometry()).width() >= 100);
        QVERIFY(avail.intersected(w.frameGeometry()).height() >= 40);
        QSettings().remove(QStringLiteral("layout"));
    }

    // The Qt Quick client's window layout (desktop::WindowLayout): geometry and split state per
    // profile; a place on a screen that is gone comes back onto one that exists.
    void quickWindowLayoutPerProfile() {
        const QString a = QStringLiteral("quickLayoutA%1").arg(m_run);
        const QString b = QStringLiteral("quickLayoutB%1").arg(m_run);
        const QRect avail = QGuiApplication::primaryScreen()->availableGeometry();
        QWindow first;
        first.setGeometry(QRect(avail.topLeft() + QPoint(30, 40), QSize(500, 300)));
        desktop::WindowLayout::saveWindow(a, &first, QByteArrayLiteral("split-a"));
        first.setGeometry(QRect(QPoint(20000, 20000), QSize(400, 250))); // an unplugged screen
        desktop::WindowLayout::saveWindow(b, &first, QByteArrayLiteral("split-b"));

        QWindow again;
        QCOMPARE(desktop::WindowLayout::restoreWindow(a, &again), QByteArrayLiteral("split-a"));
        QCOMPARE(again.geometry(), QRect(avail.topLeft() + QPoint(30, 40), QSize(500, 300)));
        QCOMPARE(desktop::WindowLayout::restoreWindow(b, &again), QByteArrayLiteral("split-b"));
        QCOMPARE(again.geometry().size(), QSize(400, 250));
        QVERIFY(avail.contains(again.geometry()));
        QWindow fresh; // a profile never saved: left alone
        const QRect initial = fresh.geometry();
        QVERIFY(desktop::WindowLayout::restoreWindow(QStringLiteral("never%1").arg(m_run), &fresh)
                    .isEmpty());
        QCOMPARE(fresh.geometry(), initial);
        QSettings().remove(QStringLiteral("layout"));
    }

    void windowPlacementOnTheScreensThatExist() {
        const QRect left(0, 0, 1000, 800), right(1000, 0, 800, 600);
        using desktop::WindowLayout;
        // Enough of it on a screen: unchanged.
        QCOMPARE(WindowLayout::visiblePlacement(QRect(900, 10, 300, 200), {left, right}, left),
                 QRect(900, 10, 300, 200));
        // Only a corner visible: onto the screen it overlaps most, centred, fitted.
        QCOMPARE(WindowLayout::visiblePlacement(QRect(1790, 590, 300, 200), {left, right}, left),
                 QRect(QPoint(1250, 200), QSize(300, 200)));
        // On no screen: the fallback's, and a window bigger than it is fitted in.
        const QRect placed =
            WindowLayout::visiblePlacement(QRect(5000, 5000, 1200, 900), {left, right}, left);
        QCOMPARE(placed, left);
        // No screens known: left alone.
        QCOMPARE(WindowLayout::visiblePlacement(QRect(5, 5, 10, 10), {}, QRect()),
                 QRect(5, 5, 10, 10));
    }

    // Messages that came while the window was hidden are unread: counted in the title (the
    // tray shows the same number), marked by the "New messages" line; a restarted window
    // opens at that line, and the line moves once the newest message was seen for a moment.
    void unreadMarkerSurvivesRestartAndMoves() {
        stdb::ManualClock clock; // the read marker's delay only
        // The window outlives this function (cleanup()): its timer must not outlive the clock.
        const auto realClock = qScopeGuard([this] {
            if (m_window && client())
                client()->readMarker()->setClock(nullptr);
        });
        client()->readMarker()->setClock(&clock);
        fill(10);
        client()->readMarker()->markAllRead();
        QCOMPARE(m_window->unreadCount(), 0);
        m_window->hide();
        QStringList unread;
        for (int i = 0; i < 40; ++i) {
            unread << QStringLiteral("unread %1").arg(i);
            QVERIFY(m_other->sendMessage(unread.last()) != 0);
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_window->unreadCount(), 40, kTimeout);
        QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("(40)")));
        const int marked = client()->readMarker()->firstUnreadRow();
        QCOMPARE(client()->messages()->index(marked, 0).data(MessageModel::TextRole).toString(),
                 unread.first());

        // Restarted: the same profile, its read position from its settings.
        client()->readMarker()->setClock(nullptr);
        m_filterTester.reset();
        m_window.reset();
        m_window = makeWindow(mainProfile());
        client()->readMarker()->setClock(&clock);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->startSession();
        QTRY_COMPARE_WITH_TIMEOUT(client()->state(), State::Online, kTimeout);
        QCOMPARE(m_window->unreadCount(), 40);
        QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("(40)")));
        MessageView *view = m_window->messageView();
        const int row = rowWithText(viewModel(), unread.first());
        QVERIFY(viewModel()->index(row, 0).data(MessageModel::FirstUnreadRole).toBool());
        QCOMPARE(view->visualRect(viewModel()->index(row, 0)).top(), 0);
        QVERIFY(!view->isNewestVisible());

        // Attended, but the newest is not on screen: nothing moves.
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QVERIFY(client()->readMarker()->isAttended());
        clock.advance(chat::ReadMarker::kSeenDelay * 2);
        QCOMPARE(m_window->unreadCount(), 40);
        // At the bottom: read after the delay, the line gone.
        view->scrollToLatest();
        QVERIFY(client()->readMarker()->isNewestVisible());
        clock.advance(chat::ReadMarker::kSeenDelay);
        QCOMPARE(m_window->unreadCount(), 0);
        QVERIFY(!m_window->windowTitle().startsWith(QLatin1Char('(')));
        QVERIFY(!viewModel()->index(row, 0).data(MessageModel::FirstUnreadRole).toBool());
    }

    void findBarFilters() {
        fill(40);
        otherSays(QStringLiteral("one more from zoe"));
        typeAndSend(QStringLiteral("one of ours"));
        QTRY_VERIFY_WITH_TIMEOUT(rowWithText(viewModel(), QStringLiteral("one of ours")) >= 0,
                                 kTimeout);
        FindBar *find = m_window->findBar();
        QVERIFY(find->isHidden());
        m_window->activateWindow();
        QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(find->isVisible());
        const int all = viewModel()->rowCount();
        QTest::keyClicks(find->lineEdit(), QStringLiteral("FILLER 1"));
        // filler 1, filler 10..19
        QTRY_COMPARE(viewModel()->rowCount(), 11);
        for (int i = 0; i < viewModel()->rowCount(); ++i)
            QVERIFY(viewModel()
                        ->index(i, 0)
                        .data(MessageModel::TextRole)
                        .toString()
                        .startsWith(QStringLiteral("filler 1")));
        // The newest match is the current one; Enter steps to older ones, Shift+Enter back.
        MessageView *view = m_window->messageView();
        QTRY_COMPARE(view->currentIndex().row(), 10);
        QTest::keyClick(find->lineEdit(), Qt::Key_Return);
        QCOMPARE(view->currentIndex().row(), 9);
        QTest::keyClick(find->lineEdit(), Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClick(find->lineEdit(), Qt::Key_Return, Qt::ShiftModifier); // wraps around
        QCOMPARE(view->currentIndex().row(), 0);
        QCOMPARE(view->messageDelegate()->highlightText(), QStringLiteral("FILLER 1"));
        // Sender names match too.
        find->lineEdit()->setText(QStringLiteral("zoe"));
        QTRY_VERIFY(viewModel()->rowCount() > 40);
        QTRY_VERIFY(viewModel()->rowCount() < all);
        QTest::keyClick(find->lineEdit(), Qt::Key_Escape);
        QVERIFY(find->isHidden());
        QTRY_COMPARE(viewModel()->rowCount(), all);
    }

    void profileSwitch() {
        nameSelf(QStringLiteral("Alice"));
        otherSays(QStringLiteral("backlog for the second profile"));
        const QString firstIdentity = client()->identityHex();
        const int rows = client()->messages()->rowCount();
        m_window->hide();
        otherSays(QStringLiteral("unread when the profile changes"));
        QVERIFY(m_window->unreadCount() >= 1);
        m_notifier->shown.clear();
        QSignalSpy switched(m_window.get(), &MainWindow::profileSwitched);
        const QString second = QStringLiteral("second%1").arg(m_run);
        m_window->switchProfile(profile(second));
        QCOMPARE(switched.size(), 1);
        QCOMPARE(m_window->unreadCount(), 0); // a new session starts with nothing unread
        QCOMPARE(client()->profileName(), second);
        QTRY_COMPARE_WITH_TIMEOUT(client()->state(), State::Online, kTimeout);
        QTRY_VERIFY(!client()->identityHex().isEmpty());
        QVERIFY(client()->identityHex() != firstIdentity); // each profile has its own identity
        QTRY_VERIFY_WITH_TIMEOUT(client()->messages()->rowCount() > 0, kTimeout);
        QCOMPARE(viewModel()->rowCount(), client()->messages()->rowCount());
        QCOMPARE(m_notifier->shown.size(), 0); // the backlog is not notified
        QVERIFY(m_window->windowTitle().contains(second));

        // And back: the first profile's identity was kept (token file).
        m_window->switchProfile(mainProfile());
        QTRY_COMPARE_WITH_TIMEOUT(client()->state(), State::Online, kTimeout);
        QTRY_COMPARE(client()->identityHex(), firstIdentity);
        QTRY_COMPARE_WITH_TIMEOUT(client()->ownName(), QStringLiteral("Alice"), kTimeout);
        QVERIFY(client()->messages()->rowCount() >= rows - 50); // prepended history not refetched
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void offlinePendingDeliveredAfterHostRestart() {
        QTemporaryDir data;
        QVERIFY(data.isValid());
        const quint16 port = freePort();
        HostProcess host;
        const QString listen = QStringLiteral("127.0.0.1:%1").arg(port);
        QVERIFY2(host.startWith(listen, data.path()), qPrintable(host.errorString()));
        auto window = makeWindow(profile(QStringLiteral("offline%1").arg(m_run), port));
        window->setNotifier(new RecordingNotifier);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        window->startSession();
        ChatClient *c = window->client();
        QTRY_COMPARE_WITH_TIMEOUT(c->state(), State::Online, kTimeout);

        QVERIFY(host.stop());
        QTRY_VERIFY_WITH_TIMEOUT(
            c->state() == State::Reconnecting || c->state() == State::Connecting, kTimeout);
        QTRY_VERIFY(!window->connectionStatus()->reconnectButton()->isHidden());

        const QString text = QStringLiteral("written while offline");
        QPlainTextEdit *edit = window->messageInput()->editor();
        QTest::keyClicks(edit, text);
        QTest::keyClick(edit, Qt::Key_Return);
        int row = rowWithText(c->messages(), text);
        QVERIFY(row >= 0);
        QCOMPARE(c->messages()
                     ->index(row, 0)
                     .data(MessageModel::DeliveryStateRole)
                     .value<DeliveryState>(),
                 DeliveryState::Pending);
        QVERIFY(!MessageDelegate::deliveryText(c->messages()->index(row, 0)).isEmpty());

        QVERIFY2(host.startWith(listen, data.path()), qPrintable(host.errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(c->state(), State::Online, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(c->messages()
                                      ->index(rowWithText(c->messages(), text), 0)
                                      .data(MessageModel::DeliveryStateRole)
                                      .value<DeliveryState>(),
                                  DeliveryState::Sent, kTimeout);
        // Delivered once, shown once.
        int copies = 0;
        for (int i = 0; i < c->messages()->rowCount(); ++i)
            copies += c->messages()->index(i, 0).data(MessageModel::TextRole).toString() == text;
        QCOMPARE(copies, 1);
        QVERIFY(c->messages()
                    ->index(rowWithText(c->messages(), text), 0)
                    .data(MessageModel::IsOwnRole)
                    .toBool());
        window.reset();
        host.stop();
    }

    // A failed connection attempt shows the text of its kind in the banner: while the client
    // keeps trying (refused over https), and when it gave up (an untrusted certificate).
    void connectFailureBanner_data() {
        QTest::addColumn<bool>("certificate");
        QTest::newRow("refused, retrying") << false;
        QTest::newRow("untrusted certificate, given up") << true;
    }
    void connectFailureBanner() {
        QFETCH(bool, certificate);
        using K = stdb::ConnectFailure::Kind;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        FailureServer server;
        stdb::ConnectFailure expected;
        quint16 port = freePort();
        if (certificate) {
            QString cert, key;
            QVERIFY(TestCertificates::selfSigned(dir.path(), QStringLiteral("host"),
                                                 QStringLiteral("127.0.0.1"), true, &cert, &key));
            server.setTls(TestCertificates::loadCertificate(cert), TestCertificates::loadKey(key));
            QVERIFY(server.start(FailureServer::Behaviour::Respond));
            port = server.port();
            expected.kind = K::Certificate;
            expected.certificate = {stdb::ConnectFailure::CertificateProblem::SelfSigned};
            expected.certificateSubject = QStringLiteral("127.0.0.1");
        } else {
            expected.kind = K::ConnectionRefused;
        }
        const QString url = QStringLiteral("https://127.0.0.1:%1").arg(port);
        auto window = makeWindow(
            chat::Profile(url, QStringLiteral("quickstart-chat"), QStringLiteral("failing")));
        window->startSession();
        ChatClient *c = window->client();
        QTRY_COMPARE_WITH_TIMEOUT(c->connectFailure().kind, expected.kind, kTimeout);
        const auto options = stdb::DbConnectionBuilder()
                                 .withUri(url)
                                 .withDatabaseName(QStringLiteral("quickstart-chat"))
                                 .options();
        QVERIFY(options);
        const QString text = chat::ConnectProblem::describe(expected, *options);
        if (certificate) {
            QTRY_COMPARE_WITH_TIMEOUT(c->state(), State::Error, kTimeout);
            QTRY_COMPARE(window->bannerText(), text);
        } else {
            QTRY_COMPARE_WITH_TIMEOUT(c->state(), State::Reconnecting, kTimeout);
            QTRY_COMPARE(window->bannerText(),
                         QStringLiteral("%1 Trying again automatically.").arg(text));
            // Never connected: the status bar does not speak of a lost connection.
            QVERIFY(!c->wasOnline());
            QTRY_VERIFY(
                window->connectionStatus()->stateText() ==
                ConnectionStatus::describe(State::Reconnecting, c->reconnectSeconds(), false));
            QVERIFY(window->connectionStatus()->stateText() !=
                    ConnectionStatus::describe(State::Reconnecting, c->reconnectSeconds(), true));
        }
        QCOMPARE(c->lastError(), text);
        c->stop();
    }

#ifdef STDB_DESKTOP_HAVE_DBUS
    void notificationNamesTheInstalledDesktopEntry() {
        // The hint names the desktop file packaging installs (resources/<app id>.desktop), so
        // the notification server finds our name, icon and the user's settings for us.
        const QString before = QGuiApplication::desktopFileName();
        QGuiApplication::setDesktopFileName(MainWindow::desktopFileName()); // as main() does
        const QVariantMap hints = DBusNotifier::hints(
            Notification{1, QStringLiteral("Zoe"), QStringLiteral("hi"), false});
        QGuiApplication::setDesktopFileName(before);
        const QString entry = hints.value(QStringLiteral("desktop-entry")).toString();
        QCOMPARE(entry, MainWindow::desktopFileName());
        QFile desktop(
            QStringLiteral(QT_TESTCASE_SOURCEDIR "/../../resources/%1.desktop").arg(entry));
        QVERIFY2(desktop.open(QIODevice::ReadOnly), qPrintable(desktop.fileName()));
        const QList<QByteArray> lines = desktop.readAll().split('\n');
        QVERIFY(lines.contains("Icon=" + entry.toUtf8())); // the icon the notification shows
    }
#endif

    void manyRowsLayOutFromTheCache() {
        // 100k rows: heights come from the per-content cache, so the layout stays quick and
        // the cache stays small for repetitive content.
        MessageModel model;
        QList<chat::ChatMessage> many;
        const qint64 t0 = QDateTime(QDate::currentDate(), QTime(8, 0)).toMSecsSinceEpoch() * 1000;
        for (int i = 0; i < 100000; ++i)
            many.append({m_other->identity(), stdb::Timestamp::fromMicros(t0 + i * 1000),
                         QStringLiteral("row %1").arg(i % 50)});
        model.resetMessages(many);
        MessageView view;
        view.resize(600, 400);
        view.setModel(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_COMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
        QVERIFY(view.messageDelegate()->cachedHeights() < 1000);
        QVERIFY(view.indexAt(QPoint(5, view.viewport()->height() - 5)).row() > 99990);
    }
};

QTEST_MAIN(TestApp)
#include "tst_app.moc"
