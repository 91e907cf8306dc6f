// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/idlewatchdog.h"

#include <algorithm>
#include <limits>

namespace stdb {

IdleWatchdog::IdleWatchdog(QObject *parent, Clock *clock)
    : QObject(parent)
    , m_clock(clock ? clock : Clock::system())
    , m_timer(m_clock->createTimer([this] { check(); }, Qt::CoarseTimer)) {}

IdleWatchdog::~IdleWatchdog() = default;

void IdleWatchdog::setIntervals(std::chrono::milliseconds idle,
                                std::chrono::milliseconds pingTimeout) {
    m_idle = idle;
    m_pingTimeout = pingTimeout;
}

void IdleWatchdog::start() {
    m_running = true;
    m_pinged = false;
    m_lastActivity = m_clock->now();
    schedule(m_idle.count());
}

void IdleWatchdog::stop() {
    m_running = false;
    m_timer->stop();
}

void IdleWatchdog::touch() {
    m_lastActivity = m_clock->now();
}

void IdleWatchdog::schedule(qint64 ms) {
    m_timer->start(
        std::chrono::milliseconds(std::clamp<qint64>(ms, 1, std::numeric_limits<int>::max())));
}

void IdleWatchdog::check() {
    if (!m_running)
        return;
    const qint64 quiet = (m_clock->now() - m_lastActivity).count();
    const qint64 idle = m_idle.count();
    if (quiet < idle) {
        // Activity since the last check: wait for the rest of the idle period.
        m_pinged = false;
        schedule(idle - quiet);
        return;
    }
    if (!m_pinged) {
        m_pinged = true;
        schedule(m_pingTimeout.count());
        Q_EMIT pingNeeded();
        return;
    }
    if (quiet >= idle + m_pingTimeout.count()) {
        m_running = false;
        Q_EMIT timedOut();
        return;
    }
    schedule(idle + m_pingTimeout.count() - quiet);
}

} // namespace stdb
