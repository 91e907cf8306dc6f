// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/manualclock.h"

#include <algorithm>

namespace stdb {

class ManualClock::ManualTimer final : public Clock::Timer {
public:
    ManualTimer(ManualClock *clock, std::function<void()> onTimeout)
        : m_clock(clock)
        , m_onTimeout(std::move(onTimeout)) {
        m_clock->m_timers.append(this);
    }
    ~ManualTimer() override {
        if (m_clock)
            m_clock->m_timers.removeOne(this);
    }
    void start(std::chrono::milliseconds delay) override {
        m_deadline = m_clock->m_now + std::max(delay, std::chrono::milliseconds(0));
        m_order = ++m_clock->m_started;
        m_active = true;
    }
    void stop() override { m_active = false; }
    bool isActive() const override { return m_active; }

    ManualClock *m_clock;
    std::function<void()> m_onTimeout;
    std::chrono::milliseconds m_deadline{0};
    quint64 m_order = 0;
    bool m_active = false;
};

ManualClock::ManualClock(Timestamp wallStart)
    : m_wallOffsetUs(wallStart.micros()) {}

ManualClock::~ManualClock() {
    // Timers outliving the clock (a misuse) must not reach into it.
    for (ManualTimer *t : std::as_const(m_timers))
        t->m_clock = nullptr;
}

Timestamp ManualClock::wallTime() const {
    return Timestamp::fromMicros(m_wallOffsetUs + qint64(m_now.count()) * 1000);
}

std::unique_ptr<Clock::Timer> ManualClock::createTimer(std::function<void()> onTimeout,
                                                       Qt::TimerType) {
    return std::make_unique<ManualTimer>(this, std::move(onTimeout));
}

void ManualClock::advance(std::chrono::milliseconds by) {
    const std::chrono::milliseconds target = m_now + std::max(by, std::chrono::milliseconds(0));
    for (;;) {
        ManualTimer *due = nullptr;
        for (ManualTimer *t : std::as_const(m_timers))
            if (t->m_active && t->m_deadline <= target &&
                (!due || t->m_deadline < due->m_deadline ||
                 (t->m_deadline == due->m_deadline && t->m_order < due->m_order)))
                due = t;
        if (!due)
            break;
        m_now = std::max(m_now, due->m_deadline);
        due->m_active = false;
        // May start, stop or delete timers (this one included): look again from scratch.
        const auto onTimeout = due->m_onTimeout;
        onTimeout();
    }
    m_now = target;
}

void ManualClock::setWallTime(Timestamp t) {
    m_wallOffsetUs = t.micros() - qint64(m_now.count()) * 1000;
}

int ManualClock::activeTimers() const {
    int n = 0;
    for (const ManualTimer *t : m_timers)
        n += t->m_active ? 1 : 0;
    return n;
}

std::optional<std::chrono::milliseconds> ManualClock::untilNextTimeout() const {
    std::optional<std::chrono::milliseconds> next;
    for (const ManualTimer *t : m_timers)
        if (t->m_active && (!next || t->m_deadline < *next))
            next = t->m_deadline;
    if (next)
        *next -= m_now;
    return next;
}

} // namespace stdb
