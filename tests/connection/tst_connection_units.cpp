// SPDX-License-Identifier: Apache-2.0
// Unit-level tests of the connection layer that need no server: URI parsing, builder
// validation, the backoff schedule, request bookkeeping, the idle watchdog, failure texts.

#include "spacetime/connection/backoff.h"
#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/failure.h"
#include "spacetime/connection/idlewatchdog.h"
#include "spacetime/connection/manualclock.h"
#include "spacetime/connection/requesttracker.h"
#include "spacetime/connection/serveruri.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace stdb;
using namespace std::chrono_literals;

class TestConnectionUnits : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void uriAccepted_data();
    void uriAccepted();
    void uriRejected_data();
    void uriRejected();
    void subscribeUrl();
    void databaseNames();
    void builderErrors();
    void builderDefaults();
    void buildDoesNotBlock();
    void backoffSchedule();
    void backoffResetsAfterStableSession();
    void backoffJitter();
    void reconnectPolicyValidation();
    void requestIds();
    void requestBookkeeping();
    void watchdogPingsThenTimesOut();
    void watchdogActivityPostponesPing();
    void failureClassification();
    void failureTexts();
    void callsWhileDisconnected();
    void subscriptionLocalErrors();
};

void TestConnectionUnits::uriAccepted_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("ws");
    QTest::addColumn<QString>("display");
    QTest::newRow("http") << "http://localhost:3000"
                          << "ws://localhost:3000/"
                          << "http://localhost:3000";
    QTest::newRow("https") << "https://example.com"
                           << "wss://example.com/"
                           << "https://example.com";
    QTest::newRow("ws") << "ws://127.0.0.1:3000/"
                        << "ws://127.0.0.1:3000/"
                        << "ws://127.0.0.1:3000";
    QTest::newRow("wss") << "wss://db.example.com:443"
                         << "wss://db.example.com:443/"
                         << "wss://db.example.com:443";
    QTest::newRow("bare host:port") << "localhost:3000"
                                    << "ws://localhost:3000/"
                                    << "ws://localhost:3000";
    QTest::newRow("bare host") << "example.com"
                               << "ws://example.com/"
                               << "ws://example.com";
    QTest::newRow("upper-case scheme") << "HTTP://Example.com:80"
                                       << "ws://example.com:80/"
                                       << "http://example.com:80";
    QTest::newRow("base path") << "https://proxy.example.com/spacetime"
                               << "wss://proxy.example.com/spacetime/"
                               << "https://proxy.example.com/spacetime";
    QTest::newRow("base path slash") << "http://h:1/a/b/"
                                     << "ws://h:1/a/b/"
                                     << "http://h:1/a/b";
    QTest::newRow("ipv6") << "http://[::1]:3000"
                          << "ws://[::1]:3000/"
                          << "http://[::1]:3000";
    QTest::newRow("spaces around") << "  http://h:1  "
                                   << "ws://h:1/"
                                   << "http://h:1";
}

void TestConnectionUnits::uriAccepted() {
    QFETCH(QString, input);
    QFETCH(QString, ws);
    QFETCH(QString, display);
    auto u = ServerUri::parse(input);
    QVERIFY2(u.hasValue(), qPrintable(u ? QString() : u.error().message()));
    QCOMPARE(u->webSocketBase().toString(), ws);
    QCOMPARE(u->display(), display);
}

void TestConnectionUnits::uriRejected_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("empty") << ""
                           << "empty";
    QTest::newRow("blank") << "   "
                           << "empty";
    QTest::newRow("query") << "http://h:3000/?x=1"
                           << "query string";
    QTest::newRow("query no path") << "http://h:3000?token=abc"
                                   << "query string";
    QTest::newRow("fragment") << "http://h:3000/#x"
                              << "fragment";
    QTest::newRow("ftp") << "ftp://h/"
                         << "unsupported scheme";
    QTest::newRow("file") << "file:///tmp/x"
                          << "unsupported scheme";
    QTest::newRow("credentials") << "http://user:pw@h:3000"
                                 << "credentials";
    QTest::newRow("no host") << "http://:3000"
                             << "";
    QTest::newRow("bad port") << "http://h:99999"
                              << "not valid";
    QTest::newRow("space inside") << "http://h st:3000"
                                  << "spaces";
    QTest::newRow("newline") << "http://h:3000\n/x"
                             << "spaces";
}

