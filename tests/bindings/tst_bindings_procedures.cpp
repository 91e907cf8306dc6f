// SPDX-License-Identifier: Apache-2.0
// The typed procedure calls generated for the official sdk-test-procedure-ts module
// (fixtures/sdk-test-procedure-ts.json) against a scripted server: the CallProcedure message
// carries the procedure's wire name and BSATN arguments, and the callback gets the decoded
// return value (primitive, product, sum, unit) or the error, exactly once. Also the typed
// return value of a V10 reducer (fixtures/events_v10.json: `strike` returns combat::Hit; no
// official module has one, the official server refuses them at publish today) and the Uuid
// primary key of sdk-test-procedure-ts's pk_uuid table (find, range, query builder, QML value).

#include "events/module.h"
#include "procedures/module.h"
#include "procedures/pkuuidtablemodel.h"
#include "procedures/procedures.h"

#include "scriptedserver.h"

#include "spacetime/connection/dbconnectionbuilder.h"

#include <QTest>

#include <memory>
#include <optional>

namespace P = stdb::protocol;

namespace {

P::InitialConnection hello() {
    return {stdb::Identity::fromHex(QString(QStringLiteral("c2") + QString(62, u'0'))),
            stdb::ConnectionId::fromHex(QStringLiteral("0123456789abcdef0123456789abcdef")),
            QStringLiteral("minted.token")};
}

P::ProcedureResult returned(quint32 requestId, const QByteArray &value) {
    return P::ProcedureResult{P::ProcedureReturned{value}, stdb::Timestamp::fromMicros(5),
                              stdb::TimeDuration::fromMicros(7), requestId};
}

template <typename T>
struct Got {
    int calls = 0;
    std::optional<stdb::Expected<T>> result;
    stdb::ProcedureOutcome outcome;
    procedures::Procedures::Callback<T> callback() {
        return [this](const stdb::Expected<T> &r, const stdb::ProcedureOutcome &o) {
            ++calls;
            result = r;
            outcome = o;
        };
    }
};

struct GotReturn {
    int calls = 0;
    std::optional<stdb::Expected<events::CombatHit>> result;
    stdb::ReducerOutcome outcome;
    events::Reducers::ReturnCallback<events::CombatHit> callback() {
        return [this](const stdb::Expected<events::CombatHit> &r, const stdb::ReducerOutcome &o) {
            ++calls;
            result = r;
            outcome = o;
        };
    }
};

// combat::Hit {target: Identity c2 00…00 05, amount: 12} as BSATN, written out by hand.
QByteArray hitBytes() {
    QByteArray b(32, '\0');
    b[0] = '\x05';
    b[31] = '\xc2';
    return b + QByteArray("\x0c\0\0\0", 4);
}

// What strikeCompleted reported.
struct StrikeSignals {
    QList<quint32> amounts;
    QList<stdb::Expected<events::CombatHit>> returned;
    void watch(events::Reducers *reducers) {
        QObject::connect(reducers, &events::Reducers::strikeCompleted, reducers,
                         [this](const events::StrikeArgs &args, const stdb::ReducerOutcome &,
                                const stdb::Expected<events::CombatHit> &r) {
                             amounts << args.amount;
                             returned << r;
                         });
    }
};

stdb::Uuid uuid(const char *text) {
    return stdb::Uuid::fromString(QString::fromLatin1(text)).value();
}

} // namespace

class TestBindingsProcedures : public QObject {
    Q_OBJECT

    std::unique_ptr<ScriptedServer> srv;
    std::unique_ptr<stdb::DbConnection> conn;
    procedures::Module *module = nullptr;

private slots:
    void init() {
        srv = std::make_unique<ScriptedServer>();
        QVERIFY(srv->listen());
        auto built = stdb::DbConnectionBuilder()
                         .withUri(srv->uri())
                         .withDatabaseName(QStringLiteral("sdk-test-procedure"))
                         .withCompression(stdb::Compression::None)
                         .build();
        QVERIFY(built.hasValue());
        conn.reset(built.value());
        module = new procedures::Module(conn.get());
        QVERIFY(module->procedures());
        QVERIFY(srv->waitForConnections(1));
        srv->send(hello());
        QTRY_VERIFY(conn->isActive());
    }
    void cleanup() {
        conn.reset();
        srv.reset();
        module = nullptr;
    }

