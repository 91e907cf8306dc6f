// SPDX-License-Identifier: Apache-2.0
// The checked-in quickstart-chat bindings against the local host (spacetime-chat-host): typed
// rows, finds, per-row and batch signals with their event contexts, typed reducer calls with
// callbacks and result signals; and the generator's --from-server mode and schema.json checked
// against what the host serves.
//
// With STDB_TEST_SERVER set (tests/devhost/support/hostprocess.h) this runs against that server:
// row counts are then relative to what its database already holds, and the byte comparisons
// with schema.json are the development host's promise only (a real server formats its JSON
// differently; tst_module compares its schema with schema.json by meaning).

#include "hostprocess.h"

#include "quickstart_chat/module.h"

#include "spacetime/connection/dbconnectionbuilder.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <algorithm>

using namespace quickstart_chat;

namespace {

struct Client {
    stdb::DbConnection *conn = nullptr;
    Module *module = nullptr;
};

} // namespace

class TestBindingsQuickstart : public QObject {
    Q_OBJECT

    HostProcess m_host;
    QList<stdb::DbConnection *> m_connections;

    Client connectClient() {
        auto built = stdb::DbConnectionBuilder()
                         .withUri(m_host.baseUrl())
                         .withDatabaseName(HostProcess::database())
                         .build();
        if (!built)
            return {};
        Client c{built.value(), new Module(built.value())};
        m_connections << c.conn;
        return c;
    }

private slots:
    void initTestCase() { QVERIFY2(m_host.start(), qPrintable(m_host.errorString())); }
    void cleanup() {
        qDeleteAll(m_connections);
        m_connections.clear();
        if (QTest::currentTestFailed())
            qWarning().noquote() << "host log:\n" << m_host.log().right(6000);
    }
    void cleanupTestCase() { QVERIFY(m_host.stop()); }

