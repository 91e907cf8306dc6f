// SPDX-License-Identifier: Apache-2.0
// Durable storage: stop (or kill) the real host and start it again on the same data
// directory; identities, names and messages survive, and everyone starts offline.

#include "hostprocess.h"
#include "httpclient.h"
#include "wsclient.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace stdb::protocol;

namespace {

std::unique_ptr<WsClient> connectClient(quint16 port, const QString &token = {}) {
    auto c = std::make_unique<WsClient>();
    WsClient::Options o;
    o.token = token;
    if (!c->connectTo(port, o)) {
        qWarning().noquote() << "connect failed:" << c->lastError();
        return nullptr;
    }
    return c;
}

struct Snapshot {
    QList<UserRow> users;
    QList<MessageRow> messages;
    std::optional<UserRow> user(const stdb::Identity &id) const {
        for (const UserRow &u : users)
            if (u.identity == id)
                return u;
        return std::nullopt;
    }
};

std::optional<Snapshot> snapshot(WsClient &c, QuerySetId id) {
    auto applied = c.subscribe(
        id, {QStringLiteral("SELECT * FROM user"), QStringLiteral("SELECT * FROM message")});
    if (!applied)
        return std::nullopt;
    Snapshot s;
    for (const QByteArray &r : rowsOf(applied->rows, QStringLiteral("user")))
        if (auto u = decodeUser(r))
            s.users.append(*u);
    for (const QByteArray &r : rowsOf(applied->rows, QStringLiteral("message")))
        if (auto m = decodeMessage(r))
            s.messages.append(*m);
    return s;
}

} // namespace

class TestHostPersistence : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    HostProcess m_host;

private slots:
    void cleanup() {
        if (QTest::currentTestFailed())
            qWarning().noquote() << "host log:\n" << m_host.log().right(6000);
        m_host.stop();
    }

    void restartKeepsEverything() {
        QVERIFY(m_dir.isValid());
        const QString data = m_dir.filePath(QStringLiteral("data"));
        QVERIFY2(m_host.start(data), qPrintable(m_host.errorString()));
        auto alice = connectClient(m_host.port());
        auto bob = connectClient(m_host.port());
        QVERIFY(alice && bob);
        QVERIFY(alice->call(QStringLiteral("set_name"), stringArgs(QStringLiteral("Alice"))));
        QVERIFY(alice->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("first"))));
        QVERIFY(bob->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("second"))));
        const QString aliceToken = alice->token();
        const QString bobToken = bob->token();
        const stdb::Identity aliceId = alice->identity();
        const stdb::Identity bobId = bob->identity();

        // Stop while both are still connected: they stay "online" in the stored rows.
        QVERIFY(m_host.stop());
        QVERIFY(QFile::exists(QDir(data).filePath(QStringLiteral("quickstart-chat.sqlite3"))));
        QVERIFY(QFile::exists(QDir(data).filePath(QStringLiteral("jwt-hs256.key"))));
        QVERIFY(alice->waitDisconnected());

        QVERIFY2(m_host.start(data), qPrintable(m_host.errorString()));
        QVERIFY(m_host.waitForLog("marked 2 users offline"));
        // Old tokens still work (the signing key was kept) and map to the same identities.
        auto again = connectClient(m_host.port(), aliceToken);
        QVERIFY(again);
        QCOMPARE(again->identity(), aliceId);
        auto s = snapshot(*again, 1);
        QVERIFY(s);
        const auto a = s->user(aliceId);
        const auto b = s->user(bobId);
        QVERIFY(a && b);
        QCOMPARE(a->name, std::optional<QString>(QStringLiteral("Alice")));
        QVERIFY(a->online);  // just reconnected
        QVERIFY(!b->online); // everyone else starts offline
        QCOMPARE(s->messages.size(), 2);
        QCOMPARE(s->messages[0].text, QStringLiteral("first"));
        QCOMPARE(s->messages[0].sender, aliceId);
        QCOMPARE(s->messages[1].text, QStringLiteral("second"));
        QCOMPARE(s->messages[1].sender, bobId);

        auto bobAgain = connectClient(m_host.port(), bobToken);
        QVERIFY(bobAgain);
        QCOMPARE(bobAgain->identity(), bobId);
    }

    void killedHostKeepsCommittedWork() {
        const QString data = m_dir.filePath(QStringLiteral("killed"));
        QVERIFY2(m_host.start(data), qPrintable(m_host.errorString()));
        auto c = connectClient(m_host.port());
        QVERIFY(c);
        for (int i = 0; i < 20; ++i)
            QVERIFY(c->call(QStringLiteral("send_message"),
                            stringArgs(QStringLiteral("durable %1").arg(i))));
        const QString token = c->token();
        m_host.kill(); // SIGKILL: no shutdown code runs
        QVERIFY2(m_host.start(data), qPrintable(m_host.errorString()));
        auto again = connectClient(m_host.port(), token);
        QVERIFY(again);
        auto s = snapshot(*again, 1);
        QVERIFY(s);
        QCOMPARE(s->messages.size(), 20);
        QCOMPARE(s->messages.last().text, QStringLiteral("durable 19"));
    }

    void memoryKeepsNothing() {
        QVERIFY2(m_host.start(QStringLiteral(":memory:")), qPrintable(m_host.errorString()));
        auto c = connectClient(m_host.port());
        QVERIFY(c);
        QVERIFY(c->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("gone"))));
        const QString token = c->token();
        QVERIFY(m_host.stop());
        QVERIFY2(m_host.start(QStringLiteral(":memory:")), qPrintable(m_host.errorString()));
        // A fresh key: the old token is refused.
        WsClient stale;
        WsClient::Options o;
        o.token = token;
        QVERIFY(!stale.connectTo(m_host.port(), o, 5000));
        auto fresh = connectClient(m_host.port());
        QVERIFY(fresh);
        auto s = snapshot(*fresh, 1);
        QVERIFY(s);
        QCOMPARE(s->messages.size(), 0);
        QCOMPARE(s->users.size(), 1);
    }

    void otherDatabaseName() {
        const QString data = m_dir.filePath(QStringLiteral("named"));
        QVERIFY2(m_host.start(data, {QStringLiteral("--database"), QStringLiteral("my-chat")}),
                 qPrintable(m_host.errorString()));
        HttpClient http;
        QCOMPARE(
            http.get(m_host.http(QStringLiteral("/v1/database/my-chat/schema?version=9"))).status,
            200);
        QCOMPARE(http.get(m_host.http(QStringLiteral("/v1/database/quickstart-chat/schema?"
                                                     "version=9")))
                     .status,
                 404);
        QVERIFY(QFile::exists(QDir(data).filePath(QStringLiteral("my-chat.sqlite3"))));
    }

    void badArguments() {
        QProcess p;
        for (const QStringList &args :
             {QStringList{QStringLiteral("--listen"), QStringLiteral("nonsense")},
              QStringList{QStringLiteral("--database"), QStringLiteral("bad/name")},
              QStringList{QStringLiteral("--idle-timeout"), QStringLiteral("x")}}) {
            p.start(HostProcess::executable(),
                    args + QStringList{QStringLiteral("--data"), QStringLiteral(":memory:")});
            QVERIFY(p.waitForFinished(10000));
            QCOMPARE(p.exitCode(), 2);
            QVERIFY(!p.readAllStandardError().isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestHostPersistence)
#include "tst_host_persistence.moc"
