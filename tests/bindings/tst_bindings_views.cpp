// SPDX-License-Identifier: Apache-2.0
// The bindings generated from fixtures/views_v10.json (views, an event table, a scheduled table)
// against a scripted server, in the manner of the official Rust SDK's test clients
// (sdks/rust/tests/view-client, view-pk-client, event-table-client): a view is subscribed to by
// name, cached and reported like a table, with update pairs when it has a primary key; an event
// table's rows arrive once through rowInserted and are never cached.

#include "subs/module.h"
#include "views/module.h"

#include "scriptedserver.h"

#include "spacetime/connection/dbconnectionbuilder.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace P = stdb::protocol;
using namespace views;

namespace {

const stdb::Identity kMe =
    stdb::Identity::fromHex(QString(QStringLiteral("c2") + QString(62, u'0')));

stdb::Identity identity(quint64 n) {
    return stdb::Identity(stdb::U256::fromUInt64(n));
}

Player player(quint64 n, quint32 level) {
    return Player{identity(n), n, level};
}

QList<QByteArray> bsatn(const QList<Player> &players) {
    QList<QByteArray> out;
    for (const Player &p : players)
        out << stdb::toBsatn(p);
    return out;
}

P::TransactionUpdate eventTransaction(P::QuerySetId set, const QList<TestEvent> &events) {
    QList<QByteArray> rows;
    for (const TestEvent &e : events)
        rows << stdb::toBsatn(e);
    P::TransactionUpdate tx;
    tx.querySets.append({set,
                         {P::TableUpdate{QStringLiteral("test_event"),
                                         {P::EventTableRows{P::RowList::fromRows(rows)}}}}});
    return tx;
}

} // namespace

class TestBindingsViews : public QObject {
    Q_OBJECT

    std::unique_ptr<ScriptedServer> srv;
    std::unique_ptr<stdb::DbConnection> conn;
    Module *module = nullptr;

    // Subscribes to `query` and answers with `rows` for `table`: the query set's id.
    P::QuerySetId subscribe(const QString &query, const QString &table,
                            const QList<QByteArray> &rows, stdb::SubscriptionHandle *handle) {
        *handle = conn->subscriptionBuilder().subscribe(query);
        const auto sub = srv->next<P::Subscribe>();
        if (!sub)
            return 0;
        if (sub->queryStrings != QStringList{query})
            return 0;
        srv->send(P::SubscribeApplied{sub->requestId, sub->querySetId, queryRows({{table, rows}})});
        return sub->querySetId;
    }

private slots:
    void init() {
        srv = std::make_unique<ScriptedServer>();
        QVERIFY(srv->listen());
        auto built = stdb::DbConnectionBuilder()
                         .withUri(srv->uri())
                         .withDatabaseName(QStringLiteral("views"))
                         .withCompression(stdb::Compression::None)
                         .build();
        QVERIFY(built.hasValue());
        conn.reset(built.value());
        module = new Module(conn.get());
        QVERIFY(srv->waitForConnections(1));
        srv->send(P::InitialConnection{
            kMe, stdb::ConnectionId::fromHex(QStringLiteral("0123456789abcdef0123456789abcdef")),
            QStringLiteral("minted.token")});
        QTRY_VERIFY(conn->isActive());
    }
    void cleanup() {
        conn.reset();
        srv.reset();
        module = nullptr;
    }

