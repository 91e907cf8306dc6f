// SPDX-License-Identifier: Apache-2.0
// spacetime-bench-hostload: N clients (our SDK + the generated quickstart-chat bindings), all
// subscribed to `message`, each calling send_message M times a second for T seconds against
// spacetime-chat-host. Prints latency percentiles (reducer round trip, send → own row,
// send → everyone else's row) and delivery counts, and checks exactly-once delivery against the
// host's own table (/sql). A benchmark program that prints figures, not a test (docs/host.md).
//
//   spacetime-bench-hostload [--clients 50] [--rate 20] [--seconds 30] [--threads 2]
//                            [--host PATH | --url http://127.0.0.1:3000] [--database NAME]
//                            [--compression gzip|brotli|none]
//
// Exit status: 0 when every check passed, 1 when a check failed, 2 when the run could not be
// made (bad options, host did not start, clients could not connect).

#include "hostlauncher.h"
#include "loadgroup.h"
#include "stats.h"

#include "spacetime/compression.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <functional>

Q_DECLARE_LOGGING_CATEGORY(lcLoad)

using namespace hostload;

namespace {

QTextStream &out() {
    static QTextStream s(stdout);
    return s;
}

QTextStream &err() {
    static QTextStream s(stderr);
    return s;
}

// Runs the event loop until `done()` or the timeout; `tick` runs about every `tickMs`.
bool waitUntil(const std::function<bool()> &done, qint64 timeoutMs,
               const std::function<void()> &tick = {}, int tickMs = 1000) {
    QElapsedTimer timer;
    timer.start();
    qint64 nextTick = tickMs;
    while (!done()) {
        if (timer.elapsed() >= timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
        if (tick && timer.elapsed() >= nextTick) {
            tick();
            nextTick += tickMs;
        }
    }
    return true;
}

struct HostRows {
    QString error;
    qint64 total = 0;               // rows in `message`
    QHash<quint64, int> count;      // this run's rows: key → times stored
    QHash<quint64, QString> sender; // key → sender hex (lowercase, no 0x)
    qint64 malformed = 0;
};

HostRows fetchHostRows(const QString &baseUrl, const QString &database, const QString &runId) {
    HostRows rows;
    QNetworkAccessManager nam;
    QUrl url(baseUrl);
    url.setPath(url.path(QUrl::FullyEncoded).chopped(url.path().endsWith(u'/') ? 1 : 0) +
                QStringLiteral("/v1/database/%1/sql").arg(database));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
    request.setTransferTimeout(60000);
    QNetworkReply *reply = nam.post(request, QByteArrayLiteral("SELECT * FROM message"));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    const QByteArray body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError) {
        rows.error =
            QStringLiteral("/sql: %1 %2").arg(reply->errorString(), QString::fromUtf8(body));
        return rows;
    }
    const QJsonArray results = QJsonDocument::fromJson(body).array();
    if (results.size() != 1) {
        rows.error = QStringLiteral("/sql: expected one result set");
        return rows;
    }
    const QJsonObject result = results.first().toObject();
    int textColumn = -1, senderColumn = -1, i = 0;
    for (const QJsonValue &e : result.value(QStringLiteral("schema"))
                                   .toObject()
                                   .value(QStringLiteral("elements"))
                                   .toArray()) {
        const QString name = e.toObject()
                                 .value(QStringLiteral("name"))
                                 .toObject()
                                 .value(QStringLiteral("some"))
                                 .toString();
        if (name == u"text")
            textColumn = i;
        else if (name == u"sender")
            senderColumn = i;
        ++i;
    }
    if (textColumn < 0 || senderColumn < 0) {
        rows.error = QStringLiteral("/sql: no text/sender column in the result schema");
        return rows;
    }
    for (const QJsonValue &rowValue : result.value(QStringLiteral("rows")).toArray()) {
        const QJsonArray row = rowValue.toArray();
        ++rows.total;
        ParsedText p;
        bool malformed = false;
        if (!parseMessageText(row.at(textColumn).toString(), runId, &p, &malformed))
            continue;
        if (malformed) {
            ++rows.malformed;
            continue;
        }
        const quint64 key = (quint64(p.client) << 32) | quint64(p.seq);
        ++rows.count[key];
        const QJsonValue s = row.at(senderColumn);
        QString hex = (s.isArray() ? s.toArray().first().toString() : s.toString()).toLower();
        if (hex.startsWith(u"0x"))
            hex = hex.mid(2);
        rows.sender.insert(key, hex);
    }
    return rows;
}

QString line(const QString &label, const QString &value) {
    return QStringLiteral("%1 %2").arg(label, -34).arg(value);
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("spacetime-bench-hostload"));
    // A debug line per received message would be most of the work measured; QT_LOGGING_RULES
    // still wins over this.
    QLoggingCategory::setFilterRules(QStringLiteral("stdb.*.debug=false\nstdb.*.info=false"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Load benchmark for spacetime-chat-host: N SDK clients subscribed to `message`, each "
        "sending M messages/s for T seconds; prints latency and delivery figures and checks "
        "exactly-once delivery. Exit 0 = all checks passed, 1 = a check failed, 2 = no run."));
    parser.addHelpOption();
    const QCommandLineOption clientsOpt(QStringLiteral("clients"), QStringLiteral("Clients (50)."),
                                        QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption rateOpt(QStringLiteral("rate"),
                                     QStringLiteral("Messages per second per client (20)."),
                                     QStringLiteral("M"), QStringLiteral("20"));
    const QCommandLineOption secondsOpt(QStringLiteral("seconds"),
                                        QStringLiteral("Seconds of sending (30)."),
                                        QStringLiteral("T"), QStringLiteral("30"));
    const QCommandLineOption threadsOpt(
        QStringLiteral("threads"),
        QStringLiteral("Client threads; the clients are spread over them (2)."),
        QStringLiteral("K"), QStringLiteral("2"));
    const QCommandLineOption hostOpt(
        QStringLiteral("host"),
        QStringLiteral("The spacetime-chat-host to start (default: the one next to this program)."),
        QStringLiteral("PATH"));
    const QCommandLineOption urlOpt(
        QStringLiteral("url"),
        QStringLiteral("Use an already running host instead of starting one."),
        QStringLiteral("URL"));
    const QCommandLineOption databaseOpt(QStringLiteral("database"),
                                         QStringLiteral("Database name (quickstart-chat)."),
                                         QStringLiteral("NAME"), QStringLiteral("quickstart-chat"));
    const QCommandLineOption compressionOpt(
        QStringLiteral("compression"), QStringLiteral("gzip, brotli or none (gzip, the SDK's)."),
        QStringLiteral("C"), QStringLiteral("gzip"));
    const QCommandLineOption drainOpt(
        QStringLiteral("drain-timeout"),
        QStringLiteral("Seconds to wait after the last send for every delivery (60)."),
        QStringLiteral("S"), QStringLiteral("60"));
    parser.addOptions({clientsOpt, rateOpt, secondsOpt, threadsOpt, hostOpt, urlOpt, databaseOpt,
                       compressionOpt, drainOpt});
    parser.process(app);

    auto positive = [&](const QCommandLineOption &o, int max) {
        bool ok = false;
        const int v = parser.value(o).toInt(&ok);
        if (!ok || v < 1 || v > max) {
            err() << "spacetime-bench-hostload: --" << o.names().first() << " must be 1.." << max
                  << Qt::endl;
            std::exit(2);
        }
        return v;
    };
    const int clients = positive(clientsOpt, 5000);
    const int rate = positive(rateOpt, 1000);
    const int seconds = positive(secondsOpt, 3600);
    const int threads = std::min(positive(threadsOpt, 64), clients);
    const int drainSeconds = positive(drainOpt, 3600);
    const QString compressionName = parser.value(compressionOpt).toLower();
    stdb::Compression compression = stdb::Compression::Gzip;
    if (compressionName == u"brotli")
        compression = stdb::Compression::Brotli;
    else if (compressionName == u"none")
        compression = stdb::Compression::None;
    else if (compressionName != u"gzip") {
        err() << "spacetime-bench-hostload: --compression must be gzip, brotli or none" << Qt::endl;
        return 2;
    }
    if (parser.isSet(urlOpt) && parser.isSet(hostOpt)) {
        err() << "spacetime-bench-hostload: give --url or --host, not both" << Qt::endl;
        return 2;
    }

    HostLauncher host;
    QString url = parser.value(urlOpt);
    const bool ownHost = url.isEmpty();
    if (ownHost) {
        const QString exe =
            parser.isSet(hostOpt) ? parser.value(hostOpt) : HostLauncher::defaultExecutable();
        if (!host.start(exe, {QStringLiteral("--database"), parser.value(databaseOpt)})) {
            err() << "spacetime-bench-hostload: " << host.errorString() << Qt::endl;
            return 2;
        }
        url = host.url();
    }

    LoadParams params;
    params.url = url;
    params.database = parser.value(databaseOpt);
    params.runId = QString::number(QRandomGenerator::system()->generate(), 16);
    params.clients = clients;
    params.rate = rate;
    params.messages = rate * seconds;
    params.compression = int(compression);

    out() << "spacetime-bench-hostload: " << clients << " clients x " << rate << " msg/s x "
          << seconds << " s against " << url << (ownHost ? " (started here, :memory:)" : "")
          << Qt::endl
          << "  compression " << compressionName << ", " << threads << " client threads, run id "
          << params.runId << Qt::endl;

    // Clients spread over `threads` threads, each with its own event loop.
    std::vector<std::unique_ptr<QThread>> workers;
    std::vector<LoadGroup *> groups; // deleted at the end, after their threads have finished
    for (int t = 0, first = 0; t < threads; ++t) {
        const int count = clients / threads + (t < clients % threads ? 1 : 0);
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(QStringLiteral("hostload-%1").arg(t));
        auto *group = new LoadGroup(params, first, count);
        group->moveToThread(thread.get());
        thread->start();
        QMetaObject::invokeMethod(group, &LoadGroup::start, Qt::QueuedConnection);
        groups.push_back(group);
        workers.push_back(std::move(thread));
        first += count;
    }
    auto sum = [&](auto member) {
        qint64 total = 0;
        for (LoadGroup *g : groups)
            total += (g->*member).load();
        return total;
    };
    auto stopAll = [&] {
        for (LoadGroup *g : groups)
            QMetaObject::invokeMethod(g, &LoadGroup::shutdown, Qt::BlockingQueuedConnection);
        for (auto &w : workers) {
            w->quit();
            w->wait();
        }
    };

    QElapsedTimer phase;
    phase.start();
    const bool allReady = waitUntil(
        [&] { return sum(&LoadGroup::ready) + sum(&LoadGroup::failedClients) >= clients; }, 60000);
    const qint64 connectMs = phase.elapsed();
    if (!allReady || sum(&LoadGroup::failedClients) > 0) {
        err() << "spacetime-bench-hostload: only " << sum(&LoadGroup::ready) << " of " << clients
              << " clients connected and subscribed (" << sum(&LoadGroup::failedClients)
              << " failed) within 60 s" << Qt::endl;
        stopAll();
        qDeleteAll(groups);
        if (ownHost)
            err() << "host log (tail):\n" << QString::fromUtf8(host.logTail().right(4000));
        return 2;
    }
    out() << line(QStringLiteral("connect + subscribe (all)"),
                  QStringLiteral("%1 ms").arg(connectMs))
          << Qt::endl;

    const double hostCpuBefore = ownHost ? host.cpuSeconds() : -1;
    const double ownCpuBefore = ownCpuSeconds();
    const qint64 startNs = nowNs() + 100'000'000; // everyone starts on the same schedule
    for (LoadGroup *g : groups)
        QMetaObject::invokeMethod(
            g, [g, startNs] { g->beginSending(startNs); }, Qt::QueuedConnection);
    const qint64 expectedSends = qint64(clients) * params.messages;
    auto progress = [&] {
        err() << QStringLiteral("  t=%1s sent %2/%3, committed %4, delivered %5")
                     .arg((nowNs() - startNs) / 1'000'000'000)
                     .arg(sum(&LoadGroup::sent))
                     .arg(expectedSends)
                     .arg(sum(&LoadGroup::committed))
                     .arg(sum(&LoadGroup::delivered))
              << Qt::endl;
    };
    bool sendingFinished = waitUntil(
        [&] {
            return std::all_of(groups.begin(), groups.end(),
                               [](LoadGroup *g) { return g->sendingDone.load(); });
        },
        qint64(seconds) * 1000 + 60000, progress, 5000);
    const qint64 sendEndNs = nowNs();
    // Drain: every call answered and every committed row delivered to every client.
    const bool drained =
        sendingFinished &&
        waitUntil(
            [&] {
                return sum(&LoadGroup::resolved) == sum(&LoadGroup::sent) &&
                       sum(&LoadGroup::delivered) >= sum(&LoadGroup::committed) * clients;
            },
            qint64(drainSeconds) * 1000, progress, 5000);
    const qint64 drainMs = (nowNs() - sendEndNs) / 1'000'000;
    const double hostCpu = ownHost ? host.cpuSeconds() - hostCpuBefore : -1;
    const double ownCpu = ownCpuSeconds() - ownCpuBefore;
    const double sendSeconds = double(sendEndNs - startNs) / 1e9;

    stopAll();
    const HostRows hostRows = fetchHostRows(url, params.database, params.runId);

    // ---- gather ---------------------------------------------------------------------------
    std::vector<const ClientResult *> results;
    for (LoadGroup *g : groups)
        for (const auto &r : g->results())
            results.push_back(r.get());
    std::sort(results.begin(), results.end(),
              [](const ClientResult *a, const ClientResult *b) { return a->index < b->index; });

    qint64 nCommitted = 0, nFailed = 0, nUnknown = 0, nPending = 0;
    qint64 maxLagNs = 0;
    QString firstFailure;
    std::vector<qint64> roundTrip, ownRow, fanout;
    for (const ClientResult *r : results) {
        for (quint8 o : r->outcomes) {
            nCommitted += o == ClientResult::Committed;
            nFailed += o == ClientResult::Failed;
            nUnknown += o == ClientResult::Unknown;
            nPending += o == ClientResult::Pending;
        }
        maxLagNs = std::max(maxLagNs, r->maxSendLagNs);
        if (firstFailure.isEmpty())
            firstFailure = r->firstFailure;
        roundTrip.insert(roundTrip.end(), r->roundTripNs.begin(), r->roundTripNs.end());
        ownRow.insert(ownRow.end(), r->ownRowNs.begin(), r->ownRowNs.end());
        fanout.insert(fanout.end(), r->fanoutNs.begin(), r->fanoutNs.end());
    }
    const qint64 nSent = sum(&LoadGroup::sent);

    // ---- host side: every committed text stored exactly once, by its sender ---------------
    QStringList problems;
    qint64 hostMissing = 0, hostDuplicates = 0, hostUnexpected = 0, hostWrongSender = 0;
    if (!hostRows.error.isEmpty()) {
        problems << hostRows.error;
    } else {
        for (const ClientResult *r : results) {
            const QString hex = r->identity.toHex().toLower();
            for (int seq = 0; seq < params.messages; ++seq) {
                const quint64 key = (quint64(r->index) << 32) | quint64(seq);
                const int stored = hostRows.count.value(key);
                const quint8 o = r->outcomes[std::size_t(seq)];
                if (stored > 1)
                    hostDuplicates += stored - 1;
                if (o == ClientResult::Committed && stored == 0)
                    ++hostMissing;
                if ((o == ClientResult::Failed || o == ClientResult::Pending) && stored > 0)
                    ++hostUnexpected;
                if (stored > 0 && hostRows.sender.value(key) != hex)
                    ++hostWrongSender;
            }
        }
        for (auto it = hostRows.count.cbegin(); it != hostRows.count.cend(); ++it)
            if (int(it.key() >> 32) >= clients || int(it.key() & 0xffffffffu) >= params.messages)
                ++hostUnexpected;
        hostUnexpected += hostRows.malformed;
        if (hostMissing)
            problems << QStringLiteral("host: %1 committed messages missing").arg(hostMissing);
        if (hostDuplicates)
            problems << QStringLiteral("host: %1 duplicate rows").arg(hostDuplicates);
        if (hostUnexpected)
            problems << QStringLiteral("host: %1 rows that should not exist").arg(hostUnexpected);
        if (hostWrongSender)
            problems << QStringLiteral("host: %1 rows with the wrong sender").arg(hostWrongSender);
    }

    // ---- client side: each client saw every stored row exactly once ------------------------
    const qint64 expectedPerClient = qint64(hostRows.count.size());
    qint64 clientMissing = 0, clientDuplicates = 0, clientUnexpected = 0;
    qint64 minDelivered = std::numeric_limits<qint64>::max(), maxDelivered = 0, sumDelivered = 0;
    for (const ClientResult *r : results) {
        minDelivered = std::min(minDelivered, r->delivered);
        maxDelivered = std::max(maxDelivered, r->delivered);
        sumDelivered += r->delivered;
        clientDuplicates += r->duplicates;
        clientUnexpected += r->malformed;
        for (auto it = hostRows.count.cbegin(); it != hostRows.count.cend(); ++it)
            if (!r->seen.contains(it.key()))
                ++clientMissing;
        for (auto it = r->seen.cbegin(); it != r->seen.cend(); ++it)
            if (!hostRows.count.contains(it.key()))
                ++clientUnexpected;
    }
    if (clientMissing)
        problems << QStringLiteral("clients: %1 (client, message) deliveries missing")
                        .arg(clientMissing);
    if (clientDuplicates)
        problems
            << QStringLiteral("clients: %1 messages seen more than once").arg(clientDuplicates);
    if (clientUnexpected)
        problems << QStringLiteral("clients: %1 rows not on the host").arg(clientUnexpected);
    if (nCommitted != nSent)
        problems << QStringLiteral("%1 of %2 calls did not commit (%3 errors, %4 unknown, %5 "
                                   "unanswered)%6")
                        .arg(nSent - nCommitted)
                        .arg(nSent)
                        .arg(nFailed)
                        .arg(nUnknown)
                        .arg(nPending)
                        .arg(firstFailure.isEmpty() ? QString()
                                                    : QStringLiteral("; first: ") + firstFailure);
    if (nSent != expectedSends)
        problems
            << QStringLiteral("sent %1 of %2 scheduled messages").arg(nSent).arg(expectedSends);
    if (!drained)
        problems << QStringLiteral("not everything was delivered within the drain timeout");

    // ---- report ----------------------------------------------------------------------------
    out() << line(QStringLiteral("messages sent"),
                  QStringLiteral("%1 (committed %2, errors %3, unknown %4, unanswered %5)")
                      .arg(nSent)
                      .arg(nCommitted)
                      .arg(nFailed)
                      .arg(nUnknown)
                      .arg(nPending))
          << '\n'
          << line(QStringLiteral("send rate achieved"),
                  QStringLiteral("%1 msg/s over %2 s (schedule %3 msg/s); max send lag %4 ms")
                      .arg(double(nSent) / sendSeconds, 0, 'f', 1)
                      .arg(sendSeconds, 0, 'f', 2)
                      .arg(qint64(clients) * rate)
                      .arg(double(maxLagNs) / 1e6, 0, 'f', 1))
          << '\n'
          << line(QStringLiteral("drain after the last send"), QStringLiteral("%1 ms").arg(drainMs))
          << '\n'
          << line(
                 QStringLiteral("rows delivered to clients"),
                 QStringLiteral("%1 (%2/s)")
                     .arg(sumDelivered)
                     .arg(double(sumDelivered) / (sendSeconds + double(drainMs) / 1000), 0, 'f', 0))
          << "\n\n";
    out() << latencyHeader() << '\n'
          << latencyRow(QStringLiteral("reducer round trip"), summarize(roundTrip)) << '\n'
          << latencyRow(QStringLiteral("send -> own row (sender)"), summarize(ownRow)) << '\n'
          << latencyRow(QStringLiteral("send -> row at other clients"), summarize(fanout))
          << "\n\n";
    out() << line(QStringLiteral("delivered per client"),
                  QStringLiteral("min %1, avg %2, max %3 (expected %4 each)")
                      .arg(minDelivered)
                      .arg(double(sumDelivered) / double(results.size()), 0, 'f', 1)
                      .arg(maxDelivered)
                      .arg(expectedPerClient))
          << '\n'
          << line(QStringLiteral("host rows of this run"),
                  QStringLiteral("%1 (message table: %2 rows); missing %3, duplicates %4, "
                                 "unexpected %5, wrong sender %6")
                      .arg(hostRows.count.size())
                      .arg(hostRows.total)
                      .arg(hostMissing)
                      .arg(hostDuplicates)
                      .arg(hostUnexpected)
                      .arg(hostWrongSender))
          << '\n'
          << line(QStringLiteral("client deliveries"),
                  QStringLiteral("missing %1, duplicates %2, unexpected %3")
                      .arg(clientMissing)
                      .arg(clientDuplicates)
                      .arg(clientUnexpected))
          << '\n';
    const double wall = sendSeconds + double(drainMs) / 1000;
    if (hostCpu >= 0)
        out() << line(QStringLiteral("host CPU (send + drain)"),
                      QStringLiteral("%1 s (%2% of one core)")
                          .arg(hostCpu, 0, 'f', 1)
                          .arg(100 * hostCpu / wall, 0, 'f', 0))
              << '\n';
    if (ownCpu >= 0)
        out() << line(QStringLiteral("client process CPU (send + drain)"),
                      QStringLiteral("%1 s (%2% of one core)")
                          .arg(ownCpu, 0, 'f', 1)
                          .arg(100 * ownCpu / wall, 0, 'f', 0))
              << '\n';
    if (problems.isEmpty()) {
        out() << line(QStringLiteral("exactly once"),
                      QStringLiteral("OK: every message stored once and seen once by every client"))
              << Qt::endl;
    } else {
        out() << line(QStringLiteral("exactly once"), QStringLiteral("FAILED")) << '\n';
        for (const QString &p : problems)
            out() << "  - " << p << '\n';
        out().flush();
    }
    if (ownHost)
        host.stop();
    qDeleteAll(groups);
    return problems.isEmpty() ? 0 : 1;
}
