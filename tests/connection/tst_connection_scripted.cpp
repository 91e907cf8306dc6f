// SPDX-License-Identifier: Apache-2.0
// DbConnection against a scripted WebSocket peer over loopback: exact message sequences,
// including ones a well-behaved host never produces (contradictions, post-apply subscription
// errors, malformed frames), and the exact order of every signal and callback.

#include "chattables.h"
#include "eventlog.h"
#include "scriptedserver.h"

#include "spacetime/bsatn/bsatnwriter.h"
#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/manualclock.h"
#include "spacetime/protocol/messagecodec.h"

#include <QCryptographicHash>
#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

#include <atomic>

using namespace stdb;
using namespace std::chrono_literals;
namespace P = stdb::protocol;

namespace {

Identity ident(int n) {
    return Identity::fromHex(QStringLiteral("c200%1").arg(n, 60, 10, QLatin1Char('0')));
}
UserRow user(int n, const QString &name = {}, bool online = true) {
    return {ident(n), name.isEmpty() ? std::nullopt : std::optional<QString>(name), online};
}
QByteArray u(int n, const QString &name = {}, bool online = true) {
    return encodeUser(user(n, name, online));
}
QByteArray msg(const QString &text, int sender = 1, qint64 t = 0) {
    return encodeMessage({ident(sender), Timestamp::fromMicros(1700000000000000 + t), text});
}
P::InitialConnection hello(int who = 1, const QString &token = QStringLiteral("minted.token")) {
    return {ident(who), ConnectionId::fromHex(QStringLiteral("0123456789abcdef0123456789abcdef")),
            token};
}

// "user+ c2000000/ann/on SubscribeApplied" and the like, as EventLog writes them.
QString userEntry(const QString &what, int n, const QString &name, bool online,
                  const QString &ctx) {
    return QStringLiteral("%1 %2 %3").arg(what, EventLog::userText(user(n, name, online)), ctx);
}

// One TransactionUpdate holding the query sets of several single-set ones: a transaction
// several of a client's query sets see.
P::TransactionUpdate merged(const QList<P::TransactionUpdate> &parts) {
    P::TransactionUpdate out;
    for (const P::TransactionUpdate &p : parts)
        out.querySets += p.querySets;
    return out;
}

struct Client {
    std::unique_ptr<DbConnection> conn;
    UserTable *users = nullptr;
    MessageTable *messages = nullptr;
    std::unique_ptr<EventLog> log;
};

Client makeClient(const QString &uri, const std::function<void(DbConnectionBuilder &)> &tune = {}) {
    DbConnectionBuilder b;
    b.withUri(uri).withDatabaseName(QStringLiteral("quickstart-chat"));
    b.withCompression(Compression::None);
    if (tune)
        tune(b);
    auto c = b.build();
    Client out;
    if (!c) {
        qWarning() << c.error().message();
        return out;
    }
    out.conn.reset(*c);
    out.users = new UserTable(out.conn.get());
    out.messages = new MessageTable(out.conn.get());
    out.log = std::make_unique<EventLog>(out.conn.get(), out.users, out.messages);
    return out;
}

ReconnectPolicy fastReconnect() {
    ReconnectPolicy p = ReconnectPolicy::standard();
    p.initialDelay = 50ms;
    p.maxDelay = 200ms;
    p.jitter = 0;
    return p;
}

// A minimal WebSocket server written by hand: completes the upgrade and sends InitialConnection
// in the same write, then never answers anything (not even pings), like a dead peer behind a live
// TCP connection.
class SilentServer : public QObject {
public:
    SilentServer() {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *s = m_server.nextPendingConnection();
            s->setParent(this);
            connect(s, &QTcpSocket::readyRead, this, [this, s] { onRead(s); });
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    QByteArray afterHandshake; // what the client sent after its upgrade request

private:
    void onRead(QTcpSocket *s) {
        if (m_done) {
            afterHandshake += s->readAll();
            return;
        }
        m_buf += s->readAll();
        const qsizetype end = m_buf.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        QByteArray key;
        for (const QByteArray &line : m_buf.left(end).split('\n'))
            if (line.toLower().startsWith("sec-websocket-key:"))
                key = line.mid(18).trimmed();
        const QByteArray accept =
            QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                     QCryptographicHash::Sha1)
                .toBase64();
        const QByteArray payload =
            P::encodeServerFrame(P::encodeServerMessage(hello()), Compression::None);
        QByteArray frame;
        frame.append(char(0x82)); // FIN + binary, unmasked, short length
        Q_ASSERT(payload.size() < 126);
        frame.append(char(payload.size()));
        frame += payload;
        // The 101 response and the first frame in one write, as a real server may send them
        // (one TCP segment): the client must not lose the frame.
        s->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                 "Upgrade\r\nSec-WebSocket-Accept: " +
                 accept + "\r\nSec-WebSocket-Protocol: v2.bsatn.spacetimedb\r\n\r\n" + frame);
        m_done = true;
        afterHandshake += m_buf.mid(end + 4);
    }
    QTcpServer m_server;
    QByteArray m_buf;
    bool m_done = false;
};

// Counts the sessions whose frames WebSocketReader reads: the SDK says so once per session in
// the category stdb.connection.frames (enabled for debug while this lives).
class FrameReaderLog {
public:
    FrameReaderLog() {
        s_count = 0;
        QLoggingCategory::setFilterRules(QStringLiteral("stdb.connection.frames.debug=true"));
        s_previous = qInstallMessageHandler(&FrameReaderLog::handle);
    }
    ~FrameReaderLog() {
        qInstallMessageHandler(s_previous);
        QLoggingCategory::setFilterRules(QString());
    }
    FrameReaderLog(const FrameReaderLog &) = delete;
    FrameReaderLog &operator=(const FrameReaderLog &) = delete;
    static int count() { return s_count.load(); }

private:
    // Runs on the connection's I/O thread too.
    static void handle(QtMsgType type, const QMessageLogContext &ctx, const QString &text) {
        if (ctx.category && qstrcmp(ctx.category, "stdb.connection.frames") == 0) {
            ++s_count;
            return;
        }
        if (s_previous)
            s_previous(type, ctx, text);
    }
    static inline std::atomic<int> s_count{0};
    static inline QtMessageHandler s_previous = nullptr;
};

// Answers every HTTP request with one fixed status.
class StatusServer : public QObject {
public:
    explicit StatusServer(QByteArray statusLine)
        : m_status(std::move(statusLine)) {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *s = m_server.nextPendingConnection();
            s->setParent(this);
            connect(s, &QTcpSocket::readyRead, this, [this, s] {
                m_buf += s->readAll();
                if (!m_buf.contains("\r\n\r\n"))
                    return;
                const QByteArray body = "not found";
                s->write("HTTP/1.1 " + m_status + "\r\nContent-Length: " +
                         QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
                s->disconnectFromHost();
            });
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    QByteArray m_buf;

private:
    QTcpServer m_server;
    QByteArray m_status;
};

} // namespace

class TestConnectionScripted : public QObject {
    Q_OBJECT

private:
    // Rows for tests run with both frame readers: QWebSocket's (the default, which every other
    // test uses) and the SDK's own (the ownFrameReader proposal).
    static void readerRows() {
        QTest::addColumn<bool>("ownReader");
        QTest::newRow("QWebSocket") << false;
        QTest::newRow("WebSocketReader") << true;
    }
    static std::function<void(DbConnectionBuilder &)> reader(bool own) {
        return [own](DbConnectionBuilder &b) { b.withOwnFrameReader(own); };
    }
    // Opens the session: waits for the socket, sends InitialConnection, waits for connected().
    bool greet(ScriptedServer &srv, Client &c, int connections = 1, int who = 1) {
        if (!srv.waitForConnections(connections))
            return false;
        srv.send(hello(who));
        return QTest::qWaitFor([&] { return c.conn->isActive(); }, 5000);
    }
    // A round trip through the server: the client asks a one-off query and the server answers
    // it after everything it sent before, so once the answer is in, every earlier server
    // message has been handled. "Nothing else arrived" checks come after this, never after a
    // pause. Leaves srv's cursor where it was.
    bool roundTrip(ScriptedServer &srv, Client &c) {
        static int n = 0;
        const QString marker = QStringLiteral("SELECT * FROM user WHERE name = 'sync %1'").arg(++n);
        auto answered = std::make_shared<bool>(false);
        if (!c.conn->oneOffQuery(marker,
                                 [answered](const Expected<P::QueryRows> &) { *answered = true; }))
            return false;
        std::optional<quint32> id;
        const bool asked = QTest::qWaitFor(
            [&] {
                for (const P::ClientMessage &m : std::as_const(srv.received))
                    if (const auto *q = std::get_if<P::OneOffQuery>(&m);
                        q && q->queryString == marker)
                        id = q->requestId;
                return id.has_value();
            },
            5000);
        if (!asked)
            return false;
        srv.send(P::OneOffQueryResult{*id, P::QueryRows{}});
        return QTest::qWaitFor([&] { return *answered; }, 5000);
    }
    // Subscribes to user + message and applies the given initial rows.
    SubscriptionHandle subscribeChat(ScriptedServer &srv, Client &c, const QList<QByteArray> &users,
                                     const QList<QByteArray> &messages, int *applied = nullptr) {
        auto h = c.conn->subscriptionBuilder()
                     .onApplied([&c, applied](const EventContext &ctx) {
                         c.log->add(QStringLiteral("applied %1").arg(*ctx.querySetId()));
                         if (applied)
                             ++*applied;
                     })
                     .subscribe({QStringLiteral("SELECT * FROM user"),
                                 QStringLiteral("SELECT * FROM message")});
        auto sub = srv.next<P::Subscribe>();
        if (!sub)
            return h;
        srv.send(P::SubscribeApplied{
            sub->requestId, sub->querySetId,
            queryRows({{QStringLiteral("user"), users}, {QStringLiteral("message"), messages}})});
        (void)QTest::qWaitFor([&] { return h.isActive(); }, 5000);
        return h;
    }

private Q_SLOTS:
    void handshakeAndToken();
    void anonymousAdoptsToken();
    void subscribeQueuedAndApplied();
    void frameOrderAcrossWorker();
    void preparedSnapshotOrder();
    void rawChangesShareFrameBuffers();
    void compressedFrames();
    void unknownTable();
    void violationTriggersResync();
    void subscriptionErrorAfterApply();
    void subscriptionErrorOnApply();
    void rejectedSubscriptionLeavesOthers();
    void unsubscribeAndOverlap();
    void overlappingSetsReportOnce();
    void subscribeAndCancel();
    void unsubscribeFromOnApplied();
    void unsubscribeThenResubscribe();
    void reducerOutcomes();
    void callerAlwaysNotified_data();
    void callerAlwaysNotified();
    void reauthWithSavedToken();
    void oneOffQueryAndProcedure();
    void pendingFailOnLoss();
    void malformedFrames_data();
    void malformedFrames();
    void malformedFrameReconnects();
    void textFrame_data() { readerRows(); }
    void textFrame();
    void closeCodes_data() { readerRows(); }
    void closeCodes();
    void fragmentsAndPing_data() { readerRows(); }
    void fragmentsAndPing();
    void fragmentedCompressed_data();
    void fragmentedCompressed();
    void fragmentedCorrupt_data() { fragmentedCompressed_data(); }
    void fragmentedCorrupt();
    void subprotocolMismatch();
    void httpStatusErrors();
    void unreachable();
    void firstFrameWithHandshake_data() { readerRows(); }
    void firstFrameWithHandshake();
    void deadConnection();
    void reconnectResync();
    void dropDuringResync();
    void mutationsInsideCallbacks();
    void v3Batches();
    void reconnectNowAfterDisconnect();
    void tlsVerification();
};

void TestConnectionScripted::handshakeAndToken() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri(), [](DbConnectionBuilder &b) {
        b.withToken(QStringLiteral("long.lived.token")).withConfirmedReads(false);
    });
    QVERIFY(c.conn);
    QSignalSpy connected(c.conn.get(), &DbConnection::connected);
    QVERIFY(srv.waitForConnections(1));
    const QNetworkRequest req = srv.lastRequest();
    QCOMPARE(req.url().path(), QStringLiteral("/v1/database/quickstart-chat/subscribe"));
    QUrlQuery q(req.url());
    QCOMPARE(q.queryItemValue(QStringLiteral("compression")), QStringLiteral("None"));
    QCOMPARE(q.queryItemValue(QStringLiteral("confirmed")), QStringLiteral("false"));
    QCOMPARE(req.rawHeader("Authorization"), QByteArray("Bearer long.lived.token"));
    QCOMPARE(srv.client()->subprotocol(), QStringLiteral("v2.bsatn.spacetimedb"));
    QCOMPARE(c.conn->state(), DbConnection::State::Connecting);

    // The server echoes a short-lived token: the app's long-lived one is kept.
    srv.send(hello(1, QStringLiteral("short.lived")));
    QVERIFY(connected.wait());
    QCOMPARE(connected.first().at(0).value<Identity>(), ident(1));
    QCOMPARE(connected.first().at(2).toString(), QStringLiteral("long.lived.token"));
    QCOMPARE(c.conn->token(), QStringLiteral("long.lived.token"));
    QCOMPARE(c.conn->identity(), ident(1));
    QVERIFY(c.conn->hasIdentity());
    QCOMPARE(c.conn->connectionId().toHex(), QStringLiteral("0123456789abcdef0123456789abcdef"));
    QCOMPARE(c.conn->state(), DbConnection::State::Connected);
    QCOMPARE(c.conn->subprotocol(), QStringLiteral("v2.bsatn.spacetimedb"));
    QCOMPARE(c.log->entries,
             (QStringList{QStringLiteral("state Connected"), QStringLiteral("connected")}));
}