    // event-table-client "event-table", "multiple-events", "events-dont-persist".
    void eventRowsArriveOnceAndAreNotCached() {
        QList<TestEvent> seen;
        QList<stdb::EventContext::Kind> kinds;
        connect(module->testEvent(), &TestEventTable::rowInserted, this,
                [&](const TestEvent &row, const stdb::EventContext &ctx) {
                    seen << row;
                    kinds << ctx.kind();
                    QCOMPARE(module->testEvent()->count(), 0); // not even while reported
                });
        stdb::SubscriptionHandle h;
        const P::QuerySetId set = subscribe(QStringLiteral("SELECT * FROM test_event"),
                                            QStringLiteral("test_event"), {}, &h);
        QVERIFY(set);
        QTRY_VERIFY(h.isActive());
        QCOMPARE(module->testEvent()->count(), 0);

        const auto id = module->reducers()->emitTestEvent(QStringLiteral("hello"), 42);
        QVERIFY(id.hasValue());
        const auto call = srv->next<P::CallReducer>();
        QVERIFY(call);
        QCOMPARE(call->reducer, QStringLiteral("emit_test_event"));
        const TestEvent hello{QStringLiteral("hello"), 42};
        srv->send(P::ReducerResult{id.value(), stdb::Timestamp::fromMicros(1),
                                   P::ReducerOk{{}, eventTransaction(set, {hello})}});
        QTRY_COMPARE(seen.size(), 1);
        QCOMPARE(seen.front(), hello);
        QCOMPARE(kinds.front(), stdb::EventContext::Kind::Reducer);
        QCOMPARE(module->testEvent()->count(), 0);
        QCOMPARE(module->testEvent()->cache()->count(), 0);

        // Three events in one transaction: three signals, in order. Then a transaction without
        // events: nothing is delivered again.
        const QList<TestEvent> three{
            {QStringLiteral("a"), 1}, {QStringLiteral("b"), 2}, {QStringLiteral("c"), 3}};
        srv->send(eventTransaction(set, three));
        QTRY_COMPARE(seen.size(), 4);
        QCOMPARE(seen.mid(1), three);
        QCOMPARE(kinds.last(), stdb::EventContext::Kind::Transaction);
        int noopDone = 0;
        const auto noop = module->reducers()->deletePlayer(
            identity(1), [&](const stdb::ReducerOutcome &) { ++noopDone; });
        QVERIFY(noop.hasValue());
        srv->send(P::ReducerResult{noop.value(), stdb::Timestamp::fromMicros(2),
                                   P::ReducerOk{{}, eventTransaction(set, {})}});
        QTRY_COMPARE(noopDone, 1);
        QCOMPARE(seen.size(), 4);
        QCOMPARE(module->testEvent()->count(), 0);
        // Unsubscribing drops nothing (there is nothing) and reports no deletes.
        QVERIFY(!h.unsubscribe().isError());
        const auto unsub = srv->next<P::Unsubscribe>();
        QVERIFY(unsub);
        srv->send(P::UnsubscribeApplied{unsub->requestId, unsub->querySetId, P::QueryRows{}});
        QTRY_VERIFY(h.isEnded());
        QCOMPARE(seen.size(), 4);
    }

    // view-client "view-anonymous-subscribe": inserts and deletes of an anonymous view without
    // a primary key, then its rows leave with the subscription.
    void anonymousViewSubscribedCachedUpdatedUnsubscribed() {
        PlayersAtLevel0View *view = module->playersAtLevel0();
        QCOMPARE(view->tableName(), QStringLiteral("players_at_level_0"));
        QList<Player> inserted, deleted;
        connect(view, &PlayersAtLevel0View::rowInserted, this,
                [&](const Player &row) { inserted << row; });
        connect(view, &PlayersAtLevel0View::rowDeleted, this,
                [&](const Player &row) { deleted << row; });
        stdb::SubscriptionHandle h;
        const P::QuerySetId set =
            subscribe(QStringLiteral("SELECT * FROM players_at_level_0"),
                      QStringLiteral("players_at_level_0"), bsatn({player(2, 0)}), &h);
        QVERIFY(set);
        QTRY_COMPARE(inserted.size(), 1);
        QCOMPARE(view->rows(), QList<Player>{player(2, 0)});
        // The table the view reads from is a different cache: nothing there.
        QCOMPARE(module->player()->count(), 0);

        srv->send(
            transaction(set, QStringLiteral("players_at_level_0"), bsatn({player(4, 0)}), {}));
        QTRY_COMPARE(inserted.size(), 2);
        QCOMPARE(inserted.last(), player(4, 0));
        QCOMPARE(view->count(), 2);
        srv->send(
            transaction(set, QStringLiteral("players_at_level_0"), {}, bsatn({player(4, 0)})));
        QTRY_COMPARE(deleted, QList<Player>{player(4, 0)});
        QCOMPARE(view->rows(), QList<Player>{player(2, 0)});

        // Without a primary key the row is its own key: a changed row is delete + insert.
        srv->send(transaction(set, QStringLiteral("players_at_level_0"), bsatn({player(2, 1)}),
                              bsatn({player(2, 0)})));
        QTRY_COMPARE(deleted.size(), 2);
        QCOMPARE(inserted.last(), player(2, 1));

        QVERIFY(!h.unsubscribe().isError());
        const auto unsub = srv->next<P::Unsubscribe>();
        QVERIFY(unsub);
        srv->send(P::UnsubscribeApplied{
            unsub->requestId, unsub->querySetId,
            queryRows({{QStringLiteral("players_at_level_0"), bsatn({player(2, 1)})}})});
        QTRY_COMPARE(deleted.size(), 3);
        QCOMPARE(deleted.last(), player(2, 1));
        QCOMPARE(view->count(), 0);
    }

