// SPDX-License-Identifier: Apache-2.0
// `spacetime-bench chat`: the chat layer under load. A real chat::ChatClient connects to a
// scripted server (a process of its own) that answers the user and message subscriptions with
// N users and M messages, then streams live messages at a fixed rate. Reports the time from
// start() to a usable MessageModel, the part of it spent in the models, live insert throughput
// with event-loop gaps on the GUI thread, and the process RSS.

#include "benchcommand.h"
#include "benchdata.h"
#include "benchsupport.h"
#include "fragmentedsender.h"

#include "chat/chatclient.h"
#include "chat/messagemodel.h"
#include "chat/usermodel.h"

#include "spacetime/bsatn/bsatnreader.h"
#include "spacetime/compression.h"
#include "spacetime/connection/frametiming.h"
#include "spacetime/protocol/messagecodec.h"

#include <QAbstractSocket>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QLoggingCategory>
#include <QPointer>
#include <QProcess>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <functional>
#include <memory>

namespace stdb::bench {

namespace {

using namespace protocol;
using namespace Qt::StringLiterals;

class ChatServer : public QObject {
public:
    ChatServer(int messages, int users, int liveRate, int liveSeconds, qsizetype frameSize)
        : m_messages(messages)
        , m_users(users)
        , m_liveRate(liveRate)
        , m_liveSeconds(liveSeconds)
        , m_frameSize(frameSize) {}

    quint16 start() {
        // Rows are made before listening, so the client's figures do not include them.
        m_userRows = RowList::fromRows(quickstartUserRows(m_users));
        m_messageRows = RowList::fromRows(quickstartMessageRows(m_messages));
        m_server = new QWebSocketServer(u"chat-bench"_s, QWebSocketServer::NonSecureMode, this);
        m_server->setSupportedSubprotocols({u"v2.bsatn.spacetimedb"_s});
        // The TCP sockets are ours (QWebSocketServer::handleConnection): QWebSocket does not
        // make a server-side socket its child, so it could not be found from the QWebSocket.
        m_tcp = new QTcpServer(this);
        QObject::connect(m_tcp, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *t = m_tcp->nextPendingConnection()) {
                // As SpacetimeDB's listener (TCP_NODELAY, crates/standalone start.rs): with
                // Nagle a frame's tail waits for the peer's delayed ACK.
                t->setSocketOption(QAbstractSocket::LowDelayOption, 1);
                m_transports.append(t);
                m_server->handleConnection(t);
            }
        });
        QObject::connect(m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *s = m_server->nextPendingConnection()) {
                s->setParent(this);
                if (m_frameSize > 0) {
                    QTcpSocket *t = nullptr;
                    for (const QPointer<QTcpSocket> &c : std::as_const(m_transports))
                        if (c && c->peerPort() == s->peerPort() &&
                            c->peerAddress() == s->peerAddress())
                            t = c;
                    if (!t) {
                        qWarning("chat bench server: no TCP socket for a WebSocket");
                        s->abort();
                        continue;
                    }
                    m_senders.insert(s, new FragmentedSender(t, m_frameSize, s));
                }
                QObject::connect(s, &QWebSocket::binaryMessageReceived, this,
                                 [this, s](const QByteArray &b) { onClientMessage(s, b); });
                InitialConnection hello;
                hello.token = u"bench.token"_s;
                send(s, {encodeServerFrame(encodeServerMessage(hello), {})});
            }
        });
        m_tcp->listen(QHostAddress::LocalHost, 0);
        return m_tcp->serverPort();
    }

