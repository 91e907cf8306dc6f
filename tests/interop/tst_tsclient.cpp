// SPDX-License-Identifier: Apache-2.0
// The official TypeScript SDK (npm `spacetimedb` 2.10.1: its real DbConnection over a real
// WebSocket) chatting with our spacetime-chat-host, and with one of our own C++ clients.
//
// Each test starts a fresh host (`--data :memory:`, free port) and runs
// tests/interop/ts-chat-client.mjs under Node:
//   * tsClientsChat: the script's `scenario` (two TS clients: identity + token, subscription
//     rows, set_name / send_message, each other's rows, exact error texts, disconnect, reconnect
//     with the saved token). The script asserts every step; afterwards this test checks the
//     host's tables through the /sql route against what the script reported.
//   * cppAndTsExchange: a C++ client built on our SDK and the generated quickstart-chat bindings
//     and a TS client send each other a message and each checks the other's row and name.
// A missing node or npm is a failure, not a skip: CI installs them.
//
// With STDB_TEST_SERVER set (tests/devhost/support/hostprocess.h) both run against that server's
// database, which keeps earlier runs' rows: every text carries a tag unique to this run
// (ts-chat-client.mjs --tag) and the checks look at this run's identities and texts only.

#include "hostprocess.h"
#include "httpclient.h"

#include "quickstart_chat/module.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <cstdlib>
#include <memory>

#ifndef STDB_INTEROP_DIR
#error "STDB_INTEROP_DIR must name tests/interop"
#endif
#ifndef STDB_NPM_SETUP
#error "STDB_NPM_SETUP must name scripts/npm-setup.sh"
#endif

using namespace Qt::StringLiterals;

namespace {

constexpr int kNodeTimeoutMs = 55000;

// Empty with a host of our own; against STDB_TEST_SERVER a tag unique to this run and test
// function.
QString runTag() {
    if (!HostProcess::usesExternalServer())
        return {};
    static const QString run = QUuid::createUuid().toString(QUuid::Id128).left(10);
    return run + u'.' + QLatin1String(QTest::currentTestFunction());
}

QString tagged(const QString &text) {
    return runTag().isEmpty() ? text : text + u' ' + runTag();
}

// The server and database arguments of ts-chat-client.mjs.
QStringList target(const HostProcess &host) {
    QStringList args{host.baseUrl(), u"--database"_s, HostProcess::database()};
    if (!runTag().isEmpty())
        args += {u"--tag"_s, runTag()};
    return args;
}

// A running `node ts-chat-client.mjs …`, its stdout parsed into JSON events as they arrive.
class NodeClient {
public:
    NodeClient() = default;
    NodeClient(const NodeClient &) = delete;
    NodeClient &operator=(const NodeClient &) = delete;
    ~NodeClient() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    void start(const QString &node, const QStringList &args) {
        m_process.setWorkingDirectory(QStringLiteral(STDB_INTEROP_DIR));
        m_process.setProgram(node);
        m_process.setArguments(
            QStringList{QDir(QStringLiteral(STDB_INTEROP_DIR)).filePath(u"ts-chat-client.mjs"_s)} +
            args);
        m_process.start();
    }

    // Reads what arrived; returns the events seen so far.
    const QList<QJsonObject> &events() {
        m_stdout += m_process.readAllStandardOutput();
        m_stderr += m_process.readAllStandardError();
        qsizetype nl;
        while ((nl = m_stdout.indexOf('\n')) >= 0) {
            const QByteArray line = m_stdout.left(nl);
            m_stdout.remove(0, nl + 1);
            QJsonParseError err{};
            const QJsonDocument doc = QJsonDocument::fromJson(line, &err);
            if (doc.isObject())
                m_events.append(doc.object());
            else
                m_junk += line + '\n';
        }
        return m_events;
    }

    std::optional<QJsonObject> event(const QString &name) {
        for (const QJsonObject &e : events())
            if (e.value(u"event"_s).toString() == name)
                return e;
        return std::nullopt;
    }

