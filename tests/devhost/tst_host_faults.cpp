// SPDX-License-Identifier: Apache-2.0
// The fault controls (--test-controls) and the keep-alive rules, against the real host.

#include "hostprocess.h"
#include "httpclient.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkInterface>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace stdb::protocol;

namespace {

std::unique_ptr<WsClient> connectClient(quint16 port, WsClient::Options o = {}) {
    auto c = std::make_unique<WsClient>();
    if (!c->connectTo(port, o)) {
        qWarning().noquote() << "connect failed:" << c->lastError();
        return nullptr;
    }
    return c;
}

// Opcodes of the server frames in a raw byte stream received after the 101 response
// (server frames are unmasked). Stops at the first incomplete frame.
QList<int> frameOpcodes(const QByteArray &stream) {
    QList<int> out;
    qsizetype pos = stream.indexOf("\r\n\r\n");
    if (pos < 0)
        return out;
    pos += 4;
    while (pos + 2 <= stream.size()) {
        const int opcode = uchar(stream[pos]) & 0x0f;
        quint64 len = uchar(stream[pos + 1]) & 0x7f;
        qsizetype header = 2;
        if (len == 126) {
            if (pos + 4 > stream.size())
                break;
            len = (quint64(uchar(stream[pos + 2])) << 8) | uchar(stream[pos + 3]);
            header = 4;
        } else if (len == 127) {
            if (pos + 10 > stream.size())
                break;
            len = 0;
            for (int i = 0; i < 8; ++i)
                len = (len << 8) | uchar(stream[pos + 2 + i]);
            header = 10;
        }
        if (pos + header + qint64(len) > stream.size())
            break;
        out.append(opcode);
        pos += header + qsizetype(len);
    }
    return out;
}

// Opens a WebSocket by hand and reads until the server ends the TCP connection.
class RawWebSocket {
public:
    bool open(quint16 port) {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!m_socket.waitForConnected(5000))
            return false;
        m_socket.write("GET /v1/database/quickstart-chat/subscribe?compression=None HTTP/1.1\r\n"
                       "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n"
                       "Sec-WebSocket-Protocol: v2.bsatn.spacetimedb\r\n\r\n");
        // Wait for the 101 and the InitialConnection frame.
        return QTest::qWaitFor(
            [&] {
                pump();
                return frameOpcodes(m_received).size() >= 1;
            },
            5000);
    }
    void pump() {
        m_socket.waitForReadyRead(10);
        m_received += m_socket.readAll();
    }
    bool waitClosed(int timeoutMs) {
        return QTest::qWaitFor(
            [&] {
                pump();
                return m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
    }
    const QByteArray &received() const { return m_received; }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
};

} // namespace

class TestHostFaults : public QObject {
    Q_OBJECT

    HostProcess m_host;
    HttpClient m_http;
    quint16 port() const { return m_host.port(); }

    QJsonObject counters() {
        return QJsonDocument::fromJson(
                   m_http.get(m_host.http(QStringLiteral("/_test/counters"))).body)
            .object();
    }
    HttpReply control(const QString &pathAndQuery, const QByteArray &body = {},
                      const QList<std::pair<QByteArray, QByteArray>> &headers = {}) {
        return m_http.post(m_host.http(pathAndQuery), body, headers);
    }

private slots:
    void initTestCase() {
        QVERIFY2(m_host.start(QStringLiteral(":memory:"), {QStringLiteral("--test-controls")}),
                 qPrintable(m_host.errorString()));
        QVERIFY(m_host.waitForLog("test controls enabled"));
    }
    void cleanup() {
        control(QStringLiteral("/_test/delay?ms=0"));
        if (QTest::currentTestFailed())
            qWarning().noquote() << "host log:\n" << m_host.log().right(6000);
    }
    void cleanupTestCase() { QVERIFY(m_host.stop()); }

    void countersCount() {
        QCOMPARE(m_http.post(m_host.http(QStringLiteral("/_test/counters/reset"))).status, 204);
        const QJsonObject before = counters();
        QCOMPARE(before.value(QStringLiteral("transactions")).toInt(), 0);
        auto a = connectClient(port());
        QVERIFY(a);
        QVERIFY(a->subscribe(1, {QStringLiteral("SELECT * FROM *")}));
        QVERIFY(a->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("count me"))));
        const QJsonObject after = counters();
        QCOMPARE(after.value(QStringLiteral("connections")).toInt(), 1);
        QCOMPARE(after.value(QStringLiteral("connections_opened")).toInt(), 1);
        QCOMPARE(after.value(QStringLiteral("transactions")).toInt(), 2); // connect + message
        QCOMPARE(after.value(QStringLiteral("reducer_calls")).toInt(), 1);
        QCOMPARE(after.value(QStringLiteral("frames_in")).toInt(), 2);
        QCOMPARE(after.value(QStringLiteral("frames_out")).toInt(), 3);
        QCOMPARE(after.value(QStringLiteral("query_sets")).toInt(), 1);
        QVERIFY(after.value(QStringLiteral("bytes_out")).toInt() > 0);

