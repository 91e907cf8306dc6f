// SPDX-License-Identifier: Apache-2.0
#include "httpserver.h"

#include "hostlog.h"
#include "httpconnection.h"

#include <QSslServer>
#include <QSslSocket>
#include <QTcpSocket>

namespace host {

HttpServer::HttpServer(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<QTcpServer>()) {
    // Emitted for plain sockets as they are accepted and, with TLS, once the handshake is done.
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this,
            &HttpServer::onNewConnection);
}

HttpServer::~HttpServer() = default;

void HttpServer::setTls(const QSslConfiguration &configuration) {
    auto server = std::make_unique<QSslServer>();
    server->setSslConfiguration(configuration);
    connect(server.get(), &QSslServer::sslErrors, this,
            [](QSslSocket *socket, const QList<QSslError> &errors) {
                for (const QSslError &e : errors)
                    qCInfo(lcHttp).noquote() << "TLS error with" << socket->peerAddress().toString()
                                             << ":" << e.errorString();
            });
    connect(server.get(), &QSslServer::errorOccurred, this,
            [](QSslSocket *socket, QAbstractSocket::SocketError) {
                // A client that refuses our certificate ends the handshake here.
                qCInfo(lcHttp).noquote() << "TLS handshake with" << socket->peerAddress().toString()
                                         << "failed:" << socket->errorString();
            });
    connect(server.get(), &QTcpServer::pendingConnectionAvailable, this,
            &HttpServer::onNewConnection);
    m_server = std::move(server);
    m_tls = true;
}

bool HttpServer::listen(const QHostAddress &address, quint16 port) {
    return m_server->listen(address, port);
}

void HttpServer::close() {
    m_server->close();
}

void HttpServer::onNewConnection() {
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
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
