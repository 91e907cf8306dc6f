// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace hostload {

// Runs spacetime-chat-host on 127.0.0.1 with a free port and in-memory storage for the length
// of a benchmark. Its stdout line "listening on http://127.0.0.1:PORT" gives the URL; its
// stderr is read continuously (the host must never block on a full pipe) and only the tail is
// kept, for error reports.
class HostLauncher {
public:
    HostLauncher() = default;
    ~HostLauncher();
    HostLauncher(const HostLauncher &) = delete;
    HostLauncher &operator=(const HostLauncher &) = delete;

    // bin/spacetime-chat-host next to this program.
    static QString defaultExecutable();

    bool start(const QString &executable, const QStringList &extraArgs, int timeoutMs = 15000);
    // SIGTERM, then SIGKILL if it does not end in time.
    void stop();

    QString url() const { return m_url; }
    QString errorString() const { return m_error; }
    qint64 pid() const { return m_process.processId(); }
    // User + system CPU seconds the host used so far (Linux /proc); negative when unknown.
    double cpuSeconds() const;
    // The last part of the host's log.
    QByteArray logTail() const { return m_log; }

private:
    void readLog();

    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_log;
    QString m_url;
    QString m_error;
};

// User + system CPU seconds of this process.
double ownCpuSeconds();

} // namespace hostload
