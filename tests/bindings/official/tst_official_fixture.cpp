// SPDX-License-Identifier: Apache-2.0
// Smoke test of the bindings generated for one official-module fixture (built by
// run_fixture.cmake): the generated module can be constructed on a connection, registers a
// handle for every table and view of the schema the generator keeps, and offers a typed call
// with a result signal for every client-callable reducer. Against bytes the official TypeScript
// SDK encoded (encode-rows.mjs, FIXTURE_VECTORS): every table and view handle decodes its rows
// and the generated codec writes them back byte for byte; every reducer's and procedure's
// arguments decode into the generated Args struct and encode back the same, and the typed call
// made with them sends exactly those bytes under the wire name to a scripted server. The items
// of V10 submodules count as well, under their qualified wire names ("lib.libData"). Which
// handles and calls exist comes from FIXTURE_CASES_HEADER (emit-cases.mjs, read from the
// generated headers).

#include FIXTURE_MODULE_HEADER
#include FIXTURE_REDUCERS_HEADER

#include "scriptedserver.h"

#include "spacetime/bsatn/codec.h"
#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/dbconnectionbuilder.h"
#include "spacetime/schema/exactjson.h"
#include "spacetime/schema/moduleschema.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaMethod>
#include <QTest>

#include <memory>
#include <optional>
#include <tuple>

namespace fx = FIXTURE_NS;

enum class CallKind { Reducer, Procedure };

// visitGeneratedTables, visitGeneratedCalls (they use CallKind).
#include FIXTURE_CASES_HEADER

namespace {

namespace P = stdb::protocol;

QString hex(const QByteArray &b) {
    return QString::fromLatin1(b.toHex());
}

// A module of the schema: the root (prefix "") or a V10 submodule, whose items' wire names and
// encode-rows.mjs keys are their names qualified with the namespace path ("lib.", "lib.inner.").
// The schema library reads no Submodules section (a client sees the qualified names only), so
// each submodule's definition is parsed as a module of its own (its own typespace and
// canonical names).
struct Scope {
    QString prefix;
    stdb::ModuleSchema schema;
};

// `def` (a RawModuleDefV10 as JSON) and its submodules, depth first, as the generator orders
// its handles: a module's tables and views, then those of each of its submodules.
bool collectSubmodules(const QJsonObject &def, const QString &prefix, QList<Scope> *out,
                       QString *error) {
    for (const QJsonValue &section : def.value(QLatin1String("sections")).toArray()) {
        const QJsonValue list = section.toObject().value(QLatin1String("Submodules"));
        if (list.isUndefined())
            continue;
        for (const QJsonValue &entry : list.toArray()) {
            const QString ns = entry.toObject().value(QLatin1String("namespace")).toString();
            const QJsonValue module = entry.toObject().value(QLatin1String("module"));
            auto parsed = stdb::ModuleSchema::fromJsonValue(module);
            if (ns.isEmpty() || !parsed) {
                *error =
                    QStringLiteral("submodule %1%2: %3")
                        .arg(prefix, ns,
                             parsed ? QStringLiteral("no namespace") : parsed.error().toString());
                return false;
            }
            const QString inner = prefix + ns + u'.';
            out->append(Scope{inner, parsed.value()});
            if (!collectSubmodules(module.toObject(), inner, out, error))
                return false;
        }
    }
    return true;
}

// The TypeScript SDK's encodings of `what` (tables/views/reducers/procedures) for the schema
// item with source name `source`; an error text when there are none.
QList<QByteArray> tsValues(const QJsonObject &vectors, const char *what, const QString &source,
                           QString *error) {
    const QJsonValue list = vectors.value(QLatin1String(what)).toObject().value(source);
    if (!list.isArray() || list.toArray().isEmpty()) {
        *error = QStringLiteral("no TypeScript SDK encodings in %1 for %2")
                     .arg(QLatin1String(what), source);
        return {};
    }
    QList<QByteArray> out;
    for (const QJsonValue &v : list.toArray())
        out << QByteArray::fromHex(v.toString().toLatin1());
    return out;
}

// Decodes every row the TypeScript SDK encoded for each table handle and writes it back.
struct TableChecker {
    const QList<Scope> &scopes;
    const QJsonObject &vectors;
    QStringList failures;
    int handles = 0;
    int rows = 0;

