#pragma once

#include "spacetime/global.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>

namespace stdb {

// Dead-connection detection: when nothing arrived for `idle`, asks for a ping; when still
// nothing arrived `pingTimeout` after that, reports the connection as lost. touch() on every
// received byte is cheap (no timer restart): the timer checks the elapsed time when it fires.
class STDB_EXPORT IdleWatchdog : public QObject {
    Q_OBJECT
public:
    explicit IdleWatchdog(QObject *parent = nullptr);

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

    QTimer m_timer;
    QElapsedTimer m_sinceActivity;
    std::chrono::milliseconds m_idle{30000};
    std::chrono::milliseconds m_pingTimeout{30000};
    bool m_running = false;
    bool m_pinged = false;
};

} // namespace stdb