    void primitive() {
        Got<quint32> got;
        const auto id = module->procedures()->returnPrimitive(2, 40, got.callback());
        QVERIFY(id.hasValue());
        const auto call = srv->next<P::CallProcedure>();
        QVERIFY(call);
        QCOMPARE(call->procedure, QStringLiteral("return_primitive"));
        QCOMPARE(call->args, QByteArray("\x02\0\0\0\x28\0\0\0", 8)); // lhs, rhs as U32 LE
        QCOMPARE(call->requestId, id.value());
        srv->send(returned(id.value(), QByteArray("\x2a\0\0\0", 4)));
        QTRY_COMPARE(got.calls, 1);
        QVERIFY(got.result->hasValue());
        QCOMPARE(got.result->value(), 42u);
        QVERIFY(got.outcome.isReturned());
        QCOMPARE(got.outcome.hostDuration, stdb::TimeDuration::fromMicros(7));
    }

    void product() {
        Got<procedures::ReturnStruct> got;
        const auto id =
            module->procedures()->returnStruct(7, QStringLiteral("hi"), conn.get(), got.callback());
        QVERIFY(id.hasValue());
        const auto call = srv->next<P::CallProcedure>();
        QVERIFY(call);
        QCOMPARE(call->procedure, QStringLiteral("return_struct"));
        QCOMPARE(call->args, QByteArray("\x07\0\0\0\x02\0\0\0hi", 10));
        srv->send(returned(id.value(), QByteArray("\x07\0\0\0\x02\0\0\0hi", 10)));
        QTRY_COMPARE(got.calls, 1);
        QVERIFY(got.result->hasValue());
        QCOMPARE(got.result->value(), (procedures::ReturnStruct{7, QStringLiteral("hi")}));
    }

    void sum() {
        Got<procedures::ReturnEnum> got;
        const auto id = module->procedures()->returnEnumB(QStringLiteral("x"), got.callback());
        QVERIFY(id.hasValue());
        const auto call = srv->next<P::CallProcedure>();
        QVERIFY(call);
        QCOMPARE(call->procedure, QStringLiteral("return_enum_b"));
        srv->send(returned(id.value(), QByteArray("\x01\x01\0\0\0x", 6))); // variant B("x")
        QTRY_COMPARE(got.calls, 1);
        QVERIFY(got.result->hasValue());
        QVERIFY(got.result->value().isB());
        QCOMPARE(got.result->value().b(), QStringLiteral("x"));
    }

    void unit() {
        Got<stdb::Unit> got;
        const auto id = module->procedures()->insertWithTxCommit(got.callback());
        QVERIFY(id.hasValue());
        const auto call = srv->next<P::CallProcedure>();
        QVERIFY(call);
        QCOMPARE(call->procedure, QStringLiteral("insert_with_tx_commit"));
        QVERIFY(call->args.isEmpty());
        srv->send(returned(id.value(), QByteArray()));
        QTRY_COMPARE(got.calls, 1);
        QVERIFY(got.result->hasValue());
    }

    void procedureFails() {
        Got<stdb::Unit> got;
        const auto id = module->procedures()->willPanic(got.callback());
        QVERIFY(id.hasValue());
        QVERIFY(srv->next<P::CallProcedure>());
        srv->send(P::ProcedureResult{
            P::ProcedureInternalError{QStringLiteral("panicked")}, {}, {}, id.value()});
        QTRY_COMPARE(got.calls, 1);
        QVERIFY(!got.result->hasValue());
        QCOMPARE(got.result->error().kind(), stdb::Error::Kind::Server);
        QCOMPARE(got.outcome.status, stdb::ProcedureOutcome::Status::InternalError);
    }

    void returnValueDoesNotDecode() {
        Got<quint32> got;
        const auto id = module->procedures()->returnPrimitive(1, 1, got.callback());
        QVERIFY(id.hasValue());
        QVERIFY(srv->next<P::CallProcedure>());
        srv->send(returned(id.value(), QByteArray("\x01\x02", 2))); // too short for a U32
        QTRY_COMPARE(got.calls, 1);
        QVERIFY(!got.result->hasValue());
        QVERIFY(got.outcome.isReturned()); // the raw bytes stay available
        QCOMPARE(got.outcome.value, QByteArray("\x01\x02", 2));
    }

