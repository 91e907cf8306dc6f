// SPDX-License-Identifier: Apache-2.0
//
// module/ against what the rest of the project assumes of the quickstart-chat module:
//   * typeChecks: the module's pinned tsc (module/package-lock.json) accepts it, as
//     `spacetime build` requires before it bundles;
//   * definitionMatchesSchemaJson / definitionMatchesServer: the module definition that the
//     official library builds when the module is loaded (tests/module/check-module.mjs, no
//     server needed) describes the same tables, columns, indexes, constraints, sequences, keys,
//     access, reducers and lifecycle flags as bindings/quickstart_chat/schema.json and as the
//     server's GET /v1/database/NAME/schema?version=9 (spacetime-chat-host started here, or
//     STDB_TEST_SERVER);
//   * checkerReportsMismatches: the comparison finds each kind of difference, named by path;
//   * reducersBehaveLikeTheDevelopmentHost: the module's reducers, run through the library's
//     own `__call_reducer__` on an in-memory datastore (check-module.mjs behave), and the
//     development host's module (src/devhost/chatmodule.cpp, in process) go through the same
//     calls: the same outcomes, error texts, rows and log lines after every step.
// A missing node or npm is a failure, not a skip: CI installs them.

#include "hostprocess.h"

#include "chatmodule.h"
#include "database.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <variant>

#ifndef STDB_SOURCE_DIR
#error "STDB_SOURCE_DIR must name the source tree"
#endif
#ifndef STDB_NPM_SETUP
#error "STDB_NPM_SETUP must name scripts/npm-setup.sh"
#endif

using namespace Qt::StringLiterals;

namespace {

constexpr int kNodeTimeoutMs = 120000;

struct Run {
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QList<QJsonObject> events;

