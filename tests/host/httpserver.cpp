#include "httpserver.h"

#include "hostlog.h"
#include "httpconnection.h"

#include <QTcpSocket>

namespace host {

HttpServer::HttpServer(QObject *parent)
    : QObject(parent) {
    connect(&m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

bool HttpServer::listen(const QHostAddress &address, quint16 port) {
    return m_server.listen(address, port);
}

void HttpServer::close() {
    m_server.close();
}

void HttpServer::onNewConnection() {
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        // Frames are small (a chat TransactionUpdate is ~100 bytes) and often go to a peer that
        // has nothing to say back: with Nagle's algorithm each one would wait for the peer's
        // delayed ACK (up to 40 ms on Linux) whenever an earlier frame was still unacknowledged.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        ++m_open;
        auto *conn = new HttpConnection(socket, this);
        connect(conn, &QObject::destroyed, this, [this] { --m_open; });
    }
}

HttpResponse HttpServer::handle(const HttpRequest &request) const {
    if (!m_requestHandler)
        return HttpResponse::text(404, QStringLiteral("not found"));
    return m_requestHandler(request);
}

std::optional<HttpResponse> HttpServer::handleUpgrade(const HttpRequest &request,
                                                      QTcpSocket *socket) const {
    if (!m_upgradeHandler)
        return HttpResponse::text(404, QStringLiteral("no WebSocket endpoint here"));
    return m_upgradeHandler(request, socket);
}

} // namespace host
