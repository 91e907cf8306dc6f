// SPDX-License-Identifier: Apache-2.0
// Smoke test of the bindings generated for one official-module fixture (built by
// run_fixture.cmake): the generated module can be constructed on a connection, registers a
// handle for every table and view of the schema the generator keeps, and offers a typed call
// with a result signal for every client-callable reducer.

#include FIXTURE_MODULE_HEADER
#include FIXTURE_REDUCERS_HEADER

#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/dbconnectionbuilder.h"
#include "spacetime/schema/moduleschema.h"

#include <QFile>
#include <QMetaMethod>
#include <QTest>

#include <memory>

namespace fx = FIXTURE_NS;

class TestOfficialFixture : public QObject {
    Q_OBJECT

    stdb::ModuleSchema schema;

private slots:
    void initTestCase() {
        QFile f(QStringLiteral(FIXTURE_SCHEMA));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.errorString()));
        auto parsed = stdb::ModuleSchema::fromJson(f.readAll());
        if (!parsed)
            QFAIL(qPrintable(parsed.error().toString()));
        schema = parsed.value();
    }

    void moduleRegistersEveryTable() {
        QStringList expected;
        for (const stdb::TableDef &t : schema.tables())
            if (t.isPublic() || FIXTURE_INCLUDE_PRIVATE)
                expected << t.name;
        // Views follow the tables (those with parameters are not generated).
        for (const stdb::ViewDef &v : schema.views())
            if ((v.isPublic || FIXTURE_INCLUDE_PRIVATE) && v.paramList.isEmpty())
                expected << v.name;
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
        int callable = 0;
        for (const stdb::ReducerDef &r : schema.reducers())
            if (!r.isLifecycle() && (r.clientCallable || FIXTURE_INCLUDE_PRIVATE))
                ++callable;
        const QMetaObject &mo = fx::Reducers::staticMetaObject;
        int signals_ = 0;
        for (int i = mo.methodOffset(); i < mo.methodCount(); ++i)
            if (mo.method(i).methodType() == QMetaMethod::Signal &&
                mo.method(i).name().endsWith("Completed"))
                ++signals_;
        QCOMPARE(signals_, callable);
    }
};

QTEST_GUILESS_MAIN(TestOfficialFixture)
#include "tst_official_fixture.moc"
