// SPDX-License-Identifier: Apache-2.0
// ModuleSchema / AlgebraicType / Typespace: V9 and V10 parsing, wrappers, the rich fixture,
// and malformed documents that must fail with the right JSON path.

#include "spacetime/schema/exactjson.h"
#include "spacetime/schema/moduleschema.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace stdb;
using S = AlgebraicType::Special;

namespace {

QByteArray readFile(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    return f.readAll();
}

QByteArray readData(const char *name) {
    return readFile(QStringLiteral(STDB_INSPECT_DATA "/") + QLatin1String(name));
}

QJsonObject readObject(const char *name) {
    return QJsonDocument::fromJson(readData(name)).object();
}

// quickstart-chat's V9 schema: what the host serves and the bindings are generated from.
QByteArray quickstartV9Json() {
    return readFile(QStringLiteral(STDB_QUICKSTART_SCHEMA));
}

QJsonObject quickstartV9Object() {
    return QJsonDocument::fromJson(quickstartV9Json()).object();
}

ModuleSchema parseOrFail(const QByteArray &json) {
    Expected<ModuleSchema> s = ModuleSchema::fromJson(json);
    if (!s)
        qFatal("schema failed to parse: %s", qPrintable(s.error().toString()));
    return *s;
}

QString errorOf(const QJsonValue &root) {
    Expected<ModuleSchema> s = ModuleSchema::fromJsonValue(root);
    return s ? QStringLiteral("<parsed>") : s.error().message();
}

// Sets a value at a path of keys/indices inside a JSON document (copy-on-write helpers).
QJsonValue setAt(const QJsonValue &root, QList<QVariant> path, const QJsonValue &v) {
    if (path.isEmpty())
        return v;
    const QVariant head = path.takeFirst();
    if (head.typeId() == QMetaType::Int) {
        QJsonArray a = root.toArray();
        a[head.toInt()] = setAt(a[head.toInt()], path, v);
        return a;
    }
    QJsonObject o = root.toObject();
    if (v.isUndefined() && path.isEmpty())
        o.remove(head.toString());
    else
        o[head.toString()] = setAt(o.value(head.toString()), path, v);
    return o;
}

void checkQuickstartTables(const ModuleSchema &s) {
    QCOMPARE(s.tables().size(), 2);
    const TableDef *user = s.table(u"user");
    QVERIFY(user);
    QCOMPARE(user->columns.size(), 3);
    QCOMPARE(user->columns[0].name, QStringLiteral("identity"));
    QCOMPARE(user->columns[1].name, QStringLiteral("name"));
    QCOMPARE(user->columns[2].name, QStringLiteral("online"));
    QCOMPARE(user->columns[0].type.special(), S::Identity);
    QCOMPARE(user->columns[1].type.special(), S::Option);
    QCOMPARE(user->columns[1].type.optionType().kind(), AlgebraicType::Kind::String);
    QCOMPARE(user->columns[2].type.kind(), AlgebraicType::Kind::Bool);
    QCOMPARE(user->primaryKey, QList<int>{0});
    QCOMPARE(user->primaryKeyColumn(), 0);
    QVERIFY(user->isUniqueColumn(0));
    QVERIFY(!user->isUniqueColumn(1));
    QCOMPARE(user->uniqueConstraints.size(), 1);
    QCOMPARE(user->uniqueConstraints[0].columns, QList<int>{0});
    QCOMPARE(user->indexes.size(), 1);
    QCOMPARE(user->indexes[0].name, QStringLiteral("user_identity_idx_btree"));
    QCOMPARE(user->indexes[0].accessorName, QStringLiteral("identity"));
    QCOMPARE(user->indexes[0].algorithm, IndexAlgorithm::BTree);
    QCOMPARE(user->indexes[0].columns, QList<int>{0});
    QVERIFY(user->isPublic());
    QCOMPARE(user->tableType, TableType::User);
    QCOMPARE(user->rowType.toString(),
             QStringLiteral("{identity: Identity, name: Option<String>, online: Bool}"));

    const TableDef *message = s.table(u"message");
    QVERIFY(message);
    QVERIFY(!message->hasPrimaryKey());
    QCOMPARE(message->columns[1].type.special(), S::Timestamp);
    QCOMPARE(message->columns[2].name, QStringLiteral("text"));
    QCOMPARE(s.rowTypeOf(u"message"), &message->rowType);
    QVERIFY(!s.rowTypeOf(u"nope"));
    // identity(32) + timestamp(8) + string: not fixed; user has an Option<String>: not fixed.
    QVERIFY(!s.typespace().fixedSize(message->rowType));
}

} // namespace

