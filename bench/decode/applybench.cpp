// SPDX-License-Identifier: Apache-2.0
// `spacetime-bench apply`: decode + cache apply of quickstart-chat server messages in our SDK
// (typed rows through the generated bindings' tables, row callbacks registered), next to the
// official TypeScript SDK applying the identical bytes in the same run (ts-apply.mjs).
//
// Each case runs in a fresh child process (`apply --child FILE`), so the first run is really
// cold and the peak RSS belongs to that case alone; the TypeScript SDK runs in its own Node
// process on the same file.

#include "benchcommand.h"
#include "benchdata.h"
#include "benchsupport.h"

#include "quickstart_chat/messagetable.h"
#include "quickstart_chat/usertable.h"
#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/dbconnectionbuilder.h"
#include "spacetime/connection/framedecoder.h"
#include "spacetime/protocol/messagecodec.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <limits>
#include <memory>

#include <sys/resource.h>

#ifndef STDB_BENCH_SOURCE_DIR
#define STDB_BENCH_SOURCE_DIR "."
#endif

namespace stdb::bench {

namespace {

using namespace protocol;
using namespace Qt::StringLiterals;

// The generated tables with dispatch() reachable: the bench plays the connection's part of
// handing each applied delta to the table's typed signals.
class BenchMessageTable : public quickstart_chat::MessageTable {
public:
    using MessageTable::dispatch;
    using MessageTable::MessageTable;
};
class BenchUserTable : public quickstart_chat::UserTable {
public:
    using UserTable::dispatch;
    using UserTable::UserTable;
};

struct Applier {
    std::unique_ptr<DbConnection> conn;
    BenchMessageTable *messages = nullptr;
    BenchUserTable *users = nullptr;
    qint64 callbackRows = 0;
    qint64 textUnits = 0;    // reads each decoded row, so the decoding is real work
    qint64 ownerNs = 0;      // the part that runs on the connection's thread: adopt + callbacks
    qint64 ownerCpuNs = 0;   // the same in CPU time (steadier than wall time on a busy machine)
    qint64 prepareCpuNs = 0; // the decoder thread's share: building the tables

    Applier() {
        // Never connected: the event loop does not run while the bench applies, so the
        // connection only serves as the owner of the cache and the table handles.
        auto built = DbConnectionBuilder()
                         .withUri(u"http://127.0.0.1:9"_s)
                         .withDatabaseName(u"quickstart-chat"_s)
                         .build();
        if (!built)
            qFatal("cannot build the connection: %s", qPrintable(built.error().toString()));
        conn.reset(*built);
        messages = new BenchMessageTable(conn.get());
        users = new BenchUserTable(conn.get());
        QObject::connect(messages, &quickstart_chat::MessageTable::rowInserted,
                         [this](const quickstart_chat::Message &row, const EventContext &) {
                             ++callbackRows;
                             textUnits += row.text.size();
                         });
        QObject::connect(
            users, &quickstart_chat::UserTable::rowInserted,
            [this](const quickstart_chat::User &, const EventContext &) { ++callbackRows; });
    }

    void report(const CacheChanges &changes, const EventContext &ctx) {
        for (const TableDelta &d : changes.tables) {
            if (d.table->name() == u"message")
                messages->dispatch(d, ctx);
            else if (d.table->name() == u"user")
                users->dispatch(d, ctx);
        }
    }

