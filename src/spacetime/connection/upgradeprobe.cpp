// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/upgradeprobe.h"

#include "spacetime/connection/connectionlog_p.h"

#include <QRandomGenerator>
#include <QSslSocket>

namespace stdb {

namespace {
// A head larger than this is not an answer we can use.
constexpr qsizetype kMaxHead = 16 * 1024;

// The response text as a person may read it: UTF-8, without control characters but line
// breaks and tabs.
QString bodyText(const QByteArray &bytes) {
    QString text = QString::fromUtf8(bytes.left(UpgradeProbe::kMaxBody));
    for (QChar &c : text)
        if (c.category() == QChar::Other_Control && c != u'\n' && c != u'\t')
            c = u' ';
    return text.trimmed();
}

// The body of a chunked response as far as it has arrived; `complete` when the last chunk is in.
QByteArray dechunk(QByteArrayView in, bool *complete) {
    QByteArray out;
    *complete = false;
    qsizetype pos = 0;
    while (pos < in.size() && out.size() < UpgradeProbe::kMaxBody) {
        const qsizetype eol = in.indexOf("\r\n", pos);
        if (eol < 0)
            break;
        QByteArrayView sizeField = in.sliced(pos, eol - pos);
        if (const qsizetype semi = sizeField.indexOf(';'); semi >= 0)
            sizeField = sizeField.first(semi);
        bool ok = false;
        const qint64 size = sizeField.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0) {
            *complete = true; // malformed: keep what we have
            break;
        }
        if (size == 0) {
            *complete = true;
            break;
        }
        const qsizetype dataStart = eol + 2;
        const qsizetype available = std::min<qsizetype>(in.size() - dataStart, size);
        out.append(in.sliced(dataStart, available));
        if (available < size)
            break;
        pos = dataStart + size + 2;
    }
    if (out.size() >= UpgradeProbe::kMaxBody)
        *complete = true;
    return out;
}
} // namespace

UpgradeProbe::UpgradeProbe(const QNetworkRequest &request, const QStringList &subprotocols,
                           const QSslConfiguration &ssl, std::chrono::milliseconds timeout,
                           std::function<void(const Result &)> done, QObject *parent)
    : QObject(parent)
    , m_request(request)
    , m_subprotocols(subprotocols)
    , m_ssl(ssl)
    , m_done(std::move(done)) {
    m_timer.setSingleShot(true);
    m_timer.setInterval(timeout);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_result.timedOut = !m_result.answered;
        finish();
    });
}

UpgradeProbe::~UpgradeProbe() {
    m_finished = true; // never report from a destructor
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
        delete m_socket;
    }
}

void UpgradeProbe::start() {
    const QUrl url = m_request.url();
    const bool secure =
        url.scheme() == QLatin1String("wss") || url.scheme() == QLatin1String("https");
    m_timer.start();
    QSslSocket *ssl = nullptr;
    if (secure) {
        ssl = new QSslSocket(this);
        ssl->setSslConfiguration(m_ssl);
        // Certificate errors were reported by the first attempt; here they just end the probe.
        connect(ssl, &QSslSocket::encrypted, this, &UpgradeProbe::sendRequest);
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &UpgradeProbe::sendRequest);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &UpgradeProbe::onReadyRead);
    // The server closing after its answer is the normal end of a refusal: read what is left.
    auto ended = [this] {
        onReadyRead();
        finish();
    };
    connect(m_socket, &QTcpSocket::disconnected, this, ended);
    connect(m_socket, &QTcpSocket::errorOccurred, this, ended);
    if (ssl)
        ssl->connectToHostEncrypted(url.host(), quint16(url.port(443)));
    else
        m_socket->connectToHost(url.host(), quint16(url.port(80)));
}

void UpgradeProbe::sendRequest() {
    const QUrl url = m_request.url();
    const bool secure =
        url.scheme() == QLatin1String("wss") || url.scheme() == QLatin1String("https");
    const int defaultPort = secure ? 443 : 80;
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // IPv6 literal
    if (url.port(defaultPort) != defaultPort)
        host += ':' + QByteArray::number(url.port());
    QByteArray key(16, Qt::Uninitialized);
    for (char &c : key)
        c = char(QRandomGenerator::global()->bounded(256));

    QByteArray head =
        "GET " + url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (head.size() == 4)
        head += '/';
    head += " HTTP/1.1\r\nHost: " + host +
            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Key: " +
            key.toBase64() + "\r\n";
    if (!m_subprotocols.isEmpty())
        head += "Sec-WebSocket-Protocol: " + m_subprotocols.join(QStringLiteral(", ")).toLatin1() +
                "\r\n";
    // The same credentials as the refused request, so the answer is the same.
    for (const QByteArray &name : m_request.rawHeaderList())
        head += name + ": " + m_request.rawHeader(name) + "\r\n";
    head += "\r\n";
    m_socket->write(head);
}

void UpgradeProbe::onReadyRead() {
    if (m_finished || !m_socket)
        return;
    m_buffer += m_socket->readAll();
    if (parse())
        finish();
}

bool UpgradeProbe::parse() {
    if (m_headEnd < 0) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return m_buffer.size() > kMaxHead;
        m_headEnd = end + 4;
        const QList<QByteArray> lines = m_buffer.first(end).split('\n');
        // "HTTP/1.1 404 Not Found"
        const QByteArray statusLine = lines.value(0).trimmed();
        const qsizetype sp1 = statusLine.indexOf(' ');
        if (!statusLine.startsWith("HTTP/") || sp1 < 0)
            return true; // not HTTP: nothing to report
        const qsizetype sp2 = statusLine.indexOf(' ', sp1 + 1);
        bool ok = false;
        const int status = statusLine.mid(sp1 + 1, sp2 < 0 ? -1 : sp2 - sp1 - 1).toInt(&ok);
        if (!ok || status < 100 || status > 999)
            return true;
        m_result.answered = true;
        m_result.status = status;
        if (sp2 >= 0)
            m_result.reason = QString::fromLatin1(statusLine.mid(sp2 + 1)).trimmed();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.first(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length")
                m_contentLength = value.toLongLong();
            else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
                m_chunked = true;
        }
        // A successful upgrade this time: the socket is now a WebSocket we do not want.
        if (status == 101 || status == 204 || status == 304 || status < 200 || m_contentLength == 0)
            return true;
    }
    const QByteArrayView body = QByteArrayView(m_buffer).sliced(m_headEnd);
    if (m_chunked) {
        bool complete = false;
        m_result.body = bodyText(dechunk(body, &complete));
        return complete;
    }
    m_result.body = bodyText(body.toByteArray());
    if (m_contentLength >= 0)
        return body.size() >= std::min<qint64>(m_contentLength, kMaxBody);
    return body.size() >= kMaxBody; // until the server closes
}

void UpgradeProbe::finish() {
    if (m_finished)
        return;
    m_finished = true;
    m_timer.stop();
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    qCDebug(lcConnection) << "upgrade probe:" << (m_result.answered ? m_result.status : 0)
                          << m_result.reason << (m_result.timedOut ? "(timed out)" : "");
    if (m_done)
        m_done(m_result);
}

} // namespace stdb
