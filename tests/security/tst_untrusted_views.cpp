// SPDX-License-Identifier: Apache-2.0
// Hostile names and messages through the real spacetime-chat-host into every front end.
// "Mallory" uses the host's HTTP API (POST /v1/identity, /call/set_name, /call/send_message),
// so her name and texts are exactly what a hostile user or server can put into the tables:
// markup, a 100 000-character line, bidi overrides and a stray pop-isolate, zero-width
// characters, ESC sequences, C1 controls, NUL, a line break that forges another sender's line.
//
// The chat models hand the text over verbatim; the desktop app, the console client on a
// terminal and the Qt Quick window show it without interpreting it.

#include "hostiletext.h"

#include "desktop/notifier.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messageinput.h"
#include "messageview.h"
#include "quicksupport.h"
#include "renamedialog.h"
#include "trayicon.h"
#ifdef STDB_DESKTOP_HAVE_DBUS
#include "desktop/dbusnotifier.h"
#endif

#include "hostprocess.h"
#include "httpclient.h"

#include "chat/chatclient.h"
#include "chat/messagemodel.h"
#include "chat/untrustedtext.h"
#include "chat/usermodel.h"

#include <QApplication>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QTextLayout>

#include <poll.h>
#include <pty.h>
#include <unistd.h>

using desktop::Notification;
using desktop::Notifier;
#ifdef STDB_DESKTOP_HAVE_DBUS
using desktop::DBusNotifier;
#endif
using chat::ChatClient;
using chat::MessageModel;
using chat::UntrustedText;
using chat::UserModel;
using State = chat::ChatClient::State;

namespace {
constexpr int kTimeout = 15000;

QString mallorysName() {
    return QStringLiteral("<b>Mallory</b>") + hostile::rlo() + QStringLiteral("lam\x1b[2J");
}

// Markers by which the test recognises network text wherever it appears.
const QStringList &markers() {
    static const QStringList m{
        QStringLiteral("<b>bold</b>"),         QStringLiteral("<b>Mallory</b>"),
        QStringLiteral("javascript:alert"),    QStringLiteral("font-size:90pt"),
        QStringLiteral("&lt;escaped&gt;"),     QStringLiteral("gnp.exe"),
        QStringLiteral("file:///etc/hostname")};
    return m;
}
bool hasMarker(const QString &text) {
    for (const QString &m : markers())
        if (text.contains(m))
            return true;
    return false;
}

int rowWithText(const QAbstractItemModel *m, const QString &text) {
    for (int i = m->rowCount() - 1; i >= 0; --i)
        if (m->index(i, 0).data(MessageModel::TextRole).toString() == text)
            return i;
    return -1;
}

QString renderedHtml(const QString &html) {
    QTextDocument doc;
    doc.setHtml(html);
    return doc.toPlainText();
}

class RecordingNotifier : public Notifier {
public:
    using Notifier::Notifier;
    void notify(const Notification &n) override { shown.append(n); }
    QString backendName() const override { return QStringLiteral("recording"); }
    QList<Notification> shown;
};

// Mallory's bytes on a terminal or pipe: every control or bidi control that got through.
QStringList rawControls(const QString &text) {
    QStringList found;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool control = (u < 0x20 && u != u'\n' && u != u'\t') || u == 0x7f ||
                             (u >= 0x80 && u < 0xa0) || UntrustedText::isBidiControl(u);
        if (control)
            found << QStringLiteral("U+%1").arg(uint(u), 4, 16, QLatin1Char('0'));
    }
    return found;
}
} // namespace