void TestConnectionUnits::uriRejected() {
    QFETCH(QString, input);
    QFETCH(QString, mentions);
    auto u = ServerUri::parse(input);
    QVERIFY(!u.hasValue());
    QCOMPARE(u.error().kind(), Error::Kind::InvalidArgument);
    QVERIFY2(u.error().message().contains(mentions), qPrintable(u.error().message()));
}

void TestConnectionUnits::subscribeUrl() {
    auto u = ServerUri::parse(QStringLiteral("http://127.0.0.1:3000"));
    QVERIFY(u);
    QUrl url = u->subscribeUrl(QStringLiteral("quickstart-chat"), Compression::Gzip, std::nullopt);
    QCOMPARE(url.toString(), QStringLiteral("ws://127.0.0.1:3000/v1/database/quickstart-chat/"
                                            "subscribe?compression=Gzip"));
    url = u->subscribeUrl(QStringLiteral("db"), Compression::None, false);
    QCOMPARE(url.toString(),
             QStringLiteral("ws://127.0.0.1:3000/v1/database/db/subscribe?compression=None&"
                            "confirmed=false"));
    url = u->subscribeUrl(QStringLiteral("db"), Compression::Brotli, true);
    QCOMPARE(QUrlQuery(url).queryItemValue(QStringLiteral("confirmed")), QStringLiteral("true"));
    QCOMPARE(QUrlQuery(url).queryItemValue(QStringLiteral("compression")),
             QStringLiteral("Brotli"));
    QVERIFY(!QUrlQuery(url).hasQueryItem(QStringLiteral("light"))); // the server default: off
    url = u->subscribeUrl(QStringLiteral("db"), Compression::None, std::nullopt, true);
    QCOMPARE(url.toString(),
             QStringLiteral("ws://127.0.0.1:3000/v1/database/db/subscribe?compression=None&"
                            "light=true"));

    auto p = ServerUri::parse(QStringLiteral("https://example.com/base"));
    QVERIFY(p);
    QCOMPARE(p->subscribeUrl(QStringLiteral("chat"), Compression::Gzip, std::nullopt).toString(),
             QStringLiteral("wss://example.com/base/v1/database/chat/subscribe?compression=Gzip"));
    QCOMPARE(p->httpBase().toString(), QStringLiteral("https://example.com/base/"));

    // Names with characters that need encoding stay one path segment.
    url = u->subscribeUrl(QStringLiteral("my db"), Compression::Gzip, std::nullopt);
    QCOMPARE(url.path(QUrl::FullyEncoded), QStringLiteral("/v1/database/my%20db/subscribe"));
}

void TestConnectionUnits::databaseNames() {
    QVERIFY(validateDatabaseName(QStringLiteral("quickstart-chat")).isEmpty());
    QVERIFY(validateDatabaseName(QStringLiteral("c200") + QString(60, QLatin1Char('a'))).isEmpty());
    QVERIFY(validateDatabaseName(QStringLiteral("my_db.v2")).isEmpty());
    QVERIFY(!validateDatabaseName(QString()).isEmpty());
    QVERIFY(validateDatabaseName(QStringLiteral("a/b")).contains(QLatin1String("'/'")));
    QVERIFY(!validateDatabaseName(QStringLiteral("a?b")).isEmpty());
    QVERIFY(!validateDatabaseName(QStringLiteral("a#b")).isEmpty());
    QVERIFY(!validateDatabaseName(QStringLiteral("a%20b")).isEmpty());
    QVERIFY(!validateDatabaseName(QStringLiteral("..")).isEmpty());
    QVERIFY(!validateDatabaseName(QStringLiteral("has space")).isEmpty());
    QVERIFY(!validateDatabaseName(QString(300, QLatin1Char('a'))).isEmpty());
}

