// SPDX-License-Identifier: Apache-2.0
// DbConnection end to end against the real spacetime-chat-host executable over loopback:
// lifecycle, identity, every subscription path, reducers, one-off queries, unknown tables,
// HTTP-level errors, injected faults, and reconnect after drops and restarts (the cache must
// equal a fresh one-off query afterwards, with exactly the expected callbacks).
//
// With STDB_TEST_SERVER set (tests/devhost/support/hostprocess.h) the functions that need only
// the module's behaviour run against that server; its database keeps earlier runs' rows, so
// counts there are relative to what was there before. Injected faults, restarts and checks of
// a whole table's contents skip.

#include "chattables.h"
#include "eventlog.h"
#include "hostprocess.h"
#include "httpclient.h"

#include "spacetime/connection/dbconnection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace stdb;
using namespace std::chrono_literals;

namespace {

struct Client {
    std::unique_ptr<DbConnection> conn;
    UserTable *users = nullptr;
    MessageTable *messages = nullptr;
    std::unique_ptr<EventLog> log;
    int applied = 0;
};

ReconnectPolicy fastReconnect() {
    ReconnectPolicy p = ReconnectPolicy::standard();
    p.initialDelay = 100ms;
    p.maxDelay = 400ms;
    p.jitter = 0;
    return p;
}

QString shortId(const Identity &id) {
    return id.toShortHex().left(8);
}

} // namespace

class TestConnectionHost : public QObject {
    Q_OBJECT

private:
    HostProcess m_host;
    HttpClient m_http;

    QString uri() const { return m_host.baseUrl(); }

    std::unique_ptr<Client> client(const QString &token = {},
                                   const std::function<void(DbConnectionBuilder &)> &tune = {},
                                   bool withMessages = true) {
        DbConnectionBuilder b;
        b.withUri(uri()).withDatabaseName(HostProcess::database());
        b.withToken(token).withConfirmedReads(false);
        if (tune)
            tune(b);
        auto c = std::make_unique<Client>();
        auto built = b.build();
        if (!built) {
            qWarning() << built.error().message();
            return c;
        }
        c->conn.reset(*built);
        c->users = new UserTable(c->conn.get());
        if (withMessages)
            c->messages = new MessageTable(c->conn.get());
        c->log = std::make_unique<EventLog>(c->conn.get(), c->users, c->messages);
        return c;
    }

    // Connects and subscribes to every table; waits until the rows are in.
    std::unique_ptr<Client>
    subscribed(const QString &token = {},
               const std::function<void(DbConnectionBuilder &)> &tune = {}) {
        auto c = client(token, tune);
        if (!c->conn)
            return c;
        Client *raw = c.get();
        c->conn->subscriptionBuilder()
            .onApplied([raw](const EventContext &) { ++raw->applied; })
            .subscribeToAllTables();
        if (!QTest::qWaitFor([&] { return raw->applied == 1; }, 10000))
            qWarning() << "subscription not applied; host log:" << m_host.log().right(2000);
        return c;
    }

    bool control(const QString &pathAndQuery, const QByteArray &body = {}) {
        const HttpReply r = m_http.post(m_host.http(pathAndQuery), body);
        if (r.status != 200)
            qWarning() << "control" << pathAndQuery << r.status << r.body << r.error;
        return r.status == 200;
    }

    // The host's current rows of a table, by a one-off query over the given connection.
    template <typename Row>
    QList<Row> query(DbConnection *c, const QString &table,
                     std::optional<Row> (*decode)(QByteArrayView)) {
        std::optional<Expected<protocol::QueryRows>> result;
        auto id = c->oneOffQuery(QStringLiteral("SELECT * FROM ") + table,
                                 [&](const Expected<protocol::QueryRows> &r) { result = r; });
        if (!id || !QTest::qWaitFor([&] { return result.has_value(); }, 5000) ||
            !result->hasValue())
            return {};
        QList<Row> out;
        for (const auto &t : result->value().tables)
            for (qsizetype i = 0; i < t.rows.rowCount(); ++i)
                if (auto row = decode(t.rows.row(i)))
                    out.append(*row);
        return out;
    }

    QList<UserRow> queryUsers(DbConnection *c) {
        auto rows = query<UserRow>(c, QStringLiteral("user"), &decodeUser);
        std::sort(rows.begin(), rows.end(),
                  [](const UserRow &a, const UserRow &b) { return a.identity < b.identity; });
        return rows;
    }
    QList<MessageRow> queryMessages(DbConnection *c) {
        auto rows = query<MessageRow>(c, QStringLiteral("message"), &decodeMessage);
        std::sort(rows.begin(), rows.end(), [](const MessageRow &a, const MessageRow &b) {
            return std::tie(a.sent, a.text) < std::tie(b.sent, b.text);
        });
        return rows;
    }

    ReducerOutcome call(Client &c, const QString &reducer, const QByteArray &args) {
        std::optional<ReducerOutcome> out;
        auto id = c.conn->callReducer(reducer, args, [&](const ReducerOutcome &o) { out = o; });
        if (!id)
            return {};
        if (!QTest::qWaitFor([&] { return out.has_value(); }, 5000))
            return {};
        return *out;
    }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void lifecycle();
    void identityPersistence();
    void subscriptionPaths();
    void overlappingQuerySets();
    void subscribeAndCancel();
    void unsubscribeThenResubscribe();
    void updatesByPrimaryKey();
    void reducerResults();
    void callerAlwaysNotified();
    void oneOffQueries();
    void unknownTable();
    void httpErrors();
    void unreachableServer();
    void malformedFrameFromHost();
    void closeCodeFromHost();
    void reconnectAfterDropAll();
    void reconnectAfterRestart();
    void compressionAndProtocols_data();
    void compressionAndProtocols();
};

