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
#include "chat/usermodel.h"
#include "spacetime/connection/dbconnectionbuilder.h"
#include "spacetime/connection/manualclock.h"

#include <QQmlContext>
#include <QQmlEngine>
#include <QStandardPaths>
#include <QTcpServer>
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
        m_marker->startIfUnset();
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

class Setup : public QObject {
    Q_OBJECT
public:
    Setup() { QStandardPaths::setTestModeEnabled(true); }

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
        if (m_dead)
            m_dead->stop();
        if (m_deadTls)
            m_deadTls->stop();
        m_host.stop();
    }

private:
    HostProcess m_host;
    chat::ChatClient *m_live = nullptr;
    chat::ChatClient *m_dead = nullptr;
    chat::ChatClient *m_deadTls = nullptr;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_quick, Setup)

#include "tst_quick.moc"
