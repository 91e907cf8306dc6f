// SPDX-License-Identifier: Apache-2.0
// Chaos run (issue 11): three ChatClients chat at 10 messages/s each while the host's sockets
// are dropped at random moments and the host is killed (SIGKILL) and restarted on the same
// port. At the end every client shows exactly the host's state, every message an outbox
// accepted is on the host exactly once, and no client is stuck.
//
// Defaults are sized for CI; the full run:
//   STDB_CHAOS_SECONDS=120 STDB_CHAOS_DROPS=50 STDB_CHAOS_RESTARTS=10 tests/tst_chaos
// STDB_CHAOS_SEED=<n> repeats a run's schedule (the seed is printed).
//
// With STDB_TEST_SERVER set (tests/devhost/support/hostprocess.h) the chaos run skips (it kills
// and restarts the host); the outbox case runs against that server, checking its own rows.
#include "reliabilitysupport.h"

#include "chat/outbox.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <random>

using chat::ChatClient;
using namespace reliability;

namespace {

int envInt(const char *name, int fallback) {
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v >= 0 ? v : fallback;
}

// The reconnect policy of the clients: short, so that a bounded run sees many reconnects; the
// "backoff bound" below is derived from it.
constexpr auto kInitialDelay = std::chrono::milliseconds(200);
constexpr auto kMaxDelay = std::chrono::milliseconds(2000);
// From "the host is back" to "Online with a fresh snapshot": at most one backoff wait, plus a
// connect and a snapshot on a shared 2-core machine. A sanitizer build does that work several
// times slower: there tests/reliability/CMakeLists.txt defines STDB_TEST_SLOWDOWN (the factor on
// its time limits), which scales the work part; the backoff part is the policy and stays as it is.
#ifndef STDB_TEST_SLOWDOWN
#define STDB_TEST_SLOWDOWN 1
#endif
constexpr qint64 kReconnectBoundMs = 2000 + 4000 * STDB_TEST_SLOWDOWN;
constexpr int kClients = 3;
constexpr int kSendIntervalMs = 100; // 10 messages/s per client
// Ticks the sender missed are made up at the following ones, at most this many messages a
// tick: a build in which sendMessage() takes longer than a tick (sanitizers) still gets back
// to the event loop instead of catching up for ever.
constexpr int kMaxBurst = 3;

struct Event {
    enum Kind { Drop, Restart } kind;
    qint64 at = 0;       // ms after the start of the run
    qint64 hostBack = 0; // when the host was available again (filled in when done)
};

struct Peer {
    std::unique_ptr<ChatClient> client;
    QTimer sender;
    QHash<qint64, QString> accepted; // outbox id -> text
    QList<qint64> onlineAt;          // each time it became Online with a fresh snapshot
    int sent = 0;
};

} // namespace