void TestConnectionUnits::builderErrors() {
    auto expectError = [](const DbConnectionBuilder &b, const QString &mentions) {
        auto o = b.options();
        if (o.hasValue())
            return QStringLiteral("accepted");
        if (o.error().kind() != Error::Kind::InvalidArgument)
            return QStringLiteral("wrong kind");
        if (!o.error().message().contains(mentions))
            return o.error().message();
        return QString();
    };
    const auto base = [] {
        return DbConnectionBuilder()
            .withUri(QStringLiteral("http://127.0.0.1:3000"))
            .withDatabaseName(QStringLiteral("quickstart-chat"));
    };
    QCOMPARE(expectError(DbConnectionBuilder().withDatabaseName(QStringLiteral("x")), "withUri"),
             QString());
    QCOMPARE(
        expectError(DbConnectionBuilder().withUri(QStringLiteral("http://h")), "withDatabaseName"),
        QString());
    QCOMPARE(expectError(base().withUri(QStringLiteral("http://h/?a=b")), "query string"),
             QString());
    QCOMPARE(expectError(base().withDatabaseName(QStringLiteral("a/b")), "database name"),
             QString());
    QCOMPARE(expectError(base().withToken(QStringLiteral("abc\r\nX-Evil: 1")), "token"), QString());
    QCOMPARE(expectError(base().withToken(QStringLiteral("abc def")), "token"), QString());
    ReconnectPolicy bad = ReconnectPolicy::standard();
    bad.maxDelay = 10ms;
    QCOMPARE(expectError(base().withReconnectPolicy(bad), "maximum delay"), QString());
    bad = ReconnectPolicy::standard();
    bad.jitter = 1.5;
    QCOMPARE(expectError(base().withReconnectPolicy(bad), "jitter"), QString());
    QCOMPARE(expectError(base().withMaxDecompressedSize(0), "decompressed"), QString());
    QCOMPARE(expectError(base().withKeepAlive(0ms, 10ms), "keep-alive"), QString());
    QCOMPARE(expectError(base().withConnectTimeout(0ms), "connect timeout"), QString());
    QCOMPARE(expectError(base().withTrustedCertificate(QSslCertificate()), "certificate"),
             QString());

    // build() reports the same error and creates nothing.
    QObject parent;
    auto c = DbConnectionBuilder().withUri(QStringLiteral("gopher://h")).build(&parent);
    QVERIFY(!c.hasValue());
    QVERIFY(c.error().message().contains(QLatin1String("unsupported scheme")));
    QVERIFY(parent.children().isEmpty());
}

void TestConnectionUnits::builderDefaults() {
    auto o = DbConnectionBuilder()
                 .withUri(QStringLiteral("localhost:3000"))
                 .withDatabaseName(QStringLiteral("quickstart-chat"))
                 .options();
    QVERIFY(o);
    QCOMPARE(o->compression, Compression::Gzip);
    QVERIFY(!o->confirmedReads.has_value());
    QVERIFY(!o->lightMode);
    QCOMPARE(o->protocol, ProtocolVersion::V2);
    QVERIFY(!o->reconnect.enabled);
    QCOMPARE(o->reconnect.initialDelay, 500ms);
    QCOMPARE(o->reconnect.maxDelay, 30000ms);
    QCOMPARE(o->reconnect.stableAfter, 60000ms);
    QCOMPARE(o->idleTimeout, 30000ms);
    QCOMPARE(o->pingTimeout, 30000ms);
    QVERIFY(o->token.isEmpty());

    auto t = DbConnectionBuilder()
                 .withUri(QStringLiteral("https://h"))
                 .withDatabaseName(QStringLiteral("d"))
                 .withToken(QStringLiteral("eyJ.abc.def"))
                 .withConfirmedReads(false)
                 .withLightMode(true)
                 .withCompression(Compression::Brotli)
                 .withProtocol(ProtocolVersion::V3)
                 .options();
    if (!t && t.error().message().contains(QLatin1String("TLS")))
        QSKIP("no TLS backend");
    QVERIFY(t);
    QCOMPARE(t->confirmedReads, std::optional<bool>(false));
    QVERIFY(t->lightMode);
    QCOMPARE(t->compression, Compression::Brotli);
    QCOMPARE(t->protocol, ProtocolVersion::V3);
    QCOMPARE(t->token, QStringLiteral("eyJ.abc.def"));
}

