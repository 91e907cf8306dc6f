// SPDX-License-Identifier: Apache-2.0
// The WebSocket protocol against the real host: connection and identity, every client message,
// every server message, the error paths (SubscriptionError, reducer errors, 1011 closes),
// fan-out and row multiplicity, compression and v3 framing.

#include "hostprocess.h"
#include "httpclient.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

using namespace stdb::protocol;

namespace {

std::unique_ptr<WsClient> connectClient(quint16 port, WsClient::Options o = {}) {
    auto c = std::make_unique<WsClient>();
    if (!c->connectTo(port, o)) {
        qWarning().noquote() << "connect failed:" << c->lastError();
        return nullptr;
    }
    return c;
}

QList<UserRow> decodeUsers(const QList<QByteArray> &rows) {
    QList<UserRow> out;
    for (const QByteArray &r : rows)
        if (auto u = decodeUser(r))
            out.append(*u);
    return out;
}

} // namespace

class TestHostWs : public QObject {
    Q_OBJECT

    HostProcess m_host;
    quint16 port() const { return m_host.port(); }

private slots:
    void initTestCase() { QVERIFY2(m_host.start(), qPrintable(m_host.errorString())); }
    void cleanup() {
        if (QTest::currentTestFailed())
            qWarning().noquote() << "host log:\n" << m_host.log().right(6000);
    }
    void cleanupTestCase() { QVERIFY(m_host.stop()); }

    void initialConnection() {
        auto c = connectClient(port());
        QVERIFY(c);
        QCOMPARE(c->socket().subprotocol(), QStringLiteral("v2.bsatn.spacetimedb"));
        QVERIFY(c->identity().toHex().startsWith(QStringLiteral("c200")));
        QVERIFY(!c->initial().connectionId.isZero());
        QCOMPARE(c->token().count(u'.'), 2);
        // InitialConnection was the first frame.
        QCOMPARE(c->rawFrames().size(), 1);

        // Reconnecting with the token keeps the identity, header or query alike.
        WsClient::Options o;
        o.token = c->token();
        auto again = connectClient(port(), o);
        QVERIFY(again);
        QCOMPARE(again->identity(), c->identity());
        QCOMPARE(again->token(), c->token());
        QVERIFY(again->initial().connectionId != c->initial().connectionId);
        o.tokenInQuery = true;
        auto viaQuery = connectClient(port(), o);
        QVERIFY(viaQuery);
        QCOMPARE(viaQuery->identity(), c->identity());
    }

    void typeScriptSdkFlow() {
        // What the official TS SDK does with a saved token: exchange it, then ?token=.
        auto first = connectClient(port());
        QVERIFY(first);
        HttpClient http;
        const HttpReply r = http.post(m_host.http(QStringLiteral("/v1/identity/websocket-token")),
                                      {}, {bearer(first->token())});
        QCOMPARE(r.status, 200);
        const QString shortLived =
            QJsonDocument::fromJson(r.body).object().value(QStringLiteral("token")).toString();
        WsClient::Options o;
        o.token = shortLived;
        o.tokenInQuery = true;
        o.compression = QStringLiteral("Gzip");
        o.protocols = {QStringLiteral("v3.bsatn.spacetimedb"),
                       QStringLiteral("v2.bsatn.spacetimedb")};
        auto ts = connectClient(port(), o);
        QVERIFY(ts);
        QCOMPARE(ts->identity(), first->identity());
        QCOMPARE(ts->token(), shortLived); // the token used, echoed
    }

    void subprotocolPreference() {
        WsClient::Options o;
        o.protocols = {QStringLiteral("v2.bsatn.spacetimedb"),
                       QStringLiteral("v3.bsatn.spacetimedb")};
        auto c = connectClient(port(), o);
        QVERIFY(c);
        // The server's preference wins over the client's order, as on SpacetimeDB.
        QCOMPARE(c->socket().subprotocol(), QStringLiteral("v3.bsatn.spacetimedb"));
        o.protocols = {QStringLiteral("x.unknown"), QStringLiteral("v2.bsatn.spacetimedb")};
        auto v2 = connectClient(port(), o);
        QVERIFY(v2);
        QCOMPARE(v2->socket().subprotocol(), QStringLiteral("v2.bsatn.spacetimedb"));
    }

