#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

// Starts the real spacetime-chat-host executable on 127.0.0.1 with a free port and parses the
// "listening on http(s)://127.0.0.1:PORT" line. Stderr (the host's log) is collected so a failing
// test can print it.
class HostProcess {
public:
    HostProcess() = default;
    ~HostProcess();
    HostProcess(const HostProcess &) = delete;
    HostProcess &operator=(const HostProcess &) = delete;

    static QString executable();

    // dataDir ":memory:" keeps nothing. Returns false (with the log in errorString()) if the
    // host did not announce itself within the timeout.
    bool start(const QString &dataDir = QStringLiteral(":memory:"),
               const QStringList &extraArgs = {}, int timeoutMs = 15000);
    // Same with another --listen value (the port must be 0).
    bool startWith(const QString &listen, const QString &dataDir, const QStringList &extraArgs = {},
                   int timeoutMs = 15000);
    // SIGTERM and wait; kill() for SIGKILL.
    bool stop(int timeoutMs = 10000);
    void kill();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    quint16 port() const { return m_port; }
    QUrl http(const QString &pathAndQuery) const;
    QString errorString() const { return m_error; }
    // Everything the host wrote to stderr so far.
    QByteArray log();
    // Waits until the log contains `needle`.
    bool waitForLog(const QByteArray &needle, int timeoutMs = 5000);
    QByteArray stdoutText() const { return m_stdout; }

private:
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    quint16 m_port = 0;
    QString m_error;
};