    void reducerReturnValue() {
        auto *events = new events::Module(conn.get());
        StrikeSignals completed;
        completed.watch(events->reducers());
        GotReturn got;
        const auto id = events->reducers()->strike(7, got.callback());
        QVERIFY(id.hasValue());
        const auto call = srv->next<P::CallReducer>();
        QVERIFY(call);
        QCOMPARE(call->reducer, QStringLiteral("strike"));
        QCOMPARE(call->args, QByteArray("\x07\0\0\0", 4)); // amount as U32 LE
        srv->send(P::ReducerResult{id.value(), stdb::Timestamp::fromMicros(3),
                                   P::ReducerOk{hitBytes(), {}}});
        QTRY_COMPARE(got.calls, 1);
        QVERIFY(got.outcome.isCommitted());
        QVERIFY(got.result->hasValue());
        stdb::Identity target =
            stdb::Identity::fromHex(QStringLiteral("c2") + QString(61, u'0') + QStringLiteral("5"));
        QCOMPARE(got.result->value(), (events::CombatHit{target, 12}));
        QCOMPARE(stdb::toBsatn(got.result->value()), hitBytes());
        QCOMPARE(completed.amounts, QList<quint32>{7});
        QVERIFY(completed.returned[0].hasValue());
        QCOMPARE(completed.returned[0].value().amount, 12u);
    }

    void reducerReturnValueDoesNotDecode() {
        auto *events = new events::Module(conn.get());
        StrikeSignals completed;
        completed.watch(events->reducers());
        GotReturn got;
        const auto id = events->reducers()->strike(1, conn.get(), got.callback());
        QVERIFY(id.hasValue());
        QVERIFY(srv->next<P::CallReducer>());
        // One byte short of a combat::Hit: a decode error, never a crash or a default value.
        const QByteArray shortBytes = hitBytes().chopped(1);
        srv->send(P::ReducerResult{id.value(), {}, P::ReducerOk{shortBytes, {}}});
        QTRY_COMPARE(got.calls, 1);
        QVERIFY(got.outcome.isCommitted()); // the reducer did commit
        QVERIFY(!got.result->hasValue());
        QCOMPARE(got.result->error().kind(), stdb::Error::Kind::Decode);
        QCOMPARE(got.outcome.returnValue, shortBytes); // the raw bytes stay available
        QCOMPARE(completed.returned.size(), 1);
        QCOMPARE(completed.returned[0].error().kind(), stdb::Error::Kind::Decode);

        // Trailing bytes are refused too.
        GotReturn longer;
        const auto id2 = events->reducers()->strike(2, longer.callback());
        QVERIFY(srv->next<P::CallReducer>());
        srv->send(P::ReducerResult{id2.value(), {}, P::ReducerOk{hitBytes() + '\0', {}}});
        QTRY_COMPARE(longer.calls, 1);
        QCOMPARE(longer.result->error().kind(), stdb::Error::Kind::Decode);

        // OkEmpty carries no value: nothing to decode a combat::Hit from.
        GotReturn empty;
        const auto id3 = events->reducers()->strike(3, empty.callback());
        QVERIFY(srv->next<P::CallReducer>());
        srv->send(P::ReducerResult{id3.value(), {}, P::ReducerOkEmpty{}});
        QTRY_COMPARE(empty.calls, 1);
        QVERIFY(empty.outcome.isCommitted());
        QCOMPARE(empty.result->error().kind(), stdb::Error::Kind::Decode);
    }

    void reducerWithReturnValueFails() {
        auto *events = new events::Module(conn.get());
        GotReturn got;
        const auto id = events->reducers()->strike(9, got.callback());
        QVERIFY(id.hasValue());
        QVERIFY(srv->next<P::CallReducer>());
        srv->send(P::ReducerResult{
            id.value(), {}, P::ReducerErr{stdb::toBsatn(QStringLiteral("too weak"))}});
        QTRY_COMPARE(got.calls, 1);
        QCOMPARE(got.outcome.status, stdb::ReducerOutcome::Status::Err);
        QCOMPARE(got.result->error().kind(), stdb::Error::Kind::Server);
        QCOMPARE(got.result->error().message(), QStringLiteral("too weak"));
    }