void TestConnectionScripted::anonymousAdoptsToken() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(srv.waitForConnections(1));
    QVERIFY(srv.lastRequest().rawHeader("Authorization").isEmpty());
    QVERIFY(!QUrlQuery(srv.lastRequest().url()).hasQueryItem(QStringLiteral("confirmed")));
    QVERIFY(greet(srv, c, 1));
    QCOMPARE(c.conn->token(), QStringLiteral("minted.token"));
}

void TestConnectionScripted::subscribeQueuedAndApplied() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    int applied = 0;
    // Before the connection is open: queued.
    auto h = c.conn->subscriptionBuilder()
                 .onApplied([&](const EventContext &ctx) {
                     ++applied;
                     QCOMPARE(ctx.kind(), EventContext::Kind::SubscribeApplied);
                     // The cache is complete before anyone hears about it.
                     QCOMPARE(c.users->count(), 2);
                     QCOMPARE(c.messages->count(), 1);
                     c.log->add(QStringLiteral("applied"));
                 })
                 .subscribe({QStringLiteral("SELECT * FROM user"),
                             QStringLiteral("SELECT * FROM message")});
    QCOMPARE(h.state(), SubscriptionHandle::State::Pending);
    QVERIFY(!h.querySetId());
    QVERIFY(greet(srv, c));
    auto sub = srv.next<P::Subscribe>();
    QVERIFY(sub);
    QCOMPARE(sub->queryStrings.size(), 2);
    QCOMPARE(h.state(), SubscriptionHandle::State::Sent);
    QCOMPARE(h.querySetId(), std::optional<P::QuerySetId>(sub->querySetId));

    c.log->clear();
    srv.send(P::SubscribeApplied{sub->requestId, sub->querySetId,
                                 queryRows({{QStringLiteral("user"), {u(1, "ann"), u(2)}},
                                            {QStringLiteral("message"), {msg("hi")}}})});
    QTRY_VERIFY(h.isActive());
    QCOMPARE(applied, 1);
    QCOMPARE(c.log->entries.first(), QStringLiteral("applied"));
    QCOMPARE(c.log->count(QStringLiteral("user+")), 2);
    QCOMPARE(c.log->entries.last(), QStringLiteral("message+ hi SubscribeApplied"));
    QCOMPARE(c.users->find(ident(1))->name, std::optional<QString>(QStringLiteral("ann")));
    QCOMPARE(c.conn->subscriptions().size(), 1);
}

void TestConnectionScripted::frameOrderAcrossWorker() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    auto h = c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM message"));
    auto sub = srv.next<P::Subscribe>();
    QVERIFY(sub);
    // ~2 MB initial rows (decoded on the worker), then small updates that depend on them sent
    // right behind it: they must be applied after it, in order.
    QList<QByteArray> rows;
    for (int i = 0; i < 20000; ++i)
        rows.append(msg(QStringLiteral("m%1-").arg(i) + QString(80, QLatin1Char('x')), 1, i));
    srv.send(P::SubscribeApplied{sub->requestId, sub->querySetId,
                                 queryRows({{QStringLiteral("message"), rows}})});
    srv.send(transaction(sub->querySetId, QStringLiteral("message"), {msg("after", 1, 999999)},
                         {rows[0]}));
    srv.send(transaction(sub->querySetId, QStringLiteral("message"), {}, {rows[1]}));
    QTRY_COMPARE_WITH_TIMEOUT(c.log->count(QStringLiteral("message-")), 2, 10000);
    QCOMPARE(c.log->count(QStringLiteral("violation")), 0);
    QCOMPARE(c.messages->count(), 20000 - 2 + 1);
    QCOMPARE(c.log->count(QStringLiteral("message+")), 20001);
    QVERIFY(c.log->entries.indexOf(QStringLiteral("message+ after Transaction")) >
            c.log->entries.lastIndexOf(QRegularExpression(QStringLiteral(".*SubscribeApplied"))));
    QVERIFY(h.isActive());
}

// Large snapshots are built into tables on the decoder thread and adopted here; what arrives
// right behind them (a primary-key update, a delete, an overlapping set that cannot be adopted
// because the table already holds rows) must still come after them, with exact signals.
void TestConnectionScripted::preparedSnapshotOrder() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    int applied = 0;
    auto h = c.conn->subscriptionBuilder()
                 .onApplied([&](const EventContext &) {
                     ++applied;
                     c.log->add(QStringLiteral("applied users=%1 messages=%2")
                                    .arg(c.users->count())
                                    .arg(c.messages->count()));
                 })
                 .subscribe({QStringLiteral("SELECT * FROM user"),
                             QStringLiteral("SELECT * FROM message")});
    auto sub = srv.next<P::Subscribe>();
    QVERIFY(sub);
    constexpr int n = 6000; // above FrameDecoder::kPrepareMinRows for both tables
    QList<QByteArray> users, messages;
    for (int i = 0; i < n; ++i) {
        users.append(u(i, QStringLiteral("u%1").arg(i)));
        messages.append(msg(QStringLiteral("m%1").arg(i), 1 + i % 7, i));
    }
    srv.send(P::SubscribeApplied{
        sub->requestId, sub->querySetId,
        queryRows({{QStringLiteral("user"), users}, {QStringLiteral("message"), messages}})});
    P::TransactionUpdate tu = transaction(sub->querySetId, QStringLiteral("user"),
                                          {u(7, QStringLiteral("renamed"))}, {users[7]});
    tu.querySets[0].tables +=
        transaction(sub->querySetId, QStringLiteral("message"), {}, {messages[3]})
            .querySets[0]
            .tables;
    srv.send(tu);
    QTRY_COMPARE_WITH_TIMEOUT(c.log->count(QStringLiteral("message-")), 1, 10000);

    const QStringList &log = c.log->entries;
    const qsizetype appliedAt =
        log.indexOf(QStringLiteral("applied users=%1 messages=%2").arg(n).arg(n));
    QVERIFY2(appliedAt >= 0, "onApplied must see the whole snapshot in the cache");
    QCOMPARE(c.log->count(QStringLiteral("user+")), n);
    QCOMPARE(c.log->count(QStringLiteral("message+")), n);
    const qsizetype lastSnapshot =
        log.lastIndexOf(QRegularExpression(QStringLiteral(".*SubscribeApplied")));
    const qsizetype updateAt =
        log.indexOf(QRegularExpression(QStringLiteral("user~ .*Transaction")));
    QVERIFY(appliedAt < lastSnapshot);
    QVERIFY2(updateAt > lastSnapshot, "the transaction must be reported after the snapshot");
    QCOMPARE(c.log->count(QStringLiteral("user~")), 1); // the adopted primary-key index works
    QCOMPARE(c.log->count(QStringLiteral("user-")), 0);
    QVERIFY(log.contains(QStringLiteral("message- m3 Transaction")));
    QCOMPARE(c.users->count(), n);
    QCOMPARE(c.messages->count(), n - 1);

    // A second set delivering the same messages: the table holds rows, so it is applied the
    // ordinary way: counted twice, reported never.
    c.log->clear();
    auto h2 = c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM message"));
    auto sub2 = srv.next<P::Subscribe>();
    QVERIFY(sub2);
    srv.send(P::SubscribeApplied{sub2->requestId, sub2->querySetId,
                                 queryRows({{QStringLiteral("message"), messages}})});
    // Set 1 lets go of m4; set 2 still delivers it, so it stays. Then set 2 drops m5 as well
    // as set 1 does: only now does it leave.
    srv.send(transaction(sub->querySetId, QStringLiteral("message"), {}, {messages[4]}));
    srv.send(transaction(sub->querySetId, QStringLiteral("message"), {}, {messages[5]}));
    srv.send(transaction(sub2->querySetId, QStringLiteral("message"), {}, {messages[5]}));
    QTRY_COMPARE_WITH_TIMEOUT(c.log->count(QStringLiteral("message-")), 1, 10000);
    QTRY_VERIFY(h2.isActive());
    const QStringList expected{QStringLiteral("message+ m3 SubscribeApplied"),
                               QStringLiteral("message- m5 Transaction")};
    QCOMPARE(c.log->entries.filter(QStringLiteral("message")), expected);
    QCOMPARE(c.messages->count(), n - 1); // m3 back (set 2), m5 gone
    QCOMPARE(c.log->count(QStringLiteral("violation")), 0);
    QVERIFY(h.isActive());
}

void TestConnectionScripted::compressedFrames() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri(),
                        [](DbConnectionBuilder &b) { b.withCompression(Compression::Brotli); });
    QVERIFY(greet(srv, c));
    QCOMPARE(QUrlQuery(srv.lastRequest().url()).queryItemValue(QStringLiteral("compression")),
             QStringLiteral("Brotli"));
    c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM message"));
    auto sub = srv.next<P::Subscribe>();
    QVERIFY(sub);
    QList<QByteArray> rows;
    for (int i = 0; i < 500; ++i)
        rows.append(msg(QStringLiteral("compressed %1").arg(i), 1, i));
    // One Brotli and one gzip frame (the server may use either), and a small tag-0 one.
    srv.send(P::SubscribeApplied{sub->requestId, sub->querySetId,
                                 queryRows({{QStringLiteral("message"), rows}})},
             Compression::Brotli);
    srv.send(
        transaction(sub->querySetId, QStringLiteral("message"), rows.mid(0, 0), rows.mid(0, 300)),
        Compression::Gzip);
    srv.send(transaction(sub->querySetId, QStringLiteral("message"), {msg("tiny")}, {}));
    QTRY_COMPARE(c.messages->count(), 201);
    QCOMPARE(c.log->count(QStringLiteral("violation")), 0);
}

void TestConnectionScripted::unknownTable() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    auto h = c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM *"));
    auto sub = srv.next<P::Subscribe>();
    QVERIFY(sub);
    c.log->clear();
    srv.send(
        P::SubscribeApplied{sub->requestId, sub->querySetId,
                            queryRows({{QStringLiteral("user"), {u(1)}},
                                       {QStringLiteral("reaction"), {QByteArray("\x01\x02")}}})});
    srv.send(transaction(sub->querySetId, QStringLiteral("reaction"), {QByteArray("\x03")}, {}));
    srv.send(transaction(sub->querySetId, QStringLiteral("user"), {u(2)}, {}));
    QTRY_COMPARE(c.users->count(), 2);
    QCOMPARE(c.log->count(QStringLiteral("bindingsOutOfDate")), 1);
    QCOMPARE(c.log->entries.first(), QStringLiteral("bindingsOutOfDate reaction"));
    QCOMPARE(c.log->count(QStringLiteral("violation")), 0);
    QVERIFY(c.conn->isActive());
    QVERIFY(h.isActive());
}