void TestConnectionUnits::buildDoesNotBlock() {
    // A blackholed address: build() must return at once; nothing is emitted synchronously.
    QElapsedTimer timer;
    timer.start();
    auto c = DbConnectionBuilder()
                 .withUri(QStringLiteral("http://10.255.255.1:9"))
                 .withDatabaseName(QStringLiteral("x"))
                 .build();
    QVERIFY(c);
    QVERIFY(timer.elapsed() < 200);
    QCOMPARE((*c)->state(), DbConnection::State::Connecting);
    QVERIFY(!(*c)->isActive());
    QVERIFY(!(*c)->hasIdentity());
    delete *c;
}

void TestConnectionUnits::backoffSchedule() {
    ReconnectPolicy p = ReconnectPolicy::standard();
    p.jitter = 0;
    Backoff b(p, 42);
    QList<qint64> got;
    for (int i = 0; i < 9; ++i)
        got.append(b.next().count());
    QCOMPARE(got, (QList<qint64>{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000}));
    QCOMPARE(b.step(), 9);
    b.reset();
    QCOMPARE(b.next().count(), 500);
    // Far steps do not overflow.
    QCOMPARE(b.nominal(5000).count(), 30000);
    QCOMPARE(b.nominal(0).count(), 500);

    p.multiplier = 1.0;
    Backoff flat(p, 1);
    QCOMPARE(flat.next().count(), 500);
    QCOMPARE(flat.next().count(), 500);
}

void TestConnectionUnits::backoffResetsAfterStableSession() {
    ManualClock clock;
    ReconnectPolicy p = ReconnectPolicy::standard();
    p.jitter = 0;
    p.stableAfter = 60000ms;
    Backoff b(p, 1, &clock);
    QCOMPARE(b.next().count(), 500);
    QCOMPARE(b.next().count(), 1000);
    // A short session: the schedule goes on.
    b.sessionStarted();
    clock.advance(59999ms);
    QCOMPARE(b.step(), 2);
    QCOMPARE(b.next().count(), 2000);
    // Its stable period still counts while reconnecting (as a timer started at connect would).
    clock.advance(1ms);
    QCOMPARE(b.step(), 0);
    QCOMPARE(b.next().count(), 500);
    QCOMPARE(b.next().count(), 1000); // counted once, not again on every next()
    // A session that stays up long enough starts the schedule again.
    b.sessionStarted();
    clock.advance(60000ms);
    QCOMPARE(b.next().count(), 500);

    // Without a stable period a session resets at once.
    p.stableAfter = 0ms;
    Backoff now(p, 1, &clock);
    QCOMPARE(now.next().count(), 500);
    now.sessionStarted();
    QCOMPARE(now.step(), 0);
    QCOMPARE(now.next().count(), 500);
}

void TestConnectionUnits::backoffJitter() {
    ReconnectPolicy p = ReconnectPolicy::standard(); // jitter 0.2
    Backoff a(p, 7);
    Backoff b(p, 7);
    bool sawShortened = false;
    for (int i = 0; i < 12; ++i) {
        const qint64 nominal = a.nominal(i).count();
        const qint64 d = a.next().count();
        QCOMPARE(b.next().count(), d); // same seed, same schedule
        QVERIFY2(d <= nominal && d >= qint64(nominal * 0.8) - 1,
                 qPrintable(QStringLiteral("%1 vs %2").arg(d).arg(nominal)));
        QVERIFY(d <= 30000);
        if (d < nominal)
            sawShortened = true;
    }
    QVERIFY(sawShortened);
}

