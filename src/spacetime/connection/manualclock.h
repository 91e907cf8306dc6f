// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/connection/clock.h"

#include <QList>

#include <optional>

namespace stdb {

// A clock whose time moves only when advance() is called: tests drive timeouts, backoff and
// time windows explicitly instead of waiting. Timers fire inside advance(), in deadline order,
// on the calling thread; use it from one thread only.
class STDB_EXPORT ManualClock final : public Clock {
public:
    // Wall time starts at `wallStart`; monotonic time at 0.
    explicit ManualClock(Timestamp wallStart = Timestamp::fromMicros(1700000000000000));
    ~ManualClock() override;

    std::chrono::milliseconds now() const override { return m_now; }
    Timestamp wallTime() const override;
    std::unique_ptr<Timer> createTimer(std::function<void()> onTimeout,
                                       Qt::TimerType type = Qt::CoarseTimer) override;

    // Moves both times forward by `by`, firing every timer that comes due on the way at its own
    // deadline (a timer started by a timeout fires too if its deadline is within `by`).
    void advance(std::chrono::milliseconds by);
    // Sets the calendar time (monotonic time is unaffected).
    void setWallTime(Timestamp t);
    // How many timers are running.
    int activeTimers() const;
    // When the next running timer fires, relative to now.
    std::optional<std::chrono::milliseconds> untilNextTimeout() const;

private:
    class ManualTimer;
    friend class ManualTimer;

    std::chrono::milliseconds m_now{0};
    qint64 m_wallOffsetUs = 0; // wall time = this + m_now
    QList<ManualTimer *> m_timers;
    quint64 m_started = 0; // orders timers with the same deadline by start
};

} // namespace stdb