void TestConnectionScripted::violationTriggersResync() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    int applied = 0;
    auto h = subscribeChat(srv, c, {u(1, "ann"), u(2, "bob")}, {msg("one"), msg("two")}, &applied);
    QVERIFY(h.isActive());
    const P::QuerySetId oldId = *h.querySetId();
    c.log->clear();
    srv.skipReceived();

    // The server deletes a row it never sent: a contradiction.
    srv.send(transaction(oldId, QStringLiteral("message"), {}, {msg("never sent")}));
    QTRY_COMPARE(c.log->count(QStringLiteral("violation")), 1);
    // The connection replaces the query set: Unsubscribe(old) + Subscribe(new, same queries).
    auto unsub = srv.next<P::Unsubscribe>();
    QVERIFY(unsub);
    QCOMPARE(unsub->querySetId, oldId);
    QCOMPARE(unsub->flags, P::UnsubscribeFlags::Default);
    auto sub = srv.next<P::Subscribe>();
    QVERIFY(sub);
    QVERIFY(sub->querySetId != oldId);
    QCOMPARE(sub->queryStrings, h.queries());

    // Updates of the old set that arrive meanwhile are not applied anywhere; readers still see
    // the old replica until the new snapshot is complete.
    srv.send(transaction(oldId, QStringLiteral("message"), {msg("stale")}, {}));
    srv.send(P::SubscribeApplied{
        sub->requestId, sub->querySetId,
        queryRows({{QStringLiteral("user"), {u(1, "ann"), u(2, "bobby")}},
                   {QStringLiteral("message"), {msg("one"), msg("two"), msg("three")}}})});
    srv.send(P::UnsubscribeApplied{unsub->requestId, oldId, std::nullopt});
    QTRY_COMPARE(c.log->count(QStringLiteral("message+")), 1);
    QVERIFY(roundTrip(srv, c));
    QCOMPARE(c.log->entries, (QStringList{QStringLiteral("violation"),
                                          QStringLiteral("user~ %1/bob/on -> %1/bobby/on Resync")
                                              .arg(ident(2).toShortHex().left(8)),
                                          QStringLiteral("message+ three Resync")}));
    QCOMPARE(applied, 1); // not again for a resubscription
    QCOMPARE(h.querySetId(), std::optional<P::QuerySetId>(sub->querySetId));
    QVERIFY(h.isActive());

    // The new set is live; the old one is gone for good.
    c.log->clear();
    srv.send(transaction(oldId, QStringLiteral("message"), {msg("old set")}, {}));
    srv.send(transaction(sub->querySetId, QStringLiteral("message"), {msg("new set")}, {}));
    QTRY_COMPARE(c.log->count(QStringLiteral("message+")), 1);
    QCOMPARE(c.log->entries, QStringList{QStringLiteral("message+ new set Transaction")});
    QCOMPARE(c.messages->count(), 4);
}

void TestConnectionScripted::subscriptionErrorAfterApply() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    auto users = c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM user"));
    auto s1 = srv.next<P::Subscribe>();
    int errors = 0;
    Error seen;
    auto messages = c.conn->subscriptionBuilder()
                        .onError([&](const EventContext &ctx) {
                            ++errors;
                            seen = ctx.error();
                            QCOMPARE(ctx.kind(), EventContext::Kind::SubscriptionError);
                            c.log->add(QStringLiteral("onError"));
                        })
                        .subscribe(QStringLiteral("SELECT * FROM message"));
    auto s2 = srv.next<P::Subscribe>();
    QVERIFY(s1 && s2);
    srv.send(P::SubscribeApplied{s1->requestId, s1->querySetId,
                                 queryRows({{QStringLiteral("user"), {u(1)}}})});
    srv.send(P::SubscribeApplied{s2->requestId, s2->querySetId,
                                 queryRows({{QStringLiteral("message"), {msg("a"), msg("b")}}})});
    QTRY_VERIFY(messages.isActive() && users.isActive());
    c.log->clear();

    srv.send(P::SubscriptionError{std::nullopt, s2->querySetId, QStringLiteral("row limit")});
    QTRY_COMPARE(errors, 1);
    QTRY_COMPARE(c.log->count(QStringLiteral("message-")), 2);
    QCOMPARE(c.log->entries.first(), QStringLiteral("onError"));
    // Rows dropped by a query set come in no particular order.
    QVERIFY(c.log->entries.contains(QStringLiteral("message- a SubscriptionError")));
    QVERIFY(c.log->entries.contains(QStringLiteral("message- b SubscriptionError")));
    QCOMPARE(seen.message(), QStringLiteral("row limit"));
    QCOMPARE(messages.state(), SubscriptionHandle::State::Failed);
    QCOMPARE(messages.error().message(), QStringLiteral("row limit"));
    QVERIFY(messages.isEnded());
    QCOMPARE(c.messages->count(), 0);
    // The rest goes on.
    QVERIFY(c.conn->isActive());
    QVERIFY(users.isActive());
    srv.send(transaction(s1->querySetId, QStringLiteral("user"), {u(2)}, {}));
    srv.send(transaction(s2->querySetId, QStringLiteral("message"), {msg("late")}, {}));
    QTRY_COMPARE(c.users->count(), 2);
    QCOMPARE(c.messages->count(), 0);
    QCOMPARE(c.log->count(QStringLiteral("violation")), 0);
}

void TestConnectionScripted::subscriptionErrorOnApply() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    int errors = 0;
    auto h = c.conn->subscriptionBuilder()
                 .onError([&](const EventContext &) { ++errors; })
                 .subscribe(QStringLiteral("SELECT * FROM nope"));
    auto s = srv.next<P::Subscribe>();
    QVERIFY(s);
    srv.send(
        P::SubscriptionError{s->requestId, s->querySetId, QStringLiteral("no such table: `nope`")});
    QTRY_COMPARE(errors, 1);
    QCOMPARE(h.state(), SubscriptionHandle::State::Failed);
    QVERIFY(h.error().message().contains(QLatin1String("nope")));
    QVERIFY(h.unsubscribe().isError());
    QVERIFY(c.conn->isActive());
    QCOMPARE(c.conn->subscriptions().size(), 0);
}

// A subscription the server rejects (the official test client's subscription error smoke test,
// with a typo in the SQL): only that subscription hears about it, through its onError; the
// others keep their rows and their updates.
void TestConnectionScripted::rejectedSubscriptionLeavesOthers() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    auto users = c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM user"));
    auto s1 = srv.next<P::Subscribe>();
    int badApplied = 0;
    int badErrors = 0;
    EventContext errorCtx;
    auto bad = c.conn->subscriptionBuilder()
                   .onApplied([&](const EventContext &) { ++badApplied; })
                   .onError([&](const EventContext &ctx) {
                       ++badErrors;
                       errorCtx = ctx;
                       c.log->add(QStringLiteral("onError"));
                   })
                   .subscribe(QStringLiteral("SELEcCT * FROM user"));
    QVERIFY(!bad.isActive());
    QVERIFY(!bad.isEnded());
    auto s2 = srv.next<P::Subscribe>();
    auto messages =
        c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM message"));
    auto s3 = srv.next<P::Subscribe>();
    QVERIFY(s1 && s2 && s3);
    c.log->clear();

    // The server answers in order; a rejection names the Subscribe's request and query set.
    const QString why =
        QStringLiteral("sql parser error: Expected an SQL statement, found: SELEcCT");
    srv.send(P::SubscribeApplied{s1->requestId, s1->querySetId,
                                 queryRows({{QStringLiteral("user"), {u(1, "ann")}}})});
    srv.send(P::SubscriptionError{s2->requestId, s2->querySetId, why});
    srv.send(P::SubscribeApplied{s3->requestId, s3->querySetId,
                                 queryRows({{QStringLiteral("message"), {msg("a")}}})});
    QTRY_VERIFY(messages.isActive());
    QCOMPARE(badErrors, 1);
    QCOMPARE(badApplied, 0);
    QCOMPARE(errorCtx.kind(), EventContext::Kind::SubscriptionError);
    QVERIFY(errorCtx.subscription() == bad);
    QCOMPARE(errorCtx.error().kind(), Error::Kind::Server);
    QCOMPARE(errorCtx.error().message(), why);
    QCOMPARE(bad.state(), SubscriptionHandle::State::Failed);
    QVERIFY(bad.isEnded());
    QVERIFY(!bad.isActive());
    QCOMPARE(bad.error().message(), why);
    QVERIFY(bad.unsubscribe().isError());
    // No row signal comes from the rejection itself.
    QCOMPARE(
        c.log->entries,
        (QStringList{userEntry(QStringLiteral("user+"), 1, QStringLiteral("ann"), true,
                               QStringLiteral("SubscribeApplied")),
                     QStringLiteral("onError"), QStringLiteral("message+ a SubscribeApplied")}));

    // The others go on; a stray update naming the rejected set changes nothing.
    c.log->clear();
    srv.send(transaction(s2->querySetId, QStringLiteral("user"), {u(9, "stray")}, {}));
    srv.send(transaction(s1->querySetId, QStringLiteral("user"), {u(2, "bob")}, {}));
    srv.send(transaction(s3->querySetId, QStringLiteral("message"), {msg("b")}, {}));
    QVERIFY(roundTrip(srv, c));
    QCOMPARE(c.log->entries,
             (QStringList{userEntry(QStringLiteral("user+"), 2, QStringLiteral("bob"), true,
                                    QStringLiteral("Transaction")),
                          QStringLiteral("message+ b Transaction")}));
    QVERIFY(users.isActive());
    QVERIFY(c.conn->isActive());
    const QList<SubscriptionHandle> live = c.conn->subscriptions();
    QCOMPARE(live.size(), 2);
    QVERIFY(live[0] == users);
    QVERIFY(live[1] == messages);
}

void TestConnectionScripted::unsubscribeAndOverlap() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    auto all = c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM user"));
    auto s1 = srv.next<P::Subscribe>();
    auto online =
        c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM user WHERE online"));
    auto s2 = srv.next<P::Subscribe>();
    QVERIFY(s1 && s2);
    QVERIFY(s1->querySetId != s2->querySetId);
    srv.send(P::SubscribeApplied{s1->requestId, s1->querySetId,
                                 queryRows({{QStringLiteral("user"), {u(1), u(2, {}, false)}}})});
    srv.send(P::SubscribeApplied{s2->requestId, s2->querySetId,
                                 queryRows({{QStringLiteral("user"), {u(1)}}})});
    QTRY_VERIFY(online.isActive());
    // u(1) was delivered twice but inserted once.
    QCOMPARE(c.log->count(QStringLiteral("user+")), 2);
    QCOMPARE(c.users->cache()->find(u(1))->refCount(), 2u);

    c.log->clear();
    int ended = 0;
    QVERIFY(!all.unsubscribeThen([&](const EventContext &ctx) {
                    ++ended;
                    QCOMPARE(ctx.kind(), EventContext::Kind::UnsubscribeApplied);
                    c.log->add(QStringLiteral("ended"));
                })
                 .isError());
    QCOMPARE(all.state(), SubscriptionHandle::State::Unsubscribing);
    auto un = srv.next<P::Unsubscribe>();
    QVERIFY(un);
    QCOMPARE(un->querySetId, s1->querySetId);
    QCOMPARE(un->flags, P::UnsubscribeFlags::Default);
    srv.send(P::UnsubscribeApplied{un->requestId, s1->querySetId, std::nullopt});
    QTRY_COMPARE(ended, 1);
    // u(2) was only in the first set; u(1) stays (the second set still holds it).
    QCOMPARE(c.log->entries, (QStringList{QStringLiteral("ended"),
                                          QStringLiteral("user- %1/-/off UnsubscribeApplied")
                                              .arg(ident(2).toShortHex().left(8))}));
    QCOMPARE(c.users->count(), 1);
    QCOMPARE(c.users->cache()->find(u(1))->refCount(), 1u);
    QCOMPARE(all.state(), SubscriptionHandle::State::Ended);
    QVERIFY(all.unsubscribe().isError());

    // With SendDroppedRows-style rows the server may list them itself: same outcome.
    c.log->clear();
    QVERIFY(!online.unsubscribe().isError());
    auto un2 = srv.next<P::Unsubscribe>();
    QVERIFY(un2);
    srv.send(P::UnsubscribeApplied{un2->requestId, s2->querySetId,
                                   queryRows({{QStringLiteral("user"), {u(1)}}})});
    QTRY_COMPARE(c.users->count(), 0);
    QCOMPARE(c.log->count(QStringLiteral("user-")), 1);
    QCOMPARE(c.log->count(QStringLiteral("violation")), 0);
}