class TestSchema : public QObject {
    Q_OBJECT

private slots:
    void algebraicTypeBasics() {
        QCOMPARE(AlgebraicType::identity().special(), S::Identity);
        QCOMPARE(AlgebraicType::connectionId().special(), S::ConnectionId);
        QCOMPARE(AlgebraicType::timestamp().special(), S::Timestamp);
        QCOMPARE(AlgebraicType::timeDuration().special(), S::TimeDuration);
        QCOMPARE(AlgebraicType::uuid().special(), S::Uuid);
        QCOMPARE(AlgebraicType::scheduleAt().special(), S::ScheduleAt);
        QCOMPARE(AlgebraicType::option(AlgebraicType::Kind::U8).special(), S::Option);
        QCOMPARE(
            AlgebraicType::result(AlgebraicType::Kind::U8, AlgebraicType::Kind::String).special(),
            S::Result);
        QCOMPARE(AlgebraicType::unit().special(), S::Unit);
        QCOMPARE(AlgebraicType::never().special(), S::Never);
        // Same shape, wrong names or order: not special.
        QCOMPARE(
            AlgebraicType::sum({{"none", AlgebraicType::unit()}, {"some", AlgebraicType::Kind::U8}})
                .special(),
            S::None);
        QCOMPARE(AlgebraicType::product({{"__identity__", AlgebraicType::Kind::U128}}).special(),
                 S::None);
        const AlgebraicType color =
            AlgebraicType::sum({{"Red", AlgebraicType::unit()}, {"Blue", AlgebraicType::unit()}});
        QVERIFY(color.isPlainEnum());
        QVERIFY(!AlgebraicType::option(AlgebraicType::unit()).isPlainEnum());

        // All 20 kinds survive the SATS-JSON form.
        for (int k = 0; k < 20; ++k) {
            const auto kind = AlgebraicType::Kind(k);
            AlgebraicType t(kind);
            if (kind == AlgebraicType::Kind::Ref)
                t = AlgebraicType::ref(7);
            const Expected<AlgebraicType> back = AlgebraicType::fromJson(t.toJson());
            QVERIFY2(back && *back == t, qPrintable(AlgebraicType::kindName(kind)));
        }
        const AlgebraicType nested = AlgebraicType::product(
            {{"a", AlgebraicType::array(AlgebraicType::option(AlgebraicType::scheduleAt()))},
             {std::nullopt, AlgebraicType::ref(2)}});
        QCOMPARE(*AlgebraicType::fromJson(nested.toJson()), nested);
        QCOMPARE(nested.toString(), QStringLiteral("{a: Array<Option<ScheduleAt>>, Ref(2)}"));
    }

    void typespaceResolve() {
        Typespace ts({AlgebraicType::ref(1),
                      AlgebraicType::product({{"x", AlgebraicType::Kind::I32}}),
                      AlgebraicType::ref(3), AlgebraicType::ref(2)});
        QVERIFY(ts.resolve(AlgebraicType::ref(0)));
        QVERIFY(ts.resolve(AlgebraicType::ref(0))->isProduct());
        QVERIFY(!ts.resolve(AlgebraicType::ref(2))); // 2 -> 3 -> 2
        QVERIFY(!ts.resolve(AlgebraicType::ref(9)));
        QVERIFY(ts.validate().isError());
        QCOMPARE(*ts.fixedSize(AlgebraicType::ref(0)), qsizetype(4));
        QCOMPARE(*ts.fixedSize(AlgebraicType::identity()), qsizetype(32));
        QCOMPARE(*ts.fixedSize(AlgebraicType::scheduleAt()), qsizetype(9));
        QVERIFY(!ts.fixedSize(AlgebraicType::option(AlgebraicType::Kind::U32)));
    }