private:
    // A binary message the way SpacetimeDB sends it (FragmentedSender), or with
    // QWebSocket::sendBinaryMessage (--frame-size 0). `sent`: its last byte is in the socket's
    // write buffer; `flushed`: the kernel has every byte.
    void send(QWebSocket *s, const QList<QByteArray> &parts, std::function<void()> sent = {},
              std::function<void()> flushed = {}) {
        if (FragmentedSender *f = m_senders.value(s)) {
            f->send(parts, std::move(sent), std::move(flushed));
            return;
        }
        s->sendBinaryMessage(parts.size() == 1 ? parts.first() : parts.join());
        if (sent)
            sent();
        if (!flushed)
            return;
        if (s->bytesToWrite() == 0) {
            flushed();
            return;
        }
        auto *watch = new QObject(this);
        QObject::connect(s, &QWebSocket::bytesWritten, watch, [s, watch, flushed] {
            if (s->bytesToWrite() == 0) {
                flushed();
                watch->deleteLater();
            }
        });
    }

    // What the client asked for, as the server reads it from the upgrade request.
    static Compression requestedCompression(const QWebSocket *s) {
        const QString c = QUrlQuery(s->requestUrl()).queryItemValue(u"compression"_s);
        if (c == u"Gzip"_s)
            return Compression::Gzip;
        if (c == u"Brotli"_s)
            return Compression::Brotli;
        return Compression::None;
    }

    void onClientMessage(QWebSocket *s, const QByteArray &bytes) {
        const qint64 receivedNs = FrameTiming::nowNs();
        const ProcessUsage usageBefore = processUsage();
        const auto m = decodeClientMessage(bytes);
        if (!m)
            return;
        if (std::holds_alternative<OneOffQuery>(m.value())) {
            // The client's signal that it is synchronised: start the live stream.
            if (m_live)
                m_live->start();
            return;
        }
        const auto *sub = std::get_if<Subscribe>(&m.value());
        if (!sub)
            return;
        const bool users = sub->queryStrings.value(0).contains(u"FROM user"_s);
        SingleTableRows t;
        t.table = users ? u"user"_s : u"message"_s;
        t.rows = users ? m_userRows : m_messageRows;
        SubscribeApplied applied{sub->requestId, sub->querySetId, QueryRows{{t}}};
        const QByteArray body = encodeServerMessage(applied);
        const qint64 encodedNs = FrameTiming::nowNs();
        // [compression tag][body or its compressed form], as encodeServerFrame makes it, in two
        // parts: SpacetimeDB writes the tag first into the buffer it then serialises or
        // compresses into (messages.rs, SerializeBuffer), so it copies neither.
        const Compression c = requestedCompression(s);
        const bool compress = c != Compression::None && body.size() > kCompressionThreshold;
        const QByteArray payload = compress ? stdb::compress(c, body) : body;
        const QByteArray tag(1, char(compress ? c : Compression::None));
        const qint64 compressedNs = FrameTiming::nowNs();
        if (users) {
            send(s, {tag, payload});
            return;
        }
        // The host's side of the history, as CLOCK_MONOTONIC stamps the client compares with
        // its own: queued once the last frame is in the socket's write buffer, flushed once
        // that buffer is empty (the kernel has every byte).
        auto queuedNs = std::make_shared<qint64>(0);
        send(
            s, {tag, payload}, [queuedNs] { *queuedNs = FrameTiming::nowNs(); },
            [=, bodySize = body.size(), frameSize = 1 + payload.size()] {
                const ProcessUsage usage = processUsage();
                QTextStream(stdout)
                    << "host " << receivedNs << ' ' << encodedNs << ' ' << compressedNs << ' '
                    << *queuedNs << ' ' << FrameTiming::nowNs() << ' ' << bodySize << ' '
                    << frameSize << ' ' << usage.cpuNs - usageBefore.cpuNs << ' '
                    << usage.minorFaults - usageBefore.minorFaults << Qt::endl;
            });
        // Live messages: one transaction every 10 ms with rate/100 rows.
        const int perTick = qMax(1, m_liveRate / 100);
        auto *timer = new QTimer(this);
        timer->setInterval(10);
        timer->setTimerType(Qt::PreciseTimer);
        int sent = 0;
        const int total = m_liveRate * m_liveSeconds;
        const QuerySetId set = sub->querySetId;
        QObject::connect(timer, &QTimer::timeout, this, [=, this]() mutable {
            if (sent >= total) {
                timer->stop();
                return;
            }
            TransactionUpdate tu;
            PersistentTableRows rows;
            const int n = qMin(perTick, total - sent);
            rows.inserts = RowList::fromRows(quickstartMessageRows(n, m_messages + sent));
            sent += n;
            tu.querySets.append(QuerySetUpdate{set, {TableUpdate{u"message"_s, {rows}}}});
            send(s, {encodeServerFrame(encodeServerMessage(tu), requestedCompression(s))});
        });
        m_live = timer;
    }

    int m_messages, m_users, m_liveRate, m_liveSeconds;
    qsizetype m_frameSize;
    QWebSocketServer *m_server = nullptr;
    QTcpServer *m_tcp = nullptr;
    QList<QPointer<QTcpSocket>> m_transports;
    QHash<QWebSocket *, FragmentedSender *> m_senders;
    QTimer *m_live = nullptr;
    RowList m_userRows;
    RowList m_messageRows;
};