void TestConnectionUnits::reconnectPolicyValidation() {
    QVERIFY(ReconnectPolicy().validate().isEmpty());
    QVERIFY(ReconnectPolicy::standard().validate().isEmpty());
    ReconnectPolicy p;
    p.initialDelay = 0ms;
    QVERIFY(!p.validate().isEmpty());
    p = {};
    p.multiplier = 0.5;
    QVERIFY(!p.validate().isEmpty());
    p = {};
    p.jitter = -0.1;
    QVERIFY(!p.validate().isEmpty());
}

void TestConnectionUnits::requestIds() {
    RequestTracker t;
    QCOMPARE(t.nextId(), 1u);
    QCOMPARE(t.nextId(), 2u);
    // Wrap-around skips 0 and ids still pending.
    RequestTracker w;
    w.setNextId(0xFFFFFFFEu);
    const quint32 a = w.nextId();
    QCOMPARE(a, 0xFFFFFFFEu);
    w.add(a, {});
    QCOMPARE(w.nextId(), 0xFFFFFFFFu);
    w.add(1, {});
    QCOMPARE(w.nextId(), 2u); // 0 skipped, 1 pending
    w.setNextId(0xFFFFFFFEu);
    QCOMPARE(w.nextId(), 0xFFFFFFFFu); // 0xFFFFFFFE still pending
}

void TestConnectionUnits::requestBookkeeping() {
    RequestTracker t;
    for (int i = 0; i < 5; ++i) {
        RequestTracker::Pending p;
        p.kind = i % 2 ? RequestTracker::Kind::Query : RequestTracker::Kind::Reducer;
        p.name = QString::number(i);
        p.sent = i < 3;
        t.add(t.nextId(), p);
    }
    QCOMPARE(t.size(), 5);
    // Wrong kind: not taken.
    QVERIFY(!t.take(1, RequestTracker::Kind::Query));
    auto r = t.take(1, RequestTracker::Kind::Reducer);
    QVERIFY(r);
    QCOMPARE(r->name, QStringLiteral("0"));
    QVERIFY(!t.take(1, RequestTracker::Kind::Reducer)); // only once
    QVERIFY(!t.take(99, RequestTracker::Kind::Reducer));

    auto sent = t.takeAll(true);
    QCOMPARE(sent.size(), 2);
    QCOMPARE(sent[0].second.name, QStringLiteral("1")); // issue order
    QCOMPARE(sent[1].second.name, QStringLiteral("2"));
    t.markAllSent();
    auto rest = t.takeAll();
    QCOMPARE(rest.size(), 2);
    QCOMPARE(rest[0].first, 4u);
    QVERIFY(rest[0].second.sent);
    QCOMPARE(t.size(), 0);
}

void TestConnectionUnits::watchdogPingsThenTimesOut() {
    ManualClock clock;
    IdleWatchdog w(nullptr, &clock);
    w.setIntervals(60ms, 60ms);
    QSignalSpy ping(&w, &IdleWatchdog::pingNeeded);
    QSignalSpy dead(&w, &IdleWatchdog::timedOut);
    w.start();
    clock.advance(59ms);
    QCOMPARE(ping.count(), 0);
    clock.advance(1ms);
    QCOMPARE(ping.count(), 1);
    QCOMPARE(dead.count(), 0);
    clock.advance(59ms);
    QCOMPARE(dead.count(), 0);
    clock.advance(1ms);
    QCOMPARE(dead.count(), 1);
    QCOMPARE(ping.count(), 1);
    QVERIFY(!w.isRunning());
    QCOMPARE(clock.activeTimers(), 0);
}