// Two query sets that both see the same rows, updated by transactions (the official test
// client's row deduplication test): each change is reported once, a primary-key row replaced
// in both sets is one update (never a delete and an insert), and the row stays in the cache
// until the last set that holds it lets go.
void TestConnectionScripted::overlappingSetsReportOnce() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    auto all = c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM user"));
    auto s1 = srv.next<P::Subscribe>();
    auto online =
        c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM user WHERE online"));
    auto s2 = srv.next<P::Subscribe>();
    QVERIFY(s1 && s2);
    srv.send(P::SubscribeApplied{s1->requestId, s1->querySetId, P::QueryRows{}});
    srv.send(P::SubscribeApplied{s2->requestId, s2->querySetId, P::QueryRows{}});
    QTRY_VERIFY(all.isActive() && online.isActive());
    c.log->clear();
    const QString tbl = QStringLiteral("user");
    const QString a = QStringLiteral("a");
    const QString b = QStringLiteral("b");
    const QString renamed = QStringLiteral("c");

    // Someone else's transaction inserts two rows both sets see.
    srv.send(merged({transaction(s1->querySetId, tbl, {u(24, a), u(42, b)}, {}),
                     transaction(s2->querySetId, tbl, {u(24, a), u(42, b)}, {})}));
    QTRY_COMPARE(c.users->count(), 2);
    QVERIFY(roundTrip(srv, c));
    QCOMPARE(c.log->entries,
             (QStringList{
                 userEntry(QStringLiteral("user+"), 24, a, true, QStringLiteral("Transaction")),
                 userEntry(QStringLiteral("user+"), 42, b, true, QStringLiteral("Transaction"))}));
    QCOMPARE(c.users->cache()->find(u(24, a))->refCount(), 2u);
    QCOMPARE(c.users->cache()->find(u(42, b))->refCount(), 2u);

    // Our reducer deletes 24 and renames 42; both sets carry both changes.
    c.log->clear();
    auto id = c.conn->callReducer(
        QStringLiteral("set_name"), stringArgs(renamed), [&](const ReducerOutcome &o) {
            c.log->add(QStringLiteral("callback %1").arg(statusName(o.status)));
        });
    QVERIFY(id);
    srv.send(P::ReducerResult{
        *id, Timestamp::fromMicros(1),
        P::ReducerOk{
            {},
            merged({transaction(s1->querySetId, tbl, {u(42, renamed)}, {u(24, a), u(42, b)}),
                    transaction(s2->querySetId, tbl, {u(42, renamed)}, {u(24, a), u(42, b)})})}});
    QTRY_COMPARE(c.log->count(QStringLiteral("reducerCompleted")), 1);
    const QString byUs = QStringLiteral("Reducer:set_name");
    QCOMPARE(c.log->entries, (QStringList{userEntry(QStringLiteral("user-"), 24, a, true, byUs),
                                          QStringLiteral("user~ %1 -> %2 %3")
                                              .arg(EventLog::userText(user(42, b)),
                                                   EventLog::userText(user(42, renamed)), byUs),
                                          QStringLiteral("callback committed"),
                                          QStringLiteral("reducerCompleted set_name committed")}));
    QCOMPARE(c.users->count(), 1);
    QVERIFY(!c.users->find(ident(24)));
    QCOMPARE(c.users->cache()->find(u(42, renamed))->refCount(), 2u);

    // 42 goes offline: the broad set replaces the row, the online set drops it. One update.
    c.log->clear();
    srv.send(merged({transaction(s1->querySetId, tbl, {u(42, renamed, false)}, {u(42, renamed)}),
                     transaction(s2->querySetId, tbl, {}, {u(42, renamed)})}));
    QTRY_COMPARE(c.log->count(QStringLiteral("user~")), 1);
    QVERIFY(roundTrip(srv, c));
    QCOMPARE(c.log->entries, QStringList{QStringLiteral("user~ %1 -> %2 Transaction")
                                             .arg(EventLog::userText(user(42, renamed)),
                                                  EventLog::userText(user(42, renamed, false)))});
    QCOMPARE(c.users->cache()->find(u(42, renamed, false))->refCount(), 1u);

    // Back online: both sets hold it again.
    c.log->clear();
    srv.send(merged({transaction(s1->querySetId, tbl, {u(42, renamed)}, {u(42, renamed, false)}),
                     transaction(s2->querySetId, tbl, {u(42, renamed)}, {})}));
    QTRY_COMPARE(c.log->count(QStringLiteral("user~")), 1);
    QCOMPARE(c.users->cache()->find(u(42, renamed))->refCount(), 2u);

    // Unsubscribing one set keeps the row; unsubscribing the other deletes it, once.
    c.log->clear();
    QVERIFY(!online.unsubscribe().isError());
    auto un1 = srv.next<P::Unsubscribe>();
    QVERIFY(un1);
    srv.send(P::UnsubscribeApplied{un1->requestId, s2->querySetId, std::nullopt});
    QTRY_VERIFY(online.isEnded());
    QVERIFY(roundTrip(srv, c));
    QCOMPARE(c.log->count(QStringLiteral("user")), 0);
    QCOMPARE(c.users->cache()->find(u(42, renamed))->refCount(), 1u);
    QVERIFY(!all.unsubscribe().isError());
    auto un2 = srv.next<P::Unsubscribe>();
    QVERIFY(un2);
    srv.send(P::UnsubscribeApplied{un2->requestId, s1->querySetId, std::nullopt});
    QTRY_COMPARE(c.users->count(), 0);
    QVERIFY(roundTrip(srv, c));
    QCOMPARE(c.log->entries, QStringList{userEntry(QStringLiteral("user-"), 42, renamed, true,
                                                   QStringLiteral("UnsubscribeApplied"))});
    QCOMPARE(c.log->count(QStringLiteral("violation")), 0);
}

// Unsubscribing before SubscribeApplied (the official test client's subscribe-and-cancel): the
// subscription never becomes active, onApplied and onError never run, unsubscribeThen's
// callback runs once with the handle already ended, and none of its rows is ever visible.
void TestConnectionScripted::subscribeAndCancel() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());

    // Cancelled before the socket is open: never sent, ended on a later turn of the loop.
    int earlyCalls = 0;
    int earlyEnded = 0;
    SubscriptionHandle early = c.conn->subscriptionBuilder()
                                   .onApplied([&](const EventContext &) { ++earlyCalls; })
                                   .onError([&](const EventContext &) { ++earlyCalls; })
                                   .subscribe(QStringLiteral("SELECT * FROM user WHERE online"));
    QCOMPARE(early.state(), SubscriptionHandle::State::Pending);
    QVERIFY(!early
                 .unsubscribeThen([&](const EventContext &ctx) {
                     ++earlyEnded;
                     QCOMPARE(ctx.kind(), EventContext::Kind::UnsubscribeApplied);
                     QVERIFY(early.isEnded());
                     QVERIFY(!early.isActive());
                 })
                 .isError());
    QCOMPARE(earlyEnded, 0); // never inside the call
    QCOMPARE(early.state(), SubscriptionHandle::State::Unsubscribing);
    QVERIFY(!early.isActive());
    QVERIFY(!early.isEnded());
    QTRY_COMPARE(earlyEnded, 1);
    QCOMPARE(early.state(), SubscriptionHandle::State::Ended);

    // Cancelled after the Subscribe went out: the server answers both, in order.
    QVERIFY(greet(srv, c));
    int calls = 0;
    int ended = 0;
    SubscriptionHandle h = c.conn->subscriptionBuilder()
                               .onApplied([&](const EventContext &) { ++calls; })
                               .onError([&](const EventContext &) { ++calls; })
                               .subscribe(QStringLiteral("SELECT * FROM user"));
    QVERIFY(!h.isActive());
    QVERIFY(!h.isEnded());
    QVERIFY(!h.unsubscribeThen([&](const EventContext &ctx) {
                  ++ended;
                  QCOMPARE(ctx.kind(), EventContext::Kind::UnsubscribeApplied);
                  QVERIFY(!h.isActive());
                  QVERIFY(h.isEnded());
                  QCOMPARE(c.users->count(), 0);
                  c.log->add(QStringLiteral("ended"));
              }).isError());
    QCOMPARE(h.state(), SubscriptionHandle::State::Unsubscribing);
    QVERIFY(!h.isActive());
    auto s = srv.next<P::Subscribe>();
    auto un = srv.next<P::Unsubscribe>();
    QVERIFY(s && un);
    QCOMPARE(s->queryStrings, QStringList{QStringLiteral("SELECT * FROM user")});
    QCOMPARE(un->querySetId, s->querySetId);
    c.log->clear();
    srv.send(P::SubscribeApplied{s->requestId, s->querySetId,
                                 queryRows({{QStringLiteral("user"), {u(1, "ann")}}})});
    srv.send(transaction(s->querySetId, QStringLiteral("user"), {u(2, "bob")}, {}));
    srv.send(P::UnsubscribeApplied{un->requestId, s->querySetId, std::nullopt});
    QTRY_COMPARE(ended, 1);
    QVERIFY(roundTrip(srv, c));
    QCOMPARE(calls, 0);
    QCOMPARE(ended, 1);
    QCOMPARE(c.log->entries, QStringList{QStringLiteral("ended")}); // no row, no violation
    QCOMPARE(c.users->count(), 0);
    QCOMPARE(h.state(), SubscriptionHandle::State::Ended);
    QVERIFY(h.unsubscribe().isError());
    QVERIFY(c.conn->subscriptions().isEmpty());
    // The early one never reached the server.
    int subscribes = 0;
    for (const P::ClientMessage &m : std::as_const(srv.received))
        subscribes += std::holds_alternative<P::Subscribe>(m) ? 1 : 0;
    QCOMPARE(subscribes, 1);

    // Cancelled, and rejected by the server: the real server answers the Subscribe with a
    // SubscriptionError, then the Unsubscribe of a set it does not have with another one
    // (crates/core/src/subscription/module_subscription_actor.rs), which is expected.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("unknown query set")));
    int errors = 0;
    int rejectedEnded = 0;
    SubscriptionHandle rejected = c.conn->subscriptionBuilder()
                                      .onApplied([&](const EventContext &) { ++calls; })
                                      .onError([&](const EventContext &) { ++errors; })
                                      .subscribe(QStringLiteral("SELECT * FROM nope"));
    QVERIFY(!rejected.unsubscribeThen([&](const EventContext &) { ++rejectedEnded; }).isError());
    auto s2 = srv.next<P::Subscribe>();
    auto un2 = srv.next<P::Unsubscribe>();
    QVERIFY(s2 && un2);
    srv.send(P::SubscriptionError{s2->requestId, s2->querySetId,
                                  QStringLiteral("no such table: `nope`")});
    srv.send(P::SubscriptionError{un2->requestId, s2->querySetId,
                                  QStringLiteral("Subscription not found")});
    QTRY_COMPARE(rejectedEnded, 1);
    QVERIFY(roundTrip(srv, c));
    QCOMPARE(errors, 1);
    QCOMPARE(rejectedEnded, 1);
    QCOMPARE(calls, 0);
    QCOMPARE(rejected.state(), SubscriptionHandle::State::Failed);
    QVERIFY(c.conn->isActive());

    // Nothing of all that lingers: a new subscription gets a fresh set and its rows.
    auto fresh = subscribeChat(srv, c, {u(1, "ann")}, {});
    QVERIFY(fresh.isActive());
    QVERIFY(*fresh.querySetId() != s->querySetId && *fresh.querySetId() != s2->querySetId);
    QCOMPARE(c.users->count(), 1);
    QCOMPARE(c.users->cache()->find(u(1, "ann"))->refCount(), 1u);
    QCOMPARE(c.conn->subscriptions().size(), 1);
    QCOMPARE(c.log->count(QStringLiteral("violation")), 0);
}

// Unsubscribing from inside onApplied (the official test client's subscribe-and-unsubscribe):
// there the handle is active and the rows are in the cache; when the end is reported they are
// gone, and each leaves with one delete signal.
void TestConnectionScripted::unsubscribeFromOnApplied() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    int ended = 0;
    SubscriptionHandle h;
    h = c.conn->subscriptionBuilder()
            .onApplied([&](const EventContext &) {
                QVERIFY(h.isActive());
                QVERIFY(!h.isEnded());
                QCOMPARE(c.users->count(), 1);
                QVERIFY(!h.unsubscribeThen([&](const EventContext &ctx) {
                              ++ended;
                              QCOMPARE(ctx.kind(), EventContext::Kind::UnsubscribeApplied);
                              QVERIFY(!h.isActive());
                              QVERIFY(h.isEnded());
                              QCOMPARE(c.users->count(), 0);
                              c.log->add(QStringLiteral("ended"));
                          }).isError());
                QVERIFY(!h.isActive());
                QVERIFY(!h.isEnded());
            })
            .subscribe(QStringLiteral("SELECT * FROM user"));
    auto s = srv.next<P::Subscribe>();
    QVERIFY(s);
    c.log->clear();
    srv.send(P::SubscribeApplied{s->requestId, s->querySetId,
                                 queryRows({{QStringLiteral("user"), {u(1, "ann")}}})});
    auto un = srv.next<P::Unsubscribe>();
    QVERIFY(un);
    QCOMPARE(un->querySetId, s->querySetId);
    QCOMPARE(h.state(), SubscriptionHandle::State::Unsubscribing);
    srv.send(P::UnsubscribeApplied{un->requestId, s->querySetId, std::nullopt});
    QTRY_COMPARE(ended, 1);
    QCOMPARE(c.log->entries,
             (QStringList{userEntry(QStringLiteral("user+"), 1, QStringLiteral("ann"), true,
                                    QStringLiteral("SubscribeApplied")),
                          QStringLiteral("ended"),
                          userEntry(QStringLiteral("user-"), 1, QStringLiteral("ann"), true,
                                    QStringLiteral("UnsubscribeApplied"))}));
    QCOMPARE(h.state(), SubscriptionHandle::State::Ended);
    QVERIFY(c.conn->subscriptions().isEmpty());
}

