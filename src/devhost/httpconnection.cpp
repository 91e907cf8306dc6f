// SPDX-License-Identifier: Apache-2.0
#include "httpconnection.h"

#include "hostlog.h"
#include "httpserver.h"

#include <QTcpSocket>

namespace host {

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server) {
    m_socket->setParent(this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    m_timer.start(m_server->idleTimeout());
    // Data may already be waiting (the client wrote before we were connected).
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::onReadyRead() {
    if (!m_socket)
        return;
    // Each pass handles one step; loop while steps make progress (pipelined requests).
    State before;
    qint64 available;
    do {
        before = m_state;
        available = m_socket->bytesAvailable();
        if (m_state == State::Head)
            processHead();
        else if (m_state == State::Body)
            processBody();
        if (!m_socket)
            return; // handed off
    } while (m_state != State::Closing && m_socket->bytesAvailable() > 0 &&
             (m_state != before || m_socket->bytesAvailable() != available));
}

void HttpConnection::processHead() {
    const qsizetype window = m_server->limits().maxHeadSize + 16;
    const QByteArray peeked = m_socket->peek(qMin<qint64>(m_socket->bytesAvailable(), window));
    if (peeked.isEmpty())
        return;
    m_requestStarted = true;
    m_timer.start(m_server->idleTimeout());
    m_head = parseRequestHead(peeked, m_server->limits());
    switch (m_head.status) {
    case HeadParseResult::Status::Incomplete:
        return;
    case HeadParseResult::Status::Error:
        m_socket->skip(m_socket->bytesAvailable());
        fail(m_head.errorStatus, m_head.errorMessage);
        return;
    case HeadParseResult::Status::Complete:
        break;
    }
    m_head.request.peer = m_socket->peerAddress();

    if (m_head.request.isWebSocketUpgrade()) {
        if (m_head.request.method != "GET")
            return fail(400, QStringLiteral("WebSocket upgrades must use GET"));
        if (!m_head.strictLineEndings)
            return fail(400, QStringLiteral("WebSocket handshakes need CRLF line endings"));
        if (m_head.body != HeadParseResult::Body::None)
            return fail(400, QStringLiteral("a WebSocket handshake has no body"));
        // The upgrade handler re-emits readyRead for QWebSocketServer; we must not see it.
        disconnect(m_socket, &QTcpSocket::readyRead, this, nullptr);
        m_timer.stop();
        std::optional<HttpResponse> refusal = m_server->handleUpgrade(m_head.request, m_socket);
        if (refusal) {
            qCInfo(lcHttp).noquote() << "GET" << QString::fromUtf8(m_head.request.rawPath)
                                     << "(upgrade) ->" << refusal->status;
            m_socket->skip(m_head.headLength);
            respond(*refusal, false);
            return;
        }
        handOff();
        return;
    }

    m_socket->skip(m_head.headLength);
    if (m_head.body == HeadParseResult::Body::None) {
        dispatch();
        return;
    }
    if (m_head.expectContinue)
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    if (m_head.body == HeadParseResult::Body::Chunked)
        m_chunked.emplace(m_server->limits().maxBodySize);
    m_state = State::Body;
}

void HttpConnection::processBody() {
    if (m_head.body == HeadParseResult::Body::Length) {
        const qint64 want = m_head.contentLength - m_head.request.body.size();
        const QByteArray chunk = m_socket->read(want);
        m_head.request.body.append(chunk);
        if (!chunk.isEmpty())
            m_timer.start(m_server->idleTimeout());
        if (m_head.request.body.size() == m_head.contentLength)
            dispatch();
        return;
    }
    const QByteArray peeked = m_socket->peek(qMin<qint64>(m_socket->bytesAvailable(), 65536));
    const qsizetype used = m_chunked->feed(peeked);
    m_socket->skip(used);
    if (used > 0)
        m_timer.start(m_server->idleTimeout());
    switch (m_chunked->status()) {
    case ChunkedDecoder::Status::NeedMore:
        return;
    case ChunkedDecoder::Status::Error:
        fail(m_chunked->errorStatus(), m_chunked->errorMessage());
        return;
    case ChunkedDecoder::Status::Done:
        m_head.request.body = m_chunked->body();
        m_chunked.reset();
        dispatch();
        return;
    }
}

void HttpConnection::dispatch() {
    const HttpRequest &req = m_head.request;
    HttpResponse response = m_server->handle(req);
    qCInfo(lcHttp).noquote() << QString::fromLatin1(req.method) << QString::fromUtf8(req.rawPath)
                             << "->" << response.status;
    emit m_server->requestServed(response.status);
    const bool keepAlive = req.wantsKeepAlive() && response.header("Connection") != "close";
    respond(response, keepAlive);
}

void HttpConnection::respond(const HttpResponse &response, bool keepAlive) {
    HttpResponse copy = response;
    copy.headers.removeIf(
        [](const auto &h) { return h.first.compare("Connection", Qt::CaseInsensitive) == 0; });
    m_socket->write(copy.serialize(keepAlive, m_head.request.method == "HEAD"));
    m_requestStarted = false;
    m_head = {};
    if (keepAlive) {
        m_state = State::Head;
        m_timer.start(m_server->idleTimeout());
    } else {
        m_state = State::Closing;
        m_timer.stop();
        // disconnectFromHost flushes what is queued before closing.
        m_socket->disconnectFromHost();
    }
}

void HttpConnection::fail(int status, const QString &message) {
    qCInfo(lcHttp).noquote() << "bad request from" << m_socket->peerAddress().toString() << "->"
                             << status << message;
    respond(HttpResponse::text(status, message), false);
}

void HttpConnection::onTimeout() {
    if (!m_socket)
        return;
    if (m_requestStarted && m_state != State::Closing) {
        respond(HttpResponse::text(408, QStringLiteral("request not completed in time")), false);
        return;
    }
    m_socket->abort();
}

void HttpConnection::handOff() {
    // From here on QWebSocketServer reads the socket; we must not touch it again.
    m_timer.stop();
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->setParent(m_server);
    m_socket = nullptr;
    deleteLater();
}

} // namespace host
