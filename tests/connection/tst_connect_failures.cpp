// SPDX-License-Identifier: Apache-2.0
// Why a connection attempt failed, as a typed ConnectFailure, for http and https alike: every
// case against a local server on 127.0.0.1 (or a name under .invalid, which never resolves).
// Asserts kinds, stages and the server's own status and text, never the English message.

#include "failureserver.h"
#include "testcertificates.h"

#include "spacetime/connection/dbconnection.h"

#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace stdb;
using namespace std::chrono_literals;
using Kind = ConnectFailure::Kind;
using Stage = ConnectFailure::Stage;
using Problem = ConnectFailure::CertificateProblem;

Q_DECLARE_METATYPE(ConnectFailure::Stage)
Q_DECLARE_METATYPE(ConnectFailure::CertificateProblem)
Q_DECLARE_METATYPE(FailureServer::Framing)

namespace {
constexpr int kWait = 15000;

quint16 closedPort() {
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort(); // closed again when `s` goes
}
} // namespace

class TestConnectFailures : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_cert, m_key;               // self-signed for 127.0.0.1
    QString m_wrongName, m_wrongNameKey; // self-signed for other.invalid
    QString m_expired, m_expiredKey;     // self-signed for 127.0.0.1, expired 2020
    QString m_unknownCa, m_unknownCaKey; // for 127.0.0.1, issued by an untrusted authority

    // One attempt, no retries: the failure it ended with (after connectError).
    ConnectFailure attempt(const QString &uri, const QList<QSslCertificate> &trusted = {},
                           std::chrono::milliseconds connectTimeout = 10s,
                           const QString &token = {}, Error *error = nullptr) {
        DbConnectionBuilder b;
        b.withUri(uri).withDatabaseName(QStringLiteral("quickstart-chat")).withToken(token);
        b.withConnectTimeout(connectTimeout);
        for (const QSslCertificate &c : trusted)
            b.withTrustedCertificate(c);
        auto built = b.build();
        if (!built) {
            qWarning() << "build failed:" << built.error().message();
            return {};
        }
        std::unique_ptr<DbConnection> conn(built.value());
        QSignalSpy failed(conn.get(), &DbConnection::connectError);
        if (!failed.wait(kWait)) {
            qWarning() << "no connectError from" << uri;
            return {};
        }
        if (error)
            *error = failed.first().at(0).value<Error>();
        // Decided on types: the typed reason is there when connectError is.
        qInfo().noquote() << uri << kindName(conn->lastConnectFailure().kind)
                          << failed.first().at(0).value<Error>().message();
        return conn->lastConnectFailure();
    }

    QSslCertificate cert(const QString &file) { return TestCertificates::loadCertificate(file); }

    std::unique_ptr<FailureServer> server(FailureServer::Behaviour behaviour, bool tls,
                                          const QString &certFile = {},
                                          const QString &keyFile = {}) {
        auto s = std::make_unique<FailureServer>();
        if (tls)
            s->setTls(cert(certFile.isEmpty() ? m_cert : certFile),
                      TestCertificates::loadKey(keyFile.isEmpty() ? m_key : keyFile));
        if (!s->start(behaviour))
            qWarning() << "cannot listen:" << s->errorString();
        return s;
    }

    static QString url(bool tls, quint16 port) {
        return QStringLiteral("%1://127.0.0.1:%2")
            .arg(tls ? QStringLiteral("https") : QStringLiteral("http"))
            .arg(port);
    }

    static void schemes() {
        QTest::addColumn<bool>("tls");
        QTest::newRow("http") << false;
        QTest::newRow("https") << true;
    }