        const QJsonObject clients =
            QJsonDocument::fromJson(m_http.get(m_host.http(QStringLiteral("/_test/clients"))).body)
                .object();
        QCOMPARE(clients.value(QStringLiteral("clients")).toArray().size(), 1);
    }

    void dropAll() {
        auto a = connectClient(port());
        RawWebSocket raw;
        QVERIFY(a);
        QVERIFY(raw.open(port()));
        const HttpReply r = control(QStringLiteral("/_test/drop-all"));
        QCOMPARE(r.status, 200);
        QCOMPARE(QJsonDocument::fromJson(r.body).object().value(QStringLiteral("dropped")).toInt(),
                 2);
        QVERIFY(a->waitDisconnected());
        QVERIFY(raw.waitClosed(5000));
        // No close frame (opcode 8) came before the TCP connection ended: only the
        // InitialConnection binary frame. (Qt 6.4's QWebSocket does not report 1006 for this;
        // its closeCode() stays at the default 1000, so the raw bytes are what we check.)
        QCOMPARE(frameOpcodes(raw.received()), QList<int>{2});
        // The host ran the disconnect lifecycle for both.
        auto c = connectClient(port());
        QVERIFY(c);
        c->send(OneOffQuery{
            1,
            QStringLiteral("SELECT * FROM user WHERE identity = 0x%1").arg(a->identity().toHex())});
        auto q = c->nextAs<OneOffQueryResult>();
        QVERIFY(q);
        const QList<UserRow> users = usersIn(std::get<QueryRows>(q->result).tables[0].rows);
        QCOMPARE(users.size(), 1);
        QVERIFY(!users[0].online);
    }

    void closeWithCode() {
        auto a = connectClient(port());
        QVERIFY(a);
        QCOMPARE(control(QStringLiteral("/_test/close?code=4321&reason=bye%20now")).status, 200);
        QVERIFY(a->waitDisconnected());
        QCOMPARE(a->closeCode(), 4321);
        QCOMPARE(a->closeReason(), QStringLiteral("bye now"));
        auto b = connectClient(port());
        QVERIFY(b);
        QCOMPARE(control(QStringLiteral("/_test/close?code=1001&reason=module%20exited")).status,
                 200);
        QVERIFY(b->waitDisconnected());
        QCOMPARE(b->closeCode(), 1001);
        for (const char *bad : {"code=999", "code=1006", "code=x", "code=5000", ""})
            QCOMPARE(control(QStringLiteral("/_test/close?%1").arg(QLatin1String(bad))).status,
                     400);
    }

    void sendRaw() {
        auto a = connectClient(port());
        QVERIFY(a);
        QCOMPARE(control(QStringLiteral("/_test/send-raw"), "ff 00 01\n").status, 200);
        QVERIFY(QTest::qWaitFor([&] { return a->rawFrames().size() == 2; }, 5000));
        QCOMPARE(a->rawFrames().last(), QByteArray("\xff\x00\x01", 3));
        QCOMPARE(a->decodeErrors(), 1); // tag 0xff is not a compression tag

        const QByteArray binary("\x00\x04\x00\x00\x00\x00", 6); // an empty TransactionUpdate
        QCOMPARE(control(QStringLiteral("/_test/send-raw"), binary,
                         {{"Content-Type", "application/octet-stream"}})
                     .status,
                 200);
        auto tu = a->nextAs<TransactionUpdate>();
        QVERIFY2(tu, qPrintable(a->lastError()));
        QVERIFY(tu->querySets.isEmpty());

        QCOMPARE(control(QStringLiteral("/_test/send-raw?text=1"), "7b7d").status, 200);
        QVERIFY(QTest::qWaitFor([&] { return a->textFrames().size() == 1; }, 5000));
        QCOMPARE(a->textFrames().first(), QStringLiteral("{}"));

        QCOMPARE(control(QStringLiteral("/_test/send-raw"), "xyz").status, 400);
        QCOMPARE(control(QStringLiteral("/_test/send-raw"), "abc").status, 400);
        QVERIFY(a->isConnected());
    }

    void delayFrames() {
        auto a = connectClient(port());
        auto b = connectClient(port());
        QVERIFY(a && b);
        QVERIFY(b->subscribe(1, {QStringLiteral("SELECT * FROM message")}));
        QCOMPARE(control(QStringLiteral("/_test/delay?ms=400")).status, 200);
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < 5; ++i)
            a->send(CallReducer{quint32(i + 1), 0, QStringLiteral("send_message"),
                                stringArgs(QStringLiteral("late %1").arg(i))});
        for (int i = 0; i < 5; ++i) {
            auto rr = a->nextAs<ReducerResult>(3000);
            QVERIFY(rr);
            QCOMPARE(rr->requestId, quint32(i + 1));
        }
        QVERIFY(t.elapsed() >= 390);
        for (int i = 0; i < 5; ++i) {
            auto tu = b->nextAs<TransactionUpdate>(3000);
            QVERIFY(tu);
            QCOMPARE(
                decodeMessage(changesOf(tu->querySets, QStringLiteral("message")).inserts[0])->text,
                QStringLiteral("late %1").arg(i));
        }
        QCOMPARE(control(QStringLiteral("/_test/delay?ms=0")).status, 200);
        t.restart();
        QVERIFY(a->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("fast"))));
        QVERIFY(t.elapsed() < 300);
        QCOMPARE(control(QStringLiteral("/_test/delay?ms=-1")).status, 400);
    }

    void controlsAreLoopbackOnly() {
        QHostAddress external;
        for (const QHostAddress &a : QNetworkInterface::allAddresses())
            if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback())
                external = a;
        HostProcess wide;
        QVERIFY2(wide.startWith(QStringLiteral("0.0.0.0:0"), QStringLiteral(":memory:"),
                                {QStringLiteral("--test-controls")}),
                 qPrintable(wide.errorString()));
        QCOMPARE(m_http.get(wide.http(QStringLiteral("/_test/counters"))).status, 200);
        if (external.isNull()) {
            qInfo("no non-loopback IPv4 address on this machine; only loopback checked");
        } else {
            const QUrl url(QStringLiteral("http://%1:%2/_test/counters")
                               .arg(external.toString())
                               .arg(wide.port()));
            QCOMPARE(m_http.get(url).status, 404);
            QCOMPARE(m_http
                         .post(QUrl(QStringLiteral("http://%1:%2/_test/drop-all")
                                        .arg(external.toString())
                                        .arg(wide.port())))
                         .status,
                     404);
        }
        QVERIFY(wide.stop());
    }

    void idleClientsAreDropped() {
        HostProcess fast;
        QVERIFY2(fast.start(QStringLiteral(":memory:"),
                            {QStringLiteral("--ping-interval"), QStringLiteral("200"),
                             QStringLiteral("--idle-timeout"), QStringLiteral("1000")}),
                 qPrintable(fast.errorString()));
        // A well-behaved client answers pings (QWebSocket does) and stays.
        auto good = connectClient(fast.port());
        QVERIFY(good);
        // A silent one: handshake by hand, then never answer anything.
        QTcpSocket silent;
        silent.connectToHost(QStringLiteral("127.0.0.1"), fast.port());
        QVERIFY(silent.waitForConnected(5000));
        silent.write("GET /v1/database/quickstart-chat/subscribe?compression=None HTTP/1.1\r\n"
                     "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Protocol: v2.bsatn.spacetimedb\r\n\r\n");
        QByteArray received;
        QElapsedTimer t;
        t.start();
        QVERIFY(QTest::qWaitFor(
            [&] {
                silent.waitForReadyRead(20);
                received += silent.readAll();
                return silent.state() == QAbstractSocket::UnconnectedState;
            },
            8000));
        QVERIFY(received.startsWith("HTTP/1.1 101"));
        QVERIFY(received.contains("\x89\x00")); // it was pinged (unmasked, empty payload)
        QVERIFY2(t.elapsed() >= 900, QByteArray::number(t.elapsed()).constData());
        QVERIFY(fast.waitForLog("ms of silence"));
        // The good one, connected as long, is still served; only the silent one was dropped.
        QVERIFY(good->call(QStringLiteral("send_message"), stringArgs(QStringLiteral("alive"))));
        QVERIFY(good->isConnected());
        QCOMPARE(fast.log().count("ms of silence"), 1);
        QVERIFY(fast.stop());
    }
};

QTEST_GUILESS_MAIN(TestHostFaults)
#include "tst_host_faults.moc"
