// SPDX-License-Identifier: Apache-2.0
// `spacetime-bench stall`: how long the owner (GUI) thread's event loop is blocked while a
// DbConnection receives, decodes and applies a large SubscribeApplied, with a TransactionUpdate
// right behind it. A 1 ms timer on the owner thread records every gap between its ticks.
//
// The server is a minimal scripted WebSocket peer in a child process (so its work does not
// count against the client's event loop): InitialConnection on connect, then for the first
// Subscribe the snapshot and one transaction inserting one more row.

#include "benchcommand.h"
#include "benchdata.h"
#include "benchsupport.h"

#include "quickstart_chat/messagetable.h"
#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/dbconnectionbuilder.h"
#include "spacetime/connection/subscriptionbuilder.h"
#include "spacetime/connection/tablehandle.h"
#include "spacetime/protocol/messagecodec.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QScopeGuard>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

namespace stdb::bench {

namespace {

using namespace protocol;
using namespace Qt::StringLiterals;

class SnapshotServer : public QObject {
public:
    SnapshotServer(int rows, int users)
        : m_rows(rows)
        , m_users(users) {}

    // Runs on the server thread.
    quint16 start() {
        m_snapshot = quickstartSubscribeApplied(m_rows, m_users).rows;
        m_server = new QWebSocketServer(u"stall"_s, QWebSocketServer::NonSecureMode, this);
        m_server->setSupportedSubprotocols({u"v2.bsatn.spacetimedb"_s});
        QObject::connect(m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *s = m_server->nextPendingConnection()) {
                s->setParent(this);
                QObject::connect(s, &QWebSocket::binaryMessageReceived, this,
                                 [this, s](const QByteArray &b) { onClientMessage(s, b); });
                InitialConnection hello;
                hello.token = u"bench.token"_s;
                s->sendBinaryMessage(encodeServerFrame(encodeServerMessage(hello), {}));
            }
        });
        m_server->listen(QHostAddress::LocalHost, 0);
        return m_server->serverPort();
    }

private:
    void onClientMessage(QWebSocket *s, const QByteArray &bytes) {
        const auto m = decodeClientMessage(bytes);
        if (!m)
            return;
        const auto *sub = std::get_if<Subscribe>(&m.value());
        if (!sub)
            return;
        s->sendBinaryMessage(encodeServerFrame(
            encodeServerMessage(SubscribeApplied{sub->requestId, sub->querySetId, m_snapshot}),
            Compression::None));
        // Right behind it: a live transaction, which must be applied after the snapshot.
        TransactionUpdate tu;
        PersistentTableRows rows;
        rows.inserts = RowList::fromRows(quickstartMessageRows(1, m_rows));
        tu.querySets.append(
            QuerySetUpdate{sub->querySetId, {TableUpdate{u"message"_s, {std::move(rows)}}}});
        s->sendBinaryMessage(encodeServerFrame(encodeServerMessage(tu), Compression::None));
    }

    int m_rows;
    int m_users;
    QueryRows m_snapshot;
    QWebSocketServer *m_server = nullptr;
};

struct Gaps {
    QList<qint64> ns;    // each gap between ticks
    QList<qint64> endNs; // when it ended (clock time)
    qint64 maxNs() const { return ns.isEmpty() ? 0 : *std::max_element(ns.cbegin(), ns.cend()); }
};

// `stall --serve ROWS USERS`: the server in a process of its own, so neither its CPU time nor
// its page faults (the address space is shared by threads) land on the measured process.
int runServe(int rows, int users) {
    SnapshotServer server(rows, users);
    const quint16 port = server.start();
    QTextStream(stdout) << "port " << port << Qt::endl;
    return QCoreApplication::exec(); // until the parent kills us
}

