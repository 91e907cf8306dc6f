#pragma once

#include "spacetime/global.h"

#include "spacetime/connection/reconnectpolicy.h"

#include <QRandomGenerator>

#include <chrono>

namespace stdb {

// The reconnect delay schedule of a ReconnectPolicy: nominal delays initial * multiplier^n
// capped at the maximum, each shortened by up to `jitter` of itself.
class STDB_EXPORT Backoff {
public:
    explicit Backoff(const ReconnectPolicy &policy);
    // A fixed seed makes the jitter reproducible (tests).
    Backoff(const ReconnectPolicy &policy, quint32 seed);

    // The delay before the next attempt; advances the schedule.
    std::chrono::milliseconds next();
    // The un-jittered delay of step n (0-based), without advancing.
    std::chrono::milliseconds nominal(int step) const;
    // How many delays next() handed out since the last reset.
    int step() const { return m_step; }
    // Back to the initial delay (after a stable session).
    void reset() { m_step = 0; }

    const ReconnectPolicy &policy() const { return m_policy; }

private:
    ReconnectPolicy m_policy;
    QRandomGenerator m_rng;
    int m_step = 0;
};

} // namespace stdb
