// SPDX-License-Identifier: Apache-2.0
// QML tests of the Qt Quick front end: the real components from qrc:/qml, a real
// chat::ChatClient connected to a spacetime-chat-host started here ("chatClient"), and one
// pointed at a closed port ("deadClient", and over https "deadTlsClient") for the connection
// banner.
//
// With STDB_TEST_SERVER set (tests/devhost/support/hostprocess.h) "chatClient" talks to that
// server; the QML tests then see "runTag" (unique to this run, appended to what they send) and
// skip what needs a nearly empty database, with "externalSkipReason".
#include "hostprocess.h"
#include "quicksupport.h"

#include "chat/chatclient.h"
#include "chat/connectproblem.h"
#include "chat/messagemodel.h"
#include "chat/readmarker.h"
#include "chat/translations.h"
#include "chat/usermodel.h"
#include "desktop/messagenotifier.h"
#include "desktop/notifier.h"
#include "spacetime/connection/dbconnectionbuilder.h"
#include "spacetime/connection/manualclock.h"

#include <QDir>
#include <QFile>
#include <QQmlContext>
#include <QQmlEngine>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUuid>
#include <QtQuickTest>

// A message model of its own for the history tests of MessageList.qml: the test fills it,
// prepends older rows past its cap and says whether older history exists, and counts what the
// list asks the model for (fetchMore, reloadNewest). Its read marker (not kept, on a manual
// clock) is new with every fill.
class HistoryFixture : public QObject {
    Q_OBJECT
    Q_PROPERTY(chat::MessageModel *model READ model CONSTANT)
    Q_PROPERTY(chat::ReadMarker *readMarker READ readMarker NOTIFY readMarkerChanged)
    Q_PROPERTY(int fetchRequests MEMBER m_fetchRequests NOTIFY requestsChanged)
    Q_PROPERTY(int newestRequests MEMBER m_newestRequests NOTIFY requestsChanged)
public:
    explicit HistoryFixture(QObject *parent = nullptr)
        : QObject(parent)
        , m_model(new chat::MessageModel(this)) {
        connect(m_model, &chat::MessageModel::fetchMoreRequested, this, [this] {
            ++m_fetchRequests;
            emit requestsChanged();
        });
        connect(m_model, &chat::MessageModel::newestRequested, this, [this] {
            ++m_newestRequests;
            emit requestsChanged();
        });
    }
    chat::MessageModel *model() const { return m_model; }
    chat::ReadMarker *readMarker() const { return m_marker.get(); }

    // n messages a minute apart, ending now; at most n kept.
    Q_INVOKABLE void fill(int n) {
        m_marker = std::make_unique<chat::ReadMarker>(m_model, &m_clock);
        emit readMarkerChanged();
        m_model->setMaxMessages(n);
        m_base = stdb::Timestamp::now().micros();
        QList<chat::ChatMessage> list;
        for (int i = 0; i < n; ++i)
            list.append({sender(), stdb::Timestamp::fromMicros(m_base - qint64(n - i) * kMinute),
                         QStringLiteral("message %1").arg(i)});
        m_model->resetMessages(list);
        m_fetchRequests = m_newestRequests = 0;
        emit requestsChanged();
    }
    Q_INVOKABLE int prependOlder(int n) {
        const qint64 oldest = m_model->oldestSent() ? m_model->oldestSent()->micros() : m_base;
        QList<chat::ChatMessage> list;
        for (int i = 0; i < n; ++i)
            list.append({sender(), stdb::Timestamp::fromMicros(oldest - qint64(n - i) * kMinute),
                         QStringLiteral("older %1").arg(i)});
        return m_model->prependOlder(list);
    }
    // `read` messages already read, then `unread` new ones.
    Q_INVOKABLE void fillWithUnread(int read, int unread) {
        fill(read);
        m_model->setMaxMessages(read + unread);
        m_marker->startIfUnset(0); // `read` rows are loaded: the bound plays no part
        for (int i = 0; i < unread; ++i)
            add(QStringLiteral("unread %1").arg(i));
    }
    // The read marker's delay passes.
    Q_INVOKABLE void advanceSeenDelay() { m_clock.advance(chat::ReadMarker::kSeenDelay); }
    Q_INVOKABLE void setCanFetchOlder(bool can) { m_model->setCanFetchOlder(can); }
    // A message from the other user, newer than the rest; our name for mentionsMe.
    Q_INVOKABLE void add(const QString &text) {
        m_model->addMessages(QList<chat::ChatMessage>{
            {sender(), stdb::Timestamp::fromMicros(m_base + qint64(++m_added)), text}});
    }
    Q_INVOKABLE void setOwnName(const QString &name) { m_model->setOwnName(name); }

signals:
    void requestsChanged();
    void readMarkerChanged();

private:
    static constexpr qint64 kMinute = 60LL * 1000 * 1000;
    static stdb::Identity sender() { return stdb::Identity(stdb::U256::fromUInt64(7)); }
    chat::MessageModel *m_model;
    stdb::ManualClock m_clock;
    std::unique_ptr<chat::ReadMarker> m_marker; // before the clock goes
    qint64 m_base = 0;
    int m_added = 0;
    int m_fetchRequests = 0;
    int m_newestRequests = 0;
};