void TestConnectionUnits::watchdogActivityPostponesPing() {
    ManualClock clock;
    IdleWatchdog w(nullptr, &clock);
    w.setIntervals(100ms, 100ms);
    QSignalSpy ping(&w, &IdleWatchdog::pingNeeded);
    QSignalSpy dead(&w, &IdleWatchdog::timedOut);
    w.start();
    for (int i = 0; i < 8; ++i) {
        clock.advance(40ms);
        w.touch();
    }
    QCOMPARE(ping.count(), 0); // 320 ms in, never 100 ms without activity
    // The ping comes 100 ms after the last activity, not earlier.
    clock.advance(99ms);
    QCOMPARE(ping.count(), 0);
    clock.advance(1ms);
    QCOMPARE(ping.count(), 1);
    // The answer to the ping (touch, 10 ms later) keeps it alive: the next ping comes 100 ms
    // after the answer, and no timeout.
    clock.advance(10ms);
    w.touch();
    clock.advance(99ms);
    QCOMPARE(ping.count(), 1);
    clock.advance(1ms);
    QCOMPARE(ping.count(), 2);
    QCOMPARE(dead.count(), 0);
    QVERIFY(w.isRunning());
    w.stop();
    QCOMPARE(clock.activeTimers(), 0);
    clock.advance(1000ms);
    QCOMPARE(dead.count(), 0);
    QCOMPARE(ping.count(), 2);
}

// What the socket saw -> the typed reason (the end-to-end cases are in tst_connect_failures).
void TestConnectionUnits::failureClassification() {
    using K = ConnectFailure::Kind;
    using S = ConnectFailure::Stage;
    SocketFailure refused;
    refused.hasSocketError = true;
    refused.socketError = QAbstractSocket::ConnectionRefusedError;
    refused.stage = S::Connecting;
    QCOMPARE(classifyConnectFailure(refused).kind, K::ConnectionRefused);

    // QWebSocket's "connection refused" for an upgrade answer it did not accept is an HTTP
    // status once the probe read it, whatever Qt's sentence was.
    SocketFailure http = refused;
    http.stage = S::Upgrading;
    http.upgradeRefused = true;
    http.probeAnswered = true;
    http.httpStatus = 404;
    http.httpBody = QStringLiteral("`x` not found");
    ConnectFailure c = classifyConnectFailure(http);
    QCOMPARE(c.kind, K::HttpStatus);
    QCOMPARE(c.httpStatus, 404);
    QCOMPARE(c.httpBody, QStringLiteral("`x` not found"));
    http.httpStatus = 101; // upgraded the second time: the first answer was malformed
    QCOMPARE(classifyConnectFailure(http).kind, K::Protocol);
    http.probeAnswered = false;
    QCOMPARE(classifyConnectFailure(http).kind, K::ClosedBeforeUpgrade);
    http.probeTimedOut = true;
    QCOMPARE(classifyConnectFailure(http).kind, K::Timeout);

    SocketFailure cert;
    cert.stage = S::TlsHandshake;
    cert.hasSocketError = true;
    cert.socketError = QAbstractSocket::SslHandshakeFailedError;
    QCOMPARE(classifyConnectFailure(cert).kind, K::TlsHandshake);
    cert.sslErrorCodes = {QSslError::HostNameMismatch, QSslError::SelfSignedCertificate,
                          QSslError::CertificateExpired, QSslError::SelfSignedCertificate};
    c = classifyConnectFailure(cert);
    QCOMPARE(c.kind, K::Certificate);
    QCOMPARE(c.certificate, (QList<ConnectFailure::CertificateProblem>{
                                ConnectFailure::CertificateProblem::SelfSigned,
                                ConnectFailure::CertificateProblem::HostnameMismatch,
                                ConnectFailure::CertificateProblem::Expired}));

    // Closed without an error: where it happened decides. Only after the upgrade, and only
    // without any message, is it the module's refusal.
    SocketFailure closed;
    closed.stage = S::AwaitingHello;
    QCOMPARE(classifyConnectFailure(closed).kind, K::ClosedAfterUpgrade);
    closed.framesReceived = 1;
    QCOMPARE(classifyConnectFailure(closed).kind, K::Protocol);
    closed = {};
    closed.stage = S::TlsHandshake;
    QCOMPARE(classifyConnectFailure(closed).kind, K::TlsHandshake);
    closed.stage = S::Upgrading;
    QCOMPARE(classifyConnectFailure(closed).kind, K::ClosedBeforeUpgrade);
    closed.hasSocketError = true;
    closed.socketError = QAbstractSocket::RemoteHostClosedError;
    QCOMPARE(classifyConnectFailure(closed).kind, K::ClosedBeforeUpgrade);
    closed.stage = S::Resolving;
    closed.socketError = QAbstractSocket::HostNotFoundError;
    QCOMPARE(classifyConnectFailure(closed).kind, K::HostNotFound);
}