    // view-client "view-non-anonymous-subscribe": a per-sender view holds the rows the server
    // computed for our identity; its primary key gives a find.
    void perSenderViewRows() {
        MyPlayerView *view = module->myPlayer();
        QList<Player> inserted, deleted;
        connect(view, &MyPlayerView::rowInserted, this,
                [&](const Player &row) { inserted << row; });
        connect(view, &MyPlayerView::rowDeleted, this, [&](const Player &row) { deleted << row; });
        stdb::SubscriptionHandle h;
        const P::QuerySetId set = subscribe(QStringLiteral("SELECT * FROM my_player"),
                                            QStringLiteral("my_player"), {}, &h);
        QVERIFY(set);
        QTRY_VERIFY(h.isActive());
        QCOMPARE(view->count(), 0);

        const auto id = module->reducers()->insertPlayer(kMe, 0);
        QVERIFY(id.hasValue());
        const auto call = srv->next<P::CallReducer>();
        QVERIFY(call);
        QCOMPARE(call->reducer, QStringLiteral("insert_player"));
        QCOMPARE(call->args, stdb::toBsatn(InsertPlayerArgs{kMe, 0}));
        const Player mine{kMe, 7, 0};
        srv->send(P::ReducerResult{
            id.value(), stdb::Timestamp::fromMicros(1),
            P::ReducerOk{
                {}, transaction(set, QStringLiteral("my_player"), {stdb::toBsatn(mine)}, {})}});
        QTRY_COMPARE(inserted, QList<Player>{mine});
        QCOMPARE(view->findByIdentity(kMe), mine);
        QVERIFY(!view->findByIdentity(identity(1)));
        // Another view with the same row type is cached on its own.
        QCOMPARE(module->allPlayers()->count(), 0);

        srv->send(transaction(set, QStringLiteral("my_player"), {}, {stdb::toBsatn(mine)}));
        QTRY_COMPARE(deleted, QList<Player>{mine});
        QVERIFY(!view->findByIdentity(kMe));
    }

    // view-pk-client "view-pk-on-update": a view with a primary key (here a query-builder view,
    // Query<Player>) pairs a delete and an insert of one key into rowUpdated.
    void primaryKeyViewReportsUpdates() {
        AllPlayersView *view = module->allPlayers();
        QList<std::pair<Player, Player>> updated;
        int inserts = 0, deletes = 0;
        connect(view, &AllPlayersView::rowUpdated, this, [&](const Player &o, const Player &n) {
            updated.append({o, n});
        });
        connect(view, &AllPlayersView::rowInserted, this, [&] { ++inserts; });
        connect(view, &AllPlayersView::rowDeleted, this, [&] { ++deletes; });
        stdb::SubscriptionHandle h;
        const P::QuerySetId set =
            subscribe(QStringLiteral("SELECT * FROM all_players"), QStringLiteral("all_players"),
                      bsatn({player(1, 1)}), &h);
        QVERIFY(set);
        QTRY_COMPARE(inserts, 1);
        srv->send(transaction(set, QStringLiteral("all_players"), bsatn({player(1, 2)}),
                              bsatn({player(1, 1)})));
        QTRY_COMPARE(updated.size(), 1);
        QCOMPARE(updated.front().first, player(1, 1));
        QCOMPARE(updated.front().second, player(1, 2));
        QCOMPARE(inserts, 1);
        QCOMPARE(deletes, 0);
        QCOMPARE(view->findByIdentity(identity(1))->level, 2u);
        QCOMPARE(view->count(), 1);
    }