    // One frame as the connection handles it: decode, apply, typed callbacks.
    bool apply(const QByteArray &frame, QString &error) {
        auto decoded = FrameDecoder::decode(frame, false, {});
        if (!decoded) {
            error = decoded.error().toString();
            return false;
        }
        for (const ServerMessage &m : decoded->messages) {
            if (const auto *sa = std::get_if<SubscribeApplied>(&m)) {
                // As the connection does it: tables built where the frame is decoded (its
                // worker thread), adopted on the owner thread.
                const qint64 prepareCpu = threadCpuNs();
                const auto prepared = ClientCache::prepare(*conn->cache().layout(), sa->querySetId,
                                                           sa->rows, FrameDecoder::kPrepareMinRows);
                prepareCpuNs += threadCpuNs() - prepareCpu;
                QElapsedTimer owner;
                owner.start();
                const qint64 ownerCpu = threadCpuNs();
                CacheChanges c =
                    conn->cache().applySubscribeApplied(sa->querySetId, sa->rows, prepared.get());
                report(c, EventContext::subscribeApplied(conn.get(), SubscriptionHandle(),
                                                         sa->querySetId));
                ownerNs += owner.nsecsElapsed();
                ownerCpuNs += threadCpuNs() - ownerCpu;
            } else if (const auto *tu = std::get_if<TransactionUpdate>(&m)) {
                CacheChanges c = conn->cache().applyTransaction(*tu);
                report(c, EventContext::transaction(conn.get()));
            } else {
                error = u"the bench applies only SubscribeApplied and TransactionUpdate"_s;
                return false;
            }
        }
        return true;
    }