void TestConnectionHost::initTestCase() {
    // The host is part of the build: its absence is a broken build, not a reason to skip.
    if (!HostProcess::usesExternalServer() && !QFileInfo::exists(HostProcess::executable()))
        QFAIL(qPrintable(
            QStringLiteral("spacetime-chat-host not found at %1").arg(HostProcess::executable())));
}

void TestConnectionHost::init() {
    QVERIFY2(m_host.start(QStringLiteral(":memory:"), {QStringLiteral("--test-controls")}),
             qPrintable(m_host.errorString()));
}

void TestConnectionHost::cleanup() {
    if (QTest::currentTestFailed())
        qWarning().noquote() << "host log:\n" << QString::fromUtf8(m_host.log().right(4000));
    m_host.stop();
}

void TestConnectionHost::lifecycle() {
    auto a = client();
    QCOMPARE(a->conn->state(), DbConnection::State::Connecting);
    QSignalSpy connected(a->conn.get(), &DbConnection::connected);
    QVERIFY(connected.wait(10000));
    QCOMPARE(a->log->entries,
             (QStringList{QStringLiteral("state Connected"), QStringLiteral("connected")}));
    QVERIFY(a->conn->isActive());
    const Identity me = a->conn->identity();
    QVERIFY(!me.isZero());
    QVERIFY2(me.toHex().startsWith(QLatin1String("c200")), qPrintable(me.toHex()));
    QVERIFY(!a->conn->token().isEmpty());
    QCOMPARE(connected.first().at(2).toString(), a->conn->token());
    QVERIFY(!a->conn->connectionId().isZero());

    // A watcher sees a come and go through the module's lifecycle reducers.
    auto w = subscribed();
    QVERIFY(w->users->find(me).has_value());
    QVERIFY(w->users->find(me)->online);
    w->log->clear();
    QSignalSpy disc(a->conn.get(), &DbConnection::disconnected);
    a->conn->disconnect();
    QCOMPARE(a->conn->state(), DbConnection::State::Disconnected);
    QCOMPARE(disc.size(), 1);
    QVERIFY(!disc.first().at(0).value<std::optional<Error>>());
    QTRY_COMPARE(w->log->count(QStringLiteral("user~")), 1);
    QCOMPARE(w->log->entries.first(),
             QStringLiteral("user~ %1/-/on -> %1/-/off Transaction").arg(shortId(me)));
    QVERIFY(!w->users->find(me)->online);
    a->conn->disconnect(); // twice: nothing more
    QCOMPARE(disc.size(), 1);
}

void TestConnectionHost::identityPersistence() {
    QString token;
    Identity first;
    ConnectionId firstConnection;
    {
        auto a = client();
        QVERIFY(QTest::qWaitFor([&] { return a->conn->isActive(); }, 10000));
        token = a->conn->token();
        first = a->conn->identity();
        firstConnection = a->conn->connectionId();
        QCOMPARE(call(*a, QStringLiteral("set_name"), stringArgs(QStringLiteral("ann"))).status,
                 ReducerOutcome::Status::Committed);
    }
    // The same token later: the same identity, the token is kept as given.
    auto b = subscribed(token);
    QCOMPARE(b->conn->identity(), first);
    QCOMPARE(b->conn->token(), token);
    // A new connection has a connection id of its own (the official reconnect test).
    QVERIFY(!b->conn->connectionId().isZero());
    QVERIFY(b->conn->connectionId() != firstConnection);
    QCOMPARE(b->users->find(first)->name, std::optional<QString>(QStringLiteral("ann")));

    // A token the host never issued, and a tampered one.
    for (const QString &bad :
         {QStringLiteral("not-a-token"),
          token.left(token.size() - 2) +
              (token.endsWith(QLatin1Char('A')) ? QStringLiteral("BB") : QStringLiteral("AA"))}) {
        auto c = client(bad);
        QSignalSpy err(c->conn.get(), &DbConnection::connectError);
        QVERIFY(err.wait(10000));
        const Error e = err.first().at(0).value<Error>();
        QVERIFY2(e.message().contains(QLatin1String("rejected the saved token")),
                 qPrintable(e.message()));
        QCOMPARE(c->conn->state(), DbConnection::State::Disconnected);
        QVERIFY(!c->conn->hasIdentity());
    }
}