    void schemaJsonIsWhatTheHostServes() {
        STDB_REQUIRE_OWN_HOST("compares schema.json byte for byte with the host's response");
        QNetworkAccessManager nam;
        QNetworkReply *reply =
            nam.get(QNetworkRequest(m_host.databaseUrl(QStringLiteral("/schema?version=9"))));
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        QFile f(QStringLiteral(SOURCE_DIR "/bindings/quickstart_chat/schema.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(reply->readAll(), f.readAll());
        reply->deleteLater();
    }

    void generateFromTheHost() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("quickstart_chat"));
        QProcess p;
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(QStringLiteral(GENERATOR),
                {QStringLiteral("--from-server"), m_host.baseUrl(), QStringLiteral("--database"),
                 HostProcess::database(), QStringLiteral("--out"), out});
        QVERIFY(finished.wait(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        for (const char *file : {"usertable.h", "messagetable.h", "reducers.h", "setnameargs.h",
                                 "sendmessageargs.h", "module.h"})
            QVERIFY2(QFile::exists(out + u'/' + QLatin1String(file)), file);
        // A real server publishing module/ also lists the TypeScript library's named types for
        // each reducer's parameters (see tests/module/check-module.mjs), which add classes of
        // their own; the bindings being the same is the development host's promise.
        if (HostProcess::usesExternalServer())
            return;
        QProcess check;
        check.start(QStringLiteral(GENERATOR),
                    {QStringLiteral("--schema"),
                     QStringLiteral(SOURCE_DIR "/bindings/quickstart_chat/schema.json"),
                     QStringLiteral("--namespace"), QStringLiteral("quickstart_chat"),
                     QStringLiteral("--out"), out, QStringLiteral("--check")});
        QVERIFY(check.waitForFinished(60000));
        QVERIFY2(check.exitCode() == 0, check.readAllStandardError().constData());
    }

    void typedRowsSignalsAndReducers() {
        Client a = connectClient();
        QVERIFY(a.conn);
        UserTable *users = a.module->user();
        MessageTable *messages = a.module->message();
        QCOMPARE(a.conn->tableNames(), Module::tableNames());

        QList<User> inserted;
        QList<std::pair<User, User>> updated;
        QList<stdb::EventContext::Kind> userKinds;
        connect(users, &UserTable::rowInserted, this,
                [&](const User &row, const stdb::EventContext &ctx) {
                    inserted << row;
                    userKinds << ctx.kind();
                });
        connect(users, &UserTable::rowUpdated, this, [&](const User &o, const User &n) {
            updated.append({o, n});
        });
        QList<MessageTable::Changes> messageBatches;
        QList<stdb::EventContext> messageContexts;
        connect(messages, &MessageTable::rowsChanged, this,
                [&](const MessageTable::Changes &c, const stdb::EventContext &ctx) {
                    messageBatches << c;
                    messageContexts << ctx;
                });
        int bracketDepth = 0, brackets = 0;
        connect(messages, &stdb::TableHandle::changesAboutToBeReported, this,
                [&] { ++bracketDepth; });
        connect(messages, &stdb::TableHandle::changesReported, this, [&] {
            --bracketDepth;
            ++brackets;
        });

        bool applied = false;
        const stdb::SubscriptionHandle sub =
            a.module->subscribeToAllTables(a.conn->subscriptionBuilder().onApplied(
                [&](const stdb::EventContext &) { applied = true; }));
        QCOMPARE(sub.queries(), Module::allTablesQueries());
        QTRY_VERIFY_WITH_TIMEOUT(applied, 10000);
        const stdb::Identity me = a.conn->identity();

        // Our own row: present, online, no name.
        QTRY_VERIFY(users->findByIdentity(me).has_value());
        User mine = *users->findByIdentity(me);
        QVERIFY(mine.online);
        QVERIFY(!mine.name);
        QVERIFY(inserted.contains(mine));
        QCOMPARE(userKinds.front(), stdb::EventContext::Kind::SubscribeApplied);
        // An external server's database keeps earlier runs' rows: counts are relative there.
        const bool fresh = !HostProcess::usesExternalServer();
        const qsizetype usersBefore = users->count();
        const qsizetype messagesBefore = messages->count();
        if (fresh)
            QCOMPARE(usersBefore, 1);

        // set_name: the callback, the typed signal, and an update of our row.
        QSignalSpy completed(a.module->reducers(), &Reducers::setNameCompleted);
        std::optional<stdb::ReducerOutcome> outcome;
        const stdb::Expected<quint32> id = a.module->reducers()->setName(
            QStringLiteral("Alice"), [&](const stdb::ReducerOutcome &o) { outcome = o; });
        QVERIFY(id.hasValue());
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10000);
        QVERIFY2(outcome->isCommitted(), qPrintable(outcome->message));
        QCOMPARE(outcome->requestId, id.value());
        QCOMPARE(completed.size(), 1);
        QCOMPARE(completed.front().at(0).value<SetNameArgs>().name, QStringLiteral("Alice"));
        QCOMPARE(updated.size(), 1);
        QVERIFY(!updated.front().first.name);
        QCOMPARE(updated.front().second.name, std::optional<QString>(QStringLiteral("Alice")));
        QCOMPARE(users->findByIdentity(me)->name, std::optional<QString>(QStringLiteral("Alice")));

        // A user error comes back through the callback and the signal, nothing changes.
        outcome.reset();
        QVERIFY(a.module->reducers()->setName(QString(),
                                              [&](const stdb::ReducerOutcome &o) { outcome = o; }));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10000);
        QCOMPARE(outcome->status, stdb::ReducerOutcome::Status::Err);
        QCOMPARE(outcome->message, QStringLiteral("Names must not be empty"));
        QCOMPARE(completed.size(), 2);
        QCOMPARE(updated.size(), 1);

        // send_message: one batch with the row, in a Reducer context naming our call.
        QSignalSpy sent(a.module->reducers(), &Reducers::sendMessageCompleted);
        QVERIFY(a.module->reducers()->sendMessage(QStringLiteral("hello")));
        QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, 10000);
        QTRY_VERIFY(!messageBatches.isEmpty());
        const MessageTable::Changes &batch = messageBatches.last();
        QCOMPARE(batch.inserted.size(), 1);
        QCOMPARE(batch.inserted.front().text, QStringLiteral("hello"));
        QCOMPARE(batch.inserted.front().sender, me);
        QVERIFY(batch.deleted.isEmpty());
        QCOMPARE(messageContexts.last().kind(), stdb::EventContext::Kind::Reducer);
        QCOMPARE(messageContexts.last().reducer().reducer, QStringLiteral("send_message"));
        QCOMPARE(messages->count(), messagesBefore + 1);
        const QList<Message> rows = messages->rows();
        QVERIFY(std::any_of(rows.begin(), rows.end(), [&](const Message &m) {
            return m.text == QLatin1String("hello") && m.sender == me;
        }));
        if (fresh)
            QCOMPARE(rows.front().text, QStringLiteral("hello"));
        QCOMPARE(bracketDepth, 0);
        QVERIFY(brackets >= 1);