    // Every table and view is in subscribeToAllTables (like the official ALL_TABLE_NAMES);
    // the scheduled table says what it schedules, and the scheduled reducer is not callable
    // (V10: private, only the schedule calls it).
    void moduleShape() {
        const QStringList names{QStringLiteral("player"),    QStringLiteral("test_event"),
                                QStringLiteral("tick"),      QStringLiteral("players_at_level_0"),
                                QStringLiteral("my_player"), QStringLiteral("all_players")};
        QCOMPARE(Module::tableNames(), names);
        module->subscribeToAllTables();
        const auto sub = srv->next<P::Subscribe>();
        QVERIFY(sub);
        QCOMPARE(sub->queryStrings.size(), names.size());
        QCOMPARE(sub->queryStrings[4], QStringLiteral("SELECT * FROM \"my_player\""));
        QCOMPARE(QString::fromUtf8(TickTable::kScheduledReducer), QStringLiteral("tick"));
        QCOMPARE(QString::fromUtf8(TickTable::kScheduledAtColumn), QStringLiteral("scheduled_at"));
        const QMetaObject *reducers = module->reducers()->metaObject();
        QVERIFY(reducers->indexOfSignal("insertPlayerCompleted(views::InsertPlayerArgs,"
                                        "stdb::ReducerOutcome)") >= 0);
        QCOMPARE(reducers->indexOfSignal("tickCompleted(views::TickArgs,stdb::ReducerOutcome)"),
                 -1);
        QVERIFY(module->testEvent()->cache()->isEventTable());
        QVERIFY(!module->myPlayer()->cache()->isEventTable());
    }

    // An event table has the typed query() of a table: the server runs a subscription's WHERE
    // on an event table's inserted rows like on a table's (crates/subscription plans).
    void eventTableTypedQuery() {
        using C = TestEventTable::Cols;
        stdb::SubscriptionHandle h = conn->subscriptionBuilder().subscribe(
            TestEventTable::query().where(C::value >= 10u && C::name != QStringLiteral("x")));
        const auto sub = srv->next<P::Subscribe>();
        QVERIFY(sub);
        QCOMPARE(sub->queryStrings,
                 QStringList{QStringLiteral(
                     "SELECT * FROM \"test_event\" WHERE ((\"test_event\".\"value\" >= 10) AND "
                     "(\"test_event\".\"name\" <> 'x'))")});
        QVERIFY(h.state() != stdb::SubscriptionHandle::State::Failed);
    }