void TestConnectionHost::subscriptionPaths() {
    STDB_REQUIRE_OWN_HOST("counts every row of the message and user tables");
    auto a = client();
    // Subscribing before the connection is open is queued.
    int applied = 0;
    EventContext appliedCtx;
    auto all = a->conn->subscriptionBuilder()
                   .onApplied([&](const EventContext &ctx) {
                       ++applied;
                       appliedCtx = ctx;
                       a->log->add(QStringLiteral("applied"));
                   })
                   .subscribeToAllTables();
    QCOMPARE(all.state(), SubscriptionHandle::State::Pending);
    QCOMPARE(all.queries(), (QStringList{QStringLiteral("SELECT * FROM \"user\""),
                                         QStringLiteral("SELECT * FROM \"message\"")}));
    QTRY_COMPARE_WITH_TIMEOUT(applied, 1, 10000);
    QCOMPARE(appliedCtx.kind(), EventContext::Kind::SubscribeApplied);
    QCOMPARE(appliedCtx.subscription(), all);
    QVERIFY(all.isActive());
    // Our own user row, inserted with the SubscribeApplied context, after onApplied.
    QTRY_VERIFY(a->users->find(a->conn->identity()).has_value());
    const int appliedAt = int(a->log->entries.indexOf(QStringLiteral("applied")));
    QCOMPARE(a->log->entries.at(appliedAt + 1),
             QStringLiteral("user+ %1/-/on SubscribeApplied").arg(shortId(a->conn->identity())));

    // A filtered subscription.
    int filteredApplied = 0;
    auto online = a->conn->subscriptionBuilder()
                      .onApplied([&](const EventContext &) { ++filteredApplied; })
                      .subscribe(QStringLiteral("SELECT * FROM \"user\" WHERE online = true"));
    QTRY_COMPARE(filteredApplied, 1);

    // An invalid one: error callback, connection fine.
    int errors = 0;
    int badApplied = 0;
    Error seen;
    const qsizetype usersBefore = a->users->count();
    auto bad = a->conn->subscriptionBuilder()
                   .onApplied([&](const EventContext &) { ++badApplied; })
                   .onError([&](const EventContext &ctx) {
                       ++errors;
                       seen = ctx.error();
                   })
                   .subscribe(QStringLiteral("SELECT * FROM no_such_table"));
    QTRY_COMPARE(errors, 1);
    QVERIFY2(seen.message().contains(QLatin1String("no_such_table")), qPrintable(seen.message()));
    QCOMPARE(bad.state(), SubscriptionHandle::State::Failed);
    QVERIFY(a->conn->isActive());
    // Only the rejected one heard of it (the official test client's on_reject).
    QCOMPARE(badApplied, 0);
    QVERIFY(all.isActive());
    QVERIFY(online.isActive());
    QCOMPARE(a->users->count(), usersBefore);

    // Unsubscribing the broad one: rows only it held leave, the filtered set keeps ours.
    QCOMPARE(call(*a, QStringLiteral("send_message"), stringArgs(QStringLiteral("hello"))).status,
             ReducerOutcome::Status::Committed);
    QTRY_COMPARE(a->messages->count(), 1);
    a->log->clear();
    int ended = 0;
    QVERIFY(!all.unsubscribeThen([&](const EventContext &ctx) {
                    ++ended;
                    QCOMPARE(ctx.kind(), EventContext::Kind::UnsubscribeApplied);
                    a->log->add(QStringLiteral("ended"));
                })
                 .isError());
    QTRY_COMPARE(ended, 1);
    QTRY_COMPARE(a->messages->count(), 0);
    QCOMPARE(a->log->entries, (QStringList{QStringLiteral("ended"),
                                           QStringLiteral("message- hello UnsubscribeApplied")}));
    QCOMPARE(a->users->count(), 1); // still held by the filtered set
    QVERIFY(all.isEnded());
    QVERIFY(online.isActive());
    QCOMPARE(a->conn->subscriptions().size(), 1);
}

void TestConnectionHost::overlappingQuerySets() {
    STDB_REQUIRE_OWN_HOST("counts every row of the message table");
    auto a = client();
    auto sender = subscribed();
    int appliedCount = 0;
    auto count = [&](const EventContext &) { ++appliedCount; };
    auto broad = a->conn->subscriptionBuilder().onApplied(count).subscribe(
        QStringLiteral("SELECT * FROM message"));
    auto narrow = a->conn->subscriptionBuilder().onApplied(count).subscribe(
        QStringLiteral("SELECT * FROM message WHERE text = 'hello'"));
    QTRY_COMPARE_WITH_TIMEOUT(appliedCount, 2, 10000);
    a->log->clear();

    QCOMPARE(
        call(*sender, QStringLiteral("send_message"), stringArgs(QStringLiteral("hello"))).status,
        ReducerOutcome::Status::Committed);
    QCOMPARE(
        call(*sender, QStringLiteral("send_message"), stringArgs(QStringLiteral("other"))).status,
        ReducerOutcome::Status::Committed);
    QTRY_COMPARE(a->messages->count(), 2);
    // A one-off query is answered after every update sent before it: a round trip, after which
    // a duplicate report would already be in the log.
    QCOMPARE(queryMessages(a->conn.get()), a->messages->rows());
    // Delivered by both sets, reported once.
    QCOMPARE(a->log->count(QStringLiteral("message+ hello")), 1);
    QCOMPARE(a->log->count(QStringLiteral("message+ other")), 1);
    QVERIFY(a->log->entries.contains(QStringLiteral("message+ hello Transaction")));
    a->messages->cache()->forEach([](const RowEntry &e) {
        const auto m = decodeMessage(e.bytes());
        QCOMPARE(e.refCount(), m->text == QLatin1String("hello") ? 2u : 1u);
    });

    // Dropping the broad set keeps "hello" (still in the narrow one).
    a->log->clear();
    QVERIFY(!broad.unsubscribe().isError());
    QTRY_VERIFY(broad.isEnded());
    QTRY_COMPARE(a->messages->count(), 1);
    QCOMPARE(a->log->entries, QStringList{QStringLiteral("message- other UnsubscribeApplied")});
    QVERIFY(!narrow.unsubscribe().isError());
    QTRY_COMPARE(a->messages->count(), 0);
    QCOMPARE(a->log->count(QStringLiteral("message- hello")), 1);

    // A primary-key row in two sets: a change both see is one update (the official row
    // deduplication test).
    auto allUsers = a->conn->subscriptionBuilder().onApplied(count).subscribe(
        QStringLiteral("SELECT * FROM user"));
    auto onlineUsers = a->conn->subscriptionBuilder().onApplied(count).subscribe(
        QStringLiteral("SELECT * FROM user WHERE online = true"));
    QTRY_COMPARE_WITH_TIMEOUT(appliedCount, 4, 10000);
    const Identity me = a->conn->identity();
    QCOMPARE(a->users->cache()->find(encodeUser(*a->users->find(me)))->refCount(), 2u);
    a->log->clear();
    QCOMPARE(call(*a, QStringLiteral("set_name"), stringArgs(QStringLiteral("ann"))).status,
             ReducerOutcome::Status::Committed);
    QCOMPARE(
        a->log->entries,
        (QStringList{QStringLiteral("user~ %1/-/on -> %1/ann/on Reducer:set_name").arg(shortId(me)),
                     QStringLiteral("reducerCompleted set_name committed")}));
    QCOMPARE(a->users->cache()->find(encodeUser(*a->users->find(me)))->refCount(), 2u);
    QVERIFY(allUsers.isActive() && onlineUsers.isActive());
    QCOMPARE(a->log->count(QStringLiteral("violation")), 0);
}