int runStall(const QStringList &arguments) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Event-loop gaps on the connection's thread while a DbConnection applies a large\n"
        "SubscribeApplied (quickstart `message` rows) and a transaction right behind it."));
    p.addHelpOption();
    const QCommandLineOption rowsOpt(u"rows"_s, u"Message rows (default 1000000)."_s, u"N"_s,
                                     u"1000000"_s);
    const QCommandLineOption usersOpt(u"users"_s, u"User rows (default 1000)."_s, u"N"_s,
                                      u"1000"_s);
    const QCommandLineOption typedOpt(
        u"typed"_s, u"Listen to the generated MessageTable's rowsChanged (rows decoded)."_s);
    const QCommandLineOption serveOpt(u"serve"_s, u"(internal) be the server."_s);
    p.addOptions({rowsOpt, usersOpt, typedOpt, serveOpt});
    p.process(QStringList{u"spacetime-bench stall"_s} + arguments);
    const int rows = p.value(rowsOpt).toInt();
    const int users = p.value(usersOpt).toInt();
    if (p.isSet(serveOpt))
        return runServe(rows, users);
    QTextStream out(stdout);

    QProcess serverProcess;
    serverProcess.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    serverProcess.start(QCoreApplication::applicationFilePath(),
                        {u"stall"_s, u"--serve"_s, u"--rows"_s, QString::number(rows), u"--users"_s,
                         QString::number(users)});
    quint16 port = 0;
    if (serverProcess.waitForStarted(10000)) {
        while (!serverProcess.canReadLine() && serverProcess.waitForReadyRead(60000)) {
        }
        const QByteArray line = serverProcess.readLine().trimmed();
        if (line.startsWith("port "))
            port = quint16(line.mid(5).toUInt());
    }
    if (port == 0) {
        out << "the bench server did not start\n";
        return 1;
    }
    auto stopServer = qScopeGuard([&] {
        serverProcess.kill();
        serverProcess.waitForFinished(5000);
    });

    auto built = DbConnectionBuilder()
                     .withUri(u"http://127.0.0.1:%1"_s.arg(port))
                     .withDatabaseName(u"quickstart-chat"_s)
                     .withCompression(Compression::None)
                     .build();
    if (!built) {
        out << built.error().toString() << '\n';
        return 1;
    }
    std::unique_ptr<DbConnection> conn(*built);
    TableHandle *messages = nullptr;
    qint64 typedRows = 0;
    if (p.isSet(typedOpt)) {
        auto *t = new quickstart_chat::MessageTable(conn.get());
        QObject::connect(t, &quickstart_chat::MessageTable::rowsChanged,
                         [&](const quickstart_chat::MessageTable::Changes &c,
                             const EventContext &) { typedRows += c.inserted.size(); });
        messages = t;
    } else {
        messages = new TableHandle(conn.get(), u"message"_s);
    }
    new TableHandle(conn.get(), u"user"_s);

    QEventLoop loop;
    QObject::connect(conn.get(), &DbConnection::connected, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    if (!conn->isActive()) {
        out << "could not connect to the bench server\n";
        return 1;
    }

    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    Gaps gaps;
    gaps.ns.reserve(200000);
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps.ns.append(now - last);
        gaps.endNs.append(now);
        last = now;
    });

    // Baseline: the same timer with nothing else happening.
    last = clock.nsecsElapsed();
    ticker.start();
    {
        QEventLoop idleLoop; // a fresh loop: earlier timeouts must not end later phases
        QTimer::singleShot(500, &idleLoop, &QEventLoop::quit);
        idleLoop.exec();
    }
    const Gaps idle = std::exchange(gaps, Gaps{});
    gaps.ns.reserve(200000);

    QEventLoop applyLoop;
    qint64 snapshotAt = -1, txAt = -1, countAtTx = -1;
    // How long the connection's own signals take from "about to report" to "reported" (the
    // row signals of one message in between), longest over all messages.
    QElapsedTimer dispatch;
    qint64 maxDispatchNs = 0;
    QObject::connect(conn.get(), &DbConnection::changesAboutToBeReported,
                     [&](const EventContext &) { dispatch.start(); });
    bool orderOk = true;
    QObject::connect(conn.get(), &DbConnection::changesReported, [&](const EventContext &ctx) {
        if (dispatch.isValid())
            maxDispatchNs = std::max(maxDispatchNs, dispatch.nsecsElapsed());
        if (ctx.kind() == EventContext::Kind::SubscribeApplied) {
            snapshotAt = clock.elapsed();
            orderOk = orderOk && txAt < 0 && messages->count() == rows;
        } else if (ctx.kind() == EventContext::Kind::Transaction) {
            txAt = clock.elapsed();
            countAtTx = messages->count();
            orderOk = orderOk && snapshotAt >= 0;
            QTimer::singleShot(300, &applyLoop, &QEventLoop::quit);
        }
    });
    const qint64 start = clock.elapsed();
    last = clock.nsecsElapsed();
    conn->subscriptionBuilder().subscribe({u"SELECT * FROM message"_s, u"SELECT * FROM user"_s});
    QTimer::singleShot(180000, &applyLoop, &QEventLoop::quit);
    applyLoop.exec();
    ticker.stop();

    conn.reset();

    auto ms = [](qint64 ns) { return double(ns) / 1e6; };
    qint64 over50 = 0;
    for (qint64 g : std::as_const(gaps.ns))
        over50 += g > 50000000 ? 1 : 0;
    out << u"stall: %1 message rows + %2 users%3\n"_s.arg(rows).arg(users).arg(
        p.isSet(typedOpt) ? u", typed rowsChanged listener"_s : u", raw handles"_s);
    out << u"  idle baseline: %1 ticks, max gap %2 ms, p99 %3 ms\n"_s.arg(idle.ns.size())
               .arg(ms(idle.maxNs()), 0, 'f', 1)
               .arg(ms(percentile(idle.ns, 99)), 0, 'f', 2);
    out << u"  snapshot applied after %1 ms, transaction after %2 ms (rows then %3, order %4)\n"_s
               .arg(snapshotAt < 0 ? -1 : snapshotAt - start)
               .arg(txAt < 0 ? -1 : txAt - start)
               .arg(countAtTx)
               .arg(orderOk && countAtTx == rows + 1 ? u"ok"_s : u"BROKEN"_s);
    out << u"  during: %1 ticks, max gap %2 ms, p99 %3 ms, p50 %4 ms, gaps > 50 ms: %5\n"_s
               .arg(gaps.ns.size())
               .arg(ms(gaps.maxNs()), 0, 'f', 1)
               .arg(ms(percentile(gaps.ns, 99)), 0, 'f', 2)
               .arg(ms(percentile(gaps.ns, 50)), 0, 'f', 2)
               .arg(over50);
    // The gap during which the connection applied the snapshot (its apply and signals ran
    // between two ticks); the others are the socket receiving the message.
    qint64 applyGap = -1;
    const qint64 appliedNs = snapshotAt * 1000000;
    for (qsizetype i = 0; snapshotAt >= 0 && i < gaps.ns.size(); ++i)
        if (gaps.endNs[i] >= appliedNs) {
            applyGap = gaps.ns[i];
            break;
        }
    out << u"  gap containing the snapshot's apply + signals: %1 ms\n"_s.arg(ms(applyGap), 0, 'f',
                                                                             1);
    out << u"  longest signal dispatch (changesAboutToBeReported to changesReported): %1 ms\n"_s
               .arg(ms(maxDispatchNs), 0, 'f', 1);
    QList<qint64> top = gaps.ns;
    std::sort(top.begin(), top.end(), std::greater<>());
    out << "  longest gaps (ms):";
    for (qsizetype i = 0; i < std::min<qsizetype>(8, top.size()); ++i)
        out << ' ' << QString::number(ms(top[i]), 'f', 1);
    out << '\n';
    if (p.isSet(typedOpt))
        out << u"  typed rows decoded for listeners: %1\n"_s.arg(typedRows);
    return snapshotAt < 0 || txAt < 0 ? 1 : 0;
}

const BenchCommandRegistration registration{
    {u"stall"_s, u"event-loop gaps while a 1M-row snapshot is applied"_s, runStall}};

} // namespace

} // namespace stdb::bench