        // Another client appears and leaves: an insert, then an online -> offline update.
        Client b = connectClient();
        QVERIFY(b.conn);
        QTRY_COMPARE_WITH_TIMEOUT(users->count(), usersBefore + 1, 10000);
        QTRY_VERIFY(b.conn->hasIdentity());
        const stdb::Identity other = b.conn->identity();
        QTRY_VERIFY(users->findByIdentity(other).has_value());
        QVERIFY(users->findByIdentity(other)->online);
        QCOMPARE(userKinds.last(), stdb::EventContext::Kind::Transaction);
        const qsizetype updatesBefore = updated.size();
        b.conn->disconnect();
        QTRY_COMPARE_WITH_TIMEOUT(updated.size(), updatesBefore + 1, 10000);
        QCOMPARE(updated.last().first.identity, other);
        QVERIFY(updated.last().first.online);
        QVERIFY(!updated.last().second.online);
        QVERIFY(!users->findByIdentity(other)->online);
    }

    // The typed query builder against the host's SQL (which follows the real server's
    // sql-parser and crates/expr): a subscription with identity, string and bool conditions and
    // :sender, and a one-off query with a timestamp condition. The text has a quote, a newline
    // and non-ASCII, so the server reads the literal back exactly or the query finds nothing.
    void typedQueries() {
        Client a = connectClient(), b = connectClient();
        QVERIFY(a.conn && b.conn);
        QTRY_VERIFY_WITH_TIMEOUT(a.conn->hasIdentity() && b.conn->hasIdentity(), 10000);
        const QString marker = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString tricky = QString::fromUtf8("it's \"quoted\"\n\xc3\xbc ") + marker;
        QSignalSpy sent(a.module->reducers(), &Reducers::sendMessageCompleted);
        for (const QString &text : {QStringLiteral("plain ") + marker, tricky})
            QVERIFY(a.module->reducers()->sendMessage(text));
        QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 2, 10000);

        using M = MessageTable::Cols;
        using U = UserTable::Cols;
        bool applied = false;
        const stdb::SubscriptionHandle sub =
            b.conn->subscriptionBuilder()
                .onApplied([&](const stdb::EventContext &) { applied = true; })
                .subscribe({MessageTable::query().where(M::sender == a.conn->identity() &&
                                                        M::text == tricky),
                            UserTable::query().where(U::online &&
                                                     U::identity == stdb::query::senderIdentity)});
        QTRY_VERIFY_WITH_TIMEOUT(applied || sub.state() == stdb::SubscriptionHandle::State::Failed,
                                 10000);
        QVERIFY2(applied, qPrintable(sub.error().toString()));
        const QList<Message> got = b.module->message()->rows();
        QCOMPARE(got.size(), 1);
        QCOMPARE(got.front().text, tricky);
        const QList<User> users = b.module->user()->rows();
        QCOMPARE(users.size(), 1);
        QCOMPARE(users.front().identity, b.conn->identity());

        // One-off: a's messages sent at or after the tricky one, and none after it.
        const stdb::Timestamp at = got.front().sent;
        std::optional<stdb::Expected<stdb::protocol::QueryRows>> result;
        QVERIFY(b.conn->oneOffQuery(
            MessageTable::query().where(M::sender == a.conn->identity() && M::sent >= at),
            [&](const auto &r) { result = r; }));
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
        QVERIFY2(result->hasValue(),
                 qPrintable(result->hasValue() ? QString() : result->error().toString()));
        qsizetype rows = 0;
        for (const auto &t : result->value().tables)
            rows += t.rows.rowCount();
        QVERIFY(rows >= 1);
        result.reset();
        QVERIFY(
            b.conn->oneOffQuery(MessageTable::query().where(!(M::sent <= at) && M::text == tricky),
                                [&](const auto &r) { result = r; }));
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
        QVERIFY2(result->hasValue(),
                 qPrintable(result->hasValue() ? QString() : result->error().toString()));
        rows = 0;
        for (const auto &t : result->value().tables)
            rows += t.rows.rowCount();
        QCOMPARE(rows, 0);
    }

    void callsWithoutConnectionFail() {
        Client a = connectClient();
        Reducers detached(nullptr);
        const stdb::Expected<quint32> r = detached.sendMessage(QStringLiteral("x"));
        QVERIFY(!r.hasValue());
        QCOMPARE(r.error().kind(), stdb::Error::Kind::Disconnected);
        // A context that dies first: the callback is skipped.
        bool called = false;
        auto *context = new QObject;
        QVERIFY(a.module->reducers()->sendMessage(
            QStringLiteral("y"), context, [&](const stdb::ReducerOutcome &) { called = true; }));
        delete context;
        QSignalSpy sent(a.module->reducers(), &Reducers::sendMessageCompleted);
        QVERIFY(sent.wait(10000));
        QVERIFY(!called);
    }
};

QTEST_MAIN(TestBindingsQuickstart)
#include "tst_bindings_quickstart.moc"