// Unsubscribing before SubscribeApplied (the official test client's subscribe-and-cancel): no
// callback but unsubscribeThen's, no row ever visible, and the host keeps no query set.
void TestConnectionHost::subscribeAndCancel() {
    auto a = client();
    QTRY_VERIFY_WITH_TIMEOUT(a->conn->isActive(), 10000);
    // A row the cancelled subscription would have delivered.
    QCOMPARE(call(*a, QStringLiteral("send_message"), stringArgs(QStringLiteral("hello"))).status,
             ReducerOutcome::Status::Committed);
    a->log->clear();
    int calls = 0;
    int ended = 0;
    SubscriptionHandle h = a->conn->subscriptionBuilder()
                               .onApplied([&](const EventContext &) { ++calls; })
                               .onError([&](const EventContext &) { ++calls; })
                               .subscribe(QStringLiteral("SELECT * FROM message"));
    QVERIFY(!h.unsubscribeThen([&](const EventContext &ctx) {
                  ++ended;
                  QCOMPARE(ctx.kind(), EventContext::Kind::UnsubscribeApplied);
                  QVERIFY(h.isEnded());
                  QVERIFY(!h.isActive());
              }).isError());
    QTRY_COMPARE(ended, 1);
    // A one-off query is answered after everything the host sent before: a round trip.
    QVERIFY(!queryMessages(a->conn.get()).isEmpty());
    QCOMPARE(calls, 0);
    QCOMPARE(a->messages->count(), 0);
    QCOMPARE(a->log->count(QStringLiteral("message")), 0);
    QVERIFY(a->conn->subscriptions().isEmpty());

    // Cancelling one the host rejects: onError, then the end; the host's answer to the
    // Unsubscribe of a set it never had is expected.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("unknown query set")));
    int errors = 0;
    int rejectedEnded = 0;
    SubscriptionHandle rejected = a->conn->subscriptionBuilder()
                                      .onApplied([&](const EventContext &) { ++calls; })
                                      .onError([&](const EventContext &) { ++errors; })
                                      .subscribe(QStringLiteral("SELECT * FROM no_such_table"));
    QVERIFY(!rejected.unsubscribeThen([&](const EventContext &) { ++rejectedEnded; }).isError());
    QTRY_COMPARE(rejectedEnded, 1);
    QVERIFY(!queryMessages(a->conn.get()).isEmpty());
    QCOMPARE(errors, 1);
    QCOMPARE(calls, 0);
    QCOMPARE(rejected.state(), SubscriptionHandle::State::Failed);
    QVERIFY(a->conn->isActive());
    if (!HostProcess::usesExternalServer()) {
        const QJsonObject counters =
            QJsonDocument::fromJson(m_http.get(m_host.http(QStringLiteral("/_test/counters"))).body)
                .object();
        QCOMPARE(counters.value(QStringLiteral("query_sets")).toInt(-1), 0);
    }
}

// Unsubscribe, then subscribe to the same queries again from the unsubscribe callback: every
// row leaves with a delete signal and comes back with an insert, and the new set is live.
void TestConnectionHost::unsubscribeThenResubscribe() {
    auto a = subscribed();
    QCOMPARE(call(*a, QStringLiteral("send_message"), stringArgs(QStringLiteral("hello"))).status,
             ReducerOutcome::Status::Committed);
    const QList<UserRow> users = a->users->rows();
    const QList<MessageRow> messages = a->messages->rows();
    QVERIFY(!users.isEmpty() && !messages.isEmpty());
    QCOMPARE(a->conn->subscriptions().size(), 1);
    SubscriptionHandle first = a->conn->subscriptions().first();
    a->log->clear();

    SubscriptionHandle second;
    int againApplied = 0;
    QVERIFY(!first
                 .unsubscribeThen([&](const EventContext &) {
                     a->log->add(QStringLiteral("ended"));
                     second = a->conn->subscriptionBuilder()
                                  .onApplied([&](const EventContext &) {
                                      ++againApplied;
                                      a->log->add(QStringLiteral("applied again"));
                                  })
                                  .subscribe(first.queries());
                 })
                 .isError());
    QTRY_COMPARE_WITH_TIMEOUT(againApplied, 1, 10000);
    QVERIFY(second.isActive());
    QCOMPARE(first.state(), SubscriptionHandle::State::Ended);
    QCOMPARE(a->users->rows(), users);
    QCOMPARE(a->messages->rows(), messages);
    const int rows = int(users.size() + messages.size());
    QCOMPARE(a->log->entries.size(), 2 + 2 * rows);
    QCOMPARE(a->log->entries.first(), QStringLiteral("ended"));
    QCOMPARE(a->log->entries.at(1 + rows), QStringLiteral("applied again"));
    for (int i = 1; i <= rows; ++i) {
        QVERIFY2(a->log->entries.at(i).endsWith(QLatin1String(" UnsubscribeApplied")),
                 qPrintable(a->log->entries.at(i)));
        QVERIFY2(a->log->entries.at(1 + rows + i).endsWith(QLatin1String(" SubscribeApplied")),
                 qPrintable(a->log->entries.at(1 + rows + i)));
    }
    QCOMPARE(a->log->count(QStringLiteral("user-")), users.size());
    QCOMPARE(a->log->count(QStringLiteral("message-")), messages.size());
    QCOMPARE(a->log->count(QStringLiteral("user+")), users.size());
    QCOMPARE(a->log->count(QStringLiteral("message+")), messages.size());

    // The new set carries what happens next.
    a->log->clear();
    QCOMPARE(call(*a, QStringLiteral("send_message"), stringArgs(QStringLiteral("again"))).status,
             ReducerOutcome::Status::Committed);
    QCOMPARE(a->log->entries.first(), QStringLiteral("message+ again Reducer:send_message"));
    QCOMPARE(a->messages->count(), messages.size() + 1);
    QCOMPARE(a->log->count(QStringLiteral("violation")), 0);
}

