// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httpparser.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTcpServer>

#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;

namespace host {

// HTTP/1.1 on a QTcpServer, or on a QSslServer after setTls() (then every connection is TLS:
// https and wss on the same port). Plain requests are parsed here and answered through the request
// handler; WebSocket upgrade requests are only *peeked* at, so that after the upgrade handler
// accepts one the untouched handshake bytes can be handed to QWebSocketServer.
class HttpServer : public QObject {
    Q_OBJECT
public:
    using RequestHandler = std::function<HttpResponse(const HttpRequest &)>;
    // Returns std::nullopt after taking over the socket (then it belongs to the handler), or a
    // response that refuses the upgrade.
    using UpgradeHandler =
        std::function<std::optional<HttpResponse>(const HttpRequest &, QTcpSocket *)>;

    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override;

    // Serve TLS with this configuration (local certificate and private key set); call before
    // listen(). Handshakes that fail are logged and the connection is dropped.
    void setTls(const QSslConfiguration &configuration);
    bool isTls() const { return m_tls; }

    void setRequestHandler(RequestHandler handler) { m_requestHandler = std::move(handler); }
    void setUpgradeHandler(UpgradeHandler handler) { m_upgradeHandler = std::move(handler); }
    void setLimits(const HttpLimits &limits) { m_limits = limits; }
    const HttpLimits &limits() const { return m_limits; }
    // A connection that sends nothing for this long is closed (408 if a request was underway).
    void setIdleTimeout(int ms) { m_idleTimeoutMs = ms; }
    int idleTimeout() const { return m_idleTimeoutMs; }

    bool listen(const QHostAddress &address, quint16 port);
    void close();
    quint16 port() const { return m_server->serverPort(); }
    QHostAddress address() const { return m_server->serverAddress(); }
    QString errorString() const { return m_server->errorString(); }
    int openConnections() const { return m_open; }

    // Used by HttpConnection.
    HttpResponse handle(const HttpRequest &request) const;
    std::optional<HttpResponse> handleUpgrade(const HttpRequest &request, QTcpSocket *socket) const;

signals:
    void requestServed(int status);

private:
    void onNewConnection();

    std::unique_ptr<QTcpServer> m_server;
    bool m_tls = false;
    RequestHandler m_requestHandler;
    UpgradeHandler m_upgradeHandler;
    HttpLimits m_limits;
    int m_idleTimeoutMs = 30000;
    int m_open = 0;
};

} // namespace host
