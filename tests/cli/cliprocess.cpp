// SPDX-License-Identifier: Apache-2.0
#include "cliprocess.h"

#include <QDeadlineTimer>

CliProcess::~CliProcess() {
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString CliProcess::executable() {
    return QStringLiteral(CLI_EXECUTABLE);
}

bool CliProcess::start(const QStringList &args) {
    m_process.setProgram(executable());
    m_process.setArguments(args);
    m_process.start();
    return m_process.waitForStarted(5000);
}

void CliProcess::writeLine(const QString &line) {
    m_process.write(line.toUtf8() + '\n');
    // No event loop runs while a test waits on another process: push it out now.
    m_process.waitForBytesWritten(5000);
}

void CliProcess::pump(int waitMs) {
    if (m_process.state() != QProcess::NotRunning)
        m_process.waitForReadyRead(waitMs);
    m_out += m_process.readAllStandardOutput();
    m_err += m_process.readAllStandardError();
}

QStringList CliProcess::outLines() {
    pump(0);
    QStringList lines = QString::fromUtf8(m_out).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

QString CliProcess::errText() {
    pump(0);
    return QString::fromUtf8(m_err);
}

int CliProcess::waitForLine(const QString &line, int timeoutMs, int from) {
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        const QStringList lines = outLines();
        for (int i = from; i < lines.size(); ++i)
            if (lines.at(i) == line)
                return i;
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return -1;
        pump(20);
    }
}

bool CliProcess::waitForErr(const QString &needle, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        if (errText().contains(needle))
            return true;
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return false;
        pump(20);
    }
}

bool CliProcess::waitForExit(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (m_process.state() != QProcess::NotRunning) {
        if (deadline.hasExpired())
            return false;
        pump(20);
    }
    pump(0);
    return true;
}

QString CliProcess::describe() {
    return QStringLiteral("stdout:\n%1\nstderr:\n%2")
        .arg(outLines().join(QLatin1Char('\n')), errText());
}
