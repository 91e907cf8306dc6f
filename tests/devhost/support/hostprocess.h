// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

// Starts the real spacetime-chat-host executable on 127.0.0.1 with a free port and parses the
// "listening on http(s)://127.0.0.1:PORT" line. Stderr (the host's log) is collected so a failing
// test can print it.
//
// The one switch for running the end-to-end tests against another server: when the environment
// variable STDB_TEST_SERVER is set (e.g. http://127.0.0.1:3000, a real SpacetimeDB with module/
// published), start() starts nothing and every URL points at that server and at the database
// STDB_TEST_DATABASE (default quickstart-chat). Tests use baseUrl() and database() instead of
// "127.0.0.1:port" and "quickstart-chat", and a test function that needs what only a host it
// starts itself has (restarts, --test-controls, the log, a fresh empty database) begins with
// STDB_REQUIRE_OWN_HOST("what it needs"), which skips it naming STDB_TEST_SERVER.
class HostProcess {
public:
    HostProcess() = default;
    ~HostProcess();
    HostProcess(const HostProcess &) = delete;
    HostProcess &operator=(const HostProcess &) = delete;

    static QString executable();

    // True when STDB_TEST_SERVER names an external server.
    static bool usesExternalServer();
    // The database the tests talk to: STDB_TEST_DATABASE, or quickstart-chat.
    static QString database();
    // The skip message for a test that needs `what` from a host of its own.
    static QByteArray externalSkipReason(const char *what);

    // dataDir ":memory:" keeps nothing. Returns false (with the log in errorString()) if the
    // host did not announce itself within the timeout. With STDB_TEST_SERVER set this only
    // checks the variable: dataDir must be ":memory:" and extraArgs at most --test-controls
    // (the functions using the controls skip), anything else fails with a reason.
    bool start(const QString &dataDir = QStringLiteral(":memory:"),
               const QStringList &extraArgs = {}, int timeoutMs = 15000);
    // Same with another --listen value (the port must be 0). Not with STDB_TEST_SERVER.
    bool startWith(const QString &listen, const QString &dataDir, const QStringList &extraArgs = {},
                   int timeoutMs = 15000);
    // SIGTERM and wait; kill() for SIGKILL. With STDB_TEST_SERVER: stop() does nothing and
    // returns true, kill() does nothing.
    bool stop(int timeoutMs = 10000);
    void kill();
    bool isRunning() const { return m_external || m_process.state() != QProcess::NotRunning; }

    quint16 port() const { return m_port; }
    // "http://127.0.0.1:PORT", or the external server (no trailing slash).
    QString baseUrl() const;
    QUrl http(const QString &pathAndQuery) const;
    // baseUrl() + "/v1/database/<database()>" + rest, e.g. database("/sql").
    QUrl databaseUrl(const QString &rest) const;
    QString errorString() const { return m_error; }
    // Everything the host wrote to stderr so far (nothing from an external server).
    QByteArray log();
    // Waits until the log contains `needle` (never true for an external server).
    bool waitForLog(const QByteArray &needle, int timeoutMs = 5000);
    QByteArray stdoutText() const { return m_stdout; }

private:
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    quint16 m_port = 0;
    QString m_error;
    bool m_external = false;
    QUrl m_externalUrl;
};

// First statement of a test function that needs a host of its own (see HostProcess).
#define STDB_REQUIRE_OWN_HOST(what)                                                                \
    do {                                                                                           \
        if (HostProcess::usesExternalServer())                                                     \
            QSKIP(HostProcess::externalSkipReason(what).constData());                              \
    } while (false)
