// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

// Drives one spacetime-chat-cli process: arguments, environment, stdin lines, and waits on its
// standard output line by line.
class CliProcess {
public:
    CliProcess() = default;
    ~CliProcess();
    CliProcess(const CliProcess &) = delete;
    CliProcess &operator=(const CliProcess &) = delete;

    static QString executable();

    void setEnvironment(const QProcessEnvironment &env) { m_process.setProcessEnvironment(env); }
    // Stdin from a file instead of a pipe (call before start()).
    void setStandardInputFile(const QString &path) { m_process.setStandardInputFile(path); }
    bool start(const QStringList &args);

    void writeLine(const QString &line);
    void closeInput() { m_process.closeWriteChannel(); }

    // Waits until standard output has a line equal to `line` (after `from`, an index into
    // outLines()); returns its index or -1 on timeout.
    int waitForLine(const QString &line, int timeoutMs = 10000, int from = 0);
    // Waits until standard error contains `needle`.
    bool waitForErr(const QString &needle, int timeoutMs = 10000);
    // Waits for the process to end; false on timeout.
    bool waitForExit(int timeoutMs = 20000);
    int exitCode() const { return m_process.exitCode(); }
    // For waiting with the event loop running (QTRY_*), e.g. while a server in this process
    // must answer the client.
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }

    QStringList outLines();
    QString errText();
    // For failure messages.
    QString describe();

private:
    void pump(int waitMs);
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};
