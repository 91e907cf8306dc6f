#include "hostprocess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QTest>

HostProcess::~HostProcess() {
    if (isRunning()) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString HostProcess::executable() {
    return QStringLiteral(HOST_EXECUTABLE);
}

bool HostProcess::start(const QString &dataDir, const QStringList &extraArgs, int timeoutMs) {
    return startWith(QStringLiteral("127.0.0.1:0"), dataDir, extraArgs, timeoutMs);
}

bool HostProcess::startWith(const QString &listen, const QString &dataDir,
                            const QStringList &extraArgs, int timeoutMs) {
    m_stdout.clear();
    m_stderr.clear();
    m_port = 0;
    QStringList args{QStringLiteral("--listen"), listen, QStringLiteral("--data"), dataDir};
    args += extraArgs;
    m_process.setProgram(executable());
    m_process.setArguments(args);
    m_process.start();
    if (!m_process.waitForStarted(5000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(executable(), m_process.errorString());
        return false;
    }
    static const QRegularExpression re(QStringLiteral("listening on https?://[^:]+:(\\d+)\\n"));
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        m_process.waitForReadyRead(50);
        m_stdout += m_process.readAllStandardOutput();
        m_stderr += m_process.readAllStandardError();
        const auto m = re.match(QString::fromUtf8(m_stdout));
        if (m.hasMatch()) {
            m_port = quint16(m.captured(1).toUInt());
            return true;
        }
        if (m_process.state() == QProcess::NotRunning)
            break;
    }
    m_error = QStringLiteral("host did not start; stdout: %1\nstderr: %2")
                  .arg(QString::fromUtf8(m_stdout), QString::fromUtf8(m_stderr));
    return false;
}

bool HostProcess::stop(int timeoutMs) {
    if (!isRunning())
        return true;
    m_process.terminate();
    const bool ok = m_process.waitForFinished(timeoutMs);
    m_stderr += m_process.readAllStandardError();
    if (!ok)
        kill();
    return ok && m_process.exitStatus() == QProcess::NormalExit;
}

void HostProcess::kill() {
    m_process.kill();
    m_process.waitForFinished(5000);
    m_stderr += m_process.readAllStandardError();
}

QUrl HostProcess::http(const QString &pathAndQuery) const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(pathAndQuery));
}

QByteArray HostProcess::log() {
    m_stderr += m_process.readAllStandardError();
    return m_stderr;
}

bool HostProcess::waitForLog(const QByteArray &needle, int timeoutMs) {
    return QTest::qWaitFor([&] { return log().contains(needle); }, timeoutMs);
}
