// SPDX-License-Identifier: Apache-2.0
#include "hostprocess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QTest>

HostProcess::~HostProcess() {
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString HostProcess::executable() {
    return QStringLiteral(HOST_EXECUTABLE);
}

namespace {

QString externalServerVariable() {
    return qEnvironmentVariable("STDB_TEST_SERVER").trimmed();
}

} // namespace

bool HostProcess::usesExternalServer() {
    return !externalServerVariable().isEmpty();
}

QString HostProcess::database() {
    const QString name = qEnvironmentVariable("STDB_TEST_DATABASE").trimmed();
    return name.isEmpty() ? QStringLiteral("quickstart-chat") : name;
}

QByteArray HostProcess::externalSkipReason(const char *what) {
    return QByteArrayLiteral("needs a spacetime-chat-host of its own (") + what +
           QByteArrayLiteral("); STDB_TEST_SERVER=") + externalServerVariable().toUtf8() +
           QByteArrayLiteral(" points the tests at an external server");
}

bool HostProcess::start(const QString &dataDir, const QStringList &extraArgs, int timeoutMs) {
    if (!usesExternalServer())
        return startWith(QStringLiteral("127.0.0.1:0"), dataDir, extraArgs, timeoutMs);
    m_port = 0;
    m_external = false;
    const QString variable = externalServerVariable();
    const QUrl url(variable, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
        url.host().isEmpty() || (!url.path().isEmpty() && url.path() != u"/") || url.hasQuery() ||
        url.hasFragment()) {
        m_error = QStringLiteral("STDB_TEST_SERVER=%1 is not a server URL like "
                                 "http://127.0.0.1:3000")
                      .arg(variable);
        return false;
    }
    if (dataDir != u":memory:" ||
        !(extraArgs.isEmpty() || extraArgs == QStringList{QStringLiteral("--test-controls")})) {
        m_error = QStringLiteral("this test starts the development host with --data %1 %2, "
                                 "which STDB_TEST_SERVER=%3 cannot give it; it should skip with "
                                 "STDB_REQUIRE_OWN_HOST")
                      .arg(dataDir, extraArgs.join(u' '), variable);
        return false;
    }
    m_externalUrl = url.adjusted(QUrl::StripTrailingSlash);
    m_externalUrl.setPath(QString());
    m_port = quint16(url.port(url.scheme() == u"https" ? 443 : 80));
    m_external = true;
    return true;
}

bool HostProcess::startWith(const QString &listen, const QString &dataDir,
                            const QStringList &extraArgs, int timeoutMs) {
    if (usesExternalServer()) {
        m_error = QStringLiteral("startWith(%1) restarts the development host on a given "
                                 "address, which STDB_TEST_SERVER cannot; the test should skip "
                                 "with STDB_REQUIRE_OWN_HOST")
                      .arg(listen);
        return false;
    }
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
    if (m_external || !isRunning())
        return true;
    m_process.terminate();
    const bool ok = m_process.waitForFinished(timeoutMs);
    m_stderr += m_process.readAllStandardError();
    if (!ok)
        kill();
    return ok && m_process.exitStatus() == QProcess::NormalExit;
}

void HostProcess::kill() {
    if (m_external)
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
    m_stderr += m_process.readAllStandardError();
}

QString HostProcess::baseUrl() const {
    if (m_external)
        return m_externalUrl.toString();
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QUrl HostProcess::http(const QString &pathAndQuery) const {
    return QUrl(baseUrl() + pathAndQuery);
}

QUrl HostProcess::databaseUrl(const QString &rest) const {
    return http(QStringLiteral("/v1/database/") + database() + rest);
}

QByteArray HostProcess::log() {
    if (m_external)
        return {};
    m_stderr += m_process.readAllStandardError();
    return m_stderr;
}

bool HostProcess::waitForLog(const QByteArray &needle, int timeoutMs) {
    if (m_external)
        return false;
    return QTest::qWaitFor([&] { return log().contains(needle); }, timeoutMs);
}
