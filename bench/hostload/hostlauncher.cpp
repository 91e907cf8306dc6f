// SPDX-License-Identifier: Apache-2.0
#include "hostlauncher.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QRegularExpression>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#include <unistd.h>
#endif
#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace hostload {

namespace {
constexpr qsizetype kLogTail = 64 * 1024;
} // namespace

HostLauncher::~HostLauncher() {
    stop();
}

QString HostLauncher::defaultExecutable() {
    return QDir(QCoreApplication::applicationDirPath())
        .filePath(QStringLiteral("spacetime-chat-host"));
}

bool HostLauncher::start(const QString &executable, const QStringList &extraArgs, int timeoutMs) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // One log line per request or message would cost the host more than the work measured.
    env.insert(
        QStringLiteral("QT_LOGGING_RULES"),
        QStringLiteral("host.http.info=false;host.ws.info=false;quickstart-chat.info=false"));
    m_process.setProcessEnvironment(env);
#ifdef Q_OS_LINUX
    // A benchmark that crashes or is killed must not leave its host running.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    m_process.setProgram(executable);
    m_process.setArguments(QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                       QStringLiteral("--data"), QStringLiteral(":memory:")} +
                           extraArgs);
    QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                     [this] { readLog(); });
    m_process.start();
    if (!m_process.waitForStarted(5000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(executable, m_process.errorString());
        return false;
    }
    static const QRegularExpression re(QStringLiteral("listening on (http://[^\\s]+)\\n"));
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && m_process.state() != QProcess::NotRunning) {
        m_process.waitForReadyRead(50);
        m_stdout += m_process.readAllStandardOutput();
        readLog();
        const auto match = re.match(QString::fromUtf8(m_stdout));
        if (match.hasMatch()) {
            m_url = match.captured(1);
            return true;
        }
    }
    m_error = QStringLiteral("%1 did not announce itself; stdout: %2\nstderr: %3")
                  .arg(executable, QString::fromUtf8(m_stdout), QString::fromUtf8(m_log));
    return false;
}

void HostLauncher::stop() {
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    readLog();
}

void HostLauncher::readLog() {
    m_log += m_process.readAllStandardError();
    if (m_log.size() > kLogTail)
        m_log = m_log.right(kLogTail);
}

double HostLauncher::cpuSeconds() const {
#ifdef Q_OS_LINUX
    if (m_process.state() == QProcess::NotRunning)
        return -1;
    QFile f(QStringLiteral("/proc/%1/stat").arg(m_process.processId()));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // Fields after the command name (which is in parentheses and may hold spaces): state is
    // field 3, utime 14, stime 15.
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const double ticks = double(sysconf(_SC_CLK_TCK));
    return (fields[11].toDouble() + fields[12].toDouble()) / ticks;
#else
    return -1;
#endif
}

double ownCpuSeconds() {
#ifdef Q_OS_UNIX
    rusage u{};
    if (getrusage(RUSAGE_SELF, &u) != 0)
        return -1;
    auto secs = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return secs(u.ru_utime) + secs(u.ru_stime);
#else
    return -1;
#endif
}

} // namespace hostload