    // A V10 submodule's tables, views, reducers and procedures (fixtures/submodules_v10.json,
    // namespace subs): subscribed to, called and answered under the wire names the server gives
    // them ("lib.libData", "lib.lib_insert", "lib.inner.bump", "lib.lib_count"), with the bytes
    // of the arguments checked.
    void submoduleItemsOnTheWire() {
        auto *subsModule = new subs::Module(conn.get());
        QCOMPARE(subs::Module::tableNames(),
                 (QStringList{QStringLiteral("note"), QStringLiteral("lib.libData"),
                              QStringLiteral("lib.inner.tally"),
                              QStringLiteral("lib.inner.all_tallies")}));
        subs::Lib_LibDataTable *data = subsModule->lib_libData();
        QCOMPARE(data->tableName(), QStringLiteral("lib.libData"));

        using L = subs::Lib_LibDataTable::Cols;
        stdb::SubscriptionHandle h = conn->subscriptionBuilder().subscribe(
            subs::Lib_LibDataTable::query().where(L::id > 1u));
        const auto sub = srv->next<P::Subscribe>();
        QVERIFY(sub);
        QCOMPARE(sub->queryStrings,
                 QStringList{QStringLiteral("SELECT * FROM \"lib\".\"libData\" WHERE "
                                            "(\"lib\".\"libData\".\"id\" > 1)")});
        const subs::Lib_LibData two{2, QStringLiteral("zwei")};
        srv->send(P::SubscribeApplied{
            sub->requestId, sub->querySetId,
            queryRows({{QStringLiteral("lib.libData"), {stdb::toBsatn(two)}}})});
        QTRY_VERIFY(h.isActive());
        QCOMPARE(data->rows(), QList<subs::Lib_LibData>{two});
        QCOMPARE(data->findById(2)->value, QStringLiteral("zwei"));

        // The submodule's reducer: its qualified name, its arguments' BSATN.
        QList<subs::Lib_LibInsertArgs> completed;
        connect(subsModule->reducers(), &subs::Reducers::lib_libInsertCompleted, this,
                [&](const subs::Lib_LibInsertArgs &args) { completed << args; });
        const auto id = subsModule->reducers()->lib_libInsert(QStringLiteral("drei"));
        QVERIFY(id.hasValue());
        const auto call = srv->next<P::CallReducer>();
        QVERIFY(call);
        QCOMPARE(call->reducer, QStringLiteral("lib.lib_insert"));
        QCOMPARE(call->args, QByteArray("\x04\0\0\0drei", 8)); // String: u32 LE length, UTF-8
        const subs::Lib_LibData three{3, QStringLiteral("drei")};
        srv->send(P::ReducerResult{
            id.value(), stdb::Timestamp::fromMicros(1),
            P::ReducerOk{{},
                         transaction(sub->querySetId, QStringLiteral("lib.libData"),
                                     {stdb::toBsatn(three)}, {})}});
        QTRY_COMPARE(completed.size(), 1);
        QCOMPARE(completed.front().value, QStringLiteral("drei"));
        QCOMPARE(data->count(), 2);
        QCOMPARE(data->findById(3)->value, QStringLiteral("drei"));

        // A nested submodule's reducer, and a procedure.
        QVERIFY(subsModule->reducers()->lib_inner_bump(7).hasValue());
        const auto bump = srv->next<P::CallReducer>();
        QVERIFY(bump);
        QCOMPARE(bump->reducer, QStringLiteral("lib.inner.bump"));
        QCOMPARE(bump->args, QByteArray("\x07\0\0\0\0\0\0\0", 8)); // u64 LE
        std::optional<quint64> count;
        const auto proc = subsModule->procedures()->lib_libCount(
            [&](const stdb::Expected<quint64> &r, const stdb::ProcedureOutcome &) {
                count = r.hasValue() ? r.value() : 0;
            });
        QVERIFY(proc.hasValue());
        const auto pcall = srv->next<P::CallProcedure>();
        QVERIFY(pcall);
        QCOMPARE(pcall->procedure, QStringLiteral("lib.lib_count"));
        QCOMPARE(pcall->args, QByteArray());
        srv->send(P::ProcedureResult{P::ProcedureReturned{QByteArray("\x05\0\0\0\0\0\0\0", 8)},
                                     stdb::Timestamp::fromMicros(5),
                                     stdb::TimeDuration::fromMicros(7), proc.value()});
        QTRY_VERIFY(count.has_value());
        QCOMPARE(*count, 5u);

        // A nested submodule's view and everything at once, each name part quoted.
        subsModule->subscribeToAllTables();
        const auto all = srv->next<P::Subscribe>();
        QVERIFY(all);
        QCOMPARE(all->queryStrings.at(3),
                 QStringLiteral("SELECT * FROM \"lib\".\"inner\".\"all_tallies\""));
    }

    // A typed semijoin across a root table and a submodule table (both joined on indexed
    // columns): the form of the subscription grammar, `table.*` of the result table.
    void semijoinOnTheWire() {
        auto *subsModule = new subs::Module(conn.get());
        Q_UNUSED(subsModule);
        using N = subs::NoteTable::Cols;
        using L = subs::Lib_LibDataTable::Cols;
        stdb::SubscriptionHandle h = conn->subscriptionBuilder().subscribe(
            subs::NoteTable::query()
                .where(N::text != QStringLiteral(""))
                .rightSemijoin(subs::Lib_LibDataTable::query(), L::id == N::id)
                .where(L::value == QStringLiteral("v")));
        const auto sub = srv->next<P::Subscribe>();
        QVERIFY(sub);
        QCOMPARE(sub->queryStrings,
                 QStringList{QStringLiteral(
                     "SELECT \"lib\".\"libData\".* FROM \"note\" JOIN \"lib\".\"libData\" ON "
                     "\"note\".\"id\" = \"lib\".\"libData\".\"id\" WHERE (\"note\".\"text\" <> '') "
                     "AND (\"lib\".\"libData\".\"value\" = 'v')")});
        srv->send(P::SubscribeApplied{
            sub->requestId, sub->querySetId,
            queryRows({{QStringLiteral("lib.libData"),
                        {stdb::toBsatn(subs::Lib_LibData{4, QStringLiteral("v")})}}})});
        QTRY_VERIFY(h.isActive());
        QCOMPARE(subsModule->lib_libData()->count(), 1);
    }
};

QTEST_MAIN(TestBindingsViews)
#include "tst_bindings_views.moc"