    void quickstartV9() {
        const ModuleSchema s = parseOrFail(quickstartV9Json());
        QCOMPARE(s.version(), 9);
        checkQuickstartTables(s);
        QCOMPARE(s.table(u"user")->sourceName, QStringLiteral("user"));
        QCOMPARE(s.reducers().size(), 5);
        const ReducerDef *setName = s.reducer(u"set_name");
        QVERIFY(setName);
        QVERIFY(!setName->isLifecycle());
        QVERIFY(setName->clientCallable);
        QCOMPARE(setName->paramList.size(), 1);
        QCOMPARE(setName->paramList[0].name, QStringLiteral("name"));
        QCOMPARE(setName->params.toString(), QStringLiteral("{name: String}"));
        QCOMPARE(s.reducer(u"init")->lifecycle, Lifecycle::Init);
        QCOMPARE(s.reducer(u"identity_connected")->lifecycle, Lifecycle::OnConnect);
        QCOMPARE(s.reducer(u"identity_disconnected")->lifecycle, Lifecycle::OnDisconnect);
        QVERIFY(!s.reducer(u"identity_connected")->clientCallable);
        QCOMPARE(s.types().size(), 2);
        QCOMPARE(s.typeDef(0)->name, QStringLiteral("User"));
        QCOMPARE(s.typeDef(1)->name, QStringLiteral("Message"));
        QVERIFY(s.typeDef(0)->customOrdering);
    }

    void quickstartV10() {
        const ModuleSchema s = parseOrFail(readData("quickstart-chat-schema-v10.json"));
        QCOMPARE(s.version(), 10);
        checkQuickstartTables(s); // wire names came from ExplicitNames
        QCOMPARE(s.table(u"user")->sourceName, QStringLiteral("User"));
        QCOMPARE(s.reducers().size(), 4);
        const ReducerDef *setName = s.reducer(u"set_name");
        QVERIFY(setName);
        QCOMPARE(setName->sourceName, QStringLiteral("SetName"));
        QVERIFY(setName->clientCallable);
        QVERIFY(setName->errReturnType);
        QCOMPARE(setName->errReturnType->kind(), AlgebraicType::Kind::String);
        const ReducerDef *connected = s.reducer(u"client_connected");
        QVERIFY(connected);
        QCOMPARE(connected->lifecycle, Lifecycle::OnConnect);
        QVERIFY(!connected->clientCallable);
        QCOMPARE(s.reducer(u"client_disconnected")->lifecycle, Lifecycle::OnDisconnect);
        QCOMPARE(s.typeDef(0)->name, QStringLiteral("User"));

        // V9 and V10 describe the same rows.
        const ModuleSchema v9 = parseOrFail(quickstartV9Json());
        QCOMPARE(s.table(u"user")->columns, v9.table(u"user")->columns);
        QCOMPARE(s.table(u"message")->rowType, v9.table(u"message")->rowType);
    }

    void v10WithoutExplicitNamesUsesSnakeCase() {
        QJsonObject doc = readObject("quickstart-chat-schema-v10.json");
        QJsonArray sections = doc.value(u"sections").toArray();
        for (qsizetype i = sections.size() - 1; i >= 0; --i)
            if (sections[i].toObject().contains(u"ExplicitNames"))
                sections.removeAt(i);
        doc[QStringLiteral("sections")] = sections;
        const Expected<ModuleSchema> s = ModuleSchema::fromJsonValue(doc);
        QVERIFY2(s, qPrintable(s ? QString() : s.error().toString()));
        QVERIFY(s->table(u"user"));
        QVERIFY(s->reducer(u"send_message"));
        QVERIFY(s->reducer(u"client_connected"));
    }