    qint64 cachedRows() const { return messages->count() + users->count(); }
    qint64 retainedBytes() const {
        qint64 n = 0;
        for (const TableCache *t : conn->cache().tables())
            n += t->retainedBytes();
        return n;
    }
};

// Minor page faults of this process so far: on virtual machines each costs microseconds, so
// memory that is freshly touched on every run shows up in the figures.
qint64 minorFaults() {
    rusage u{};
    return getrusage(RUSAGE_SELF, &u) == 0 ? qint64(u.ru_minflt) : 0;
}

// Child: applies the frames of `file` `runs` times, each time into an empty cache.
int runChild(const QString &file, int runs) {
    QTextStream err(stderr);
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        err << "cannot read " << file << '\n';
        return 1;
    }
    bool ok = false;
    QList<QByteArray> frames = unpackFrames(f.readAll(), &ok);
    f.close();
    if (!ok || frames.isEmpty()) {
        err << file << ": not a frames file\n";
        return 1;
    }
    Applier a;
    QJsonObject out;
    double best = 1e300, bestTx = 1e300;
    double bestCpu = 1e300, bestOwnerCpu = 1e300, bestPrepareCpu = 1e300, bestTxCpu = 1e300;
    double bestProcCpu = 1e300;
    qint64 fewestFaults = std::numeric_limits<qint64>::max();
    for (int run = 0; run < runs; ++run) {
        a.conn->cache().clear();
        a.callbackRows = 0;
        a.ownerNs = 0;
        a.ownerCpuNs = 0;
        a.prepareCpuNs = 0;
        const qint64 faultsBefore = minorFaults();
        const qint64 rssBefore = currentRssBytes();
        const qint64 heapBefore = heapInUseBytes();
        QElapsedTimer t;
        const qint64 procCpu = processUsage().cpuNs;
        t.start();
        qint64 cpu = threadCpuNs();
        QString error;
        if (!a.apply(frames[0], error)) {
            err << "apply failed: " << error << '\n';
            return 1;
        }
        const double snapMs = double(t.nsecsElapsed()) / 1e6;
        const double snapCpuMs = double(threadCpuNs() - cpu) / 1e6;
        // All threads, as ts-apply.mjs measures Node (whose GC runs on helper threads).
        const double snapProcCpuMs = double(processUsage().cpuNs - procCpu) / 1e6;
        const qint64 snapFaults = minorFaults() - faultsBefore;
        const qint64 snapRows = a.callbackRows;
        const double ownerMs = double(a.ownerNs) / 1e6;
        const qint64 rssAfterSnapshot = currentRssBytes();
        const qint64 heapAfterSnapshot = heapInUseBytes();
        const qint64 retained = a.retainedBytes();
        t.restart();
        cpu = threadCpuNs();
        for (qsizetype i = 1; i < frames.size(); ++i)
            if (!a.apply(frames[i], error)) {
                err << "apply failed: " << error << '\n';
                return 1;
            }
        const double txMs = double(t.nsecsElapsed()) / 1e6;
        const double txCpuMs = double(threadCpuNs() - cpu) / 1e6;
        if (run == 0) {
            out[u"cold_ms"_s] = snapMs;
            out[u"owner_cold_ms"_s] = ownerMs;
            out[u"tx_cold_ms"_s] = txMs;
            out[u"cpu_cold_ms"_s] = snapCpuMs;
            out[u"proc_cpu_cold_ms"_s] = snapProcCpuMs;
            out[u"owner_cpu_cold_ms"_s] = double(a.ownerCpuNs) / 1e6;
            out[u"faults_cold"_s] = snapFaults;
            out[u"snapshot_rows"_s] = snapRows;
            out[u"tx_rows"_s] = a.callbackRows - snapRows;
            out[u"cached_rows"_s] = a.cachedRows();
            // What the cache holds: the retained frame buffer plus what it allocated and still
            // holds (heap in use; RSS growth also counts freed memory malloc kept).
            out[u"cache_mb"_s] = double(retained + heapAfterSnapshot - heapBefore) / 1048576.0;
            out[u"cache_rss_mb"_s] = double(retained + rssAfterSnapshot - rssBefore) / 1048576.0;
            out[u"snapshot_bytes"_s] = frames[0].size();
        } else {
            // Warm figures of the fastest run; CPU figures are the least of all warm runs.
            if (snapMs < best)
                out[u"owner_warm_ms"_s] = ownerMs;
            best = std::min(best, snapMs);
            bestTx = std::min(bestTx, txMs);
            bestCpu = std::min(bestCpu, snapCpuMs);
            bestProcCpu = std::min(bestProcCpu, snapProcCpuMs);
            bestOwnerCpu = std::min(bestOwnerCpu, double(a.ownerCpuNs) / 1e6);
            bestPrepareCpu = std::min(bestPrepareCpu, double(a.prepareCpuNs) / 1e6);
            bestTxCpu = std::min(bestTxCpu, txCpuMs);
            fewestFaults = std::min(fewestFaults, snapFaults);
        }
    }
    if (runs > 1) {
        out[u"warm_ms"_s] = best;
        out[u"tx_warm_ms"_s] = bestTx;
        out[u"cpu_warm_ms"_s] = bestCpu;
        out[u"proc_cpu_warm_ms"_s] = bestProcCpu;
        out[u"owner_cpu_warm_ms"_s] = bestOwnerCpu;
        out[u"prepare_cpu_warm_ms"_s] = bestPrepareCpu;
        out[u"tx_cpu_warm_ms"_s] = bestTxCpu;
        out[u"faults_warm"_s] = fewestFaults;
    }
    out[u"peak_rss_mb"_s] = double(peakRssBytes()) / 1048576.0;
    QTextStream(stdout) << QJsonDocument(out).toJson(QJsonDocument::Compact) << '\n';
    return 0;
}

// Runs a program and returns the last line of its output parsed as a JSON object.
QJsonObject runJson(const QString &program, const QStringList &args, QString &error) {
    QProcess p;
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.start(program, args);
    if (!p.waitForStarted(10000)) {
        error = program + u": "_s + p.errorString();
        return {};
    }
    p.waitForFinished(30 * 60 * 1000);
    const QByteArray out = p.readAllStandardOutput().trimmed();
    const QByteArray errText = p.readAllStandardError().trimmed();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        error = u"%1 failed (exit %2): %3"_s.arg(program)
                    .arg(p.exitCode())
                    .arg(QString::fromUtf8(errText.right(2000)));
        return {};
    }
    const QByteArray last = out.mid(out.lastIndexOf('\n') + 1);
    const QJsonDocument doc = QJsonDocument::fromJson(last);
    if (!doc.isObject())
        error = u"%1 printed no JSON: %2"_s.arg(program, QString::fromUtf8(out.right(500)));
    return doc.object();
}

QByteArray snapshotFrame(int messages, int users) {
    SubscribeApplied m;
    m.requestId = 1;
    m.querySetId = 1;
    m.rows.tables.append({u"message"_s, RowList::fromRows(quickstartMessageRows(messages))});
    if (users > 0)
        m.rows.tables.append({u"user"_s, RowList::fromRows(quickstartUserRows(users))});
    return encodeServerFrame(encodeServerMessage(m), Compression::None);
}