// Unsubscribe, then subscribe to the same queries again (here from inside the unsubscribe
// callback): the rows leave with delete signals and come back with inserts under a new query
// set; the old set's late updates change nothing.
void TestConnectionScripted::unsubscribeThenResubscribe() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    auto first = subscribeChat(srv, c, {u(1, "ann"), u(2, "bob")}, {msg("hi")});
    QVERIFY(first.isActive());
    const P::QuerySetId firstId = *first.querySetId();
    c.log->clear();

    SubscriptionHandle second;
    int secondApplied = 0;
    QVERIFY(!first
                 .unsubscribeThen([&](const EventContext &ctx) {
                     QCOMPARE(ctx.kind(), EventContext::Kind::UnsubscribeApplied);
                     c.log->add(QStringLiteral("ended"));
                     // The cache dropped the rows already; their delete signals follow.
                     QCOMPARE(c.users->count(), 0);
                     second = c.conn->subscriptionBuilder()
                                  .onApplied([&](const EventContext &) {
                                      ++secondApplied;
                                      QCOMPARE(c.users->count(), 2);
                                      c.log->add(QStringLiteral("applied again"));
                                  })
                                  .subscribe(first.queries());
                 })
                 .isError());
    auto un = srv.next<P::Unsubscribe>();
    QVERIFY(un);
    QCOMPARE(un->querySetId, firstId);
    srv.send(P::UnsubscribeApplied{un->requestId, firstId, std::nullopt});
    auto sub = srv.next<P::Subscribe>();
    QVERIFY(sub);
    QVERIFY(sub->querySetId != firstId);
    QCOMPARE(sub->queryStrings, first.queries());
    QTRY_COMPARE(c.log->count(QStringLiteral("message-")), 1);
    const QString gone = QStringLiteral("UnsubscribeApplied");
    QCOMPARE(c.log->entries.size(), 4);
    QCOMPARE(c.log->entries.first(), QStringLiteral("ended"));
    QVERIFY(c.log->entries.contains(
        userEntry(QStringLiteral("user-"), 1, QStringLiteral("ann"), true, gone)));
    QVERIFY(c.log->entries.contains(
        userEntry(QStringLiteral("user-"), 2, QStringLiteral("bob"), true, gone)));
    QCOMPARE(c.log->entries.last(), QStringLiteral("message- hi UnsubscribeApplied"));
    QCOMPARE(c.users->count(), 0);
    QCOMPARE(c.messages->count(), 0);
    QCOMPARE(first.state(), SubscriptionHandle::State::Ended);
    QCOMPARE(second.state(), SubscriptionHandle::State::Sent);

    c.log->clear();
    srv.send(P::SubscribeApplied{sub->requestId, sub->querySetId,
                                 queryRows({{QStringLiteral("user"), {u(1, "ann"), u(2, "bobby")}},
                                            {QStringLiteral("message"), {msg("hi")}}})});
    QTRY_VERIFY(second.isActive());
    QCOMPARE(secondApplied, 1);
    const QString back = QStringLiteral("SubscribeApplied");
    QCOMPARE(
        c.log->entries,
        (QStringList{QStringLiteral("applied again"),
                     userEntry(QStringLiteral("user+"), 1, QStringLiteral("ann"), true, back),
                     userEntry(QStringLiteral("user+"), 2, QStringLiteral("bobby"), true, back),
                     QStringLiteral("message+ hi SubscribeApplied")}));
    QCOMPARE(c.users->cache()->find(u(1, "ann"))->refCount(), 1u);
    QCOMPARE(*second.querySetId(), sub->querySetId);

    // The old set is gone for good.
    c.log->clear();
    srv.send(transaction(firstId, QStringLiteral("message"), {msg("late")}, {}));
    srv.send(transaction(sub->querySetId, QStringLiteral("message"), {msg("new")}, {}));
    QTRY_COMPARE(c.log->count(QStringLiteral("message+")), 1);
    QVERIFY(roundTrip(srv, c));
    QCOMPARE(c.log->entries, QStringList{QStringLiteral("message+ new Transaction")});
    QCOMPARE(c.messages->count(), 2);
    QCOMPARE(c.conn->subscriptions().size(), 1);
}

void TestConnectionScripted::reducerOutcomes() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    auto h = subscribeChat(srv, c, {u(1, "ann")}, {});
    const P::QuerySetId qs = *h.querySetId();
    c.log->clear();

    QList<ReducerOutcome> outcomes;
    auto cb = [&](const ReducerOutcome &o) {
        outcomes.append(o);
        c.log->add(QStringLiteral("callback %1").arg(statusName(o.status)));
    };
    // Committed with our own changes embedded.
    auto id =
        c.conn->callReducer(QStringLiteral("set_name"), stringArgs(QStringLiteral("anna")), cb);
    QVERIFY(id);
    auto call = srv.next<P::CallReducer>();
    QVERIFY(call);
    QCOMPARE(call->requestId, *id);
    QCOMPARE(call->flags, quint8(0));
    QCOMPARE(call->reducer, QStringLiteral("set_name"));
    QCOMPARE(call->args, stringArgs(QStringLiteral("anna")));
    srv.send(P::ReducerResult{
        *id, Timestamp::fromMicros(42),
        P::ReducerOk{{}, transaction(qs, QStringLiteral("user"), {u(1, "anna")}, {u(1, "ann")})}});
    QTRY_COMPARE(outcomes.size(), 1);
    QCOMPARE(c.log->entries,
             (QStringList{QStringLiteral("user~ %1/ann/on -> %1/anna/on Reducer:set_name")
                              .arg(ident(1).toShortHex().left(8)),
                          QStringLiteral("callback committed"),
                          QStringLiteral("reducerCompleted set_name committed")}));
    QCOMPARE(outcomes[0].timestamp, Timestamp::fromMicros(42));
    QCOMPARE(outcomes[0].callerIdentity, ident(1));
    QVERIFY(outcomes[0].isCommitted());

    // Err with a BSATN string, InternalError, OkEmpty.
    auto e1 = c.conn->callReducer(QStringLiteral("set_name"), stringArgs(QString()), cb);
    auto e2 = c.conn->callReducer(QStringLiteral("nope"), {}, cb);
    auto e3 =
        c.conn->callReducer(QStringLiteral("send_message"), stringArgs(QStringLiteral("x")), cb);
    QVERIFY(e1 && e2 && e3);
    QVERIFY(srv.waitForMessages(int(srv.received.size()) + 2));
    BsatnWriter err;
    err.writeString(QStringLiteral("Names must not be empty"));
    srv.send(P::ReducerResult{*e1, {}, P::ReducerErr{err.take()}});
    srv.send(P::ReducerResult{*e2, {}, P::ReducerInternalError{QStringLiteral("no such reducer")}});
    srv.send(P::ReducerResult{999999, {}, P::ReducerOkEmpty{}}); // unknown id: ignored
    srv.send(P::ReducerResult{*e3, {}, P::ReducerOkEmpty{}});
    QTRY_COMPARE(outcomes.size(), 4);
    QCOMPARE(outcomes[1].status, ReducerOutcome::Status::Err);
    QCOMPARE(outcomes[1].message, QStringLiteral("Names must not be empty"));
    QCOMPARE(outcomes[1].error().kind(), Error::Kind::Server);
    QCOMPARE(outcomes[2].status, ReducerOutcome::Status::InternalError);
    QCOMPARE(outcomes[2].message, QStringLiteral("no such reducer"));
    QCOMPARE(outcomes[3].status, ReducerOutcome::Status::Committed);
    QCOMPARE(outcomes[3].reducer, QStringLiteral("send_message"));
    QCOMPARE(c.conn->pendingRequestCount(), 0);
    QVERIFY(c.conn->isActive());
}

void TestConnectionScripted::callerAlwaysNotified_data() {
    QTest::addColumn<bool>("light");
    QTest::newRow("default") << false;
    QTest::newRow("light mode") << true;
}

// The caller of a reducer always gets its outcome (the official test client's
// caller-always-notified), also when subscribed to nothing and in light mode. Light mode only
// adds light=true to the URL: the server acts on it for v1 clients alone, and v2 updates never
// say which reducer caused someone else's transaction
// (crates/core/src/subscription/module_subscription_manager.rs, send_v2_computed_queries).
void TestConnectionScripted::callerAlwaysNotified() {
    QFETCH(bool, light);
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri(), [light](DbConnectionBuilder &b) {
        if (light)
            b.withLightMode(true);
    });
    QVERIFY(srv.waitForConnections(1));
    const QUrlQuery query(srv.lastRequest().url());
    QCOMPARE(query.hasQueryItem(QStringLiteral("light")), light);
    if (light)
        QCOMPARE(query.queryItemValue(QStringLiteral("light")), QStringLiteral("true"));
    QVERIFY(greet(srv, c));
    c.log->clear();

    // Subscribed to nothing: the server still answers the caller, with an empty update.
    std::optional<ReducerOutcome> outcome;
    auto id = c.conn->callReducer(QStringLiteral("send_message"), stringArgs(QStringLiteral("x")),
                                  [&](const ReducerOutcome &o) { outcome = o; });
    QVERIFY(id);
    auto call = srv.next<P::CallReducer>();
    QVERIFY(call);
    QCOMPARE(call->requestId, *id);
    srv.send(P::ReducerResult{*id, Timestamp::fromMicros(7), P::ReducerOk{{}, {}}});
    QTRY_VERIFY(outcome.has_value());
    QCOMPARE(outcome->status, ReducerOutcome::Status::Committed);
    QCOMPARE(outcome->reducer, QStringLiteral("send_message"));
    QCOMPARE(outcome->requestId, *id);
    QCOMPARE(outcome->timestamp, Timestamp::fromMicros(7));
    QCOMPARE(outcome->callerIdentity, ident(1));
    QCOMPARE(c.log->entries,
             QStringList{QStringLiteral("reducerCompleted send_message committed")});
    QCOMPARE(c.conn->pendingRequestCount(), 0);

    // Subscribed: our rows come with our reducer's event, someone else's as a transaction.
    auto h = subscribeChat(srv, c, {}, {});
    QVERIFY(h.isActive());
    c.log->clear();
    auto mine =
        c.conn->callReducer(QStringLiteral("send_message"), stringArgs(QStringLiteral("mine")), {});
    QVERIFY(mine);
    srv.send(transaction(*h.querySetId(), QStringLiteral("message"), {msg("theirs", 2)}, {}));
    srv.send(P::ReducerResult{
        *mine, Timestamp::fromMicros(8),
        P::ReducerOk{{},
                     transaction(*h.querySetId(), QStringLiteral("message"), {msg("mine")}, {})}});
    QTRY_COMPARE(c.log->count(QStringLiteral("reducerCompleted")), 1);
    QCOMPARE(c.log->entries, (QStringList{QStringLiteral("message+ theirs Transaction"),
                                          QStringLiteral("message+ mine Reducer:send_message"),
                                          QStringLiteral("reducerCompleted send_message "
                                                         "committed")}));
}