    void refusedHandshakes() {
        WsClient bad;
        WsClient::Options o;
        o.token = QStringLiteral("not.a.token");
        QVERIFY(!bad.connectTo(port(), o, 5000));
        WsClient unknownDb;
        o = {};
        o.database = QStringLiteral("elsewhere");
        QVERIFY(!unknownDb.connectTo(port(), o, 5000));
        WsClient noProtocol;
        o = {};
        o.protocols = {QStringLiteral("v1.json.spacetimedb")};
        QVERIFY(!noProtocol.connectTo(port(), o, 5000));
    }

    void subscribeAndLifecycle() {
        auto a = connectClient(port());
        QVERIFY(a);
        auto applied = a->subscribe(
            1, {QStringLiteral("SELECT * FROM user"), QStringLiteral("SELECT * FROM message")});
        QVERIFY2(applied, qPrintable(a->lastError()));
        QCOMPARE(applied->rows.tables.size(), 2);
        const QList<UserRow> users = decodeUsers(rowsOf(applied->rows, QStringLiteral("user")));
        bool sawSelf = false;
        for (const UserRow &u : users)
            if (u.identity == a->identity())
                sawSelf = u.online && !u.name;
        QVERIFY(sawSelf);

        // B connects: A sees B's new row (OnConnect ran before B's InitialConnection).
        auto b = connectClient(port());
        QVERIFY(b);
        auto tu = a->nextAs<TransactionUpdate>();
        QVERIFY2(tu, qPrintable(a->lastError()));
        TableChanges ch = changesOf(tu->querySets, QStringLiteral("user"), 1);
        QCOMPARE(ch.inserts.size(), 1);
        QCOMPARE(ch.deletes.size(), 0);
        auto bRow = decodeUser(ch.inserts[0]);
        QVERIFY(bRow && bRow->identity == b->identity() && bRow->online && !bRow->name);

        // B renames: B gets its update inside ReducerResult, A a TransactionUpdate.
        auto rr = b->call(QStringLiteral("set_name"), stringArgs(QStringLiteral("Bee")));
        QVERIFY2(rr, qPrintable(b->lastError()));
        QVERIFY(std::holds_alternative<ReducerOk>(rr->result));
        QVERIFY(std::get<ReducerOk>(rr->result).transactionUpdate.querySets.isEmpty());
        QVERIFY(std::get<ReducerOk>(rr->result).retValue.isEmpty());
        tu = a->nextAs<TransactionUpdate>();
        QVERIFY(tu);
        ch = changesOf(tu->querySets, QStringLiteral("user"));
        QCOMPARE(ch.inserts.size(), 1);
        QCOMPARE(ch.deletes.size(), 1);
        QCOMPARE(decodeUser(ch.deletes[0])->name, std::nullopt);
        QCOMPARE(decodeUser(ch.inserts[0])->name, std::optional<QString>(QStringLiteral("Bee")));
        // Renaming to the same name changes nothing, so nobody hears about it.
        QVERIFY(b->call(QStringLiteral("set_name"), stringArgs(QStringLiteral("Bee"))));
        QVERIFY2(a->nothingElseQueued(), qPrintable(a->lastError()));

        // B leaves: A sees it go offline.
        b->socket().close();
        tu = a->nextAs<TransactionUpdate>();
        QVERIFY(tu);
        ch = changesOf(tu->querySets, QStringLiteral("user"));
        QCOMPARE(ch.inserts.size(), 1);
        QVERIFY(!decodeUser(ch.inserts[0])->online);
        QCOMPARE(decodeUser(ch.inserts[0])->identity, b->identity());
    }