    // Views (Array<T>, Option<T> and a query-builder view's Query<T>, the product
    // {__query__: T}) with their primary keys, an event table, and a schedule whose reducer the
    // server makes private whatever the module declared (schema/src/def/validate/v10.rs).
    void v10ViewsEventTablesAndSchedules() {
        const ModuleSchema s = parseOrFail(readFile(QStringLiteral(STDB_VIEWS_SCHEMA)));
        QCOMPARE(s.views().size(), 3);
        for (const ViewDef &v : s.views()) {
            QCOMPARE(v.productTypeRef, std::optional<quint32>(0));
            QCOMPARE(v.columns.size(), 3);
            QCOMPARE(v.columns[0].name, QStringLiteral("identity"));
        }
        QVERIFY(s.view(u"players_at_level_0")->isAnonymous);
        QVERIFY(s.view(u"players_at_level_0")->primaryKey.isEmpty());
        QVERIFY(!s.view(u"my_player")->isAnonymous);
        QCOMPARE(s.view(u"my_player")->primaryKey, QList<int>{0});
        QCOMPARE(s.view(u"all_players")->primaryKey, QList<int>{0});
        QCOMPARE(s.rowTypeOf(u"all_players"), &s.view(u"all_players")->rowType);
        QVERIFY(s.table(u"test_event")->isEvent);
        QVERIFY(!s.table(u"player")->isEvent);
        QCOMPARE(s.table(u"tick")->schedule->reducerName, QStringLiteral("tick"));
        QVERIFY(!s.reducer(u"tick")->clientCallable);
        QVERIFY(s.reducer(u"insert_player")->clientCallable);
    }

    void wrappers() {
        const QJsonObject v9 = quickstartV9Object();
        const QJsonObject v10 = readObject("quickstart-chat-schema-v10.json");
        Expected<ModuleSchema> a = ModuleSchema::fromJsonValue(QJsonObject{{"V9", v9}});
        QVERIFY(a);
        QCOMPARE(a->version(), 9);
        checkQuickstartTables(*a);
        Expected<ModuleSchema> b = ModuleSchema::fromJsonValue(QJsonObject{{"V10", v10}});
        QVERIFY(b);
        QCOMPARE(b->version(), 10);
        checkQuickstartTables(*b);
        // Errors inside a wrapper name the wrapper in the path.
        const QJsonValue broken = setAt(
            QJsonObject{{"V9", v9}},
            {QStringLiteral("V9"), QStringLiteral("tables"), 1, QStringLiteral("product_type_ref")},
            QStringLiteral("one"));
        QVERIFY(errorOf(broken).startsWith(u"V9.tables[1].product_type_ref: expected a number"));
    }