private slots:
    void initTestCase() {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        QVERIFY(m_dir.isValid());
        QVERIFY(TestCertificates::selfSigned(m_dir.path(), QStringLiteral("host"),
                                             QStringLiteral("127.0.0.1"), true, &m_cert, &m_key));
        QVERIFY(TestCertificates::selfSigned(m_dir.path(), QStringLiteral("wrongname"),
                                             QStringLiteral("other.invalid"), false, &m_wrongName,
                                             &m_wrongNameKey));
        QVERIFY(TestCertificates::expired(m_dir.path(), QStringLiteral("expired"), &m_expired,
                                          &m_expiredKey));
        QVERIFY(TestCertificates::fromUnknownAuthority(m_dir.path(), QStringLiteral("unknownca"),
                                                       &m_unknownCa, &m_unknownCaKey));
    }

    void refused_data() { schemes(); }
    void refused() {
        QFETCH(bool, tls);
        Error error;
        const ConnectFailure f = attempt(url(tls, closedPort()), {}, 10s, {}, &error);
        QCOMPARE(f.kind, Kind::ConnectionRefused);
        QCOMPARE(error.kind(), Error::Kind::Network);
    }

    void hostNotFound_data() { schemes(); }
    void hostNotFound() {
        QFETCH(bool, tls);
        const ConnectFailure f =
            attempt(QStringLiteral("%1://no-such-host.invalid")
                        .arg(tls ? QStringLiteral("https") : QStringLiteral("http")));
        QCOMPARE(f.kind, Kind::HostNotFound);
        QCOMPARE(f.stage, Stage::Resolving);
    }

    // A server that accepts TCP and then says nothing: over https the TLS handshake never
    // completes, over http the upgrade is never answered.
    void timeout_data() {
        QTest::addColumn<bool>("tls");
        QTest::addColumn<Stage>("stage");
        QTest::newRow("http") << false << Stage::Upgrading;
        QTest::newRow("https") << true << Stage::TlsHandshake;
    }
    void timeout() {
        QFETCH(bool, tls);
        QFETCH(Stage, stage);
        auto s = server(FailureServer::Behaviour::Silent, false);
        const ConnectFailure f = attempt(url(tls, s->port()), {}, 700ms);
        QCOMPARE(f.kind, Kind::Timeout);
        QCOMPARE(f.stage, stage);
        QCOMPARE(f.timeoutMs, 700);
    }

    // https to a server that speaks plain HTTP: not a certificate problem, a failed handshake.
    void tlsHandshakeFailure() {
        auto s = server(FailureServer::Behaviour::RespondAtOnce, false);
        s->setResponse(400, "Bad Request", "plain http here");
        const ConnectFailure f = attempt(url(true, s->port()));
        QCOMPARE(f.kind, Kind::TlsHandshake);
    }

    void certificate_data() {
        QTest::addColumn<QString>("which");
        QTest::addColumn<bool>("trust");
        QTest::addColumn<Problem>("problem");
        QTest::newRow("self-signed") << QStringLiteral("host") << false << Problem::SelfSigned;
        QTest::newRow("unknown authority")
            << QStringLiteral("unknownca") << false << Problem::Untrusted;
        QTest::newRow("hostname mismatch")
            << QStringLiteral("wrongname") << true << Problem::HostnameMismatch;
        QTest::newRow("expired") << QStringLiteral("expired") << true << Problem::Expired;
    }
    void certificate() {
        QFETCH(QString, which);
        QFETCH(bool, trust);
        QFETCH(Problem, problem);
        const QHash<QString, std::pair<QString, QString>> files{
            {QStringLiteral("host"), {m_cert, m_key}},
            {QStringLiteral("unknownca"), {m_unknownCa, m_unknownCaKey}},
            {QStringLiteral("wrongname"), {m_wrongName, m_wrongNameKey}},
            {QStringLiteral("expired"), {m_expired, m_expiredKey}}};
        const auto [certFile, keyFile] = files.value(which);
        auto s = server(FailureServer::Behaviour::Respond, true, certFile, keyFile);
        const ConnectFailure f =
            attempt(url(true, s->port()),
                    trust ? QList<QSslCertificate>{cert(certFile)} : QList<QSslCertificate>{});
        QCOMPARE(f.kind, Kind::Certificate);
        QVERIFY2(f.certificate.contains(problem),
                 qPrintable(problemName(f.certificate.value(0, Problem::Other))));
        if (problem == Problem::Expired) {
            QCOMPARE(f.certificateExpiry.date(), QDate(2020, 1, 2));
        }
        QCOMPARE(s->requests(), 0); // nothing was sent over an unverified connection
    }

    // The server refuses the upgrade: its status and its own text reach the client.
    void httpStatus_data() {
        QTest::addColumn<bool>("tls");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reason");
        QTest::addColumn<QByteArray>("body");
        for (const bool tls : {false, true}) {
            const char *scheme = tls ? "https" : "http";
            QTest::addRow("%s 401", scheme)
                << tls << 401 << QByteArray("Unauthorized") << QByteArray("Authorization required");
            QTest::addRow("%s 403", scheme) << tls << 403 << QByteArray("Forbidden")
                                            << QByteArray("not allowed for this identity");
            // The real server's answer to an unknown database name.
            QTest::addRow("%s 404", scheme) << tls << 404 << QByteArray("Not Found")
                                            << QByteArray("`quickstart-chat` not found");
            QTest::addRow("%s 503", scheme)
                << tls << 503 << QByteArray("Service Unavailable") << QByteArray("");
        }
    }
    void httpStatus() {
        QFETCH(bool, tls);
        QFETCH(int, status);
        QFETCH(QByteArray, reason);
        QFETCH(QByteArray, body);
        auto s = server(FailureServer::Behaviour::Respond, tls);
        s->setResponse(status, reason, body);
        Error error;
        const ConnectFailure f = attempt(url(tls, s->port()), {cert(m_cert)}, 10s, {}, &error);
        QCOMPARE(f.kind, Kind::HttpStatus);
        QCOMPARE(f.httpStatus, status);
        QCOMPARE(f.httpReason, QString::fromLatin1(reason));
        QCOMPARE(f.httpBody, QString::fromUtf8(body));
        QCOMPARE(error.kind(), Error::Kind::Server);
    }

    // The response text however the server delimits it.
    void httpBodyFraming_data() {
        QTest::addColumn<bool>("tls");
        QTest::addColumn<FailureServer::Framing>("framing");
        for (const bool tls : {false, true}) {
            const char *scheme = tls ? "https" : "http";
            QTest::addRow("%s chunked", scheme) << tls << FailureServer::Framing::Chunked;
            QTest::addRow("%s until close", scheme) << tls << FailureServer::Framing::UntilClose;
        }
    }
    void httpBodyFraming() {
        QFETCH(bool, tls);
        QFETCH(FailureServer::Framing, framing);
        auto s = server(FailureServer::Behaviour::Respond, tls);
        s->setResponse(404, "Not Found", "`quickstart-chat` not found", framing);
        const ConnectFailure f = attempt(url(tls, s->port()), {cert(m_cert)});
        QCOMPARE(f.kind, Kind::HttpStatus);
        QCOMPARE(f.httpStatus, 404);
        QCOMPARE(f.httpBody, QStringLiteral("`quickstart-chat` not found"));
    }

    // Upgraded, then closed without a single message: the one case that may blame the
    // module's client_connected reducer.
    void closedAfterUpgrade_data() { schemes(); }
    void closedAfterUpgrade() {
        QFETCH(bool, tls);
        auto s = server(FailureServer::Behaviour::UpgradeThenClose, tls);
        const ConnectFailure f = attempt(url(tls, s->port()), {cert(m_cert)});
        QCOMPARE(f.kind, Kind::ClosedAfterUpgrade);
        QCOMPARE(f.stage, Stage::AwaitingHello);
        QCOMPARE(s->requests(), 1);
    }

    // A connection that succeeds clears the last failure.
    void noFailureByDefault() {
        DbConnectionBuilder b;
        b.withUri(url(false, closedPort())).withDatabaseName(QStringLiteral("x"));
        std::unique_ptr<DbConnection> conn(b.build().value());
        QCOMPARE(conn->lastConnectFailure().kind, Kind::None);
    }
};

QTEST_GUILESS_MAIN(TestConnectFailures)

#include "tst_connect_failures.moc"
