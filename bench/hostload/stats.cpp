// SPDX-License-Identifier: Apache-2.0
#include "stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace hostload {

LatencySummary summarize(std::vector<qint64> &samples) {
    LatencySummary s;
    s.count = qsizetype(samples.size());
    if (samples.empty())
        return s;
    std::sort(samples.begin(), samples.end());
    auto rank = [&](double p) {
        const auto n = samples.size();
        const auto i = std::size_t(std::ceil(p * double(n)));
        return double(samples[std::clamp<std::size_t>(i, 1, n) - 1]) / 1e6;
    };
    s.p50Ms = rank(0.50);
    s.p90Ms = rank(0.90);
    s.p99Ms = rank(0.99);
    s.maxMs = double(samples.back()) / 1e6;
    s.meanMs = std::accumulate(samples.begin(), samples.end(), 0.0) / double(samples.size()) / 1e6;
    return s;
}

QString latencyHeader() {
    return QStringLiteral("%1 %2 %3 %4 %5 %6 %7")
        .arg(QStringLiteral("latency (ms)"), -34)
        .arg(QStringLiteral("n"), 9)
        .arg(QStringLiteral("p50"), 8)
        .arg(QStringLiteral("p90"), 8)
        .arg(QStringLiteral("p99"), 8)
        .arg(QStringLiteral("max"), 8)
        .arg(QStringLiteral("mean"), 8);
}

QString latencyRow(const QString &label, const LatencySummary &s) {
    auto ms = [](double v) { return QString::number(v, 'f', 2); };
    return QStringLiteral("  %1 %2 %3 %4 %5 %6 %7")
        .arg(label, -32)
        .arg(s.count, 9)
        .arg(ms(s.p50Ms), 8)
        .arg(ms(s.p90Ms), 8)
        .arg(ms(s.p99Ms), 8)
        .arg(ms(s.maxMs), 8)
        .arg(ms(s.meanMs), 8);
}

} // namespace hostload
