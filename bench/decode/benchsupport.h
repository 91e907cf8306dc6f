// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the apply, stall and roundtrip benchmarks.

#include <QByteArray>
#include <QList>
#include <QString>

#include <algorithm>
#include <cmath>

namespace stdb::bench {

// Resident set size now and its peak, from /proc/self/status (0 where unavailable).
qint64 currentRssBytes();
qint64 peakRssBytes();
// Bytes the C heap has handed out and not taken back (glibc mallinfo2; 0 elsewhere). Unlike
// RSS it drops when memory is freed, so a difference measures what is still held.
qint64 heapInUseBytes();

// CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID; 0 where unavailable). On a
// loaded machine it stays close to the work done while wall time does not.
qint64 threadCpuNs();

// CPU time (user + system, all threads) and minor page faults of this process so far
// (getrusage; zeros where unavailable). On a loaded machine the CPU time of a stage stays
// close to its work while its wall time does not.
struct ProcessUsage {
    qint64 cpuNs = 0;
    qint64 minorFaults = 0;
};
ProcessUsage processUsage();

// Minor page faults of the calling thread (getrusage RUSAGE_THREAD), and of this process's
// threads named `name` (/proc/self/task/*/stat; a QThread's objectName names its thread).
// -1 where unavailable. They tell which thread's first-touched memory the faults are in.
qint64 threadMinorFaults();
qint64 namedThreadsMinorFaults(const QByteArray &name);

// Frames written one after another as [u32 little-endian length][frame]; ts-apply.mjs reads
// the same format.
QByteArray packFrames(const QList<QByteArray> &frames);
QList<QByteArray> unpackFrames(const QByteArray &data, bool *ok);

// Percentile of an unsorted sample (nearest rank); 0 for an empty one.
template <typename T>
T percentile(QList<T> sample, double p) {
    if (sample.isEmpty())
        return T{};
    std::sort(sample.begin(), sample.end());
    const qsizetype rank = qsizetype(std::ceil(p / 100.0 * double(sample.size())));
    return sample[std::clamp<qsizetype>(rank - 1, 0, sample.size() - 1)];
}

// 100k, 1M, 1234.
QString countName(qint64 n);

} // namespace stdb::bench
