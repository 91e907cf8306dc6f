// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/bsatn/timestamp.h"

#include <QtGlobal>

#include <chrono>
#include <functional>
#include <memory>

namespace stdb {

// Where time-driven parts of the SDK and the chat layer read the time and set their timers.
// Production code uses Clock::system(); a test passes a ManualClock and moves time itself, so
// what it asserts never depends on how long something took.
class STDB_EXPORT Clock {
public:
    // A single-shot timer made by a clock.
    class Timer {
    public:
        virtual ~Timer() = default;
        // Fires once after `delay` (restarts it if it was running).
        virtual void start(std::chrono::milliseconds delay) = 0;
        virtual void stop() = 0;
        virtual bool isActive() const = 0;
    };

    virtual ~Clock() = default;

    // Monotonic time since an arbitrary, fixed origin: for measuring how long something took.
    virtual std::chrono::milliseconds now() const = 0;
    // Calendar time: for comparing with the server's timestamps.
    virtual Timestamp wallTime() const = 0;
    // A stopped timer that calls `onTimeout` on the thread that made it. The timer must not
    // outlive the clock.
    virtual std::unique_ptr<Timer> createTimer(std::function<void()> onTimeout,
                                               Qt::TimerType type = Qt::CoarseTimer) = 0;

    // The real clock (QElapsedTimer, QTimer, the system's calendar time). Lives for the whole
    // program and may be used from any thread.
    static Clock *system();
};

} // namespace stdb