// Reconnecting with a saved token (the official test client's reauth): the token an anonymous
// session was given is presented on every later connection, which the server answers with the
// same identity, echoing the token (crates/client-api/src/routes/subscribe.rs).
void TestConnectionScripted::reauthWithSavedToken() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    const QString minted = QStringLiteral("minted.for.seven");
    QString saved;
    {
        auto a = makeClient(srv.uri());
        QSignalSpy connected(a.conn.get(), &DbConnection::connected);
        QVERIFY(srv.waitForConnections(1));
        QVERIFY(srv.lastRequest().rawHeader("Authorization").isEmpty());
        srv.send(hello(7, minted));
        QVERIFY(connected.wait());
        QCOMPARE(connected.first().at(2).toString(), minted);
        saved = a.conn->token();
        QCOMPARE(saved, minted);
        // The same connection resumed later presents it too.
        a.conn->disconnect();
        a.conn->reconnectNow();
        QVERIFY(srv.waitForConnections(2));
        QCOMPARE(srv.lastRequest().rawHeader("Authorization"), "Bearer " + minted.toLatin1());
        a.conn->disconnect();
    }

    // A new connection (a later run of the app) with the saved token.
    auto b = makeClient(srv.uri(), [&](DbConnectionBuilder &builder) { builder.withToken(saved); });
    QSignalSpy connected(b.conn.get(), &DbConnection::connected);
    QVERIFY(srv.waitForConnections(3));
    QCOMPARE(srv.lastRequest().rawHeader("Authorization"), "Bearer " + saved.toLatin1());
    const ConnectionId second =
        ConnectionId::fromHex(QStringLiteral("fedcba9876543210fedcba9876543210"));
    srv.send(P::InitialConnection{ident(7), second, saved});
    QVERIFY(connected.wait());
    QCOMPARE(connected.first().at(0).value<Identity>(), ident(7));
    QCOMPARE(connected.first().at(2).toString(), saved);
    QCOMPARE(b.conn->identity(), ident(7));
    QCOMPARE(b.conn->connectionId(), second);
    QCOMPARE(b.conn->token(), saved);
}

void TestConnectionScripted::oneOffQueryAndProcedure() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    std::optional<Expected<P::QueryRows>> ok, bad;
    auto q1 = c.conn->oneOffQuery(QStringLiteral("SELECT * FROM user"),
                                  [&](const Expected<P::QueryRows> &r) { ok = r; });
    auto q2 = c.conn->oneOffQuery(QStringLiteral("SELECT * FROM nope"),
                                  [&](const Expected<P::QueryRows> &r) { bad = r; });
    QVERIFY(q1 && q2);
    auto m1 = srv.next<P::OneOffQuery>();
    QVERIFY(m1);
    QCOMPARE(m1->queryString, QStringLiteral("SELECT * FROM user"));
    srv.send(P::OneOffQueryResult{*q1, queryRows({{QStringLiteral("user"), {u(1), u(2)}}})});
    srv.send(P::OneOffQueryResult{*q2, QStringLiteral("no such table")});
    QTRY_VERIFY(ok && bad);
    QVERIFY(ok->hasValue());
    QCOMPARE(ok->value().tables.first().rows.rowCount(), 2);
    QVERIFY(!bad->hasValue());
    QCOMPARE(bad->error().message(), QStringLiteral("no such table"));
    QCOMPARE(c.users->count(), 0); // nothing cached

    QList<ProcedureOutcome> procs;
    auto p1 = c.conn->callProcedure(QStringLiteral("answer"), {},
                                    [&](const ProcedureOutcome &o) { procs.append(o); });
    auto p2 = c.conn->callProcedure(QStringLiteral("nope"), {},
                                    [&](const ProcedureOutcome &o) { procs.append(o); });
    QVERIFY(p1 && p2);
    auto cp = srv.next<P::CallProcedure>();
    QVERIFY(cp);
    QCOMPARE(cp->procedure, QStringLiteral("answer"));
    srv.send(P::ProcedureResult{P::ProcedureReturned{QByteArray("\x2a\0\0\0", 4)},
                                Timestamp::fromMicros(5), TimeDuration::fromMicros(7), *p1});
    srv.send(P::ProcedureResult{
        P::ProcedureInternalError{QStringLiteral("no such procedure")}, {}, {}, *p2});
    QTRY_COMPARE(procs.size(), 2);
    QVERIFY(procs[0].isReturned());
    QCOMPARE(procs[0].value, QByteArray("\x2a\0\0\0", 4));
    QCOMPARE(procs[0].hostDuration, TimeDuration::fromMicros(7));
    QCOMPARE(procs[1].status, ProcedureOutcome::Status::InternalError);
    QCOMPARE(procs[1].message, QStringLiteral("no such procedure"));
}

void TestConnectionScripted::pendingFailOnLoss() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    QList<ReducerOutcome> reducers;
    std::optional<Expected<P::QueryRows>> query;
    QList<ProcedureOutcome> procs;
    QVERIFY(c.conn->callReducer(QStringLiteral("send_message"), stringArgs(QStringLiteral("x")),
                                [&](const ReducerOutcome &o) { reducers.append(o); }));
    QVERIFY(c.conn->oneOffQuery(QStringLiteral("SELECT * FROM user"),
                                [&](const Expected<P::QueryRows> &r) { query = r; }));
    QVERIFY(c.conn->callProcedure(QStringLiteral("p"), {},
                                  [&](const ProcedureOutcome &o) { procs.append(o); }));
    QVERIFY(srv.waitForMessages(3));
    QSignalSpy disc(c.conn.get(), &DbConnection::disconnected);
    c.log->clear();
    srv.abortClient();
    QVERIFY(disc.wait());
    QCOMPARE(reducers.size(), 1);
    QCOMPARE(reducers[0].status, ReducerOutcome::Status::OutcomeUnknown);
    QVERIFY(query && !query->hasValue());
    QCOMPARE(query->error().kind(), Error::Kind::Disconnected);
    QCOMPARE(procs.size(), 1);
    QCOMPARE(procs[0].status, ProcedureOutcome::Status::OutcomeUnknown);
    QCOMPARE(c.conn->pendingRequestCount(), 0);
    QCOMPARE(c.conn->state(), DbConnection::State::Disconnected);
    auto err = disc.first().at(0).value<std::optional<Error>>();
    QVERIFY(err);
    QVERIFY2(err->message().contains(QLatin1String("lost")), qPrintable(err->message()));
    QCOMPARE(c.log->entries.first(), QStringLiteral("state Disconnected"));
    QVERIFY(c.log->entries.at(1).startsWith(QLatin1String("disconnected connection to")));
    QCOMPARE(c.log->entries.at(2), QStringLiteral("reducerCompleted send_message outcome unknown"));
    // Exactly once: not again when anything of the old session is still on its way. A new
    // session and a round trip on it come after all of that.
    c.conn->reconnectNow();
    QVERIFY(greet(srv, c, 2));
    QVERIFY(roundTrip(srv, c));
    QCOMPARE(reducers.size(), 1);
    QCOMPARE(procs.size(), 1);
}

void TestConnectionScripted::malformedFrames_data() {
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("kind");
    QTest::newRow("empty") << QByteArray() << int(Error::Kind::Decode);
    QTest::newRow("unknown compression tag")
        << QByteArray("\x07\x00", 2) << int(Error::Kind::Compression);
    QTest::newRow("unknown message tag") << QByteArray("\x00\x09", 2) << int(Error::Kind::Decode);
    QTest::newRow("truncated") << QByteArray("\x00\x04\x05\x00", 4) << int(Error::Kind::Decode);
    QTest::newRow("huge length") << QByteArray("\x00\x05\x01\x00\x00\x00\x00\xff\xff\xff\x7f", 11)
                                 << int(Error::Kind::Decode);
    QTest::newRow("corrupt gzip") << QByteArray("\x02\x1f\x8b\x08\x00garbage", 13)
                                  << int(Error::Kind::Compression);
    QTest::newRow("corrupt brotli")
        << QByteArray("\x01\xff\xff\xff\xff", 5) << int(Error::Kind::Compression);
}

void TestConnectionScripted::malformedFrames() {
    QFETCH(QByteArray, frame);
    QFETCH(int, kind);
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    QSignalSpy disc(c.conn.get(), &DbConnection::disconnected);
    srv.sendRaw(frame);
    srv.send(transaction(1, QStringLiteral("user"), {u(1)}, {})); // never applied
    QVERIFY(disc.wait());
    auto err = disc.first().at(0).value<std::optional<Error>>();
    QVERIFY(err);
    QCOMPARE(int(err->kind()), kind);
    QVERIFY2(err->message().contains(srv.uri()), qPrintable(err->message()));
    if (kind == int(Error::Kind::Decode))
        QVERIFY2(err->offset() >= 0 || frame.isEmpty(), qPrintable(err->toString()));
    QCOMPARE(c.conn->state(), DbConnection::State::Disconnected);
    QCOMPARE(c.users->count(), 0);
    QCOMPARE(c.conn->lastError(), *err);
}

void TestConnectionScripted::malformedFrameReconnects() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri(),
                        [](DbConnectionBuilder &b) { b.withReconnectPolicy(fastReconnect()); });
    QVERIFY(greet(srv, c));
    QSignalSpy reconnecting(c.conn.get(), &DbConnection::reconnecting);
    srv.sendRaw(QByteArray("\x00\xee", 2));
    QVERIFY(reconnecting.wait());
    QCOMPARE(reconnecting.first().at(0).toInt(), 1);
    QCOMPARE(reconnecting.first().at(1).toInt(), 50);
    QCOMPARE(c.conn->state(), DbConnection::State::Reconnecting);
    QVERIFY(greet(srv, c, 2));
    QCOMPARE(c.log->count(QStringLiteral("connected")), 2);
    QCOMPARE(c.log->count(QStringLiteral("disconnected")), 1);
}

void TestConnectionScripted::textFrame() {
    QFETCH(bool, ownReader);
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri(), reader(ownReader));
    QVERIFY(greet(srv, c));
    QSignalSpy disc(c.conn.get(), &DbConnection::disconnected);
    srv.sendText(QStringLiteral("{\"hello\":1}"));
    QVERIFY(disc.wait());
    auto err = disc.first().at(0).value<std::optional<Error>>();
    QVERIFY(err);
    QCOMPARE(err->kind(), Error::Kind::Protocol);
    QVERIFY(err->message().contains(QLatin1String("text message")));
}

void TestConnectionScripted::closeCodes() {
    QFETCH(bool, ownReader);
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri(), reader(ownReader));
    QVERIFY(greet(srv, c));
    QSignalSpy disc(c.conn.get(), &DbConnection::disconnected);
    srv.closeClient(QWebSocketProtocol::CloseCode(1011),
                    QStringLiteral("Subscription with id 1 already exists"));
    QVERIFY(disc.wait());
    auto err = disc.first().at(0).value<std::optional<Error>>();
    QVERIFY(err);
    QVERIFY2(err->message().contains(QLatin1String("Subscription with id 1 already exists")),
             qPrintable(err->message()));
    QVERIFY(err->message().contains(QLatin1String("1011")));
    QCOMPARE(err->kind(), Error::Kind::Server);

    // Going away (database stopped).
    ScriptedServer srv2;
    QVERIFY(srv2.listen());
    auto c2 = makeClient(srv2.uri(), reader(ownReader));
    QVERIFY(greet(srv2, c2));
    QSignalSpy disc2(c2.conn.get(), &DbConnection::disconnected);
    srv2.closeClient(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("module exited"));
    QVERIFY(disc2.wait());
    err = disc2.first().at(0).value<std::optional<Error>>();
    QVERIFY2(err && err->message().contains(QLatin1String("module exited")),
             qPrintable(err ? err->message() : QString()));
}

void TestConnectionScripted::fragmentsAndPing() {
    QFETCH(bool, ownReader);
    FrameReaderLog readers;
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri(), reader(ownReader));
    QVERIFY(greet(srv, c));
    QCOMPARE(readers.count(), ownReader ? 1 : 0);
    c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM message"));
    auto sub = srv.next<P::Subscribe>();
    QVERIFY(sub);
    QList<QByteArray> rows;
    for (int i = 0; i < 300; ++i)
        rows.append(msg(QStringLiteral("fragment %1").arg(i), 1, i));
    // About 17 KiB in frames of 100 bytes: a binary frame and ~170 continuation frames.
    srv.client()->setOutgoingFrameSize(100);
    srv.send(P::SubscribeApplied{sub->requestId, sub->querySetId,
                                 queryRows({{QStringLiteral("message"), rows}})});
    QTRY_COMPARE(c.messages->count(), 300);
    // A ping is answered with a pong carrying its payload.
    QSignalSpy pong(srv.client(), &QWebSocket::pong);
    srv.client()->ping(QByteArrayLiteral("are you there"));
    QVERIFY(pong.wait());
    QCOMPARE(pong.first().at(1).toByteArray(), QByteArrayLiteral("are you there"));
    srv.send(transaction(sub->querySetId, QStringLiteral("message"), {msg("after the ping")}, {}));
    QTRY_COMPARE(c.messages->count(), 301);
    QCOMPARE(c.log->count(QStringLiteral("violation")), 0);
    QVERIFY(c.conn->isActive());
}

