// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httpparser.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <optional>

class QTcpSocket;

namespace host {

class HttpServer;

// One TCP connection in HTTP mode: parses requests (keep-alive and pipelining included),
// answers them, and hands WebSocket upgrades over without consuming the handshake bytes.
class HttpConnection : public QObject {
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, HttpServer *server);
    ~HttpConnection() override;

private:
    enum class State { Head, Body, Closing };

    void onReadyRead();
    void processHead();
    void processBody();
    void dispatch();
    void respond(const HttpResponse &response, bool keepAlive);
    void fail(int status, const QString &message);
    void onTimeout();
    void handOff();

    QTcpSocket *m_socket;
    HttpServer *m_server;
    QTimer m_timer;
    State m_state = State::Head;
    HeadParseResult m_head;
    std::optional<ChunkedDecoder> m_chunked;
    bool m_requestStarted = false;
};

} // namespace host