    bool waitForFinished(int timeoutMs) {
        const bool done =
            QTest::qWaitFor([&] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
        if (!done) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
        events();
        return done;
    }

    bool succeeded() const {
        return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    }

    QString report() {
        events();
        return u"node exit %1 (%2)\nstderr:\n%3\nunparsed stdout:\n%4"_s.arg(m_process.exitCode())
            .arg(m_process.exitStatus() == QProcess::NormalExit ? u"normal"_s : u"crashed"_s)
            .arg(QString::fromUtf8(m_stderr), QString::fromUtf8(m_junk));
    }

    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

private:
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QByteArray m_junk;
    QList<QJsonObject> m_events;
};

// Rows of a /sql result as maps column name → JSON value.
QList<QJsonObject> sqlRows(HttpClient &http, const QUrl &url, const QByteArray &query,
                           const QString &token, QString *error) {
    const HttpReply r = http.post(url, query, {{"Content-Type", "text/plain"}, bearer(token)});
    if (r.status != 200) {
        *error = u"/sql %1 → HTTP %2: %3"_s.arg(QString::fromUtf8(query))
                     .arg(r.status)
                     .arg(QString::fromUtf8(r.body));
        return {};
    }
    const QJsonArray results = QJsonDocument::fromJson(r.body).array();
    if (results.size() != 1) {
        *error = u"/sql: expected one result, got %1"_s.arg(QString::fromUtf8(r.body));
        return {};
    }
    const QJsonObject result = results.first().toObject();
    QStringList names;
    for (const QJsonValue &e : result.value(u"schema"_s).toObject().value(u"elements"_s).toArray())
        names.append(e.toObject().value(u"name"_s).toObject().value(u"some"_s).toString());
    QList<QJsonObject> rows;
    for (const QJsonValue &row : result.value(u"rows"_s).toArray()) {
        QJsonObject o;
        const QJsonArray cells = row.toArray();
        for (qsizetype i = 0; i < cells.size() && i < names.size(); ++i)
            o.insert(names[i], cells[i]);
        rows.append(o);
    }
    return rows;
}

// Identity cells are ["0x…"] in SQL JSON; the TS script reports bare lowercase hex.
QString identityHex(const QJsonValue &cell) {
    QString s = cell.isArray() ? cell.toArray().first().toString() : cell.toString();
    if (s.startsWith(u"0x"_s))
        s = s.mid(2);
    return s.toLower();
}

// Option<String> cells are sums in SQL JSON: [0, "x"] is some("x"), [1, []] none (null here).
QString optionalString(const QJsonValue &cell) {
    const QJsonArray a = cell.toArray();
    if (a.size() == 2 && a[0].toInt(-1) == 0 && a[1].isString())
        return a[1].toString();
    return QString();
}

// A scan of the cached rows rather than UserTable::findByIdentity, so that this test checks
// what arrived, independent of the cache's primary-key index.
std::optional<quickstart_chat::User> findUser(const quickstart_chat::Module *module,
                                              const stdb::Identity &identity) {
    std::optional<quickstart_chat::User> found;
    module->user()->forEach([&](const quickstart_chat::User &u) {
        if (u.identity == identity)
            found = u;
    });
    return found;
}

} // namespace

class TestTsClient : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void tsClientsChat();
    void cppAndTsExchange();

private:
    QString m_node;
    std::unique_ptr<HostProcess> m_host;
};

void TestTsClient::initTestCase() {
    m_node = QStandardPaths::findExecutable(u"node"_s);
    if (m_node.isEmpty())
        QFAIL("node (Node.js >= 18) is not in PATH. This test runs the official TypeScript SDK "
              "with it; install nodejs and npm (CI does, via scripts/install-deps.sh).");
    if (QStandardPaths::findExecutable(u"npm"_s).isEmpty())
        QFAIL("npm is not in PATH (scripts/npm-setup.sh installs the pinned SDK with it)");
    const QString bash = QStandardPaths::findExecutable(u"bash"_s);
    if (bash.isEmpty())
        QFAIL("bash is not in PATH (needed for scripts/npm-setup.sh)");
    QProcess setup;
    setup.setWorkingDirectory(QStringLiteral(STDB_INTEROP_DIR));
    setup.setProcessChannelMode(QProcess::MergedChannels);
    setup.start(bash, {QStringLiteral(STDB_NPM_SETUP)});
    if (!setup.waitForFinished(300000) || setup.exitStatus() != QProcess::NormalExit ||
        setup.exitCode() != 0)
        QFAIL(qPrintable(u"scripts/npm-setup.sh failed:\n"_s + QString::fromUtf8(setup.readAll())));
}

void TestTsClient::init() {
    m_host = std::make_unique<HostProcess>();
    QVERIFY2(m_host->start(), qPrintable(m_host->errorString()));
}

void TestTsClient::cleanup() {
    if (QTest::currentTestFailed())
        qWarning().noquote() << "host log:\n" << QString::fromUtf8(m_host->log().right(8000));
    QVERIFY(m_host->stop());
    m_host.reset();
}