// A compressed message in many frames, as SpacetimeDB sends a large one: through QWebSocket
// its body is inflated on a thread of its own while the frames arrive (StreamingInflater),
// through the own reader at once; the rows are the same, and a one-frame message and another
// fragmented one follow in order.
void TestConnectionScripted::fragmentedCompressed_data() {
    QTest::addColumn<int>("method");
    QTest::addColumn<bool>("ownReader");
    for (const Compression c : {Compression::Gzip, Compression::Brotli})
        for (const bool own : {false, true})
            QTest::addRow("%s, %s", qPrintable(compressionName(c)),
                          own ? "WebSocketReader" : "QWebSocket")
                << int(c) << own;
}

void TestConnectionScripted::fragmentedCompressed() {
    QFETCH(int, method);
    QFETCH(bool, ownReader);
    const Compression c = Compression(method);
    FrameReaderLog frameLog; // the reader's takeover and each streamed inflation say so
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c1 = makeClient(srv.uri(), reader(ownReader));
    QVERIFY(greet(srv, c1));
    c1.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM message"));
    auto sub = srv.next<P::Subscribe>();
    QVERIFY(sub);
    // Texts that do not compress to nothing: the body stays many 100-byte frames long.
    QList<QByteArray> rows;
    QStringList texts;
    for (int i = 0; i < 400; ++i) {
        texts << QUuid::createUuid().toString() + QString::number(i);
        rows.append(msg(texts.last(), 1 + i % 5, i));
    }
    QSignalSpy processed(c1.conn.get(), &DbConnection::frameProcessed);
    srv.client()->setOutgoingFrameSize(100);
    srv.send(P::SubscribeApplied{sub->requestId, sub->querySetId,
                                 queryRows({{QStringLiteral("message"), rows}})},
             c);
    QTRY_COMPARE(c1.messages->count(), 400);
    QTRY_VERIFY(!processed.isEmpty());
    const auto timing = processed.last().at(0).value<FrameTiming>();
    QCOMPARE(timing.compression, c);
    QVERIFY2(timing.wireBytes > 50 * 100, "the message was not fragmented");
    QCOMPARE(c1.log->count(QStringLiteral("violation")), 0);
    // A small message (one frame, not compressed), then another fragmented compressed one.
    srv.send(transaction(sub->querySetId, QStringLiteral("message"), {msg("small")}, {}), c);
    QList<QByteArray> more;
    for (int i = 0; i < 100; ++i)
        more.append(msg(QUuid::createUuid().toString(), 2, 1000 + i));
    srv.send(transaction(sub->querySetId, QStringLiteral("message"), more, {}), c);
    QTRY_COMPARE(c1.messages->count(), 501);
    QVERIFY(c1.conn->isActive());
    // QWebSocket: both fragmented messages were inflated as they came; own reader: neither.
    QCOMPARE(FrameReaderLog::count(), ownReader ? 1 : 2);
}

// A corrupt compressed body in many frames ends the session with an error of the kind and cause
// decompress() gives for the whole body, with either reader.
void TestConnectionScripted::fragmentedCorrupt() {
    QFETCH(int, method);
    QFETCH(bool, ownReader);
    const Compression c = Compression(method);
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c1 = makeClient(srv.uri(), reader(ownReader));
    QVERIFY(greet(srv, c1));
    QByteArray packed = compress(c, QUuid::createUuid().toByteArray().repeated(200));
    QByteArray noise;
    for (int i = 0; i < 60; ++i)
        noise += QUuid::createUuid().toRfc4122();
    packed = packed.left(packed.size() / 2) + noise + packed.mid(packed.size() / 2);
    const Expected<QByteArray> expected = decompress(c, packed);
    QVERIFY(!expected);
    QSignalSpy disc(c1.conn.get(), &DbConnection::disconnected);
    srv.client()->setOutgoingFrameSize(100);
    srv.sendRaw(char(c) + packed);
    QVERIFY(disc.wait());
    const auto err = disc.first().at(0).value<std::optional<Error>>();
    QVERIFY(err);
    QCOMPARE(err->kind(), Error::Kind::Compression);
    // The cause; Brotli's bracketed detail may name another decoder state for other cuts.
    const QString message = expected.error().message();
    QVERIFY2(err->message().contains(message.left(message.indexOf(QStringLiteral(" (")))),
             qPrintable(err->toString()));
}

void TestConnectionScripted::subprotocolMismatch() {
    ScriptedServer srv({QStringLiteral("v1.json.spacetimedb")});
    QVERIFY(srv.listen());
    ManualClock clock;
    auto c = makeClient(srv.uri(), [&](DbConnectionBuilder &b) {
        b.withReconnectPolicy(fastReconnect()).withClock(&clock);
    });
    QSignalSpy err(c.conn.get(), &DbConnection::connectError);
    QVERIFY(err.wait());
    const Error e = err.first().at(0).value<Error>();
    QCOMPARE(e.kind(), Error::Kind::Protocol);
    QVERIFY2(e.message().contains(QLatin1String("v2.bsatn.spacetimedb")), qPrintable(e.message()));
    QCOMPARE(c.conn->state(), DbConnection::State::Disconnected); // permanent: no retry
    QCOMPARE(clock.activeTimers(), 0); // nothing scheduled that could start one
    clock.advance(10min);
    QCOMPARE(c.conn->state(), DbConnection::State::Disconnected);
    QCOMPARE(srv.connectionCount(), 1);
}

void TestConnectionScripted::httpStatusErrors() {
    {
        StatusServer http("404 Not Found");
        const QString uri = QStringLiteral("http://127.0.0.1:%1").arg(http.port());
        auto c =
            makeClient(uri, [](DbConnectionBuilder &b) { b.withReconnectPolicy(fastReconnect()); });
        QSignalSpy err(c.conn.get(), &DbConnection::connectError);
        QVERIFY(err.wait());
        QCOMPARE(err.first().at(0).value<Error>().message(),
                 QStringLiteral("database quickstart-chat not found on %1").arg(uri));
        QCOMPARE(c.conn->state(), DbConnection::State::Disconnected);
        QCOMPARE(c.log->count(QStringLiteral("disconnected")), 0);
        QCOMPARE(c.log->count(QStringLiteral("reconnecting")), 0);
    }
    {
        StatusServer http("401 Unauthorized");
        auto c = makeClient(QStringLiteral("http://127.0.0.1:%1").arg(http.port()),
                            [](DbConnectionBuilder &b) { b.withToken(QStringLiteral("bad")); });
        QSignalSpy err(c.conn.get(), &DbConnection::connectError);
        QVERIFY(err.wait());
        const QString m = err.first().at(0).value<Error>().message();
        QVERIFY2(m.contains(QLatin1String("rejected the saved token")), qPrintable(m));
    }
}

void TestConnectionScripted::unreachable() {
    quint16 port;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    ManualClock clock;
    auto c =
        makeClient(QStringLiteral("http://127.0.0.1:%1").arg(port), [&](DbConnectionBuilder &b) {
            b.withReconnectPolicy(fastReconnect()).withClock(&clock);
        });
    QSignalSpy err(c.conn.get(), &DbConnection::connectError);
    QSignalSpy reconnecting(c.conn.get(), &DbConnection::reconnecting);
    QVERIFY(err.wait());
    QCOMPARE(err.first().at(0).value<Error>().message(),
             QStringLiteral("cannot reach http://127.0.0.1:%1: connection refused (is the server "
                            "running?)")
                 .arg(port));
    // Transient: retried with growing delays, each attempt exactly when its delay is over.
    const QList<int> delays{50, 100, 200, 200};
    for (int i = 0; i < delays.size(); ++i) {
        QCOMPARE(reconnecting.size(), i + 1);
        QCOMPARE(reconnecting.at(i).at(0).toInt(), i + 1);
        QCOMPARE(reconnecting.at(i).at(1).toInt(), delays[i]);
        QCOMPARE(clock.untilNextTimeout(), std::optional(std::chrono::milliseconds(delays[i])));
        clock.advance(std::chrono::milliseconds(delays[i] - 1));
        QCOMPARE(c.conn->state(), DbConnection::State::Reconnecting);
        QCOMPARE(clock.untilNextTimeout(), std::optional(1ms)); // not attempted early
        clock.advance(1ms);                                     // the attempt starts ...
        QVERIFY(reconnecting.wait());                           // ... and is refused
    }
    QCOMPARE(c.conn->state(), DbConnection::State::Reconnecting);
    c.conn->disconnect();
    QCOMPARE(c.conn->state(), DbConnection::State::Disconnected);
    QCOMPARE(clock.activeTimers(), 0); // no attempt left to come
    const int n = int(reconnecting.size());
    clock.advance(10min);
    QCOMPARE(reconnecting.size(), n);
    QCOMPARE(c.conn->state(), DbConnection::State::Disconnected);
}

void TestConnectionScripted::firstFrameWithHandshake() {
    QFETCH(bool, ownReader);
    FrameReaderLog readers;
    SilentServer server; // the 101 response and InitialConnection arrive together
    auto c =
        makeClient(QStringLiteral("http://127.0.0.1:%1").arg(server.port()), reader(ownReader));
    QSignalSpy connected(c.conn.get(), &DbConnection::connected);
    QVERIFY(connected.wait());
    QCOMPARE(readers.count(), ownReader ? 1 : 0);
    QCOMPARE(c.conn->identity(), ident(1));
    QCOMPARE(c.conn->token(), QStringLiteral("minted.token"));
    QCOMPARE(c.log->entries,
             (QStringList{QStringLiteral("state Connected"), QStringLiteral("connected")}));
}

void TestConnectionScripted::deadConnection() {
    SilentServer silent;
    auto c = makeClient(QStringLiteral("http://127.0.0.1:%1").arg(silent.port()),
                        [](DbConnectionBuilder &b) { b.withKeepAlive(150ms, 150ms); });
    QSignalSpy connected(c.conn.get(), &DbConnection::connected);
    QSignalSpy disc(c.conn.get(), &DbConnection::disconnected);
    QVERIFY(connected.wait());
    QVERIFY(disc.wait(3000));
    // We pinged first (FIN + ping opcode), before giving up.
    QTRY_VERIFY(!silent.afterHandshake.isEmpty());
    QCOMPARE(quint8(silent.afterHandshake.at(0)), quint8(0x89));
    auto err = disc.first().at(0).value<std::optional<Error>>();
    QVERIFY(err);
    QVERIFY2(err->message().contains(QLatin1String("nothing received for 0.3 s")),
             qPrintable(err->message()));
}

void TestConnectionScripted::rawChangesShareFrameBuffers() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    struct Seen {
        EventContext::Kind kind;
        qsizetype inserted = 0;
        qsizetype deleted = 0;
        QList<QByteArray> buffers; // our references to the frames of the inserted rows
        QList<QByteArrayView> views;
        QList<QByteArray> copies;
    };
    QList<Seen> seen;
    QStringList order;
    connect(c.messages, &MessageTable::rowInserted, this,
            [&](const MessageRow &, const EventContext &) { order << QStringLiteral("typed"); });
    connect(c.messages, &TableHandle::rawChanges, this,
            [&](const stdb::TableDelta &delta, const EventContext &ctx) {
                order << QStringLiteral("raw");
                QCOMPARE(delta.table, c.messages->cache());
                Seen one{ctx.kind(), delta.inserted.size(), delta.deleted.size(), {}, {}, {}};
                for (const stdb::RowEntry *e : delta.inserted) {
                    const QByteArray &b = c.messages->cache()->buffer(*e);
                    QVERIFY(e->bytes().data() >= b.constData());
                    QVERIFY(e->bytes().data() + e->bytes().size() <= b.constData() + b.size());
                    one.buffers.append(b);
                    one.views.append(e->bytes());
                    one.copies.append(e->bytes().toByteArray());
                }
                seen.append(one);
            });
    auto h = subscribeChat(srv, c, {u(1, "ann")}, {msg("one"), msg("two")});
    QVERIFY(h.isActive());
    QCOMPARE(seen.size(), 1); // once per message, not per row
    QCOMPARE(seen[0].kind, EventContext::Kind::SubscribeApplied);
    QCOMPARE(seen[0].inserted, 2);
    QCOMPARE(order, (QStringList{"typed", "typed", "raw"})); // after the per-row signals
    QCOMPARE(seen[0].buffers[0].constData(), seen[0].buffers[1].constData()); // one frame

    // "one" leaves the cache: the view taken before stays valid through our reference.
    srv.send(transaction(*h.querySetId(), QStringLiteral("message"), {msg("three", 2, 5)},
                         {msg("one")}));
    QTRY_COMPARE(seen.size(), 2);
    QCOMPARE(seen[1].kind, EventContext::Kind::Transaction);
    QCOMPARE(seen[1].inserted, 1);
    QCOMPARE(seen[1].deleted, 1);
    QCOMPARE(c.messages->count(), 2);
    QVERIFY(seen[1].buffers[0].constData() != seen[0].buffers[0].constData());
    for (const Seen &one : std::as_const(seen))
        for (qsizetype i = 0; i < one.views.size(); ++i)
            QCOMPARE(one.views[i].toByteArray(), one.copies[i]);
}

