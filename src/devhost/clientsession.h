// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "subscriptionmanager.h"

#include "spacetime/compression.h"
#include "spacetime/protocol/messages.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>

class QWebSocket;

namespace host {

class ChatHost;

// One WebSocket client: decodes its messages, hands them to the host, and sends server
// messages in production order through a FIFO (which the fault controls can delay).
class ClientSession : public QObject {
    Q_OBJECT
public:
    struct Params {
        ClientId id = 0;
        stdb::Identity identity;
        stdb::ConnectionId connectionId;
        QString token;
        stdb::Compression compression = stdb::Compression::Brotli;
        bool v3 = false;
    };

    ClientSession(QWebSocket *socket, const Params &params, ChatHost *host);
    ~ClientSession() override;

    ClientId id() const { return m_params.id; }
    const stdb::Identity &identity() const { return m_params.identity; }
    const stdb::ConnectionId &connectionId() const { return m_params.connectionId; }
    const QString &token() const { return m_params.token; }
    bool isV3() const { return m_params.v3; }
    stdb::Compression compression() const { return m_params.compression; }
    bool isOpen() const { return !m_closing; }
    QString peer() const;

    void sendInitialConnection();
    void send(const stdb::protocol::ServerMessage &message);
    // A payload sent verbatim (fault injection); queued like any other frame.
    void sendRaw(const QByteArray &payload, bool asText);
    // Close frame with this code, then the TCP connection ends.
    void closeWith(int code, const QString &reason);
    // Drop the TCP connection without a close frame.
    void abort();

    // Keep-alive: ping when due, drop when silent too long. Called by the host's timer.
    void tick(int pingIntervalMs, int idleTimeoutMs);

signals:
    void ended(host::ClientSession *session);

private:
    struct Outgoing {
        QByteArray payload;
        bool text = false;
        qint64 dueMs = 0;
    };

    void onBinaryMessage(const QByteArray &payload);
    void onTextMessage(const QString &text);
    void onDisconnected();
    void handle(const stdb::protocol::ClientMessage &message);
    void protocolError(const QString &reason);
    void enqueue(Outgoing frame);
    void flush();
    void touch();

    QPointer<QWebSocket> m_socket;
    Params m_params;
    ChatHost *m_host;
    bool m_closing = false;
    bool m_ended = false;
    std::deque<Outgoing> m_queue;
    QTimer m_flushTimer;
    QElapsedTimer m_clock;
    qint64 m_lastHeardMs = 0;
    qint64 m_lastPingMs = 0;
    bool m_awaitingPong = false;
    // The real server knows a client from its first applied Subscribe on; an Unsubscribe
    // before that fails with "Client not found" rather than "Subscription not found".
    bool m_subscribedOnce = false;
};

} // namespace host