    void ownCallsAndFanOutOrder() {
        auto a = connectClient(port());
        auto b = connectClient(port());
        QVERIFY(a && b);
        QVERIFY(a->subscribe(1, {QStringLiteral("SELECT * FROM message")}));
        QVERIFY(b->subscribe(7, {QStringLiteral("SELECT * FROM message")}));
        const int n = 25;
        for (int i = 0; i < n; ++i)
            a->send(CallReducer{quint32(100 + i), 0, QStringLiteral("send_message"),
                                stringArgs(QStringLiteral("order %1").arg(i))});
        stdb::Timestamp last;
        for (int i = 0; i < n; ++i) {
            auto rr = a->nextAs<ReducerResult>();
            QVERIFY2(rr, qPrintable(a->lastError()));
            QCOMPARE(rr->requestId, quint32(100 + i));
            QVERIFY(rr->timestamp > last);
            last = rr->timestamp;
            const auto &ok = std::get<ReducerOk>(rr->result);
            const TableChanges own =
                changesOf(ok.transactionUpdate.querySets, QStringLiteral("message"), 1);
            QCOMPARE(own.inserts.size(), 1);
            const auto m = decodeMessage(own.inserts[0]);
            QCOMPARE(m->text, QStringLiteral("order %1").arg(i));
            QCOMPARE(m->sender, a->identity());
            QCOMPARE(m->sent, rr->timestamp); // the reducer's timestamp is the row's
        }
        // No TransactionUpdate for one's own calls.
        QVERIFY2(a->nothingElseQueued(), qPrintable(a->lastError()));
        for (int i = 0; i < n; ++i) {
            auto tu = b->nextAs<TransactionUpdate>();
            QVERIFY(tu);
            QCOMPARE(tu->querySets.size(), 1);
            QCOMPARE(tu->querySets[0].querySetId, 7u);
            const TableChanges ch = changesOf(tu->querySets, QStringLiteral("message"));
            QCOMPARE(decodeMessage(ch.inserts[0])->text, QStringLiteral("order %1").arg(i));
        }
    }

    void reducerErrors() {
        auto a = connectClient(port());
        auto watcher = connectClient(port());
        QVERIFY(a && watcher);
        QVERIFY(watcher->subscribe(1, {QStringLiteral("SELECT * FROM *")}));
        auto expectOutcome = [&](const QString &reducer, const QByteArray &args,
                                 const QString &text) {
            auto rr = a->call(reducer, args);
            if (!rr)
                return false;
            if (outcomeText(rr->result) != text) {
                qWarning() << "outcome" << outcomeText(rr->result) << "expected" << text;
                return false;
            }
            return true;
        };
        QVERIFY(expectOutcome(QStringLiteral("set_name"), stringArgs(QString()),
                              QStringLiteral("Names must not be empty")));
        QVERIFY(expectOutcome(QStringLiteral("send_message"), stringArgs(QString()),
                              QStringLiteral("Messages must not be empty")));
        QVERIFY(
            expectOutcome(QStringLiteral("nope"), {}, QStringLiteral("internal: no such reducer")));
        QVERIFY(expectOutcome(QStringLiteral("identity_disconnected"), {},
                              QStringLiteral("internal: can't directly call special OnDisconnect "
                                             "lifecycle reducer")));
        QVERIFY(expectOutcome(QStringLiteral("init"), {},
                              QStringLiteral("internal: can't directly call special Init lifecycle "
                                             "reducer")));
        auto rr = a->call(QStringLiteral("set_name"), QByteArray("\x05\x00", 2));
        QVERIFY(rr);
        QVERIFY2(
            outcomeText(rr->result)
                .startsWith(QStringLiteral("internal: invalid arguments for reducer set_name")),
            qPrintable(outcomeText(rr->result)));
        // The Err payload is a BSATN String, byte for byte as the spec's example.
        rr = a->call(QStringLiteral("set_name"), stringArgs(QString()));
        QCOMPARE(std::get<ReducerErr>(rr->result).payload,
                 QByteArray("\x17\x00\x00\x00Names must not be empty", 27));
        // Nothing committed, so the watcher heard nothing.
        QVERIFY2(watcher->nothingElseQueued(), qPrintable(watcher->lastError()));
    }