// `count` live transactions of `perTx` new messages each, continuing after row `first`.
QList<QByteArray> transactionFrames(int first, int count, int perTx) {
    QList<QByteArray> out;
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
        TransactionUpdate tu;
        PersistentTableRows rows;
        rows.inserts = RowList::fromRows(quickstartMessageRows(perTx, first + i * perTx));
        TableUpdate t{u"message"_s, {TableUpdateRows(std::move(rows))}};
        tu.querySets.append(QuerySetUpdate{1, {std::move(t)}});
        out.append(encodeServerFrame(encodeServerMessage(tu), Compression::None));
    }
    return out;
}

struct Row {
    QString name;
    qint64 bytes = 0, rows = 0, txFrames = 0, txRows = 0;
    int pairs = 0;       // process pairs (ours, TypeScript) the figures are medians of
    QJsonObject cpp, ts; // per figure: the median over the processes
    QJsonObject ratio;   // TS / ours per pair: {"warm": {median, min, max, n}, ...}
    QString loadStart, loadEnd;
};

// The three load averages (1, 5, 15 min), for the record: other work on the machine shows up
// in wall times, and the lead compares runs by it.
QString loadAverage() {
    QFile f(u"/proc/loadavg"_s);
    if (!f.open(QIODevice::ReadOnly))
        return u"?"_s;
    return QString::fromLatin1(f.readLine()).section(u' ', 0, 2);
}

