// SPDX-License-Identifier: Apache-2.0
#include "benchsupport.h"

#include <ctime>

#include <QDir>
#include <QFile>
#include <QtEndian>

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(Q_OS_UNIX)
#include <sys/resource.h>
#endif

namespace stdb::bench {

namespace {
qint64 statusKb(const char *field) {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    return 0;
}
} // namespace

qint64 currentRssBytes() {
    return statusKb("VmRSS") * 1024;
}

qint64 peakRssBytes() {
    return statusKb("VmHWM") * 1024;
}

ProcessUsage processUsage() {
#if defined(Q_OS_UNIX)
    rusage u{};
    if (getrusage(RUSAGE_SELF, &u) != 0)
        return {};
    auto ns = [](const timeval &t) { return qint64(t.tv_sec) * 1000000000 + t.tv_usec * 1000; };
    return {ns(u.ru_utime) + ns(u.ru_stime), qint64(u.ru_minflt)};
#else
    return {};
#endif
}

qint64 threadMinorFaults() {
#if defined(Q_OS_LINUX)
    rusage u{};
    if (getrusage(RUSAGE_THREAD, &u) != 0)
        return -1;
    return qint64(u.ru_minflt);
#else
    return -1;
#endif
}

qint64 namedThreadsMinorFaults(const QByteArray &name) {
#if defined(Q_OS_LINUX)
    qint64 sum = -1;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        // "tid (comm) state ppid pgrp session tty tpgid flags minflt ...": comm may hold
        // spaces and parentheses, so it ends at the last ')'.
        const QByteArray stat = f.readAll();
        const qsizetype open = stat.indexOf('(');
        const qsizetype close = stat.lastIndexOf(')');
        if (open < 0 || close < open || stat.mid(open + 1, close - open - 1) != name)
            continue;
        const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
        if (fields.size() > 7)
            sum = qMax<qint64>(sum, 0) + fields[7].toLongLong();
    }
    return sum;
#else
    Q_UNUSED(name);
    return -1;
#endif
}

qint64 threadCpuNs() {
#if defined(Q_OS_UNIX)
    timespec ts{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
#else
    return 0;
#endif
}

qint64 heapInUseBytes() {
#if defined(__GLIBC__)
    const struct mallinfo2 m = mallinfo2();
    return qint64(m.uordblks + m.hblkhd);
#else
    return 0;
#endif
}

QByteArray packFrames(const QList<QByteArray> &frames) {
    QByteArray out;
    qsizetype total = 0;
    for (const QByteArray &f : frames)
        total += 4 + f.size();
    out.reserve(total);
    for (const QByteArray &f : frames) {
        char len[4];
        qToLittleEndian(quint32(f.size()), len);
        out.append(len, 4);
        out.append(f);
    }
    return out;
}

QList<QByteArray> unpackFrames(const QByteArray &data, bool *ok) {
    QList<QByteArray> out;
    *ok = false;
    qsizetype at = 0;
    while (at < data.size()) {
        if (data.size() - at < 4)
            return out;
        const quint32 len = qFromLittleEndian<quint32>(data.constData() + at);
        at += 4;
        if (qsizetype(len) > data.size() - at)
            return out;
        out.append(data.mid(at, len)); // its own buffer, like a frame from the socket
        at += len;
    }
    *ok = true;
    return out;
}

QString countName(qint64 n) {
    if (n >= 1000000 && n % 1000000 == 0)
        return QStringLiteral("%1M").arg(n / 1000000);
    if (n >= 1000 && n % 1000 == 0)
        return QStringLiteral("%1k").arg(n / 1000);
    return QString::number(n);
}

} // namespace stdb::bench