class TestChaos : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        // One line per frame would drown the figures (and hit QTest's message cap).
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\nstdb.*.info=false"));
        qputenv("XDG_DATA_HOME", m_tmp.filePath(QStringLiteral("xdg-data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_tmp.filePath(QStringLiteral("xdg-config")).toUtf8());
        // The host inherits this: no line per HTTP request or per message.
        qputenv("QT_LOGGING_RULES", "host.http.info=false;quickstart-chat.info=false;"
                                    "host.ws.info=false;stdb.*.info=false;chat.*.info=false");
    }

    void chaos() {
        STDB_REQUIRE_OWN_HOST("--test-controls: drop-all, and kills and restarts the host");
        const int seconds = envInt("STDB_CHAOS_SECONDS", 30);
        const int drops = envInt("STDB_CHAOS_DROPS", 12);
        const int restarts = envInt("STDB_CHAOS_RESTARTS", 3);
        const quint64 seed = qEnvironmentVariableIsSet("STDB_CHAOS_SEED")
                                 ? qEnvironmentVariable("STDB_CHAOS_SEED").toULongLong()
                                 : QRandomGenerator::global()->generate64();
        qInfo("chaos: seed %llu, %d s, %d drops, %d restarts (STDB_CHAOS_SEED=%llu repeats it)",
              seed, seconds, drops, restarts, seed);
        std::mt19937_64 rng(seed);
        const auto uniform = [&](qint64 lo, qint64 hi) {
            return std::uniform_int_distribution<qint64>(lo, hi)(rng);
        };

        // The schedule: random moments, none in the first or last second.
        const qint64 runMs = qint64(seconds) * 1000;
        QList<Event> events;
        for (int i = 0; i < drops; ++i)
            events.append({Event::Drop, uniform(1000, std::max<qint64>(1000, runMs - 1000))});
        for (int i = 0; i < restarts; ++i)
            events.append({Event::Restart, uniform(1000, std::max<qint64>(1000, runMs - 1000))});
        std::sort(events.begin(), events.end(),
                  [](const Event &a, const Event &b) { return a.at < b.at; });

        const QString dataDir = m_tmp.filePath(QStringLiteral("host-data"));
        const QStringList hostArgs{QStringLiteral("--test-controls")};
        HostProcess host;
        QVERIFY2(host.start(dataDir, hostArgs), qPrintable(host.errorString()));
        const quint16 port = host.port();
        const QString listen = QStringLiteral("127.0.0.1:%1").arg(port);

        QElapsedTimer clock;
        clock.start();
        std::vector<std::unique_ptr<Peer>> peers;
        quint64 textSerial = 0;
        for (int i = 0; i < kClients; ++i) {
            auto p = std::make_unique<Peer>();
            ChatClient::Options o;
            o.profile =
                chat::Profile(QStringLiteral("http://%1").arg(listen),
                              QStringLiteral("quickstart-chat"), QStringLiteral("chaos%1").arg(i));
            o.anonymous = true;
            o.outboxPath = m_tmp.filePath(QStringLiteral("outbox-%1.json").arg(i));
            o.reconnect.enabled = true;
            o.reconnect.initialDelay = kInitialDelay;
            o.reconnect.maxDelay = kMaxDelay;
            p->client = std::make_unique<ChatClient>(o);
            ChatClient *c = p->client.get();
            Peer *raw = p.get();
            const auto noteOnline = [raw, c, &clock] {
                if (c->state() == ChatClient::State::Online && c->isSynced())
                    raw->onlineAt.append(clock.elapsed());
            };
            connect(c, &ChatClient::syncedChanged, this, noteOnline);
            connect(c, &ChatClient::stateChanged, this, noteOnline);
            p->sender.setInterval(kSendIntervalMs);
            // 10 per second on average: ticks the loop missed (the host being started blocks
            // it for a moment) are made up at the next ones, kMaxBurst at a time.
            connect(&p->sender, &QTimer::timeout, this, [raw, c, i, seed, &textSerial, &clock] {
                for (int burst = 0;
                     burst < kMaxBurst && raw->sent < clock.elapsed() / kSendIntervalMs; ++burst) {
                    const QString text =
                        QStringLiteral("chaos %1 c%2 #%3").arg(seed).arg(i).arg(++textSerial);
                    const qint64 id = c->sendMessage(text);
                    if (id <= 0)
                        break;
                    raw->accepted.insert(id, text);
                    ++raw->sent;
                }
            });
            c->start();
            peers.push_back(std::move(p));
        }
        const auto allOnline = [&] {
            return std::all_of(peers.begin(), peers.end(), [](const auto &p) {
                return p->client->state() == ChatClient::State::Online && p->client->isSynced();
            });
        };
        QVERIFY(QTest::qWaitFor(allOnline, 20000));
        clock.restart();
        for (auto &p : peers) {
            p->onlineAt.clear();
            p->sender.start();
        }

        HttpClient http;
        int dropsDone = 0, restartsDone = 0;
        for (Event &e : events) {
            while (clock.elapsed() < e.at)
                QTest::qWait(5); // harmless: paces the schedule; only end states are asserted
            if (e.kind == Event::Drop) {
                const HttpReply r = http.post(host.http(QStringLiteral("/_test/drop-all")));
                QCOMPARE(r.status, 200);
                e.hostBack = clock.elapsed();
                ++dropsDone;
            } else {
                host.kill();                           // SIGKILL: no goodbye to anyone
                QTest::qWait(int(uniform(100, 1500))); // harmless: the schedule's random downtime
                bool started = false;
                for (int attempt = 0; attempt < 20 && !started; ++attempt) {
                    started = host.startWith(listen, dataDir, hostArgs);
                    if (!started)
                        QTest::qWait(250); // harmless: retry pause while the port is released
                }
                QVERIFY2(started, qPrintable(host.errorString()));
                e.hostBack = clock.elapsed();
                ++restartsDone;
            }
        }
        while (clock.elapsed() < runMs)
            QTest::qWait(5); // harmless: runs the schedule to its end; nothing timed here
        for (auto &p : peers)
            p->sender.stop();
        const qint64 lastEventBack = events.isEmpty() ? 0 : events.last().hostBack;

        // No client stuck: all back within the bound after the last event.
        const bool backInTime = QTest::qWaitFor(
            allOnline,
            int(std::max<qint64>(1, lastEventBack + kReconnectBoundMs - clock.elapsed())));
        QVERIFY2(backInTime || QTest::qWaitFor(allOnline, 30000),
                 "a client never came back online");
        QVERIFY2(backInTime, qPrintable(QStringLiteral("a client came back only after the backoff "
                                                       "bound: %1 ms after the last event (%2 ms)")
                                            .arg(clock.elapsed() - lastEventBack)
                                            .arg(kReconnectBoundMs)));

        // Reconnect delay per event and client: from "host available" to Online again, unless
        // the next event came first.
        qint64 maxDelay = 0;
        int measured = 0;
        for (qsizetype i = 0; i < events.size(); ++i) {
            const qint64 from = events[i].hostBack;
            const qint64 until = i + 1 < events.size() ? events[i + 1].at : LLONG_MAX;
            for (const auto &p : peers) {
                const auto it = std::find_if(p->onlineAt.begin(), p->onlineAt.end(),
                                             [&](qint64 t) { return t >= from; });
                if (it == p->onlineAt.end() || *it >= until)
                    continue;
                maxDelay = std::max(maxDelay, *it - from);
                ++measured;
            }
        }

        // Settle the outboxes: "Not delivered" ones are retried, as a person would.
        int retried = 0;
        QStringList otherFailures;
        const bool settled = QTest::qWaitFor(
            [&] {
                bool empty = true;
                for (const auto &p : peers) {
                    const auto entries = p->client->outbox()->entries();
                    for (const chat::Outbox::Entry &e : entries) {
                        empty = false;
                        if (e.state != chat::DeliveryState::Failed)
                            continue;
                        if (e.error.contains(QLatin1String("Not delivered"))) {
                            p->client->retryMessage(e.localId);
                            ++retried;
                        } else {
                            otherFailures << e.error;
                            p->client->discardMessage(e.localId);
                        }
                    }
                }
                return empty;
            },
            60000);
        QVERIFY2(otherFailures.isEmpty(), qPrintable(otherFailures.join(QLatin1Char('\n'))));
        if (!settled) {
            for (const auto &p : peers)
                for (const chat::Outbox::Entry &e : p->client->outbox()->entries())
                    qWarning().noquote()
                        << "left in the outbox:" << e.text << int(e.state) << e.inFlight << e.error;
        }
        QVERIFY2(settled, "outboxes did not empty");

        // Exactly once on the host; every client equal to the host.
        HostState st;
        QStringList sqlIds;
        const bool equal = QTest::qWaitFor(
            [&] {
                st = hostState(host);
                if (!st.ok)
                    return false;
                sqlIds << st.queryIdentity;
                for (const auto &p : peers)
                    if (modelMessages(p->client.get()) != st.messages ||
                        !compareUsers(modelUsers(p->client.get()), st.users, sqlIds).isEmpty())
                        return false;
                return true;
            },
            30000);
        QHash<QString, int> onHost;
        for (const MessageKey &m : st.messages)
            ++onHost[m.text];
        int accepted = 0, duplicates = 0, lost = 0;
        QStringList lostTexts, dupTexts;
        for (const auto &p : peers) {
            for (const QString &text : std::as_const(p->accepted)) {
                ++accepted;
                const int n = onHost.value(text);
                if (n == 0) {
                    ++lost;
                    lostTexts << text;
                } else if (n > 1) {
                    duplicates += n - 1;
                    dupTexts << text;
                }
            }
        }
        const QString figures =
            QStringLiteral("chaos figures: seed %1; %2 s; drops survived %3/%4; restarts survived "
                           "%5/%6; messages accepted %7 (on host %8); retried after \"Not "
                           "delivered\" %9; duplicates %10; lost %11; max reconnect delay after "
                           "the host was back %12 ms (%13 reconnects measured, bound %14 ms)")
                .arg(seed)
                .arg(seconds)
                .arg(dropsDone)
                .arg(drops)
                .arg(restartsDone)
                .arg(restarts)
                .arg(accepted)
                .arg(st.messages.size())
                .arg(retried)
                .arg(duplicates)
                .arg(lost)
                .arg(maxDelay)
                .arg(measured)
                .arg(kReconnectBoundMs);
        qInfo().noquote() << figures;
        QVERIFY2(dupTexts.isEmpty(), qPrintable(dupTexts.mid(0, 20).join(QLatin1String(", "))));
        QVERIFY2(lostTexts.isEmpty(), qPrintable(lostTexts.mid(0, 20).join(QLatin1String(", "))));
        if (!equal) {
            for (const auto &p : peers)
                qWarning().noquote() << p->client->profileName()
                                     << describeDiff(modelMessages(p->client.get()), st.messages)
                                     << compareUsers(modelUsers(p->client.get()), st.users, sqlIds);
        }
        QVERIFY2(equal, "a client's models differ from the host's state");
        QCOMPARE(st.messages.size(), accepted); // nothing on the host that nobody sent
        QCOMPARE(dropsDone, drops);
        QCOMPARE(restartsDone, restarts);
        QVERIFY2(maxDelay <= kReconnectBoundMs, qPrintable(figures));

        for (auto &p : peers)
            p->client->stop();
        peers.clear();
        QVERIFY(host.stop());
    }

    // Found while writing the chaos run (not a chaos case itself; minimal and deterministic).
    // A message that was in flight when the app quit is loaded as Unconfirmed and settled by
    // the first snapshot: Outbox::match() accepts any own message with the same text sent
    // within 10 minutes of the attempt. If the user had sent the same text shortly before
    // ("ok", then "ok" again), the earlier, already delivered message settles the new one,
    // which never reached the server: it leaves the outbox as "delivered" and is lost.
    void unconfirmedNotSettledByAnOlderMessageWithTheSameText() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        const QString outboxFile = m_tmp.filePath(QStringLiteral("outbox-same-text.json"));
        ChatClient::Options o;
        o.profile =
            chat::Profile(host.baseUrl(), HostProcess::database(), QStringLiteral("same-text"));
        o.insecureTokenFile = true; // the same identity after the "app restart"
        o.outboxPath = outboxFile;
        const auto online = [](ChatClient &c) {
            c.start();
            return QTest::qWaitFor(
                [&] { return c.state() == ChatClient::State::Online && c.isSynced(); }, 20000);
        };
        {
            ChatClient first(o);
            QVERIFY(online(first));
            QSignalSpy delivered(&first, &ChatClient::messageDelivered);
            QVERIFY(first.sendMessage(QStringLiteral("ok")) > 0);
            QVERIFY(QTest::qWaitFor([&] { return delivered.count() == 1; }, 20000));
            first.stop();
        }
        qint64 id = 0;
        {
            // The app sent "ok" again and quit before the call reached the server: that is
            // what its outbox file holds afterwards.
            chat::Outbox outbox(outboxFile);
            QVERIFY(outbox.load());
            QVERIFY(outbox.isEmpty());
            id = outbox.add(QStringLiteral("ok"));
            outbox.markInFlight(id);
        }
        ChatClient again(o);
        QSignalSpy delivered(&again, &ChatClient::messageDelivered);
        QSignalSpy failed(&again, &ChatClient::messageFailed);
        QVERIFY(online(again));
        QVERIFY(QTest::qWaitFor(
            [&] {
                const chat::Outbox::Entry *e = again.outbox()->entry(id);
                return !e || e->state == chat::DeliveryState::Failed;
            },
            20000));
        const HostState st = hostState(host.databaseUrl(QStringLiteral("/sql")));
        QVERIFY2(st.ok, qPrintable(st.error));
        QStringList ownTexts; // an external server's database also holds others' rows
        for (const MessageKey &m : st.messages)
            if (m.sender == again.identityHex())
                ownTexts << m.text;
        QCOMPARE(ownTexts, QStringList{QStringLiteral("ok")}); // the second never arrived
        if (!HostProcess::usesExternalServer())
            QCOMPARE(st.texts(), QStringList{QStringLiteral("ok")});
        QVERIFY2(again.outbox()->entry(id) != nullptr,
                 "the unconfirmed 'ok' was settled by the earlier 'ok' and is gone");
        QCOMPARE(delivered.count(), 0);
        QCOMPARE(failed.count(), 1);
        again.stop();
    }
};

QTEST_GUILESS_MAIN(TestChaos)
#include "tst_chaos.moc"