// The caller of a reducer hears its outcome even when subscribed to nothing (the official test
// client's caller-always-notified), in light mode; a subscribed light-mode client sees the rows
// as someone else's transaction.
void TestConnectionHost::callerAlwaysNotified() {
    const auto light = [](DbConnectionBuilder &b) { b.withLightMode(true); };
    auto watcher = subscribed({}, light);
    auto a = client({}, light);
    QTRY_VERIFY_WITH_TIMEOUT(a->conn->isActive(), 10000);
    QTRY_VERIFY(watcher->users->find(a->conn->identity()).has_value());
    a->log->clear();
    watcher->log->clear();

    const ReducerOutcome o =
        call(*a, QStringLiteral("send_message"), stringArgs(QStringLiteral("from nowhere")));
    QCOMPARE(o.status, ReducerOutcome::Status::Committed);
    QCOMPARE(o.reducer, QStringLiteral("send_message"));
    QCOMPARE(o.callerIdentity, a->conn->identity());
    QCOMPARE(a->log->entries,
             QStringList{QStringLiteral("reducerCompleted send_message committed")});
    QTRY_COMPARE(watcher->log->count(QStringLiteral("message+")), 1);
    QCOMPARE(watcher->log->entries,
             QStringList{QStringLiteral("message+ from nowhere Transaction")});

    // A failure is heard the same way.
    a->log->clear();
    const ReducerOutcome failed = call(*a, QStringLiteral("set_name"), stringArgs(QString()));
    QCOMPARE(failed.status, ReducerOutcome::Status::Err);
    QCOMPARE(a->log->entries, QStringList{QStringLiteral("reducerCompleted set_name error")});
    QCOMPARE(a->conn->pendingRequestCount(), 0);
}

void TestConnectionHost::updatesByPrimaryKey() {
    auto a = subscribed();
    a->log->clear();
    const qsizetype usersBefore = a->users->count();
    auto b = subscribed();
    const Identity bid = b->conn->identity();
    QTRY_COMPARE(a->log->count(QStringLiteral("user+")), 1);
    QCOMPARE(a->log->entries.last(), QStringLiteral("user+ %1/-/on Transaction").arg(shortId(bid)));

    a->log->clear();
    b->log->clear();
    QCOMPARE(call(*b, QStringLiteral("set_name"), stringArgs(QStringLiteral("bob"))).status,
             ReducerOutcome::Status::Committed);
    // Others see a transaction; the caller sees its own reducer.
    QTRY_COMPARE(a->log->count(QStringLiteral("user~")), 1);
    QCOMPARE(
        a->log->entries,
        QStringList{QStringLiteral("user~ %1/-/on -> %1/bob/on Transaction").arg(shortId(bid))});
    QCOMPARE(b->log->entries.first(),
             QStringLiteral("user~ %1/-/on -> %1/bob/on Reducer:set_name").arg(shortId(bid)));
    QCOMPARE(a->log->count(QStringLiteral("user+")) + a->log->count(QStringLiteral("user-")), 0);

    a->log->clear();
    b->conn->disconnect();
    QTRY_COMPARE(a->log->count(QStringLiteral("user~")), 1);
    QCOMPARE(
        a->log->entries,
        QStringList{QStringLiteral("user~ %1/bob/on -> %1/bob/off Transaction").arg(shortId(bid))});
    QCOMPARE(a->users->count(), usersBefore + 1);
}

void TestConnectionHost::reducerResults() {
    auto a = subscribed();
    a->log->clear();
    const qsizetype messagesBefore = a->messages->count();
    QList<ReducerOutcome> outcomes;
    auto id = a->conn->callReducer(QStringLiteral("send_message"), stringArgs(QStringLiteral("hi")),
                                   [&](const ReducerOutcome &o) {
                                       outcomes.append(o);
                                       a->log->add(QStringLiteral("callback"));
                                   });
    QVERIFY(id);
    QTRY_COMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes[0].status, ReducerOutcome::Status::Committed);
    QCOMPARE(outcomes[0].requestId, *id);
    QVERIFY(outcomes[0].timestamp.micros() > 0);
    QCOMPARE(a->log->entries, (QStringList{QStringLiteral("message+ hi Reducer:send_message"),
                                           QStringLiteral("callback"),
                                           QStringLiteral("reducerCompleted send_message "
                                                          "committed")}));
    // The message's timestamp is the reducer's.
    const QList<MessageRow> rows = a->messages->rows();
    const auto mine = std::find_if(rows.begin(), rows.end(), [&](const MessageRow &m) {
        return m.sender == a->conn->identity() && m.text == QLatin1String("hi");
    });
    QVERIFY(mine != rows.end());
    QCOMPARE(mine->sent, outcomes[0].timestamp);

    auto o = call(*a, QStringLiteral("set_name"), stringArgs(QString()));
    QCOMPARE(o.status, ReducerOutcome::Status::Err);
    QCOMPARE(o.message, QStringLiteral("Names must not be empty"));
    o = call(*a, QStringLiteral("send_message"), stringArgs(QString()));
    QCOMPARE(o.status, ReducerOutcome::Status::Err);
    QCOMPARE(o.message, QStringLiteral("Messages must not be empty"));
    o = call(*a, QStringLiteral("no_such_reducer"), {});
    QCOMPARE(o.status, ReducerOutcome::Status::InternalError);
    QVERIFY2(o.message.contains(QLatin1String("no such reducer")), qPrintable(o.message));
    o = call(*a, QStringLiteral("set_name"), QByteArray("\x01", 1)); // not a String
    QCOMPARE(o.status, ReducerOutcome::Status::InternalError);
    QVERIFY2(o.message.contains(QLatin1String("invalid arguments")), qPrintable(o.message));
    QCOMPARE(a->messages->count(), messagesBefore + 1); // failed calls changed nothing
    QCOMPARE(a->conn->pendingRequestCount(), 0);
    QVERIFY(a->conn->isActive());
}