// Median (the mean of the middle two for an even count); -1 for an empty sample.
double median(QList<double> v) {
    if (v.isEmpty())
        return -1;
    std::sort(v.begin(), v.end());
    const qsizetype n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The figures whose spread over the processes is printed and written (KEY_min, KEY_max).
const QStringList kSpreadKeys{u"cold_ms"_s, u"warm_ms"_s, u"proc_cpu_cold_ms"_s,
                              u"proc_cpu_warm_ms"_s, u"tx_warm_ms"_s};

// One side's processes as one object: every number the median over the processes, the spread
// of the headline figures, other values from the first process.
QJsonObject summarize(const QList<QJsonObject> &runs) {
    if (runs.isEmpty())
        return {};
    QJsonObject out = runs.first();
    for (const QString &key : runs.first().keys()) {
        if (!runs.first().value(key).isDouble())
            continue;
        QList<double> v;
        for (const QJsonObject &r : runs)
            if (r.value(key).isDouble())
                v.append(r.value(key).toDouble());
        out[key] = median(v);
        if (kSpreadKeys.contains(key)) {
            out[key + u"_min"_s] = *std::min_element(v.begin(), v.end());
            out[key + u"_max"_s] = *std::max_element(v.begin(), v.end());
        }
    }
    out[u"processes"_s] = int(runs.size());
    return out;
}

// TS / ours for `key` in every pair where both have it: median, least and greatest. The pairs
// ran back to back, so load that hits one hits the other, and the ratio of a pair is steadier
// than the ratio of two medians.
QJsonObject pairedRatio(const QList<QJsonObject> &cpp, const QList<QJsonObject> &ts,
                        const QString &key) {
    QList<double> v;
    for (qsizetype i = 0; i < std::min(cpp.size(), ts.size()); ++i) {
        const double ours = cpp[i].value(key).toDouble(-1), theirs = ts[i].value(key).toDouble(-1);
        if (ours > 0 && theirs > 0)
            v.append(theirs / ours);
    }
    if (v.isEmpty())
        return {};
    return QJsonObject{{u"median"_s, median(v)},
                       {u"min"_s, *std::min_element(v.begin(), v.end())},
                       {u"max"_s, *std::max_element(v.begin(), v.end())},
                       {u"n"_s, int(v.size())}};
}

double num(const QJsonObject &o, const QString &k) {
    return o.value(k).toDouble(-1);
}

QString fmt(double v, int prec = 1) {
    return v < 0 ? u"-"_s : QString::number(v, 'f', prec);
}

// "  18.9 (18.1–20.3)": the median and the range over the processes.
QString spread(const QJsonObject &o, const QString &key) {
    if (!o.value(key).isDouble())
        return u"-"_s;
    return u"%1 (%2–%3)"_s.arg(fmt(num(o, key)), fmt(num(o, key + u"_min"_s)),
                               fmt(num(o, key + u"_max"_s)));
}

QString ratioSpread(const QJsonObject &ratio, const QString &key) {
    const QJsonObject o = ratio.value(key).toObject();
    if (o.isEmpty())
        return u"-"_s;
    return u"%1× (%2–%3)"_s.arg(fmt(num(o, u"median"_s)), fmt(num(o, u"min"_s)),
                                fmt(num(o, u"max"_s)));
}

QString spreadLine(const Row &r) {
    QString s = u"  %1 process pair(s), load %2 → %3\n"_s.arg(r.pairs).arg(r.loadStart, r.loadEnd);
    s += u"    C++ ms  cold %1  warm %2  CPU cold %3  CPU warm %4\n"_s.arg(
        spread(r.cpp, u"cold_ms"_s), spread(r.cpp, u"warm_ms"_s),
        spread(r.cpp, u"proc_cpu_cold_ms"_s), spread(r.cpp, u"proc_cpu_warm_ms"_s));
    if (!r.ts.isEmpty()) {
        s += u"    TS ms   cold %1  warm %2  CPU cold %3  CPU warm %4\n"_s.arg(
            spread(r.ts, u"cold_ms"_s), spread(r.ts, u"warm_ms"_s),
            spread(r.ts, u"proc_cpu_cold_ms"_s), spread(r.ts, u"proc_cpu_warm_ms"_s));
        s += u"    TS / C++  cold %1  warm %2  CPU warm %3\n"_s.arg(
            ratioSpread(r.ratio, u"cold"_s), ratioSpread(r.ratio, u"warm"_s),
            ratioSpread(r.ratio, u"warm_cpu"_s));
    }
    return s;
}

void printTable(QTextStream &out, const QList<Row> &rows) {
    out << u"%1 %2 %3 | %4 %5 %6 | %7 %8 %9 | %10 %11 | %12 %13 | %14 %15\n"_s.arg(u"case"_s, -12)
               .arg(u"payload MB"_s, 10)
               .arg(u"rows"_s, 8)
               .arg(u"C++ cold"_s, 9)
               .arg(u"C++ warm"_s, 9)
               .arg(u"Mrows/s"_s, 7)
               .arg(u"TS cold"_s, 8)
               .arg(u"TS warm"_s, 8)
               .arg(u"Mrows/s"_s, 7)
               .arg(u"× cold"_s, 7)
               .arg(u"× warm"_s, 7)
               .arg(u"C++ cache"_s, 13)
               .arg(u"TS heap"_s, 13)
               .arg(u"C++ peak"_s, 8)
               .arg(u"TS peak"_s, 8);
    for (const Row &r : rows) {
        const double mb = double(r.bytes) / 1048576.0;
        auto mem = [&](double v) {
            return v < 0 ? u"-"_s : u"%1 MB %2×"_s.arg(v, 0, 'f', 0).arg(v / mb, 0, 'f', 2);
        };
        const double cc = num(r.cpp, u"cold_ms"_s), cw = num(r.cpp, u"warm_ms"_s);
        const double tc = num(r.ts, u"cold_ms"_s), tw = num(r.ts, u"warm_ms"_s);
        auto rate = [&](double ms) { return ms > 0 ? double(r.rows) / 1e3 / ms : -1; };
        auto ratio = [](double ours, double theirs) {
            return ours > 0 && theirs > 0 ? theirs / ours : -1;
        };
        auto paired = [&](const QString &key, double ours, double theirs) {
            const QJsonObject o = r.ratio.value(key).toObject();
            return o.isEmpty() ? ratio(ours, theirs) : o.value(u"median"_s).toDouble(-1);
        };
        out << u"%1 %2 %3 | %4 %5 %6 | %7 %8 %9 | %10 %11 | %12 %13 | %14 %15\n"_s.arg(r.name, -12)
                   .arg(mb, 10, 'f', 1)
                   .arg(r.rows, 8)
                   .arg(fmt(cc), 9)
                   .arg(fmt(cw), 9)
                   .arg(fmt(rate(cw > 0 ? cw : cc), 2), 7)
                   .arg(fmt(tc), 8)
                   .arg(fmt(tw), 8)
                   .arg(fmt(rate(tw > 0 ? tw : tc), 2), 7)
                   .arg(fmt(paired(u"cold"_s, cc, tc)), 7)
                   .arg(fmt(paired(u"warm"_s, cw, tw)), 7)
                   .arg(mem(num(r.cpp, u"cache_mb"_s)), 13)
                   .arg(mem(num(r.ts, u"heap_retained_mb"_s)), 13)
                   .arg(fmt(num(r.cpp, u"peak_rss_mb"_s), 0), 8)
                   .arg(fmt(num(r.ts, u"peak_rss_mb"_s), 0), 8);
        if (r.txFrames > 0) {
            const double ctc = num(r.cpp, u"tx_cold_ms"_s), ctw = num(r.cpp, u"tx_warm_ms"_s);
            const double ttc = num(r.ts, u"tx_cold_ms"_s), ttw = num(r.ts, u"tx_warm_ms"_s);
            auto txRate = [&](double ms) { return ms > 0 ? double(r.txRows) / 1e3 / ms : -1; };
            out << u"%1 %2 %3 | %4 %5 %6 | %7 %8 %9 | %10 %11 |  (%12 TransactionUpdates "
                   "applied on top)\n"_s.arg(u"  +tx"_s, -12)
                       .arg(u""_s, 10)
                       .arg(r.txRows, 8)
                       .arg(fmt(ctc), 9)
                       .arg(fmt(ctw), 9)
                       .arg(fmt(txRate(ctw > 0 ? ctw : ctc), 2), 7)
                       .arg(fmt(ttc), 8)
                       .arg(fmt(ttw), 8)
                       .arg(fmt(txRate(ttw > 0 ? ttw : ttc), 2), 7)
                       .arg(fmt(ratio(ctc, ttc)), 7)
                       .arg(fmt(ratio(ctw, ttw)), 7)
                       .arg(r.txFrames);
        }
        out << spreadLine(r);
    }
    out << "\nms: decode + apply + typed row callbacks of the snapshot frame (cold = first run "
           "in a fresh process,\nwarm = best later run in that process); each figure is the "
           "median over the processes,\nours and the TypeScript SDK's alternating; × = "
           "TypeScript ms / C++ ms, the median of the\npairs' ratios. C++ cache = retained "
           "frame buffers + C heap still in use after the apply; TS\nheap = JS heap + external "
           "growth (after GC); × payload (target ≤ 3). peak = peak RSS of\neach process in MB. "
           "CPU = user + system time of the whole process during the snapshot.\n";
    out.flush();
}

int runApply(const QStringList &arguments) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Decode + cache apply of a quickstart-chat SubscribeApplied (N `message` rows plus\n"
        "`user` rows) and of live TransactionUpdates, in our SDK and in the official\n"
        "TypeScript SDK on the same bytes (node and tests/interop/node_modules needed)."));
    p.addHelpOption();
    const QCommandLineOption rowsOpt(u"rows"_s, u"Only this many message rows."_s, u"N"_s);
    const QCommandLineOption usersOpt(u"users"_s, u"User rows (default 1000)."_s, u"N"_s,
                                      u"1000"_s);
    const QCommandLineOption txOpt(u"tx"_s, u"Live TransactionUpdates after the snapshot."_s,
                                   u"N"_s, u"1000"_s);
    const QCommandLineOption txRowsOpt(u"tx-rows"_s, u"Message rows per transaction."_s, u"K"_s,
                                       u"10"_s);
    const QCommandLineOption frameOpt(
        u"frame"_s, u"Apply this quickstart-chat server frame instead (tag byte first)."_s,
        u"FILE"_s);
    const QCommandLineOption runsOpt(u"runs"_s, u"Runs per case (first cold; default 4)."_s, u"R"_s,
                                     u"4"_s);
    const QCommandLineOption repsOpt(
        u"reps"_s,
        u"Process pairs per case, ours and the TypeScript SDK's alternating; figures are "
        "medians over them (default 5)."_s,
        u"P"_s);
    const QCommandLineOption noTsOpt(u"no-ts"_s, u"Skip the TypeScript SDK."_s);
    const QCommandLineOption jsonOpt(u"json"_s, u"One JSON object per case."_s);
    const QCommandLineOption childOpt(u"child"_s, u"(internal) apply a frames file."_s, u"FILE"_s);
    const QCommandLineOption cppProgramOpt(
        u"cpp-program"_s,
        u"Our side runs this spacetime-bench's `apply --child` instead of this one's: two builds "
        "compared with the same measurement, in the same run."_s,
        u"PATH"_s);
    p.addOptions({rowsOpt, usersOpt, txOpt, txRowsOpt, frameOpt, runsOpt, repsOpt, noTsOpt, jsonOpt,
                  childOpt, cppProgramOpt});
    p.process(QStringList{u"spacetime-bench apply"_s} + arguments);
    const int runs = std::max(1, p.value(runsOpt).toInt());
    if (p.isSet(childOpt))
        return runChild(p.value(childOpt), runs);

    QTextStream out(stdout);
    QTextStream err(stderr);
    QTemporaryDir tmp;
    if (!tmp.isValid()) {
        err << "no temporary directory\n";
        return 1;
    }
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    const QString script = QDir(QStringLiteral(STDB_BENCH_SOURCE_DIR)).filePath(u"ts-apply.mjs"_s);
    const bool withTs = !p.isSet(noTsOpt);
    if (withTs && node.isEmpty())
        err << "node not found in PATH: the TypeScript SDK is skipped\n";

    struct Case {
        QString name;
        QList<QByteArray> frames;
        qint64 rows = 0, txRows = 0;
    };
    auto makeCase = [&](qint64 n) {
        Case c;
        c.name = u"apply_"_s + countName(n);
        const int users = std::max(0, p.value(usersOpt).toInt());
        c.frames.append(snapshotFrame(int(n), users));
        c.rows = n + users;
        const int tx = std::max(0, p.value(txOpt).toInt());
        const int perTx = std::max(1, p.value(txRowsOpt).toInt());
        c.frames += transactionFrames(int(n), tx, perTx);
        c.txRows = qint64(tx) * perTx;
        return c;
    };

    QList<qint64> counts{100000, 1000000};
    if (p.isSet(rowsOpt)) {
        bool ok = false;
        const qint64 n = p.value(rowsOpt).toLongLong(&ok);
        if (!ok || n < 0 || n > 20000000) {
            err << "bad --rows\n";
            return 2;
        }
        counts = {n};
    }

    QList<Row> results;
    const int caseCount = p.isSet(frameOpt) ? 1 : int(counts.size());
    for (int i = 0; i < caseCount; ++i) {
        Case c;
        if (p.isSet(frameOpt)) {
            QFile f(p.value(frameOpt));
            if (!f.open(QIODevice::ReadOnly)) {
                err << "cannot read " << f.fileName() << ": " << f.errorString() << '\n';
                return 1;
            }
            c.name = QFileInfo(f.fileName()).fileName();
            c.frames.append(f.readAll());
        } else {
            c = makeCase(counts[i]);
        }
        const QString file = tmp.filePath(u"frames-%1.bin"_s.arg(i));
        {
            QFile f(file);
            if (!f.open(QIODevice::WriteOnly) || f.write(packFrames(c.frames)) < 0) {
                err << "cannot write " << file << '\n';
                return 1;
            }
        }
        Row r;
        r.name = c.name;
        r.bytes = c.frames.first().size();
        r.txFrames = c.frames.size() - 1;
        c.frames.clear(); // the children read the file; keep this process small

        // Pairs of fresh processes, ours and the TypeScript SDK's, the order alternating from
        // pair to pair: a burst of load from elsewhere on the machine then lands on both sides
        // alike, and medians over the pairs keep one unlucky process out of the figures.
        const int reps = p.isSet(repsOpt) ? std::max(1, p.value(repsOpt).toInt()) : 5;
        QList<QJsonObject> cppRuns, tsRuns;
        bool tsFailed = !withTs || node.isEmpty();
        r.loadStart = loadAverage();
        for (int rep = 0; rep < reps; ++rep) {
            for (int side = 0; side < 2; ++side) {
                QString error;
                if ((side + rep) % 2 == 0) {
                    const QJsonObject o = runJson(
                        p.isSet(cppProgramOpt) ? p.value(cppProgramOpt)
                                               : QCoreApplication::applicationFilePath(),
                        {u"apply"_s, u"--child"_s, file, u"--runs"_s, QString::number(runs)},
                        error);
                    if (!error.isEmpty()) {
                        err << error << '\n';
                        return 1;
                    }
                    cppRuns.append(o);
                    r.rows = qint64(num(o, u"snapshot_rows"_s));
                    r.txRows = qint64(num(o, u"tx_rows"_s));
                } else if (!tsFailed) {
                    // The TypeScript SDK needs ~8 s and ~1.7 GB per 1M rows: fewer warm runs
                    // there.
                    const int tsRunCount = r.bytes > 20 * 1024 * 1024 ? std::min(runs, 2) : runs;
                    const QJsonObject o =
                        runJson(node,
                                {u"--expose-gc"_s, u"--max-old-space-size=16384"_s, script, file,
                                 u"--runs"_s, QString::number(tsRunCount)},
                                error);
                    if (!error.isEmpty()) {
                        err << "TypeScript SDK: " << error << '\n';
                        tsFailed = true; // one failure is enough: the rest would fail alike
                        tsRuns.clear();
                    } else {
                        tsRuns.append(o);
                    }
                }
            }
            if (!tsRuns.isEmpty() && qint64(num(tsRuns.last(), u"snapshot_rows"_s)) !=
                                         qint64(num(cppRuns.last(), u"snapshot_rows"_s)))
                err << "TypeScript SDK saw " << num(tsRuns.last(), u"snapshot_rows"_s)
                    << " rows, we saw " << num(cppRuns.last(), u"snapshot_rows"_s) << '\n';
        }
        r.loadEnd = loadAverage();
        r.pairs = int(cppRuns.size());
        r.cpp = summarize(cppRuns);
        r.ts = summarize(tsRuns);
        if (!tsRuns.isEmpty()) {
            r.ratio[u"cold"_s] = pairedRatio(cppRuns, tsRuns, u"cold_ms"_s);
            r.ratio[u"warm"_s] = pairedRatio(cppRuns, tsRuns, u"warm_ms"_s);
            r.ratio[u"cold_cpu"_s] = pairedRatio(cppRuns, tsRuns, u"proc_cpu_cold_ms"_s);
            r.ratio[u"warm_cpu"_s] = pairedRatio(cppRuns, tsRuns, u"proc_cpu_warm_ms"_s);
            r.ratio[u"tx_warm"_s] = pairedRatio(cppRuns, tsRuns, u"tx_warm_ms"_s);
        }
        QFile::remove(file);
        if (p.isSet(jsonOpt)) {
            QJsonObject o = r.cpp;
            // The documented keys first (written by hand: QJsonObject sorts keys).
            out << "{\"case\":\"" << r.name << "\",\"bytes\":" << r.bytes << ",\"rows\":" << r.rows
                << ",\"ms\":"
                << QString::number(num(r.cpp, runs > 1 ? u"warm_ms"_s : u"cold_ms"_s), 'g', 6)
                << ",\"peak_rss_mb\":" << QString::number(num(r.cpp, u"peak_rss_mb"_s), 'g', 6)
                << ",\"pairs\":" << r.pairs << ",\"load_start\":\"" << r.loadStart
                << "\",\"load_end\":\"" << r.loadEnd
                << "\",\"ratio\":" << QJsonDocument(r.ratio).toJson(QJsonDocument::Compact)
                << ",\"cpp\":" << QJsonDocument(r.cpp).toJson(QJsonDocument::Compact) << ",\"ts\":"
                << (r.ts.isEmpty() ? QByteArray("null")
                                   : QJsonDocument(r.ts).toJson(QJsonDocument::Compact))
                << "}\n";
            out.flush();
        } else {
            results.append(r);
        }
    }
    if (!p.isSet(jsonOpt))
        printTable(out, results);
    return 0;
}

const BenchCommandRegistration registration{
    {u"apply"_s, u"decode + cache apply vs the TypeScript SDK"_s, runApply}};

} // namespace

} // namespace stdb::bench
