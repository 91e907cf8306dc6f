// SPDX-License-Identifier: Apache-2.0
// `spacetime-bench roundtrip`: reducer call → ReducerResult round trips over loopback against
// the local development host (spacetime-chat-host), one call at a time, with the quickstart
// tables subscribed (so each send_message also comes back as a cached row).

#include "benchcommand.h"
#include "benchsupport.h"

#include "quickstart_chat/messagetable.h"
#include "quickstart_chat/reducers.h"
#include "quickstart_chat/usertable.h"
#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/dbconnectionbuilder.h"
#include "spacetime/connection/subscriptionbuilder.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTimer>

namespace stdb::bench {

namespace {

using namespace Qt::StringLiterals;

int runRoundtrip(const QStringList &arguments) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Reducer round trips (send_message → ReducerResult) against spacetime-chat-host on\n"
        "loopback; prints p50/p99. Starts the host itself unless --uri is given."));
    p.addHelpOption();
    const QCommandLineOption callsOpt(u"calls"_s, u"Calls (default 2000)."_s, u"N"_s, u"2000"_s);
    const QCommandLineOption hostOpt(u"host"_s, u"spacetime-chat-host to start."_s, u"PATH"_s);
    const QCommandLineOption uriOpt(u"uri"_s, u"Use this running host instead."_s, u"URI"_s);
    p.addOptions({callsOpt, hostOpt, uriOpt});
    p.process(QStringList{u"spacetime-bench roundtrip"_s} + arguments);
    QTextStream out(stdout);
    const int calls = std::max(1, p.value(callsOpt).toInt());

    QProcess host;
    auto stopHost = qScopeGuard([&] {
        if (host.state() != QProcess::NotRunning) {
            host.terminate();
            if (!host.waitForFinished(3000))
                host.kill();
            host.waitForFinished(3000);
        }
    });
    QString uri = p.value(uriOpt);
    if (uri.isEmpty()) {
        QString program = p.value(hostOpt);
        if (program.isEmpty())
            program =
                QDir(QCoreApplication::applicationDirPath()).filePath(u"spacetime-chat-host"_s);
        if (!QFileInfo::exists(program)) {
            out << "no host at " << program << " (build spacetime-chat-host or pass --host)\n";
            return 1;
        }
        host.setProcessChannelMode(QProcess::SeparateChannels);
        host.start(program, {u"--listen"_s, u"127.0.0.1:0"_s, u"--data"_s, u":memory:"_s});
        static const QRegularExpression listening(u"listening on (http://\\S+)"_s);
        QByteArray seen;
        while (host.waitForReadyRead(10000)) {
            seen += host.readAllStandardOutput();
            const auto match = listening.match(QString::fromUtf8(seen));
            if (match.hasMatch()) {
                uri = match.captured(1);
                break;
            }
        }
        if (uri.isEmpty()) {
            out << "the host did not start: " << seen << host.readAllStandardError() << '\n';
            return 1;
        }
    }

    auto built = DbConnectionBuilder()
                     .withUri(uri)
                     .withDatabaseName(u"quickstart-chat"_s)
                     .withCompression(Compression::None)
                     .build();
    if (!built) {
        out << built.error().toString() << '\n';
        return 1;
    }
    std::unique_ptr<DbConnection> conn(*built);
    auto *messages = new quickstart_chat::MessageTable(conn.get());
    new quickstart_chat::UserTable(conn.get());
    quickstart_chat::Reducers reducers(conn.get());
    QEventLoop loop;
    bool applied = false;
    conn->subscriptionBuilder()
        .onApplied([&](const EventContext &) {
            applied = true;
            loop.quit();
        })
        .subscribeToAllTables();
    QObject::connect(conn.get(), &DbConnection::connectError, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    if (!applied) {
        out << "could not connect and subscribe to " << uri << ": " << conn->lastError().toString()
            << '\n';
        return 1;
    }

    QList<qint64> ns;
    ns.reserve(calls);
    int failed = 0;
    QElapsedTimer total;
    total.start();
    for (int i = 0; i < calls; ++i) {
        QElapsedTimer t;
        t.start();
        bool done = false;
        auto id = reducers.sendMessage(u"round trip %1"_s.arg(i), [&](const ReducerOutcome &o) {
            ns.append(t.nsecsElapsed());
            failed += o.isCommitted() ? 0 : 1;
            done = true;
            loop.quit();
        });
        if (!id) {
            out << "call failed: " << id.error().toString() << '\n';
            return 1;
        }
        if (!done)
            loop.exec();
    }
    const double totalMs = double(total.nsecsElapsed()) / 1e6;
    auto ms = [](qint64 v) { return double(v) / 1e6; };
    out << u"roundtrip: %1 send_message calls against %2 (%3 failed, %4 rows cached)\n"_s.arg(calls)
               .arg(uri)
               .arg(failed)
               .arg(messages->count());
    out << u"  p50 %1 ms, p90 %2 ms, p99 %3 ms, max %4 ms; %5 calls/s one at a time\n"_s
               .arg(ms(percentile(ns, 50)), 0, 'f', 3)
               .arg(ms(percentile(ns, 90)), 0, 'f', 3)
               .arg(ms(percentile(ns, 99)), 0, 'f', 3)
               .arg(ms(percentile(ns, 100)), 0, 'f', 3)
               .arg(double(calls) / totalMs * 1000.0, 0, 'f', 0);
    return failed == 0 ? 0 : 1;
}

const BenchCommandRegistration registration{
    {u"roundtrip"_s, u"reducer round trip p50/p99 against the local host"_s, runRoundtrip}};

} // namespace

} // namespace stdb::bench