    void uuidPrimaryKey() {
        // pk_uuid {u: Uuid, data: i32}: the key is a stdb::Uuid, ordered as the server orders it.
        const QList<procedures::PkUuid> rows{{uuid("00000000-0000-0000-0000-000000000002"), 1},
                                             {uuid("0000647e-5180-7000-8000-000200000000"), 2},
                                             {uuid("ffffffff-0000-4000-8000-000000000000"), 3}};
        P::QueryRows snapshot;
        QList<QByteArray> encoded;
        for (const auto &r : rows)
            encoded << stdb::toBsatn(r);
        // The Uuid's wire form inside the row: its u128 little-endian, then the i32.
        QCOMPARE(encoded[1], QByteArray::fromHex("000000000200008000708051"
                                                 "7e640000"
                                                 "02000000"));
        snapshot.tables.append({QStringLiteral("pk_uuid"), P::RowList::fromRows(encoded)});
        stdb::CacheChanges ch = conn->cache().applySubscribeApplied(1, snapshot);
        QCOMPARE(ch.tables.size(), 1);
        auto *table = module->pkUuid();
        QCOMPARE(table->count(), 3);
        QCOMPARE(table->findByU(rows[1].u)->data, 2);
        QVERIFY(!table->findByU(stdb::Uuid::max()));
        using B = stdb::Bound<stdb::Uuid>;
        const QList<procedures::PkUuid> mid =
            table->filterByU(B::excluded(rows[0].u), B::included(stdb::Uuid::max()));
        QCOMPARE(mid, (QList<procedures::PkUuid>{rows[1], rows[2]}));
        QCOMPARE(table->filterByU(B::unbounded(), B::excluded(rows[1].u)),
                 QList<procedures::PkUuid>{rows[0]});
        // The query builder writes the hyphenated string the server's parse_str reads.
        using C = procedures::PkUuidTable::Cols;
        QCOMPARE(procedures::PkUuidTable::query().where(C::u >= rows[1].u).toSql().value(),
                 QStringLiteral("SELECT * FROM \"pk_uuid\" WHERE (\"pk_uuid\".\"u\" >= "
                                "'0000647e-5180-7000-8000-000200000000')"));
        // QML and item views see the text.
        const QMetaObject &mo = procedures::PkUuid::staticMetaObject;
        QCOMPARE(mo.property(mo.indexOfProperty("u")).readOnGadget(&rows[1]).toString(),
                 QStringLiteral("0000647e-5180-7000-8000-000200000000"));
        std::unique_ptr<procedures::PkUuidTableModel> model(table->createModel());
        const QModelIndex first = model->index(model->rowOf(rows[2].u));
        QVERIFY(first.isValid());
        QCOMPARE(model->data(first, procedures::PkUuidTableModel::URole).toString(),
                 QStringLiteral("ffffffff-0000-4000-8000-000000000000"));
    }

    void contextDestroyedSkipsTheCallback() {
        Got<quint32> got;
        auto *context = new QObject;
        const auto id = module->procedures()->returnPrimitive(1, 2, context, got.callback());
        QVERIFY(id.hasValue());
        QVERIFY(srv->next<P::CallProcedure>());
        delete context;
        srv->send(returned(id.value(), QByteArray("\x03\0\0\0", 4)));
        // A later call's answer proves the first answer was handled.
        Got<quint32> later;
        const auto id2 = module->procedures()->returnPrimitive(1, 1, later.callback());
        QVERIFY(id2.hasValue());
        QVERIFY(srv->next<P::CallProcedure>());
        srv->send(returned(id2.value(), QByteArray("\x02\0\0\0", 4)));
        QTRY_COMPARE(later.calls, 1);
        QCOMPARE(got.calls, 0);
    }
};

QTEST_GUILESS_MAIN(TestBindingsProcedures)
#include "tst_bindings_procedures.moc"
