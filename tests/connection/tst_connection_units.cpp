// SPDX-License-Identifier: Apache-2.0
// Unit-level tests of the connection layer that need no server: URI parsing, builder
// validation, the backoff schedule, request bookkeeping, the idle watchdog, failure texts, the
// WebSocket frame reader.

#include "spacetime/connection/backoff.h"
#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/failure.h"
#include "spacetime/connection/idlewatchdog.h"
#include "spacetime/connection/manualclock.h"
#include "spacetime/connection/requesttracker.h"
#include "spacetime/connection/serveruri.h"
#include "spacetime/connection/websocketreader.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocketProtocol>
#include <QtEndian>

#include <cstring>

using namespace stdb;
using namespace std::chrono_literals;

namespace {

// A byte stream the test appends to, read like a socket (sequential, what has arrived).
class Pipe : public QIODevice {
public:
    Pipe() { open(QIODevice::ReadOnly); }
    void feed(const QByteArray &bytes) { m_data.append(bytes); }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override {
        return qint64(m_data.size() - m_at) + QIODevice::bytesAvailable();
    }

protected:
    qint64 readData(char *data, qint64 max) override {
        const qint64 n = std::min<qint64>(max, m_data.size() - m_at);
        if (n > 0) // QIODevice may ask with no buffer for nothing
            std::memcpy(data, m_data.constData() + m_at, size_t(n));
        m_at += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qsizetype m_at = 0;
};

// One server frame: FIN, opcode, payload (7-, 16- or 64-bit length as the size needs).
QByteArray wsFrame(int opcode, const QByteArray &payload, bool fin = true, quint8 rsv = 0,
                   bool forceLong = false, quint32 mask = 0) {
    QByteArray f;
    f.append(char((fin ? 0x80 : 0) | rsv | opcode));
    const char maskBit = mask ? char(0x80) : char(0);
    const qsizetype n = payload.size();
    if (n < 126 && !forceLong) {
        f.append(char(maskBit | char(n)));
    } else if (n <= 0xffff && !forceLong) {
        f.append(char(maskBit | 126));
        char b[2];
        qToBigEndian(quint16(n), b);
        f.append(b, 2);
    } else {
        f.append(char(maskBit | 127));
        char b[8];
        qToBigEndian(quint64(n), b);
        f.append(b, 8);
    }
    QByteArray body = payload;
    if (mask) {
        char k[4];
        qToBigEndian(mask, k);
        f.append(k, 4);
        for (qsizetype i = 0; i < body.size(); ++i)
            body[i] = char(body[i] ^ k[i % 4]);
    }
    return f + body;
}

QByteArray closePayload(quint16 code, const QByteArray &reason = {}) {
    char b[2];
    qToBigEndian(code, b);
    return QByteArray(b, 2) + reason;
}

QByteArray patternBytes(qsizetype n, int seed) {
    QByteArray b(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        b[i] = char((i * 131 + seed) & 0xff);
    return b;
}

using WsKind = WebSocketReader::Event::Kind;

} // namespace

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
    void wsReaderSingleFrames();
    void wsReaderManyFragmentsAnyChunking();
    void wsReaderControlFramesBetweenFragments();
    void wsReaderMessageLimit();
    void wsReaderProtocolErrors_data();
    void wsReaderProtocolErrors();
    void wsReaderCloseEndsStream();
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
    QCOMPARE(o->compression, Compression::Brotli); // the server's and the Rust/C# SDKs' default
    QVERIFY(!o->confirmedReads.has_value());
    QVERIFY(!o->lightMode);
    QVERIFY(!o->ownFrameReader); // QWebSocket reads by default; the own reader is a proposal
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
                 .withOwnFrameReader(true)
                 .withCompression(Compression::Brotli)
                 .withProtocol(ProtocolVersion::V3)
                 .options();
    if (!t && t.error().message().contains(QLatin1String("TLS")))
        QSKIP("no TLS backend");
    QVERIFY(t);
    QCOMPARE(t->confirmedReads, std::optional<bool>(false));
    QVERIFY(t->lightMode);
    QVERIFY(t->ownFrameReader);
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

// One binary message per frame of each length form; text; a masked frame is unmasked.
void TestConnectionUnits::wsReaderSingleFrames() {
    WebSocketReader r(qint64(1) << 30);
    Pipe p;
    const QByteArray small = patternBytes(100, 1);
    const QByteArray medium = patternBytes(70000, 2);
    const QByteArray longForm = patternBytes(300, 3);
    p.feed(wsFrame(2, small) + wsFrame(2, medium) + wsFrame(2, longForm, true, 0, true) +
           wsFrame(2, {}) + wsFrame(1, QByteArray("h\xc3\xa9llo")) +
           wsFrame(2, small, true, 0, false, 0x12345678));
    const auto ev = r.read(&p);
    QCOMPARE(ev.size(), 6);
    QCOMPARE(ev[0].kind, WsKind::Binary);
    QCOMPARE(ev[0].data, small);
    QCOMPARE(ev[1].data, medium);
    QCOMPARE(ev[2].data, longForm);
    QCOMPARE(ev[3].kind, WsKind::Binary);
    QVERIFY(ev[3].data.isEmpty());
    QCOMPARE(ev[4].kind, WsKind::Text);
    QCOMPARE(ev[4].data, QByteArray("h\xc3\xa9llo"));
    QCOMPARE(ev[5].kind, WsKind::Binary);
    QCOMPARE(ev[5].data, small);
    QVERIFY(!r.messageInTransit());
    QVERIFY(!r.finished());
    QCOMPARE(p.bytesAvailable(), 0);
}

// A message of 3000 fragments (4 KiB as SpacetimeDB sends, then odd sizes) arrives whole and in
// order however the stream is cut: in 1-byte steps for a small one, in uneven chunks otherwise.
void TestConnectionUnits::wsReaderManyFragmentsAnyChunking() {
    const QByteArray message = patternBytes(3000 * 4096 + 777, 5);
    QByteArray wire;
    qsizetype at = 0;
    for (int i = 0; at < message.size(); ++i) {
        const qsizetype n =
            std::min<qsizetype>(i < 2000 ? 4096 : 4096 + 1 + (i % 7) * 1000, message.size() - at);
        wire += wsFrame(at == 0 ? 2 : 0, message.mid(at, n), at + n == message.size());
        at += n;
    }
    wire += wsFrame(2, QByteArray("after"));
    WebSocketReader r(qint64(1) << 30);
    Pipe p;
    QList<WebSocketReader::Event> ev;
    qsizetype fed = 0;
    for (int step = 1; fed < wire.size(); ++step) {
        const qsizetype n = std::min<qsizetype>((step * 7919) % 65536 + 1, wire.size() - fed);
        p.feed(wire.mid(fed, n));
        fed += n;
        ev += r.read(&p);
        if (fed < wire.size() - 10)
            QVERIFY(ev.isEmpty() && r.messageInTransit());
    }
    QCOMPARE(ev.size(), 2);
    QCOMPARE(ev[0].kind, WsKind::Binary);
    QCOMPARE(ev[0].data.size(), message.size());
    QVERIFY(ev[0].data == message);
    QCOMPARE(ev[1].data, QByteArray("after"));

    const QByteArray small = patternBytes(40, 9);
    const QByteArray tiny = wsFrame(2, small.first(10), false) +
                            wsFrame(0, small.mid(10, 25), false) + wsFrame(0, {}, false) +
                            wsFrame(0, small.mid(35), true);
    WebSocketReader r2(1000);
    Pipe p2;
    QList<WebSocketReader::Event> ev2;
    for (char c : tiny) {
        p2.feed(QByteArray(1, c));
        ev2 += r2.read(&p2);
    }
    QCOMPARE(ev2.size(), 1);
    QCOMPARE(ev2[0].data, small);
}

// Pings, pongs and a close may come between the fragments of a message (RFC 6455 5.4).
void TestConnectionUnits::wsReaderControlFramesBetweenFragments() {
    WebSocketReader r(1 << 20);
    Pipe p;
    p.feed(wsFrame(2, "ab", false) + wsFrame(9, "ping!") + wsFrame(0, "cd", false) +
           wsFrame(10, "") + wsFrame(0, "ef", true));
    const auto ev = r.read(&p);
    QCOMPARE(ev.size(), 3);
    QCOMPARE(ev[0].kind, WsKind::Ping);
    QCOMPARE(ev[0].data, QByteArray("ping!"));
    QCOMPARE(ev[1].kind, WsKind::Pong);
    QCOMPARE(ev[2].kind, WsKind::Binary);
    QCOMPARE(ev[2].data, QByteArray("abcdef"));
}

// The message size limit counts the whole message: one frame too large, or fragments that
// add up past it, end the stream with 1009 before the payload is read; up to it is fine.
void TestConnectionUnits::wsReaderMessageLimit() {
    {
        WebSocketReader r(1000);
        Pipe p;
        p.feed(wsFrame(2, patternBytes(1000, 1)) + wsFrame(2, patternBytes(1001, 2)));
        const auto ev = r.read(&p);
        QCOMPARE(ev.size(), 2);
        QCOMPARE(ev[0].kind, WsKind::Binary);
        QCOMPARE(ev[0].data.size(), 1000);
        QCOMPARE(ev[1].kind, WsKind::Error);
        QCOMPARE(ev[1].closeCode, int(QWebSocketProtocol::CloseCodeTooMuchData));
        QVERIFY(ev[1].text.contains(QStringLiteral("1000 bytes")));
        QVERIFY(r.finished());
        QVERIFY(r.read(&p).isEmpty());
    }
    {
        WebSocketReader r(1000);
        Pipe p;
        p.feed(wsFrame(2, patternBytes(600, 1), false) + wsFrame(0, patternBytes(401, 2), true));
        const auto ev = r.read(&p);
        QCOMPARE(ev.size(), 1);
        QCOMPARE(ev[0].kind, WsKind::Error);
        QCOMPARE(ev[0].closeCode, int(QWebSocketProtocol::CloseCodeTooMuchData));
    }
    {
        // A header claiming 2^62 bytes is refused from the header alone.
        WebSocketReader r(qint64(1) << 40);
        Pipe p;
        QByteArray h("\x82\x7f", 2);
        char b[8];
        qToBigEndian(quint64(1) << 62, b);
        p.feed(h + QByteArray(b, 8));
        const auto ev = r.read(&p);
        QCOMPARE(ev.size(), 1);
        QCOMPARE(ev[0].closeCode, int(QWebSocketProtocol::CloseCodeTooMuchData));
    }
}

void TestConnectionUnits::wsReaderProtocolErrors_data() {
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("code");
    const int protocol = QWebSocketProtocol::CloseCodeProtocolError;
    QTest::newRow("reserved bit") << wsFrame(2, "x", true, 0x40) << protocol;
    QTest::newRow("reserved opcode 3") << wsFrame(3, "x") << protocol;
    QTest::newRow("reserved opcode 11") << wsFrame(11, "x") << protocol;
    QTest::newRow("fragmented ping") << wsFrame(9, "x", false) << protocol;
    QTest::newRow("ping of 126 bytes") << wsFrame(9, QByteArray(126, 'p')) << protocol;
    QTest::newRow("continuation first") << wsFrame(0, "x") << protocol;
    QTest::newRow("binary inside a message")
        << wsFrame(2, "a", false) + wsFrame(2, "b") << protocol;
    QTest::newRow("close of 1 byte") << wsFrame(8, "\x03") << protocol;
    QTest::newRow("close code 1005") << wsFrame(8, closePayload(1005)) << protocol;
    QTest::newRow("close code 2000") << wsFrame(8, closePayload(2000)) << protocol;
    QTest::newRow("length with top bit")
        << QByteArray("\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x01", 10) << protocol;
    QTest::newRow("text not UTF-8") << wsFrame(1, QByteArray("ok\xc3", 3), false) + wsFrame(0, "(")
                                    << int(QWebSocketProtocol::CloseCodeWrongDatatype);
    QTest::newRow("close reason not UTF-8") << wsFrame(8, closePayload(1000, "\xff"))
                                            << int(QWebSocketProtocol::CloseCodeWrongDatatype);
}

// Every broken stream ends with one Error event naming the close code QWebSocket would send;
// frames before it are still delivered, nothing after it is read.
void TestConnectionUnits::wsReaderProtocolErrors() {
    QFETCH(QByteArray, wire);
    QFETCH(int, code);
    WebSocketReader r(1 << 20);
    Pipe p;
    p.feed(wsFrame(2, "before") + wire + wsFrame(2, "after"));
    const auto ev = r.read(&p);
    QCOMPARE(ev.size(), 2);
    QCOMPARE(ev[0].data, QByteArray("before"));
    QCOMPARE(ev[1].kind, WsKind::Error);
    QCOMPARE(ev[1].closeCode, code);
    QVERIFY(!ev[1].text.isEmpty());
    QVERIFY(r.finished());
    p.feed(wsFrame(2, "more"));
    QVERIFY(r.read(&p).isEmpty());
}

// A close frame carries its code and reason (1000 without one) and ends the stream.
void TestConnectionUnits::wsReaderCloseEndsStream() {
    {
        WebSocketReader r(1 << 20);
        Pipe p;
        p.feed(wsFrame(8, closePayload(4001, "going \xc3\xa9")) + wsFrame(2, "late"));
        const auto ev = r.read(&p);
        QCOMPARE(ev.size(), 1);
        QCOMPARE(ev[0].kind, WsKind::Close);
        QCOMPARE(ev[0].closeCode, 4001);
        QCOMPARE(ev[0].text, QStringLiteral("going \u00e9"));
        QVERIFY(r.finished());
    }
    {
        WebSocketReader r(1 << 20);
        Pipe p;
        p.feed(wsFrame(8, {}));
        const auto ev = r.read(&p);
        QCOMPARE(ev.size(), 1);
        QCOMPARE(ev[0].kind, WsKind::Close);
        QCOMPARE(ev[0].closeCode, int(QWebSocketProtocol::CloseCodeNormal));
    }
}

QTEST_GUILESS_MAIN(TestConnectionUnits)
#include "tst_connection_units.moc"
