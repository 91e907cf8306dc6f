#include "spacetime/connection/idlewatchdog.h"

#include <algorithm>
#include <limits>

namespace stdb {

IdleWatchdog::IdleWatchdog(QObject *parent)
    : QObject(parent) {
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &IdleWatchdog::check);
}

void IdleWatchdog::setIntervals(std::chrono::milliseconds idle,
                                std::chrono::milliseconds pingTimeout) {
    m_idle = idle;
    m_pingTimeout = pingTimeout;
}

void IdleWatchdog::start() {
    m_running = true;
    m_pinged = false;
    m_sinceActivity.start();
    schedule(m_idle.count());
}

void IdleWatchdog::stop() {
    m_running = false;
    m_timer.stop();
}

void IdleWatchdog::touch() {
    m_sinceActivity.start();
}

void IdleWatchdog::schedule(qint64 ms) {
    m_timer.start(int(std::clamp<qint64>(ms, 1, std::numeric_limits<int>::max())));
}

void IdleWatchdog::check() {
    if (!m_running)
        return;
    const qint64 quiet = m_sinceActivity.elapsed();
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
