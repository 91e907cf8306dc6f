// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/connection/clock.h"
#include "spacetime/connection/reconnectpolicy.h"

#include <QRandomGenerator>

#include <chrono>
#include <optional>

namespace stdb {

// The reconnect delay schedule of a ReconnectPolicy: nominal delays initial * multiplier^n
// capped at the maximum, each shortened by up to `jitter` of itself. A session that stays up
// for the policy's stableAfter starts the schedule again; that time is read from `clock` (null:
// the real one), so tests can move it themselves.
class STDB_EXPORT Backoff {
public:
    explicit Backoff(const ReconnectPolicy &policy, Clock *clock = nullptr);
    // A fixed seed makes the jitter reproducible (tests).
    Backoff(const ReconnectPolicy &policy, quint32 seed, Clock *clock = nullptr);

    // The delay before the next attempt; advances the schedule.
    std::chrono::milliseconds next();
    // The un-jittered delay of step n (0-based), without advancing.
    std::chrono::milliseconds nominal(int step) const;
    // How many delays next() handed out since the last reset.
    int step() const { return stablePassed() ? 0 : m_step; }
    // Back to the initial delay.
    void reset() { m_step = 0; }
    // A session came up: once it has been up for stableAfter (even if it has ended since),
    // the schedule starts again, as if reset() were called at that moment. Without stableAfter
    // (0) or with reconnecting off, that is now.
    void sessionStarted();

    const ReconnectPolicy &policy() const { return m_policy; }

private:
    bool stablePassed() const;

    ReconnectPolicy m_policy;
    Clock *m_clock;
    QRandomGenerator m_rng;
    int m_step = 0;
    // When the last session came up, until its stable period has been counted.
    std::optional<std::chrono::milliseconds> m_sessionStart;
};

} // namespace stdb