    void richFixture() {
        const ModuleSchema s = parseOrFail(readData("rich-schema.json")); // {"V9": …}
        const TableDef *t = s.table(u"everything");
        QVERIFY(t);
        QCOMPARE(t->columns.size(), 30);
        auto col = [&](const char *name) {
            const FieldDef *f = t->column(QString::fromLatin1(name));
            if (!f)
                qFatal("no column %s", name);
            return *f;
        };
        const Typespace &ts = s.typespace();
        QCOMPARE(col("owner").type.special(), S::Identity);
        QCOMPARE(col("conn").type.special(), S::ConnectionId);
        QCOMPARE(col("at").type.special(), S::Timestamp);
        QCOMPARE(col("every").type.special(), S::TimeDuration);
        QCOMPARE(col("uid").type.special(), S::Uuid);
        QCOMPARE(col("result").type.special(), S::Result);
        QCOMPARE(col("maybe").type.special(), S::Option);
        QCOMPARE(col("maybe").type.optionType().special(), S::Option);
        QCOMPARE(col("blob").type.toString(), QStringLiteral("Array<U8>"));
        QCOMPARE(col("i256").type.kind(), AlgebraicType::Kind::I256);
        const AlgebraicType *shape = ts.resolve(col("shape").type);
        QVERIFY(shape && shape->isSum() && !shape->isPlainEnum());
        QCOMPARE(shape->members()[2].type.special(), S::Unit);
        QVERIFY(ts.resolve(col("color").type)->isPlainEnum());
        QCOMPARE(ts.resolve(col("points").type.elementType())->members().size(), 2);

        QVERIFY(t->isUniqueColumn(29));
        QCOMPARE(t->indexes.size(), 5);
        QCOMPARE(t->indexes[2].columns, (QList<int>{6, 5}));
        QCOMPARE(t->indexes[3].algorithm, IndexAlgorithm::Direct);
        QCOMPARE(t->indexes[3].columns, QList<int>{2});
        QCOMPARE(t->indexes[4].algorithm, IndexAlgorithm::Hash);
        QVERIFY(t->indexes[4].name.isEmpty());
        QCOMPARE(t->sequences.size(), 1);
        QVERIFY(!t->sequences[0].start);
        QCOMPARE(t->sequences[0].minValue, I128::fromInt64(1));
        // 2^127 - 1: beyond a double; ExactJson keeps it exact (§8 item 37).
        QCOMPARE(t->sequences[0].maxValue, I128::max());

        const TableDef *job = s.table(u"job");
        QVERIFY(job && job->schedule);
        QCOMPARE(job->schedule->reducerName, QStringLiteral("run_job"));
        QCOMPARE(job->schedule->scheduledAtColumn, 1);
        QCOMPARE(job->columns[1].type.special(), S::ScheduleAt);
        QVERIFY(!job->isPublic());

        QCOMPARE(s.procedures().size(), 1);
        QCOMPARE(s.procedure(u"lookup")->returnType.special(), S::Option);
        QCOMPARE(s.views().size(), 1);
        const ViewDef *view = s.view(u"my_points");
        QVERIFY(view);
        QCOMPARE(view->columns.size(), 2);
        QCOMPARE(s.rowTypeOf(u"my_points"), &view->rowType);
        QCOMPARE(s.typeDef(1)->qualifiedName(), QStringLiteral("geo::Shape"));
        QCOMPARE(s.rowLevelSecurity(),
                 QStringList{QStringLiteral("SELECT * FROM job WHERE false")});
        QCOMPARE(*ts.fixedSize(AlgebraicType::ref(0)), qsizetype(8));
        QCOMPARE(s.reducer(u"add_point")->paramList.size(), 3);
    }