// Notifications of the Quick window: the shared desktop::MessageNotifier on the live client,
// with a backend that records what would be shown and can "click" it.
class NotifyFixture : public QObject {
    Q_OBJECT
    Q_PROPERTY(desktop::MessageNotifier *notifier READ notifier CONSTANT)
    Q_PROPERTY(int shownCount READ shownCount NOTIFY shownChanged)
    Q_PROPERTY(QString lastTitle READ lastTitle NOTIFY shownChanged)
    Q_PROPERTY(QString lastBody READ lastBody NOTIFY shownChanged)

    class Recording : public desktop::Notifier {
    public:
        using desktop::Notifier::Notifier;
        void notify(const desktop::Notification &n) override {
            shown.append(n);
            onShown();
        }
        QString backendName() const override { return QStringLiteral("recording"); }
        void click(quint64 id) { emit activated(id); }
        QList<desktop::Notification> shown;
        std::function<void()> onShown;
    };

public:
    explicit NotifyFixture(chat::ChatClient *client, QObject *parent = nullptr)
        : QObject(parent)
        , m_notifier(new desktop::MessageNotifier(this))
        , m_recording(new Recording) {
        m_recording->onShown = [this] { emit shownChanged(); };
        m_notifier->setBackend(m_recording); // parented to the notifier
        m_notifier->setClient(client);
    }
    desktop::MessageNotifier *notifier() const { return m_notifier; }
    int shownCount() const { return int(m_recording->shown.size()); }
    QString lastTitle() const {
        return m_recording->shown.isEmpty() ? QString() : m_recording->shown.constLast().title;
    }
    QString lastBody() const {
        return m_recording->shown.isEmpty() ? QString() : m_recording->shown.constLast().body;
    }
    // The user clicks the i-th notification shown.
    Q_INVOKABLE void click(int i) { m_recording->click(m_recording->shown.at(i).id); }

signals:
    void shownChanged();

private:
    desktop::MessageNotifier *m_notifier;
    Recording *m_recording;
};

// Switches the translations as a start under another LANG would (chat::Translations, the
// Quick client's main() calls it too) and has QML retranslate.
class LanguageFixture : public QObject {
    Q_OBJECT
public:
    LanguageFixture(QQmlEngine *engine, QObject *parent)
        : QObject(parent)
        , m_engine(engine) {}
    // A locale name ("de_DE"); empty for the one the test started with. Whether the app's
    // own catalogue was found.
    Q_INVOKABLE bool use(const QString &name) {
        QLocale::setDefault(name.isEmpty() ? m_initial : QLocale(name));
        const bool found = chat::Translations::install();
        m_engine->retranslate();
        return found;
    }

private:
    QQmlEngine *m_engine;
    QLocale m_initial;
};