    std::optional<QJsonObject> event(const QString &name) const {
        for (const QJsonObject &e : events)
            if (e.value(u"event"_s).toString() == name)
                return e;
        return std::nullopt;
    }
    QString report() const {
        return u"exit %1\nstdout:\n%2\nstderr:\n%3"_s.arg(exitCode).arg(QString::fromUtf8(out),
                                                                        QString::fromUtf8(err));
    }
};

Run run(const QString &program, const QStringList &args, const QString &workingDir) {
    QProcess p;
    p.setWorkingDirectory(workingDir);
    p.start(program, args);
    Run r;
    r.finished = p.waitForStarted(10000) && p.waitForFinished(kNodeTimeoutMs);
    if (!r.finished) {
        p.kill();
        p.waitForFinished(5000);
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    for (const QByteArray &line : r.out.split('\n')) {
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (doc.isObject())
            r.events.append(doc.object());
    }
    return r;
}

QString sourcePath(const QString &relative) {
    return QDir(QStringLiteral(STDB_SOURCE_DIR)).filePath(relative);
}

// Sets the value at a path of object keys and array indexes in a JSON document.
QJsonValue setAt(QJsonValue node, QStringList path, const QJsonValue &value) {
    if (path.isEmpty())
        return value;
    const QString key = path.takeFirst();
    bool isIndex = false;
    const int index = key.toInt(&isIndex);
    if (isIndex) {
        QJsonArray a = node.toArray();
        a[index] = setAt(a.at(index), path, value);
        return a;
    }
    QJsonObject o = node.toObject();
    o[key] = setAt(o.value(key), path, value);
    return o;
}

// What the development host's module did in one step, in check-module.mjs's shape.
QJsonObject hostStep(host::Database &db, const host::ChatModule &module, const QJsonObject &step,
                     const QHash<QString, host::Row> &argsByStep, QStringList *logs) {
    const QString reducer = step.value(u"reducer"_s).toString();
    const host::ReducerDef *def = module.findReducer(reducer);
    QJsonObject out{{u"reducer"_s, reducer}};
    if (!def)
        return out;
    bool ok = false;
    const stdb::Identity sender = stdb::Identity::fromHex(step.value(u"sender"_s).toString(), &ok);
    const auto micros = step.value(u"timestamp"_s).toString().toLongLong();
    host::Transaction tx(db);
    host::ReducerContext ctx{sender, stdb::ConnectionId(), stdb::Timestamp::fromMicros(micros), tx};
    logs->clear();
    const host::ModuleOutcome o =
        module.run(*def, ctx, argsByStep.value(step.value(u"step"_s).toString()));
    if (o.kind == host::ModuleOutcome::Kind::Ok)
        db.commit(tx);
    out[u"outcome"_s] = o.kind == host::ModuleOutcome::Kind::Ok          ? u"ok"_s
                        : o.kind == host::ModuleOutcome::Kind::UserError ? u"sender_error"_s
                                                                         : u"panic"_s;
    out[u"error"_s] =
        o.kind == host::ModuleOutcome::Kind::Ok ? QJsonValue() : QJsonValue(o.message);
    QJsonArray users;
    for (const host::StoredRow &r : db.table(host::ChatModule::kUserTable).rows) {
        const host::Value &name = r.values.at(1);
        users.append(QJsonObject{{u"identity"_s, std::get<stdb::Identity>(r.values.at(0)).toHex()},
                                 {u"name"_s, std::holds_alternative<QString>(name)
                                                 ? QJsonValue(std::get<QString>(name))
                                                 : QJsonValue()},
                                 {u"online"_s, std::get<bool>(r.values.at(2))}});
    }
    QJsonArray messages;
    for (const host::StoredRow &r : db.table(host::ChatModule::kMessageTable).rows)
        messages.append(QJsonObject{
            {u"sender"_s, std::get<stdb::Identity>(r.values.at(0)).toHex()},
            {u"sent"_s, QString::number(std::get<stdb::Timestamp>(r.values.at(1)).micros())},
            {u"text"_s, std::get<QString>(r.values.at(2))}});
    out[u"users"_s] = users;
    out[u"messages"_s] = messages;
    QJsonArray logArray;
    for (const QString &l : std::as_const(*logs)) {
        const qsizetype space = l.indexOf(u' ');
        logArray.append(QJsonObject{{u"level"_s, l.left(space)}, {u"message"_s, l.mid(space + 1)}});
    }
    out[u"logs"_s] = logArray;
    return out;
}

QStringList *g_moduleLogs = nullptr;
QtMessageHandler g_previousHandler = nullptr;

// The host module's log lines (category quickstart-chat) as "level message".
void captureModuleLog(QtMsgType type, const QMessageLogContext &context, const QString &message) {
    if (g_moduleLogs && context.category && qstrcmp(context.category, "quickstart-chat") == 0) {
        const QString level = type == QtWarningMsg ? u"warn"_s
                              : type == QtInfoMsg  ? u"info"_s
                              : type == QtDebugMsg ? u"debug"_s
                                                   : u"error"_s;
        g_moduleLogs->append(level + u' ' + message);
        return;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

class TestModule : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void typeChecks();
    void definitionMatchesSchemaJson();
    void definitionMatchesServer();
    void checkerReportsMismatches_data();
    void checkerReportsMismatches();
    void reducersBehaveLikeTheDevelopmentHost();

private:
    Run check(const QStringList &args) {
        return run(m_node, QStringList{sourcePath(u"tests/module/check-module.mjs"_s)} + args,
                   sourcePath(u"tests/module"_s));
    }

    QString m_node;
};

void TestModule::initTestCase() {
    m_node = QStandardPaths::findExecutable(u"node"_s);
    if (m_node.isEmpty())
        QFAIL("node (Node.js >= 18) is not in PATH. This test loads module/ with the official "
              "SpacetimeDB library; install nodejs and npm (CI does, via "
              "scripts/install-deps.sh).");
    if (QStandardPaths::findExecutable(u"npm"_s).isEmpty())
        QFAIL("npm is not in PATH (scripts/npm-setup.sh installs the pinned packages with it)");
    const QString bash = QStandardPaths::findExecutable(u"bash"_s);
    if (bash.isEmpty())
        QFAIL("bash is not in PATH (needed for scripts/npm-setup.sh)");
    // Both projects: the module's own packages, and esbuild from tests/interop, with which
    // check-module.mjs bundles the module.
    const Run setup = run(bash, {QStringLiteral(STDB_NPM_SETUP), u"module"_s, u"tests/interop"_s},
                          QStringLiteral(STDB_SOURCE_DIR));
    if (!setup.finished || setup.exitCode != 0)
        QFAIL(qPrintable(u"scripts/npm-setup.sh failed:\n"_s + setup.report()));
}

void TestModule::typeChecks() {
    const QString tsc = sourcePath(u"module/node_modules/typescript/bin/tsc"_s);
    QVERIFY2(QFile::exists(tsc), qPrintable(tsc + u" is missing after npm-setup"_s));
    const Run r = run(m_node, {tsc, u"--noEmit"_s, u"-p"_s, sourcePath(u"module"_s)},
                      sourcePath(u"module"_s));
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.report()));
}

void TestModule::definitionMatchesSchemaJson() {
    const Run r = check(
        {u"check"_s, u"--schema-json"_s, sourcePath(u"bindings/quickstart_chat/schema.json"_s)});
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.report()));
    const auto described = r.event(u"described"_s);
    QVERIFY2(described, qPrintable(r.report()));
    QCOMPARE(described->value(u"library"_s).toString(), u"2.10.1"_s);
    QCOMPARE(described->value(u"tables"_s).toInt(), 2);
    QCOMPARE(described->value(u"reducers"_s).toInt(), 5);
    const auto done = r.event(u"done"_s);
    QVERIFY2(done, qPrintable(r.report()));
    QCOMPARE(done->value(u"mismatches"_s).toInt(), 0);
}