void TestConnectionHost::oneOffQueries() {
    auto a = subscribed();
    const qsizetype messagesBefore = a->messages->count();
    for (const char *text : {"one", "two", "three"})
        QCOMPARE(
            call(*a, QStringLiteral("send_message"), stringArgs(QString::fromLatin1(text))).status,
            ReducerOutcome::Status::Committed);
    QCOMPARE(queryMessages(a->conn.get()), a->messages->rows());
    QCOMPARE(queryUsers(a->conn.get()), a->users->rows());
    QTRY_COMPARE(a->messages->count(), messagesBefore + 3);
    QCOMPARE(queryMessages(a->conn.get()).size(), messagesBefore + 3);

    std::optional<Expected<protocol::QueryRows>> bad;
    QVERIFY(a->conn->oneOffQuery(QStringLiteral("SELEKT nonsense"),
                                 [&](const Expected<protocol::QueryRows> &r) { bad = r; }));
    QTRY_VERIFY(bad.has_value());
    QVERIFY(!bad->hasValue());
    QCOMPARE(bad->error().kind(), Error::Kind::Server);
    QVERIFY(!bad->error().message().isEmpty());
    QVERIFY(a->conn->isActive());
}

void TestConnectionHost::unknownTable() {
    // Bindings that only know `user`.
    auto a = client({}, {}, /*withMessages=*/false);
    QSignalSpy outdated(a->conn.get(), &DbConnection::bindingsOutOfDate);
    int applied = 0;
    a->conn->subscriptionBuilder()
        .onApplied([&](const EventContext &) { ++applied; })
        .subscribe({QStringLiteral("SELECT * FROM user"), QStringLiteral("SELECT * FROM message")});
    QTRY_COMPARE_WITH_TIMEOUT(applied, 1, 10000);
    QCOMPARE(call(*a, QStringLiteral("send_message"), stringArgs(QStringLiteral("x"))).status,
             ReducerOutcome::Status::Committed);
    QCOMPARE(call(*a, QStringLiteral("send_message"), stringArgs(QStringLiteral("y"))).status,
             ReducerOutcome::Status::Committed);
    QCOMPARE(outdated.size(), 1);
    QCOMPARE(outdated.first().at(0).toString(), QStringLiteral("message"));
    QCOMPARE(a->users->count(), queryUsers(a->conn.get()).size());
    if (!HostProcess::usesExternalServer())
        QCOMPARE(a->users->count(), 1);
    QVERIFY(!a->conn->cache().table(QStringLiteral("message")));
    QCOMPARE(a->log->count(QStringLiteral("violation")), 0);
    QVERIFY(a->conn->isActive());
}

void TestConnectionHost::httpErrors() {
    {
        DbConnectionBuilder b;
        auto c = b.withUri(uri()).withDatabaseName(QStringLiteral("nope")).build();
        QVERIFY(c);
        std::unique_ptr<DbConnection> conn(*c);
        QSignalSpy err(conn.get(), &DbConnection::connectError);
        QVERIFY(err.wait(10000));
        QCOMPARE(err.first().at(0).value<Error>().message(),
                 QStringLiteral("database nope not found on %1").arg(uri()));
        QCOMPARE(conn->state(), DbConnection::State::Disconnected);
    }
}

void TestConnectionHost::unreachableServer() {
    STDB_REQUIRE_OWN_HOST("stops the host");
    const QString where = uri();
    m_host.stop();
    auto c = client();
    QSignalSpy err(c->conn.get(), &DbConnection::connectError);
    QVERIFY(err.wait(10000));
    QCOMPARE(
        err.first().at(0).value<Error>().message(),
        QStringLiteral("cannot reach %1: connection refused (is the server running?)").arg(where));
    QCOMPARE(c->log->count(QStringLiteral("disconnected")), 0);
}