    template <typename Handle>
    void table() {
        ++handles;
        const QString name = QString::fromUtf8(Handle::kTableName);
        QString error;
        QList<QByteArray> values;
        bool known = false;
        for (const Scope &s : scopes) {
            for (const stdb::TableDef &t : s.schema.tables())
                if (!known && s.prefix + t.name == name) {
                    values = tsValues(vectors, "tables", s.prefix + t.sourceName, &error);
                    known = true;
                }
            for (const stdb::ViewDef &v : s.schema.views())
                if (!known && s.prefix + v.name == name) {
                    values = tsValues(vectors, "views", s.prefix + v.sourceName, &error);
                    known = true;
                }
        }
        if (!known)
            error = QStringLiteral("the schema has no table or view %1").arg(name);
        if (!error.isEmpty()) {
            failures << error;
            return;
        }
        for (qsizetype i = 0; i < values.size(); ++i) {
            const QByteArray &bytes = values[i];
            const QString where =
                QStringLiteral("table %1 row %2 (%3)").arg(name).arg(i).arg(hex(bytes));
            const std::optional<typename Handle::Row> row = Handle::decodeRow(bytes);
            if (!row) {
                failures << where + QStringLiteral(": decodeRow failed");
                continue;
            }
            const auto exact = stdb::fromBsatn<typename Handle::Row>(bytes, "row");
            if (!exact)
                failures << where + QStringLiteral(": BsatnCodec: ") + exact.error().toString();
            const QByteArray again = stdb::toBsatn(*row);
            if (again != bytes)
                failures << where + QStringLiteral(": re-encoded as ") + hex(again);
            ++rows;
        }
    }
};

// Decodes every argument product the TypeScript SDK encoded into the generated Args struct,
// writes it back, and makes the typed call with it against the scripted server.
struct CallChecker {
    const QList<Scope> &scopes;
    const QJsonObject &vectors;
    ScriptedServer &server;
    fx::Module *module;
    QStringList failures;
    QStringList reducers, procedures;
    int calls = 0;

    template <typename Args, typename Call>
    void call(CallKind kind, const char *wire, Call &&makeCall) {
        const QString name = QString::fromUtf8(wire);
        const bool reducer = kind == CallKind::Reducer;
        (reducer ? reducers : procedures) << name;
        QString source;
        for (const Scope &s : scopes) {
            if (reducer) {
                for (const stdb::ReducerDef &r : s.schema.reducers())
                    if (s.prefix + r.name == name)
                        source = s.prefix + r.sourceName;
            } else {
                for (const stdb::ProcedureDef &p : s.schema.procedures())
                    if (s.prefix + p.name == name)
                        source = s.prefix + p.sourceName;
            }
        }
        const QString what = reducer ? QStringLiteral("reducer") : QStringLiteral("procedure");
        if (source.isEmpty()) {
            failures << QStringLiteral("the schema has no %1 %2").arg(what, name);
            return;
        }
        QString error;
        const QList<QByteArray> values =
            tsValues(vectors, reducer ? "reducers" : "procedures", source, &error);
        if (!error.isEmpty()) {
            failures << error;
            return;
        }
        for (qsizetype i = 0; i < values.size(); ++i) {
            const QByteArray &bytes = values[i];
            const QString where =
                QStringLiteral("%1 %2 arguments %3 (%4)").arg(what, name).arg(i).arg(hex(bytes));
            const auto args = stdb::fromBsatn<Args>(bytes, "arguments");
            if (!args) {
                failures << where + QStringLiteral(": ") + args.error().toString();
                continue;
            }
            const QByteArray again = stdb::toBsatn(args.value());
            if (again != bytes)
                failures << where + QStringLiteral(": re-encoded as ") + hex(again);
            const stdb::Expected<quint32> id = makeCall(module, args.value());
            if (!id) {
                failures << where + QStringLiteral(": the call failed: ") + id.error().toString();
                continue;
            }
            ++calls;
            // What the server received: the call's name, arguments and request id.
            std::optional<std::tuple<QString, QByteArray, quint32>> sent;
            if (reducer) {
                if (const auto m = server.next<P::CallReducer>())
                    sent.emplace(m->reducer, m->args, m->requestId);
            } else if (const auto m = server.next<P::CallProcedure>()) {
                sent.emplace(m->procedure, m->args, m->requestId);
            }
            if (!sent) {
                failures << where + QStringLiteral(": the server received no call");
                continue;
            }
            const auto &[sentName, sentArgs, sentId] = *sent;
            if (sentName != name || sentArgs != bytes || sentId != id.value())
                failures << where + QStringLiteral(": the server received %1 with %2 (request %3, "
                                                   "the call returned %4)")
                                        .arg(sentName, hex(sentArgs))
                                        .arg(sentId)
                                        .arg(id.value());
        }
    }
};

} // namespace

class TestOfficialFixture : public QObject {
    Q_OBJECT

    QList<Scope> scopes; // the root module first, then its submodules (collectSubmodules)
    QJsonObject vectors;