void TestTsClient::tsClientsChat() {
    NodeClient ts;
    ts.start(m_node, QStringList{u"scenario"_s} + target(*m_host));
    QVERIFY2(ts.waitForFinished(kNodeTimeoutMs), qPrintable(ts.report()));
    QVERIFY2(ts.succeeded(), qPrintable(ts.report()));

    // The script checked each step from the clients' side; check the events it reported and
    // what the host stored.
    const auto errors = ts.event(u"errors"_s);
    QVERIFY2(errors, qPrintable(ts.report()));
    QCOMPARE(errors->value(u"setName"_s).toString(), u"Names must not be empty"_s);
    QCOMPARE(errors->value(u"sendMessage"_s).toString(), u"Messages must not be empty"_s);
    QVERIFY2(errors->value(u"query"_s).toString().contains(u"no such table"_s),
             qPrintable(errors->value(u"query"_s).toString()));
    const auto connected = ts.event(u"connected"_s);
    const auto reconnected = ts.event(u"reconnected"_s);
    const auto done = ts.event(u"done"_s);
    QVERIFY2(connected && reconnected && done, qPrintable(ts.report()));
    const QString alice = done->value(u"alice"_s).toString();
    const QString bob = done->value(u"bob"_s).toString();
    const QString seed = done->value(u"seed"_s).toString();
    QCOMPARE(alice.size(), 64);
    QCOMPARE(connected->value(u"identity"_s).toString(), alice);
    QCOMPARE(reconnected->value(u"identity"_s).toString(), alice);
    QVERIFY(alice != bob && alice != seed && bob != seed);

    // The /sql route runs as a short connection of its caller (connect lifecycle, query,
    // disconnect), so the caller's own user row shows up, online; use a known identity.
    HttpClient http;
    const HttpReply minted = http.post(m_host->http(u"/v1/identity"_s));
    QCOMPARE(minted.status, 200);
    const QJsonObject mintedJson = QJsonDocument::fromJson(minted.body).object();
    const QString reader = mintedJson.value(u"identity"_s).toString().toLower();
    const QString readerToken = mintedJson.value(u"token"_s).toString();
    QString error;
    const QList<QJsonObject> users =
        sqlRows(http, m_host->databaseUrl(u"/sql"_s), "SELECT * FROM user", readerToken, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QStringList ours{alice, bob, seed, reader};
    QMap<QString, QString> names;
    for (const QJsonObject &u : users) {
        const QString id = identityHex(u.value(u"identity"_s));
        if (!ours.contains(id))
            continue; // an earlier run's user (only in STDB_TEST_SERVER's database)
        names.insert(id, optionalString(u.value(u"name"_s)));
        // Every TS client disconnected at the end; only the reader is connected.
        QCOMPARE(u.value(u"online"_s).toBool(), id == reader);
    }
    if (!HostProcess::usesExternalServer())
        QCOMPARE(users.size(), 4);
    QCOMPARE(names.size(), 4);
    QVERIFY(names.contains(reader));
    QCOMPARE(names.value(alice), u"ts-alice"_s);
    QCOMPARE(names.value(bob), u"ts-bob"_s);
    QCOMPARE(names.value(seed), u"http-seed"_s);

    const QList<QJsonObject> messages =
        sqlRows(http, m_host->databaseUrl(u"/sql"_s), "SELECT * FROM message", readerToken, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QMultiMap<QString, QString> bySender;
    for (const QJsonObject &m : messages) {
        const QString sender = identityHex(m.value(u"sender"_s));
        if (ours.contains(sender))
            bySender.insert(sender, m.value(u"text"_s).toString());
    }
    if (!HostProcess::usesExternalServer())
        QCOMPARE(messages.size(), 4);
    QCOMPARE(bySender.size(), 4);
    QCOMPARE(bySender.values(seed), QStringList{tagged(u"seeded over HTTP"_s)});
    QCOMPARE(bySender.values(bob), QStringList{tagged(u"hi alice, bob here"_s)});
    QStringList aliceTexts = bySender.values(alice);
    aliceTexts.sort();
    QCOMPARE(aliceTexts, (QStringList{tagged(u"back again"_s), tagged(u"hello from ts-alice"_s)}));
}

void TestTsClient::cppAndTsExchange() {
    using quickstart_chat::Message;
    using quickstart_chat::User;
    const QString fromTs = tagged(u"hello C++ from TypeScript"_s);
    const QString fromCpp = tagged(u"hello TypeScript from C++"_s);

    auto built = stdb::DbConnectionBuilder()
                     .withUri(m_host->baseUrl())
                     .withDatabaseName(HostProcess::database())
                     .build(nullptr);
    QVERIFY2(built, qPrintable(built ? QString() : built.error().message()));
    // Declared before everything its signals' lambdas capture, so it goes last.
    const std::unique_ptr<stdb::DbConnection> owner(*built);
    stdb::DbConnection *conn = owner.get();
    auto *module = new quickstart_chat::Module(conn);

    std::optional<stdb::Identity> me;
    QString connectFailure;
    connect(
        conn, &stdb::DbConnection::connected, this,
        [&](const stdb::Identity &id, const stdb::ConnectionId &, const QString &) { me = id; });
    connect(conn, &stdb::DbConnection::connectError, this,
            [&](const stdb::Error &e) { connectFailure = e.message(); });
    QList<Message> inserted;
    connect(module->message(), &quickstart_chat::MessageTable::rowInserted, this,
            [&](const Message &row, const stdb::EventContext &) { inserted.append(row); });
    bool applied = false;
    QString subscriptionError;
    module->subscribeToAllTables(conn->subscriptionBuilder()
                                     .onApplied([&](const stdb::EventContext &) { applied = true; })
                                     .onError([&](const stdb::EventContext &ctx) {
                                         subscriptionError = ctx.error().message();
                                     }));
    QVERIFY2(
        QTest::qWaitFor(
            [&] { return applied || !subscriptionError.isEmpty() || !connectFailure.isEmpty(); },
            15000),
        "the C++ client did not connect and subscribe");
    QVERIFY2(connectFailure.isEmpty(), qPrintable(connectFailure));
    QVERIFY2(subscriptionError.isEmpty(), qPrintable(subscriptionError));
    QVERIFY(me);

    std::optional<stdb::ReducerOutcome> named;
    QVERIFY(module->reducers()->setName(u"cpp-alice"_s, this,
                                        [&](const stdb::ReducerOutcome &o) { named = o; }));
    QVERIFY(QTest::qWaitFor([&] { return named.has_value(); }, 10000));
    QVERIFY2(named->isCommitted(), qPrintable(named->message));

    NodeClient ts;
    ts.start(m_node, QStringList{u"exchange"_s} + target(*m_host) +
                         QStringList{u"--name"_s, u"ts-bob"_s, u"--say"_s, fromTs, u"--expect"_s,
                                     fromCpp, u"--peer-name"_s, u"cpp-alice"_s});

    // The TS client's identity, then its name and message in our cache.
    QVERIFY2(QTest::qWaitFor([&] { return ts.event(u"connected"_s) || !ts.isRunning(); }, 30000),
             qPrintable(ts.report()));
    const auto tsConnected = ts.event(u"connected"_s);
    QVERIFY2(tsConnected, qPrintable(ts.report()));
    bool ok = false;
    const stdb::Identity tsIdentity =
        stdb::Identity::fromHex(tsConnected->value(u"identity"_s).toString(), &ok);
    QVERIFY(ok);
    QVERIFY(tsIdentity != *me);
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     return std::any_of(inserted.begin(), inserted.end(),
                                        [&](const Message &m) { return m.text == fromTs; }) ||
                            !ts.isRunning();
                 },
                 20000),
             qPrintable(ts.report()));
    QCOMPARE(std::count_if(inserted.begin(), inserted.end(),
                           [&](const Message &m) { return m.text == fromTs; }),
             1);
    const Message received = *std::find_if(inserted.begin(), inserted.end(),
                                           [&](const Message &m) { return m.text == fromTs; });
    QCOMPARE(received.sender, tsIdentity);
    QVERIFY(std::llabs(received.sent.micros() / 1000 - QDateTime::currentMSecsSinceEpoch()) <
            30000);
    const std::optional<User> tsUser = findUser(module, tsIdentity);
    QVERIFY(tsUser);
    QCOMPARE(tsUser->name, std::optional<QString>(u"ts-bob"_s));
    QVERIFY(tsUser->online);

    // Our answer; the TS client checks it came from "cpp-alice" and reports it.
    std::optional<stdb::ReducerOutcome> sent;
    QVERIFY(module->reducers()->sendMessage(fromCpp, this,
                                            [&](const stdb::ReducerOutcome &o) { sent = o; }));
    QVERIFY(QTest::qWaitFor([&] { return sent.has_value(); }, 10000));
    QVERIFY2(sent->isCommitted(), qPrintable(sent->message));

    QVERIFY2(ts.waitForFinished(kNodeTimeoutMs), qPrintable(ts.report()));
    QVERIFY2(ts.succeeded(), qPrintable(ts.report()));
    const auto done = ts.event(u"done"_s);
    QVERIFY2(done, qPrintable(ts.report()));
    QCOMPARE(done->value(u"identity"_s).toString(), tsIdentity.toHex());
    QCOMPARE(done->value(u"sender"_s).toString(), me->toHex());
    QCOMPARE(done->value(u"text"_s).toString(), fromCpp);

    // The TS client left: we see it go offline; our own message is in our cache once.
    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto u = findUser(module, tsIdentity);
            return u && !u->online;
        },
        10000));
    QCOMPARE(std::count_if(inserted.begin(), inserted.end(),
                           [&](const Message &m) { return m.text == fromCpp && m.sender == *me; }),
             1);
    conn->disconnect();
}

QTEST_GUILESS_MAIN(TestTsClient)
#include "tst_tsclient.moc"