void TestConnectionHost::malformedFrameFromHost() {
    STDB_REQUIRE_OWN_HOST("--test-controls: send-raw");
    auto a = subscribed({}, [](DbConnectionBuilder &b) { b.withReconnectPolicy(fastReconnect()); });
    QCOMPARE(call(*a, QStringLiteral("send_message"), stringArgs(QStringLiteral("before"))).status,
             ReducerOutcome::Status::Committed);
    a->log->clear();
    QSignalSpy disc(a->conn.get(), &DbConnection::disconnected);
    QSignalSpy connected(a->conn.get(), &DbConnection::connected);
    // A TransactionUpdate cut short.
    QVERIFY(control(QStringLiteral("/_test/send-raw"), "000401000000"));
    QTRY_COMPARE_WITH_TIMEOUT(disc.size(), 1, 5000);
    const auto err = disc.first().at(0).value<std::optional<Error>>();
    QVERIFY(err);
    QCOMPARE(err->kind(), Error::Kind::Decode);
    QVERIFY(err->offset() >= 0);
    QVERIFY2(err->message().startsWith(QStringLiteral("malformed message from ") + uri()),
             qPrintable(err->message()));
    // Reconnects, resubscribes; nothing changed, so no row callbacks at all.
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 5000);
    QTRY_VERIFY(a->conn->subscriptions().first().isActive());
    // The queries are round trips: answered after everything the host sent before them.
    QCOMPARE(queryMessages(a->conn.get()), a->messages->rows());
    QCOMPARE(queryUsers(a->conn.get()), a->users->rows());
    QCOMPARE(a->log->count(QStringLiteral("user")), 0);
    QCOMPARE(a->log->count(QStringLiteral("message")), 0);
}

void TestConnectionHost::closeCodeFromHost() {
    STDB_REQUIRE_OWN_HOST("--test-controls: close");
    auto a = client();
    QVERIFY(QTest::qWaitFor([&] { return a->conn->isActive(); }, 10000));
    QSignalSpy disc(a->conn.get(), &DbConnection::disconnected);
    QVERIFY(control(QStringLiteral("/_test/close?code=1001&reason=module%20exited")));
    QTRY_COMPARE_WITH_TIMEOUT(disc.size(), 1, 5000); // may already be there: control() spins
    const auto err = disc.first().at(0).value<std::optional<Error>>();
    QVERIFY(err);
    QVERIFY2(err->message().contains(QLatin1String("module exited")), qPrintable(err->message()));
    QCOMPARE(a->conn->state(), DbConnection::State::Disconnected);
}

void TestConnectionHost::reconnectAfterDropAll() {
    STDB_REQUIRE_OWN_HOST("--test-controls: delay and drop-all");
    // a must come back only after carol (below) has come and gone, or her going offline is a
    // transaction after the resync instead of part of it: the first retry waits 1.5 s, ample
    // for carol's connect and two calls even on a loaded machine (100 ms was not, at load 9).
    ReconnectPolicy policy = fastReconnect();
    policy.initialDelay = 1500ms;
    policy.maxDelay = 3000ms;
    auto a = subscribed({}, [&](DbConnectionBuilder &b) { b.withReconnectPolicy(policy); });
    auto b = subscribed();
    const Identity aid = a->conn->identity();
    const Identity bid = b->conn->identity();
    QCOMPARE(call(*a, QStringLiteral("send_message"), stringArgs(QStringLiteral("first"))).status,
             ReducerOutcome::Status::Committed);
    QTRY_COMPARE(a->users->count(), 2);
    a->log->clear();

    // A call in flight when the connection drops: its outcome is unknown and says so.
    QVERIFY(control(QStringLiteral("/_test/delay?ms=400")));
    std::optional<ReducerOutcome> inFlight;
    QVERIFY(a->conn->callReducer(QStringLiteral("send_message"),
                                 stringArgs(QStringLiteral("in flight")),
                                 [&](const ReducerOutcome &o) { inFlight = o; }));
    // The host has run it (its result is held back) before the drop.
    QVERIFY(m_host.waitForLog("in flight"));
    QSignalSpy connected(a->conn.get(), &DbConnection::connected);
    QVERIFY(control(QStringLiteral("/_test/drop-all")));
    QVERIFY(control(QStringLiteral("/_test/delay?ms=0")));
    QTRY_VERIFY(inFlight.has_value());
    QCOMPARE(inFlight->status, ReducerOutcome::Status::OutcomeUnknown);
    // b was dropped too (it has no reconnect policy); a new client changes things meanwhile.
    {
        auto c = client();
        QVERIFY(QTest::qWaitFor([&] { return c->conn->isActive(); }, 10000));
        QCOMPARE(call(*c, QStringLiteral("set_name"), stringArgs(QStringLiteral("carol"))).status,
                 ReducerOutcome::Status::Committed);
        QCOMPARE(call(*c, QStringLiteral("send_message"), stringArgs(QStringLiteral("while away")))
                     .status,
                 ReducerOutcome::Status::Committed);
        c->conn->disconnect();
    }
    QVERIFY(connected.size() > 0 || connected.wait(5000));
    QTRY_VERIFY(a->conn->subscriptions().first().isActive());
    QTRY_COMPARE_WITH_TIMEOUT(a->messages->count(), 3, 5000);

    // The cache equals a fresh query of the host. The queries are round trips, answered after
    // everything the host sent before them, so the log below is complete.
    QCOMPARE(queryMessages(a->conn.get()), a->messages->rows());
    QCOMPARE(queryUsers(a->conn.get()), a->users->rows());
    QCOMPARE(a->users->count(), 3);
    // Exactly the differences were reported, once each, as a resync: b went offline, carol came
    // and went, two messages arrived. a's own row (offline and back online) did not change.
    QStringList expected{
        QStringLiteral("user~ %1/-/on -> %1/-/off Resync").arg(shortId(bid)),
        QStringLiteral("message+ in flight Resync"),
        QStringLiteral("message+ while away Resync"),
    };
    QStringList got = a->log->matching(QStringLiteral("user"));
    got += a->log->matching(QStringLiteral("message"));
    QCOMPARE(got.size(), 4);
    QCOMPARE(a->log->count(QStringLiteral("user+ ")), 1); // carol, offline by now
    QVERIFY(a->log->matching(QStringLiteral("user+ "))
                .first()
                .endsWith(QLatin1String("/carol/off Resync")));
    for (const QString &e : expected)
        QVERIFY2(got.contains(e),
                 qPrintable(e + QStringLiteral(" in ") + got.join(QLatin1Char('|'))));
    QCOMPARE(a->log->count(QStringLiteral("user~ ") + shortId(aid)), 0);
    QCOMPARE(a->log->count(QStringLiteral("disconnected")), 1);
    QCOMPARE(a->log->count(QStringLiteral("connected")), 1);
    QCOMPARE(a->log->count(QStringLiteral("violation")), 0);
    QCOMPARE(a->applied, 1);
    QCOMPARE(a->conn->identity(), aid);
}