    // Wire names of what the schema's modules offer a client (with FIXTURE_INCLUDE_PRIVATE
    // also the private items).
    QStringList callableReducers() const {
        QStringList out;
        for (const Scope &s : scopes)
            for (const stdb::ReducerDef &r : s.schema.reducers())
                if (!r.isLifecycle() && (r.clientCallable || FIXTURE_INCLUDE_PRIVATE))
                    out << s.prefix + r.name;
        return out;
    }
    QStringList callableProcedures() const {
        QStringList out;
        for (const Scope &s : scopes)
            for (const stdb::ProcedureDef &p : s.schema.procedures())
                if (p.clientCallable || FIXTURE_INCLUDE_PRIVATE)
                    out << s.prefix + p.name;
        return out;
    }

private slots:
    void initTestCase() {
        QFile f(QStringLiteral(FIXTURE_SCHEMA));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.errorString()));
        const QByteArray json = f.readAll();
        auto parsed = stdb::ModuleSchema::fromJson(json);
        if (!parsed)
            QFAIL(qPrintable(parsed.error().toString()));
        scopes = {Scope{QString(), parsed.value()}};
        // Exact: a submodule's definition keeps its big integers (ModuleSchema::fromJson does
        // the same for the root).
        const auto exact = stdb::ExactJson::parse(json);
        if (!exact)
            QFAIL(qPrintable(exact.error().toString()));
        QJsonObject root = exact->object();
        if (root.contains(QLatin1String("V10"))) // the {"V10": …} wrapping of the schema route
            root = root.value(QLatin1String("V10")).toObject();
        QString submoduleError;
        QVERIFY2(collectSubmodules(root, QString(), &scopes, &submoduleError),
                 qPrintable(submoduleError));

        QFile v(QStringLiteral(FIXTURE_VECTORS));
        QVERIFY2(v.open(QIODevice::ReadOnly), qPrintable(v.errorString()));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(v.readAll(), &error);
        QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
        vectors = doc.object();
    }

    void moduleRegistersEveryTable() {
        QStringList expected;
        for (const Scope &s : scopes) {
            for (const stdb::TableDef &t : s.schema.tables())
                if (t.isPublic() || FIXTURE_INCLUDE_PRIVATE)
                    expected << s.prefix + t.name;
            // Views follow a module's tables (those with parameters are not generated).
            for (const stdb::ViewDef &v : s.schema.views())
                if ((v.isPublic || FIXTURE_INCLUDE_PRIVATE) && v.paramList.isEmpty())
                    expected << s.prefix + v.name;
        }
        QVERIFY(!expected.isEmpty());
        QCOMPARE(fx::Module::tableNames(), expected);
        QCOMPARE(fx::Module::allTablesQueries().size(), expected.size());

        // Never connects: nothing runs the event loop, and 127.0.0.1:1 refuses anyway.
        auto built = stdb::DbConnectionBuilder()
                         .withUri(QStringLiteral("http://127.0.0.1:1"))
                         .withDatabaseName(QStringLiteral("fixture"))
                         .build();
        QVERIFY(built.hasValue());
        std::unique_ptr<stdb::DbConnection> conn(built.value());
        auto *module = new fx::Module(conn.get());
        QVERIFY(module->reducers());
        QStringList registered = conn->tableNames();
        registered.sort();
        expected.sort();
        QCOMPARE(registered, expected);
    }

    void everyCallableReducerHasAResultSignal() {
        const qsizetype callable = callableReducers().size();
        const QMetaObject &mo = fx::Reducers::staticMetaObject;
        qsizetype signals_ = 0;
        for (int i = mo.methodOffset(); i < mo.methodCount(); ++i)
            if (mo.method(i).methodType() == QMetaMethod::Signal &&
                mo.method(i).name().endsWith("Completed"))
                ++signals_;
        QCOMPARE(signals_, callable);
    }

    void tableRowsFromTheTypeScriptSdk() {
        TableChecker checker{scopes, vectors, {}};
        visitGeneratedTables(checker);
        QVERIFY2(checker.failures.isEmpty(), qPrintable(checker.failures.join(u'\n')));
        QCOMPARE(checker.handles, fx::Module::tableNames().size());
        qInfo("%d table handle(s), %d row(s) from the TypeScript SDK decoded and re-encoded",
              checker.handles, checker.rows);
    }

    void callsSendTheTypeScriptSdkArguments() {
        ScriptedServer server;
        QVERIFY(server.listen());
        auto built = stdb::DbConnectionBuilder()
                         .withUri(server.uri())
                         .withDatabaseName(QStringLiteral("fixture"))
                         .withCompression(stdb::Compression::None)
                         .build();
        QVERIFY(built.hasValue());
        std::unique_ptr<stdb::DbConnection> conn(built.value());
        auto *module = new fx::Module(conn.get());
        QVERIFY(server.waitForConnections(1));
        server.send(P::InitialConnection{
            stdb::Identity::fromHex(QStringLiteral("c2") + QString(62, u'0')),
            stdb::ConnectionId::fromHex(QStringLiteral("0123456789abcdef0123456789abcdef")),
            QStringLiteral("minted.token")});
        QTRY_VERIFY(conn->isActive());

        CallChecker checker{scopes, vectors, server, module, {}, {}, {}};
        visitGeneratedCalls(checker);
        QVERIFY2(checker.failures.isEmpty(), qPrintable(checker.failures.join(u'\n')));

        // Every client-callable reducer and procedure was called.
        QStringList reducers = callableReducers();
        QStringList procedures = callableProcedures();
        reducers.sort();
        procedures.sort();
        checker.reducers.sort();
        checker.procedures.sort();
        QCOMPARE(checker.reducers, reducers);
        QCOMPARE(checker.procedures, procedures);
        qInfo("%d call(s) with arguments from the TypeScript SDK sent byte for byte",
              checker.calls);
    }
};

QTEST_GUILESS_MAIN(TestOfficialFixture)
#include "tst_official_fixture.moc"