void TestModule::definitionMatchesServer() {
    HostProcess host;
    QVERIFY2(host.start(), qPrintable(host.errorString()));
    const Run r = check(
        {u"check"_s, u"--server"_s, host.baseUrl(), u"--database"_s, HostProcess::database()});
    if (QTest::currentTestFailed() || r.exitCode != 0)
        qWarning().noquote() << "host log:\n" << QString::fromUtf8(host.log().right(4000));
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.report()));
    const auto compared = r.event(u"compared"_s);
    QVERIFY2(compared, qPrintable(r.report()));
    QCOMPARE(compared->value(u"mismatches"_s).toInt(), 0);
    QVERIFY(host.stop());
}

void TestModule::checkerReportsMismatches_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("expected");
    // Reducers are compared by name: identity_connected, identity_disconnected, init,
    // send_message, set_name.
    QTest::newRow("column name") << u"typespace/types/0/Product/elements/2/name/some"_s
                                 << QJsonValue(u"onl1ne"_s)
                                 << u"MISMATCH definition.tables[0:user].columns[2:online].name"_s;
    QTest::newRow("column type") << u"typespace/types/1/Product/elements/2/algebraic_type"_s
                                 << QJsonValue(QJsonObject{{u"Bool"_s, QJsonArray()}})
                                 << u"MISMATCH definition.tables[1:message].columns[2:text].type"_s;
    QTest::newRow("primary key") << u"tables/0/primary_key"_s << QJsonValue(QJsonArray())
                                 << u"MISMATCH definition.tables[0:user].primary_key.length"_s;
    QTest::newRow("index name")
        << u"tables/0/indexes/0/name/some"_s << QJsonValue(u"user_identity_idx_hash"_s)
        << u"MISMATCH definition.tables[0:user].indexes[0:user_identity_idx_btree].name"_s;
    QTest::newRow("constraint name")
        << u"tables/0/constraints/0/name/some"_s << QJsonValue(u"user_identity_unique"_s)
        << u"MISMATCH definition.tables[0:user].constraints[0:user_identity_key].name"_s;
    QTest::newRow("table access") << u"tables/1/table_access"_s
                                  << QJsonValue(QJsonObject{{u"Private"_s, QJsonArray()}})
                                  << u"MISMATCH definition.tables[1:message].table_access"_s;
    QTest::newRow("reducer parameter")
        << u"reducers/0/params/elements/0/name/some"_s << QJsonValue(u"new_name"_s)
        << u"MISMATCH definition.reducers[4:set_name].params[0:name].name"_s;
    QTest::newRow("lifecycle") << u"reducers/2/lifecycle"_s
                               << QJsonValue(QJsonObject{{u"none"_s, QJsonArray()}})
                               << u"MISMATCH definition.reducers[2:init].lifecycle"_s;
    QTest::newRow("reducer name") << u"reducers/3/name"_s << QJsonValue(u"client_connected"_s)
                                  << u"MISMATCH definition.reducers[0:identity_connected].name"_s;
}

