// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <vector>

namespace hostload {

// Percentiles of a set of durations (nanoseconds).
struct LatencySummary {
    qsizetype count = 0;
    double p50Ms = 0;
    double p90Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    double meanMs = 0;
};

// Sorts `samples` in place. Nearest-rank percentiles.
LatencySummary summarize(std::vector<qint64> &samples);

// "  label      n   p50   p90   p99   max" as one table row.
QString latencyRow(const QString &label, const LatencySummary &s);
QString latencyHeader();

} // namespace hostload