    void malformed_data() {
        QTest::addColumn<QJsonValue>("doc");
        QTest::addColumn<QString>("error");
        const QJsonObject v9 = quickstartV9Object();
        const QJsonObject v10 = readObject("quickstart-chat-schema-v10.json");
        using L = QList<QVariant>;
        const QString tables = QStringLiteral("tables"), types = QStringLiteral("types"),
                      typespace = QStringLiteral("typespace");
        auto row = [&](const char *name, const QJsonValue &doc, const char *error) {
            QTest::newRow(name) << doc << QString::fromUtf8(error);
        };
        row("ref not a number",
            setAt(v9, L{tables, 1, QStringLiteral("product_type_ref")}, QStringLiteral("x")),
            "tables[1].product_type_ref: expected a number, got a string");
        row("ref fraction", setAt(v9, L{tables, 0, QStringLiteral("product_type_ref")}, 1.5),
            "tables[0].product_type_ref: expected an integer");
        row("ref out of range", setAt(v9, L{tables, 0, QStringLiteral("product_type_ref")}, 99),
            "tables[0].product_type_ref: type ref 99 out of range (typespace has 2 types)");
        row("missing name", setAt(v9, L{tables, 1, QStringLiteral("name")}, QJsonValue::Undefined),
            "tables[1].name: missing");
        row("missing typespace", setAt(v9, L{typespace}, QJsonValue::Undefined),
            "not a module schema");
        row("typespace types missing", setAt(v9, L{typespace, types}, QJsonValue::Undefined),
            "typespace.types: missing");
        row("tables not array", setAt(v9, L{tables}, QJsonObject()),
            "tables: expected an array, got an object");
        row("unknown kind", setAt(v9, L{typespace, types, 0}, QJsonObject{{"Foo", QJsonArray()}}),
            "typespace.types[0]: unknown AlgebraicType kind \"Foo\"");
        row("two keys",
            setAt(v9, L{typespace, types, 0},
                  QJsonObject{{"U8", QJsonArray()}, {"U16", QJsonArray()}}),
            "typespace.types[0]: expected an AlgebraicType object with exactly one key");
        row("dangling ref in type",
            setAt(v9,
                  L{typespace, types, 1, QStringLiteral("Product"), QStringLiteral("elements"), 2,
                    QStringLiteral("algebraic_type")},
                  QJsonObject{{"Ref", 5}}),
            "typespace.types[1].Product.elements[2].algebraic_type: type ref 5 out of range");
        row("ref cycle",
            setAt(setAt(v9, L{typespace, types, 0}, QJsonObject{{"Ref", 1}}),
                  L{typespace, types, 1}, QJsonObject{{"Ref", 0}}),
            "typespace.types[0]: type ref 1 is a cycle of refs");
        row("element name not string",
            setAt(v9,
                  L{typespace, types, 0, QStringLiteral("Product"), QStringLiteral("elements"), 0,
                    QStringLiteral("name")},
                  5),
            "typespace.types[0].Product.elements[0].name: expected");
        row("elements not array",
            setAt(v9, L{typespace, types, 0, QStringLiteral("Product"), QStringLiteral("elements")},
                  3),
            "typespace.types[0].Product.elements: expected an array, got a number");
        row("row type not product",
            setAt(v9, L{typespace, types, 1}, QJsonObject{{"String", QJsonArray()}}),
            "tables[1].product_type_ref: type ref 1 is not a product type");
        row("pk out of range",
            setAt(v9, L{tables, 0, QStringLiteral("primary_key")}, QJsonArray{7}),
            "tables[0].primary_key[0]: column 7 out of range (table has 3 columns)");
        row("pk negative", setAt(v9, L{tables, 0, QStringLiteral("primary_key")}, QJsonArray{-1}),
            "tables[0].primary_key[0]: expected an integer in [0, 65535]");
        row("index algorithm",
            setAt(v9, L{tables, 0, QStringLiteral("indexes"), 0, QStringLiteral("algorithm")},
                  QJsonObject{{"Quantum", QJsonObject()}}),
            "tables[0].indexes[0].algorithm: unknown index algorithm \"Quantum\"");
        row("index column",
            setAt(v9,
                  L{tables, 0, QStringLiteral("indexes"), 0, QStringLiteral("algorithm"),
                    QStringLiteral("BTree"), QStringLiteral("columns")},
                  QJsonArray{0, 3}),
            "tables[0].indexes[0].algorithm[1]: column 3 out of range");
        row("constraint columns",
            setAt(v9,
                  L{tables, 0, QStringLiteral("constraints"), 0, QStringLiteral("data"),
                    QStringLiteral("Unique")},
                  QJsonObject()),
            "tables[0].constraints[0].data.Unique.columns: missing");
        row("table access",
            setAt(v9, L{tables, 0, QStringLiteral("table_access")},
                  QJsonObject{{"Secret", QJsonArray()}}),
            "tables[0].table_access: unknown table access \"Secret\"");
        row("params missing",
            setAt(v9, L{QStringLiteral("reducers"), 1, QStringLiteral("params")},
                  QJsonValue::Undefined),
            "reducers[1].params: missing");
        row("params bad",
            setAt(v9,
                  L{QStringLiteral("reducers"), 1, QStringLiteral("params"),
                    QStringLiteral("elements"), 0, QStringLiteral("algebraic_type")},
                  QJsonObject{{"Ref", 9}}),
            "reducers[1].params.elements[0].algebraic_type: type ref 9 out of range");
        row("lifecycle",
            setAt(v9, L{QStringLiteral("reducers"), 0, QStringLiteral("lifecycle")},
                  QJsonObject{{"some", QJsonObject{{"Bogus", QJsonArray()}}}}),
            "reducers[0].lifecycle.some: unknown lifecycle \"Bogus\"");
        row("types ty", setAt(v9, L{types, 0, QStringLiteral("ty")}, 12),
            "types[0].ty: type ref 12 out of range");
        row("types name", setAt(v9, L{types, 1, QStringLiteral("name")}, QStringLiteral("User")),
            "types[1].name: expected an object, got a string");
        row("v10 section shape", setAt(v10, L{QStringLiteral("sections"), 0}, 3),
            "sections[0]: expected an enum object with exactly one key, got a number");
        row("v10 explicit names",
            setAt(v10,
                  L{QStringLiteral("sections"), 6, QStringLiteral("ExplicitNames"),
                    QStringLiteral("entries"), 0, QStringLiteral("Table"),
                    QStringLiteral("canonical_name")},
                  QJsonValue::Undefined),
            "sections[6].ExplicitNames.entries[0].Table.canonical_name: missing");
        row("v10 table ref",
            setAt(v10,
                  L{QStringLiteral("sections"), 2, QStringLiteral("Tables"), 1,
                    QStringLiteral("product_type_ref")},
                  QJsonValue()),
            "sections[2].Tables[1].product_type_ref: expected a number, got null");
        row("v10 lifecycle",
            setAt(v10,
                  L{QStringLiteral("sections"), 4, QStringLiteral("LifeCycleReducers"), 0,
                    QStringLiteral("lifecycle_spec")},
                  QJsonObject{{"Sometimes", QJsonArray()}}),
            "sections[4].LifeCycleReducers[0].lifecycle_spec: unknown lifecycle \"Sometimes\"");
        row("v9 wrapper not object", QJsonObject{{"V9", QJsonArray()}},
            "V9: expected an object, got an array");
        row("v8", QJsonObject{{"V8BackCompat", QJsonObject()}},
            "unsupported module definition version \"V8BackCompat\"");
        row("root array", QJsonArray{1, 2}, "expected an object, got an array");
        row("root string", QJsonValue(QStringLiteral("hi")), "expected an object, got a string");
    }

