// SPDX-License-Identifier: Apache-2.0
// ChatClient against a scripted server (tests/connection/scriptedserver.h): what a host can
// answer but the development host's quickstart module never does, such as refusing the
// subscription of a database that runs another module ("no such table"). The retry runs on a
// ManualClock, so nothing waits for the real clock.
#include "chat/chatclient.h"
#include "chat/messagemodel.h"

#include "scriptedserver.h"

#include "spacetime/connection/manualclock.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using chat::ChatClient;
using namespace std::chrono_literals;
namespace P = stdb::protocol;

namespace {

constexpr int kTimeout = 10000;

// What the real server answers for a query on a table its module does not have.
const QString kNoSuchTable =
    QStringLiteral("no such table: `message`. If the table exists, it may be marked private., "
                   "executing: `SELECT * FROM message WHERE sent >= '2023-11-07T22:13:20Z'`");

P::InitialConnection hello() {
    return {stdb::Identity::fromHex(QStringLiteral("c200%1").arg(1, 60, 10, QLatin1Char('0'))),
            stdb::ConnectionId::fromHex(QStringLiteral("0123456789abcdef0123456789abcdef")),
            QStringLiteral("minted.token")};
}

bool isMessageQuery(const P::Subscribe &s) {
    return s.queryStrings.size() == 1 &&
           s.queryStrings.first().startsWith(QLatin1String("SELECT * FROM message"));
}

} // namespace

class TestChatClientScripted : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;

    ChatClient::Options options(const ScriptedServer &srv, stdb::Clock *clock) {
        ChatClient::Options o;
        o.profile =
            chat::Profile(srv.uri(), QStringLiteral("quickstart-chat"), QStringLiteral("scripted"));
        o.anonymous = true;
        o.outboxPath = QStringLiteral(":memory:");
        o.reconnect.enabled = true;
        o.reconnect.initialDelay = 1000ms;
        o.reconnect.maxDelay = 8000ms;
        o.reconnect.jitter = 0;
        o.clock = clock;
        return o;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    }

    void subscriptionErrorIsAnErrorStateAndRetried() {
        ScriptedServer srv;
        QVERIFY(srv.listen());
        stdb::ManualClock clock(stdb::Timestamp::fromMicros(1700000000000000));
        ChatClient client(options(srv, &clock));
        QSignalSpy states(&client, &ChatClient::stateChanged);
        client.start();
        QVERIFY(srv.waitForConnections(1, kTimeout));
        srv.send(hello());
        std::optional<P::Subscribe> users = srv.next<P::Subscribe>(kTimeout);
        std::optional<P::Subscribe> messages = srv.next<P::Subscribe>(kTimeout);
        QVERIFY(users && messages);
        if (isMessageQuery(*users))
            std::swap(users, messages);
        QVERIFY(isMessageQuery(*messages));
        srv.send(P::SubscribeApplied{users->requestId, users->querySetId, queryRows({})});
        srv.send(P::SubscriptionError{messages->requestId, messages->querySetId, kNoSuchTable});

        // Not "Connecting" for ever: an error state with the server's reason and a countdown.
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ChatClient::State::Error, kTimeout);
        QCOMPARE(client.errorSource(), ChatClient::ErrorSource::Subscription);
        QCOMPARE(client.lastErrorCause().kind(), stdb::Error::Kind::Server);
        QVERIFY2(client.lastError().contains(kNoSuchTable), qPrintable(client.lastError()));
        QCOMPARE(client.reconnectSeconds(), 1);
        QVERIFY(!client.isSynced());
        QVERIFY(client.connection()->isActive()); // the session itself is fine

        // Not asked again before the backoff delay; then the refused query alone.
        srv.skipReceived();
        const qsizetype before = srv.received.size();
        clock.advance(999ms);
        QCoreApplication::processEvents();
        QCOMPARE(client.state(), ChatClient::State::Error);
        clock.advance(1ms);
        QCOMPARE(client.state(), ChatClient::State::Connecting);
        std::optional<P::Subscribe> again = srv.next<P::Subscribe>(kTimeout);
        QVERIFY(again);
        QCOMPARE(again->queryStrings, messages->queryStrings);
        QCOMPARE(srv.received.size(), before + 1);

        // Refused again: the delay grows.
        srv.send(P::SubscriptionError{again->requestId, again->querySetId, kNoSuchTable});
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ChatClient::State::Error, kTimeout);
        QCOMPARE(client.errorSource(), ChatClient::ErrorSource::Subscription);
        QCOMPARE(client.reconnectSeconds(), 2);
        clock.advance(1999ms);
        QCOMPARE(client.state(), ChatClient::State::Error);
        clock.advance(1ms);
        std::optional<P::Subscribe> third = srv.next<P::Subscribe>(kTimeout);
        QVERIFY(third);
        QCOMPARE(third->queryStrings, messages->queryStrings);

        // Accepted (the module was fixed): online, the error gone.
        srv.send(P::SubscribeApplied{third->requestId, third->querySetId,
                                     queryRows({{QStringLiteral("message"), {}}})});
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ChatClient::State::Online, kTimeout);
        QCOMPARE(client.errorSource(), ChatClient::ErrorSource::None);
        QVERIFY(client.lastError().isEmpty());
        QVERIFY(client.isSynced());
        QCOMPARE(client.reconnectSeconds(), 0);
    }

    void reconnectNowAsksAgainAtOnce() {
        ScriptedServer srv;
        QVERIFY(srv.listen());
        stdb::ManualClock clock(stdb::Timestamp::fromMicros(1700000000000000));
        ChatClient client(options(srv, &clock));
        client.start();
        QVERIFY(srv.waitForConnections(1, kTimeout));
        srv.send(hello());
        std::optional<P::Subscribe> a = srv.next<P::Subscribe>(kTimeout);
        std::optional<P::Subscribe> b = srv.next<P::Subscribe>(kTimeout);
        QVERIFY(a && b);
        srv.send(P::SubscriptionError{a->requestId, a->querySetId, kNoSuchTable});
        srv.send(P::SubscriptionError{b->requestId, b->querySetId, kNoSuchTable});
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ChatClient::State::Error, kTimeout);
        // "Reconnect now" from a front end: both refused queries, without waiting.
        client.reconnectNow();
        QCOMPARE(client.state(), ChatClient::State::Connecting);
        std::optional<P::Subscribe> a2 = srv.next<P::Subscribe>(kTimeout);
        std::optional<P::Subscribe> b2 = srv.next<P::Subscribe>(kTimeout);
        QVERIFY(a2 && b2);
        QCOMPARE(srv.connectionCount(), 1); // the same session
        srv.send(P::SubscribeApplied{a2->requestId, a2->querySetId, queryRows({})});
        srv.send(P::SubscribeApplied{b2->requestId, b2->querySetId, queryRows({})});
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ChatClient::State::Online, kTimeout);
    }
};

QTEST_GUILESS_MAIN(TestChatClientScripted)
#include "tst_chatclient_scripted.moc"