class TestUntrustedViews : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;
    HostProcess m_host;
    HttpClient m_http;
    QString m_malloryToken;
    QString m_malloryHex;
    QStringList m_sent; // Mallory's messages, in order

    bool call(const QString &reducer, const QJsonArray &args) {
        const HttpReply r =
            m_http.post(m_host.http(QStringLiteral("/v1/database/quickstart-chat/call/") + reducer),
                        QJsonDocument(args).toJson(QJsonDocument::Compact),
                        {{"Content-Type", "application/json"}, bearer(m_malloryToken)});
        if (r.status != 200)
            qWarning() << reducer << r.status << r.body << r.error;
        return r.status == 200;
    }

    bool mallorySays(const QString &text) {
        m_sent << text;
        return call(QStringLiteral("send_message"), QJsonArray{text});
    }

    ChatClient::Options clientOptions(const QString &name) const {
        ChatClient::Options o;
        o.profile = chat::Profile(QStringLiteral("http://127.0.0.1:%1").arg(m_host.port()),
                                  QStringLiteral("quickstart-chat"), name);
        o.anonymous = true;
        o.outboxPath = QStringLiteral(":memory:");
        return o;
    }

    // Runs the console client until the end of its (empty) input with standard output and
    // error on a pseudo terminal (tty = true) or a pipe, and returns what it wrote.
    QString runConsoleClient(bool tty) {
        int master = -1, slave = -1;
        if (tty) {
            if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0)
                return QStringLiteral("openpty failed");
            struct termios tio;
            ::tcgetattr(slave, &tio);
            ::cfmakeraw(&tio); // the bytes as the program wrote them (no \n -> \r\n)
            ::tcsetattr(slave, TCSANOW, &tio);
        }
        QProcess cli;
        cli.setProgram(QStringLiteral(CLI_EXECUTABLE));
        cli.setArguments({QStringLiteral("--server"),
                          QStringLiteral("http://127.0.0.1:%1").arg(m_host.port()),
                          QStringLiteral("--anonymous")});
        if (tty)
            cli.setChildProcessModifier([slave, master] {
                ::dup2(slave, 1);
                ::dup2(slave, 2);
                ::close(master);
            });
        else
            cli.setProcessChannelMode(QProcess::MergedChannels);
        cli.start();
        cli.closeWriteChannel();
        if (tty)
            ::close(slave);
        QByteArray bytes;
        QDeadlineTimer deadline(60000);
        while (!deadline.hasExpired()) {
            if (tty) {
                pollfd p{master, POLLIN, 0};
                if (::poll(&p, 1, 20) > 0) {
                    char buf[65536];
                    const ssize_t n = ::read(master, buf, sizeof buf);
                    if (n > 0) {
                        bytes.append(buf, n);
                        continue;
                    }
                    if (cli.state() == QProcess::NotRunning)
                        break; // EIO: the terminal's other side is closed
                }
            }
            cli.waitForFinished(20);
            if (!tty)
                bytes += cli.readAll();
            if (cli.state() == QProcess::NotRunning && !tty)
                break;
        }
        if (tty)
            ::close(master);
        if (cli.state() != QProcess::NotRunning)
            cli.kill();
        if (cli.exitCode() != 0)
            qWarning() << "console client exit code" << cli.exitCode();
        return QString::fromUtf8(bytes);
    }

