// SPDX-License-Identifier: Apache-2.0
// `spacetime-bench growth`: what it costs to reassemble one large WebSocket message from the
// 4 KiB frames SpacetimeDB sends, with nothing else in the process. QWebSocket appends each
// frame to a QByteArray (QWebSocketDataProcessor: m_binaryMessage.append(payload)); Qt's
// QByteArray::append is an insert at the end that grows into a new allocation and copies,
// never through realloc. Compared with growth through realloc (QByteArray::resize, which
// glibc turns into mremap for large blocks: no copy) and with one buffer of the final size
// offered for huge pages (what the SDK's own frame reader does when the size is known). Each
// variant runs in a fresh process, so the allocator's state of one does not help the next.

#include "benchcommand.h"
#include "benchsupport.h"

#include "spacetime/hugepages.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTextStream>

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;

namespace stdb::bench {

namespace {

struct Variant {
    QString name;
    QString label;
};

const QList<Variant> &variants() {
    static const QList<Variant> all{
        {u"append"_s, u"QByteArray::append per frame (QWebSocket's reassembly)"_s},
        {u"realloc"_s, u"growth through realloc (QByteArray::resize + memcpy)"_s},
        {u"hugepage"_s, u"one buffer of the final size, offered for huge pages"_s},
    };
    return all;
}

// Runs one variant in this process and prints one JSON line.
int runVariant(const QString &variant, qsizetype total, qsizetype frameSize) {
    const QByteArray frame(frameSize, 'x');
    const ProcessUsage before = processUsage();
    QElapsedTimer timer;
    timer.start();
    QByteArray message;
    if (variant == u"append") {
        for (qsizetype n = 0; n < total; n += frameSize)
            message.append(frame);
    } else if (variant == u"realloc") {
        for (qsizetype n = 0; n < total; n += frameSize) {
            const qsizetype at = message.size();
            message.resize(at + frameSize);
            std::memcpy(message.data() + at, frame.constData(), size_t(frameSize));
        }
    } else {
        const qsizetype frames = (total + frameSize - 1) / frameSize;
        message = hugePageBuffer(frames * frameSize);
        for (qsizetype i = 0; i < frames; ++i)
            std::memcpy(message.data() + i * frameSize, frame.constData(), size_t(frameSize));
    }
    const qint64 ns = timer.nsecsElapsed();
    const ProcessUsage after = processUsage();
    QJsonObject o{{u"variant"_s, variant},
                  {u"bytes"_s, double(message.size())},
                  {u"ms"_s, double(ns) / 1e6},
                  {u"cpu_ms"_s, double(after.cpuNs - before.cpuNs) / 1e6},
                  {u"faults"_s, double(after.minorFaults - before.minorFaults)}};
    QTextStream(stdout) << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
    return 0;
}

int runGrowth(const QStringList &args) {
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser p;
    p.setApplicationDescription(u"One large message reassembled from WebSocket frames: "
                                "QByteArray::append (as QWebSocket does) against growth through "
                                "realloc and a huge-page buffer, each in a fresh process."_s);
    p.addHelpOption();
    const QCommandLineOption mbOpt(u"mb"_s, u"Message size in MB (default 92, a 1M history)."_s,
                                   u"n"_s, u"92"_s);
    const QCommandLineOption frameOpt(
        u"frame-size"_s, u"Frame payload in bytes (default 4096, as SpacetimeDB sends)."_s,
        u"bytes"_s, u"4096"_s);
    const QCommandLineOption runsOpt(u"runs"_s, u"Processes per variant (default 3)."_s, u"n"_s,
                                     u"3"_s);
    const QCommandLineOption jsonOpt(u"json"_s, u"One JSON line per process."_s);
    QCommandLineOption variantOpt(u"variant"_s, u"Internal: run one variant here."_s, u"name"_s);
    variantOpt.setFlags(QCommandLineOption::HiddenFromHelp);
    p.addOptions({mbOpt, frameOpt, runsOpt, jsonOpt, variantOpt});
    if (!p.parse(QStringList{u"spacetime-bench growth"_s} + args)) {
        err << p.errorText() << '\n';
        return 2;
    }
    if (p.isSet(u"help"_s)) {
        out << p.helpText();
        return 0;
    }
    bool ok1 = false, ok2 = false, ok3 = false;
    const qint64 mb = p.value(mbOpt).toLongLong(&ok1);
    const qint64 frameSize = p.value(frameOpt).toLongLong(&ok2);
    const int runs = p.value(runsOpt).toInt(&ok3);
    if (!ok1 || mb < 1 || mb > 4096 || !ok2 || frameSize < 1 || frameSize > (qint64(1) << 24) ||
        !ok3 || runs < 1 || runs > 50) {
        err << "growth: --mb 1..4096, --frame-size 1..16777216, --runs 1..50\n";
        return 2;
    }
    const qsizetype total = qsizetype(mb) * 1000 * 1000;
    if (p.isSet(variantOpt)) {
        const QString v = p.value(variantOpt);
        if (std::none_of(variants().begin(), variants().end(),
                         [&](const Variant &x) { return x.name == v; })) {
            err << "growth: unknown variant " << v << '\n';
            return 2;
        }
        return runVariant(v, total, qsizetype(frameSize));
    }

    const bool json = p.isSet(jsonOpt);
    if (!json)
        out << "growth: a " << mb << " MB message in frames of " << frameSize
            << " bytes, each variant in " << runs << " fresh processes (median)\n";
    for (const Variant &v : variants()) {
        QList<double> ms, cpu, faults;
        for (int i = 0; i < runs; ++i) {
            QProcess child;
            child.start(QCoreApplication::applicationFilePath(),
                        {u"growth"_s, u"--variant"_s, v.name, u"--mb"_s, QString::number(mb),
                         u"--frame-size"_s, QString::number(frameSize)});
            if (!child.waitForFinished(120000) || child.exitCode() != 0) {
                err << "growth: the " << v.name
                    << " process failed: " << child.readAllStandardError() << '\n';
                return 1;
            }
            const QByteArray line = child.readAllStandardOutput().trimmed();
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.isEmpty()) {
                err << "growth: unreadable answer from the " << v.name << " process\n";
                return 1;
            }
            if (json)
                out << line << '\n';
            ms.append(o.value(u"ms"_s).toDouble());
            cpu.append(o.value(u"cpu_ms"_s).toDouble());
            faults.append(o.value(u"faults"_s).toDouble());
        }
        if (!json)
            out << "  " << v.label << ": " << qRound(percentile(ms, 50)) << " ms, CPU "
                << qRound(percentile(cpu, 50)) << " ms, " << qRound64(percentile(faults, 50))
                << " minor page faults\n";
    }
    return 0;
}

const BenchCommandRegistration registration{
    {u"growth"_s, u"one large message reassembled: QByteArray::append vs realloc vs huge pages"_s,
     runGrowth}};

} // namespace

} // namespace stdb::bench
