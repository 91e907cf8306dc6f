// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace stdb::testing {

// Runs a program (node, npm) in dir to completion. On failure returns false with what went
// wrong and the program's output in *failure; its standard error goes to *stdErr either way.
inline bool runProgram(const QString &program, const QStringList &args, const QString &dir,
                       int timeoutMs, QByteArray *stdErr, QString *failure) {
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(program, args);
    if (!p.waitForStarted(30000)) {
        *failure = QStringLiteral("could not start %1: %2").arg(program, p.errorString());
        return false;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        *failure = QStringLiteral("%1 %2 did not finish within %3 s")
                       .arg(program, args.join(u' '))
                       .arg(timeoutMs / 1000);
        return false;
    }
    const QByteArray out = p.readAllStandardOutput();
    *stdErr = p.readAllStandardError();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *failure = QStringLiteral("%1 %2 failed (exit code %3):\n%4\n%5")
                       .arg(program, args.join(u' '))
                       .arg(p.exitCode())
                       .arg(QString::fromUtf8(out), QString::fromUtf8(*stdErr));
        return false;
    }
    return true;
}

} // namespace stdb::testing
