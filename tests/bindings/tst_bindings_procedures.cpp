// SPDX-License-Identifier: Apache-2.0
// The typed procedure calls generated for the official sdk-test-procedure-ts module
// (fixtures/sdk-test-procedure-ts.json) against a scripted server: the CallProcedure message
// carries the procedure's wire name and BSATN arguments, and the callback gets the decoded
// return value (primitive, product, sum, unit) or the error, exactly once.

#include "procedures/module.h"
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