void TestConnectionScripted::reconnectResync() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri(),
                        [](DbConnectionBuilder &b) { b.withReconnectPolicy(fastReconnect()); });
    QVERIFY(greet(srv, c));
    int applied = 0;
    auto h = subscribeChat(srv, c, {u(1, "ann"), u(2, "bob")}, {msg("one"), msg("two")}, &applied);
    QVERIFY(h.isActive());
    QList<ReducerOutcome> outcomes;
    QVERIFY(c.conn->callReducer(QStringLiteral("send_message"), stringArgs(QStringLiteral("x")),
                                [&](const ReducerOutcome &o) { outcomes.append(o); }));
    QVERIFY(srv.next<P::CallReducer>());
    c.log->clear();

    srv.abortClient();
    QVERIFY(srv.waitForConnections(2));
    // While reconnecting the cache keeps its rows.
    QCOMPARE(c.users->count(), 2);
    QCOMPARE(c.messages->count(), 2);
    auto sub = srv.next<P::Subscribe>();
    QVERIFY(sub);
    QCOMPARE(sub->queryStrings, h.queries());
    // A table registered while the resync is under way still gets its rows.
    auto *extra = new TableHandle(c.conn.get(), QStringLiteral("reaction"));
    QSignalSpy extraInserted(extra, &TableHandle::rawRowInserted);
    int finishedAfterRows = -1;
    connect(c.conn.get(), &DbConnection::resyncFinished, this,
            [&] { finishedAfterRows = int(c.log->count(QStringLiteral("message+"))); });
    srv.send(hello(1, QStringLiteral("other")));
    srv.send(
        P::SubscribeApplied{sub->requestId, sub->querySetId,
                            queryRows({{QStringLiteral("user"), {u(1, "ann"), u(2, "bob", false)}},
                                       {QStringLiteral("message"), {msg("one"), msg("three")}},
                                       {QStringLiteral("reaction"), {QByteArray("\x01")}}})});
    QTRY_COMPARE(c.log->count(QStringLiteral("message+")), 1);
    QVERIFY(roundTrip(srv, c));
    const QString bob = ident(2).toShortHex().left(8);
    QCOMPARE(c.log->entries,
             (QStringList{
                 QStringLiteral("state Reconnecting"),
                 QStringLiteral("disconnected connection to %1 lost: The remote host closed "
                                "the connection")
                     .arg(srv.uri()),
                 QStringLiteral("reducerCompleted send_message outcome unknown"),
                 QStringLiteral("reconnecting 1"), QStringLiteral("state Connected"),
                 QStringLiteral("connected"),
                 // Tables in registration order; deletes before inserts.
                 QStringLiteral("user~ %1/bob/on -> %1/bob/off Resync").arg(bob),
                 QStringLiteral("message- two Resync"), QStringLiteral("message+ three Resync")}));
    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes[0].status, ReducerOutcome::Status::OutcomeUnknown);
    QCOMPARE(applied, 1);
    QCOMPARE(finishedAfterRows, 1); // once, after the Resync row signals
    QCOMPARE(extra->count(), 1);
    QCOMPARE(extraInserted.size(), 1);
    QCOMPARE(extraInserted.first().at(1).value<EventContext>().kind(), EventContext::Kind::Resync);
    QVERIFY(h.isActive());
    QCOMPARE(c.conn->token(), QStringLiteral("minted.token")); // first anonymous token kept
    // The resubscribed set is live.
    srv.send(transaction(sub->querySetId, QStringLiteral("message"), {msg("four")}, {}));
    QTRY_COMPARE(c.messages->count(), 3);
}

void TestConnectionScripted::dropDuringResync() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri(),
                        [](DbConnectionBuilder &b) { b.withReconnectPolicy(fastReconnect()); });
    QVERIFY(greet(srv, c));
    auto h = subscribeChat(srv, c, {u(1)}, {msg("one")});
    c.log->clear();
    srv.abortClient();
    QVERIFY(greet(srv, c, 2));
    QVERIFY(srv.next<P::Subscribe>());
    // Dropped again before the snapshot: the old replica stays visible, nothing reported.
    srv.abortClient();
    QVERIFY(greet(srv, c, 3));
    QCOMPARE(c.messages->count(), 1);
    QCOMPARE(c.log->count(QStringLiteral("message")), 0);
    auto sub = srv.next<P::Subscribe>();
    QVERIFY(sub);
    srv.send(P::SubscribeApplied{
        sub->requestId, sub->querySetId,
        queryRows({{QStringLiteral("user"), {u(1)}}, {QStringLiteral("message"), {msg("two")}}})});
    QTRY_COMPARE(c.log->count(QStringLiteral("message+")), 1);
    QCOMPARE(c.log->matching(QStringLiteral("message")),
             (QStringList{QStringLiteral("message- one Resync"),
                          QStringLiteral("message+ two Resync")}));
    QCOMPARE(c.log->count(QStringLiteral("reconnecting")), 2);
    QCOMPARE(c.log->count(QStringLiteral("connected")), 2);
    QVERIFY(h.isActive());
}

void TestConnectionScripted::mutationsInsideCallbacks() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    SubscriptionHandle inner;
    bool disconnectRequested = false;
    QObject::connect(
        c.users, &UserTable::rowInserted, c.conn.get(), [&](const UserRow &, const EventContext &) {
            if (disconnectRequested)
                return;
            disconnectRequested = true;
            // Takes effect after the whole message was reported.
            c.conn->disconnect();
            QVERIFY(c.conn->isActive());
            inner =
                c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM message"));
        });
    auto h = c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM user"));
    auto s = srv.next<P::Subscribe>();
    QVERIFY(s);
    QSignalSpy disc(c.conn.get(), &DbConnection::disconnected);
    srv.send(P::SubscribeApplied{s->requestId, s->querySetId,
                                 queryRows({{QStringLiteral("user"), {u(1), u(2), u(3)}}})});
    QVERIFY(disc.wait());
    QCOMPARE(c.log->count(QStringLiteral("user+")), 3);
    QVERIFY(c.log->entries.indexOf(QStringLiteral("disconnected clean")) >
            c.log->entries.lastIndexOf(QRegularExpression(QStringLiteral("^user\\+.*"))));
    QVERIFY(!disc.first().at(0).value<std::optional<Error>>());
    auto sub2 = srv.next<P::Subscribe>();
    QVERIFY(sub2);
    QCOMPARE(sub2->queryStrings, QStringList{QStringLiteral("SELECT * FROM message")});
    // Dormant now; resumes with reconnectNow().
    QCOMPARE(inner.state(), SubscriptionHandle::State::Pending);
    QVERIFY(h.isActive());
}

void TestConnectionScripted::v3Batches() {
    ScriptedServer srv(
        {QStringLiteral("v3.bsatn.spacetimedb"), QStringLiteral("v2.bsatn.spacetimedb")});
    QVERIFY(srv.listen());
    auto c =
        makeClient(srv.uri(), [](DbConnectionBuilder &b) { b.withProtocol(ProtocolVersion::V3); });
    auto h = c.conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM user"));
    QVERIFY(srv.waitForConnections(1));
    auto s = srv.next<P::Subscribe>();
    QVERIFY(s);
    srv.sendBatch({hello(),
                   P::SubscribeApplied{s->requestId, s->querySetId,
                                       queryRows({{QStringLiteral("user"), {u(1), u(2)}}})},
                   transaction(s->querySetId, QStringLiteral("user"), {u(3)}, {u(1)})},
                  Compression::Gzip);
    QTRY_VERIFY(h.isActive());
    QTRY_COMPARE(c.users->count(), 2);
    QCOMPARE(c.conn->subprotocol(), QStringLiteral("v3.bsatn.spacetimedb"));

    // A v2-only server: the same client falls back to v2.
    ScriptedServer v2;
    QVERIFY(v2.listen());
    auto c2 =
        makeClient(v2.uri(), [](DbConnectionBuilder &b) { b.withProtocol(ProtocolVersion::V3); });
    QVERIFY(greet(v2, c2));
    QCOMPARE(c2.conn->subprotocol(), QStringLiteral("v2.bsatn.spacetimedb"));
}

void TestConnectionScripted::reconnectNowAfterDisconnect() {
    ScriptedServer srv;
    QVERIFY(srv.listen());
    auto c = makeClient(srv.uri());
    QVERIFY(greet(srv, c));
    auto h = subscribeChat(srv, c, {u(1)}, {msg("one")});
    c.conn->disconnect();
    QCOMPARE(c.conn->state(), DbConnection::State::Disconnected);
    QCOMPARE(c.log->entries.last(), QStringLiteral("disconnected clean"));
    QVERIFY(h.isActive()); // dormant, rows kept
    QCOMPARE(c.messages->count(), 1);
    c.log->clear();
    c.conn->reconnectNow();
    QCOMPARE(c.conn->state(), DbConnection::State::Reconnecting);
    QVERIFY(greet(srv, c, 2));
    auto sub = srv.next<P::Subscribe>();
    QVERIFY(sub);
    srv.send(P::SubscribeApplied{
        sub->requestId, sub->querySetId,
        queryRows({{QStringLiteral("user"), {u(1)}}, {QStringLiteral("message"), {msg("one")}}})});
    QVERIFY(roundTrip(srv, c));
    QCOMPARE(c.log->entries,
             (QStringList{QStringLiteral("state Reconnecting"), QStringLiteral("state Connected"),
                          QStringLiteral("connected")}));
    QVERIFY(h.isActive());
}

void TestConnectionScripted::tlsVerification() {
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    QFile certFile(QFINDTESTDATA("data/selfsigned.crt"));
    QFile keyFile(QFINDTESTDATA("data/selfsigned.key"));
    QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    const QSslCertificate cert(&certFile, QSsl::Pem);
    const QSslKey key(&keyFile, QSsl::Rsa, QSsl::Pem);
    QVERIFY(!cert.isNull() && !key.isNull());

    QWebSocketServer server(QStringLiteral("tls"), QWebSocketServer::SecureMode);
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setLocalCertificate(cert);
    ssl.setPrivateKey(key);
    ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
    server.setSslConfiguration(ssl);
    server.setSupportedSubprotocols({QStringLiteral("v2.bsatn.spacetimedb")});
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QList<QWebSocket *> accepted;
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        while (QWebSocket *s = server.nextPendingConnection()) {
            accepted.append(s);
            s->sendBinaryMessage(
                P::encodeServerFrame(P::encodeServerMessage(hello()), Compression::None));
        }
    });
    const QString ip = QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort());

    // Not trusted: refused, with the reason, and never retried.
    auto untrusted =
        makeClient(ip, [](DbConnectionBuilder &b) { b.withReconnectPolicy(fastReconnect()); });
    QSignalSpy err(untrusted.conn.get(), &DbConnection::connectError);
    QVERIFY(err.wait(5000));
    const QString m = err.first().at(0).value<Error>().message();
    QVERIFY2(m.contains(QLatin1String("TLS certificate")) && m.contains(ip), qPrintable(m));
    QCOMPARE(untrusted.conn->state(), DbConnection::State::Disconnected);
    QVERIFY(accepted.isEmpty());

    // Trusted explicitly: connects, verification still on.
    auto trusted = makeClient(ip, [&](DbConnectionBuilder &b) { b.withTrustedCertificate(cert); });
    QTRY_VERIFY_WITH_TIMEOUT(trusted.conn->isActive(), 5000);

    // Trusting a certificate does not excuse a wrong host name.
    auto wrongName = makeClient(QStringLiteral("https://localhost:%1").arg(server.serverPort()),
                                [&](DbConnectionBuilder &b) { b.withTrustedCertificate(cert); });
    QSignalSpy err2(wrongName.conn.get(), &DbConnection::connectError);
    QVERIFY(err2.wait(5000));
    QVERIFY2(err2.first().at(0).value<Error>().message().contains(QLatin1String("TLS")),
             qPrintable(err2.first().at(0).value<Error>().message()));
    qDeleteAll(accepted);
}

QTEST_MAIN(TestConnectionScripted)
#include "tst_connection_scripted.moc"