    void multiplicity() {
        auto a = connectClient(port());
        QVERIFY(a);
        QVERIFY(a->subscribe(1, {QStringLiteral("SELECT * FROM message"),
                                 QStringLiteral("SELECT * FROM message WHERE text = 'dup'"),
                                 QStringLiteral("select * from \"message\"")}));
        auto all = a->subscribe(2, {QStringLiteral("SELECT * FROM *")});
        QVERIFY(all);
        QCOMPARE(all->rows.tables.size(), 2);
        auto rr = a->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("dup")));
        QVERIFY(rr);
        const auto &sets = std::get<ReducerOk>(rr->result).transactionUpdate.querySets;
        QCOMPARE(sets.size(), 2);
        const TableChanges s1 = changesOf(sets, QStringLiteral("message"), 1);
        QCOMPARE(s1.entries, 2); // the identical third query was folded into the first
        QCOMPARE(s1.inserts.size(), 2);
        const TableChanges s2 = changesOf(sets, QStringLiteral("message"), 2);
        QCOMPARE(s2.inserts.size(), 1);
        // A message not matching the filter only reaches the unfiltered queries.
        rr = a->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("single")));
        QCOMPARE(changesOf(std::get<ReducerOk>(rr->result).transactionUpdate.querySets,
                           QStringLiteral("message"), 1)
                     .inserts.size(),
                 1);
    }

    void filteredSubscriptions() {
        auto a = connectClient(port());
        auto b = connectClient(port());
        QVERIFY(a && b);
        auto applied = a->subscribe(
            3, {QStringLiteral("SELECT * FROM \"message\" WHERE \"message\".\"sender\" = 0x%1")
                    .arg(a->identity().toHex()),
                QStringLiteral("SELECT * FROM user WHERE identity = X'%1'")
                    .arg(b->identity().toHex())});
        QVERIFY2(applied, qPrintable(a->lastError()));
        QCOMPARE(rowsOf(applied->rows, QStringLiteral("user")).size(), 1);
        QVERIFY(b->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("from b"))));
        QVERIFY2(a->nothingElseQueued(), qPrintable(a->lastError()));
        QVERIFY(b->call(QStringLiteral("set_name"), stringArgs(QStringLiteral("Bea"))));
        auto tu = a->nextAs<TransactionUpdate>();
        QVERIFY(tu);
        QCOMPARE(changesOf(tu->querySets, QStringLiteral("user")).inserts.size(), 1);
        auto rr = a->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("from a")));
        QCOMPARE(changesOf(std::get<ReducerOk>(rr->result).transactionUpdate.querySets,
                           QStringLiteral("message"))
                     .inserts.size(),
                 1);
    }

    // A Subscribe without queries is applied (no rows) and its id is then taken.
    void emptySubscribe() {
        auto a = connectClient(port());
        QVERIFY(a);
        auto applied = a->subscribe(8, {});
        QVERIFY2(applied, qPrintable(a->lastError()));
        QCOMPARE(applied->rows.tables.size(), 0);
        QVERIFY(a->isConnected());
    }

    // `:sender` and a join (on the user table's primary key), as the real server takes them.
    void joinAndSenderSubscriptions() {
        auto a = connectClient(port());
        auto b = connectClient(port());
        QVERIFY(a && b);
        auto applied = a->subscribe(
            6, {QStringLiteral("SELECT * FROM user WHERE identity = :sender"),
                QStringLiteral("SELECT m.* FROM message m JOIN user u ON m.sender = u.identity "
                               "WHERE u.identity = 0x%1")
                    .arg(b->identity().toHex())});
        QVERIFY2(applied, qPrintable(a->lastError()));
        QCOMPARE(rowsOf(applied->rows, QStringLiteral("user")).size(), 1);
        QVERIFY(b->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("joined"))));
        auto tu = a->nextAs<TransactionUpdate>();
        QVERIFY(tu);
        QCOMPARE(changesOf(tu->querySets, QStringLiteral("message"), 6).inserts.size(), 1);
        // a's own message is not b's: nothing for the join in a's ReducerResult.
        auto rr = a->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("mine")));
        QVERIFY(rr);
        QCOMPARE(changesOf(std::get<ReducerOk>(rr->result).transactionUpdate.querySets,
                           QStringLiteral("message"), 6)
                     .inserts.size(),
                 0);
    }

    void unsubscribe() {
        auto a = connectClient(port());
        auto b = connectClient(port());
        QVERIFY(a && b);
        QVERIFY(
            b->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("before unsub"))));
        auto applied = a->subscribe(5, {QStringLiteral("SELECT * FROM message")});
        QVERIFY(applied);
        const int rows = rowsOf(applied->rows, QStringLiteral("message")).size();
        QVERIFY(rows >= 1);

        a->send(Unsubscribe{41, 5, UnsubscribeFlags::SendDroppedRows});
        auto un = a->nextAs<UnsubscribeApplied>();
        QVERIFY(un);
        QCOMPARE(un->requestId, 41u);
        QCOMPARE(un->querySetId, 5u);
        QVERIFY(un->rows.has_value());
        QCOMPARE(rowsOf(*un->rows, QStringLiteral("message")).size(), rows);
        // The set is gone: no more updates for it.
        QVERIFY(b->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("after unsub"))));
        QVERIFY2(a->nothingElseQueued(), qPrintable(a->lastError()));

        // The id can be reused; Default sends no rows.
        QVERIFY(a->subscribe(5, {QStringLiteral("SELECT * FROM user")}));
        a->send(Unsubscribe{42, 5, UnsubscribeFlags::Default});
        un = a->nextAs<UnsubscribeApplied>();
        QVERIFY(un);
        QVERIFY(!un->rows.has_value());

        // Unknown set: SubscriptionError with the Unsubscribe's request id.
        a->send(Unsubscribe{43, 99, UnsubscribeFlags::SendDroppedRows});
        auto err = a->nextAs<SubscriptionError>();
        QVERIFY(err);
        QCOMPARE(err->requestId, std::optional<quint32>(43));
        QCOMPARE(err->querySetId, 99u);
        QVERIFY2(err->error.startsWith(u"Subscription not found: ((Identity("_s +
                                       a->identity().toHex() + u"), ConnectionId("_s),
                 qPrintable(err->error));
        QVERIFY(err->error.endsWith(u"QuerySetId { id: 99 })"_s));
        QVERIFY(a->isConnected());
        // A client that never subscribed is not known to the subscription manager at all.
        b->send(Unsubscribe{44, 1, UnsubscribeFlags::Default});
        err = b->nextAs<SubscriptionError>();
        QVERIFY(err);
        QVERIFY2(err->error.startsWith(u"Client not found: (Identity("_s), qPrintable(err->error));
    }

    void subscriptionErrors_data() {
        QTest::addColumn<QStringList>("queries");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown table") << QStringList{QStringLiteral("SELECT * FROM users")}
                                       << QStringLiteral("no such table: `users`");
        QTest::newRow("one bad of two")
            << QStringList{QStringLiteral("SELECT * FROM user"),
                           QStringLiteral("SELECT * FROM user WHERE x = 1")}
            << QStringLiteral("`x` is not in scope, executing: `SELECT * FROM user WHERE x = 1`");
        QTest::newRow("syntax") << QStringList{QStringLiteral("SELEKT * FROM user")}
                                << QStringLiteral("sql parser error: Expected an SQL statement, "
                                                  "found: SELEKT at Line: 1, Column 1, "
                                                  "executing: `SELEKT * FROM user`");
        QTest::newRow("type") << QStringList{QStringLiteral("SELECT * FROM user WHERE online = 1")}
                              << QStringLiteral("The literal expression `1` cannot be parsed as "
                                                "type `Bool`");
        QTest::newRow("column list") << QStringList{QStringLiteral("SELECT name FROM user")}
                                     << QStringLiteral("Column projections are not supported in "
                                                       "subscriptions");
        QTest::newRow("two statements")
            << QStringList{QStringLiteral("SELECT * FROM user; SELECT * FROM message")}
            << QStringLiteral("Multiple SQL statements are not supported");
        QTest::newRow("unindexed join")
            << QStringList{QStringLiteral(
                   "SELECT u.* FROM user u JOIN message m ON u.identity = m.sender")}
            << QStringLiteral("Subscriptions require indexes on join columns");
    }
    void subscriptionErrors() {
        QFETCH(QStringList, queries);
        QFETCH(QString, mentions);
        auto a = connectClient(port());
        QVERIFY(a);
        a->send(Subscribe{77, 4, queries});
        auto err = a->nextAs<SubscriptionError>();
        QVERIFY2(err, qPrintable(a->lastError()));
        QCOMPARE(err->requestId, std::optional<quint32>(77));
        QCOMPARE(err->querySetId, 4u);
        QVERIFY2(err->error.contains(mentions), qPrintable(err->error));
        // The failed set was not registered: its id is free.
        QVERIFY(a->subscribe(4, {QStringLiteral("SELECT * FROM user")}));
        QVERIFY(a->isConnected());
    }

    void oneOffQueries() {
        auto a = connectClient(port());
        QVERIFY(a);
        QVERIFY(a->call(QStringLiteral("set_name"), stringArgs(QStringLiteral("Oneoff"))));
        a->send(OneOffQuery{9, QStringLiteral("SELECT * FROM user WHERE identity = :sender")});
        auto r = a->nextAs<OneOffQueryResult>();
        QVERIFY(r);
        QCOMPARE(r->requestId, 9u);
        const auto *rows = std::get_if<QueryRows>(&r->result);
        QVERIFY(rows);
        QCOMPARE(rows->tables.size(), 1);
        QCOMPARE(rows->tables[0].table, QStringLiteral("user"));
        const QList<UserRow> users = usersIn(rows->tables[0].rows);
        QCOMPARE(users.size(), 1);
        QCOMPARE(users[0].identity, a->identity());

        a->send(OneOffQuery{10, QStringLiteral("SELECT * FROM nope")});
        r = a->nextAs<OneOffQueryResult>();
        QVERIFY(r);
        QVERIFY(std::get<QString>(r->result).contains(QStringLiteral("no such table")));
        a->send(OneOffQuery{11, QStringLiteral("SELECT * FROM *")});
        r = a->nextAs<OneOffQueryResult>();
        QVERIFY(r && std::holds_alternative<QString>(r->result));
        // An Option column takes no literal; a column list is not a table.
        a->send(OneOffQuery{12, QStringLiteral("SELECT * FROM user WHERE name = 'Oneoff'")});
        r = a->nextAs<OneOffQueryResult>();
        QVERIFY(r);
        QCOMPARE(std::get<QString>(r->result),
                 QStringLiteral("The literal expression `Oneoff` cannot be parsed as type "
                                "`(some: String | none: ())`"));
        a->send(OneOffQuery{13, QStringLiteral("SELECT name FROM user")});
        r = a->nextAs<OneOffQueryResult>();
        QVERIFY(r && std::holds_alternative<QString>(r->result));
        // A join needs no index in a one-off query.
        a->send(OneOffQuery{
            14, QStringLiteral("SELECT u.* FROM user u JOIN message m ON u.identity = m.sender")});
        r = a->nextAs<OneOffQueryResult>();
        QVERIFY(r && std::holds_alternative<QueryRows>(r->result));
    }

    void procedures() {
        auto a = connectClient(port());
        QVERIFY(a);
        a->send(CallProcedure{12, 0, QStringLiteral("anything"), {}});
        auto r = a->nextAs<ProcedureResult>();
        QVERIFY(r);
        QCOMPARE(r->requestId, 12u);
        QCOMPARE(std::get<ProcedureInternalError>(r->status).message,
                 QStringLiteral("no such procedure"));
    }

    void fatalClientErrors_data() {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<bool>("text");
        QTest::addColumn<QString>("reason");
        QTest::newRow("garbage") << QByteArray("\xff\x01\x02", 3) << false << QString();
        QTest::newRow("empty") << QByteArray() << false << QString();
        QTest::newRow("truncated")
            << encodeClientMessage(Subscribe{1, 1, {QStringLiteral("x")}}).left(9) << false
            << QString();
        QTest::newRow("flags") << QByteArray("\x03\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00",
                                             13)
                               << false << QStringLiteral("flags");
        QTest::newRow("text frame")
            << QByteArray("hello") << true
            << QStringLiteral("v2 websocket does not support text messages");
    }
    void fatalClientErrors() {
        QFETCH(QByteArray, payload);
        QFETCH(bool, text);
        QFETCH(QString, reason);
        auto a = connectClient(port());
        QVERIFY(a);
        if (text)
            a->sendText(QString::fromUtf8(payload));
        else
            a->sendRaw(payload);
        QVERIFY(a->waitDisconnected());
        QCOMPARE(a->closeCode(), 1011);
        QVERIFY2(a->closeReason().contains(reason), qPrintable(a->closeReason()));
        QVERIFY(!a->closeReason().isEmpty());
    }

    void trailingBytesAreIgnoredAsByTheServer() {
        // The real server reads a v2 frame and a reducer's arguments with a prefix decode
        // (`bsatn::from_slice`; the args seed in crates/core/src/host/mod.rs) and never looks at
        // what follows, and neither does a Rust module: both calls below run there.
        auto a = connectClient(port());
        QVERIFY(a);
        QVERIFY(a->subscribe(1, {QStringLiteral("SELECT * FROM message")}));
        auto rr = a->call(QStringLiteral("send_message"),
                          stringArgs(QStringLiteral("args then junk")) + "trailing");
        QVERIFY2(rr, qPrintable(a->lastError()));
        QVERIFY2(std::holds_alternative<ReducerOk>(rr->result),
                 qPrintable(outcomeText(rr->result)));

        const quint32 request = a->nextRequestId();
        a->sendRaw(encodeClientMessage(CallReducer{request, 0, QStringLiteral("send_message"),
                                                   stringArgs(QStringLiteral("frame then junk"))}) +
                   QByteArray("\x00\xff junk", 7));
        std::optional<ReducerResult> result;
        while (!result) {
            auto m = a->next();
            QVERIFY2(m, qPrintable(a->lastError()));
            if (const auto *r = std::get_if<ReducerResult>(&*m); r && r->requestId == request)
                result = *r;
        }
        QVERIFY2(std::holds_alternative<ReducerOk>(result->result),
                 qPrintable(outcomeText(result->result)));
        QVERIFY(a->isConnected());
        a->send(OneOffQuery{a->nextRequestId(), QStringLiteral("SELECT * FROM message")});
        std::optional<OneOffQueryResult> all;
        while (!all) {
            auto m = a->next();
            QVERIFY2(m, qPrintable(a->lastError()));
            if (const auto *r = std::get_if<OneOffQueryResult>(&*m))
                all = *r;
        }
        QStringList texts;
        for (const MessageRow &m : messagesIn(std::get<QueryRows>(all->result).tables[0].rows))
            texts.append(m.text);
        QVERIFY2(texts.contains(QStringLiteral("args then junk")), qPrintable(texts.join(u',')));
        QVERIFY2(texts.contains(QStringLiteral("frame then junk")), qPrintable(texts.join(u',')));
    }

    void duplicateQuerySetCloses() {
        auto a = connectClient(port());
        QVERIFY(a);
        QVERIFY(a->subscribe(3, {QStringLiteral("SELECT * FROM user")}));
        a->send(Subscribe{2, 3, {QStringLiteral("SELECT * FROM message")}});
        QVERIFY(a->waitDisconnected());
        QCOMPARE(a->closeCode(), 1011);
        QVERIFY2(a->closeReason().contains(QStringLiteral("already exists")),
                 qPrintable(a->closeReason()));
    }

    void messagesBeforeInitialConnection() {
        // A client may send right after the upgrade; InitialConnection still comes first.
        WsClient c;
        QVERIFY(c.connectTo(port(), {}, 5000, false));
        c.send(Subscribe{1, 1, {QStringLiteral("SELECT * FROM user")}});
        QVERIFY(c.nextAs<InitialConnection>());
        QVERIFY(c.nextAs<SubscribeApplied>());
    }

    void compression_data() {
        QTest::addColumn<QString>("param");
        QTest::addColumn<int>("tag");
        QTest::newRow("none") << QStringLiteral("None") << 0;
        QTest::newRow("gzip") << QStringLiteral("Gzip") << 2;
        QTest::newRow("brotli") << QStringLiteral("Brotli") << 1;
        QTest::newRow("default is brotli") << QString() << 1;
    }
    void compression() {
        QFETCH(QString, param);
        QFETCH(int, tag);
        WsClient::Options o;
        o.compression = param;
        o.extraQuery = QStringLiteral("confirmed=false&light=true");
        auto a = connectClient(port(), o);
        QVERIFY(a);
        // Small frames are never compressed.
        QCOMPARE(a->compressionTags(), QList<quint8>{0});
        QVERIFY(a->call(QStringLiteral("send_message"), stringArgs(QString(3000, u'z'))));
        QCOMPARE(a->compressionTags().last(), quint8(0)); // the result is small
        a->send(OneOffQuery{1, QStringLiteral("SELECT * FROM message")});
        auto r = a->nextAs<OneOffQueryResult>();
        QVERIFY2(r, qPrintable(a->lastError()));
        QCOMPARE(a->compressionTags().last(), quint8(tag));
        QVERIFY(messagesIn(std::get<QueryRows>(r->result).tables[0].rows).size() >= 1);
        QCOMPARE(a->decodeErrors(), 0);
    }

    void fanOutManyClients() {
        // Every client sees every message exactly once, and each sender's in order.
        // HOST_FANOUT_CLIENTS / HOST_FANOUT_MESSAGES scale this up for a manual stress run.
        const int clients = qEnvironmentVariableIntValue("HOST_FANOUT_CLIENTS") > 0
                                ? qEnvironmentVariableIntValue("HOST_FANOUT_CLIENTS")
                                : 20;
        const int perClient = qEnvironmentVariableIntValue("HOST_FANOUT_MESSAGES") > 0
                                  ? qEnvironmentVariableIntValue("HOST_FANOUT_MESSAGES")
                                  : 25;
        std::vector<std::unique_ptr<WsClient>> cs;
        for (int i = 0; i < clients; ++i) {
            cs.push_back(connectClient(port()));
            QVERIFY(cs.back());
        }
        for (int i = 0; i < clients; ++i)
            QVERIFY(cs[i]->subscribe(1, {QStringLiteral("SELECT * FROM message WHERE text > "
                                                        "'load '")}));
        // Connect lifecycles of later clients were announced to no one (no user query).
        for (int k = 0; k < perClient; ++k)
            for (int i = 0; i < clients; ++i)
                cs[i]->send(CallReducer{quint32(k + 1), 0, QStringLiteral("send_message"),
                                        stringArgs(QStringLiteral("load %1 %2").arg(i).arg(k))});
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < clients; ++i) {
            QHash<QString, int> seen;
            QList<int> lastBySender(clients, -1);
            int results = 0;
            while (seen.size() < clients * perClient) {
                auto m = cs[i]->next(20000);
                QVERIFY2(m, qPrintable(cs[i]->lastError()));
                QList<QuerySetUpdate> sets;
                if (const auto *rr = std::get_if<ReducerResult>(&*m)) {
                    ++results;
                    QVERIFY(isOk(rr->result));
                    sets = std::get<ReducerOk>(rr->result).transactionUpdate.querySets;
                } else {
                    sets = std::get<TransactionUpdate>(*m).querySets;
                }
                for (const QByteArray &row : changesOf(sets, QStringLiteral("message")).inserts) {
                    const QStringList parts = decodeMessage(row)->text.split(u' ');
                    QCOMPARE(parts.size(), 3);
                    const int sender = parts[1].toInt(), seq = parts[2].toInt();
                    QCOMPARE(seq, lastBySender[sender] + 1);
                    lastBySender[sender] = seq;
                    ++seen[parts[1] + u' ' + parts[2]];
                }
            }
            QCOMPARE(results, perClient);
            for (int n : std::as_const(seen))
                QCOMPARE(n, 1);
        }
        qInfo("%d clients x %d messages fanned out in %lld ms", clients, perClient,
              qint64(t.elapsed()));
        for (auto &c : cs)
            QVERIFY2(c->nothingElseQueued(), qPrintable(c->lastError()));
    }

    void v3Framing() {
        WsClient::Options o;
        o.protocols = {QStringLiteral("v3.bsatn.spacetimedb")};
        auto a = connectClient(port(), o);
        QVERIFY(a);
        QVERIFY(a->isV3());
        // Several client messages in one payload are handled in order.
        a->sendRaw(encodeClientMessagesV3(
            {Subscribe{1, 1, {QStringLiteral("SELECT * FROM message")}},
             CallReducer{2, 0, QStringLiteral("send_message"), stringArgs(QStringLiteral("v3!"))},
             OneOffQuery{3, QStringLiteral("SELECT * FROM user")}}));
        QVERIFY(a->nextAs<SubscribeApplied>());
        auto rr = a->nextAs<ReducerResult>();
        QVERIFY(rr && isOk(rr->result));
        QVERIFY(a->nextAs<OneOffQueryResult>());
        // An empty v3 payload is fatal.
        a->sendRaw({});
        QVERIFY(a->waitDisconnected());
        QCOMPARE(a->closeCode(), 1011);
    }
};

QTEST_GUILESS_MAIN(TestHostWs)
#include "tst_host_ws.moc"
