// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/clock.h"

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <limits>

namespace stdb {

namespace {

class SystemTimer final : public Clock::Timer {
public:
    SystemTimer(std::function<void()> onTimeout, Qt::TimerType type) {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(type);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, std::move(onTimeout));
    }
    void start(std::chrono::milliseconds delay) override {
        m_timer.start(int(std::clamp<qint64>(delay.count(), 0, std::numeric_limits<int>::max())));
    }
    void stop() override { m_timer.stop(); }
    bool isActive() const override { return m_timer.isActive(); }

private:
    QTimer m_timer;
};

class SystemClock final : public Clock {
public:
    SystemClock() { m_origin.start(); }
    std::chrono::milliseconds now() const override {
        return std::chrono::milliseconds(m_origin.elapsed());
    }
    Timestamp wallTime() const override { return Timestamp::now(); }
    std::unique_ptr<Timer> createTimer(std::function<void()> onTimeout,
                                       Qt::TimerType type) override {
        return std::make_unique<SystemTimer>(std::move(onTimeout), type);
    }

private:
    QElapsedTimer m_origin; // read-only after construction: safe from any thread
};

} // namespace

Clock *Clock::system() {
    static SystemClock clock;
    return &clock;
}

} // namespace stdb