int runChat(const QStringList &arguments) {
    QCommandLineParser p;
    p.setApplicationDescription(
        u"A chat::ChatClient against a scripted server: snapshot of M messages into the\n"
        u"MessageModel, then live messages at a fixed rate."_s);
    p.addHelpOption();
    const QCommandLineOption rowsOpt(u"messages"_s, u"Snapshot messages (default 1000000)."_s,
                                     u"N"_s, u"1000000"_s);
    const QCommandLineOption usersOpt(u"users"_s, u"Users (default 1000)."_s, u"N"_s, u"1000"_s);
    const QCommandLineOption rateOpt(u"live-rate"_s, u"Live messages per second (10000)."_s, u"N"_s,
                                     u"10000"_s);
    const QCommandLineOption secondsOpt(u"live-seconds"_s, u"Seconds of live messages (5)."_s,
                                        u"N"_s, u"5"_s);
    const QCommandLineOption compressionOpt(
        u"compression"_s, u"What the client asks the server for: none (default), gzip, brotli."_s,
        u"C"_s, u"none"_s);
    const QCommandLineOption frameSizeOpt(
        u"frame-size"_s,
        u"The server's WebSocket frame payload size (default 4096, as SpacetimeDB); 0: one\n"
        u"QWebSocket::sendBinaryMessage per message (512 KiB frames, all queued at once)."_s,
        u"BYTES"_s, u"4096"_s);
    const QCommandLineOption ownReaderOpt(
        u"own-frame-reader"_s,
        u"The client reads the WebSocket frames with the SDK's own reader (a proposal; default:\n"
        u"QWebSocket reads and reassembles them)."_s);
    const QCommandLineOption serveOpt(u"serve"_s, u"(internal) be the server."_s);
    p.addOptions({rowsOpt, usersOpt, rateOpt, secondsOpt, compressionOpt, frameSizeOpt,
                  ownReaderOpt, serveOpt});
    p.process(QStringList{u"spacetime-bench chat"_s} + arguments);
    const int rows = p.value(rowsOpt).toInt();
    const int users = p.value(usersOpt).toInt();
    const int rate = p.value(rateOpt).toInt();
    const int seconds = p.value(secondsOpt).toInt();
    bool frameSizeOk = false;
    const qsizetype frameSize = p.value(frameSizeOpt).toLongLong(&frameSizeOk);
    if (!frameSizeOk || frameSize < 0) {
        QTextStream(stderr) << "--frame-size: expected a byte count >= 0, not "
                            << p.value(frameSizeOpt) << '\n';
        return 2;
    }
    Compression compression = Compression::None;
    if (const QString c = p.value(compressionOpt); c == u"gzip"_s) {
        compression = Compression::Gzip;
    } else if (c == u"brotli"_s) {
        compression = Compression::Brotli;
    } else if (c != u"none"_s) {
        QTextStream(stderr) << "--compression: expected none, gzip or brotli, not " << c << '\n';
        return 2;
    }
    // Per-frame debug lines would cost more than the work being measured.
    QLoggingCategory::setFilterRules(u"stdb.*.debug=false\nchat.*.debug=false"_s);
    if (p.isSet(serveOpt)) {
        ChatServer server(rows, users, rate, seconds, frameSize);
        QTextStream(stdout) << "port " << server.start() << Qt::endl;
        return QCoreApplication::exec();
    }
    QTextStream out(stdout);

    QProcess serverProcess;
    serverProcess.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // The host stands in for SpacetimeDB, whose encoding takes a fraction of ours: its malloc
    // may use transparent huge pages (glibc >= 2.35), which spares it most first-touch page
    // faults of its 100 MB buffers (several ms per MB on virtual machines). The client keeps
    // the environment it was started with. STDB_BENCH_HOST_THP=0 turns this off.
    if (qEnvironmentVariable("STDB_BENCH_HOST_THP") != u"0"_s) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QString tunables = env.value(u"GLIBC_TUNABLES"_s);
        env.insert(u"GLIBC_TUNABLES"_s, (tunables.isEmpty() ? QString() : tunables + u':') +
                                            u"glibc.malloc.hugetlb=1"_s);
        serverProcess.setProcessEnvironment(env);
    }
    serverProcess.start(QCoreApplication::applicationFilePath(),
                        QStringList{u"chat"_s, u"--serve"_s} + arguments);
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

    const qint64 rssBefore = currentRssBytes();
    chat::ChatClient::Options o;
    o.profile = chat::Profile(u"http://127.0.0.1:%1"_s.arg(port), u"quickstart-chat"_s, u"bench"_s);
    o.anonymous = true;
    o.outboxPath = u":memory:"_s;
    o.maxMessages = 0; // keep all of them: the bench measures the whole snapshot
    o.compression = compression;
    o.ownFrameReader = p.isSet(ownReaderOpt);
    chat::ChatClient client(o);
    chat::MessageModel *model = client.messages();

    QElapsedTimer clock;
    clock.start();
    const qint64 startNs = FrameTiming::nowNs();
    QEventLoop syncLoop;
    QObject::connect(&client, &chat::ChatClient::synchronized, &syncLoop, &QEventLoop::quit);
    QTimer::singleShot(300000, &syncLoop, &QEventLoop::quit);
    const ProcessUsage usageStart = processUsage();
    // Faults by thread: the connection's I/O thread (named after its QThread) receives,
    // decompresses, decodes and builds the cache tables; the GUI thread applies and reports.
    const QByteArray ioThread = "stdb-socket";
    const qint64 ioFaultsStart = qMax<qint64>(0, namedThreadsMinorFaults(ioThread));
    const qint64 guiFaultsStart = threadMinorFaults();
    client.start();
    // Time the connection spends reporting the snapshots: typed row decode, conversion and the
    // model updates, on the GUI thread.
    QElapsedTimer reportClock;
    qint64 reportNs = 0;
    qint64 reportCpuStart = 0;
    qint64 reportCpuNs = 0;
    qint64 reportFaultsStart = 0;
    qint64 reportFaults = 0;
    // The history's own message: the largest one until synchronised.
    FrameTiming history;
    qint64 syncedNs = 0;
    ProcessUsage usageSynced;
    qint64 ioFaultsSynced = 0;
    qint64 guiFaultsSynced = 0;
    QObject::connect(&client, &chat::ChatClient::synchronized, [&] {
        if (syncedNs == 0) {
            syncedNs = FrameTiming::nowNs();
            usageSynced = processUsage();
            ioFaultsSynced = namedThreadsMinorFaults(ioThread);
            guiFaultsSynced = threadMinorFaults();
        }
    });
    if (stdb::DbConnection *conn = client.connection()) {
        QObject::connect(conn, &stdb::DbConnection::frameProcessed, [&](const FrameTiming &t) {
            if (syncedNs == 0 && t.wireBytes > history.wireBytes)
                history = t;
        });
        QObject::connect(conn, &stdb::DbConnection::changesAboutToBeReported,
                         [&](const stdb::EventContext &) {
                             reportClock.start();
                             reportCpuStart = threadCpuNs();
                             reportFaultsStart = threadMinorFaults();
                         });
        QObject::connect(conn, &stdb::DbConnection::changesReported,
                         [&](const stdb::EventContext &ctx) {
                             if (ctx.kind() == stdb::EventContext::Kind::SubscribeApplied) {
                                 reportNs += reportClock.nsecsElapsed();
                                 reportCpuNs += threadCpuNs() - reportCpuStart;
                                 reportFaults += threadMinorFaults() - reportFaultsStart;
                             }
                         });
    }
    syncLoop.exec();
    const qint64 syncMs = clock.elapsed();
    if (!client.isSynced()) {
        out << "the client did not synchronise: " << client.lastError() << '\n';
        return 1;
    }
    const qint64 rssSynced = currentRssBytes();
    // The host's stamps of the same message (printed once its bytes left the write buffer).
    QList<qint64> host;
    for (int waited = 0; host.isEmpty() && waited < 100; ++waited) {
        while (serverProcess.canReadLine()) {
            const QList<QByteArray> f = serverProcess.readLine().trimmed().split(' ');
            if (f.size() == 10 && f[0] == "host")
                for (qsizetype i = 1; i < f.size(); ++i)
                    host.append(f[i].toLongLong());
        }
        if (host.isEmpty())
            serverProcess.waitForReadyRead(100);
    }
    const int snapshotRows = model->rowCount();
    // A view asks for what is visible: a screenful of rows from the bottom.
    QElapsedTimer viewClock;
    viewClock.start();
    quint64 sink = 0;
    for (int r = qMax(0, snapshotRows - 40); r < snapshotRows; ++r) {
        const QModelIndex i = model->index(r, 0);
        sink += quint64(i.data(chat::MessageModel::TextRole).toString().size());
        sink += quint64(i.data(chat::MessageModel::SenderNameRole).toString().size());
        sink += i.data(chat::MessageModel::FirstOfGroupRole).toBool() ? 1 : 0;
    }
    const qint64 viewUs = viewClock.nsecsElapsed() / 1000;

    // Live phase: 1 ms ticker on the GUI thread.
    QList<qint64> gaps;
    gaps.reserve(seconds * 1200 + 1000);
    QElapsedTimer tickClock;
    tickClock.start();
    qint64 last = tickClock.nsecsElapsed();
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = tickClock.nsecsElapsed();
        gaps.append(now - last);
        last = now;
    });
    qint64 insertBatches = 0;
    QObject::connect(model, &QAbstractItemModel::rowsInserted, [&] { ++insertBatches; });
    const int expected = snapshotRows + rate * seconds;
    QEventLoop liveLoop;
    QElapsedTimer liveClock;
    qint64 liveFirstMs = -1;
    QObject::connect(&client, &chat::ChatClient::messagesArrived, [&] {
        if (liveFirstMs < 0) {
            liveFirstMs = 0;
            liveClock.start();
        }
        if (model->rowCount() >= expected)
            liveLoop.quit();
    });
    QTimer::singleShot(seconds * 1000 + 30000, &liveLoop, &QEventLoop::quit);
    ticker.start();
    // Any one-off query tells the bench server to start streaming.
    if (stdb::DbConnection *conn = client.connection())
        conn->oneOffQuery(u"SELECT * FROM user"_s, [](const auto &) {});
    liveLoop.exec();
    ticker.stop();
    const qint64 liveMs = liveClock.isValid() ? liveClock.elapsed() : 0;
    const int liveRows = model->rowCount() - snapshotRows;

    const qint64 peakClient = peakRssBytes();
    client.stop();

    // The model alone: N message rows, packed in one buffer as the cache holds them, read in
    // place into a MessageBatch and into a fresh MessageModel in one reset.
    qint64 batchNs = 0;
    qint64 modelOnlyNs = 0;
    {
        QByteArray packed;
        QList<std::pair<qsizetype, qsizetype>> spans;
        spans.reserve(rows);
        for (const QByteArray &row : quickstartMessageRows(rows)) {
            spans.append({packed.size(), row.size()});
            packed.append(row);
        }
        QElapsedTimer t;
        t.start();
        chat::MessageBatch batch;
        batch.reserve(rows);
        for (const auto &[at, size] : std::as_const(spans))
            batch.addRow(QByteArrayView(packed).sliced(at, size), packed);
        batchNs = t.nsecsElapsed();
        chat::MessageModel alone;
        t.restart();
        alone.resetMessages(std::move(batch));
        modelOnlyNs = t.nsecsElapsed();
    }
    auto ms = [](qint64 ns) { return double(ns) / 1e6; };
    auto mb = [](qint64 b) { return double(b) / (1024.0 * 1024.0); };
    out << u"chat: %1 messages + %2 users into a ChatClient (machine: %3 cores)\n"_s.arg(rows)
               .arg(users)
               .arg(QThread::idealThreadCount());
    out << u"  frames read by: %1\n"_s.arg(
        o.ownFrameReader ? u"the SDK's WebSocketReader (proposal)"_s : u"QWebSocket (default)"_s);
    out << u"  start() -> synchronized: %1 ms (socket, decode, cache, typed rows, models)\n"_s.arg(
        syncMs);
    out << u"  snapshot reported to the models (rows read in place + MessageModel/UserModel "
           u"reset): "
           u"%1 ms wall, %2 ms GUI-thread CPU\n"_s.arg(ms(reportNs), 0, 'f', 1)
               .arg(ms(reportCpuNs), 0, 'f', 1);
    out << u"  MessageModel alone, %1 rows: MessageBatch from row bytes %2 ms, resetMessages %3 ms\n"_s
               .arg(rows)
               .arg(ms(batchNs), 0, 'f', 1)
               .arg(ms(modelOnlyNs), 0, 'f', 1);
    // Where the history's time went, every stage in ms since start(): the host's stamps
    // (another process, same monotonic clock) first, then the client's.
    auto since = [&](qint64 ns) { return ns > 0 ? double(ns - startNs) / 1e6 : -1.0; };
    const QList<std::pair<QString, qint64>> split = {
        {u"host_subscribe_received"_s, host.value(0)},
        {u"host_encoded"_s, host.value(1)},
        {u"host_compressed"_s, host.value(2)},
        {u"host_queued"_s, host.value(3)},
        {u"host_flushed"_s, host.value(4)},
        {u"first_bytes"_s, history.firstBytesNs},
        {u"reassembled"_s, history.reassembledNs},
        {u"decompressed"_s, history.decompressedNs},
        {u"decoded"_s, history.decodedNs},
        {u"cache_built"_s, history.preparedNs},
        {u"handed_over"_s, history.handedOverNs},
        {u"applied_models_reset"_s, history.processedNs},
        {u"synchronized"_s, syncedNs},
    };
    out << u"  history message: %1 on the wire, %2 MB wire, %3 MB body\n"_s
               .arg(compressionName(history.compression))
               .arg(mb(history.wireBytes), 0, 'f', 1)
               .arg(mb(history.bodyBytes), 0, 'f', 1);
    out << u"  time split (ms since start()):"_s;
    for (const auto &[name, ns] : split)
        out << ' ' << name << '=' << QString::number(since(ns), 'f', 1);
    out << '\n';
    const double transferMs = double(history.reassembledNs - history.firstBytesNs) / 1e6;
    out << u"  receive: %1 ms from first bytes to reassembled (%2 MB/s on the wire)\n"_s
               .arg(transferMs, 0, 'f', 1)
               .arg(transferMs > 0 ? mb(history.wireBytes) * 1000.0 / transferMs : 0.0, 0, 'f', 0);
    // Work, not wall time: what each process spent on the history, all threads.
    out << u"  CPU: client %1 ms start() -> synchronized (%2 minor page faults); host %3 ms "
           u"Subscribe received -> flushed (%4 minor page faults)\n"_s
               .arg(ms(usageSynced.cpuNs - usageStart.cpuNs), 0, 'f', 0)
               .arg(usageSynced.minorFaults - usageStart.minorFaults)
               .arg(ms(host.value(7)), 0, 'f', 0)
               .arg(host.value(8));
    // Where those faults happened (-1: the platform cannot say).
    const qint64 ioFaults = ioFaultsSynced >= 0 ? ioFaultsSynced - ioFaultsStart : -1;
    const qint64 guiFaults = guiFaultsSynced >= 0 ? guiFaultsSynced - guiFaultsStart : -1;
    const qint64 allFaults = usageSynced.minorFaults - usageStart.minorFaults;
    out << u"  minor page faults by thread: I/O thread %1 (receive, decompress, decode, cache "
           u"tables), GUI thread %2 (of which %3 reporting the snapshot to the models), other "
           u"threads %4\n"_s.arg(ioFaults)
               .arg(guiFaults)
               .arg(reportFaults)
               .arg(ioFaults >= 0 && guiFaults >= 0 ? allFaults - ioFaults - guiFaults : -1);
    out << u"  first screenful of rows (40 x 3 roles): %1 us\n"_s.arg(viewUs);
    out << u"  RSS: %1 MB before, %2 MB synchronised, %3 MB peak\n"_s.arg(mb(rssBefore), 0, 'f', 0)
               .arg(mb(rssSynced), 0, 'f', 0)
               .arg(mb(peakClient), 0, 'f', 0);
    out << u"  live: %1 of %2 rows in %3 ms (%4 rows/s offered, %5 rows/s applied), %6 insert "
           u"batches\n"_s.arg(liveRows)
               .arg(rate * seconds)
               .arg(liveMs)
               .arg(rate)
               .arg(liveMs > 0 ? qint64(double(liveRows) * 1000.0 / double(liveMs)) : 0)
               .arg(insertBatches);
    out << u"  GUI event loop during live inserts: p50 %1 ms, p99 %2 ms, max %3 ms\n"_s
               .arg(ms(percentile(gaps, 50)), 0, 'f', 2)
               .arg(ms(percentile(gaps, 99)), 0, 'f', 2)
               .arg(ms(gaps.isEmpty() ? 0 : *std::max_element(gaps.cbegin(), gaps.cend())), 0, 'f',
                    1);
    out << u"  (checksum %1)\n"_s.arg(sink % 1000);
    return liveRows == rate * seconds ? 0 : 1;
}

const BenchCommandRegistration registration{
    {u"chat"_s, u"ChatClient + MessageModel: 1M-message snapshot and live inserts"_s, runChat}};

} // namespace

} // namespace stdb::bench
