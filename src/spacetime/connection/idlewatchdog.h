// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/connection/clock.h"

#include <QObject>

#include <chrono>
#include <memory>

namespace stdb {

// Dead-connection detection: when nothing arrived for `idle`, asks for a ping; when still
// nothing arrived `pingTimeout` after that, reports the connection as lost. touch() on every
// received byte is cheap (no timer restart): the timer checks the elapsed time when it fires.
// Time comes from `clock` (null: the real one), so tests can move it themselves.
class STDB_EXPORT IdleWatchdog : public QObject {
    Q_OBJECT
public:
    explicit IdleWatchdog(QObject *parent = nullptr, Clock *clock = nullptr);
    ~IdleWatchdog() override;

    void setIntervals(std::chrono::milliseconds idle, std::chrono::milliseconds pingTimeout);
    void start();
    void stop();
    bool isRunning() const { return m_running; }
    // Something arrived.
    void touch();

Q_SIGNALS:
    void pingNeeded();
    void timedOut();

private:
    void check();
    void schedule(qint64 ms);

    Clock *m_clock;
    std::unique_ptr<Clock::Timer> m_timer;
    std::chrono::milliseconds m_lastActivity{0}; // m_clock->now() when something last arrived
    std::chrono::milliseconds m_idle{30000};
    std::chrono::milliseconds m_pingTimeout{30000};
    bool m_running = false;
    bool m_pinged = false;
};

} // namespace stdb