private slots:
    void initTestCase() {
        // No QStandardPaths test mode: it would put profiles (and token files) under
        // ~/.qttest, shared by every run, so a later run whose host got the same port read an
        // earlier host's token and was refused (401). The XDG directories below are this run's.
        QVERIFY(m_home.isValid());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("spacetime-chat-security-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("spacetime-chat-security-tests"));
        QVERIFY2(m_host.start(QStringLiteral(":memory:"), {QStringLiteral("--test-controls")}),
                 qPrintable(m_host.errorString()));

        const HttpReply id = m_http.post(m_host.http(QStringLiteral("/v1/identity")));
        QCOMPARE(id.status, 200);
        const QJsonObject json = QJsonDocument::fromJson(id.body).object();
        m_malloryToken = json.value(QStringLiteral("token")).toString();
        m_malloryHex = json.value(QStringLiteral("identity")).toString();
        QVERIFY(!m_malloryToken.isEmpty());
        QVERIFY(call(QStringLiteral("set_name"), QJsonArray{mallorysName()}));
        // The long and odd ones first; the markup last, so a view scrolled to the end shows it.
        for (const QString &text :
             {hostile::longLine(), hostile::controls(), hostile::forgedLine(), hostile::zeroWidth(),
              hostile::bidiEscape(), hostile::bidiOverride()})
            QVERIFY(mallorySays(text));
        for (const QString &text : hostile::markup())
            QVERIFY(mallorySays(text));
    }

    void cleanupTestCase() { QVERIFY(m_host.stop()); }

    // ---- the chat layer: verbatim data, no markup-guessing roles -----------------------

    void modelsHandOverTheExactText() {
        ChatClient client(clientOptions(QStringLiteral("models")));
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Online, kTimeout);
        const MessageModel *messages = client.messages();
        for (const QString &text : std::as_const(m_sent)) {
            const int row = rowWithText(messages, text);
            QVERIFY2(row >= 0, qPrintable(text.left(40)));
            const QModelIndex index = messages->index(row, 0);
            QCOMPARE(index.data(Qt::DisplayRole).toString(), text);
            QCOMPARE(index.data(MessageModel::SenderNameRole).toString(), mallorysName());
            QCOMPARE(index.data(MessageModel::SenderIdentityRole).toString(), m_malloryHex);
            // No role that a generic view would show as a (rich-text guessing) tooltip.
            QVERIFY(!index.data(Qt::ToolTipRole).isValid());
        }
        const UserModel *users = client.users();
        bool found = false;
        for (int row = 0; row < users->rowCount(); ++row) {
            const QModelIndex index = users->index(row, 0);
            if (index.data(UserModel::IdentityRole).toString() != m_malloryHex)
                continue;
            found = true;
            QCOMPARE(index.data(UserModel::DisplayNameRole).toString(), mallorysName());
            QCOMPARE(index.data(Qt::DisplayRole).toString(), mallorysName());
            // The tooltip role is the identity, never the name.
            QCOMPARE(index.data(Qt::ToolTipRole).toString(), m_malloryHex);
        }
        QVERIFY(found);
        client.stop();
    }

    // ---- the desktop app -------------------------------------------------------------------

    void desktopApp() {
        MainWindow::Options o;
        o.client = clientOptions(QStringLiteral("victim"));
        o.client.anonymous = false;
        o.client.insecureTokenFile = true;
        o.useTray = false;
        o.persistSettings = false;
        MainWindow window(o);
        auto *notifier = new RecordingNotifier;
        window.setNotifier(notifier);
        window.resize(900, 700);
        window.startSession();
        ChatClient *client = window.client();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), State::Online, kTimeout);
        QSignalSpy named(client, &ChatClient::nameChanged);
        QVERIFY(client->setName(QStringLiteral("victim")));
        QVERIFY(named.wait(kTimeout));

        // Every hostile row: the delegate's text is the text (line breaks as U+2028), and
        // painting it finishes.
        const QAbstractItemModel *model = window.messageView()->model();
        auto *delegate = qobject_cast<MessageDelegate *>(window.messageView()->itemDelegate());
        QVERIFY(delegate);
        for (const QString &text : std::as_const(m_sent)) {
            const int row = rowWithText(model, text);
            QVERIFY(row >= 0);
            const QModelIndex index = model->index(row, 0);
            QString expected = text;
            expected.replace(QLatin1Char('\n'), QChar::LineSeparator);
            QCOMPARE(MessageDelegate::displayText(index), expected);
            QStyleOptionViewItem option;
            option.initFrom(window.messageView()->viewport());
            option.rect = QRect(QPoint(0, 0), delegate->sizeHint(option, index));
            QImage image(option.rect.size().boundedTo(QSize(2000, 8000)), QImage::Format_RGB32);
            QPainter painter(&image);
            delegate->paint(&painter, option, index);
        }

        // Live messages while the window is not in front: notifications.
        window.hide();
        const QString mention =
            QStringLiteral("<img src=x> victim ") + hostile::rlo() + QStringLiteral("!");
        QVERIFY(mallorySays(mention));
        QVERIFY(mallorySays(hostile::controls()));
        QVERIFY(mallorySays(hostile::longLine()));
        QTRY_COMPARE_WITH_TIMEOUT(notifier->shown.size(), 3, kTimeout);
        const Notification &m = notifier->shown[0];
        QVERIFY(m.mention);
        QCOMPARE(m.title,
                 QStringLiteral("%1 mentioned you").arg(UntrustedText::isolate(mallorysName())));
        QVERIFY(hostile::drawnInOrder(m.title, QStringLiteral("mentioned"), QStringLiteral("you")));
        for (const Notification &n : std::as_const(notifier->shown)) {
            QVERIFY(n.body.size() <= Notifier::kMaxBody);
            // One line without control characters. (Bidi controls may stay: the body is a
            // paragraph of its own, the sender is in the title.)
            for (const QChar c : n.body)
                QVERIFY2(c.unicode() >= 0x20 && (c.unicode() < 0x7f || c.unicode() >= 0xa0),
                         qPrintable(QString::number(c.unicode(), 16)));
#ifdef STDB_DESKTOP_HAVE_DBUS
            // What a freedesktop server renders from the body we send is the body.
            QCOMPARE(renderedHtml(DBusNotifier::escapeBody(n.body)), n.body);
#endif
        }
        QCOMPARE(notifier->shown[1].title, mallorysName()); // a title alone, plain by the spec
        QVERIFY(notifier->shown[1].body.contains(QStringLiteral("red")));
        window.show();

        // Our own name, set to something hostile, in the title and the status bar.
        const QString ownName =
            QStringLiteral("<b>Eve</b>") + hostile::rlo() + QStringLiteral("xe");
        QVERIFY(client->setName(ownName));
        QVERIFY(named.wait(kTimeout));
        QVERIFY(window.windowTitle().contains(UntrustedText::isolate(ownName)));
        QVERIFY2(hostile::drawnInOrder(window.windowTitle(), QStringLiteral("quickstart-chat"),
                                       QStringLiteral("Spacetime Chat")),
                 qPrintable(window.windowTitle()));
        QCOMPARE(window.statusBar()->currentMessage(),
                 QStringLiteral("You are now known as %1").arg(UntrustedText::isolate(ownName)));
        // The rename dialog shows it in a line edit, as text.
        RenameDialog *dialog = window.openRenameDialog();
        QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->text(), ownName);
        dialog->reject();

        // A server's close reason with markup reaches the status bar.
        const QString reason =
            QStringLiteral("<b>closed</b>") + hostile::rlo() + QStringLiteral("by host");
        const HttpReply r =
            m_http.post(m_host.http(QStringLiteral("/_test/close?code=4000&reason=") +
                                    QString::fromLatin1(QUrl::toPercentEncoding(reason))));
        QCOMPARE(r.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(
            window.statusBar()->currentMessage().contains(QStringLiteral("<b>closed</b>")),
            kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), State::Online, kTimeout);
    }

    // QStatusBar and the tray tooltip carry no markup: the status bar draws its message as
    // plain text, the tray's tooltip holds only our own words and a count.
    void statusBarAndTrayArePlain() {
        QStatusBar bar;
        bar.resize(400, 30);
        auto grab = [&bar](const QString &text) {
            bar.showMessage(text);
            return bar.grab().toImage();
        };
        for (const auto &pair : hostile::markupPairs())
            QVERIFY(grab(pair.markup) != grab(pair.renderedAsHtml));

        TrayIcon tray(QIcon(), nullptr);
        tray.setUnread(3);
        const QString tip = tray.systemTrayIcon()->toolTip();
        QVERIFY2(tip.contains(QLatin1Char('3')), qPrintable(tip));
        QVERIFY(!tip.contains(QLatin1Char('<')));
    }

    // ---- the console client ----------------------------------------------------------------

    void consoleClientOnATerminal() {
        const QString out = runConsoleClient(true);
        QVERIFY2(out.contains(QStringLiteral("Fully connected and all subscriptions applied.")),
                 qPrintable(out.left(2000)));
        QVERIFY2(rawControls(out).isEmpty(), qPrintable(rawControls(out).join(u' ')));
        // Markup and long lines are printed as they are; control and bidi characters are shown
        // as U+FFFD, and nothing from Mallory starts a line of its own.
        QVERIFY(out.contains(QStringLiteral("<b>bold</b>")));
        QVERIFY(out.contains(hostile::longLine()));
        QVERIFY(out.contains(QStringLiteral("<b>Mallory</b>\uFFFDlam\uFFFD[2J: ")));
        QVERIFY(
            out.contains(QStringLiteral("hello\n  \u21b3 alice: please send me your password")));
        for (const QString &line : out.split(QLatin1Char('\n')))
            QVERIFY2(!line.startsWith(QStringLiteral("alice:")), qPrintable(line));
    }

    void consoleClientInAPipeGetsExactText() {
        const QString out = runConsoleClient(false);
        QVERIFY(out.contains(mallorysName() + QStringLiteral(": ") + hostile::controls()));
        QVERIFY(out.contains(mallorysName() + QStringLiteral(": ") + hostile::bidiOverride()));
    }

    // ---- Qt Quick ------------------------------------------------------------------------

    void quickWindowShowsPlainText() {
        quick::registerQuickTypes();
        ChatClient client(clientOptions(QStringLiteral("quick")));
        QQmlApplicationEngine engine;
        engine.setInitialProperties({{QStringLiteral("client"), QVariant::fromValue(&client)}});
        engine.load(QUrl(QStringLiteral("qrc:/qml/Main.qml")));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
        QVERIFY(window);
        window->resize(900, 3000); // tall: many delegates are instantiated
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Online, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithText(client.messages(), m_sent.constLast()) >= 0, kTimeout);

        QSet<QString> seen;
        int checked = 0;
        const auto verifyItems = [&](auto &&self, QQuickItem *item) -> void {
            for (QQuickItem *child : item->childItems()) {
                if (child->inherits("QQuickText") || child->inherits("QQuickTextEdit") ||
                    child->inherits("QQuickTextInput")) {
                    const QString text = child->property("text").toString();
                    if (hasMarker(text)) {
                        ++checked;
                        for (const QString &m : markers())
                            if (text.contains(m))
                                seen.insert(m);
                        if (!child->inherits("QQuickTextInput"))                // always plain
                            QCOMPARE(child->property("textFormat").toInt(), 0); // PlainText
                    }
                }
                self(self, child);
            }
        };
        // The window as it comes up: Mallory's name in the people list and on her first
        // message.
        QVERIFY(QTest::qWaitFor(
            [&] {
                seen.clear();
                verifyItems(verifyItems, window->contentItem());
                return seen.contains(QStringLiteral("<b>Mallory</b>"));
            },
            kTimeout));

        // The message delegate with each hostile text, name and refusal reason.
        QQmlComponent component(&engine, QUrl(QStringLiteral("qrc:/qml/MessageDelegate.qml")));
        QVERIFY2(component.isReady(), qPrintable(component.errorString()));
        const auto delegate = [&](const QString &name, const QString &text, int state,
                                  const QString &error) {
            QObject *object = component.createWithInitialProperties(
                {{QStringLiteral("senderName"), name},
                 {QStringLiteral("senderIdentity"), m_malloryHex},
                 {QStringLiteral("text"), text},
                 {QStringLiteral("sent"), QDateTime::currentDateTime()},
                 {QStringLiteral("isOwn"), state != 0},
                 {QStringLiteral("deliveryState"), state},
                 {QStringLiteral("firstOfGroup"), true},
                 {QStringLiteral("localId"), state != 0 ? 7 : 0},
                 {QStringLiteral("error"), error},
                 {QStringLiteral("mentionsMe"), false},
                 {QStringLiteral("messageId"), QStringLiteral("local:7")},
                 {QStringLiteral("expanded"), false},
                 {QStringLiteral("firstUnread"), false}});
            auto *item = qobject_cast<QQuickItem *>(object);
            if (item) {
                item->setParentItem(window->contentItem());
                item->setWidth(600);
            }
            return std::unique_ptr<QQuickItem>(item);
        };
        const auto textOf = [](QQuickItem *root, const char *name) -> QQuickItem * {
            return root->findChild<QQuickItem *>(QString::fromLatin1(name));
        };
        for (const QString &text : hostile::all()) {
            auto item = delegate(mallorysName(), text, 0, {});
            QVERIFY(item);
            QQuickItem *body = textOf(item.get(), "messageText");
            QQuickItem *sender = textOf(item.get(), "senderLabel");
            QVERIFY(body && sender);
            QCOMPARE(body->property("text").toString(), text);
            QCOMPARE(body->property("textFormat").toInt(), 0);
            QCOMPARE(sender->property("text").toString(), mallorysName());
            QCOMPARE(sender->property("textFormat").toInt(), 0);
        }
        // As rich text, the markup and its rendering would be equally wide; shown literally
        // they are not.
        for (const auto &pair : hostile::markupPairs()) {
            auto markup = delegate(pair.markup, pair.markup, 0, {});
            auto plain = delegate(pair.renderedAsHtml, pair.renderedAsHtml, 0, {});
            QVERIFY(textOf(markup.get(), "messageText")->implicitWidth() !=
                    textOf(plain.get(), "messageText")->implicitWidth());
            QVERIFY(textOf(markup.get(), "senderLabel")->implicitWidth() !=
                    textOf(plain.get(), "senderLabel")->implicitWidth());
        }
        // A refused message: the server's reason, isolated, in a plain label.
        const QString reason = QStringLiteral("<b>no</b>") + hostile::rlo() + QStringLiteral("x");
        auto failed = delegate(QStringLiteral("me"), QStringLiteral("hi"), 3 /* Failed */, reason);
        QQuickItem *delivery = textOf(failed.get(), "deliveryLabel");
        QVERIFY(delivery);
        QCOMPARE(delivery->property("textFormat").toInt(), 0);
        QVERIFY(delivery->property("text").toString().contains(UntrustedText::isolate(reason)));
        qInfo() << "QML text items with network text:" << checked << seen.values();
        client.stop();
    }

    // Every Text/Label/TextEdit/TextArea in qml/ that is bound to something other than our own
    // translated words says textFormat PlainText; tooltips (AutoText) only ever get our words,
    // identities and dates (the user model's presenceText is the chat layer's words and a time).
    void qmlSourcesDeclarePlainText() {
        QDirIterator it(QStringLiteral(STDB_SOURCE_DIR "/qml"), {QStringLiteral("*.qml")},
                        QDir::Files);
        static const QRegularExpression element(
            QStringLiteral("\\b(Text|Label|TextEdit|TextArea)\\s*\\{"));
        static const QRegularExpression ownText(
            QStringLiteral("^\\s*text:\\s*(qsTr\\(\"[^\"]*\"\\)|\"[^\"]*\")\\s*$"));
        static const QRegularExpression tooltip(QStringLiteral("ToolTip\\.text:\\s*(.+)$"));
        int elements = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QString qml = QString::fromUtf8(f.readAll());
            auto m = element.globalMatch(qml);
            while (m.hasNext()) {
                const auto match = m.next();
                // The element's own block (up to the matching brace).
                qsizetype depth = 0, end = match.capturedEnd() - 1;
                for (; end < qml.size(); ++end) {
                    if (qml.at(end) == u'{')
                        ++depth;
                    else if (qml.at(end) == u'}' && --depth == 0)
                        break;
                }
                const QString block = qml.mid(match.capturedEnd(), end - match.capturedEnd());
                const QStringList lines = block.split(u'\n');
                bool bound = false;
                for (const QString &line : lines)
                    if (line.trimmed().startsWith(QLatin1String("text:")) &&
                        !ownText.match(line).hasMatch())
                        bound = true;
                if (!bound)
                    continue;
                ++elements;
                QVERIFY2(block.contains(QLatin1String("textFormat: Text.PlainText")) ||
                             block.contains(QLatin1String("textFormat: TextEdit.PlainText")),
                         qPrintable(f.fileName() + QStringLiteral(": ") + block.left(200)));
            }
            for (const QString &line : qml.split(u'\n')) {
                const auto t = tooltip.match(line);
                if (!t.hasMatch())
                    continue;
                const QString expr = t.captured(1).trimmed();
                static const QRegularExpression allowed(
                    QStringLiteral("^(qsTr\\(\"[^\"]*\"\\)(\\.arg\\([\\w.]*presenceText\\))?"
                                   "(\\.arg\\([\\w.]*identity\\))?|[\\w.]*[iI]dentity|"
                                   "ChatUi\\.dateTimeText\\([\\w.]*\\))$"));
                QVERIFY2(allowed.match(expr).hasMatch(),
                         qPrintable(f.fileName() + QStringLiteral(": ToolTip.text: ") + expr));
            }
        }
        QVERIFY(elements >= 8);
    }
};

QTEST_MAIN(TestUntrustedViews)

#include "tst_untrusted_views.moc"