class Setup : public QObject {
    Q_OBJECT
public:
    // Settings, state and data go to a directory of this run, never to the user's home (test
    // mode would use ~/.qttest, shared by every run).
    Setup() {
        if (!m_home.isValid())
            qFatal("cannot create a temporary directory: %s", qPrintable(m_home.errorString()));
        for (const char *var :
             {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"}) {
            const QString dir = m_home.filePath(QString::fromLatin1(var));
            QDir().mkpath(dir);
            qputenv(var, QFile::encodeName(dir));
        }
    }

public slots:
    void applicationAvailable() {
        if (!m_host.start())
            qFatal("cannot start the host: %s", qPrintable(m_host.errorString()));
    }

    void qmlEngineAvailable(QQmlEngine *engine) {
        quick::registerQuickTypes();
        chat::ChatClient::Options live;
        live.profile =
            chat::Profile(m_host.baseUrl(), HostProcess::database(), QStringLiteral("quicktest"));
        live.anonymous = true;
        live.outboxPath = QStringLiteral(":memory:");
        m_live = new chat::ChatClient(live, this);
        m_live->start();
        // Another user, whose messages the live client is notified about.
        chat::ChatClient::Options other = live;
        other.profile =
            chat::Profile(m_host.baseUrl(), HostProcess::database(), QStringLiteral("quickother"));
        m_other = new chat::ChatClient(other, this);
        m_other->start();
        engine->rootContext()->setContextProperty(QStringLiteral("otherClient"), m_other);
        engine->rootContext()->setContextProperty(QStringLiteral("notifyFixture"),
                                                  new NotifyFixture(m_live, this));
        engine->rootContext()->setContextProperty(QStringLiteral("language"),
                                                  new LanguageFixture(engine, this));

        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const quint16 closedPort = probe.serverPort();
        probe.close();
        chat::ChatClient::Options dead = live;
        dead.profile = chat::Profile(QStringLiteral("http://127.0.0.1:%1").arg(closedPort),
                                     QStringLiteral("quickstart-chat"), QStringLiteral("dead"));
        m_dead = new chat::ChatClient(dead, this);
        m_dead->start();
        // The same closed port over https: refused too, and said so (not a TLS problem).
        const QString tlsUrl = QStringLiteral("https://127.0.0.1:%1").arg(closedPort);
        chat::ChatClient::Options deadTls = live;
        deadTls.profile =
            chat::Profile(tlsUrl, QStringLiteral("quickstart-chat"), QStringLiteral("deadtls"));
        m_deadTls = new chat::ChatClient(deadTls, this);
        m_deadTls->start();
        stdb::ConnectFailure refused;
        refused.kind = stdb::ConnectFailure::Kind::ConnectionRefused;
        const auto tlsOptions = stdb::DbConnectionBuilder()
                                    .withUri(tlsUrl)
                                    .withDatabaseName(QStringLiteral("quickstart-chat"))
                                    .options();
        engine->rootContext()->setContextProperty(
            QStringLiteral("refusedTlsText"),
            tlsOptions ? chat::ConnectProblem::describe(refused, *tlsOptions) : QString());

        engine->rootContext()->setContextProperty(QStringLiteral("chatClient"), m_live);
        const bool external = HostProcess::usesExternalServer();
        engine->rootContext()->setContextProperty(
            QStringLiteral("runTag"),
            external ? QUuid::createUuid().toString(QUuid::Id128).left(10) : QString());
        engine->rootContext()->setContextProperty(
            QStringLiteral("externalSkipReason"),
            external ? QString::fromUtf8(HostProcess::externalSkipReason(
                           "finds itself among the delegates of a short user list"))
                     : QString());
        engine->rootContext()->setContextProperty(QStringLiteral("historyFixture"),
                                                  new HistoryFixture(this));
        // Users to complete names from with Tab (MessageInput.qml), we being the first.
        auto *users = new chat::UserModel(this);
        auto user = [](quint64 n) { return stdb::Identity(stdb::U256::fromUInt64(n)); };
        users->setSelf(user(1));
        users->resetUsers({{user(1), QStringLiteral("Bobcat"), true},
                           {user(2), QStringLiteral("bob"), true},
                           {user(3), QStringLiteral("Boris"), false},
                           {user(4), QStringLiteral("Élodie"), true}});
        engine->rootContext()->setContextProperty(QStringLiteral("completionUsers"), users);
        engine->rootContext()->setContextProperty(QStringLiteral("deadClient"), m_dead);
        engine->rootContext()->setContextProperty(QStringLiteral("deadTlsClient"), m_deadTls);
    }

    void cleanupTestCase() {
        if (m_live)
            m_live->stop();
        if (m_other)
            m_other->stop();
        if (m_dead)
            m_dead->stop();
        if (m_deadTls)
            m_deadTls->stop();
        m_host.stop();
    }

private:
    QTemporaryDir m_home;
    HostProcess m_host;
    chat::ChatClient *m_live = nullptr;
    chat::ChatClient *m_other = nullptr;
    chat::ChatClient *m_dead = nullptr;
    chat::ChatClient *m_deadTls = nullptr;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_quick, Setup)

#include "tst_quick.moc"