void TestConnectionUnits::failureTexts() {
    auto o = DbConnectionBuilder()
                 .withUri(QStringLiteral("http://127.0.0.1:3000"))
                 .withDatabaseName(QStringLiteral("quickstart-chat"))
                 .options();
    QVERIFY(o);
    SocketFailure f;
    f.stage = ConnectFailure::Stage::Upgrading;
    f.upgradeRefused = true;
    f.probeAnswered = true;
    f.httpStatus = 404;
    Failure r = describeConnectFailure(f, *o);
    QCOMPARE(r.error.message(),
             QStringLiteral("database quickstart-chat not found on http://127.0.0.1:3000"));
    QCOMPARE(r.connect.kind, ConnectFailure::Kind::HttpStatus);
    QVERIFY(!r.retryable);

    f.httpStatus = 401;
    o->token = QStringLiteral("t");
    r = describeConnectFailure(f, *o);
    QVERIFY(r.error.message().contains(QLatin1String("rejected the saved token")));
    QVERIFY(!r.retryable);

    f.httpStatus = 503;
    f.httpBody = QStringLiteral("overloaded");
    r = describeConnectFailure(f, *o);
    QVERIFY(r.error.message().contains(QLatin1String("HTTP 503")));
    QVERIFY(r.error.message().contains(QLatin1String("overloaded")));
    QVERIFY(r.retryable);

    SocketFailure refused;
    refused.hasSocketError = true;
    refused.socketError = QAbstractSocket::ConnectionRefusedError;
    r = describeConnectFailure(refused, *o);
    QCOMPARE(r.error.message(), QStringLiteral("cannot reach http://127.0.0.1:3000: connection "
                                               "refused (is the server running?)"));
    QCOMPARE(r.error.kind(), Error::Kind::Network);
    QVERIFY(r.retryable);

    SocketFailure closed;
    closed.closeCode = 1011;
    closed.closeReason = QStringLiteral("Subscription with id 1 already exists");
    r = describeSessionEnd(closed, *o);
    QVERIFY(r.error.message().contains(QLatin1String("already exists")));
    QVERIFY(r.error.message().contains(QLatin1String("1011")));

    SocketFailure rejected;
    rejected.stage = ConnectFailure::Stage::AwaitingHello;
    rejected.closeCode = 1006;
    r = describeConnectFailure(rejected, *o);
    QVERIFY(r.error.message().contains(QLatin1String("client_connected")));
    // Before the upgrade the module is never blamed.
    rejected.stage = ConnectFailure::Stage::TlsHandshake;
    r = describeConnectFailure(rejected, *o);
    QVERIFY(!r.error.message().contains(QLatin1String("client_connected")));
}