void TestModule::checkerReportsMismatches() {
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, expected);
    QFile in(sourcePath(u"bindings/quickstart_chat/schema.json"_s));
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QJsonDocument schema = QJsonDocument::fromJson(in.readAll());
    QVERIFY(schema.isObject());
    const QJsonValue changed = setAt(schema.object(), path.split(u'/'), value);
    QVERIFY(changed != QJsonValue(schema.object()));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(u"schema.json"_s);
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(changed.toObject()).toJson());
    out.close();

    const Run r = check({u"check"_s, u"--schema-json"_s, file});
    QVERIFY2(r.finished, qPrintable(r.report()));
    QVERIFY2(r.exitCode == 1, qPrintable(r.report()));
    QVERIFY2(r.err.contains(expected.toUtf8()), qPrintable(r.report()));
    const auto done = r.event(u"done"_s);
    QVERIFY2(done, qPrintable(r.report()));
    QVERIFY(done->value(u"mismatches"_s).toInt() >= 1);
}

void TestModule::reducersBehaveLikeTheDevelopmentHost() {
    const Run r = check({u"behave"_s});
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.report()));
    const auto behaviour = r.event(u"behaviour"_s);
    QVERIFY2(behaviour, qPrintable(r.report()));
    const QString alice = behaviour->value(u"alice"_s).toString();
    const QString bob = behaviour->value(u"bob"_s).toString();
    const QJsonArray steps = behaviour->value(u"steps"_s).toArray();
    QCOMPARE(steps.size(), 10);

    // The calls check-module.mjs made, with their arguments and senders.
    const QHash<QString, host::Row> args{
        {u"empty name"_s, {QString()}},           {u"unknown user names itself"_s, {u"bob"_s}},
        {u"alice names herself"_s, {u"alice"_s}}, {u"empty message"_s, {QString()}},
        {u"alice says hi"_s, {u"hi"_s}},
    };
    const QHash<QString, QString> senders{
        {u"init"_s, QString(64, u'0')},
        {u"unknown user names itself"_s, bob},
        {u"unknown user disconnects"_s, bob},
    };

    host::Database db(host::ChatModule::catalog());
    QString error;
    QVERIFY2(db.open(u":memory:"_s, &error), qPrintable(error));
    const host::ChatModule module;
    QStringList logs;
    g_moduleLogs = &logs;
    g_previousHandler = qInstallMessageHandler(captureModuleLog);
    QStringList differences;
    for (const QJsonValue &v : steps) {
        QJsonObject step = v.toObject();
        const QString name = step.value(u"step"_s).toString();
        step[u"sender"_s] = senders.value(name, alice);
        const QJsonObject expected = hostStep(db, module, step, args, &logs);
        for (const QString &key : {u"outcome"_s, u"error"_s, u"users"_s, u"messages"_s, u"logs"_s})
            if (step.value(key) != expected.value(key))
                differences << u"%1: %2: module %3, development host %4"_s.arg(
                    name, key,
                    QString::fromUtf8(
                        QJsonDocument(QJsonArray{step.value(key)}).toJson(QJsonDocument::Compact)),
                    QString::fromUtf8(QJsonDocument(QJsonArray{expected.value(key)})
                                          .toJson(QJsonDocument::Compact)));
    }
    qInstallMessageHandler(g_previousHandler);
    g_moduleLogs = nullptr;
    QVERIFY2(differences.isEmpty(), qPrintable(differences.join(u'\n')));

    // And what both did, spelled out for the texts clients show.
    const auto errorOf = [&](int i) { return steps.at(i).toObject().value(u"error"_s).toString(); };
    QCOMPARE(errorOf(2), u"Names must not be empty"_s);
    QCOMPARE(errorOf(3), u"Cannot set name for unknown user"_s);
    QCOMPARE(errorOf(5), u"Messages must not be empty"_s);
    const QJsonObject last = steps.last().toObject();
    QCOMPARE(last.value(u"users"_s).toArray().size(), 1);
    QCOMPARE(last.value(u"messages"_s).toArray().size(), 1);
    QCOMPARE(last.value(u"users"_s).toArray().at(0).toObject().value(u"online"_s).toBool(), false);
}

QTEST_GUILESS_MAIN(TestModule)
#include "tst_module.moc"