    void malformed() {
        QFETCH(QJsonValue, doc);
        QFETCH(QString, error);
        const QString got = errorOf(doc);
        QVERIFY2(got.startsWith(error), qPrintable(QStringLiteral("got: ") + got));
    }

    void badJsonText() {
        Expected<ModuleSchema> s = ModuleSchema::fromJson("{\"typespace\": [1, 2");
        QVERIFY(!s);
        QVERIFY(s.error().message().startsWith(u"invalid JSON"));
        QVERIFY(!ModuleSchema::fromJson(""));
    }

    // Cutting the document anywhere or replacing any value with junk must give an error, never
    // a crash.
    void neverCrashes() {
        const QByteArray text = readData("rich-schema.json");
        for (qsizetype cut = 0; cut < text.size(); cut += 7)
            QVERIFY(!ModuleSchema::fromJson(text.left(cut)));
        const QJsonObject root = quickstartV9Object();
        const QList<QJsonValue> junk = {QJsonValue(),
                                        1e300,
                                        -3,
                                        QStringLiteral("x"),
                                        QJsonArray{QJsonObject()},
                                        QJsonObject{{"Ref", -1}},
                                        true};
        // Replace every value reachable in the document, one at a time.
        std::function<void(const QJsonValue &, QList<QVariant>)> walk = [&](const QJsonValue &v,
                                                                            QList<QVariant> path) {
            for (const QJsonValue &j : junk)
                (void)errorOf(setAt(root, path, j));
            if (v.isObject()) {
                const QJsonObject o = v.toObject();
                for (auto it = o.begin(); it != o.end(); ++it)
                    walk(it.value(), path + QList<QVariant>{it.key()});
            } else if (v.isArray()) {
                const QJsonArray a = v.toArray();
                for (int i = 0; i < a.size(); ++i)
                    walk(a[i], path + QList<QVariant>{i});
            }
        };
        walk(root, {});
    }

    void exactJson() {
        QCOMPARE(
            ExactJson::quoteBigIntegers("[1, -9223372036854775808, 9223372036854775808, "
                                        "\"99999999999999999999\", 1.5e30, 18446744073709551615]"),
            QByteArray("[1, -9223372036854775808, \"9223372036854775808\", "
                       "\"99999999999999999999\", 1.5e30, \"18446744073709551615\"]"));
        QVERIFY(!ExactJson::parse("[1,"));
    }
};

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
