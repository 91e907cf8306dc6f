// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/backoff.h"

#include <algorithm>
#include <cmath>

namespace stdb {

Backoff::Backoff(const ReconnectPolicy &policy, Clock *clock)
    : Backoff(policy, QRandomGenerator::global()->generate(), clock) {}

Backoff::Backoff(const ReconnectPolicy &policy, quint32 seed, Clock *clock)
    : m_policy(policy)
    , m_clock(clock ? clock : Clock::system())
    , m_rng(seed) {}

void Backoff::sessionStarted() {
    if (m_policy.enabled && m_policy.stableAfter.count() > 0)
        m_sessionStart = m_clock->now();
    else
        m_step = 0;
}

bool Backoff::stablePassed() const {
    return m_sessionStart && m_clock->now() - *m_sessionStart >= m_policy.stableAfter;
}

std::chrono::milliseconds Backoff::nominal(int step) const {
    const double initial = double(m_policy.initialDelay.count());
    const double cap = double(m_policy.maxDelay.count());
    // pow() overflows to inf for large steps, which the cap absorbs.
    const double d = std::min(cap, initial * std::pow(m_policy.multiplier, std::max(0, step)));
    return std::chrono::milliseconds(qint64(std::llround(d)));
}

std::chrono::milliseconds Backoff::next() {
    if (stablePassed()) {
        m_step = 0;
        m_sessionStart.reset();
    }
    const auto base = nominal(m_step);
    if (m_step < std::numeric_limits<int>::max())
        ++m_step;
    const double cut = m_policy.jitter * m_rng.generateDouble();
    const qint64 ms = qint64(std::llround(double(base.count()) * (1.0 - cut)));
    return std::chrono::milliseconds(std::max<qint64>(ms, 1));
}

} // namespace stdb