void TestConnectionUnits::callsWhileDisconnected() {
    auto c = DbConnectionBuilder()
                 .withUri(QStringLiteral("http://127.0.0.1:1"))
                 .withDatabaseName(QStringLiteral("x"))
                 .build();
    QVERIFY(c);
    DbConnection *conn = *c;
    // Queued while connecting; refused locally when too large.
    int called = 0;
    ReducerOutcome outcome;
    auto id = conn->callReducer(QStringLiteral("send_message"), QByteArray("\x01\0\0\0x", 5),
                                [&](const ReducerOutcome &o) {
                                    ++called;
                                    outcome = o;
                                });
    QVERIFY(id);
    std::optional<ProcedureOutcome> procedure;
    QVERIFY(conn->callProcedure(QStringLiteral("p"), {},
                                [&](const ProcedureOutcome &o) { procedure = o; }));
    QCOMPARE(conn->pendingRequestCount(), 2);
    auto big = conn->callReducer(QStringLiteral("send_message"),
                                 QByteArray(protocol::kMaxClientMessageSize, 'x'));
    QVERIFY(!big);
    QCOMPARE(big.error().kind(), Error::Kind::InvalidArgument);
    QVERIFY(big.error().message().contains(QLatin1String("32 MiB")));
    QCOMPARE(conn->pendingRequestCount(), 2);
    QVERIFY(!conn->callReducer(QString(), {}));
    QVERIFY(!conn->oneOffQuery(QStringLiteral("  "), [](const auto &) {}));

    QSignalSpy state(conn, &DbConnection::stateChanged);
    conn->disconnect();
    QCOMPARE(conn->state(), DbConnection::State::Disconnected);
    QCOMPARE(called, 1);
    QCOMPARE(outcome.status, ReducerOutcome::Status::NeverSent);
    QCOMPARE(outcome.error().kind(), Error::Kind::Disconnected);
    QVERIFY(procedure);
    QCOMPARE(procedure->status, ProcedureOutcome::Status::NeverSent);
    QCOMPARE(procedure->error().kind(), Error::Kind::Disconnected);
    QCOMPARE(conn->pendingRequestCount(), 0);
    // Now refused at once.
    auto after = conn->callReducer(QStringLiteral("x"), {});
    QVERIFY(!after);
    QCOMPARE(after.error().kind(), Error::Kind::Disconnected);
    delete conn;
}

void TestConnectionUnits::subscriptionLocalErrors() {
    auto c = DbConnectionBuilder()
                 .withUri(QStringLiteral("http://127.0.0.1:1"))
                 .withDatabaseName(QStringLiteral("x"))
                 .build();
    QVERIFY(c);
    DbConnection *conn = *c;
    int errors = 0;
    auto h = conn->subscriptionBuilder()
                 .onError([&](const EventContext &ctx) {
                     ++errors;
                     QCOMPARE(ctx.kind(), EventContext::Kind::SubscriptionError);
                 })
                 .subscribe(QStringList{});
    QCOMPARE(h.state(), SubscriptionHandle::State::Failed);
    QVERIFY(h.isEnded());
    QCOMPARE(errors, 0); // never inside the call
    QTRY_COMPARE(errors, 1);
    QVERIFY(h.unsubscribe().isError());

    // No tables registered: subscribeToAllTables has no query.
    auto all = conn->subscribeToAllTables();
    QVERIFY(all.isEnded());

    // Queued before connect; cancelling locally ends it without a server round trip.
    int ended = 0;
    auto p = conn->subscriptionBuilder().subscribe(QStringLiteral("SELECT * FROM user"));
    QCOMPARE(p.state(), SubscriptionHandle::State::Pending);
    QCOMPARE(conn->subscriptions().size(), 1);
    QVERIFY(!p.unsubscribeThen([&](const EventContext &) { ++ended; }).isError());
    QVERIFY(p.unsubscribe().isError()); // already unsubscribing
    QTRY_COMPARE(ended, 1);
    QCOMPARE(p.state(), SubscriptionHandle::State::Ended);
    QCOMPARE(conn->subscriptions().size(), 0);
    delete conn;
}

QTEST_GUILESS_MAIN(TestConnectionUnits)
#include "tst_connection_units.moc"