void TestConnectionHost::reconnectAfterRestart() {
    STDB_REQUIRE_OWN_HOST("restarts the host with its data");
    QTemporaryDir data;
    QVERIFY(data.isValid());
    m_host.stop();
    QVERIFY2(m_host.start(data.path(), {QStringLiteral("--test-controls")}),
             qPrintable(m_host.errorString()));
    const quint16 port = m_host.port();

    auto a = subscribed({}, [](DbConnectionBuilder &b) { b.withReconnectPolicy(fastReconnect()); });
    auto b = subscribed();
    const Identity aid = a->conn->identity();
    const Identity bid = b->conn->identity();
    const QString token = a->conn->token();
    QCOMPARE(call(*a, QStringLiteral("set_name"), stringArgs(QStringLiteral("ann"))).status,
             ReducerOutcome::Status::Committed);
    QCOMPARE(
        call(*a, QStringLiteral("send_message"), stringArgs(QStringLiteral("persisted"))).status,
        ReducerOutcome::Status::Committed);
    QTRY_COMPARE(a->users->count(), 2);
    b.reset(); // b's connection object is gone; the host marks b offline on shutdown anyway
    QTRY_VERIFY(!a->users->find(bid)->online);
    a->log->clear();

    QSignalSpy reconnecting(a->conn.get(), &DbConnection::reconnecting);
    QVERIFY(m_host.stop());
    QTRY_COMPARE(a->conn->state(), DbConnection::State::Reconnecting);
    // A few refused attempts.
    QTRY_VERIFY_WITH_TIMEOUT(reconnecting.size() >= 3, 10000);
    QVERIFY2(
        m_host.start(data.path(), {QStringLiteral("--test-controls"), QStringLiteral("--listen"),
                                   QStringLiteral("127.0.0.1:%1").arg(port)}),
        qPrintable(m_host.errorString()));
    QCOMPARE(m_host.port(), port);
    QTRY_COMPARE_WITH_TIMEOUT(a->conn->state(), DbConnection::State::Connected, 10000);
    QTRY_VERIFY(a->conn->subscriptions().first().isActive());

    // The queries are round trips: the log checks below come after them.
    QCOMPARE(a->conn->identity(), aid); // same token, same identity
    QCOMPARE(a->conn->token(), token);
    QCOMPARE(queryMessages(a->conn.get()), a->messages->rows());
    QCOMPARE(queryUsers(a->conn.get()), a->users->rows());
    QCOMPARE(a->messages->rows().first().text, QStringLiteral("persisted"));
    QCOMPARE(a->users->find(aid)->name, std::optional<QString>(QStringLiteral("ann")));
    // Nothing changed from a's point of view: no row callbacks at all.
    QCOMPARE(a->log->count(QStringLiteral("user")), 0);
    QCOMPARE(a->log->count(QStringLiteral("message")), 0);
    QCOMPARE(a->log->count(QStringLiteral("disconnected")), 1);
    QCOMPARE(a->log->count(QStringLiteral("connected")), 1);
    QVERIFY(a->log->count(QStringLiteral("connectError")) >= 1);
    QCOMPARE(a->applied, 1);
}

void TestConnectionHost::compressionAndProtocols_data() {
    QTest::addColumn<int>("compression");
    QTest::addColumn<int>("protocol");
    QTest::newRow("none v2") << int(Compression::None) << int(ProtocolVersion::V2);
    QTest::newRow("gzip v2") << int(Compression::Gzip) << int(ProtocolVersion::V2);
    QTest::newRow("brotli v2") << int(Compression::Brotli) << int(ProtocolVersion::V2);
    QTest::newRow("gzip v3") << int(Compression::Gzip) << int(ProtocolVersion::V3);
}

void TestConnectionHost::compressionAndProtocols() {
    QFETCH(int, compression);
    QFETCH(int, protocol);
    auto seed = subscribed();
    const qsizetype before = seed->messages->count();
    // Enough rows that the initial snapshot is compressed.
    for (int i = 0; i < 40; ++i)
        QVERIFY(seed->conn->callReducer(QStringLiteral("send_message"),
                                        stringArgs(QStringLiteral("message number %1 with some "
                                                                  "padding text")
                                                       .arg(i))));
    QTRY_COMPARE_WITH_TIMEOUT(seed->messages->count(), before + 40, 10000);
    auto a = subscribed({}, [&](DbConnectionBuilder &b) {
        b.withCompression(Compression(compression)).withProtocol(ProtocolVersion(protocol));
    });
    QCOMPARE(a->messages->count(), before + 40);
    QCOMPARE(a->conn->subprotocol(), protocol == int(ProtocolVersion::V3)
                                         ? QStringLiteral("v3.bsatn.spacetimedb")
                                         : QStringLiteral("v2.bsatn.spacetimedb"));
    QCOMPARE(queryMessages(a->conn.get()), a->messages->rows());
}

QTEST_MAIN(TestConnectionHost)
#include "tst_connection_host.moc"
